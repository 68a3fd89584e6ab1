//! Negative cases of `check` on a tiny hand-written world: two households, a handful of
//! department rows, the demo policy. Every row but one is something the policy or the
//! matcher must *not* turn into a candidate; the one active 小型轿车 held by a member under
//! their exact identity number must.
//!
//! The world is written into a temporary folder as CSV, so this runs in well under a second
//! and needs nothing from `fixtures/demo` but its policy file.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use std::path::Path;
use std::sync::OnceLock;

use hedui_core::resident_id::ResidentId;
use hedui_engine::RunConfig;
use hedui_engine::check::{CheckRun, check};
use hedui_engine::output::baseline::Baseline;
use hedui_engine::output::{OutputOptions, write_check_outputs};
use hedui_testkit::folder::{entries, folder_bytes};

const CHECK_DATE: &str = "2026-06-30";
const HOUSEHOLD_A: &str = "532524-000001";
const HOUSEHOLD_B: &str = "532524-000002";

/// A valid 18-character identity number for a 建水县 (532524) resident born on
/// `yyyymmdd` with sequence code `seq` (three digits).
fn id(yyyymmdd: &str, seq: &str) -> String {
    let body: [u8; 17] = format!("532524{yyyymmdd}{seq}")
        .into_bytes()
        .try_into()
        .unwrap();
    ResidentId::from_body(&body).unwrap().as_str().to_owned()
}

struct World {
    dir: tempfile::TempDir,
    /// The member who holds the one asset that must be a candidate.
    holder_id: String,
    /// The relative outside the roster who owns a car.
    relative_id: String,
}

impl World {
    fn config(&self) -> RunConfig {
        RunConfig::load(&self.dir.path().join("hedui.toml")).unwrap()
    }
}

