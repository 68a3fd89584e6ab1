//! `hedui check` and `hedui explain` on the committed demo world, through the built binary:
//! determinism of the output folder, masking, exit codes and messages, atomic replacement of
//! a previous run, and snapshots of `candidates.csv` and of two `explain` cases.
//!
//! A debug-build demo run takes about ten seconds, so the suite makes three (a plain run
//! shared by most tests, a second plain run on one thread for determinism, and a masked
//! run), each once, behind a `OnceLock`. Failing runs stop at the policy or the first
//! source and cost nothing.
//!
//! Like `validate_snapshots`, the binary runs in the crate folder with a relative config
//! path, so every path it prints is the same on every machine; temporary folders are
//! replaced by `[OUT]`. The snapshots contain each input's SHA-256 (through candidate ids
//! and `explain`), so regenerating `fixtures/demo` changes them: review with
//! `INSTA_UPDATE=always cargo test -p hedui-cli --test it check_outputs` and a diff.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use hedui_core::CreditCode;
use hedui_core::resident_id::ResidentId;

use crate::common::{
    DEMO_CONFIG, TestContext, demo_dir, entries, fail, files, folder_bytes, run, stderr, succeed,
};

/// The files and folders `hedui check` writes (README, "what a run writes"), sorted.
const DOCUMENTED: [&str; 10] = [
    "candidates.csv",
    "candidates.xlsx",
    "changes.csv",
    "evidence.jsonl",
    "links.csv",
    "manifest.json",
    // The demo reads a 备案 register.
    "register_stale.csv",
    "rejects.csv",
    "report",
    "worksheets",
];

/// A finished `hedui check` of the demo world: its output folder is `out` inside the
/// context's folder.
struct DemoRun {
    context: TestContext,
    out: PathBuf,
}

impl DemoRun {
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.out.join(name)).unwrap()
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap()
    }

    fn out_str(&self) -> &str {
        self.out.to_str().unwrap()
    }
}

fn check_demo(extra: &[&str], threads: Option<&str>) -> DemoRun {
    let context = TestContext::new();
    let out = context.child("out");
    let mut args = vec!["-q", "check", "--config", DEMO_CONFIG, "--out"];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    let mut command = context.hedui();
    command.args(&args);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads);
    }
    let output = run(&mut command);
    assert_eq!(
        output.status.code(),
        Some(0),
        "hedui check {extra:?} failed:\n{}",
        stderr(&output)
    );
    DemoRun { context, out }
}

/// The plain (unmasked) demo run most tests look at.
fn plain() -> &'static DemoRun {
    static RUN: OnceLock<DemoRun> = OnceLock::new();
    RUN.get_or_init(|| check_demo(&[], None))
}

/// The demo with a link threshold no match can reach, so that every match falls to the review band
/// and produce review candidates (the demo at default settings has none).
fn strict() -> &'static DemoRun {
    static RUN: OnceLock<DemoRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let context = TestContext::new();
        let path = demo_config(&context, "", "[matching]\nlink_threshold = 1.0\n");
        let out = context.child("out");
        let output = run(context.hedui().args([
            "-q",
            "check",
            "--config",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]));
        assert_eq!(
            output.status.code(),
            Some(0),
            "strict run failed:\n{}",
            stderr(&output)
        );
        DemoRun { context, out }
    })
}

/// The demo's configuration written into `context` with its paths made absolute, `top`
/// before its first line and `tail` after its last.
fn demo_config(context: &TestContext, top: &str, tail: &str) -> PathBuf {
    let demo = std::fs::canonicalize("../../fixtures/demo").unwrap();
    let config = std::fs::read_to_string(demo.join("hedui.toml"))
        .unwrap()
        .replace("path = \"", &format!("path = \"{}/", demo.display()))
        .replace("policy = \"", &format!("policy = \"{}/", demo.display()));
    let path = context.child("demo.toml");
    std::fs::write(&path, format!("{top}{config}\n{tail}")).unwrap();
    path
}

/// The masked demo run.
fn masked() -> &'static DemoRun {
    static RUN: OnceLock<DemoRun> = OnceLock::new();
    RUN.get_or_init(|| check_demo(&["--mask"], None))
}

