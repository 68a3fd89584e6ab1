//! End-to-end tests of the generator: determinism, truth consistency, file formats and
//! that every defect actually shows up when its rate is raised.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns; a failure should panic

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use hedui_synth::{DefectRates, ExportStyle, Rates, SynthConfig, SynthError, files, generate};

const OUTPUTS: [&str; 16] = [
    files::RECIPIENTS,
    files::VEHICLES,
    files::LICENCES,
    files::PROPERTY,
    files::STAFF,
    files::RELATIVES_REGISTER,
    files::HUKOU,
    files::LINKS,
    files::EXPECTED_CANDIDATES,
    files::MALFORMED,
    files::HARD_NEGATIVES,
    files::RELATIVES,
    files::REGISTER_STALE,
    files::RELATIVES_MANIFEST,
    files::MANIFEST,
    files::CONFIG,
];

fn config(households: u64, seed: u64, overrides: &[&str]) -> SynthConfig {
    let mut config = SynthConfig::new(households, seed);
    for o in overrides {
        config.rates.set_from_arg(o).unwrap();
    }
    config
}

fn run(config: &SynthConfig) -> (tempfile::TempDir, hedui_synth::Summary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(config, dir.path()).unwrap();
    (dir, summary)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(files::MANIFEST)).unwrap()).unwrap()
}

fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Physical lines of the two CSV exports, decoded.
fn export_lines(dir: &Path) -> HashMap<&'static str, Vec<String>> {
    let gb = std::fs::read(dir.join(files::VEHICLES)).unwrap();
    let (vehicles, _, errors) = encoding_rs::GB18030.decode(&gb);
    assert!(!errors, "vehicles.csv is not valid GB18030");
    let licences = std::fs::read_to_string(dir.join(files::LICENCES)).unwrap();
    let split = |t: &str| t.split("\r\n").map(str::to_string).collect::<Vec<_>>();
    HashMap::from([
        (files::VEHICLES, split(&vehicles)),
        (files::LICENCES, split(&licences)),
    ])
}

/// Cells of property.xlsx as text, keyed by 1-based Excel row.
fn sheet_rows(dir: &Path) -> (String, HashMap<u64, Vec<String>>) {
    let mut book: Xlsx<_> = open_workbook(dir.join(files::PROPERTY)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let (r0, _) = range.start().unwrap();
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect();
            (u64::from(r0) + i as u64 + 1, cells)
        })
        .collect();
    (name, rows)
}

#[test]
fn same_seed_gives_identical_files_whatever_the_threads() {
    let mut one = config(300, 42, &[]);
    one.threads = Some(1);
    let mut three = one.clone();
    three.threads = Some(3);
    let (a, _) = run(&one);
    let (b, _) = run(&three);
    for name in OUTPUTS {
        let (x, y) = (
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between 1 and 3 threads");
    }
    let (c, _) = run(&config(300, 43, &[]));
    assert_ne!(
        std::fs::read(a.path().join(files::VEHICLES)).unwrap(),
        std::fs::read(c.path().join(files::VEHICLES)).unwrap()
    );
}

#[test]
fn output_appears_only_under_final_names() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("demo");
    generate(&config(60, 1, &[]), &out).unwrap();
    let entries: Vec<String> = root
        .path()
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries,
        ["demo"],
        "the temporary sibling directory is removed"
    );
    for name in OUTPUTS {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert!(matches!(
        generate(&config(0, 1, &[]), &out),
        Err(SynthError::InvalidConfig(_))
    ));
}

#[test]
fn regenerating_leaves_unrelated_files_alone() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("demo");
    std::fs::create_dir_all(out.join("truth")).unwrap();
    // A committed demo folder keeps its run configuration next to the generated files.
    std::fs::write(out.join("hedui.toml"), "check_date = \"2026-06-30\"\n").unwrap();
    std::fs::write(out.join("truth/notes.txt"), "kept").unwrap();
    std::fs::write(out.join(files::VEHICLES), "stale").unwrap();
    generate(&config(40, 1, &[]), &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("hedui.toml")).unwrap(),
        "check_date = \"2026-06-30\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("truth/notes.txt")).unwrap(),
        "kept"
    );
    assert_ne!(std::fs::read(out.join(files::VEHICLES)).unwrap(), b"stale");
}

/// Malformed rows are malformed as a reader sees them: in the spreadsheet a short row would
/// read as empty trailing cells, so a wrong field count there means filled extra cells.
#[test]
fn malformed_rows_are_visible_to_a_reader() {
    let (dir, _) = run(&config(200, 13, &["malformed_row=0.1"]));
    let dir = dir.path();
    let lines = export_lines(dir);
    let (_, sheet) = sheet_rows(dir);
    let titles = manifest(dir)["files"][files::PROPERTY]["title_rows"]
        .as_array()
        .unwrap()
        .len() as u64;
    let width = sheet[&(titles + 1)]
        .iter()
        .rposition(|c| !c.is_empty())
        .unwrap()
        + 1;
    let mut seen = HashSet::new();
    for row in csv_rows(&dir.join(files::MALFORMED)) {
        let n: u64 = row["line"].parse().unwrap();
        let defect = row["defect"].as_str();
        seen.insert((row["file"].clone(), defect.to_owned()));
        let cells: Vec<String> = match row["file"].as_str() {
            files::PROPERTY => sheet.get(&n).cloned().unwrap_or_default(),
            f => {
                let line = &lines[f][n as usize - 1];
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(line.as_bytes())
                    .records()
                    .next()
                    .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            }
        };
        let filled = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        match (row["file"].as_str(), defect) {
            (_, "empty_line") => assert_eq!(filled, 0, "{row:?}: {cells:?}"),
            (files::PROPERTY, "wrong_field_count") => {
                assert!(filled > width, "{row:?}: {cells:?}");
            }
            (f, "wrong_field_count") => {
                let header_width = lines[f][0].split(',').count();
                assert_ne!(cells.len(), header_width, "{row:?}: {cells:?}");
            }
            (_, "unparseable_date") => {
                assert!(
                    !cells.iter().any(|c| c == "0000-00-00"),
                    "{row:?}: {cells:?}"
                );
            }
            other => panic!("unknown malformed defect {other:?}"),
        }
    }
    assert!(
        seen.contains(&(files::PROPERTY.to_owned(), "wrong_field_count".to_owned())),
        "{seen:?}"
    );
}

