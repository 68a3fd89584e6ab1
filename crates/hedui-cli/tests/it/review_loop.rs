//! The review loop end to end on a copy of the demo world: a case store in the run
//! configuration, three nights, decisions between them.

use std::path::Path;

use crate::common::{TestContext, demo_world_with_store, fail, stderr, stdout, succeed};

/// Runs `hedui` with `args`, which must succeed; its stdout.
fn ok(ctx: &TestContext, args: &[&str]) -> String {
    stdout(&succeed(ctx.hedui().args(args)))
}

/// `(candidate_id, rule, line, status)` of each row of a run's candidates.csv.
fn cases(out: &Path) -> Vec<(String, String, String, String)> {
    let mut reader = csv::Reader::from_path(out.join("candidates.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, rule, line, status) = (at("candidate_id"), at("rule"), at("line"), at("status"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[id].to_owned(),
                r[rule].to_owned(),
                r[line].to_owned(),
                r[status].to_owned(),
            )
        })
        .collect()
}

fn status_of<'a>(cases: &'a [(String, String, String, String)], id: &str) -> &'a str {
    &cases.iter().find(|c| c.0 == id).unwrap().3
}

/// A copy of the demo world whose run configuration keeps a case store, and its config path.
fn world_with_store() -> (TestContext, String) {
    let world = TestContext::new();
    let config = demo_world_with_store(&world);
    (world, config)
}

