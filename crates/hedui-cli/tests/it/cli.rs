//! The `hedui` binary: help, a small synth run, and exit codes for user errors.

use crate::common::{TestContext, demo_dir, fail, stderr, stdout, succeed};

#[test]
fn help_lists_synth() {
    let context = TestContext::new();
    let out = succeed(context.hedui().arg("--help"));
    assert!(stdout(&out).contains("synth"));
}

#[test]
fn synth_writes_files_and_prints_a_summary() {
    let context = TestContext::new();
    let out = succeed(
        context
            .hedui()
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
            .arg(context.path()),
    );
    let stdout = stdout(&out);
    assert!(
        stdout.contains("households") && stdout.contains("elapsed"),
        "{stdout}"
    );
    assert!(context.child("truth/manifest.json").is_file());
}

#[test]
fn user_errors_exit_with_1_and_name_the_problem() {
    let context = TestContext::new();
    let rates = context.child("rates.toml");
    std::fs::write(&rates, "id_typo = 0.1\nid_tpyo = 0.2\n").unwrap();
    let out = fail(
        context
            .hedui()
            .args(["synth", "--households", "10", "--out"])
            .arg(context.child("o"))
            .arg("--defects")
            .arg(&rates),
    );
    assert!(stderr(&out).contains("id_tpyo"));

    let out = fail(
        context
            .hedui()
            .args(["synth", "--households", "10", "--rate", "nope=1", "--out"])
            .arg(context.path()),
    );
    assert!(stderr(&out).contains("nope"));

    fail(context.hedui().args(["synth", "--households", "ten"]));
}

/// Run configuration for a world `hedui synth` wrote.
const WORLD_CONFIG: &str = "check_date = \"2026-06-30\"\n\
    [recipients]\npath = \"recipients.csv\"\n\
    [[sources]]\nkind = \"vehicle\"\npath = \"vehicles.csv\"\n\
    [[sources]]\nkind = \"licence\"\npath = \"licences.csv\"\n\
    [[sources]]\nkind = \"property\"\npath = \"property.xlsx\"\n";

#[test]
fn adversarial_preset_and_link_reports_hard_negatives_per_kind() {
    let context = TestContext::new();
    let synth = |out: &std::path::Path, rates: &[&str]| {
        succeed(
            context
                .hedui()
                .args(["-q", "synth", "--households", "150", "--seed", "3"])
                .args(rates)
                .args(["--rate", "duplicate_row=0", "--out"])
                .arg(out),
        );
    };
    let (by_name, by_file) = (context.child("a"), context.child("b"));
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
    let out = succeed(
        context
            .hedui()
            .args(["-q", "link", "--config"])
            .arg(by_name.join("hedui.toml"))
            .arg("--out")
            .arg(context.child("out"))
            .arg("--truth")
            .arg(by_name.join("truth")),
    );
    let stdout = stdout(&out);
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

    let out = fail(
        context
            .hedui()
            .args(["synth", "--households", "10", "--preset", "nope", "--out"])
            .arg(context.child("c")),
    );
    assert!(stderr(&out).contains("adversarial"));
}

#[test]
fn export_style_national_changes_the_exports_not_the_truth() {
    let context = TestContext::new();
    let synth = |name: &str, style: &[&str]| {
        let out = context.child(name);
        succeed(
            context
                .hedui()
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

    let out = fail(
        context
            .hedui()
            .args(["synth", "--households", "10", "--export-style", "county"])
            .arg("--out")
            .arg(context.child("c")),
    );
    assert!(stderr(&out).contains("national"));
}

/// The same world written with GA letter codes and the national header sets gives exactly
/// the candidates of the Chinese-word world: the code table, the split date columns and the
/// national aliases lose nothing and add nothing.
#[test]
fn a_national_style_world_gives_the_candidates_of_the_local_one() {
    let context = TestContext::new();
    let policy = demo_dir().join("policy.toml");
    let check = |style: &str| {
        let world = context.child(style).join("world");
        succeed(
            context
                .hedui()
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
        let out = context.child(style).join("out");
        let run = succeed(
            context
                .hedui()
                .args(["-q", "check", "--config"])
                .arg(world.join("hedui.toml"))
                .arg("--out")
                .arg(&out),
        );
        let summary = stdout(&run);
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