/// `manifest.json` without the two values that may differ between runs of the same inputs.
fn manifest_without_clock(run: &DemoRun) -> (serde_json::Value, String) {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&run.read("manifest.json")).unwrap();
    let object = manifest.as_object_mut().unwrap();
    let generated_at = object.remove("generated_at").unwrap();
    let timings = object.remove("timings").unwrap();
    assert_eq!(
        timings
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t[0].as_str().unwrap())
            .collect::<Vec<_>>(),
        [
            "ingest",
            "contract",
            "match",
            "policy",
            "evidence",
            "report",
            "worksheets",
            "outputs"
        ]
    );
    (manifest, generated_at.as_str().unwrap().to_owned())
}

/// Two runs of the same inputs write the same bytes; the second runs on one thread, so
/// this also holds the promise that results do not depend on the thread count.
#[test]
fn two_runs_write_identical_outputs() {
    let first = plain();
    let second = check_demo(&[], Some("1"));
    for name in [
        "links.csv",
        "candidates.csv",
        "evidence.jsonl",
        "rejects.csv",
        "candidates.xlsx",
    ] {
        assert!(
            first.read(name) == second.read(name),
            "{name} differs between two runs"
        );
    }
    assert!(
        first.text("candidates.csv").lines().count() > 1,
        "the demo must produce candidates"
    );

    let (manifest_1, at_1) = manifest_without_clock(first);
    let (manifest_2, at_2) = manifest_without_clock(&second);
    assert_eq!(
        manifest_1, manifest_2,
        "manifest.json differs beyond generated_at and timings"
    );
    // The report shows the generation time once, on its index, and nothing else differs.
    let report_1 = folder_bytes(&first.out.join("report"));
    let report_2 = folder_bytes(&second.out.join("report"));
    assert_eq!(report_1.len(), report_2.len());
    let mut shown = 0;
    for ((name_1, page_1), (name_2, page_2)) in report_1.iter().zip(&report_2) {
        assert_eq!(name_1, name_2);
        let (page_1, page_2) = (
            String::from_utf8_lossy(page_1),
            String::from_utf8_lossy(page_2),
        );
        shown += page_1.matches(&at_1).count();
        assert_eq!(
            page_1.replace(&at_1, "[GENERATED_AT]"),
            page_2.replace(&at_2, "[GENERATED_AT]"),
            "report/{name_1} differs beyond generated_at"
        );
    }
    assert_eq!(shown, 1, "generated_at {at_1}");
    assert!(
        folder_bytes(&first.out.join("worksheets")) == folder_bytes(&second.out.join("worksheets")),
        "the county worksheets differ between two runs"
    );
}

/// `--partition county` matches one county's owners at a time and writes the same folder:
/// every file the same bytes, the manifest the same but for the clock and the record of
/// how the run was split, whose partitions add up to the run's owners and pairs.
#[test]
fn partitioned_by_county_the_demo_gives_the_same_outputs() {
    let split = check_demo(&["--partition", "county"], None);
    crate::common::assert_same_results(&plain().out, &split.out);
    let manifest: serde_json::Value = serde_json::from_slice(&split.read("manifest.json")).unwrap();
    let whole: serde_json::Value = serde_json::from_slice(&plain().read("manifest.json")).unwrap();
    assert_eq!(whole["execution"]["partition"], "none");
    assert_eq!(whole["execution"]["raw_cells"], "disk");
    crate::partition::assert_partitions_add_up(&manifest);
}