fn write(dir: &Path, name: &str, lines: &[String]) {
    std::fs::write(dir.join(name), lines.join("\n") + "\n").unwrap();
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let village = "红河州建水县岔科镇阿倮村委会阿倮村2组";

    // Household A: 罗玉红 (head) and her son 罗浩宇, who owns the one countable car.
    let a_head = id("19770116", "152");
    let a_son = id("20051228", "205");
    // Household B: 李明华 (head) and his wife 王桂芬.
    let b_head = id("19680305", "031");
    let b_wife = id("19700811", "042");
    // 李明, 李明华's brother: same surname, same village, his own valid number, not on the
    // roster. A car in his name is his household's business, not household B's.
    let relative = id("19720419", "057");
    assert_ne!(relative, b_head);

    let roster_header = "户编号,成员姓名,身份证号,与户主关系,性别,出生日期,保障类别,县市区,乡镇,\
                         村社区,家庭住址,纳入日期,户主姓名,月保障金额";
    let member = |hh: &str, name: &str, id: &str, rel: &str, sex: &str, born: &str, head: &str| {
        format!(
            "{hh},{name},{id},{rel},{sex},{born},农村低保,建水县,岔科镇,阿倮村委会,{village},\
             2025-02-01,{head},330"
        )
    };
    write(
        d,
        "recipients.csv",
        &[
            roster_header.to_owned(),
            member(
                HOUSEHOLD_A,
                "罗玉红",
                &a_head,
                "户主",
                "女",
                "1977-01-16",
                "罗玉红",
            ),
            member(
                HOUSEHOLD_A,
                "罗浩宇",
                &a_son,
                "子女",
                "男",
                "2005-12-28",
                "罗玉红",
            ),
            member(
                HOUSEHOLD_B,
                "李明华",
                &b_head,
                "户主",
                "男",
                "1968-03-05",
                "李明华",
            ),
            member(
                HOUSEHOLD_B,
                "王桂芬",
                &b_wife,
                "配偶",
                "女",
                "1970-08-11",
                "李明华",
            ),
        ],
    );

    let vehicle_header = "号牌号码,号牌种类,VIN,车辆类型,使用性质,车主,身份证明号码,住所地址,\
                          初次登记日期,机动车状态,最近状态变更日期";
    write(
        d,
        "vehicles.csv",
        &[
            vehicle_header.to_owned(),
            // The candidate: active, countable type, the member's exact number.
            format!(
                "云G12345,小型汽车,LSVAA11A1NA000001,小型轿车,非营运,罗浩宇,{a_son},{village},\
                 2023-04-11,正常,"
            ),
            // Deregistered (注销) before the check date.
            format!(
                "云G23456,小型汽车,LSVAA11A1NA000002,小型轿车,非营运,李明华,{b_head},{village},\
                 2015-06-01,注销,2025-03-01"
            ),
            // An exempt type.
            format!(
                "云G34567,普通摩托车,LAL6EWTW1SA000003,普通二轮摩托车,非营运,王桂芬,{b_wife},\
                 {village},2022-09-09,正常,"
            ),
            // Registered after the check date.
            format!(
                "云G45678,小型汽车,LSVAA11A1NA000004,小型轿车,非营运,罗玉红,{a_head},{village},\
                 2026-08-01,正常,"
            ),
            // The relative outside the roster.
            format!(
                "云G56789,小型汽车,LSVAA11A1NA000005,小型轿车,非营运,李明,{relative},{village},\
                 2019-10-10,正常,"
            ),
        ],
    );

    let licence_header = "统一社会信用代码,名称,主体类型,经营者/法定代表人,证照号码,\
                          注册资本（金）,登记日期,经营状态,状态变更日期,经营场所";
    write(
        d,
        "licences.csv",
        &[
            licence_header.to_owned(),
            // 李明's shop: a countable entity type, but he is not on the roster.
            format!(
                "92532524MA6K000001,建水县李明百货店,个体工商户,李明,{relative},2万元,\
                 2018-03-08,在业,,{village}"
            ),
        ],
    );

    let property_header =
        "不动产权证号,权利人,权利人证件号,共有情况,坐落,用途,建筑面积,登簿日期,权属状态,变更日期";
    write(
        d,
        "property.csv",
        &[
            property_header.to_owned(),
            // Household B's one home: within max_homes = 1, not commercial.
            format!(
                "云(2016)建水县不动产权第0000001号,李明华,{b_head},单独所有,{village},住宅,\
                 96.50,2016-05-20,现势,"
            ),
        ],
    );

    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/policy.toml"),
        d.join("policy.toml"),
    )
    .unwrap();
    std::fs::write(
        d.join("hedui.toml"),
        format!(
            "check_date = \"{CHECK_DATE}\"\npolicy = \"policy.toml\"\n\n\
             [recipients]\npath = \"recipients.csv\"\n\n\
             [[sources]]\nkind = \"vehicle\"\npath = \"vehicles.csv\"\n\n\
             [[sources]]\nkind = \"licence\"\npath = \"licences.csv\"\n\n\
             [[sources]]\nkind = \"property\"\npath = \"property.csv\"\n"
        ),
    )
    .unwrap();
    World {
        dir,
        holder_id: a_son,
        relative_id: relative,
    }
}

/// The world and its run, shared by the tests (a debug-build run takes seconds, mostly
/// drawing random pairs for the u-probabilities).
fn shared() -> &'static (World, CheckRun) {
    static SHARED: OnceLock<(World, CheckRun)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let world = world();
        let run = run(&world);
        (world, run)
    })
}

fn run(world: &World) -> CheckRun {
    let run = check(&world.config()).unwrap();
    assert!(
        run.linked.ingested.rejects.is_empty(),
        "the hand-written rows must all be accepted: {:#?}",
        run.linked.ingested.rejects
    );
    assert_eq!(run.linked.ingested.members.len(), 4);
    assert_eq!(run.linked.ingested.assets.len(), 7);
    run
}