/// A property table longer than a sheet goes on in further sheets, each with the titles and
/// header, as export systems split a table at Excel's row limit; the truth names each row's
/// sheet, and hedui reads every sheet of the workbook.
#[test]
fn a_property_table_longer_than_a_sheet_goes_on_in_further_sheets() {
    let mut config = config(600, 7, &[]);
    config.sheet_rows = 400;
    let (dir, _) = run(&config);
    let dir = dir.path();
    let m = manifest(dir);
    let sheets: Vec<String> = m["files"][files::PROPERTY]["sheets"]
        .as_array()
        .expect("the manifest lists the sheets")
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert!(sheets.len() >= 3, "{sheets:?}");
    let mut book: Xlsx<_> = open_workbook(dir.join(files::PROPERTY)).unwrap();
    assert_eq!(book.sheet_names(), sheets);

    let mut data_rows = 0;
    let mut cells: HashMap<(String, u64), String> = HashMap::new();
    let mut header = None;
    for name in &sheets {
        let range = book.worksheet_range(name).unwrap();
        assert!(range.height() <= 400, "{name}: {} rows", range.height());
        if name != sheets.last().unwrap() {
            assert!(
                range.height() > 300,
                "{name}: a sheet is filled before the next"
            );
        }
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let at = rows
            .iter()
            .position(|r| r.iter().any(|c| c.contains("证号") || c.contains("证书")))
            .expect("a header row");
        match &header {
            None => header = Some((at, rows[at].clone())),
            Some(first) => assert_eq!(first, &(at, rows[at].clone()), "{name}"),
        }
        for (i, row) in rows.iter().enumerate().skip(at + 1) {
            if row.first().is_some_and(|c| c == "合计") {
                assert_eq!(
                    name,
                    sheets.last().unwrap(),
                    "the footer is on the last sheet"
                );
                continue;
            }
            data_rows += 1;
            cells.insert((name.clone(), i as u64 + 1), row.join("|"));
        }
    }
    assert_eq!(data_rows, m["rows"]["property"].as_u64().unwrap());
    let mut found = 0;
    for l in csv_rows(&dir.join(files::LINKS)) {
        if l["file"] != files::PROPERTY {
            continue;
        }
        let text = &cells[&(l["sheet"].clone(), l["line"].parse::<u64>().unwrap())];
        assert!(text.contains(&l["record_key"]), "{l:?} -> {text}");
        found += 1;
    }
    assert!(found > 0);

    let spec: hedui_ingest::SourceSpec = toml::from_str(&format!(
        "kind = \"property\"\npath = \"{}\"",
        files::PROPERTY
    ))
    .unwrap();
    let aliases = hedui_ingest::AliasTable::builtin().unwrap();
    let data = hedui_ingest::read_source(&spec, dir, &aliases).unwrap();
    let read: Vec<&str> = data
        .report
        .files
        .iter()
        .map(|f| f.sheet.as_deref().unwrap())
        .collect();
    assert_eq!(read, sheets);
    // The footer is a row read too, and rejected as a footer.
    assert_eq!(data.report.rows_read, data_rows + 1);
    assert_eq!(
        data.report.rows_read,
        data.report.accepted + data.report.rejected
    );
}

