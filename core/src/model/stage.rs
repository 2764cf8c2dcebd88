//! SARA stages of a parent case and the rule on moving between them: forward one stage at a
//! time, back only with a reason. Every move is recorded (who, when, from, to, why) in a map
//! keyed by item id, so moves made on two phones merge instead of colliding.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// SARA problem-solving stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaraStage {
    /// Finding and describing the problem.
    #[default]
    Scanning,
    /// Understanding its causes.
    Analysis,
    /// Planning and giving help.
    Response,
    /// Checking whether it worked.
    Assessment,
}

impl SaraStage {
    /// All stages, in order.
    pub const ALL: [SaraStage; 4] = [SaraStage::Scanning, SaraStage::Analysis, SaraStage::Response, SaraStage::Assessment];

    /// Stable text form (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            SaraStage::Scanning => "scanning",
            SaraStage::Analysis => "analysis",
            SaraStage::Response => "response",
            SaraStage::Assessment => "assessment",
        }
    }

    /// The catalog key of the stage's label (`stage.analysis`).
    pub fn label_key(self) -> String {
        format!("stage.{}", self.as_str())
    }

    /// The stage after this one, if any.
    pub fn next(self) -> Option<SaraStage> {
        SaraStage::ALL.get(self as usize + 1).copied()
    }
}

/// A recorded move of a case from one SARA stage to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageChange {
    /// Stage before the move.
    pub from: SaraStage,
    /// Stage after the move.
    pub to: SaraStage,
    /// Why the case moved back (required then; may be empty for a move forward).
    pub reason: String,
    /// Who moved it.
    pub by: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

impl Default for StageChange {
    fn default() -> Self {
        StageChange { from: SaraStage::Scanning, to: SaraStage::Scanning, reason: String::new(), by: String::new(), at: DateTime::<Utc>::UNIX_EPOCH }
    }
}

/// The catalog key of the rule a move from `from` to `to` with `reason` breaks, if any.
pub fn stage_move_rule(from: SaraStage, to: SaraStage, reason: &str) -> Option<&'static str> {
    if to > from && from.next() != Some(to) {
        Some("validation.stage_skip")
    } else if to < from && reason.trim().is_empty() {
        Some("validation.stage_back_needs_reason")
    } else {
        None
    }
}

/// The parameters of a stage-move message: both stages as catalog keys (shown translated).
pub(crate) fn move_params(from: SaraStage, to: SaraStage) -> Vec<(&'static str, String)> {
    vec![("from", from.label_key()), ("to", to.label_key())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use SaraStage::*;

    #[test]
    fn forward_one_step_back_with_a_reason() {
        assert_eq!(stage_move_rule(Scanning, Analysis, ""), None);
        assert_eq!(stage_move_rule(Response, Assessment, ""), None);
        assert_eq!(stage_move_rule(Scanning, Response, ""), Some("validation.stage_skip"));
        assert_eq!(stage_move_rule(Scanning, Assessment, "because"), Some("validation.stage_skip"));
        assert_eq!(stage_move_rule(Response, Analysis, "  "), Some("validation.stage_back_needs_reason"));
        assert_eq!(stage_move_rule(Assessment, Scanning, "new facts"), None);
        assert_eq!(stage_move_rule(Analysis, Analysis, ""), None);
    }
}