#[test]
fn only_the_active_member_car_is_a_candidate() {
    let (world, run) = shared();

    let found: Vec<String> = run
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} ({})",
                e.household_id, e.rule, e.record.record_key, e.band, e.matching.band
            )
        })
        .collect();
    assert_eq!(
        found,
        [format!("{HOUSEHOLD_A} vehicle 云G12345 candidate (link)")],
        "exactly one candidate, household A's active 小型轿车"
    );
    assert_eq!(run.candidates.len(), 1, "{:#?}", run.candidates);
    let e = &run.evidence[0];
    assert_eq!(e.member.id, world.holder_id);
    assert_eq!(e.record.department, "vehicle");

    // The policy negatives are negatives of the policy, not of matching: each of those cars
    // is linked to its member, and still no candidate.
    let members = &run.linked.ingested.members;
    let assets = &run.linked.ingested.assets;
    let linked_to = |plate: &str| -> Vec<(String, &'static str)> {
        run.linked
            .matched
            .links
            .iter()
            .filter(|l| &*assets[l.record].record_key == plate)
            .map(|l| (members[l.member].name_raw().to_owned(), l.band.as_str()))
            .collect()
    };
    for (plate, holder, why) in [
        ("云G12345", "罗浩宇", "the candidate"),
        ("云G23456", "李明华", "deregistered before the check date"),
        ("云G34567", "王桂芬", "exempt type"),
        ("云G45678", "罗玉红", "registered after the check date"),
    ] {
        assert_eq!(
            linked_to(plate),
            [(holder.to_owned(), "link")],
            "{plate} ({why})"
        );
    }

    // The relative's car and shop are linked to no one: not to household B, not even for
    // review.
    for link in &run.linked.matched.links {
        let owner = &assets[link.record].owners[link.owner];
        assert_ne!(
            owner.id.raw(),
            world.relative_id,
            "the relative outside the roster was linked to {} ({})",
            members[link.member].household_id,
            link.band.as_str()
        );
    }
}

/// A run that fails while swapping the new results in must leave the previous results as
/// they were, and no temporary folder beside them.
#[test]
fn failed_write_keeps_previous_results_and_leaves_no_temporary_folder() {
    let (world, run) = shared();
    let config = world.config();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("results");
    write_check_outputs(&out, run, &config, OutputOptions::default(), None).unwrap();
    let before = folder_bytes(&out);
    assert_eq!(
        entries(&out),
        [
            "candidates.csv",
            "candidates.xlsx",
            "changes.csv",
            "evidence.jsonl",
            "links.csv",
            "manifest.json",
            "rejects.csv",
            "report",
            "worksheets",
        ]
    );
    assert_eq!(entries(parent.path()), ["results"]);

    // The writer moves the old folder aside under `.results.old` before renaming the new
    // one in; a plain file of that name cannot be removed as a folder, so the swap fails.
    let blocker = parent.path().join(".results.old");
    std::fs::write(&blocker, "in the way").unwrap();
    let err = write_check_outputs(&out, run, &config, OutputOptions::masked(), None).unwrap_err();
    assert!(err.is_user_error(), "{err}");
    assert_eq!(folder_bytes(&out), before, "the previous results changed");
    std::fs::remove_file(&blocker).unwrap();
    assert_eq!(
        entries(parent.path()),
        ["results"],
        "a failed write left files beside the output folder"
    );
}

