//! The person list with script-insensitive search, and a person's card with the history of
//! conversations and the parent cases they are part of (its own and those of duplicates merged
//! into it).

use super::forms::display_name;
use super::labels::{self, field_label, or_dash, text};
use super::risk::Weights;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{Conversation, ParentCase, Person, RecordKind};
use crate::store::{AccessKind, ListQuery, Store};

/// Most rows a search shows.
const LIST_LIMIT: u32 = 200;

view_types! { $ person_view_types;

    /// One person in the list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PersonRow {
        /// Record id.
        pub id: String,
        /// Name in the locale's script.
        pub name: String,
        /// "born 2008 · Navbahor".
        pub subtitle: String,
        /// Open conflicts on the record.
        pub conflicts: u32,
        /// "Conflicts: 1" when there are any.
        pub badge: Option<String>,
    }

    /// The person list screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PersonList {
        /// Screen title.
        pub title: String,
        /// The search text shown.
        pub query: String,
        /// Placeholder of the search box.
        pub search_hint: String,
        /// "Found: 3".
        pub count_label: String,
        /// Matching persons by name.
        pub rows: Vec<PersonRow>,
        /// Shown when nobody matches.
        pub empty_text: String,
        /// Label of the "Add person" button.
        pub add_label: String,
    }

    /// A label and a value.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DetailRow {
        /// Label.
        pub label: String,
        /// Value ("—" when empty).
        pub value: String,
    }

    /// A titled group of rows.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DetailSection {
        /// Section title.
        pub title: String,
        /// Rows.
        pub rows: Vec<DetailRow>,
    }

    /// One conversation in a person's history.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HistoryRow {
        /// Conversation id.
        pub conversation_id: String,
        /// Local date and time.
        pub when: String,
        /// Kind of conversation.
        pub kind_label: String,
        /// Place.
        pub place: String,
        /// Topics, comma-separated.
        pub topics: String,
        /// "Next follow-up: 01.11.2025", if set.
        pub follow_up: Option<String>,
        /// Open conflicts on the conversation.
        pub conflicts: u32,
    }

    /// A parent case a person is a guardian in.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CaseLink {
        /// Case id.
        pub case_id: String,
        /// Guardians' names.
        pub title: String,
        /// Stage or "Closed".
        pub status_label: String,
    }

    /// A duplicate merged into the person shown (its history is part of the card).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MergedPerson {
        /// The duplicate's record id.
        pub id: String,
        /// Name in the locale's script.
        pub name: String,
        /// Label of the "Undo merge" button.
        pub unmerge_label: String,
    }

    /// The person card screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PersonDetail {
        /// Record id.
        pub id: String,
        /// Screen title.
        pub title: String,
        /// Name in the locale's script.
        pub name: String,
        /// "Age: 17 (02.04.2008)".
        pub subtitle: String,
        /// Identity, address, registration, social environment, family, notes.
        pub sections: Vec<DetailSection>,
        /// "Risk score: 5".
        pub risk_label: String,
        /// Reasons of the risk score, heaviest first.
        pub risk_reasons: Vec<String>,
        /// Title of the history section.
        pub history_title: String,
        /// Conversations, latest first.
        pub history: Vec<HistoryRow>,
        /// Shown when there is no conversation yet.
        pub history_empty: String,
        /// Title of the cases section.
        pub cases_title: String,
        /// Parent cases the person is a guardian in.
        pub cases: Vec<CaseLink>,
        /// Open conflicts on the person's record.
        pub conflicts: u32,
        /// Label of the "Edit" button.
        pub edit_label: String,
        /// Label of the "Add conversation" button.
        pub new_conversation_label: String,
        /// The person this one was merged into (this card is then a duplicate's).
        pub merged_into: Option<String>,
        /// "Merged into …" or "History includes merged records: …", when merged.
        pub merge_note: Option<String>,
        /// Duplicates merged into this person; their conversations and cases are listed too.
        pub merged_persons: Vec<MergedPerson>,
    }
}

