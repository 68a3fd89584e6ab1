//! Local disqualification policy, as versioned data, applied to linked records.
//!
//! A county's rules (which vehicles, businesses and property disqualify a 低保 household)
//! change by place and year, so they live in a TOML file ([`Policy::load`]) that outputs
//! identify by its SHA-256. [`evaluate`] takes the roster, the department records and the
//! links matching produced, and proposes [`Candidate`]s with the values that made each rule
//! fire. It proposes; a person decides.
//!
//! - [`activity`](mod@activity): whether a record counts on the check date.
//! - [`rules`](mod@rules): one file per rule; their documentation is [`rules()`] and
//!   `docs/rules/`.
//!
//! Household aggregation: an asset counts for a household when any current member holds
//! it, including as a co-owner; a relative in another household is linked to their own
//! household and never counts here. A candidate resting on a review-band link is always
//! [`CandidateBand::Review`].
//!
//! No I/O apart from [`Policy::load`] reading the policy file.

pub mod activity;
mod candidate;
mod dry_run;
mod error;
mod household;
pub mod kin;
mod policy;
pub mod rules;
pub mod status;
pub mod text;

pub use activity::{Activity, StatusReading, activity_parts, activity_read};
pub use candidate::{Candidate, Finding, KinRef, LinkRef, assess, evaluate};
pub use dry_run::{Outcome, ValueRow, dry_run};
pub use error::PolicyError;
pub use hedui_core::CandidateBand;
pub use policy::Policy;
pub use rules::licence::LicenceRule;
pub use rules::property_commercial::PropertyCommercialRule;
pub use rules::property_multi_residential::PropertyMultiResidentialRule;
pub use rules::vehicle::VehicleRule;
pub use rules::{RuleDoc, RuleId, RuleMeta, Rules, index_markdown, rule_name_zh, rules};
pub use status::{State, StateMeaning, StatusTable, StatusTables, Vocabularies, Vocabulary};
pub use text::NameMatch;
