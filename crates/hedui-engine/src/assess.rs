//! The assess stage: the policy in force on the check date, applied to the linked records.

use hedui_match::Band;
use hedui_policy::{Candidate, Finding, LinkRef, Policy};

use crate::config::RunConfig;
use crate::error::EngineError;
use crate::link::LinkRun;

/// The run's policy file, refused when it took effect after the check date: judging a date
/// by a later policy would apply rules nobody had announced yet.
pub fn load_policy(config: &RunConfig) -> Result<Policy, EngineError> {
    let path = config.policy.as_ref().ok_or_else(|| EngineError::Config {
        path: config.path.clone(),
        message: "no `policy` file given; `hedui check` needs one".into(),
    })?;
    let policy = Policy::load(path)?;
    policy.check_in_force(config.check_date)?;
    Ok(policy)
}

/// Every candidate the policy proposes from the run's links, and what it finds wrong with
/// the centre's own data (stale register rows).
pub fn candidates(
    policy: &Policy,
    config: &RunConfig,
    linked: &LinkRun,
) -> (Vec<Candidate>, Vec<Finding>) {
    let refs: Vec<LinkRef> = linked
        .matched
        .links
        .iter()
        .map(|l| LinkRef {
            record: l.record,
            owner: l.owner,
            member: l.member,
            review: l.band == Band::Review,
        })
        .collect();
    let (members, assets) = (&linked.ingested.members, &linked.ingested.assets);
    hedui_policy::assess(policy, config.check_date, members, assets, &refs)
}
