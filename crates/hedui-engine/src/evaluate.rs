//! Scores a run's links against a synthetic world's ground truth (`truth/links.csv`), overall
//! and per defect type. This is how matching quality is measured and reported.

use hedui_core::CandidateBand;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use hedui_core::record::{AssetRecord, Member};
use hedui_ingest::{Reject, RejectReason};
use hedui_match::prepare::IdEvidence;
use hedui_match::{Band, Link};
use serde::Serialize;

use crate::error::EngineError;

/// Precision and recall of the link band, and where true links ended up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkQuality {
    pub true_links: u64,
    pub predicted_links: u64,
    pub correct_links: u64,
    pub precision: f64,
    pub recall: f64,
    /// True links that went to the review band instead.
    pub true_links_in_review: u64,
    pub review_share_of_true_links: f64,
    /// Review-band pairs that are not true links.
    pub false_reviews: u64,
    /// Per defect tag: (true links with the tag, of those linked correctly, recall).
    pub by_defect: BTreeMap<String, DefectRecall>,
    /// The same, for true links whose owner has no usable identity number on the record:
    /// matching them rests on name and place alone, so their recall is reported apart.
    pub by_defect_without_id: BTreeMap<String, DefectRecall>,
    /// Per kind of `truth/hard_negatives.csv` (records of people no member is, made to
    /// resemble one): how many the matcher linked anyway. Empty without that file.
    pub by_negative: BTreeMap<String, NegativeOutcome>,
}

/// Where the matcher put the records of one kind of hard negative. Every pair such a record
/// is in is false: its owner is nobody on the roster.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NegativeOutcome {
    /// Distinct records of the kind; a duplicate copy is the record of its first copy.
    pub records: u64,
    /// Records linked to a member in the link band.
    pub in_link: u64,
    /// Records in a review-band pair and in no link-band one.
    pub in_review: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DefectRecall {
    pub true_links: u64,
    pub linked: u64,
    pub in_review: u64,
    pub recall: f64,
}

/// Where a truth row points: file name, line, owner position.
type Key = (String, u64, usize);

