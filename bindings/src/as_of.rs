//! Lists and reports as they stood at a past time: `Suhbat.as_of(date)` gives a [`SuhbatAsOf`],
//! a read-only store of the records then (held in memory, never on disk) with the list and
//! report screens of the `Suhbat` object and the header to show above them. A row opened from
//! such a list is read with `Suhbat.record_as_of(id, date)`, which records the access.

use crate::error::SuhbatError;
use crate::reports::date;
use crate::suhbat::Suhbat;
use std::sync::{Arc, Mutex};
use suhbat_core::views::{self, ViewContext};
use suhbat_core::Store;

/// The records as they stood at a past time, read-only: the list and report screens of
/// [`Suhbat`] on them, in the language set when it was made, dated at that time (what was
/// overdue then is overdue here). Drop it when the screen closes: it holds a copy of the
/// records in memory.
#[derive(uniffi::Object)]
pub struct SuhbatAsOf {
    store: Mutex<Store>,
    ctx: ViewContext,
    header: views::AsOfHeader,
}

impl SuhbatAsOf {
    /// Runs `f` on the records then with this object's context, mapping core errors.
    fn run<T>(&self, f: impl FnOnce(&mut Store, &ViewContext) -> suhbat_core::Result<T>) -> Result<T, SuhbatError> {
        let mut store = self.store.lock().map_err(|_| SuhbatError::poisoned())?;
        f(&mut store, &self.ctx).map_err(|e| SuhbatError::from_core(e, self.ctx.locale))
    }
}

#[uniffi::export]
impl Suhbat {
    /// The records as they stood at a local date (`2026-03-03`, the end of that day) or date and
    /// time (`2026-03-03 14:30`), by the clocks of the devices that made the changes. Throws
    /// `BadInput` (translated) for anything else. Nothing of it can be changed or synced.
    pub fn as_of(&self, at: String) -> Result<Arc<SuhbatAsOf>, SuhbatError> {
        let then = self.run(|store, ctx| views::as_of(store, ctx, &at))?;
        Ok(Arc::new(SuhbatAsOf { store: Mutex::new(then.store), ctx: then.ctx, header: then.header }))
    }
}

#[uniffi::export]
impl SuhbatAsOf {
    /// What to show above every list and report: the time shown, that times are the devices'
    /// clocks, how many changes came from a clock that was behind, and that nothing can change.
    pub fn header(&self) -> Result<views::AsOfHeader, SuhbatError> {
        Ok(self.header.clone())
    }

    /// Persons matching `query` then, in either script; all when blank.
    pub fn person_list(&self, query: String) -> Result<views::PersonList, SuhbatError> {
        self.run(|store, ctx| views::person_list(store, ctx, &query))
    }

    /// The worklist as it stood then (overdue as of that time).
    pub fn worklist(&self) -> Result<views::Worklist, SuhbatError> {
        self.run(views::worklist)
    }

    /// The cooperation requests then, with their states then.
    pub fn referral_list(&self) -> Result<views::ReferralList, SuhbatError> {
        self.run(views::referral_list)
    }

    /// One registry book (`form1` or `form2`) for a year, as it stood then.
    pub fn registry_book(&self, book: suhbat_core::Book, year: i32) -> Result<views::RegistryBook, SuhbatError> {
        self.run(|store, ctx| views::registry_book(store, ctx, book.as_str(), year))
    }

    /// The alphabetical book of a year, as it stood then.
    pub fn alphabetical_book(&self, year: i32) -> Result<views::AlphabeticalBook, SuhbatError> {
        self.run(|store, ctx| views::alphabetical_book(store, ctx, year))
    }

    /// The district report from `from` to `to` (`YYYY-MM-DD`) as it could be made then, of one
    /// mahalla when given.
    pub fn district_report(&self, from: String, to: String, mahalla: Option<String>) -> Result<views::Report, SuhbatError> {
        let (from, to) = (date(&from)?, date(&to)?);
        self.run(|store, ctx| views::district_report(store, ctx, from, to, mahalla.as_deref()))
    }

    /// That district report as CSV (RFC 4180).
    pub fn district_report_csv(&self, from: String, to: String, mahalla: Option<String>) -> Result<String, SuhbatError> {
        Ok(self.district_report(from, to, mahalla)?.to_csv())
    }

    /// Follow-up figures for follow-ups due from `from` to `to` (`YYYY-MM-DD`) as they stood then.
    pub fn effectiveness(&self, from: String, to: String, mahalla: Option<String>) -> Result<views::Effectiveness, SuhbatError> {
        let (from, to) = (date(&from)?, date(&to)?);
        self.run(|store, ctx| views::effectiveness(store, ctx, from, to, mahalla.as_deref()))
    }

    /// Incidents per mahalla and month over the `months` (6 to 36) before that time.
    pub fn incident_trends(&self, months: u32) -> Result<views::IncidentTrends, SuhbatError> {
        self.run(|store, ctx| views::incident_trends(store, ctx, months))
    }

    /// The conflicts that were open then.
    pub fn conflicts(&self) -> Result<views::ConflictList, SuhbatError> {
        self.run(views::conflict_list)
    }
}

#[cfg(test)]
mod tests {
    use crate::reassign_tests::Keys;
    use crate::{Suhbat, SuhbatError};
    use std::sync::Arc;
    use suhbat_core::{DeviceProfile, Error, Locale, Role};

    #[test]
    fn the_apps_read_lists_and_reports_as_of_a_date_and_cannot_change_them() {
        let dir = std::env::temp_dir().join(format!("suhbat-as-of-{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()));
        std::fs::create_dir_all(&dir).unwrap();
        let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        let app = Suhbat::create(dir.join("d.db").display().to_string(), Arc::new(Keys::default()), profile, None).unwrap();
        app.add_sample_data(5, 4).unwrap();
        let persons = app.person_list(String::new()).unwrap().rows.len();
        assert!(persons > 0);

        let past = app.as_of("2000-01-01".into()).unwrap();
        assert!(past.person_list(String::new()).unwrap().rows.is_empty(), "nothing existed in 2000");
        let header = past.header().unwrap();
        assert!(header.title.contains("2000"), "{header:?}");
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        let now = app.as_of(tomorrow).unwrap();
        assert_eq!(now.person_list(String::new()).unwrap().rows.len(), persons);
        let (from, to) = ("2025-01-01".to_string(), "2026-12-31".to_string());
        assert_eq!(now.district_report(from.clone(), to.clone(), None).unwrap(), app.district_report(from, to, None).unwrap());
        assert!(matches!(app.as_of("yesterday".into()), Err(SuhbatError::BadInput(_))));
        // A write that reached the core would come back translated.
        let refused = SuhbatError::from_core(Error::ReadOnly { at: "2026-03-03T18:59:59.999+00:00".into() }, Locale::Ru);
        assert!(matches!(&refused, SuhbatError::ReadOnly(text) if text.contains("2026-03-03 18:59") && text.contains("нельзя")), "{refused:?}");
        drop((past, now, app));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