/// The nightly job's report: the first run into a folder calls every candidate new; the
/// next run on the same inputs finds nothing changed; a candidate only the previous run
/// had is reported dropped, described from the previous run's own file.
#[test]
fn changes_are_counted_against_the_previous_results_in_the_folder() {
    let (world, run) = shared();
    let config = world.config();
    assert!(
        !run.evidence.is_empty(),
        "the world has no candidates to compare"
    );
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("nightly");
    let csv_rows = |name: &str| -> Vec<Vec<String>> {
        let mut reader = csv::Reader::from_path(out.join(name)).unwrap();
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };

    assert!(Baseline::previous_in(&out).unwrap().is_none());
    let first = write_check_outputs(&out, run, &config, OutputOptions::default(), None).unwrap();
    assert_eq!(first.since, None);
    assert_eq!(first.counts.new, run.evidence.len() as u64);
    let rows = csv_rows("changes.csv");
    assert_eq!(rows.len(), run.evidence.len());
    assert!(
        rows.iter().all(|r| r[0] == "new" && r[8].is_empty()),
        "{rows:?}"
    );

    let mut baseline = Baseline::previous_in(&out).unwrap().unwrap();
    // A candidates.csv cut short no longer agrees with its manifest: refused, not compared.
    let full = std::fs::read_to_string(out.join("candidates.csv")).unwrap();
    let cut = parent.path().join("cut");
    std::fs::create_dir(&cut).unwrap();
    std::fs::copy(out.join("manifest.json"), cut.join("manifest.json")).unwrap();
    let first_line = full.lines().next().unwrap();
    std::fs::write(cut.join("candidates.csv"), format!("{first_line}\n")).unwrap();
    let err = Baseline::load(&cut).unwrap_err().to_string();
    assert!(err.contains("cut short or edited"), "{err}");
    assert_eq!(baseline.candidates.len(), run.evidence.len());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        baseline.facts.run_id.as_deref(),
        manifest["run_id"].as_str(),
        "the previous run id is read from its manifest"
    );
    let second = write_check_outputs(
        &out,
        run,
        &config,
        OutputOptions::default(),
        Some(&baseline),
    )
    .unwrap();
    assert_eq!(second.counts.unchanged, run.evidence.len() as u64);
    assert_eq!(second.counts.new + second.counts.dropped, 0);
    assert!(csv_rows("changes.csv").is_empty());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["changes"]["counts"]["unchanged"],
        run.evidence.len()
    );
    assert_eq!(manifest["changes"]["since"], out.display().to_string());
    let report = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(
        report.contains("与上次核对相比") && report.contains("未变"),
        "no changes section"
    );

    // A previous candidate of a household no longer on the roster is resolved, not dropped:
    // nothing is left to check.
    let mut gone = baseline.candidates[0].clone();
    gone.candidate_id = "Cfeedfacecafe".to_owned();
    gone.household_id = "532501-999999".to_owned();
    baseline.candidates.push(gone);
    let third =
        write_check_outputs(&out, run, &config, OutputOptions::masked(), Some(&baseline)).unwrap();
    assert_eq!((third.counts.dropped, third.counts.resolved), (0, 1));
    let rows = csv_rows("changes.csv");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (
            rows[0][0].as_str(),
            rows[0][1].as_str(),
            rows[0][2].as_str()
        ),
        ("resolved", "Cfeedfacecafe", "532501-999999")
    );
    // Masked run: the gone member's number is masked too.
    assert!(rows[0][6].contains('*'), "{rows:?}");
    let report = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(report.contains("已消除") && report.contains("532501-999999"));
}

/// One person on two households' rosters: their title links to both members, each for
/// review, not to whichever household's address is closer. The demo world, whose models
/// are fitted on thousands of pairs, gives the address its full weight.
#[test]
fn a_number_on_two_rosters_is_for_review_in_both_households() {
    let dir = common::copy_of(&common::demo_dir());
    // 陈斌 holds a title in his village of 建水县; here he is on a 弥勒市 roster too.
    let roster = dir.path().join("recipients.csv");
    let mut text = std::fs::read_to_string(&roster).unwrap();
    text.push_str(
        "532504-000999,陈斌,532524198702049176,户主,男,1987-02-04,城市低保,弥勒市,弥阳镇,\
         朝阳社区,弥勒市弥阳镇朝阳社区文化路33号,2025-02-01,陈斌,330\n",
    );
    std::fs::write(&roster, text).unwrap();
    let run = hedui_engine::link::link(&RunConfig::load(&dir.path().join("hedui.toml")).unwrap())
        .unwrap();
    let (members, assets) = (&run.ingested.members, &run.ingested.assets);
    let mut links: Vec<(&str, &str)> = run
        .matched
        .links
        .iter()
        .filter(|l| &*assets[l.record].record_key == "云(2016)建水县不动产权第2941185号")
        .filter(|l| members[l.member].name.as_str() == "陈斌")
        .map(|l| (&*members[l.member].household_id, l.band.as_str()))
        .collect();
    links.sort_unstable();
    assert_eq!(
        links,
        [("532504-000999", "review"), ("532524-000014", "review")],
        "{links:?}"
    );
}

/// A roster export that came through empty must stop the run: linked against nothing, every
/// lead of the previous run would be reported dropped.
#[test]
fn an_empty_roster_stops_the_run() {
    let (world, _) = shared();
    let dir = common::copy_of(world.dir.path());
    let roster = dir.path().join("recipients.csv");
    let header = std::fs::read_to_string(&roster)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    std::fs::write(&roster, format!("{header}\n")).unwrap();
    let config = RunConfig::load(&dir.path().join("hedui.toml")).unwrap();
    let err = check(&config).unwrap_err();
    let message = err.to_string();
    assert!(err.is_user_error(), "{message}");
    assert!(
        message.contains("recipients.csv") && message.contains("no accepted members"),
        "{message}"
    );
}
