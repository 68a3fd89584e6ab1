//! How sure hedui is: of a link between a department row and a member, and of a candidate.
//!
//! The words are written in every output and read back from previous runs, so each is
//! defined here once, by the serde and strum spellings of the variants; no other code
//! spells or compares them as text.

use serde::{Deserialize, Serialize};
use strum_macros::IntoStaticStr;

/// How sure matching is that a department row's holder is a member.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LinkBand {
    /// The same person.
    Link,
    /// Perhaps the same person: a person must look.
    Review,
}

/// How sure a candidate is. Anything resting on a review-band link, or on a value the
/// policy cannot judge, is `Review`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CandidateBand {
    /// A lead for a person to verify.
    Candidate,
    /// Uncertain: verify with particular care.
    Review,
}

impl LinkBand {
    /// `Review` when `review`, else `Link`.
    pub fn of(review: bool) -> Self {
        if review { Self::Review } else { Self::Link }
    }

    /// The word outputs use.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The word reports use.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Link => "确认匹配",
            Self::Review => "待复核",
        }
    }
}

impl CandidateBand {
    /// `Review` when `review`, else `Candidate`.
    pub fn of(review: bool) -> Self {
        if review {
            Self::Review
        } else {
            Self::Candidate
        }
    }

    /// The word outputs use.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The word reports use.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Candidate => "线索",
            Self::Review => "待复核",
        }
    }
}

impl std::fmt::Display for LinkBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for CandidateBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_word_is_the_serde_word() {
        for band in [CandidateBand::Candidate, CandidateBand::Review] {
            let json = serde_json::to_string(&band).unwrap();
            assert_eq!(json, format!("\"{}\"", band.as_str()));
            assert_eq!(serde_json::from_str::<CandidateBand>(&json).unwrap(), band);
        }
        for band in [LinkBand::Link, LinkBand::Review] {
            let json = serde_json::to_string(&band).unwrap();
            assert_eq!(json, format!("\"{band}\""));
        }
        assert_eq!(CandidateBand::Candidate.as_str(), "candidate");
        assert_eq!(LinkBand::of(true), LinkBand::Review);
        assert!(serde_json::from_str::<CandidateBand>("\"maybe\"").is_err());
    }
}
