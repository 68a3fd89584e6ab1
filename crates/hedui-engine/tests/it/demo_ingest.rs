//! Ingest of the committed demo world (`fixtures/demo`), scored against the generator's
//! truth: every row accounted for, exactly the malformed rows rejected, duplicates pointing
//! at their accepted first copy, and the export formats detected as generated.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hedui_core::Department;
use hedui_engine::RunConfig;
use hedui_engine::ingest::{Ingested, ingest_all};
use hedui_ingest::{FileReport, Reject, RejectReason, SourceReport, TableKind};
use hedui_policy::kin::ReadRecords;

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

/// The demo world, read once for all tests (reading it takes seconds in a debug build).
fn ingest() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| {
        let config = RunConfig::load(&demo_dir().join("hedui.toml")).unwrap();
        ingest_all(&config).unwrap()
    })
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn source(ingested: &Ingested, kind: TableKind) -> &SourceReport {
    ingested.reports.iter().find(|r| r.kind == kind).unwrap()
}

fn only_file(report: &SourceReport) -> &FileReport {
    assert_eq!(report.files.len(), 1, "{}", report.name);
    &report.files[0]
}

fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(demo_dir().join("truth/manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `(file, line)` of every row in `truth/malformed.csv`.
fn malformed_truth() -> BTreeSet<(String, u64)> {
    let mut reader = csv::Reader::from_path(demo_dir().join("truth/malformed.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn every_row_is_accepted_or_rejected() {
    let ingested = ingest();
    assert_eq!(
        ingested.reports.len(),
        7,
        "recipients, three departments and the 关系保 exports"
    );
    for report in &ingested.reports {
        assert_eq!(
            report.rows_read,
            report.accepted + report.rejected,
            "{}",
            report.name
        );
        for file in &report.files {
            assert_eq!(
                file.rows_read,
                file.accepted + file.rejected,
                "{}",
                file.path
            );
        }
        let by_reason: u64 = report.rejected_by_reason.values().sum();
        assert_eq!(by_reason, report.rejected, "{}", report.name);
    }
    let accepted: u64 = ingested.reports.iter().map(|r| r.accepted).sum();
    assert_eq!(
        accepted as usize,
        ingested.members.len() + ingested.records().count()
    );
    let rejected: u64 = ingested.reports.iter().map(|r| r.rejected).sum();
    assert_eq!(rejected as usize, ingested.rejects.len());

    // Rows read are the data rows the generator wrote; the spreadsheet adds its footer.
    let rows = &manifest()["rows"];
    let written = |key: &str| rows[key].as_u64().unwrap();
    assert_eq!(
        source(ingested, TableKind::Recipients).rows_read,
        written("recipients")
    );
    assert_eq!(
        source(ingested, TableKind::Vehicle).rows_read,
        written("vehicles")
    );
    assert_eq!(
        source(ingested, TableKind::Licence).rows_read,
        written("licences")
    );
    assert_eq!(
        source(ingested, TableKind::Property).rows_read,
        written("property") + 1
    );
}

#[test]
fn exactly_the_malformed_rows_are_rejected() {
    let ingested = ingest();
    let property = only_file(source(ingested, TableKind::Property));
    let footer_line = property.header_line + manifest()["rows"]["property"].as_u64().unwrap() + 1;

    let mut rejected = BTreeSet::new();
    for r in &ingested.rejects {
        match r.reason {
            RejectReason::Duplicate { .. } => {}
            // The `合计` totals line is part of the export's layout, not a malformed row, so
            // the truth does not list it; it must be the one row below the data.
            RejectReason::Footer => {
                assert_eq!(file_name(&r.file), "property.xlsx", "{r:?}");
                assert_eq!(r.line, footer_line, "{r:?}");
            }
            _ => {
                rejected.insert((file_name(&r.file), r.line));
            }
        }
    }
    let footers = ingested
        .rejects
        .iter()
        .filter(|r| matches!(r.reason, RejectReason::Footer))
        .count();
    assert_eq!(footers, 1);

    let truth = malformed_truth();
    let missed: Vec<_> = truth.difference(&rejected).collect();
    let extra: Vec<_> = rejected.difference(&truth).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "malformed rows accepted: {missed:?}; well-formed rows rejected: {extra:?}"
    );
    assert!(!truth.is_empty());
}

#[test]
fn duplicates_point_at_an_accepted_identical_row() {
    let ingested = ingest();
    // (file name, line) → the accepted row's raw values, joined as rejects join them; the
    // run keeps them on disk, so every one is read back from the store.
    assert!(
        ingested.cells.is_some(),
        "a run keeps its raw cells on disk"
    );
    let mut accepted: HashMap<(String, u64), String> = HashMap::new();
    for m in &ingested.members {
        let p = &m.provenance;
        assert!(m.raw.stored_at().is_some(), "{:?}", m.raw);
        let raw = ingested.raw_cells(&m.raw).unwrap();
        let raw = raw.values().collect::<Vec<_>>().join(",");
        accepted.insert((file_name(&p.file.path), p.line), raw);
    }
    for a in ingested.records() {
        let p = &a.provenance;
        let raw = ingested.raw_cells(&a.raw).unwrap();
        let raw = raw.values().collect::<Vec<_>>().join(",");
        accepted.insert((file_name(&p.file.path), p.line), raw);
    }

    let duplicates: Vec<(&Reject, u64)> = ingested
        .rejects
        .iter()
        .filter_map(|r| match r.reason {
            RejectReason::Duplicate { first_line } => Some((r, first_line)),
            _ => None,
        })
        .collect();
    let copies: u64 = ingested.reports.iter().map(|r| r.duplicate_copies).sum();
    assert_eq!(duplicates.len() as u64, copies);
    // Every `duplicate_row` copy the generator wrote, and nothing else.
    assert_eq!(
        duplicates.len() as u64,
        manifest()["defects"]["duplicate_row"].as_u64().unwrap()
    );
    for (reject, first_line) in duplicates {
        assert!(first_line < reject.line, "{reject:?}");
        let first = accepted
            .get(&(file_name(&reject.file), first_line))
            .unwrap_or_else(|| panic!("first copy of {reject:?} was not accepted"));
        assert_eq!(first, &reject.raw, "{reject:?}");
    }
}

#[test]
fn formats_are_detected_as_generated() {
    let ingested = ingest();

    let vehicles = only_file(source(ingested, TableKind::Vehicle));
    let encoding = vehicles.encoding.as_ref().unwrap();
    assert_eq!(encoding.name, "gb18030");
    assert!(encoding.detected && !encoding.had_bom, "{encoding:?}");
    assert_eq!(vehicles.delimiter, Some(','));

    let licences = only_file(source(ingested, TableKind::Licence));
    let encoding = licences.encoding.as_ref().unwrap();
    assert_eq!(encoding.name, "UTF-8");
    assert!(encoding.detected && encoding.had_bom, "{encoding:?}");

    // The header sits below the title rows the generator wrote.
    let files = &manifest()["files"]["property.xlsx"];
    let titles = files["title_rows"].as_array().unwrap().len();
    let property = only_file(source(ingested, TableKind::Property));
    assert!(titles >= 1);
    assert_eq!(property.format, "xlsx");
    assert_eq!(property.title_rows, titles);
    assert_eq!(property.header_line, titles as u64 + 1);
    assert_eq!(property.sheet.as_deref(), files["sheet"].as_str());

    // The built-in aliases map every header the generator drew.
    for report in &ingested.reports {
        for file in &report.files {
            assert!(
                file.unmapped.is_empty(),
                "{}: {:?}",
                file.path,
                file.unmapped
            );
        }
    }
}

/// The demo configuration names its policy file before that file exists: loading resolves
/// the path but does not open it (only the check reads the policy).
#[test]
fn demo_config_names_policy_without_reading_it() {
    let config = RunConfig::load(&demo_dir().join("hedui.toml")).unwrap();
    assert_eq!(config.policy, Some(demo_dir().join("policy.toml")));
    assert_eq!(config.check_date.to_string(), "2026-06-30");
    assert_eq!(config.sources.len(), 6);
    assert!(
        config.all_sources().all(|s| s.columns.is_empty()),
        "the demo relies on the built-in aliases"
    );
}

/// The registration rows no rule reads never enter the run's list: they are kept apart for
/// the contract, counted, and leave their owners' numbers and addresses for group-number
/// learning. The run's list is sized for the rows matching reads, not for every row.
#[test]
fn rows_no_rule_reads_are_kept_apart_and_counted() {
    let ingested = ingest();
    let read = ReadRecords::learn(ingested.records());
    assert!(!ingested.unread.is_empty(), "the demo has unread rows");
    assert!(
        ingested
            .unread
            .iter()
            .all(|r| r.department() == Department::Hukou)
    );
    assert!(ingested.unread.iter().all(|r| !read.reads(r)));
    assert!(ingested.assets.iter().all(|r| read.reads(r)));
    assert!(
        ingested
            .assets
            .iter()
            .any(|r| r.department() == Department::Hukou),
        "staff households' registration rows are matched"
    );
    assert_eq!(
        ingested.not_matched.get("hukou").copied(),
        Some(ingested.unread.len() as u64)
    );
    assert_eq!(ingested.not_matched.len(), 1, "{:?}", ingested.not_matched);
    let numbered = ingested
        .unread
        .iter()
        .flat_map(|r| &r.owners)
        .filter(|o| o.id.valid().is_some())
        .count();
    assert!(numbered > 0);
    assert_eq!(ingested.dwellings_not_matched.len(), numbered);
    assert_eq!(
        ingested.assets.capacity(),
        ingested.assets.len(),
        "the run's list is sized for the rows it holds"
    );
    // The records keep their sources' order: matching and its outputs depend on it.
    let lines: Vec<(&str, u64)> = ingested
        .assets
        .iter()
        .filter(|r| r.department() == Department::Hukou)
        .map(|r| (r.provenance.file.path.as_str(), r.provenance.line))
        .collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
}