/// Raw cells held with the rows or kept in the temporary store: the same outputs, and the
/// manifest says which, with the bytes stored.
#[test]
fn raw_cells_in_memory_or_on_disk_give_the_same_outputs() {
    let context = TestContext::new();
    let check = |top: &str, out: &Path| -> serde_json::Value {
        // One configuration path for both runs: the manifest names it.
        let config = demo_config(&context, top, "");
        let check = ["-q", "check", "--config"];
        succeed(
            context
                .hedui()
                .args(check)
                .arg(config)
                .arg("--out")
                .arg(out),
        );
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
    };
    let (held_out, stored_out) = (context.child("held"), context.child("stored"));
    let held = check("raw_cells = \"memory\"\n", &held_out);
    let stored = check("", &stored_out);
    crate::common::assert_same_results(&held_out, &stored_out);
    assert_eq!(held["execution"]["raw_cells"], "memory");
    assert!(held["execution"].get("raw_cells_stored_bytes").is_none());
    assert_eq!(stored["execution"]["raw_cells"], "disk");
    let bytes = stored["execution"]["raw_cells_stored_bytes"]
        .as_u64()
        .unwrap();
    // At least a byte for each accepted row's cells (none of them is empty).
    let accepted: u64 = stored["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["accepted"].as_u64().unwrap())
        .sum();
    assert!(bytes > accepted, "{bytes} bytes for {accepted} rows");
}

/// The store is an unnamed file in `TMPDIR`: nothing is left there after a run, and a
/// folder that cannot take it stops the run with a message that names it and the remedy.
#[test]
fn the_cell_store_leaves_nothing_behind_and_names_a_folder_it_cannot_use() {
    let context = TestContext::new();
    let tmp = context.child("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = context.child("out");
    let check = |tmp: &Path| {
        run(context
            .hedui()
            .env("TMPDIR", tmp)
            .args(["-q", "check", "--config", DEMO_CONFIG, "--out"])
            .arg(&out))
    };
    let output = check(&tmp);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);

    let missing = context.child("no-such-folder");
    let output = check(&missing);
    assert_ne!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert!(
        message.contains("temporary folder")
            && message.contains("no-such-folder")
            && message.contains("TMPDIR"),
        "{message}"
    );
}

/// Registration rows outside every staff member's 户号 are read and checked, then left out
/// of matching: the manifest counts them, and no link points at one.
#[test]
fn registration_rows_no_rule_reads_are_counted_not_linked() {
    let run = plain();
    let manifest: serde_json::Value = serde_json::from_slice(&run.read("manifest.json")).unwrap();
    let hukou = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "hukou")
        .unwrap();
    let accepted = hukou["accepted"].as_u64().unwrap();
    let set_aside = manifest["counts"]["not_matched"]["hukou"].as_u64().unwrap();
    assert!(
        set_aside > 0 && set_aside < accepted,
        "{set_aside} of {accepted} set aside"
    );
    let mut links = flexible_csv(&run.out.join("links.csv"));
    let file = column(&mut links, "file");
    let line = column(&mut links, "line");
    let linked: BTreeSet<String> = links
        .records()
        .map(Result::unwrap)
        .filter(|r| r[file].ends_with("hukou.csv"))
        .map(|r| r[line].to_owned())
        .collect();
    assert!(
        !linked.is_empty(),
        "staff households' rows are still linked"
    );
    assert!(
        linked.len() as u64 <= accepted - set_aside,
        "{} linked rows, {} kept",
        linked.len(),
        accepted - set_aside
    );
}

#[test]
fn output_folder_holds_exactly_the_documented_files() {
    for run in [plain(), masked()] {
        assert_eq!(entries(&run.out), DOCUMENTED, "{}", run.out_str());
        assert_eq!(
            entries(run.context.path()),
            ["out"],
            "temporary folders left beside the output"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&masked().read("manifest.json")).unwrap();
    assert_eq!(manifest["masked"], true);
}

// ---------------------------------------------------------------------------------------
// Masking

/// Every run of 15 or more digits (ASCII or full-width), with a trailing X if any, that is
/// not the fraction of a decimal number (JSON floats have long fractions): the shape of an
/// identity number, new (18) or legacy (15). Returned with the alphanumeric token around it
/// (a credit code is digits and capitals), folded to ASCII.
fn long_digit_runs(text: &str) -> Vec<(String, String)> {
    let fold = |c: char| match c {
        '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    };
    let chars: Vec<char> = text.chars().map(fold).collect();
    let alnum = |i: usize| chars.get(i).is_some_and(char::is_ascii_alphanumeric);
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if matches!(chars.get(end), Some('X' | 'x')) {
            end += 1;
        }
        let fraction = start >= 2 && chars[start - 1] == '.' && chars[start - 2].is_ascii_digit();
        if i - start >= 15 && !fraction {
            let (mut lo, mut hi) = (start, end);
            while lo > 0 && alnum(lo - 1) {
                lo -= 1;
            }
            while alnum(hi) {
                hi += 1;
            }
            found.push((
                chars[start..end].iter().collect(),
                chars[lo..hi].iter().collect(),
            ));
        }
        i = end;
    }
    found
}

/// Text with full-width digits folded and the separators people type inside numbers
/// removed, so `５３２５０１…` and `532501 19710531 100X` still show the number.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// A CSV reader that accepts the demo's rows with a wrong field count (they are there to be
/// rejected).
fn flexible_csv(path: &Path) -> csv::Reader<std::fs::File> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap()
}