#[test]
fn truth_matches_the_files() {
    let (dir, summary) = run(&config(600, 7, &[]));
    let dir = dir.path();
    let roster = csv_rows(&dir.join(files::RECIPIENTS));
    assert_eq!(roster.len() as u64, summary.members);
    let members: HashMap<&str, &str> = roster
        .iter()
        .map(|r| (r["身份证号"].as_str(), r["户编号"].as_str()))
        .collect();
    assert_eq!(members.len(), roster.len(), "member IDs are unique");
    for r in &roster {
        let id = hedui_core::ResidentId::parse(&r["身份证号"]).unwrap();
        assert_eq!(
            id.birth_date().format("%Y-%m-%d").to_string(),
            r["出生日期"]
        );
    }

    let lines = export_lines(dir);
    let (_, sheet) = sheet_rows(dir);
    let m = manifest(dir);
    assert_eq!(
        m["rows"]["vehicles"].as_u64().unwrap(),
        lines[files::VEHICLES].len() as u64 - 2,
        "header and final CRLF"
    );
    assert_eq!(
        m["rows"]["licences"].as_u64().unwrap(),
        lines[files::LICENCES].len() as u64 - 2
    );

    let links = csv_rows(&dir.join(files::LINKS));
    assert_eq!(links.len() as u64, summary.links);
    assert!(!links.is_empty());
    for l in &links {
        let n: u64 = l["line"].parse().unwrap();
        let text = match l["file"].as_str() {
            f @ (files::VEHICLES | files::LICENCES) => lines[f][n as usize - 1].clone(),
            _ => sheet[&n].join("|"),
        };
        assert!(text.contains(&l["record_key"]), "{l:?} -> {text}");
        assert_eq!(
            members.get(l["member_id"].as_str()),
            Some(&l["household_id"].as_str()),
            "{l:?}"
        );
        let name = roster
            .iter()
            .find(|r| r["身份证号"] == l["member_id"])
            .unwrap()["成员姓名"]
            .clone();
        let defects = &l["defects"];
        if !defects.contains("id_") {
            assert!(text.contains(&l["member_id"]), "{l:?} -> {text}");
        }
        if !defects.contains("name_") {
            assert!(text.contains(&name), "{l:?} -> {text}");
        }
    }

    // Every expected candidate rests on a link of the same member and record.
    let linked: HashSet<(String, String, String)> = links
        .iter()
        .map(|l| {
            (
                l["household_id"].clone(),
                l["record_key"].clone(),
                l["member_id"].clone(),
            )
        })
        .collect();
    // The staff rules rest on the roster and 户籍, not on links (tests/it/relatives.rs).
    let (staff, candidates): (Vec<_>, Vec<_>) = csv_rows(&dir.join(files::EXPECTED_CANDIDATES))
        .into_iter()
        .partition(|c| c["department"] == "staff");
    assert_eq!(candidates.len() as u64, summary.expected_candidates);
    assert_eq!(staff.len() as u64, summary.relatives.expected_candidates);
    for c in &candidates {
        assert!(
            linked.contains(&(
                c["household_id"].clone(),
                c["record_key"].clone(),
                c["member_id"].clone()
            )),
            "{c:?}"
        );
    }
    let share = summary.candidate_households as f64 / summary.households as f64;
    assert!((0.005..0.05).contains(&share), "candidate share {share}");
    // Exempt, inactive or not-yet-registered holdings never make a candidate on their own.
    let flagged: HashSet<&str> = candidates
        .iter()
        .map(|c| c["record_key"].as_str())
        .collect();
    for l in &links {
        let d = &l["defects"];
        if d.contains("asset_exempt")
            || d.contains("asset_inactive")
            || d.contains("asset_after_check_date")
        {
            assert!(!flagged.contains(l["record_key"].as_str()), "{l:?}");
        }
    }

    for row in csv_rows(&dir.join(files::MALFORMED)) {
        let n: usize = row["line"].parse().unwrap();
        if row["file"] != files::PROPERTY {
            assert!(n <= lines[row["file"].as_str()].len(), "{row:?}");
        }
    }
}

