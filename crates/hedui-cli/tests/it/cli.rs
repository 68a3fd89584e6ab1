//! The `hedui` binary: help, a small synth run, and exit codes for user errors.

use std::process::Command;

fn hedui() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hedui"))
}

/// Runs a command that must succeed, showing its stderr when it does not.
fn succeed(command: &mut Command) -> std::process::Output {
    let out = command.output().expect("hedui runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn help_lists_synth() {
    let out = hedui().arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("synth"));
}

#[test]
fn synth_writes_files_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = hedui()
        .args([
            "-q",
            "synth",
            "--households",
            "40",
            "--seed",
            "9",
            "--rate",
            "id_typo=0.05",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("households") && stdout.contains("elapsed"),
        "{stdout}"
    );
    assert!(dir.path().join("truth/manifest.json").is_file());
}

#[test]
fn user_errors_exit_with_1_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let rates = dir.path().join("rates.toml");
    std::fs::write(&rates, "id_typo = 0.1\nid_tpyo = 0.2\n").unwrap();
    let out = hedui()
        .args(["synth", "--households", "10", "--out"])
        .arg(dir.path().join("o"))
        .arg("--defects")
        .arg(&rates)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("id_tpyo"));

    let out = hedui()
        .args(["synth", "--households", "10", "--rate", "nope=1", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));

    let out = hedui()
        .args(["synth", "--households", "ten"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Run configuration for a world `hedui synth` wrote.
const WORLD_CONFIG: &str = "check_date = \"2026-06-30\"\n\
    [recipients]\npath = \"recipients.csv\"\n\
    [[sources]]\nkind = \"vehicle\"\npath = \"vehicles.csv\"\n\
    [[sources]]\nkind = \"licence\"\npath = \"licences.csv\"\n\
    [[sources]]\nkind = \"property\"\npath = \"property.xlsx\"\n";

#[test]
fn adversarial_preset_and_link_reports_hard_negatives_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let synth = |out: &std::path::Path, rates: &[&str]| {
        let out = hedui()
            .args(["-q", "synth", "--households", "150", "--seed", "3"])
            .args(rates)
            .args(["--rate", "duplicate_row=0", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let (by_name, by_file) = (dir.path().join("a"), dir.path().join("b"));
    synth(
        &by_name,
        &["--preset", "adversarial", "--rate", "adversarial_twin=0.2"],
    );
    let preset = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hedui-synth/presets/adversarial.toml"
    );
    synth(
        &by_file,
        &["--defects", preset, "--rate", "adversarial_twin=0.2"],
    );
    for name in [
        "vehicles.csv",
        "truth/hard_negatives.csv",
        "truth/manifest.json",
    ] {
        assert!(
            std::fs::read(by_name.join(name)).unwrap()
                == std::fs::read(by_file.join(name)).unwrap(),
            "{name}: --preset and --defects differ"
        );
    }

    std::fs::write(by_name.join("hedui.toml"), WORLD_CONFIG).unwrap();
    let out = hedui()
        .args(["-q", "link", "--config"])
        .arg(by_name.join("hedui.toml"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--truth")
        .arg(by_name.join("truth"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let table = stdout
        .split("hard negatives (no pair is true):")
        .nth(1)
        .unwrap_or_else(|| panic!("no hard-negative table: {stdout}"));
    let truth = std::fs::read_to_string(by_name.join("truth/hard_negatives.csv")).unwrap();
    let mut rows: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for line in truth.lines().skip(1) {
        *rows.entry(line.split(',').nth(4).unwrap()).or_default() += 1;
    }
    assert!(rows.contains_key("twin_typo"), "{rows:?}");
    for (kind, n) in &rows {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(kind))
            .unwrap_or_else(|| panic!("{kind} not reported: {table}"));
        let cells: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(cells[0], *n, "{line}");
        assert!(cells[1] + cells[2] <= cells[0], "{line}");
    }

    let out = hedui()
        .args(["synth", "--households", "10", "--preset", "nope", "--out"])
        .arg(dir.path().join("c"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("adversarial"));
}

#[test]
fn export_style_national_changes_the_exports_not_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let synth = |name: &str, style: &[&str]| {
        let out = dir.path().join(name);
        succeed(
            hedui()
                .args(["-q", "synth", "--households", "30", "--seed", "4"])
                .args(style)
                .arg("--out")
                .arg(&out),
        );
        out
    };
    let (local, national) = (
        synth("local", &[]),
        synth("national", &["--export-style", "national"]),
    );
    let licences = std::fs::read_to_string(national.join("licences.csv")).unwrap();
    let header = licences.lines().next().unwrap();
    assert!(header.contains("注销日期,吊销日期"), "{header}");
    let manifest = std::fs::read_to_string(national.join("truth/manifest.json")).unwrap();
    assert!(manifest.contains("\"export_style\": \"national\""));
    assert!(
        std::fs::read(local.join("truth/links.csv")).unwrap()
            == std::fs::read(national.join("truth/links.csv")).unwrap()
    );

    let out = hedui()
        .args(["synth", "--households", "10", "--export-style", "county"])
        .arg("--out")
        .arg(dir.path().join("c"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("national"));
}

/// The same world written with GA letter codes and the national header sets gives exactly
/// the candidates of the Chinese-word world: the code table, the split date columns and the
/// national aliases lose nothing and add nothing.
#[test]
fn a_national_style_world_gives_the_candidates_of_the_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let policy =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/policy.toml");
    let check = |style: &str| {
        let world = dir.path().join(style).join("world");
        succeed(
            hedui()
                .args(["-q", "synth", "--households", "800", "--seed", "31"])
                .args(["--export-style", style, "--out"])
                .arg(&world)
                .args([
                    "--rate",
                    "vehicles_per_household=2",
                    "--rate",
                    "licences_per_household=1",
                ]),
        );
        std::fs::write(
            world.join("hedui.toml"),
            WORLD_CONFIG.replacen("[recipients]", "policy = \"policy.toml\"\n[recipients]", 1),
        )
        .unwrap();
        std::fs::copy(&policy, world.join("policy.toml")).unwrap();
        let out = dir.path().join(style).join("out");
        let run = succeed(
            hedui()
                .args(["-q", "check", "--config"])
                .arg(world.join("hedui.toml"))
                .arg("--out")
                .arg(&out),
        );
        let summary = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(!summary.contains("warnings:"), "{style}: {summary}");
        // The file column holds the world's own folder; the rest must agree.
        std::fs::read_to_string(out.join("candidates.csv"))
            .unwrap()
            .replace(world.to_str().unwrap(), "WORLD")
    };
    let (local, national) = (check("local"), check("national"));
    assert!(local.lines().count() > 10, "{local}");
    assert_eq!(local, national);
}