#[test]
fn three_nights_new_open_suppressed_then_changed() {
    let (world, config) = world_with_store();
    let config = config.as_str();
    let night = |n: u32| {
        let out = world.path().join(format!("night{n}"));
        let summary = ok(
            &world,
            &[
                "-q",
                "check",
                "--config",
                config,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        (out, summary)
    };

    // Night 1: every case is new; the store and the folder are the owner's alone.
    let (out1, summary) = night(1);
    let first = cases(&out1);
    assert!(first.len() >= 3, "{first:?}");
    assert!(first.iter().all(|c| c.3 == "new"), "{first:?}");
    assert!(
        summary.contains(&format!("{} new", first.len())),
        "{summary}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o077;
        assert_eq!(mode(&world.path().join("hedui.db")), 0);
        assert_eq!(mode(&out1), 0);
        // Every file and folder, the report's pages and the worksheets included.
        let mut stack = vec![out1.clone()];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                assert_eq!(
                    mode(&path),
                    0,
                    "group or others can read {}",
                    path.display()
                );
                checked += 1;
                if path.is_dir() {
                    stack.push(path);
                }
            }
        }
        assert!(checked > 20, "{checked}");
    }

    // Between the nights: one vehicle case dismissed, one other case sent for a visit.
    let dismissed = first.iter().find(|c| c.1 == "vehicle").unwrap().clone();
    let visit = first.iter().find(|c| c.0 != dismissed.0).unwrap().clone();
    for (id, decision, reason) in [
        (&dismissed.0, "dismissed", "车辆已于2025年过户，登记未更新"),
        (&visit.0, "needs-visit", "需入户核实车辆实际使用人"),
    ] {
        ok(
            &world,
            &[
                "review",
                "decide",
                "--config",
                config,
                id,
                "--decision",
                decision,
                "--reason",
                reason,
                "--reviewer",
                "王某",
            ],
        );
    }
    let refused = fail(world.hedui().args([
        "review",
        "decide",
        "--config",
        config,
        "C000000000000",
        "--decision",
        "confirmed",
        "--reason",
        "x",
        "--reviewer",
        "王某",
    ]));
    assert!(stderr(&refused).contains("no case C000000000000"));

    // Night 2, same exports: decided on this very evidence, the rest still open.
    let (out2, _) = night(2);
    let second = cases(&out2);
    assert_eq!(status_of(&second, &dismissed.0), "suppressed");
    assert_eq!(status_of(&second, &visit.0), "needs_visit");
    assert!(
        second
            .iter()
            .filter(|c| c.0 != dismissed.0 && c.0 != visit.0)
            .all(|c| c.3 == "open"),
        "{second:?}"
    );
    // The household's page shows the decision history.
    let report: String = std::fs::read_dir(out2.join("report/households"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|page| page.contains(&dismissed.0))
        .collect();
    assert!(report.contains("车辆已于2025年过户") && report.contains("王某"));

    // Night 3: the dismissed vehicle's row changed (one VIN character): look again.
    let vehicles = world.path().join("vehicles.csv");
    let mut bytes = std::fs::read(&vehicles).unwrap();
    let line: usize = dismissed.2.parse().unwrap();
    let start = bytes
        .split(|b| *b == b'\n')
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let row_len = bytes[start..].iter().position(|b| *b == b'\n').unwrap();
    let row = &mut bytes[start..start + row_len];
    // The VIN is the row's first run of 17 ASCII letters and digits.
    let vin_end = (17..=row.len())
        .find(|&end| row[end - 17..end].iter().all(u8::is_ascii_alphanumeric))
        .unwrap();
    row[vin_end - 1] = if row[vin_end - 1] == b'0' { b'1' } else { b'0' };
    std::fs::write(&vehicles, bytes).unwrap();
    let (out3, summary) = night(3);
    let third = cases(&out3);
    assert_eq!(status_of(&third, &dismissed.0), "changed", "{summary}");
    assert_eq!(status_of(&third, &visit.0), "needs_visit");

    let listed = ok(
        &world,
        &["review", "list", "--config", config, "--status", "changed"],
    );
    assert!(
        listed.contains(&dismissed.0) && listed.contains("1 case(s)"),
        "{listed}"
    );
    let log = world.path().join("decisions.csv");
    ok(
        &world,
        &[
            "review",
            "export",
            "--config",
            config,
            "--out",
            log.to_str().unwrap(),
        ],
    );
    let exported = std::fs::read_to_string(&log).unwrap();
    assert_eq!(exported.lines().count(), 3, "{exported}");

    // The store rebuilt from the three folders and the log gives the same cases.
    let rebuilt = world.path().join("rebuilt.db");
    ok(
        &world,
        &[
            "store",
            "rebuild",
            "--store",
            rebuilt.to_str().unwrap(),
            "--run",
            out3.to_str().unwrap(),
            "--run",
            out1.to_str().unwrap(),
            "--run",
            out2.to_str().unwrap(),
            "--decisions",
            log.to_str().unwrap(),
        ],
    );
    let rebuilt_list = ok(
        &world,
        &[
            "review",
            "list",
            "--store",
            rebuilt.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let original_list = ok(
        &world,
        &["review", "list", "--config", config, "--format", "json"],
    );
    assert_eq!(rebuilt_list, original_list);
    let verified = ok(
        &world,
        &["store", "verify", "--store", rebuilt.to_str().unwrap()],
    );
    assert!(verified.contains("agrees"), "{verified}");
}

/// A worksheet as reviewers return it: the columns `review import` reads, one row each.
fn filled_worksheet(path: &Path, rows: &[[&str; 6]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("复核表").unwrap();
    let headers = [
        "线索编号",
        "复核结论",
        "复核意见",
        "复核人",
        "复核日期",
        "证据指纹",
    ];
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string(0, col, header).unwrap();
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(cells) {
            sheet.write_string(row, col, *cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_returned_worksheet_imports_whole_or_not_at_all_and_once() {
    let (world, config) = world_with_store();
    let config = config.as_str();
    let out1 = world.path().join("night1");
    ok(
        &world,
        &[
            "-q",
            "check",
            "--config",
            config,
            "--out",
            out1.to_str().unwrap(),
        ],
    );
    let first = cases(&out1);
    let (a, b) = (&first[0].0, &first[1].0);
    let sheet = world.path().join("returned.xlsx");

    // One bad row (a verdict the drop-down does not offer, a row with no reviewer):
    // nothing is imported, and every bad row is named.
    filled_worksheet(
        &sheet,
        &[
            [a, "不属实", "车已过户", "王某", "2026-12-02", ""],
            [b, "也许", "", "李某", "", ""],
            [b, "属实", "", "", "", ""],
        ],
    );
    let refused = fail(world.hedui().args([
        "review",
        "import",
        "--config",
        config,
        sheet.to_str().unwrap(),
    ]));
    let err = stderr(&refused);
    assert!(
        err.contains("2 invalid row(s); nothing imported")
            && err.contains("row 3: 复核结论 \"也许\"")
            && err.contains("row 4: no 复核人"),
        "{err}"
    );
    let log = world.path().join("decisions.csv");
    ok(
        &world,
        &[
            "review",
            "export",
            "--config",
            config,
            "--out",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);

    // Fixed: imported once; the same file again changes nothing.
    filled_worksheet(
        &sheet,
        &[
            [a, "不属实", "车已过户", "王某", "2026-12-02", ""],
            [b, "", "还在核", "李某", "", ""],
        ],
    );
    let imported = ok(
        &world,
        &[
            "review",
            "import",
            "--config",
            config,
            sheet.to_str().unwrap(),
        ],
    );
    assert!(
        imported.contains("1 decision(s) imported, 0 already recorded"),
        "{imported}"
    );
    assert!(
        imported.contains("1 row(s) with a note but no 复核结论"),
        "{imported}"
    );
    let again = ok(
        &world,
        &[
            "review",
            "import",
            "--config",
            config,
            sheet.to_str().unwrap(),
        ],
    );
    assert!(
        again.contains("0 decision(s) imported, 1 already recorded"),
        "{again}"
    );

    let out2 = world.path().join("night2");
    ok(
        &world,
        &[
            "-q",
            "check",
            "--config",
            config,
            "--out",
            out2.to_str().unwrap(),
        ],
    );
    let second = cases(&out2);
    assert_eq!(status_of(&second, a), "suppressed");
    assert_eq!(status_of(&second, b), "open");
}

/// The line `line` (1-based) of a file, as bytes, and where it starts.
fn line_of(bytes: &[u8], line: usize) -> (usize, Vec<u8>) {
    let start: usize = bytes
        .split(|b| *b == b'\n')
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum();
    let len = bytes[start..]
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len() - start);
    (start, bytes[start..start + len].to_vec())
}

/// Replaces the first `from` in `row` by `to` (both ASCII or UTF-8, the same length).
fn replace_in(row: &mut [u8], from: &[u8], to: &[u8]) {
    let at = row
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{:?} not in the row", String::from_utf8_lossy(from)));
    row[at..at + to.len()].copy_from_slice(to);
}

/// `changes.csv` as (kind, candidate_id) pairs, sorted.
fn change_kinds(out: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(out.join("changes.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (kind, id) = (at("change"), at("candidate_id"));
    let mut rows: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[kind].to_owned(), r[id].to_owned())
        })
        .collect();
    rows.sort();
    rows
}

/// The issue's three nights: night 2 brings a new vehicle for one household and a licence
/// deregistered for another, and a reviewer's dismissal comes back through the night-1
/// worksheet; night 3 changes the dismissed case's source row. Every status and every
/// change is asserted exactly.
#[test]
fn three_nights_of_the_issue() {
    let (world, config) = world_with_store();
    let config = config.as_str();
    let night = |n: u32| {
        // Each night writes its own folder and is compared with the night before, as the
        // nightly service does.
        let out = world.path().join(format!("night{n}"));
        let before = world.path().join(format!("night{}", n - 1));
        let mut args = vec![
            "-q",
            "check",
            "--config",
            config,
            "--out",
            out.to_str().unwrap(),
        ];
        if n > 1 {
            args.extend(["--since", before.to_str().unwrap()]);
        }
        ok(&world, &args);
        out
    };
    let out1 = night(1);
    let first = cases(&out1);
    assert!(first.iter().all(|c| c.3 == "new"), "{first:?}");
    let vehicles: Vec<_> = first.iter().filter(|c| c.1 == "vehicle").collect();
    let (cloned, dismissed) = (vehicles[0].clone(), vehicles[1].clone());
    let licence = first.iter().find(|c| c.1 == "licence").unwrap().clone();

    // Night 2's exports. A new vehicle: a copy of one candidate's row under a new plate and
    // VIN (their last characters changed), for the same member.
    let vehicles_csv = world.path().join("vehicles.csv");
    let mut bytes = std::fs::read(&vehicles_csv).unwrap();
    let (_, mut row) = line_of(&bytes, cloned.2.parse().unwrap());
    // The file is GB18030: positions are found in its bytes, on ASCII characters only.
    let plate_end = row.iter().position(|b| *b == b',').unwrap();
    row[plate_end - 1] = if row[plate_end - 1] == b'X' {
        b'Y'
    } else {
        b'X'
    };
    let vin_end = (17..=row.len())
        .find(|&end| row[end - 17..end].iter().all(u8::is_ascii_alphanumeric))
        .unwrap();
    row[vin_end - 1] = if row[vin_end - 1] == b'9' { b'8' } else { b'9' };
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&row);
    bytes.push(b'\n');
    std::fs::write(&vehicles_csv, &bytes).unwrap();
    // A licence deregistered in March, before the check date.
    let licences_csv = world.path().join("licences.csv");
    let mut bytes = std::fs::read(&licences_csv).unwrap();
    let (start, mut row) = line_of(&bytes, licence.2.parse().unwrap());
    let text = String::from_utf8(row.clone()).unwrap();
    let cells: Vec<&str> = text.split(',').collect();
    let (status, date) = (cells[7], cells[8]);
    assert!(["在业", "存续", "开业"].contains(&status), "{text}");
    replace_in(
        &mut row,
        format!(",{status},{date},").as_bytes(),
        ",注销,2026-03-01,".as_bytes(),
    );
    bytes.splice(start..start + row.len(), row.iter().copied());
    std::fs::write(&licences_csv, &bytes).unwrap();
    // The reviewer's verdict on the night-1 worksheet: not true.
    let sheet = world.path().join("returned.xlsx");
    filled_worksheet(
        &sheet,
        &[[
            &dismissed.0,
            "不属实",
            "车辆已于2025年过户",
            "王某",
            "2026-12-02",
            "",
        ]],
    );
    let imported = ok(
        &world,
        &[
            "review",
            "import",
            "--config",
            config,
            sheet.to_str().unwrap(),
        ],
    );
    assert!(imported.contains("1 decision(s) imported"), "{imported}");

    let out2 = night(2);
    let second = cases(&out2);
    let new_vehicle: Vec<_> = second
        .iter()
        .filter(|c| !first.iter().any(|f| f.0 == c.0))
        .collect();
    assert_eq!(new_vehicle.len(), 1, "{second:?}");
    assert_eq!(
        (new_vehicle[0].1.as_str(), new_vehicle[0].3.as_str()),
        ("vehicle", "new")
    );
    assert!(
        !second.iter().any(|c| c.0 == licence.0),
        "the ended licence still counts"
    );
    for c in &second {
        let expected = if c.0 == new_vehicle[0].0 {
            "new"
        } else if c.0 == dismissed.0 {
            "suppressed"
        } else {
            "open"
        };
        assert_eq!(c.3, expected, "{c:?}");
    }
    let mut expected_changes = vec![
        ("dropped".to_owned(), licence.0.clone()),
        ("new".to_owned(), new_vehicle[0].0.clone()),
    ];
    expected_changes.sort();
    assert_eq!(change_kinds(&out2), expected_changes);

    // Night 3: the dismissed vehicle's row changes (its VIN's last character).
    let mut bytes = std::fs::read(&vehicles_csv).unwrap();
    let (start, mut row) = line_of(&bytes, dismissed.2.parse().unwrap());
    let vin_end = (17..=row.len())
        .find(|&end| row[end - 17..end].iter().all(u8::is_ascii_alphanumeric))
        .unwrap();
    row[vin_end - 1] = if row[vin_end - 1] == b'0' { b'1' } else { b'0' };
    bytes.splice(start..start + row.len(), row.iter().copied());
    std::fs::write(&vehicles_csv, &bytes).unwrap();
    let out3 = night(3);
    let third = cases(&out3);
    for c in &third {
        let expected = if c.0 == dismissed.0 {
            "changed"
        } else {
            "open"
        };
        assert_eq!(c.3, expected, "{c:?}");
    }
    assert_eq!(third.len(), second.len());
    assert!(change_kinds(&out3).is_empty(), "{:?}", change_kinds(&out3));
}

/// What a reviewer does with a county worksheet `check` wrote: opens it, fills the review
/// columns of the rows in `verdicts` (by candidate id) and saves it. Everything else,
/// the hidden id column included, is kept; `blank_visible_id` also clears the visible
/// 线索编号 of those rows, as a slip of the hand would.
fn returned_county_sheet(
    written: &Path,
    saved: &Path,
    verdicts: &[(&str, &str)],
    blank_visible_id: bool,
) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(written).unwrap();
    let range = book.worksheet_range("复核表").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let at = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (hidden, visible) = (at("candidate_id"), at("线索编号"));
    let (verdict, note, reviewer, date) =
        (at("复核结论"), at("复核意见"), at("复核人"), at("复核日期"));
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    sheet.set_name("复核表").unwrap();
    for (r, row) in (0u32..).zip(&rows) {
        let mut row = row.clone();
        if let Some((_, v)) = verdicts.iter().find(|(id, _)| row[hidden] == *id) {
            row[verdict] = (*v).to_owned();
            row[note] = "入户核实".to_owned();
            row[reviewer] = "赵某".to_owned();
            row[date] = "2026-12-03".to_owned();
            if blank_visible_id {
                row[visible].clear();
            }
        }
        for (c, cell) in (0u16..).zip(&row) {
            sheet.write_string(r, c, cell).unwrap();
        }
    }
    out.save(saved).unwrap();
}

#[test]
fn county_worksheets_go_out_to_the_offices_and_come_back_one_by_one() {
    let (world, config) = world_with_store();
    let config = config.as_str();
    let out = world.path().join("night1");
    ok(
        &world,
        &[
            "-q",
            "check",
            "--config",
            config,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let all = cases(&out);
    let mut sheets: Vec<_> = std::fs::read_dir(out.join("worksheets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    sheets.sort();
    assert!(sheets.len() >= 2, "{sheets:?}");
    // Each county's worksheet holds its cases and only those; together, every case once.
    let ids_in = |path: &Path| -> Vec<String> {
        use calamine::{Reader, open_workbook_auto};
        let mut book = open_workbook_auto(path).unwrap();
        let range = book.worksheet_range("复核表").unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let hidden = header.iter().position(|h| h == "candidate_id").unwrap();
        range
            .rows()
            .skip(1)
            .map(|r| r[hidden].to_string())
            .collect()
    };
    let mut together: Vec<String> = sheets.iter().flat_map(|s| ids_in(s)).collect();
    together.sort();
    let mut expected: Vec<String> = all.iter().map(|c| c.0.clone()).collect();
    expected.sort();
    assert_eq!(together, expected);

    // Two offices return their sheets; the first reviewer also wiped a visible id.
    let (first, second) = (ids_in(&sheets[0]), ids_in(&sheets[1]));
    let returned_1 = world.path().join("returned-1.xlsx");
    let returned_2 = world.path().join("returned-2.xlsx");
    returned_county_sheet(&sheets[0], &returned_1, &[(&first[0], "不属实")], true);
    returned_county_sheet(&sheets[1], &returned_2, &[(&second[0], "待核实")], false);
    for (sheet, expected) in [
        (&returned_1, "1 decision(s) imported"),
        (&returned_2, "1 decision(s) imported"),
    ] {
        let imported = ok(
            &world,
            &[
                "review",
                "import",
                "--config",
                config,
                sheet.to_str().unwrap(),
            ],
        );
        assert!(imported.contains(expected), "{imported}");
    }
    let again = ok(
        &world,
        &[
            "review",
            "import",
            "--config",
            config,
            returned_1.to_str().unwrap(),
        ],
    );
    assert!(
        again.contains("0 decision(s) imported, 1 already recorded"),
        "{again}"
    );

    // The next run: one case suppressed, one for a visit, the rest open.
    let out2 = world.path().join("night2");
    ok(
        &world,
        &[
            "-q",
            "check",
            "--config",
            config,
            "--out",
            out2.to_str().unwrap(),
        ],
    );
    let now = cases(&out2);
    assert_eq!(status_of(&now, &first[0]), "suppressed");
    assert_eq!(status_of(&now, &second[0]), "needs_visit");
    assert_eq!(now.iter().filter(|c| c.3 == "open").count(), now.len() - 2);
}

#[test]
fn the_single_report_is_still_there_for_small_runs() {
    let (world, config) = world_with_store();
    let out = world.path().join("out");
    ok(
        &world,
        &[
            "-q",
            "check",
            "--config",
            &config,
            "--out",
            out.to_str().unwrap(),
            "--report",
            "single",
        ],
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!out.join("report").exists());
    // Every candidate in the one file, each once.
    for case in cases(&out) {
        assert_eq!(
            html.matches(&format!("data-candidate=\"{}\"", case.0))
                .count(),
            1
        );
    }
}
