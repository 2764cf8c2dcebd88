//! The duplicates screen: pairs of persons that are probably the same person, with the
//! reasons, and the merge / undo-merge actions (see [`Store::merge_persons`]).

use super::forms::display_name;
use super::labels::{self, or_dash, text};
use super::persons::{person_detail, PersonDetail};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{Person, RecordKind};
use crate::store::{ListQuery, Store};

view_types! { $ duplicate_view_types;

    /// One person of a duplicate pair.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DuplicatePerson {
        /// Record id.
        pub id: String,
        /// Name in the locale's script.
        pub name: String,
        /// Birth date, localized.
        pub birth_date: String,
        /// Address on one line ("—" when blank).
        pub address: String,
        /// "Conversations: 2".
        pub history_label: String,
    }

    /// Two persons that look like the same person.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DuplicateRow {
        /// The person suggested to keep (registered first).
        pub keep: DuplicatePerson,
        /// The person suggested to merge into `keep`.
        pub duplicate: DuplicatePerson,
        /// Why they look alike, localized ("Same name and birth date").
        pub reasons: Vec<String>,
        /// Label of the "Merge" button.
        pub merge_label: String,
    }

    /// The duplicates screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DuplicateList {
        /// Screen title.
        pub title: String,
        /// What merging does (nothing is deleted, it can be undone).
        pub hint: String,
        /// "Pairs: 2".
        pub count_label: String,
        /// Candidate pairs, by the name of the person to keep.
        pub rows: Vec<DuplicateRow>,
        /// Shown when there is no candidate.
        pub empty_text: String,
    }
}

fn person_view(store: &mut Store, ctx: &ViewContext, id: &RecordId) -> Result<DuplicatePerson> {
    let locale = ctx.locale;
    let person = store.get::<Person>(id)?.record;
    let talks =
        store.list(&ListQuery { kind: Some(RecordKind::Conversation), linked_to: Some(id.to_string()), limit: Some(u32::MAX), ..Default::default() })?.len();
    Ok(DuplicatePerson {
        id: id.to_string(),
        name: display_name(locale, &person),
        birth_date: labels::date(locale, person.birth_date),
        address: or_dash(locale, &labels::in_script(locale, &person.address.line())),
        history_label: i18n::render(locale, "duplicates.history", &[("count", talks.to_string())]),
    })
}

/// Likely duplicate persons (of one mahalla, or all), with the reasons in the locale's language.
pub fn duplicate_list(store: &mut Store, ctx: &ViewContext, mahalla: Option<&str>) -> Result<DuplicateList> {
    let locale = ctx.locale;
    let mut rows = Vec::new();
    for pair in store.find_duplicates(mahalla)? {
        rows.push(DuplicateRow {
            keep: person_view(store, ctx, &pair.first)?,
            duplicate: person_view(store, ctx, &pair.second)?,
            reasons: pair.reasons.iter().map(|r| text(locale, r.catalog_key())).collect(),
            merge_label: text(locale, "action.merge"),
        });
    }
    Ok(DuplicateList {
        title: text(locale, "screen.duplicates"),
        hint: text(locale, "duplicates.hint"),
        count_label: i18n::render(locale, "duplicates.count", &[("count", rows.len().to_string())]),
        rows,
        empty_text: text(locale, "duplicates.empty"),
    })
}

fn parse_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

/// Merges `duplicate` into `keep` ([`Store::merge_persons`]) and returns the survivor's card,
/// which now lists the histories of both.
pub fn merge_persons(store: &mut Store, ctx: &ViewContext, keep: &str, duplicate: &str) -> Result<PersonDetail> {
    store.merge_persons(&parse_id(keep)?, &parse_id(duplicate)?)?;
    person_detail(store, ctx, keep)
}

/// Undoes a merge ([`Store::unmerge_person`]) and returns the duplicate's card, as it was
/// before the merge.
pub fn unmerge_person(store: &mut Store, ctx: &ViewContext, duplicate: &str) -> Result<PersonDetail> {
    store.unmerge_person(&parse_id(duplicate)?)?;
    person_detail(store, ctx, duplicate)
}