#[test]
fn formats_are_as_departments_write_them() {
    let (dir, _) = run(&config(
        200,
        3,
        &["id_lowercase_x=1", "linked_multiplier=1"],
    ));
    let dir = dir.path();
    let licences = std::fs::read(dir.join(files::LICENCES)).unwrap();
    assert!(
        licences.starts_with(b"\xEF\xBB\xBF"),
        "licences.csv has a BOM"
    );
    assert!(
        !std::fs::read(dir.join(files::RECIPIENTS))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
    let lines = export_lines(dir);
    let vehicles = &lines[files::VEHICLES];
    assert!(vehicles[0].contains("车辆类型"), "{}", vehicles[0]);
    assert!(
        vehicles.iter().any(|l| l.contains("x,")),
        "a lowercase x ID in vehicles.csv"
    );
    assert!(vehicles.iter().all(|l| !l.contains('\n')));

    let (_, sheet) = sheet_rows(dir);
    let m = manifest(dir);
    let titles = m["files"][files::PROPERTY]["title_rows"]
        .as_array()
        .unwrap()
        .len() as u64;
    assert!((1..=2).contains(&titles));
    assert!(
        sheet[&1][0].starts_with("红河州不动产登记信息导出（导出日期："),
        "{:?}",
        sheet[&1]
    );
    let header = &sheet[&(titles + 1)];
    assert!(
        header.iter().any(|h| h == "坐落") && header.iter().any(|h| h == "用途"),
        "{header:?}"
    );
    let last = sheet.keys().max().unwrap();
    assert_eq!(sheet[last][0], "合计");
}

/// Raises one rate at a time and checks that its tag is counted and written.
#[test]
fn every_defect_appears_when_its_rate_is_high() {
    let cases: &[(&str, &[&str])] = &[
        ("id_typo", &["id_typo=1"]),
        ("id_transposition", &["id_transposition=1"]),
        ("id_lowercase_x", &["id_lowercase_x=1"]),
        ("id_fullwidth", &["id_fullwidth=1"]),
        ("id_spaces", &["id_spaces=1"]),
        ("id_legacy15", &["id_legacy15=1"]),
        ("id_missing", &["id_missing=1"]),
        ("old_rural_id_missing", &["old_rural_id_missing=1"]),
        ("name_homophone", &["name_homophone=1"]),
        ("name_traditional", &["name_traditional=1"]),
        ("name_rare_placeholder", &["name_rare_placeholder=1"]),
        (
            "name_separator",
            &["name_separator=1", "multipart_name=0.5"],
        ),
        ("date_mixed_format", &["date_mixed_format=1"]),
        ("number_units", &["number_units=1"]),
        ("coowner_cell", &["coowner_cell=1"]),
        (
            "asset_inactive",
            &["asset_inactive=1", "vehicle_holding=0.5"],
        ),
        ("asset_exempt", &["asset_exempt=1", "vehicle_holding=0.5"]),
        (
            "asset_after_check_date",
            &[
                "asset_after_check_date=1",
                "asset_inactive=0",
                "licence_holding=0.5",
            ],
        ),
        (
            "asset_late_deregistration",
            &[
                "asset_late_deregistration=1",
                "asset_inactive=0",
                "licence_holding=0.5",
            ],
        ),
        ("malformed_row", &["malformed_row=0.2"]),
        ("duplicate_row", &["duplicate_row=0.2"]),
    ];
    for (tag, overrides) in cases {
        let (dir, _) = run(&config(120, 11, overrides));
        let m = manifest(dir.path());
        let count = m["defects"][*tag].as_u64().unwrap_or(0);
        assert!(count > 0, "{tag} never applied: {}", m["defects"]);
        if !matches!(*tag, "malformed_row") {
            let linked = m["defects_in_links"][*tag].as_u64().unwrap_or(0);
            assert!(linked > 0, "{tag} never on a linked row");
        }
    }
    // Rare characters are always mangled in files that cannot store them.
    let (dir, _) = run(&config(
        150,
        5,
        &["rare_char_name=0.5", "name_rare_export_share=1"],
    ));
    let m = manifest(dir.path());
    assert!(
        m["defects_in_links"]["name_rare_placeholder"]
            .as_u64()
            .unwrap_or(0)
            > 10
    );
    let text = std::fs::read_to_string(dir.path().join(files::LINKS)).unwrap();
    assert!(text.contains("name_rare_placeholder"));
}

#[test]
fn rates_file_with_unknown_key_names_it() {
    let err =
        DefectRates::from_toml_str("id_typo = 0.02\nid_typoo = 0.1\n", "rates.toml").unwrap_err();
    assert!(matches!(err, SynthError::RatesFile { .. }));
    assert!(err.to_string().contains("id_typoo"), "{err}");
    let ok = DefectRates::from_toml_str("id_typo = 0.02\n", "rates.toml").unwrap();
    assert_eq!(ok.id_typo, 0.02);
    assert_eq!(ok.id_missing, DefectRates::default().id_missing);
    let mut rates = Rates::default();
    assert!(
        rates
            .set_from_arg("no_such_rate=0.1")
            .unwrap_err()
            .to_string()
            .contains("no_such_rate")
    );
}

/// The owner of one hard-negative row as written, with the member it resembles.
#[derive(Debug)]
struct Negative {
    kind: String,
    name: String,
    id: String,
    /// The owner's address; only vehicle rows write where the owner lives.
    address: Option<String>,
    member_id: String,
    member_name: String,
    member_county: String,
    member_township: String,
}

/// Every row of `truth/hard_negatives.csv`, read back from the export it points into.
fn negatives(dir: &Path) -> Vec<Negative> {
    let lines = export_lines(dir);
    let (_, sheet) = sheet_rows(dir);
    let roster: HashMap<String, HashMap<String, String>> = csv_rows(&dir.join(files::RECIPIENTS))
        .into_iter()
        .map(|r| (r["身份证号"].clone(), r))
        .collect();
    csv_rows(&dir.join(files::HARD_NEGATIVES))
        .into_iter()
        .map(|h| {
            let n: usize = h["line"].parse().unwrap();
            let file = h["file"].clone();
            let cells: Vec<String> = match file.as_str() {
                files::PROPERTY => sheet[&(n as u64)].clone(),
                f => csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(lines[f][n - 1].as_bytes())
                    .records()
                    .next()
                    .unwrap()
                    .unwrap()
                    .iter()
                    .map(str::to_owned)
                    .collect(),
            };
            let (name, id, address) = match file.as_str() {
                files::VEHICLES => (5, 6, Some(7)),
                files::LICENCES => (3, 4, None),
                _ => (1, 2, None),
            };
            let member = &roster[&h["member_id"]];
            Negative {
                kind: h["kind"].clone(),
                name: cells[name].clone(),
                id: cells.get(id).cloned().unwrap_or_default(),
                address: address.map(|a| cells[a].clone()),
                member_id: h["member_id"].clone(),
                member_name: member["成员姓名"].clone(),
                member_county: member["县市区"].clone(),
                member_township: member["乡镇"].clone(),
            }
        })
        .collect()
}

/// A world with every adversarial negative frequent, and no rare characters so that names
/// are written as registered.
fn adversarial_world(seed: u64) -> (tempfile::TempDir, Vec<Negative>) {
    let mut config = SynthConfig::new(400, seed);
    config.rates = Rates::preset("adversarial").unwrap().unwrap();
    for o in [
        "adversarial_namesake_sequence=0.3",
        "adversarial_twin=0.3",
        "adversarial_namesake_township=0.3",
        "adversarial_near_stranger=0.3",
        "rare_char_name=0",
    ] {
        config.rates.set_from_arg(o).unwrap();
    }
    let (dir, _) = run(&config);
    let negatives = negatives(dir.path());
    (dir, negatives)
}

fn of_kind<'a>(all: &'a [Negative], kind: &str, at_least: usize) -> Vec<&'a Negative> {
    let found: Vec<&Negative> = all.iter().filter(|n| n.kind == kind).collect();
    assert!(
        found.len() >= at_least,
        "{} rows of {kind}, expected at least {at_least}",
        found.len()
    );
    found
}

/// The sequence number (digits 15–17) of an 18-character number.
fn seq(id: &str) -> i32 {
    id[14..17].parse().unwrap()
}

/// Valid numbers one substitution or adjacent transposition from `written`.
fn neighbours(written: &str) -> Vec<String> {
    hedui_core::resident_id::one_edit_neighbours(written)
        .iter()
        .map(|n| n.as_str().to_owned())
        .collect()
}

