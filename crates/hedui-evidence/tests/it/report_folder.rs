//! `report/`: the folder of linked pages. Every candidate on exactly one household page,
//! every page under the limit however large the run, nothing unmasked where masking was
//! asked for, and a search index that finds every household.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hedui_evidence::{
    Change, ChangeCounts, ChangeKind, EvidenceRecord, Masker, PAGE_LIMIT, ReportChanges,
    ReportMeta, write_report_folder,
};

use crate::common;

/// Every file under `dir`, relative path → text.
fn pages(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `n` households of the fixtures' three candidates each, spread over two counties, with
/// their own ids, members and record keys.
fn many(n: usize) -> Vec<EvidenceRecord> {
    let base = common::records();
    (0..n)
        .flat_map(|i| {
            base.iter().enumerate().map(move |(j, r)| {
                let mut r = r.clone();
                r.household_id = format!("H{:06}", i);
                r.candidate_id = format!("C{:06}-{j}", i);
                r.record.record_key = format!("{}-{i}", r.record.record_key);
                r.member.id = format!("5325011975{:08}", i * 3 + j);
                r.member.county = if i % 2 == 0 { "个旧市" } else { "蒙自市" }.to_owned();
                r
            })
        })
        .collect()
}

/// The candidate ids written on household pages (one `data-candidate` per article).
fn candidates_on_pages(files: &BTreeMap<String, String>) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for (name, text) in files {
        let on_household_page = name.starts_with("households/");
        for piece in text.split("data-candidate=\"").skip(1) {
            assert!(on_household_page, "{name} holds a candidate");
            let id = &piece[..piece.find('"').unwrap()];
            *seen.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    seen
}

#[test]
fn every_candidate_is_on_exactly_one_household_page() {
    let dir = tempfile::tempdir().unwrap();
    let records = many(40);
    let site = write_report_folder(
        dir.path(),
        &common::meta(false),
        &records,
        Masker { enabled: false },
    )
    .unwrap();
    let files = pages(dir.path());
    let seen = candidates_on_pages(&files);
    assert_eq!(seen.len(), records.len());
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    // One page per household, two county pages, the index and the search index.
    let households = files
        .keys()
        .filter(|k| k.starts_with("households/"))
        .count();
    assert_eq!(households, 40);
    assert!(files.contains_key("counties/532501.html"));
    assert!(files.contains_key("counties/532503.html"));
    assert_eq!(site.pages, 40 + 2 + 1);
    // The index links each county page, and each county page each of its households.
    let index = &files["index.html"];
    assert!(index.contains(r#"href="counties/532501.html""#));
    assert!(index.contains(r#"<script src="search.js"></script>"#));
    let county = &files["counties/532503.html"];
    assert_eq!(county.matches("../households/H").count(), 20);
    assert!(county.contains(r#"href="../households/H000001.html""#));
    // A household page leads back to its county and the index, and holds no script.
    let page = &files["households/H000001.html"];
    assert!(page.contains(r#"href="../counties/532503.html""#));
    assert!(page.contains(r#"href="../index.html""#));
    assert!(!page.contains("<script"));
    assert!(page.contains("线索，不是认定结论"));
}

#[test]
fn no_page_reaches_the_limit_however_large_the_run() {
    let dir = tempfile::tempdir().unwrap();
    // 6,000 households make county lists longer than a page; one household with 1,500
    // candidates (a company's fleet) is longer than a page on its own.
    let mut records = many(6_000);
    let mut fleet: Vec<EvidenceRecord> = common::records()
        .into_iter()
        .cycle()
        .take(1_500)
        .enumerate()
        .map(|(i, mut r)| {
            r.household_id = "H999999".to_owned();
            r.candidate_id = format!("F{i:05}");
            r.record.record_key = format!("云G{i:05}");
            r.member.county = "个旧市".to_owned();
            r
        })
        .collect();
    records.append(&mut fleet);
    let site = write_report_folder(
        dir.path(),
        &common::meta(false),
        &records,
        Masker { enabled: false },
    )
    .unwrap();
    let files = pages(dir.path());
    for (name, text) in &files {
        assert!(text.len() < PAGE_LIMIT, "{name}: {} bytes", text.len());
    }
    assert!(site.largest_bytes < PAGE_LIMIT);
    // The fleet's household and the long county list are cut into linked parts.
    assert!(files.contains_key("households/H999999.p2.html"));
    assert!(files["households/H999999.html"].contains(r#"href="H999999.p2.html""#));
    let seen = candidates_on_pages(&files);
    assert_eq!(seen.len(), records.len());
    assert!(seen.values().all(|&n| n == 1));
}

#[test]
fn a_masked_folder_and_its_search_index_hold_no_full_identity_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = many(40);
    // A household id that is an identity number, as some centres use: its page must get
    // another name, and its id must be masked wherever it is shown.
    for r in records.iter_mut().filter(|r| r.household_id == "H000003") {
        r.household_id = "532501197506150034".to_owned();
    }
    let mut meta = common::meta(true);
    meta.changes = Some(ReportChanges {
        since_run_id: "R1".to_owned(),
        since_generated_at: "2025-06-01".to_owned(),
        counts: ChangeCounts::default(),
        rows: records
            .iter()
            .map(|r| Change {
                kind: ChangeKind::New,
                candidate_id: r.candidate_id.clone(),
                household_id: r.household_id.clone(),
                rule: r.rule.clone(),
                department: r.record.department.clone(),
                record_key: r.record.record_key.clone(),
                member_id: r.member.id.clone(),
                member_name: r.member.name.clone(),
                band_before: None,
                band_now: Some(r.band),
            })
            .collect(),
        not_compared: None,
    });
    write_report_folder(dir.path(), &meta, &records, Masker { enabled: true }).unwrap();
    let files = pages(dir.path());
    // More changes than the index lists: the rest are on their own page.
    assert!(files.contains_key("changes.html"));
    for (name, text) in &files {
        assert!(!common::has_full_id(name), "{name}");
        assert!(
            !common::has_full_id(text),
            "{name} holds a full identity number"
        );
        assert!(!text.contains("张小芳"), "{name} holds a full name");
    }
    let search = &files["search.js"];
    assert!(search.contains("张*芳"), "{search}");
    assert!(files["index.html"].contains("已脱敏"));
}

#[test]
fn the_search_index_finds_every_household_by_id_name_and_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = many(12);
    write_report_folder(
        dir.path(),
        &common::meta(false),
        &records,
        Masker { enabled: false },
    )
    .unwrap();
    let script = std::fs::read_to_string(dir.path().join("search.js")).unwrap();
    let json = script
        .split_once("window.HEDUI_SEARCH=")
        .unwrap()
        .1
        .trim_end()
        .trim_end_matches(';');
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let rows = index["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let counties: Vec<&str> = index["counties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for r in &records {
        let row = rows
            .iter()
            .find(|row| row[0] == r.household_id.as_str())
            .unwrap();
        // An empty page name means the page is named after the id.
        assert_eq!(row[1], "");
        assert!(
            dir.path()
                .join(format!("households/{}.html", r.household_id))
                .is_file()
        );
        assert_eq!(counties[row[2].as_u64().unwrap() as usize], r.member.county);
        assert!(row[3].as_str().unwrap().contains(&r.member.name));
        assert!(row[4].as_str().unwrap().contains(&r.record.record_key));
    }
}

#[test]
fn the_index_draws_the_charts_with_the_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let meta: ReportMeta = common::meta(false);
    write_report_folder(
        dir.path(),
        &meta,
        &common::records(),
        Masker { enabled: false },
    )
    .unwrap();
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert_eq!(
        index.matches("<svg").count(),
        2,
        "counties and one department"
    );
    assert!(index.contains("待复核阈值 p=0.9 (3.2 比特)"));
    assert!(index.contains("匹配阈值 p=0.99 (6.6 比特)"));
    // The histogram's bars: one per non-empty bin of the fixture's 37 filled bins.
    let filled = meta.scores[0].counts.iter().filter(|&&n| n > 0).count();
    assert_eq!(index.matches(" 对</title></rect>").count(), filled);
    // Nothing is fetched from anywhere.
    for fetch in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!index.contains(fetch), "{fetch}");
    }
}