/// Persons whose names or addresses contain every word of `query`, in either script
/// ("Кодиров" finds "Qodirov"), then those whose names match it however an officer spells
/// them (Ташматов for Тошматов, Bakhtiyor for Baxtiyor, passport Latin, one typo in a long
/// name), closest first ([`Store::search_persons`]); every person when the query is blank.
pub fn person_list(store: &Store, ctx: &ViewContext, query: &str) -> Result<PersonList> {
    let locale = ctx.locale;
    let text_query = Some(query.trim().to_string()).filter(|q| !q.is_empty());
    let found = store.search_persons(&ListQuery { kind: Some(RecordKind::Person), text: text_query, limit: Some(LIST_LIMIT), ..Default::default() })?;
    let rows: Vec<PersonRow> = found
        .into_iter()
        .map(|row| {
            let mahalla = labels::scope_name(&row.scope);
            let subtitle = match row.birth_year {
                Some(year) => i18n::render(locale, "persons.subtitle", &[("year", year.to_string()), ("mahalla", labels::in_script(locale, &mahalla))]),
                None => labels::in_script(locale, &mahalla),
            };
            PersonRow {
                name: labels::in_script(locale, &row.title),
                subtitle,
                badge: (row.conflicts > 0).then(|| i18n::render(locale, "badge.conflicts", &[("count", row.conflicts.to_string())])),
                conflicts: row.conflicts,
                id: row.record_id,
            }
        })
        .collect();
    Ok(PersonList {
        title: text(locale, "screen.persons"),
        query: query.to_string(),
        search_hint: text(locale, "action.search"),
        count_label: i18n::render(locale, "persons.count", &[("count", rows.len().to_string())]),
        rows,
        empty_text: text(locale, "persons.empty"),
        add_label: text(locale, "action.new_person"),
    })
}

fn row(ctx: &ViewContext, path: &str, value: &str) -> DetailRow {
    DetailRow { label: field_label(ctx.locale, path), value: or_dash(ctx.locale, value) }
}

fn sections(ctx: &ViewContext, p: &Person) -> Vec<DetailSection> {
    let locale = ctx.locale;
    let section = |key: &str, rows: Vec<DetailRow>| DetailSection { title: labels::capitalize(&text(locale, key)), rows };
    let family = p
        .family
        .values()
        .map(|m| {
            let value = if m.lives_with { text(locale, "family.lives_with") } else { text(locale, "value.empty") };
            DetailRow { label: i18n::render(locale, "family.member", &[("name", m.name.clone()), ("relation", m.relation.clone())]), value }
        })
        .collect();
    vec![
        section(
            "section.identity",
            vec![
                row(ctx, "name_latn", &p.name_latn.full()),
                row(ctx, "name_cyrl", &p.name_cyrl.full()),
                row(ctx, "birth_date", &labels::date(locale, p.birth_date)),
                row(ctx, "categories", &labels::labels_of(locale, "category", p.categories.iter()).join(", ")),
            ],
        ),
        section(
            "field.address",
            vec![
                row(ctx, "region", &p.address.region),
                row(ctx, "district", &p.address.district),
                row(ctx, "mahalla", &p.address.mahalla),
                row(ctx, "street", &p.address.street),
                row(ctx, "house", &p.address.house),
            ],
        ),
        section("section.register", vec![row(ctx, "registered_on", &labels::date(locale, p.registered_on)), row(ctx, "inspector", &p.inspector)]),
        section(
            "field.environment",
            vec![
                row(ctx, "household", &p.environment.household),
                row(ctx, "school_or_work", &p.environment.school_or_work),
                row(ctx, "friends", &p.environment.friends),
            ],
        ),
        section("field.family", family),
        section("field.notes", vec![row(ctx, "notes", &p.notes)]),
    ]
}