fn fails_check(written: &str) -> bool {
    matches!(
        hedui_core::ResidentId::parse(written),
        Err(hedui_core::resident_id::IdDefect::CheckMismatch { .. })
    )
}

/// Positions where two equally long strings differ.
fn differences(a: &str, b: &str) -> Vec<usize> {
    assert_eq!(a.len(), b.len(), "{a} / {b}");
    a.bytes()
        .zip(b.bytes())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| i)
        .collect()
}

/// The written number's valid neighbours that share the member's first 14 digits (born the
/// same day, issued in the same county) with a sequence `step` away, other than the member.
fn own_numbers_next_to(written: &str, member: &str, steps: &[i32]) -> Vec<String> {
    neighbours(written)
        .into_iter()
        .filter(|n| {
            n != member && n[..14] == member[..14] && steps.contains(&(seq(n) - seq(member)))
        })
        .collect()
}

#[test]
fn namesakes_write_a_number_one_slip_from_the_members() {
    let (_dir, all) = adversarial_world(31);
    for kind in ["namesake_seq_typo", "namesake_seq_transposition"] {
        for n in of_kind(&all, kind, 3) {
            assert_eq!(n.name, n.member_name, "{n:?}");
            let (w, m) = (n.id.as_str(), n.member_id.as_str());
            assert!(fails_check(w), "{n:?}");
            assert_eq!(w[..14], m[..14], "{n:?}");
            assert!(neighbours(w).contains(&n.member_id), "{n:?}");
            // The namesake's own number is the other valid neighbour: same sex, sequence ±2.
            let own = own_numbers_next_to(w, m, &[-2, 2]);
            assert!(!own.is_empty(), "{n:?}");
            if kind == "namesake_seq_typo" {
                assert_eq!(
                    differences(w, m),
                    [17],
                    "only the check is the namesake's: {n:?}"
                );
            } else {
                assert!(
                    own.iter().any(|o| {
                        let d = differences(w, o);
                        d.len() == 2 && d[1] == d[0] + 1
                    }),
                    "a transposition of the namesake's number: {n:?}"
                );
            }
        }
    }
    for n in of_kind(&all, "namesake_seq_random_typo", 10) {
        assert_eq!(n.name, n.member_name, "{n:?}");
        // A typo in the birth date can make an impossible date rather than a bad check.
        assert!(hedui_core::ResidentId::parse(&n.id).is_err(), "{n:?}");
        assert!(
            !own_numbers_next_to(&n.id, &n.member_id, &[-2, 2]).is_empty(),
            "one typo from a number sharing the member's first 14 digits: {n:?}"
        );
    }
    for n in of_kind(&all, "namesake_seq_legacy15", 3) {
        assert_eq!(n.name, n.member_name, "{n:?}");
        assert_eq!(n.id.len(), 15, "{n:?}");
        let upgraded = hedui_core::ResidentId::parse(&n.id).unwrap();
        assert!(upgraded.upgraded_from_15(), "{n:?}");
        let member = hedui_core::ResidentId::parse(&n.member_id).unwrap();
        assert_ne!(upgraded, member, "{n:?}");
        assert_eq!(upgraded.sex(), member.sex(), "{n:?}");
        // Typed digits: area, YYMMDD, sequence; only the sequence's last digit differs.
        let typed = member.to_legacy15().unwrap();
        assert_eq!(differences(&n.id, &typed), [14], "{n:?}");
        assert_eq!((seq(upgraded.as_str()) - seq(member.as_str())).abs(), 2);
    }
}

#[test]
fn twins_have_the_next_sequence_a_similar_name_and_a_number_one_slip_away() {
    let (_dir, all) = adversarial_world(32);
    let mut kinds = HashSet::new();
    for n in all.iter().filter(|n| n.kind.starts_with("twin_")) {
        kinds.insert(n.kind.as_str());
        let (w, m) = (n.id.as_str(), n.member_id.as_str());
        assert!(fails_check(w), "{n:?}");
        assert!(neighbours(w).contains(&n.member_id), "{n:?}");
        assert!(
            !own_numbers_next_to(w, m, &[-1, 1]).is_empty(),
            "the twin's own number is consecutive: {n:?}"
        );
        let (twin, member): (Vec<char>, Vec<char>) =
            (n.name.chars().collect(), n.member_name.chars().collect());
        assert_ne!(twin, member, "{n:?}");
        assert_eq!(twin[0], member[0], "same surname: {n:?}");
        let shared = twin[1..].iter().any(|c| member[1..].contains(c));
        let homophone = twin.len() == member.len()
            && twin.iter().zip(&member).filter(|(a, b)| a != b).count() == 1;
        assert!(shared || homophone, "{n:?}");
    }
    assert!(kinds.contains("twin_typo"), "{kinds:?}");
    assert!(
        all.iter().filter(|n| n.kind.starts_with("twin_")).count() >= 20,
        "twins are frequent at this rate"
    );
}

