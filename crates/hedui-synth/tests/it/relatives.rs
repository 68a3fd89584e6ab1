//! The staff roster, the 备案 register and the 户籍 export against their truth
//! (`truth/relatives.csv`, `truth/register_stale.csv`, the `staff` rows of
//! `truth/expected_candidates.csv`), read back from the files as hedui would read them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use hedui_core::Address;
use hedui_synth::{SynthConfig, files, generate};

fn config(households: u64, seed: u64, overrides: &[&str]) -> SynthConfig {
    let mut config = SynthConfig::new(households, seed);
    for o in overrides {
        config.rates.set_from_arg(o).unwrap();
    }
    config
}

/// The records of a CSV file (header skipped, a byte-order mark removed), by position.
fn records(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The records of a truth file by header name.
fn named(path: &Path) -> Vec<HashMap<String, String>> {
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

fn check_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

fn date(raw: &str) -> Option<NaiveDate> {
    (!raw.is_empty()).then(|| hedui_core::date::parse_date(raw).unwrap())
}

fn key(address: &str) -> String {
    Address::parse(address).key()
}

fn surname(name: &str) -> char {
    name.chars().next().unwrap()
}

/// What the member is to the staff member, from their 与户主关系 in one 户 (written here
/// again rather than taken from the generator, as a reader would).
fn derive(staff: &str, member: &str) -> Option<&'static str> {
    let word = |label: &str, inverse: bool| -> Option<&'static str> {
        Some(match (label, inverse) {
            ("配偶", _) => "配偶",
            ("父亲" | "母亲", false) | ("子" | "女", true) => "父母",
            ("子" | "女", false) | ("父亲" | "母亲", true) => "子女",
            ("兄" | "弟" | "姐" | "妹", _) => "兄弟姐妹",
            ("岳父" | "岳母", false) | ("女婿", true) => "岳父母",
            ("公公" | "婆婆", false) | ("儿媳", true) => "公婆",
            ("祖父" | "祖母", false) | ("孙子" | "孙女", true) => "祖父母",
            ("孙子" | "孙女", false) | ("祖父" | "祖母", true) => "孙子女",
            ("儿媳", false) | ("公公" | "婆婆", true) => "儿媳",
            ("女婿", false) | ("岳父" | "岳母", true) => "女婿",
            _ => return None,
        })
    };
    match (staff, member) {
        ("户主", m) => word(m, false),
        (s, "户主") => word(s, true),
        _ => None,
    }
}

const CASE_WORKER_POSITIONS: [&str; 8] = [
    "低保专干",
    "民政助理员",
    "村委会主任",
    "村委会副主任",
    "村委会委员",
    "村民小组长",
    "社区书记",
    "社区主任",
];

/// A member of `recipients.csv`.
#[derive(Debug, Clone)]
struct Member {
    household: String,
    name: String,
    birth: String,
    township: String,
    village: String,
    address: String,
}

/// A row of `hukou.csv`.
#[derive(Debug, Clone)]
struct HukouRow {
    number: String,
    name: String,
    label: String,
    address: String,
}

/// A generated world read back.
struct World {
    dir: tempfile::TempDir,
    members: HashMap<String, Member>,
    staff: Vec<Vec<String>>,
    register: Vec<Vec<String>>,
    /// By ID as written; IDs are unique in the export.
    hukou: HashMap<String, HukouRow>,
    hukou_rows: Vec<Vec<String>>,
    truth: Vec<HashMap<String, String>>,
    stale: Vec<HashMap<String, String>>,
    expected: Vec<HashMap<String, String>>,
}