/// The position of the column headed `name`.
fn column(reader: &mut csv::Reader<std::fs::File>, name: &str) -> usize {
    let headers = reader.headers().unwrap();
    headers.iter().position(|h| h == name).unwrap()
}

/// The canonical identity numbers of the demo roster.
fn roster_ids() -> BTreeSet<String> {
    let mut reader = flexible_csv(&demo_dir().join("recipients.csv"));
    let column = column(&mut reader, "身份证号");
    let ids: BTreeSet<String> = reader
        .records()
        .filter_map(|r| ResidentId::parse(&r.unwrap()[column]).ok())
        .map(|id| id.as_str().to_owned())
        .collect();
    assert!(ids.len() > 2000, "{} roster ids", ids.len());
    ids
}

/// Unified credit codes and registration numbers of the demo's licences: long digit runs
/// that are record keys, not people.
fn credit_codes() -> BTreeSet<String> {
    let mut reader = flexible_csv(&demo_dir().join("licences.csv"));
    reader
        .records()
        .filter_map(|r| CreditCode::parse(r.unwrap().get(0)?).ok())
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// The text of every output file: text files as they are, the workbook as the text of
/// each of its XML parts (cells, shared strings, properties).
fn output_texts(dir: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for name in files(dir) {
        let path = dir.join(&name);
        if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut text = String::new();
                part.read_to_string(&mut text).unwrap();
                texts.push((format!("{name}:{}", part.name().unwrap()), text));
            }
        } else {
            texts.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    texts
}

/// Identity numbers in the outputs of `dir`: roster numbers in any spelling, and any
/// digit run shaped like an identity number that is not a licence's credit code.
fn identity_numbers_in(dir: &Path) -> Vec<String> {
    let roster = roster_ids();
    let codes = credit_codes();
    let mut leaks = Vec::new();
    for (file, text) in output_texts(dir) {
        let squeezed = squeezed(&text);
        let hits = roster
            .iter()
            .filter(|id| squeezed.contains(id.as_str()))
            .count();
        if hits > 0 {
            leaks.push(format!("{file}: {hits} roster identity numbers"));
        }
        for (run, token) in long_digit_runs(&text) {
            let code = token.to_ascii_uppercase();
            let is_credit_code = codes.contains(&code) && ResidentId::parse(&code).is_err();
            // A SHA-256 (of a policy or input file) can hold 15 digits in a row by chance.
            let is_hash = token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit());
            if !is_credit_code && !is_hash {
                let valid = ResidentId::parse(&run).is_ok();
                leaks.push(format!(
                    "{file}: {}digit run {} in {token}",
                    if valid { "valid identity number " } else { "" },
                    run.len()
                ));
            }
        }
    }
    leaks
}

#[test]
fn masked_outputs_hold_no_identity_number() {
    let leaks = identity_numbers_in(&masked().out);
    assert!(leaks.is_empty(), "--mask leaks:\n{}", leaks.join("\n"));
    // Not vacuous: the masked files do carry the masked numbers...
    let candidates = masked().text("candidates.csv");
    assert!(candidates.contains("********"), "{candidates}");
    // ...and the same scan finds the numbers in every file of a plain run that has them.
    let found = identity_numbers_in(&plain().out).join("\n");
    for name in [
        "candidates.csv",
        "evidence.jsonl",
        "links.csv",
        "rejects.csv",
        "report/households/",
        "candidates.xlsx",
        "worksheets/",
    ] {
        assert!(
            found.contains(name),
            "no id found in plain {name}:\n{found}"
        );
    }
}

