//! Expected candidates under the demo policy, computed from the clean records rather than
//! from the noisy rows, so they are the answer a perfect engine would give.

use std::collections::BTreeMap;

use crate::assets::{Assets, Common};
use crate::config::DemoPolicy;
use crate::household::Household;
use crate::people::Person;

/// One expected candidate row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Candidate {
    pub household_id: String,
    pub rule: &'static str,
    pub department: &'static str,
    pub record_key: String,
    pub member_id: String,
}

/// Whether a record counts on the check date: registered by then, and not ended by then.
pub(crate) fn counts(policy: &DemoPolicy, c: &Common) -> bool {
    if c.registered > policy.check_date {
        return false;
    }
    let ended = c
        .status
        .split([',', '，'])
        .any(|s| policy.inactive_statuses.contains(&s.trim()));
    !(ended && c.changed.is_none_or(|d| d <= policy.check_date))
}

/// Building use: the part after the last `/` of a compound value.
pub(crate) fn building_use(usage: &str) -> &str {
    usage.rsplit('/').next().unwrap_or(usage)
}

/// All expected candidates of one chunk.
pub(crate) fn candidates(
    policy: &DemoPolicy,
    people: &[Person],
    households: &[Household],
    assets: &Assets,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let member = |p: usize| {
        people[p]
            .household
            .and_then(|h| households.get(h as usize))
            .map(|h| (h, people[p].id_str()))
    };
    let mut push = |h: &Household, rule, department, key: &str, id: &str| {
        out.push(Candidate {
            household_id: h.id.clone(),
            rule,
            department,
            record_key: key.to_string(),
            member_id: id.to_string(),
        });
    };
    for v in &assets.vehicles {
        if let Some((h, id)) = member(v.owner)
            && counts(policy, &v.common)
            && !policy.exempt_vehicle_types.contains(&v.vtype)
        {
            push(h, "vehicle", "vehicles", &v.plate, id);
        }
    }
    for l in &assets.licences {
        if let Some((h, id)) = member(l.operator)
            && counts(policy, &l.common)
            && policy.licence_types.contains(&l.etype)
        {
            push(h, "licence", "licences", &l.code, id);
        }
    }
    // Homes per household: (household index) -> [(cert, member ids)].
    let mut homes: BTreeMap<u32, Vec<(&str, Vec<&str>)>> = BTreeMap::new();
    for p in &assets.property {
        if !counts(policy, &p.common) {
            continue;
        }
        let usage = building_use(p.usage);
        for &o in &p.owners {
            let Some((h, id)) = member(o) else { continue };
            if policy.commercial_uses.contains(&usage) {
                push(h, "property_commercial", "property", &p.cert, id);
            } else if usage == policy.residential_use {
                let Some(local) = people[o].household else {
                    continue;
                };
                let list = homes.entry(local).or_default();
                match list.iter_mut().find(|(cert, _)| *cert == p.cert) {
                    Some((_, ids)) => ids.push(id),
                    None => list.push((&p.cert, vec![id])),
                }
            }
        }
    }
    for (local, list) in homes {
        let Some(h) = households.get(local as usize) else {
            continue;
        };
        if list.len() > 1 {
            for (cert, ids) in list {
                for id in ids {
                    push(h, "property_multi_residential", "property", cert, id);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::assets::SCRAP_STANDARD;

    fn common(status: &str) -> Common {
        Common {
            registered: NaiveDate::from_ymd_opt(2012, 3, 5).unwrap_or_default(),
            status: status.to_string(),
            changed: NaiveDate::from_ymd_opt(2024, 8, 1),
            tags: Vec::new(),
            negative: None,
        }
    }

    /// 达到报废标准 contains 报废 but is an active status: the vehicle is still registered.
    /// Inactive words are matched exactly, so it keeps counting in the truth.
    #[test]
    fn reaching_the_scrapping_standard_still_counts() {
        let policy = DemoPolicy::default();
        assert!(!policy.inactive_statuses.contains(&SCRAP_STANDARD));
        assert!(counts(&policy, &common(SCRAP_STANDARD)));
        assert!(counts(&policy, &common("违法未处理,达到报废标准")));
        assert!(!counts(&policy, &common("报废")));
        assert!(!counts(&policy, &common("抵押,注销")));
    }
}
