//! The parent case as the practice works it: its legal ground, and the actions that record it.

use super::form::Choice;
use super::labels::{self, parse_choice};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::ids::RecordId;
use crate::model::{LegalBasis, LegalGround, ParentCase};
use crate::store::Store;

pub(super) fn case_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

/// The laws and resolutions to pick a legal ground from (the catalog's list).
pub fn legal_ground_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "legal_ground", &LegalGround::ALL)
}

/// A legal basis in words: the acts' labels, then the details typed.
pub(crate) fn legal_basis_lines(locale: Locale, basis: &LegalBasis) -> Vec<String> {
    let mut lines = labels::labels_of(locale, "legal_ground", basis.grounds.iter());
    if !basis.details.trim().is_empty() {
        lines.push(basis.details.trim().to_string());
    }
    lines
}

/// Reads legal grounds typed by their stable names (`prevention_of_offences`).
pub(crate) fn parse_grounds(grounds: &[String]) -> Result<Vec<LegalGround>> {
    grounds.iter().map(|g| parse_choice("legal_basis/grounds", g)).collect()
}

/// Records the legal ground of a case: acts from [`legal_ground_choices`] (added to those
/// recorded) and the details in words (replacing them when not empty). "Other" needs details.
pub fn set_case_legal_basis(store: &mut Store, id: &str, grounds: &[String], details: &str) -> Result<()> {
    let rid = case_id(id)?;
    let grounds = parse_grounds(grounds)?;
    let details = details.trim().to_string();
    store
        .update::<ParentCase>(&rid, |case| {
            case.legal_basis.grounds.extend(grounds);
            if !details.is_empty() {
                case.legal_basis.details = details;
            }
        })
        .map(|_| ())
}
