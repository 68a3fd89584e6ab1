//! A case's standing in the review loop: what a reviewer decided, and what that makes of
//! the case in a later run. The store keeps them; every output shows them.

use serde::{Deserialize, Serialize};
use strum_macros::IntoStaticStr;

/// What a reviewer decided.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, IntoStaticStr, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Decision {
    /// The household holds the asset: the lead is true.
    Confirmed,
    /// The lead is wrong (another person, an asset already gone): not proposed again while
    /// its evidence stays the same.
    Dismissed,
    /// A home visit must settle it.
    NeedsVisit,
}

/// A case's standing in a run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, IntoStaticStr, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CaseStatus {
    /// Never proposed before.
    New,
    /// Proposed before, not decided.
    Open,
    /// Decided, but on other evidence: a person must look again.
    Changed,
    /// Confirmed on this very evidence.
    Confirmed,
    /// Marked for a visit on this very evidence.
    NeedsVisit,
    /// Dismissed on this very evidence: listed, never proposed as work.
    Suppressed,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The word reports use.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Confirmed => "属实",
            Self::Dismissed => "不属实",
            Self::NeedsVisit => "待入户核查",
        }
    }
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The word reports and worksheets use.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::New => "新增",
            Self::Open => "待核实",
            Self::Changed => "证据已变，须重新核实",
            Self::Confirmed => "已核实属实",
            Self::NeedsVisit => "待入户核查",
            Self::Suppressed => "已核实不属实（不再列入工作）",
        }
    }

    /// The status of a case given the last decision on it, if any, and the evidence hash of
    /// this run's version.
    pub fn of(seen: bool, last: Option<(Decision, &str)>, hash: &str) -> Self {
        match last {
            None if seen => Self::Open,
            None => Self::New,
            Some((_, on)) if on != hash => Self::Changed,
            Some((Decision::Confirmed, _)) => Self::Confirmed,
            Some((Decision::NeedsVisit, _)) => Self::NeedsVisit,
            Some((Decision::Dismissed, _)) => Self::Suppressed,
        }
    }
}