#[test]
fn township_namesakes_have_their_own_number_or_none_and_live_next_door() {
    let (_dir, all) = adversarial_world(33);
    for n in of_kind(&all, "namesake_township_valid", 5) {
        assert_eq!(n.name, n.member_name, "{n:?}");
        let own = hedui_core::ResidentId::parse(&n.id).unwrap();
        assert!(!own.upgraded_from_15());
        assert_ne!(n.id, n.member_id);
        assert_eq!(n.id[..14], n.member_id[..14], "{n:?}");
    }
    for n in of_kind(&all, "namesake_township_no_id", 5) {
        assert_eq!(n.name, n.member_name, "{n:?}");
        assert!(n.id.is_empty(), "{n:?}");
    }
    let mut next_door = 0;
    for n in all
        .iter()
        .filter(|n| n.kind.starts_with("namesake_township"))
    {
        let Some(address) = &n.address else { continue };
        assert!(!address.contains(&n.member_township), "{n:?}");
        let county = hedui_core::area::COUNTIES
            .iter()
            .find(|c| c.common_name == n.member_county)
            .unwrap();
        let at = county
            .townships
            .iter()
            .position(|t| *t == n.member_township)
            .unwrap();
        let next = county.townships[(at + 1) % county.townships.len()];
        next_door += usize::from(address.contains(next));
    }
    assert!(
        next_door >= 3,
        "{next_door} vehicle addresses name the next township"
    );
}

#[test]
fn near_strangers_share_nothing_but_a_number_one_slip_away() {
    let (_dir, all) = adversarial_world(34);
    let mut positions = HashSet::new();
    for kind in ["near_stranger_typo", "near_stranger_transposition"] {
        for n in of_kind(&all, kind, 5) {
            let (w, m) = (n.id.as_str(), n.member_id.as_str());
            assert!(hedui_core::ResidentId::parse(w).is_err(), "{n:?}");
            assert!(neighbours(w).contains(&n.member_id), "{n:?}");
            let d = differences(w, m);
            match kind {
                "near_stranger_typo" => assert_eq!(d.len(), 1, "{n:?}"),
                _ => assert!(d.len() == 2 && d[1] == d[0] + 1, "{n:?}"),
            }
            positions.insert(d[0]);
            assert!(
                !n.name.chars().any(|c| n.member_name.contains(c)),
                "no character in common: {n:?}"
            );
            if let Some(address) = &n.address {
                assert!(!address.contains(&n.member_township), "{n:?}");
            }
        }
    }
    assert!(
        positions.len() >= 6 && positions.iter().any(|&p| p < 14),
        "slips land at many positions: {positions:?}"
    );
}

#[test]
fn the_adversarial_preset_parses_and_keeps_the_positive_control() {
    let preset = Rates::preset("adversarial").unwrap().unwrap();
    let defaults = Rates::default();
    for rate in [
        preset.world.adversarial_namesake_sequence,
        preset.world.adversarial_twin,
        preset.world.adversarial_namesake_township,
        preset.world.adversarial_near_stranger,
    ] {
        assert!((0.02..=0.05).contains(&rate), "{rate}");
    }
    assert!(preset.defects.id_typo > defaults.defects.id_typo);
    assert!(preset.defects.id_transposition > defaults.defects.id_transposition);
    assert_eq!(preset.world.vehicle_holding, defaults.world.vehicle_holding);
    assert!(Rates::preset("no_such_preset").is_none());
    // The committed file is the one `--preset` embeds, and a flat file takes either table.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/adversarial.toml");
    let mut from_file = Rates::default();
    from_file.apply_file(&path).unwrap();
    assert_eq!(from_file, preset);
    let err = Rates::default()
        .apply_toml_str("adversarial_twin = 0.1\nadversarial_twim = 0.1\n", "x.toml")
        .unwrap_err();
    assert!(err.to_string().contains("adversarial_twim"), "{err}");
    assert!(
        Rates::default()
            .apply_toml_str("adversarial_twin = 1.5\n", "x.toml")
            .is_err()
    );

    // The member's own number with one slip still appears on the member's own records.
    let mut config = SynthConfig::new(400, 35);
    config.rates = preset;
    let (dir, _) = run(&config);
    let links = csv_rows(&dir.path().join(files::LINKS));
    let with_id = links
        .iter()
        .filter(|l| !l["defects"].contains("id_missing"))
        .count();
    for tag in ["id_typo", "id_transposition"] {
        let n = links.iter().filter(|l| l["defects"].contains(tag)).count();
        assert!(
            n * 25 > with_id,
            "{tag} on {n} of {with_id} links with a number"
        );
    }
    let kinds: HashSet<String> = csv_rows(&dir.path().join(files::HARD_NEGATIVES))
        .into_iter()
        .map(|h| h["kind"].clone())
        .collect();
    for kind in ["namesake_seq_typo", "twin_typo", "namesake_township_no_id"] {
        assert!(kinds.contains(kind), "{kinds:?}");
    }
    assert!(
        kinds.iter().any(|k| k.starts_with("near_stranger_")),
        "{kinds:?}"
    );
}

#[test]
fn the_default_world_has_no_adversarial_negatives() {
    let (dir, _) = run(&config(300, 36, &[]));
    let kinds: HashSet<String> = csv_rows(&dir.path().join(files::HARD_NEGATIVES))
        .into_iter()
        .map(|h| h["kind"].clone())
        .collect();
    let old: HashSet<String> = [
        "same_name_same_birth_date",
        "near_id",
        "relative_other_household",
    ]
    .map(String::from)
    .into();
    assert_eq!(kinds, old);
    let text = std::fs::read_to_string(dir.path().join(files::MANIFEST)).unwrap();
    assert!(
        !text.contains("adversarial"),
        "zero rates stay out of the manifest"
    );
    let (dir, _) = run(&config(50, 36, &["adversarial_twin=0.2"]));
    assert_eq!(
        manifest(dir.path())["rates"]["world"]["adversarial_twin"],
        0.2
    );
}