/// Compares `links` with `truth_dir/links.csv`.
///
/// A truth row whose line ingest rejected as an exact duplicate is scored by the first copy,
/// which is the one ingest kept: the duplicate is the same record, not another to link.
pub fn evaluate_links(
    links: &[Link],
    members: &[Member],
    assets: &[AssetRecord],
    rejects: &[Reject],
    truth_dir: &Path,
) -> Result<LinkQuality, EngineError> {
    let file_name = |path: &str| {
        Path::new(path)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let first_copy: HashMap<(String, u64), u64> = rejects
        .iter()
        .filter_map(|r| match r.reason {
            RejectReason::Duplicate { first_line } => {
                Some(((file_name(&r.file), r.line), first_line))
            }
            _ => None,
        })
        .collect();
    let path = truth_dir.join("links.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| EngineError::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut truth: HashMap<Key, (String, Vec<String>)> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| EngineError::Config {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let get = |i: usize| row.get(i).unwrap_or("").to_owned();
        let line = get(2).parse().unwrap_or(0);
        let owner = get(4).parse().unwrap_or(0);
        let defects = get(7)
            .split(';')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect();
        let line = first_copy.get(&(get(0), line)).copied().unwrap_or(line);
        truth.insert((get(0), line, owner), (get(6), defects));
    }
    let key_at = |record: usize, owner: usize| -> Key {
        (
            file_name(&assets[record].provenance.file.path),
            assets[record].provenance.line,
            owner,
        )
    };
    let key_of = |link: &Link| key_at(link.record, link.owner);
    let without_id: std::collections::HashSet<Key> = assets
        .iter()
        .enumerate()
        .flat_map(|(r, a)| {
            a.owners
                .iter()
                .enumerate()
                .map(move |(o, owner)| (r, o, owner))
        })
        .filter(|(_, _, owner)| IdEvidence::from_field(&owner.id) == IdEvidence::Missing)
        .map(|(r, o, _)| key_at(r, o))
        .collect();
    let member_id = |link: &Link| members[link.member].id.raw();

    let mut q = LinkQuality {
        true_links: truth.len() as u64,
        ..LinkQuality::default()
    };
    let mut linked: HashMap<Key, Band> = HashMap::new();
    // The truth lists the asset departments' links; staff, register and registration rows
    // are scored by the 关系保 rules' candidates instead.
    for link in links
        .iter()
        .filter(|l| assets[l.record].department().is_asset())
    {
        let key = key_of(link);
        let correct = truth.get(&key).is_some_and(|(id, _)| {
            hedui_core::ResidentId::parse(id).ok() == members[link.member].id.valid().copied()
                || *id == member_id(link)
        });
        match (link.band, correct) {
            (Band::Link, true) => {
                q.predicted_links += 1;
                q.correct_links += 1;
                linked.insert(key, Band::Link);
            }
            (Band::Link, false) => q.predicted_links += 1,
            (Band::Review, true) => {
                linked.entry(key).or_insert(Band::Review);
            }
            (Band::Review, false) => q.false_reviews += 1,
        }
    }
    q.true_links_in_review = linked.values().filter(|b| **b == Band::Review).count() as u64;
    for (key, (_, defects)) in &truth {
        let outcome = linked.get(key);
        let no_id = without_id.contains(key);
        for defect in defects
            .iter()
            .map(String::as_str)
            .chain(std::iter::once("all"))
        {
            let tables = if no_id {
                [Some(&mut q.by_defect), Some(&mut q.by_defect_without_id)]
            } else {
                [Some(&mut q.by_defect), None]
            };
            for table in tables.into_iter().flatten() {
                let d = table.entry(defect.to_owned()).or_default();
                d.true_links += 1;
                match outcome {
                    Some(Band::Link) => d.linked += 1,
                    Some(Band::Review) => d.in_review += 1,
                    None => {}
                }
            }
        }
    }
    for d in q
        .by_defect
        .values_mut()
        .chain(q.by_defect_without_id.values_mut())
    {
        d.recall = ratio(d.linked, d.true_links);
    }
    q.precision = ratio(q.correct_links, q.predicted_links);
    q.recall = ratio(q.correct_links, q.true_links);
    q.review_share_of_true_links = ratio(q.true_links_in_review, q.true_links);

    // Hard negatives are records, not owners: every pair they are in is false.
    let mut band_of: HashMap<(String, u64), Band> = HashMap::new();
    for link in links {
        let (file, line, _) = key_of(link);
        let band = band_of.entry((file, line)).or_insert(link.band);
        if link.band == Band::Link {
            *band = Band::Link;
        }
    }
    q.by_negative = hard_negatives(truth_dir, &first_copy, &band_of)?;
    Ok(q)
}

/// Reads `truth_dir/hard_negatives.csv` (nothing if it does not exist) and looks up where
/// each record went, by its first copy.
fn hard_negatives(
    truth_dir: &Path,
    first_copy: &HashMap<(String, u64), u64>,
    band_of: &HashMap<(String, u64), Band>,
) -> Result<BTreeMap<String, NegativeOutcome>, EngineError> {
    let path = truth_dir.join("hard_negatives.csv");
    let mut out: BTreeMap<String, NegativeOutcome> = BTreeMap::new();
    if !path.is_file() {
        return Ok(out);
    }
    let error = |e: csv::Error| EngineError::Config {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut reader = csv::Reader::from_path(&path).map_err(error)?;
    let mut seen: std::collections::HashSet<(String, u64)> = std::collections::HashSet::new();
    for row in reader.records() {
        let row = row.map_err(error)?;
        let get = |i: usize| row.get(i).unwrap_or("").to_owned();
        let line = get(2).parse().unwrap_or(0);
        let line = first_copy.get(&(get(0), line)).copied().unwrap_or(line);
        let record = (get(0), line);
        let kind = out.entry(get(4)).or_default();
        if !seen.insert(record.clone()) {
            continue;
        }
        kind.records += 1;
        match band_of.get(&record) {
            Some(Band::Link) => kind.in_link += 1,
            Some(Band::Review) => kind.in_review += 1,
            None => {}
        }
    }
    Ok(out)
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Candidate-level precision and recall against `truth/expected_candidates.csv`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CandidateQuality {
    pub expected: u64,
    pub plain: u64,
    pub correct_plain: u64,
    pub precision: f64,
    pub recall: f64,
    /// Expected candidates that came out in the review band instead.
    pub expected_in_review: u64,
    /// Review candidates that are not expected.
    pub other_reviews: u64,
    /// The same counts per rule, in rule order.
    pub by_rule: BTreeMap<String, RuleQuality>,
}

/// Candidate counts of one rule against the truth.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleQuality {
    pub expected: u64,
    pub plain: u64,
    pub correct_plain: u64,
    pub expected_in_review: u64,
    pub other_reviews: u64,
}

/// Compares candidates on (household, rule, department, record key); the truth lists one
/// row per holding member, which the comparison folds.
pub fn evaluate_candidates(
    evidence: &[hedui_evidence::EvidenceRecord],
    truth_dir: &Path,
) -> Result<CandidateQuality, EngineError> {
    let path = truth_dir.join("expected_candidates.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| EngineError::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut expected = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.map_err(|e| EngineError::Config {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let get = |i: usize| row.get(i).unwrap_or("").to_owned();
        let department = match get(2).as_str() {
            "vehicles" => "vehicle".to_owned(),
            "licences" => "licence".to_owned(),
            other => other.to_owned(),
        };
        // A person-keyed record key is an identity number: its check letter in either case.
        let key = if department == "staff" {
            get(3).to_ascii_uppercase()
        } else {
            get(3)
        };
        expected.insert((get(0), get(1), department, key));
    }
    let key = |r: &hedui_evidence::EvidenceRecord| {
        (
            r.household_id.clone(),
            r.rule.clone(),
            r.record.department.clone(),
            if r.record.department == "staff" {
                r.record.record_key.to_ascii_uppercase()
            } else {
                r.record.record_key.clone()
            },
        )
    };
    let plain: std::collections::BTreeSet<_> = evidence
        .iter()
        .filter(|r| r.band == CandidateBand::Candidate)
        .map(key)
        .collect();
    let review: std::collections::BTreeSet<_> = evidence
        .iter()
        .filter(|r| r.band != CandidateBand::Candidate)
        .map(key)
        .filter(|k| !plain.contains(k))
        .collect();
    let correct = plain.intersection(&expected).count() as u64;
    let mut by_rule: BTreeMap<String, RuleQuality> = BTreeMap::new();
    for k in &expected {
        let q = by_rule.entry(k.1.clone()).or_default();
        q.expected += 1;
        q.correct_plain += u64::from(plain.contains(k));
        q.expected_in_review += u64::from(review.contains(k));
    }
    for k in &plain {
        by_rule.entry(k.1.clone()).or_default().plain += 1;
    }
    for k in review.difference(&expected) {
        by_rule.entry(k.1.clone()).or_default().other_reviews += 1;
    }
    Ok(CandidateQuality {
        by_rule,
        expected: expected.len() as u64,
        plain: plain.len() as u64,
        correct_plain: correct,
        precision: ratio(correct, plain.len() as u64),
        recall: ratio(correct, expected.len() as u64),
        expected_in_review: review.intersection(&expected).count() as u64,
        other_reviews: review.difference(&expected).count() as u64,
    })
}