#[test]
fn the_digit_scanner_tells_ids_from_floats_and_codes() {
    let runs = |t: &str| -> Vec<String> { long_digit_runs(t).into_iter().map(|r| r.0).collect() };
    assert_eq!(runs("id 53250119710531100X."), ["53250119710531100X"]);
    assert_eq!(
        runs("５３２５０１１９７１０５３１１００Ｘ"),
        ["53250119710531100X"]
    );
    assert_eq!(
        runs("p = 0.0003707823507601038, 12345678901234"),
        Vec::<String>::new()
    );
    assert_eq!(runs("532501710531100"), ["532501710531100"]);
    assert_eq!(
        long_digit_runs("code 92532503434371917P;")[0].1,
        "92532503434371917P"
    );
    assert!(squeezed("532501 19710531 100x").contains("53250119710531100X"));
}

// ---------------------------------------------------------------------------------------
// Exit codes and messages

/// A folder with a run configuration that points at the demo data by absolute path and at
/// `policy.toml` in the folder, which holds `policy`.
fn config_with_policy(policy: Option<&[u8]>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_dir().canonicalize().unwrap();
    let data = |name: &str| demo.join(name).to_str().unwrap().replace('\\', "/");
    let toml = format!(
        "check_date = \"2026-06-30\"\npolicy = \"policy.toml\"\n\n\
         [recipients]\npath = \"{}\"\n\n\
         [[sources]]\nkind = \"vehicle\"\npath = \"{}\"\n\n\
         [[sources]]\nkind = \"licence\"\npath = \"{}\"\n\n\
         [[sources]]\nkind = \"property\"\npath = \"{}\"\n",
        data("recipients.csv"),
        data("vehicles.csv"),
        data("licences.csv"),
        data("property.xlsx"),
    );
    std::fs::write(dir.path().join("hedui.toml"), toml).unwrap();
    if let Some(policy) = policy {
        std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    }
    let config = dir.path().join("hedui.toml").to_str().unwrap().to_owned();
    (dir, config)
}

fn demo_policy() -> String {
    std::fs::read_to_string(demo_dir().join("policy.toml")).unwrap()
}

/// Runs `check` expecting exit 1, no summary and no output folder; returns stderr.
fn check_fails(config: &str) -> String {
    let context = TestContext::new();
    let out = context.child("out");
    let output =
        fail(
            context
                .hedui()
                .args(["check", "--config", config, "--out", out.to_str().unwrap()]),
        );
    assert!(output.stdout.is_empty(), "no summary on failure");
    assert!(
        entries(context.path()).is_empty(),
        "a failed run wrote files"
    );
    stderr(&output)
}

#[test]
fn configuration_errors_exit_1_and_name_the_file_and_key() {
    // No policy file at all.
    let (dir, config) = config_with_policy(None);
    let err = check_fails(&config);
    assert!(
        err.contains("policy.toml") && err.contains("cannot read"),
        "{err}"
    );

    // A misspelt key: the message names the file, the key and where it is.
    let policy = demo_policy().replace("max_homes = 1", "max_homes = 1\nmax_hommes = 2");
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let err = check_fails(&config);
    assert!(
        err.contains("policy.toml")
            && err.contains("max_hommes")
            && err.contains("rules.property_multi_residential"),
        "{err}"
    );

    // A value of the wrong type names the key it belongs to.
    let policy = demo_policy().replace("max_homes = 1", "max_homes = \"one\"");
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let err = check_fails(&config);
    assert!(
        err.contains("policy.toml") && err.contains("max_homes"),
        "{err}"
    );

    // A value that parses but makes no sense names its key.
    let policy = demo_policy().replacen("{ exact = \"注销\" }", "{ exact = \" \" }", 1);
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let err = check_fails(&config);
    assert!(
        err.contains("policy.toml") && err.contains("status.vehicle.inactive[0]"),
        "{err}"
    );

    // Garbage: not text, and text that is not TOML.
    std::fs::write(dir.path().join("policy.toml"), b"\x00\xff\xfe\x8b garbage").unwrap();
    let err = check_fails(&config);
    assert!(
        err.contains("policy.toml") && err.contains("UTF-8"),
        "{err}"
    );
    std::fs::write(dir.path().join("policy.toml"), "this is [ not toml").unwrap();
    let err = check_fails(&config);
    assert!(err.contains("policy.toml:1:"), "{err}");

    // A bad key in the run configuration itself.
    let (dir, config) = config_with_policy(Some(demo_policy().as_bytes()));
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("chek_date = \"2026-06-30\"\n{toml}")).unwrap();
    let err = check_fails(&config);
    assert!(
        err.contains("hedui.toml") && err.contains("chek_date"),
        "{err}"
    );

    // A configuration that does not exist.
    let missing = dir.path().join("nope.toml");
    let err = check_fails(missing.to_str().unwrap());
    assert!(err.contains("nope.toml"), "{err}");
}