/// The GA table of vehicle states (机动车状态), letter by letter, as the national registry
/// names them.
const GA_STATES: [(char, &str); 17] = [
    ('A', "正常"),
    ('B', "转出"),
    ('C', "被盗抢"),
    ('D', "停驶"),
    ('E', "注销"),
    ('F', "抵押"),
    ('G', "违法未处理"),
    ('H', "海关监管"),
    ('I', "事故未处理"),
    ('J', "嫌疑车"),
    ('K', "查封"),
    ('L', "暂扣"),
    ('M', "强制注销"),
    ('N', "事故逃逸"),
    ('O', "锁定"),
    ('P', "达到报废标准公告牌证作废"),
    ('Q', "逾期未检验"),
];

/// A status cell of the national style decoded with the GA table, as a set of words.
fn decode_ga(code: &str) -> Option<std::collections::BTreeSet<&'static str>> {
    code.chars()
        .map(|c| GA_STATES.iter().find(|(l, _)| *l == c).map(|(_, w)| *w))
        .collect()
}

/// A status cell of the local style as a set of GA words: the generator's 报废 is the
/// national registry's 强制注销 (M), its 达到报废标准 the table's P.
fn local_as_ga(words: &str) -> std::collections::BTreeSet<&str> {
    words
        .split(',')
        .map(|w| match w {
            "报废" => "强制注销",
            "达到报废标准" => "达到报废标准公告牌证作废",
            w => w,
        })
        .collect()
}

fn national(households: u64, seed: u64, overrides: &[&str]) -> SynthConfig {
    let mut config = config(households, seed, overrides);
    config.export_style = ExportStyle::National;
    config
}

/// One CSV line as fields (no fields for an empty line).
fn fields(line: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Lines (CSV) or Excel rows of `file` whose field count is wrong or that are empty.
fn misshapen(dir: &Path, file: &str) -> HashSet<u64> {
    csv_rows(&dir.join(files::MALFORMED))
        .into_iter()
        .filter(|r| r["file"] == file && r["defect"] != "unparseable_date")
        .map(|r| r["line"].parse().unwrap())
        .collect()
}

/// Data lines of a CSV export, numbered as the truth numbers them (header is line 1).
fn data_lines(lines: &[String]) -> impl Iterator<Item = (u64, &String)> {
    // The text ends with CRLF, so the last split piece is empty and no line.
    let n = lines.len() - 1;
    lines[1..n]
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 2, l))
}

/// The same seed in both styles: one world, one truth, one row for one row; the national
/// files differ only in their columns, the status encoding and the split dates.
#[test]
fn the_national_style_writes_the_same_world() {
    let (local, _) = run(&config(300, 7, &[]));
    let (nat, _) = run(&national(300, 7, &[]));
    let (local, nat) = (local.path(), nat.path());
    for name in [
        files::RECIPIENTS,
        files::LINKS,
        files::EXPECTED_CANDIDATES,
        files::MALFORMED,
        files::HARD_NEGATIVES,
    ] {
        assert!(
            std::fs::read(local.join(name)).unwrap() == std::fs::read(nat.join(name)).unwrap(),
            "{name} differs between the styles"
        );
    }
    // The manifest records the headers written and names the style; nothing else differs.
    let (mut a, mut b) = (manifest(local), manifest(nat));
    assert!(
        a.get("export_style").is_none(),
        "the local manifest is as before"
    );
    assert_eq!(b["export_style"], "national");
    for m in [&mut a, &mut b] {
        let m = m.as_object_mut().unwrap();
        m.remove("export_style");
        m.remove("files");
    }
    assert_eq!(a, b);

    let (lo, na) = (export_lines(local), export_lines(nat));
    for file in [files::VEHICLES, files::LICENCES] {
        assert_eq!(lo[file].len(), na[file].len(), "{file} rows");
    }

    // Vehicles: the same row, with 身份证明名称 and the status as a GA code.
    let skip = misshapen(local, files::VEHICLES);
    let header = fields(&na[files::VEHICLES][0]);
    assert_eq!(header[6], "身份证明名称");
    let status_col = fields(&lo[files::VEHICLES][0])
        .iter()
        .position(|h| h == "机动车状态" || h == "状态")
        .unwrap();
    assert_eq!(status_col, 9);
    let mut compared = 0;
    for ((n, l), (_, v)) in data_lines(&lo[files::VEHICLES]).zip(data_lines(&na[files::VEHICLES])) {
        if skip.contains(&n) {
            continue;
        }
        let (mut l, mut v) = (fields(l), fields(v));
        assert_eq!((l.len(), v.len()), (11, 12), "line {n}");
        assert_eq!(v.remove(6), "A", "line {n}: a person's 居民身份证");
        let (words, code) = (l.remove(status_col), v.remove(status_col));
        assert_eq!(
            decode_ga(&code),
            Some(local_as_ga(&words)),
            "line {n}: {code} for {words}"
        );
        assert_eq!(l, v, "line {n}: the other cells");
        compared += 1;
    }
    assert!(compared > 1500, "{compared} vehicle rows compared");

    // Property: the same rows, a 28-character unit per title, 注销日期 only when cancelled.
    let skip = misshapen(local, files::PROPERTY);
    let ((_, ls), (_, ns)) = (sheet_rows(local), sheet_rows(nat));
    let rows: Vec<u64> = {
        let mut r: Vec<u64> = ls.keys().copied().collect();
        r.sort_unstable();
        r
    };
    let mut nr: Vec<u64> = ns.keys().copied().collect();
    nr.sort_unstable();
    assert_eq!(rows, nr, "property rows");
    let header_row = manifest(nat)["files"][files::PROPERTY]["title_rows"]
        .as_array()
        .unwrap()
        .len() as u64
        + 1;
    assert_eq!(ns[&header_row][1], "不动产单元号");
    let footer = *rows.last().unwrap();
    assert_eq!(ns[&footer][0], "合计");
    assert_eq!(ls[&footer][6], ns[&footer][7], "the same area total");
    let mut units: HashMap<String, String> = HashMap::new();
    let mut cancelled = 0;
    for n in header_row + 1..footer {
        if skip.contains(&n) {
            continue;
        }
        let (l, v) = (&ls[&n], &ns[&n]);
        assert_eq!(v[0], l[0], "row {n}");
        assert_eq!(v[2..=9], l[1..=8], "row {n}");
        let unit = &v[1];
        assert!(
            unit.len() == 28 && unit.starts_with("5325") && unit.is_ascii(),
            "row {n}: {unit}"
        );
        assert_eq!(
            units.entry(v[0].clone()).or_insert_with(|| unit.clone()),
            unit
        );
        if v[9] == "注销" {
            assert!(!v[10].is_empty() && v[10] == l[9], "row {n}: {v:?}");
            cancelled += 1;
        } else {
            assert!(v[10].is_empty(), "row {n}: {v:?}");
        }
    }
    assert!(cancelled > 10, "{cancelled} cancelled titles");
}