/// A person's card: details, risk with its reasons, conversations (latest first) and cases.
pub fn person_detail(store: &mut Store, ctx: &ViewContext, id: &str) -> Result<PersonDetail> {
    let locale = ctx.locale;
    let rid = RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))?;
    let stored = store.get::<Person>(&rid)?;
    store.record_access(&rid, AccessKind::View)?;
    let person = stored.record;
    // A survivor's card shows the history of every duplicate merged into it; the records
    // stay linked to the person they were recorded for.
    let group = store.merged_group(&rid)?;
    let mut linked = Vec::new();
    for member in &group {
        linked.extend(store.list(&ListQuery { linked_to: Some(member.to_string()), limit: Some(u32::MAX), ..Default::default() })?);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut talks = Vec::new();
    let mut cases = Vec::new();
    for link in linked {
        if !seen.insert(link.record_id.clone()) {
            continue;
        }
        let Some(link_id) = RecordId::parse(&link.record_id) else { continue };
        match link.kind {
            RecordKind::Conversation => talks.push((store.get::<Conversation>(&link_id)?, link.conflicts)),
            RecordKind::ParentCase => {
                let case = store.get::<ParentCase>(&link_id)?.record;
                let status_label = match case.status {
                    crate::model::CaseStatus::Open => labels::choice_label(locale, "stage", &case.stage),
                    crate::model::CaseStatus::Closed => labels::choice_label(locale, "case_status", &case.status),
                };
                cases.push(CaseLink { case_id: link.record_id, title: labels::in_script(locale, &link.title), status_label });
            }
            RecordKind::Person | RecordKind::Referral | RecordKind::Application | RecordKind::JointEvent | RecordKind::Programme | RecordKind::Training => {}
        }
    }
    talks.sort_by_key(|(t, _)| std::cmp::Reverse(t.record.started_at));
    let history = talks
        .into_iter()
        .map(|(stored, conflicts)| {
            let t = stored.record;
            HistoryRow {
                conversation_id: t.id.to_string(),
                when: labels::datetime(ctx, t.started_at),
                kind_label: labels::choice_label(locale, "conversation_kind", &t.kind),
                place: t.place.clone(),
                topics: t.topics.iter().cloned().collect::<Vec<_>>().join(", "),
                follow_up: t.next_follow_up.map(|d| i18n::render(locale, "history.follow_up", &[("date", labels::date(locale, d))])),
                conflicts,
            }
        })
        .collect();
    let name_of = |store: &mut Store, id: &RecordId| store.get::<Person>(id).map(|p| display_name(locale, &p.record)).unwrap_or_else(|_| id.to_string());
    let merged_persons: Vec<MergedPerson> =
        group[1..].iter().map(|id| MergedPerson { id: id.to_string(), name: name_of(store, id), unmerge_label: text(locale, "action.unmerge") }).collect();
    let merge_note = match &person.merged_into {
        Some(into) => Some(i18n::render(locale, "person.merged_into", &[("name", name_of(store, into))])),
        None if !merged_persons.is_empty() => {
            let names: Vec<&str> = merged_persons.iter().map(|m| m.name.as_str()).collect();
            Some(i18n::render(locale, "person.merged_from", &[("names", names.join(", "))]))
        }
        None => None,
    };
    let (score, reasons) = Weights::load(store)?.score(locale, &person.risk_factors);
    let age = person.age_on(ctx.today());
    Ok(PersonDetail {
        id: person.id.to_string(),
        title: text(locale, "screen.person"),
        name: display_name(locale, &person),
        subtitle: i18n::render(locale, "person.age", &[("age", age.to_string()), ("date", labels::date(locale, person.birth_date))]),
        sections: sections(ctx, &person),
        risk_label: i18n::render(locale, "risk.score", &[("score", score.to_string())]),
        risk_reasons: reasons,
        history_title: text(locale, "section.history"),
        history,
        history_empty: text(locale, "history.empty"),
        cases_title: text(locale, "section.cases"),
        cases,
        conflicts: stored.conflicts.len() as u32,
        edit_label: text(locale, "action.edit"),
        new_conversation_label: text(locale, "action.new_conversation"),
        merged_into: person.merged_into.as_ref().map(RecordId::to_string),
        merge_note,
        merged_persons,
    })
}
