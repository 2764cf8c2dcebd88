//! Localized labels of choices, fields and values, the explainable risk score, and date
//! formatting — the small pieces every view shares.

use super::form::Choice;
use super::ViewContext;
use crate::i18n::{self, Locale};
use crate::model::{ConversationKind, ParticipantRole, RegisterCategory, RiskFactor, SaraStage, SevenRole, Technique};
use crate::text::latn_to_cyrl;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::fmt::Write;

pub(super) use crate::i18n::text;

/// Conversation kinds, in display order.
pub(crate) const CONVERSATION_KINDS: [ConversationKind; 3] = [ConversationKind::Individual, ConversationKind::Group, ConversationKind::Explanatory];
/// Participant roles, in display order.
pub(crate) const PARTICIPANT_ROLES: [ParticipantRole; 5] =
    [ParticipantRole::Parent, ParticipantRole::Neighbour, ParticipantRole::MahallaRepresentative, ParticipantRole::SchoolPsychologist, ParticipantRole::Other];
/// Interviewing techniques, in display order.
pub(crate) const TECHNIQUES: [Technique; 6] = [
    Technique::ActiveListening,
    Technique::Empathy,
    Technique::OpenQuestions,
    Technique::LegalExplanation,
    Technique::Motivational,
    Technique::FamilyInvolvement,
];
/// Register categories, in display order.
pub(crate) const CATEGORIES: [RegisterCategory; 6] = [
    RegisterCategory::Minor,
    RegisterCategory::FormerlyConvicted,
    RegisterCategory::AdministrativeSupervision,
    RegisterCategory::DomesticViolence,
    RegisterCategory::Dependence,
    RegisterCategory::Other,
];
/// SARA stages, in order.
pub(crate) const STAGES: [SaraStage; 4] = [SaraStage::Scanning, SaraStage::Analysis, SaraStage::Response, SaraStage::Assessment];
/// Roles of the mahalla seven, in display order.
pub(crate) const SEVEN_ROLES: [SevenRole; 7] = [
    SevenRole::Chairman,
    SevenRole::WomensActivist,
    SevenRole::YouthLeader,
    SevenRole::SocialWorker,
    SevenRole::Inspector,
    SevenRole::TaxInspector,
    SevenRole::HokimAssistant,
];

/// Reads an enum value from its stable name (`"womens_activist"`), or a translatable
/// validation error for `field`.
pub fn parse_choice<T: DeserializeOwned>(field: &str, value: &str) -> crate::error::Result<T> {
    choice_value(value).ok_or_else(|| invalid(field, "validation.invalid_choice", value))
}

/// A value typed for `field` that cannot be read, as a translatable validation error.
pub(crate) fn invalid(field: &str, key: &'static str, value: &str) -> crate::error::Error {
    invalid_with(field, key, vec![("value", value.to_string())])
}

/// A translatable validation error on one argument, with the message's parameters (a weight
/// or a number of months out of range).
pub(crate) fn invalid_with(field: impl Into<String>, key: &'static str, params: Vec<(&'static str, String)>) -> crate::error::Error {
    let error = crate::model::FieldError { field: field.into(), key, params };
    crate::error::Error::Invalid(crate::model::ValidationErrors(vec![error]))
}

/// Reads a `YYYY-MM-DD` (or `DD.MM.YYYY`) date typed for `field`.
pub(crate) fn parse_date_field(field: &str, value: &str) -> crate::error::Result<NaiveDate> {
    parse_date(value).ok_or_else(|| invalid(field, "validation.invalid_date", value))
}

/// The stable snake_case name serde gives a unit enum value (`"womens_activist"`).
pub(crate) fn slug<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// An enum value from its stable snake_case name (`"womens_activist"`), if it names one.
pub fn choice_value<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(Value::String(text.trim().to_string())).ok()
}

/// The label of an enum value from the catalog key `<prefix>.<snake_case value>`.
pub fn choice_label<T: Serialize>(locale: Locale, prefix: &str, value: &T) -> String {
    text(locale, &format!("{prefix}.{}", slug(value)))
}

/// Choices for every value in `all`, labelled from the catalog.
pub(crate) fn choices<T: Serialize>(locale: Locale, prefix: &str, all: &[T]) -> Vec<Choice> {
    all.iter().map(|v| Choice { value: slug(v), label: choice_label(locale, prefix, v) }).collect()
}

/// Labels of a set of enum values, in the set's order.
pub(crate) fn labels_of<T: Serialize>(locale: Locale, prefix: &str, values: impl IntoIterator<Item = T>) -> Vec<String> {
    values.into_iter().map(|v| choice_label(locale, prefix, &v)).collect()
}

