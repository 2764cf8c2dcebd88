//! Realistic sample records from a seeded generator: for the demo, benchmarks and tests.

use crate::ids::{new_item_id, RecordId};
use crate::model::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

const LAST: &[&str] = &["Karimov", "Qodirov", "G‘afurov", "Yusupov", "Xo‘jayev", "Rahimov", "Tursunov", "Sobirov", "Ergashev", "O‘ktamov"];
const FIRST: &[&str] = &["Jasur", "Sherzod", "Aziz", "Bekzod", "Dilshod", "Otabek", "Sardor", "Javohir", "Ulug‘bek", "Shoxrux"];
const FATHER: &[&str] = &["Alisher o‘g‘li", "Baxtiyor o‘g‘li", "Rustam o‘g‘li", "Anvar o‘g‘li", ""];
const STREETS: &[&str] = &["Bunyodkor", "Qatortol", "Muqimiy", "Navoiy", "Shota Rustaveli"];
const TOPICS: &[&str] = &["school attendance", "family conflict", "online gambling", "employment", "legal responsibility"];

/// A seeded generator of sample records.
pub struct SampleData {
    rng: StdRng,
}

impl SampleData {
    /// A generator; the same seed gives the same records (apart from their fresh ids).
    pub fn new(seed: u64) -> Self {
        SampleData { rng: StdRng::seed_from_u64(seed) }
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.choose(&mut self.rng).copied().unwrap_or_default()
    }

    fn date(&mut self, from: NaiveDate, span_days: i64) -> NaiveDate {
        from + Duration::days(self.rng.gen_range(0..span_days.max(1)))
    }

    /// A person registered in `mahalla` in `year`.
    pub fn person(&mut self, mahalla: &str, year: i32) -> Person {
        let name = PersonName { last: self.pick(LAST).into(), first: self.pick(FIRST).into(), patronymic: self.pick(FATHER).into() };
        let birth = self.date(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default(), 365 * 18);
        let registered = self.date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(), 300);
        let factors: BTreeSet<RiskFactor> = RiskFactor::ALL.iter().filter(|_| self.rng.gen_bool(0.25)).copied().collect();
        Person {
            attachments: Default::default(),
            id: RecordId::new(),
            name_cyrl: name.map(crate::text::latn_to_cyrl),
            name_latn: name,
            birth_date: birth,
            address: Address {
                region: "Toshkent shahri".into(),
                district: "Chilonzor".into(),
                mahalla: mahalla.into(),
                street: self.pick(STREETS).into(),
                house: format!("{}-uy", self.rng.gen_range(1..120)),
            },
            categories: BTreeSet::from([RegisterCategory::Minor]),
            risk_factors: factors,
            family: BTreeMap::from([(new_item_id(), FamilyMember { relation: "mother".into(), name: "Nodira".into(), lives_with: true })]),
            environment: SocialEnvironment { household: "mother, two sisters".into(), school_or_work: "school 141".into(), friends: String::new() },
            inspector: "Aziz Karimov".into(),
            registered_on: registered,
            notes: "Registered after a school report.".into(),
            merged_into: None,
            merged_from: BTreeSet::new(),
        }
    }

    /// A conversation with `person` held in `year`.
    pub fn conversation(&mut self, person: &Person, year: i32) -> Conversation {
        let day = self.date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(), 300);
        let started = Utc.from_utc_datetime(&day.and_hms_opt(10, self.rng.gen_range(0..59), 0).unwrap_or_default());
        Conversation {
            attachments: Default::default(),
            follow_ups: BTreeMap::new(),
            id: RecordId::new(),
            person_ids: BTreeSet::from([person.id.clone()]),
            participants: BTreeMap::from([(new_item_id(), Participant { role: ParticipantRole::Parent, name: "Nodira".into() })]),
            mahalla: person.address.mahalla.clone(),
            place: format!("{} street, home", self.pick(STREETS)),
            gps: Some(GeoPoint { lat: 41.28 + self.rng.gen_range(0.0..0.02), lon: 69.2 + self.rng.gen_range(0.0..0.02) }),
            started_at: started,
            ended_at: Some(started + Duration::minutes(40)),
            kind: ConversationKind::Individual,
            topics: BTreeSet::from([self.pick(TOPICS).to_string()]),
            risk_factors_observed: person.risk_factors.clone(),
            techniques: BTreeSet::from([Technique::ActiveListening, Technique::OpenQuestions]),
            channel: ContactChannel::InPerson,
            partners: BTreeSet::from([Partner::School]),
            consequences_explained: "Administrative liability explained.".into(),
            agreed_actions: BTreeMap::from([(
                new_item_id(),
                AgreedAction { text: "Attend school daily".into(), due: Some(day + Duration::days(14)), done: false },
            )]),
            next_follow_up: Some(day + Duration::days(30)),
            notes: "Calm, listened, agreed to return to school.".into(),
            consent_note: "Verbal consent of the mother.".into(),
            consent_by: Some(ConsentGiver::Parent),
            legal_basis: LegalBasis { grounds: BTreeSet::from([LegalGround::PreventionOfOffences]), details: String::new() },
            inspector: "Aziz Karimov".into(),
        }
    }

    /// A parent case in `mahalla` opened in `year`.
    pub fn parent_case(&mut self, mahalla: &str, year: i32) -> ParentCase {
        let opened = self.date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(), 300);
        let last = self.pick(LAST);
        ParentCase {
            attachments: Default::default(),
            id: RecordId::new(),
            mahalla: mahalla.into(),
            guardians: BTreeMap::from([(new_item_id(), Guardian { person_id: None, name: format!("{last} {}", self.pick(FIRST)), relation: "father".into() })]),
            children: BTreeMap::from([(
                new_item_id(),
                Child {
                    name: format!("{last} Madina"),
                    birth_date: NaiveDate::from_ymd_opt(2013, 5, 4),
                    school: "school 141, 6th form".into(),
                    situation: "misses school".into(),
                    ..Default::default()
                },
            )]),
            concern: "The children miss school; the father drinks.".into(),
            stage: SaraStage::Scanning,
            stage_changes: BTreeMap::new(),
            sara: SaraContent { scanning: "School reports 30 missed days.".into(), ..Default::default() },
            tasks: BTreeMap::new(),
            status: CaseStatus::Open,
            outcome: String::new(),
            opened_on: opened,
            inspector: "Aziz Karimov".into(),
            notes: String::new(),
            legal_basis: LegalBasis { grounds: BTreeSet::from([LegalGround::NeglectOfMinors]), details: "Art. 8".into() },
            indicators: BTreeMap::from([(
                new_item_id(),
                Indicator { kind: IndicatorKind::Truancy, observed_on: Some(opened), resolved_on: None, note: "30 missed days".into() },
            )]),
            help_given: BTreeMap::new(),
        }
    }
}