#[test]
fn explain_errors_exit_1() {
    let run = plain();
    let context = TestContext::new();
    let output =
        fail(
            context
                .hedui()
                .args(["explain", "--run", run.out_str(), "no-such-household"]),
        );
    assert!(
        stderr(&output).contains("no-such-household"),
        "{}",
        stderr(&output)
    );

    let empty = context.path().to_str().unwrap();
    let output = fail(context.hedui().args(["explain", "--run", empty, "x"]));
    assert!(
        stderr(&output).contains("evidence.jsonl"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------------------------
// Changes since a previous run

/// The plain demo compared with the strict run, in which every match was only for review:
/// the same cases become plain candidates, which `changes.csv` and the summary report as
/// moves from review, not as new cases. A `--since` folder with no run in it fails at once.
#[test]
fn changes_since_another_run_are_reported() {
    let strict = strict();
    let strict_ids: BTreeSet<String> = csv_column(&strict.out.join("candidates.csv"), 0);
    let run = check_demo(&["--since", strict.out_str()], None);
    let text = run.text("changes.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let moved: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "to_candidate").collect();
    assert!(!moved.is_empty(), "{text}");
    for r in &rows {
        assert!(
            matches!(&r[0], "to_candidate" | "new" | "dropped"),
            "a change a stricter baseline cannot cause: {r:?}"
        );
        assert_eq!(strict_ids.contains(&r[1]), &r[0] != "new", "{r:?}");
    }
    let manifest: serde_json::Value = serde_json::from_slice(&run.read("manifest.json")).unwrap();
    assert_eq!(manifest["changes"]["counts"]["to_candidate"], moved.len());
    let strict_manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(strict.out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["changes"]["previous"]["run_id"],
        strict_manifest["run_id"]
    );

    let empty = TestContext::new();
    let output = fail(empty.hedui().args([
        "-q",
        "check",
        "--config",
        DEMO_CONFIG,
        "--out",
        empty.child("out").to_str().unwrap(),
        "--since",
        empty.path().to_str().unwrap(),
    ]));
    assert!(stderr(&output).contains("--since"), "{}", stderr(&output));
    assert!(!empty.child("out").exists());
}

/// Previous results in `--out` that cannot be read do not stop the nightly run, and are not
/// taken for "no previous run" either: nothing is compared and the run says why.
#[test]
fn unreadable_previous_results_are_not_compared_and_say_so() {
    let context = TestContext::new();
    let out = context.child("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(
        out.join("candidates.csv"),
        "candidate_id,band\n,candidate\n",
    )
    .unwrap();
    let output = succeed(context.hedui().args([
        "-q",
        "check",
        "--config",
        DEMO_CONFIG,
        "--out",
        out.to_str().unwrap(),
    ]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("not compared"), "{stdout}");
    let changes = std::fs::read_to_string(out.join("changes.csv")).unwrap();
    assert_eq!(changes.lines().count(), 1, "only the header: {changes}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest["changes"]["not_compared"].is_string(),
        "{manifest}"
    );
    assert_eq!(manifest["changes"]["counts"]["new"], 0);
}

fn csv_column(path: &Path, column: usize) -> BTreeSet<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[column].to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Atomic replacement

/// A failed or killed run into a folder that holds a previous run leaves it as it was,
/// with nothing beside it.
#[test]
fn failed_and_killed_runs_keep_the_previous_results() {
    let context = TestContext::new();
    let out = context.child("results");
    std::fs::create_dir(&out).unwrap();
    for (name, bytes) in folder_bytes(&plain().out) {
        let path = out.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let before = folder_bytes(&out);
    let out_str = out.to_str().unwrap();
    let unchanged = |what: &str| {
        assert!(
            folder_bytes(&out) == before,
            "{what} changed the previous results"
        );
        assert_eq!(entries(context.path()), ["results"], "{what} left files");
    };

    // The policy is broken: the run stops before reading any source.
    let broken = demo_policy().replace("[rules.vehicle]", "[rules.vehicle]\nenabeld = true");
    let (_dir, config) = config_with_policy(Some(broken.as_bytes()));
    let output = fail(
        context
            .hedui()
            .args(["check", "--config", &config, "--out", out_str]),
    );
    assert!(stderr(&output).contains("enabeld"), "{}", stderr(&output));
    unchanged("a run with a broken policy");

    // The policy is fine but a source is missing: the run stops while reading.
    let (dir, config) = config_with_policy(Some(demo_policy().as_bytes()));
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        toml.replace("licences.csv", "licences-missing.csv"),
    )
    .unwrap();
    let output = fail(
        context
            .hedui()
            .args(["check", "--config", &config, "--out", out_str]),
    );
    assert!(
        stderr(&output).contains("licences-missing.csv"),
        "{}",
        stderr(&output)
    );
    unchanged("a run with a missing source");

    // A good run killed half-way (reading and matching take seconds in a debug build).
    let config = dir.path().join("good.toml");
    std::fs::write(&config, toml).unwrap();
    let mut child = context
        .hedui()
        .args([
            "-q",
            "check",
            "--config",
            config.to_str().unwrap(),
            "--out",
            out_str,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run finished before it was killed");
    unchanged("a killed run");
}

// ---------------------------------------------------------------------------------------
// Snapshots

#[test]
fn candidates_csv_snapshot() {
    insta::assert_snapshot!("check_demo_candidates_csv", plain().text("candidates.csv"));
}

/// `(household_id, record_key, band)` of every row of `candidates.csv`, sorted.
fn candidate_rows(run: &DemoRun) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(run.out.join("candidates.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (household, key, band) = (col("household_id"), col("record_key"), col("band"));
    let mut rows: Vec<_> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[household].to_owned(),
                r[key].to_owned(),
                r[band].to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn explain(run: &DemoRun, key: &str) -> String {
    let output = succeed(
        run.context
            .hedui()
            .args(["explain", "--run", run.out_str(), key]),
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .replace(run.out_str(), "[OUT]")
}

/// `explain` for the first household (by id) with a plain candidate, and for the first
/// record key (by household id) of a review candidate.
#[test]
fn explain_snapshots() {
    let run = plain();
    let rows = candidate_rows(run);
    let (household, _, _) = rows.iter().find(|r| r.2 == "candidate").unwrap();
    let text = explain(run, household);
    assert!(text.contains(&format!("household {household}")), "{text}");
    assert!(text.contains("candidate (线索)"), "{text}");
    insta::assert_snapshot!("explain_demo_first_plain_household", text);

    let strict_run = strict();
    let strict_rows = candidate_rows(strict_run);
    let (_, record_key, _) = strict_rows
        .iter()
        .find(|r| r.2 == "review")
        .expect("the strict demo run has a review candidate");
    let demo = std::fs::canonicalize("../../fixtures/demo").unwrap();
    let text = explain(strict_run, record_key).replace(demo.to_str().unwrap(), "[DEMO]");
    assert!(text.contains(record_key.as_str()), "{text}");
    assert!(text.contains("REVIEW"), "{text}");
    insta::assert_snapshot!("explain_demo_first_review_record", text);
}

/// A reader that stops reading (`hedui explain … | head -1`) is not an error of hedui's:
/// the command exits quietly instead of panicking on the closed pipe.
#[test]
fn explain_into_a_closed_pipe_exits_quietly() {
    let run = plain();
    let rows = candidate_rows(run);
    let (household, _, _) = rows.iter().find(|r| r.2 == "candidate").unwrap();
    let mut child = run
        .context
        .hedui()
        .args(["explain", "--run", run.out_str(), household])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the first line is written, so the first write meets the closed pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panic"), "{stderr}");
}

/// A record that is linked but made no candidate (an exempt, inactive or later asset) is
/// still explained, from `links.csv`: an auditor asking why it is not on the list sees the
/// match and that no rule fired.
#[test]
fn explain_a_linked_record_without_candidate() {
    let run = plain();
    let on_list: BTreeSet<String> = candidate_rows(run)
        .into_iter()
        .map(|(_, key, _)| key)
        .collect();
    let mut reader = csv::Reader::from_path(run.out.join("links.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let key_at = headers.iter().position(|h| h == "record_key").unwrap();
    let department_at = headers.iter().position(|h| h == "department").unwrap();
    // An asset: the 关系保 exports' rows are who people are, not holdings.
    let mut linked: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| ["vehicle", "licence", "property"].contains(&&r[department_at]))
        .map(|r| r[key_at].to_owned())
        .filter(|k| !on_list.contains(k))
        .collect();
    linked.sort();
    let record_key = linked
        .first()
        .expect("the demo links records that fire no rule");
    let text = explain(run, record_key);
    assert!(text.contains(record_key.as_str()), "{text}");
    assert!(text.contains("no candidate"), "{text}");
    assert!(text.contains("why they match"), "{text}");
    insta::assert_snapshot!("explain_demo_first_linked_record_without_candidate", text);
}

// ---------------------------------------------------------------------------------------
// The contract: no silent degradation

/// A copy of the demo world whose licence export calls its status date column
/// `注销/吊销时间`, a header no alias names but which plainly is that date.
fn world_with_renamed_licence_date() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_demo(dir.path(), &["licences.csv"]);
    let licences = std::fs::read_to_string(demo_dir().join("licences.csv")).unwrap();
    assert!(licences.contains(",状态变更日期,"));
    let renamed = licences.replacen(",状态变更日期,", ",注销/吊销时间,", 1);
    std::fs::write(dir.path().join("licences.csv"), renamed).unwrap();
    dir
}

#[test]
fn check_refuses_a_needed_column_under_an_unknown_header() {
    let world = world_with_renamed_licence_date();
    let config = world.path().join("hedui.toml");
    let err = check_fails(config.to_str().unwrap());
    // The message, without the log lines (and their clock) before it.
    let message = err.lines().skip_while(|l| !l.starts_with("hedui:"));
    let shown = message
        .collect::<Vec<_>>()
        .join("\n")
        .replace(world.path().to_str().unwrap(), "[WORLD]");
    insta::assert_snapshot!("check_refuses_degraded_licence_date", shown);

    // Allowed: the run goes on, and the manifest and the report say what was left out.
    let context = TestContext::new();
    let out = context.child("out");
    let output = succeed(context.hedui().args([
        "check",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--allow-degraded",
    ]));
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        summary.contains("`status_changed_on` degraded") && summary.contains("注销/吊销时间"),
        "{summary}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["allow_degraded"], true);
    let degraded = &manifest["contract"]["degraded"];
    assert_eq!(degraded[0]["field"], "status_changed_on", "{degraded}");
    assert_eq!(degraded[0]["column"], "注销/吊销时间", "{degraded}");
    let report = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    // The template escapes `/` as `&#x2f;`.
    assert!(
        report.contains("缺少“状态变更日期”") && report.contains("注销&#x2f;吊销时间"),
        "the report names the degraded field"
    );
}

#[test]
fn validate_shows_the_dry_run_and_the_refusal_without_stopping() {
    let world = world_with_renamed_licence_date();
    let context = TestContext::new();
    let config = world.path().join("hedui.toml");
    let output = succeed(context.hedui().args([
        "validate",
        "--config",
        config.to_str().unwrap(),
        "--out",
        context.path().to_str().unwrap(),
    ]));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("would refuse") && text.contains("status_changed_on = [\"注销/吊销时间\"]"),
        "{text}"
    );
    assert!(
        text.contains("values and what the policy makes of them")
            && text.contains("吊销 → inactive"),
        "{text}"
    );
}