/// The weight of a risk factor in the explainable risk score (design §2): what most raises the
/// chance of an offence weighs most. The score is the sum, always shown with its reasons.
pub fn risk_weight(factor: RiskFactor) -> u32 {
    match factor {
        RiskFactor::PreviousOffence | RiskFactor::SubstanceUse | RiskFactor::ExtremistInfluence => 3,
        RiskFactor::SocialInjustice | RiskFactor::FamilyProblems | RiskFactor::PeerPressure | RiskFactor::TruancyOrIdleness => 2,
        RiskFactor::EconomicDifficulty | RiskFactor::OnlineRisk => 1,
    }
}

/// The text with its first letter in upper case.
pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The label of a field path, capitalised for a form or a list (`tasks/<id>/due` → "Due date").
pub(crate) fn field_label(locale: Locale, path: &str) -> String {
    capitalize(&i18n::field_label(locale, path))
}

/// Latin text shown in the locale's script: Cyrillic for uz-Cyrl and Russian.
pub(crate) fn in_script(locale: Locale, latin: &str) -> String {
    match locale {
        Locale::UzCyrl | Locale::Ru => latn_to_cyrl(latin),
        Locale::UzLatn | Locale::En => latin.to_string(),
    }
}

/// A mahalla scope key (`navbahor`, `yangi-hayot`) as a name ("Navbahor", "Yangi Hayot").
pub fn scope_name(scope: &str) -> String {
    scope.split('-').map(capitalize).collect::<Vec<_>>().join(" ")
}

/// A value or the catalog's "—" when it is blank.
pub(crate) fn or_dash(locale: Locale, value: &str) -> String {
    if value.trim().is_empty() {
        text(locale, "value.empty")
    } else {
        value.to_string()
    }
}

fn formatted(pattern: &str, write: impl FnOnce(&mut String, &str) -> std::fmt::Result, fallback: impl FnOnce() -> String) -> String {
    let mut out = String::new();
    // A bad pattern in the catalog must not crash a screen: fall back to ISO.
    match write(&mut out, pattern) {
        Ok(()) => out,
        Err(_) => fallback(),
    }
}

/// A date in the locale's format.
pub(crate) fn date(locale: Locale, day: NaiveDate) -> String {
    formatted(&text(locale, "format.date"), |out, p| write!(out, "{}", day.format(p)), || day.to_string())
}

/// A UTC time as local date and time in the locale's format.
pub(crate) fn datetime(ctx: &ViewContext, at: DateTime<Utc>) -> String {
    let local = ctx.local(at);
    formatted(&text(ctx.locale, "format.datetime"), |out, p| write!(out, "{}", local.format(p)), || local.to_string())
}

/// A local date and time as typed in forms: `YYYY-MM-DD HH:MM`.
pub(crate) fn form_datetime(ctx: &ViewContext, at: DateTime<Utc>) -> String {
    ctx.local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// Parses a date typed as `YYYY-MM-DD` or `DD.MM.YYYY`.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y")).ok()
}

/// Parses a local date and time (`YYYY-MM-DD HH:MM`, `DD.MM.YYYY HH:MM`, or RFC 3339) into UTC.
pub(crate) fn parse_datetime(ctx: &ViewContext, text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let (day, time) = text.split_once([' ', 'T'])?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M:%S")).ok()?;
    Some(ctx.utc(NaiveDateTime::new(parse_date(day)?, time)))
}

