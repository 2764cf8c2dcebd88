//! The demo's step of the practice with families: a member of the seven runs a parents' school
//! (a joint programme) offline; the inspector sees its attendance after a sync.

use crate::demo::{ok, sync, Phone};
use anyhow::{bail, Result};
use suhbat_core::views::{self, Cell, NewProgramme, NewProgrammeOrganiser, ViewContext};
use suhbat_core::Locale;
use suhbat_hub::HubClient;

/// Phones of the demo, by index.
const AZIZ: usize = 0;
const DILNOZA: usize = 2;

/// Dilnoza (the seven) records a parents' school with two families and its first session,
/// offline; after both sync, Aziz reads the programme's attendance.
pub(crate) fn parents_school(phones: &mut [Phone], client: &HubClient, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    let today = ctx.today().to_string();
    let seven = &mut phones[DILNOZA].store;
    let new = NewProgramme {
        title: "Parents' school".into(),
        mahalla: "Navbahor".into(),
        starts_on: today.clone(),
        ends_on: String::new(),
        organisers: vec![
            NewProgrammeOrganiser { name: "Dilnoza".into(), kind: "seven_member".into() },
            NewProgrammeOrganiser { name: "School 141".into(), kind: "school".into() },
        ],
    };
    let id = views::add_programme(seven, &new)?;
    for family in ["Yusupovlar", "Karimovlar"] {
        views::add_programme_family(seven, &id, family, None)?;
    }
    let session = views::add_programme_session(seven, &id, &today, "Listening to your child", None)?;
    views::record_programme_attendance(seven, &id, &session, &["Yusupovlar".into()])?;
    println!("   - Dilnoza (the seven), offline, starts a parents' school with two families; one comes to the first session");
    sync(&mut phones[DILNOZA], client)?;
    sync(&mut phones[AZIZ], client)?;
    let report = views::programme_report(&mut phones[AZIZ].store, &ctx, &id)?;
    let total = report.sections.first().and_then(|s| s.rows.last()).map(|row| row.iter().map(Cell::display).collect::<Vec<_>>().join(" "));
    let Some(total) = total else { bail!("Aziz does not see the programme's attendance") };
    ok(format!("{} — Aziz sees the attendance across sessions: {total}", report.title));
    Ok(())
}