#[test]
fn national_vehicle_statuses_are_ga_codes_some_compound() {
    let (dir, _) = run(&national(300, 21, &[]));
    let lines = export_lines(dir.path());
    let skip = misshapen(dir.path(), files::VEHICLES);
    let header = fields(&lines[files::VEHICLES][0]);
    let at = header
        .iter()
        .position(|h| h == "机动车状态" || h == "状态代码")
        .unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, line) in data_lines(&lines[files::VEHICLES]) {
        if skip.contains(&n) {
            continue;
        }
        let code = fields(line)[at].clone();
        assert!(decode_ga(&code).is_some(), "line {n}: {code}");
        let letters: Vec<char> = code.chars().collect();
        assert!(
            !letters.is_empty() && letters.windows(2).all(|w| w[0] < w[1]),
            "line {n}: one letter per state, in order: {code}"
        );
        *seen.entry(code).or_default() += 1;
    }
    assert!(
        seen.keys().any(|c| c.chars().count() >= 2),
        "a compound code: {seen:?}"
    );
    // 正常, 报废 (强制注销), 注销 and the new 达到报废标准 all occur.
    for code in ["A", "M", "E", "P", "FG", "GQ"] {
        assert!(seen.contains_key(code), "{code} never written: {seen:?}");
    }
    // The status column's name is taken from the seed: both names occur over a few seeds.
    let names: HashSet<String> = (1..=8)
        .map(|seed| {
            let (dir, _) = run(&national(20, seed, &[]));
            let headers = manifest(dir.path())["files"][files::VEHICLES]["headers"].clone();
            headers[10].as_str().unwrap().to_owned()
        })
        .collect();
    let want: HashSet<String> = ["机动车状态", "状态代码"].map(String::from).into();
    assert_eq!(names, want);
}

#[test]
fn national_licences_date_the_end_in_the_column_of_its_kind() {
    let (local, _) = run(&config(300, 8, &[]));
    let (nat, _) = run(&national(300, 8, &[]));
    let (lo, na) = (export_lines(local.path()), export_lines(nat.path()));
    let skip = misshapen(local.path(), files::LICENCES);
    let header = fields(na[files::LICENCES][0].trim_start_matches('\u{FEFF}'));
    assert_eq!(
        header[9..=11],
        ["经营状态", "注销日期", "吊销日期"].map(String::from)
    );
    let mut by_status: HashMap<String, usize> = HashMap::new();
    for ((n, l), (_, v)) in data_lines(&lo[files::LICENCES]).zip(data_lines(&na[files::LICENCES])) {
        if skip.contains(&n) {
            continue;
        }
        let (l, v) = (fields(l), fields(v));
        assert_eq!((l.len(), v.len()), (10, 13), "line {n}");
        let (status, deregistered, revoked) = (&v[9], &v[10], &v[11]);
        assert_eq!(status, &l[7], "line {n}: status words stay words");
        match status.as_str() {
            "注销" => assert!(
                !deregistered.is_empty() && deregistered == &l[8] && revoked.is_empty(),
                "line {n}: {v:?}"
            ),
            "吊销" => assert!(
                !revoked.is_empty() && revoked == &l[8] && deregistered.is_empty(),
                "line {n}: {v:?}"
            ),
            _ => assert!(
                deregistered.is_empty() && revoked.is_empty(),
                "line {n}: {v:?}"
            ),
        }
        *by_status.entry(status.clone()).or_default() += 1;
        assert_eq!(v[..=6], l[..=6], "line {n}");
        assert_eq!(v[12], l[9], "line {n}: 住所");
        // 核准日期 is the last approved change, or the establishment when there was none.
        let approved = if l[8].is_empty() { &l[6] } else { &l[8] };
        assert_eq!(&v[7], approved, "line {n}");
        let county = v[8].strip_suffix("市场监督管理局").unwrap_or_default();
        assert!(
            hedui_core::area::COUNTIES
                .iter()
                .any(|c| c.full_name == county),
            "line {n}: {}",
            v[8]
        );
    }
    for status in ["注销", "吊销"] {
        assert!(
            by_status.get(status).copied().unwrap_or(0) > 5,
            "{status}: {by_status:?}"
        );
    }
}
