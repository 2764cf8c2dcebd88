//! Effectiveness monitoring, rising incidents, the district report and risk weights on the
//! `Suhbat` object. Dates and choices travel as text (`YYYY-MM-DD`, the stable snake_case
//! names), so shells pass what their pickers hold.

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use chrono::NaiveDate;
use suhbat_core::views;
use suhbat_core::{BehaviourChange, LegalKnowledge, Milestone, RiskFactor, SocialActivity};

/// A date typed as `YYYY-MM-DD`.
pub(crate) fn date(text: &str) -> Result<NaiveDate, SuhbatError> {
    text.trim().parse().map_err(|_| SuhbatError::BadInput(format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// The error for a choice that names no value.
fn unknown(what: &str, text: &str) -> SuhbatError {
    SuhbatError::BadInput(format!("unknown {what} {text:?}"))
}

#[uniffi::export]
impl Suhbat {
    /// Follow-up figures per inspector and per mahalla for follow-ups due from `from` to `to`
    /// (`YYYY-MM-DD`), of one mahalla when given.
    pub fn effectiveness(&self, from: String, to: String, mahalla: Option<String>) -> Result<views::Effectiveness, SuhbatError> {
        let (from, to) = (date(&from)?, date(&to)?);
        self.run(|store, ctx| views::effectiveness(store, ctx, from, to, mahalla.as_deref()))
    }

    /// Records a follow-up's result (`milestone`: `m1`, `m3` or `m6`; `behaviour`: improved,
    /// unchanged, worsened; `activities`: study, work, club, volunteering; `legal_knowledge`:
    /// good, partial, low). Broken rules come back as translated validation messages.
    #[allow(clippy::too_many_arguments)] // One argument per indicator, as the form has them.
    pub fn record_follow_up(
        &self,
        conversation_id: String,
        milestone: String,
        done_on: String,
        behaviour: Option<String>,
        reoffended: bool,
        reoffences: u32,
        activities: Vec<String>,
        legal_knowledge: Option<String>,
        note: String,
    ) -> Result<(), SuhbatError> {
        let milestone = Milestone::parse(&milestone).ok_or_else(|| unknown("milestone", &milestone))?;
        let done_on = date(&done_on)?;
        let behaviour = match behaviour.filter(|b| !b.trim().is_empty()) {
            Some(b) => Some(views::choice_value::<BehaviourChange>(&b).ok_or_else(|| unknown("behaviour change", &b))?),
            None => None,
        };
        let legal = match legal_knowledge.filter(|k| !k.trim().is_empty()) {
            Some(k) => Some(views::choice_value::<LegalKnowledge>(&k).ok_or_else(|| unknown("legal knowledge", &k))?),
            None => None,
        };
        let activities =
            activities.iter().map(|a| views::choice_value::<SocialActivity>(a).ok_or_else(|| unknown("activity", a))).collect::<Result<Vec<_>, _>>()?;
        self.run(|store, _| {
            views::record_follow_up(store, &conversation_id, milestone, done_on, behaviour, reoffended, reoffences, &activities, legal, &note)
        })?;
        self.changed();
        Ok(())
    }

    /// Incidents per mahalla and month over the last `months` months (6 to 36), rising first.
    pub fn incident_trends(&self, months: u32) -> Result<views::IncidentTrends, SuhbatError> {
        self.run(|store, ctx| views::incident_trends(store, ctx, months))
    }

    /// The district report from `from` to `to` (`YYYY-MM-DD`), of one mahalla when given.
    pub fn district_report(&self, from: String, to: String, mahalla: Option<String>) -> Result<views::Report, SuhbatError> {
        let (from, to) = (date(&from)?, date(&to)?);
        self.run(|store, ctx| views::district_report(store, ctx, from, to, mahalla.as_deref()))
    }

    /// The district report as CSV (RFC 4180), for sharing as a file.
    pub fn district_report_csv(&self, from: String, to: String, mahalla: Option<String>) -> Result<String, SuhbatError> {
        Ok(self.district_report(from, to, mahalla)?.to_csv())
    }

    /// Every risk factor's weight on this device, with its default.
    pub fn risk_weights(&self) -> Result<views::RiskWeights, SuhbatError> {
        self.run(|store, ctx| views::risk_weights(store, ctx))
    }

    /// Gives a risk factor (`previous_offence`, …) a weight from 0 to 10.
    pub fn set_risk_weight(&self, factor: String, weight: u32) -> Result<(), SuhbatError> {
        let factor = views::choice_value::<RiskFactor>(&factor).ok_or_else(|| unknown("risk factor", &factor))?;
        self.run(|store, _| views::set_risk_weight(store, factor, weight))?;
        self.changed();
        Ok(())
    }
}
