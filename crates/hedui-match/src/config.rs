//! Matching settings: the `[matching]` table of a run configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::params::ModelParameters;

/// How pairs are formed, scored and banded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchConfig {
    /// Posterior match probability at or above which a pair is a link.
    pub link_threshold: f64,
    /// Posterior probability at or above which a pair goes to human review.
    pub review_threshold: f64,
    /// When two members compete for one owner, the better one wins only if its weight leads
    /// by at least this many bits (a factor of 2^bits in likelihood); otherwise both go to
    /// review.
    pub margin_bits: f64,
    /// Blocks with more members than this are skipped (and reported) so one very common
    /// key cannot explode a run.
    pub max_block: usize,
    /// Random owner–member pairs drawn to estimate u-probabilities, per department.
    pub u_sample_pairs: usize,
    /// EM iterations for the m-probabilities, at most.
    pub em_max_iterations: usize,
    /// Seed for u sampling: fixed so runs are reproducible.
    pub seed: u64,
    /// Fixed parameters per department (`vehicle`, `licence`, `property`); when given for a
    /// department, estimation is skipped for it.
    pub parameters: BTreeMap<String, ModelParameters>,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            link_threshold: 0.99,
            review_threshold: 0.9,
            margin_bits: 5.0,
            max_block: 300,
            u_sample_pairs: 200_000,
            em_max_iterations: 60,
            seed: 20_261_128,
            parameters: BTreeMap::new(),
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    #[error("matching: {0}")]
    Config(String),
}

impl MatchConfig {
    /// Checks the thresholds make sense together.
    pub fn check(&self) -> Result<(), MatchError> {
        let unit = 0.0..=1.0;
        if !unit.contains(&self.link_threshold) || !unit.contains(&self.review_threshold) {
            return Err(MatchError::Config(
                "thresholds must be probabilities in [0, 1]".into(),
            ));
        }
        if self.review_threshold > self.link_threshold {
            return Err(MatchError::Config(format!(
                "review_threshold ({}) is above link_threshold ({})",
                self.review_threshold, self.link_threshold
            )));
        }
        if self.max_block == 0 || self.margin_bits < 0.0 {
            return Err(MatchError::Config(
                "max_block must be positive and margin_bits non-negative".into(),
            ));
        }
        Ok(())
    }
}