/// A field value for display: choices by their label, dates formatted, booleans as yes/no.
pub(crate) fn value_label(ctx: &ViewContext, path: &str, value: &Value) -> String {
    let locale = ctx.locale;
    let last = path.rsplit('/').next().unwrap_or(path);
    let prefix = match last {
        "stage" => Some("stage"),
        "status" => Some("case_status"),
        "kind" => Some("conversation_kind"),
        "role" if path.starts_with("tasks/") => Some("seven_role"),
        "role" if path.starts_with("participants/") => Some("participant_role"),
        _ => None,
    };
    match value {
        Value::Null => text(locale, "value.empty"),
        Value::Bool(true) => text(locale, "value.yes"),
        Value::Bool(false) => text(locale, "value.no"),
        Value::String(s) => match (prefix, parse_date(s), DateTime::parse_from_rfc3339(s)) {
            (Some(prefix), _, _) => text(locale, &format!("{prefix}.{s}")),
            (None, Some(day), _) => date(locale, day),
            (None, None, Ok(at)) => datetime(ctx, at.with_timezone(&Utc)),
            (None, None, Err(_)) => or_dash(locale, s),
        },
        // An entry (a task, a family member): each field by its label, blanks left out.
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
            .map(|(key, v)| {
                let field = format!("{path}/{key}");
                format!("{}: {}", field_label(locale, &field), value_label(ctx, &field, v))
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssistanceKind;
    use std::collections::BTreeSet;

    const ASSISTANCE: [AssistanceKind; 5] =
        [AssistanceKind::Psychological, AssistanceKind::Legal, AssistanceKind::Social, AssistanceKind::Medical, AssistanceKind::Educational];

    #[test]
    fn every_choice_has_a_label_in_every_locale() {
        fn check<T: Serialize>(prefix: &str, all: &[T]) {
            for locale in Locale::ALL {
                for choice in choices(locale, prefix, all) {
                    assert_ne!(choice.label, format!("{prefix}.{}", choice.value), "{prefix}.{} missing in {locale:?}", choice.value);
                }
            }
        }
        check("conversation_kind", &CONVERSATION_KINDS);
        check("participant_role", &PARTICIPANT_ROLES);
        check("technique", &TECHNIQUES);
        check("category", &CATEGORIES);
        check("stage", &STAGES);
        check("seven_role", &SEVEN_ROLES);
        check("assistance", &ASSISTANCE);
        check("risk", &RiskFactor::ALL);
        check("case_status", &[CaseStatus::Open, CaseStatus::Closed]);
        check("role", &crate::Role::ALL);
        use crate::model::*;
        check("referral_state", &ReferralState::ALL);
        check("priority", &Priority::ALL);
        check("book", &Book::ALL);
        check("applicant_kind", &[ApplicantKind::Citizen, ApplicantKind::LegalEntity]);
        check("decision_kind", &DecisionKind::ALL);
        check("event_kind", &EventKind::ALL);
        check("milestone", &Milestone::ALL);
        check("behaviour", &[BehaviourChange::Improved, BehaviourChange::Unchanged, BehaviourChange::Worsened]);
        check("activity", &SocialActivity::ALL);
        check("legal_knowledge", &[LegalKnowledge::Low, LegalKnowledge::Partial, LegalKnowledge::Good]);
        let steps: Vec<ReferralState> = ReferralState::ALL.iter().flat_map(|s| s.next()).copied().collect();
        check("referral.action", &steps);
    }

    #[test]
    fn risk_reasons_are_heaviest_first() {
        let factors = BTreeSet::from([RiskFactor::OnlineRisk, RiskFactor::PreviousOffence, RiskFactor::FamilyProblems]);
        let weights = super::super::risk::Weights::default();
        let (score, reasons) = weights.score(Locale::En, &factors);
        assert_eq!(score, 6);
        assert_eq!(reasons, ["Previous offence (+3)", "Family problems (+2)", "Online risks (+1)"]);
        assert_eq!(weights.score(Locale::Ru, &factors).1[0], "Ранее совершал правонарушения (+3)");
    }

    #[test]
    fn dates_parse_and_format_per_locale() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        assert_eq!(parse_date("01.10.2025"), Some(day));
        assert_eq!(parse_date(" 2025-10-01 "), Some(day));
        assert_eq!(parse_date("31.02.2025"), None);
        assert_eq!(date(Locale::UzLatn, day), "01.10.2025");
        assert_eq!(date(Locale::En, day), "2025-10-01");
        let ctx = ViewContext::new(Locale::Ru);
        let at = parse_datetime(&ctx, "01.10.2025 14:30").unwrap();
        assert_eq!(at.to_rfc3339(), "2025-10-01T09:30:00+00:00");
        assert_eq!(datetime(&ctx, at), "01.10.2025 14:30");
        assert_eq!(form_datetime(&ctx, at), "2025-10-01 14:30");
        assert_eq!(parse_datetime(&ctx, "2025-10-01"), None);
    }

    #[test]
    fn values_are_shown_with_their_labels() {
        let ctx = ViewContext::new(Locale::En);
        assert_eq!(value_label(&ctx, "stage", &Value::from("analysis")), "Analysis");
        assert_eq!(value_label(&ctx, "tasks/x/role", &Value::from("youth_leader")), "Youth leader");
        assert_eq!(value_label(&ctx, "tasks/x/due", &Value::from("2025-10-01")), "2025-10-01");
        assert_eq!(value_label(&ctx, "tasks/x/done", &Value::Bool(true)), "Yes");
        assert_eq!(value_label(&ctx, "outcome", &Value::from("")), "—");
        assert_eq!(scope_name("yangi-hayot"), "Yangi Hayot");
        assert_eq!(in_script(Locale::UzCyrl, "Qodirov Jasur"), "Қодиров Жасур");
    }
}