impl World {
    fn generate(config: &SynthConfig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        generate(config, dir.path()).unwrap();
        let d = dir.path();
        let members = records(&d.join(files::RECIPIENTS))
            .into_iter()
            .map(|r| {
                let member = Member {
                    household: r[0].clone(),
                    name: r[1].clone(),
                    birth: r[5].clone(),
                    township: r[8].clone(),
                    village: r[9].clone(),
                    address: r[10].clone(),
                };
                (r[2].clone(), member)
            })
            .collect();
        let hukou_rows = records(&d.join(files::HUKOU));
        let mut hukou = HashMap::new();
        for r in &hukou_rows {
            if !r[2].is_empty() {
                let row = HukouRow {
                    number: r[0].clone(),
                    name: r[1].clone(),
                    label: r[3].clone(),
                    address: r[4].clone(),
                };
                assert!(hukou.insert(r[2].clone(), row).is_none(), "{r:?} twice");
            }
        }
        World {
            members,
            staff: records(&d.join(files::STAFF)),
            register: records(&d.join(files::RELATIVES_REGISTER)),
            hukou,
            hukou_rows,
            truth: named(&d.join(files::RELATIVES)),
            stale: named(&d.join(files::REGISTER_STALE)),
            expected: named(&d.join(files::EXPECTED_CANDIDATES))
                .into_iter()
                .filter(|c| c["department"] == "staff")
                .collect(),
            dir,
        }
    }

    fn staff_row(&self, line: &str) -> &Vec<String> {
        &self.staff[line.parse::<usize>().unwrap() - 2]
    }

    fn in_office(row: &[String]) -> bool {
        date(&row[7]).is_none_or(|end| end >= check_date())
    }
}

/// A world with the roster forty times as dense as by default, and no ID or name defects in
/// the new exports, so that every pair can be followed by exact ID.
fn clean_world() -> World {
    World::generate(&config(
        2400,
        17,
        &[
            "households_per_staff=4",
            "id_missing=0",
            "id_legacy15=0",
            "id_lowercase_x=0",
            "name_homophone=0",
            "name_separator=0",
        ],
    ))
}

