//! Lists and reports as they stood at a past time: [`as_of`] turns a date typed by the user
//! into a read-only store of the records then ([`Store::as_of`]), with the context every view
//! takes on it and a header that says which time it shows and how the devices' clocks placed
//! the changes (a clock that was behind is shown, not hidden). Every list and report view
//! (`person_list`, `worklist`, `district_report`, `effectiveness`, `registry_book`, …) reads
//! the store unchanged.

use super::history::parse_at;
use super::labels::{self, text};
use super::ViewContext;
use crate::error::Result;
use crate::i18n;
use crate::store::Store;

view_types! { $ as_of_view_types;

    /// What a screen shows above lists and reports of the records as they stood at a past time.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AsOfHeader {
        /// "As of 03.03.2026 23:59".
        pub title: String,
        /// That times are the clocks of the devices that made the changes.
        pub clocks_note: String,
        /// Changes dated earlier than a change they build on (a device's clock was behind).
        pub clock_behind: u32,
        /// Says how many and that they are placed by the time they carry (empty when none).
        pub clock_note: String,
        /// Changes dated by then but left out: they build on a change dated later.
        pub held_back: u32,
        /// Says how many (empty when none).
        pub held_back_note: String,
        /// That nothing can be changed in a view of the past.
        pub read_only_note: String,
    }
}

/// The records as they stood at a past time: a read-only store, the context to read it with
/// (its `now` is that time, or the present for a time still to come) and the header to show.
pub struct AsOfStore {
    /// The store of the records then; every list and report view reads it.
    pub store: Store,
    /// The context of its views: the caller's language and offset, at the time shown.
    pub ctx: ViewContext,
    /// What to show above its lists and reports.
    pub header: AsOfHeader,
}

/// The records as they stood at `at`: a local date (`2026-03-03`, the end of that day) or a
/// local date and time (`2026-03-03 14:30`), parsed as [`record_as_of`](super::record_as_of)
/// does (anything else is a translated `BadInput`).
pub fn as_of(store: &mut Store, ctx: &ViewContext, at: &str) -> Result<AsOfStore> {
    let when = parse_at(ctx, at)?;
    let then = store.as_of(when)?;
    let header = as_of_header(&then, ctx).unwrap_or_else(|| header_of(ctx, when, 0, 0));
    Ok(AsOfStore { store: then, ctx: ctx.at(when.min(ctx.now)), header })
}

/// The header of a store made by [`Store::as_of`] (`None` for a device's own store).
pub fn as_of_header(store: &Store, ctx: &ViewContext) -> Option<AsOfHeader> {
    store.as_of_report().map(|r| header_of(ctx, r.at, r.clock_behind, r.held_back))
}

fn header_of(ctx: &ViewContext, at: chrono::DateTime<chrono::Utc>, clock_behind: usize, held_back: usize) -> AsOfHeader {
    let locale = ctx.locale;
    let count = |key: &str, n: usize| if n == 0 { String::new() } else { i18n::render(locale, key, &[("count", n.to_string())]) };
    AsOfHeader {
        title: i18n::render(locale, "record_history.as_of", &[("date", labels::datetime(ctx, at))]),
        clocks_note: text(locale, "record_history.clocks"),
        clock_behind: u32::try_from(clock_behind).unwrap_or(u32::MAX),
        clock_note: count("as_of.clock_behind", clock_behind),
        held_back: u32::try_from(held_back).unwrap_or(u32::MAX),
        held_back_note: count("as_of.held_back", held_back),
        read_only_note: text(locale, "as_of.read_only"),
    }
}