#[test]
fn the_truth_matches_staff_register_and_hukou() {
    let w = clean_world();
    let mut situations: BTreeMap<String, usize> = BTreeMap::new();
    let mut pairs: HashMap<(String, String), &HashMap<String, String>> = HashMap::new();
    for t in &w.truth {
        let row = w.staff_row(&t["staff_line"]);
        assert_eq!(row[1], t["staff_id"], "{t:?}");
        assert_eq!(row[0], t["staff_name"], "{t:?}");
        let member = &w.members[&t["member_id"]];
        assert_eq!(member.household, t["household_id"], "{t:?}");
        assert_eq!(t["staff_in_office"] == "1", World::in_office(row), "{t:?}");
        let serves = CASE_WORKER_POSITIONS.contains(&row[2].as_str())
            && !row[5].is_empty()
            && row[4] == member.township
            && row[5] == member.village;
        assert_eq!(
            t["case_worker_same_village"] == "1",
            serves,
            "{t:?} {row:?}"
        );
        let staff_hu = &w.hukou[&t["staff_id"]];
        let member_hu = &w.hukou[&t["member_id"]];
        assert_eq!(staff_hu.name, t["staff_name"]);
        assert_eq!(member_hu.name, member.name);
        let shared = staff_hu.number == member_hu.number;
        let declared = w.register.iter().any(|r| {
            r[1] == t["member_id"]
                && r[4] == t["staff_id"]
                && r[2] == t["household_id"]
                && r[5] == t["relation"]
        });
        assert_eq!(t["declared"] == "1", declared, "{t:?}");
        match t["kind"].as_str() {
            "self" => {
                assert_eq!(t["staff_id"], t["member_id"]);
                assert!(t["evidence"].is_empty() && t["declared"] == "0");
            }
            "relative" => {
                assert_ne!(t["staff_id"], t["member_id"]);
                match t["evidence"].as_str() {
                    "strong" => {
                        assert!(shared, "{t:?}");
                        assert_eq!(
                            derive(&staff_hu.label, &member_hu.label),
                            Some(t["relation"].as_str()),
                            "{t:?} {staff_hu:?} {member_hu:?}"
                        );
                    }
                    "weak" => {
                        assert!(!shared, "{t:?}");
                        assert_eq!(surname(&t["staff_name"]), surname(&member.name));
                        assert_eq!(key(&staff_hu.address), key(&member.address), "{t:?}");
                    }
                    "none" => {
                        assert!(!shared, "{t:?}");
                        assert_ne!(key(&staff_hu.address), key(&member.address), "{t:?}");
                    }
                    other => panic!("evidence {other}"),
                }
            }
            "namesake" => {
                assert_ne!(t["staff_id"], t["member_id"]);
                assert_eq!(t["staff_name"], member.name);
                assert_ne!(&t["staff_id"][6..14], member.birth.replace('-', ""));
                assert!(!shared);
            }
            "neighbour" => {
                assert_eq!(surname(&t["staff_name"]), surname(&member.name));
                assert_ne!(key(&staff_hu.address), key(&member.address), "{t:?}");
                let (a, b) = (
                    Address::parse(&staff_hu.address),
                    Address::parse(&member.address),
                );
                assert_eq!((&a.township, &a.village), (&b.township, &b.village));
                assert!(!shared);
            }
            other => panic!("kind {other}"),
        }
        let mut situation = t["kind"].clone();
        if !t["evidence"].is_empty() {
            situation += &format!(".{}.declared{}", t["evidence"], t["declared"]);
        }
        situation += &format!(".office{}", t["staff_in_office"]);
        *situations.entry(situation).or_default() += 1;
        if t["case_worker_same_village"] == "1" && t["kind"] == "relative" {
            *situations.entry("case_worker".into()).or_default() += 1;
        }
        assert!(
            pairs
                .insert((t["staff_id"].clone(), t["member_id"].clone()), t)
                .is_none(),
            "{t:?} twice"
        );
    }
    for s in [
        "self.office1",
        "self.office0",
        "relative.strong.declared0.office1",
        "relative.strong.declared1.office1",
        "relative.strong.declared1.office0",
        "relative.weak.declared0.office1",
        "relative.weak.declared1.office1",
        "relative.none.declared0.office1",
        "relative.none.declared1.office1",
        "namesake.office1",
        "neighbour.office1",
        "case_worker",
    ] {
        assert!(situations.contains_key(s), "no {s}: {situations:?}");
    }

    // Nothing in the files looks like a relation the truth does not list: every recipient
    // in a staff member's 户 is a `self` or `strong` pair, every same-surname recipient at
    // the staff member's address a `weak` one.
    let mut by_number: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, row) in &w.hukou {
        by_number.entry(&row.number).or_default().push(id);
    }
    let mut by_address: HashMap<String, Vec<&str>> = HashMap::new();
    for (id, m) in &w.members {
        by_address.entry(key(&m.address)).or_default().push(id);
    }
    for row in &w.staff {
        let id = &row[1];
        let hu = &w.hukou[id];
        for other in &by_number[hu.number.as_str()] {
            if w.members.contains_key(*other) {
                let t = pairs
                    .get(&(id.clone(), other.to_string()))
                    .unwrap_or_else(|| panic!("{id} shares a 户号 with {other}"));
                assert!(t["kind"] == "self" || t["evidence"] == "strong", "{t:?}");
            }
        }
        for other in by_address.get(&key(&hu.address)).into_iter().flatten() {
            if surname(&w.members[*other].name) == surname(&row[0]) {
                let t = pairs
                    .get(&(id.clone(), other.to_string()))
                    .unwrap_or_else(|| panic!("{id} lives at {other}'s address"));
                assert_eq!(t["evidence"], "weak", "{t:?}");
            }
        }
    }

    // The register: stale rows are exactly those whose recipient is gone or whose staff
    // member left office before the check date.
    let staff_by_id: HashMap<&str, &Vec<String>> =
        w.staff.iter().map(|r| (r[1].as_str(), r)).collect();
    let stale: HashMap<u64, &str> = w
        .stale
        .iter()
        .map(|s| (s["line"].parse().unwrap(), s["reason"].as_str()))
        .collect();
    let mut reasons = BTreeSet::new();
    for (i, r) in w.register.iter().enumerate() {
        let line = i as u64 + 2;
        let staff = staff_by_id[r[4].as_str()];
        let want = if !w.members.contains_key(&r[1]) {
            Some("recipient_gone")
        } else if !World::in_office(staff) {
            Some("staff_left")
        } else {
            None
        };
        assert_eq!(stale.get(&line).copied(), want, "line {line}: {r:?}");
        reasons.extend(want);
        assert_eq!(r[3], staff[0]);
        let on = date(&r[6]).unwrap();
        assert!(on < check_date() && on >= date(&staff[6]).unwrap(), "{r:?}");
    }
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(stale.len(), w.stale.len());

    // The expected candidates follow from the truth by the contract's rules.
    let mut want = BTreeSet::new();
    for t in &w.truth {
        let (office, declared) = (t["staff_in_office"] == "1", t["declared"] == "1");
        let mut add = |rule: &str| {
            want.insert((
                t["household_id"].clone(),
                rule.to_string(),
                t["staff_id"].clone(),
                t["member_id"].clone(),
            ));
        };
        match t["kind"].as_str() {
            "self" if office => add("staff_recipient"),
            "relative" if office => {
                if !declared && t["evidence"] != "none" {
                    add("undeclared_relative");
                }
                if t["case_worker_same_village"] == "1" && (t["evidence"] != "none" || declared) {
                    add("case_worker_conflict");
                }
            }
            _ => {}
        }
    }
    let got: BTreeSet<_> = w
        .expected
        .iter()
        .map(|c| {
            (
                c["household_id"].clone(),
                c["rule"].clone(),
                c["record_key"].clone(),
                c["member_id"].clone(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let rules: BTreeSet<&str> = w.expected.iter().map(|c| c["rule"].as_str()).collect();
    assert_eq!(rules.len(), 3, "{rules:?}");

    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(w.dir.path().join(files::RELATIVES_MANIFEST)).unwrap(),
    )
    .unwrap();
    assert_eq!(m["rows"]["staff"].as_u64().unwrap(), w.staff.len() as u64);
    assert_eq!(
        m["expected_candidates"]["total"].as_u64().unwrap(),
        w.expected.len() as u64
    );
}

#[test]
fn hukou_holds_every_member_and_staff_member_once_in_whole_households() {
    let w = clean_world();
    for id in w.members.keys() {
        assert!(w.hukou.contains_key(id), "member {id} not registered");
    }
    for row in &w.staff {
        assert!(
            w.hukou.contains_key(&row[1]),
            "staff {row:?} not registered"
        );
    }
    // Each 户 is one block of rows, 户主 first, with one address.
    let mut seen = HashSet::new();
    let mut last = "";
    for r in &w.hukou_rows {
        if r[0] != last {
            assert!(seen.insert(r[0].clone()), "户 {} split", r[0]);
            assert_eq!(r[3], "户主", "{r:?}");
            last = &r[0];
        } else {
            assert_ne!(r[3], "户主", "{r:?}");
        }
        assert_eq!(r[0].len(), 9);
    }
    let addresses: HashMap<&str, HashSet<&str>> =
        w.hukou_rows.iter().fold(HashMap::new(), |mut acc, r| {
            acc.entry(r[0].as_str()).or_default().insert(r[4].as_str());
            acc
        });
    assert!(addresses.values().all(|a| a.len() == 1));
    // The registration address is never the roster's own wording of a household's address,
    // except in the 户 of a staff member the truth puts there (weak evidence) or next door.
    let placed: HashSet<&str> = w
        .truth
        .iter()
        .filter(|t| t["evidence"] == "weak" || t["kind"] == "neighbour")
        .map(|t| w.hukou[&t["staff_id"]].number.as_str())
        .collect();
    let roster: HashSet<String> = w.members.values().map(|m| key(&m.address)).collect();
    for (id, row) in &w.hukou {
        if roster.contains(&key(&row.address)) {
            assert!(placed.contains(row.number.as_str()), "{id}: {row:?}");
        }
    }
    // Places served are spelt as the roster spells them.
    let places: HashSet<(&str, &str)> = w
        .members
        .values()
        .map(|m| (m.township.as_str(), m.village.as_str()))
        .collect();
    let mut served = 0;
    for row in &w.staff {
        assert!(!row[0].is_empty() && row[1].len() == 18, "{row:?}");
        if !row[5].is_empty() {
            assert!(
                row[5].ends_with("村委会") || row[5].ends_with("社区"),
                "{row:?}"
            );
            served += usize::from(places.contains(&(row[4].as_str(), row[5].as_str())));
        }
    }
    assert!(served > w.staff.len() / 3, "{served} of {}", w.staff.len());
}

/// The defects of the other exports, at raised rates: missing and 15-digit IDs and other
/// date spellings; a staff member without an ID is keyed by the line of their row.
#[test]
fn defects_reach_the_new_exports_and_keys_follow_them() {
    let w = World::generate(&config(
        1500,
        23,
        &[
            "households_per_staff=3",
            "id_missing=0.3",
            "id_legacy15=0.3",
            "date_mixed_format=0.8",
        ],
    ));
    let missing = w.staff.iter().filter(|r| r[1].is_empty()).count();
    let legacy = w.staff.iter().filter(|r| r[1].len() == 15).count();
    let spelt = w
        .staff
        .iter()
        .filter(|r| !r[6].contains('-') || r[6].len() != 10)
        .count();
    assert!(
        missing > 0 && legacy > 0 && spelt > 0,
        "{missing} {legacy} {spelt}"
    );
    for r in &w.staff {
        date(&r[6]).unwrap();
    }
    assert!(
        w.register
            .iter()
            .any(|r| r[1].is_empty() || r[4].is_empty())
    );
    assert!(w.hukou_rows.iter().any(|r| r[2].len() == 15));
    for c in &w.expected {
        let truth = w
            .truth
            .iter()
            .find(|t| t["member_id"] == c["member_id"] && t["household_id"] == c["household_id"])
            .unwrap();
        let row = w.staff_row(&truth["staff_line"]);
        if row[1].is_empty() {
            assert_eq!(c["record_key"], format!("line:{}", truth["staff_line"]));
        } else {
            assert_eq!(c["record_key"], row[1]);
        }
    }
    assert!(
        w.expected
            .iter()
            .any(|c| c["record_key"].starts_with("line:"))
    );
}

/// The roster is drawn after everything else, from streams of its own: its density changes
/// no other file, and expected_candidates.csv only gains the `staff` rows.
#[test]
fn the_roster_leaves_every_other_file_alone() {
    let (none, dense) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(&config(500, 29, &["households_per_staff=0"]), none.path()).unwrap();
    generate(&config(500, 29, &["households_per_staff=5"]), dense.path()).unwrap();
    for name in [
        files::RECIPIENTS,
        files::VEHICLES,
        files::LICENCES,
        files::PROPERTY,
        files::LINKS,
        files::MALFORMED,
        files::HARD_NEGATIVES,
    ] {
        assert!(
            std::fs::read(none.path().join(name)).unwrap()
                == std::fs::read(dense.path().join(name)).unwrap(),
            "{name} changed"
        );
    }
    let manifest = |d: &Path| {
        let mut m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join(files::MANIFEST)).unwrap())
                .unwrap();
        m["rates"]["world"]
            .as_object_mut()
            .unwrap()
            .remove("households_per_staff");
        m
    };
    assert_eq!(manifest(none.path()), manifest(dense.path()));
    let lines = |d: &Path| {
        std::fs::read_to_string(d.join(files::EXPECTED_CANDIDATES))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (before, after) = (lines(none.path()), lines(dense.path()));
    let kept: Vec<&String> = after.iter().filter(|l| !l.contains(",staff,")).collect();
    assert_eq!(kept, before.iter().collect::<Vec<_>>());
    assert!(after.len() > before.len());
    assert_eq!(records(&none.path().join(files::STAFF)).len(), 0);
    // The default density is written into no manifest: a default world's manifest reads
    // as before the roster existed.
    let default = tempfile::tempdir().unwrap();
    generate(&config(60, 29, &[]), default.path()).unwrap();
    let text = std::fs::read_to_string(default.path().join(files::MANIFEST)).unwrap();
    assert!(!text.contains("households_per_staff"));
}

#[test]
fn a_new_world_gets_a_run_configuration_naming_the_new_sources() {
    let dir = tempfile::tempdir().unwrap();
    generate(&config(40, 3, &[]), dir.path()).unwrap();
    let text = std::fs::read_to_string(dir.path().join(files::CONFIG)).unwrap();
    let value: toml::Table = text.parse().unwrap();
    let kinds: Vec<&str> = value["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "vehicle",
            "licence",
            "property",
            "staff",
            "relatives_register",
            "hukou"
        ]
    );
    for s in value["sources"].as_array().unwrap() {
        assert!(
            dir.path().join(s["path"].as_str().unwrap()).is_file(),
            "{s}"
        );
    }
}
