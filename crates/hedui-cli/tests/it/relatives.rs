//! The 关系保 check end to end on a copy of the demo world with a staff roster, a register
//! and a registration export written here, one situation per row: a staff member who is a
//! recipient, an undeclared father in the staff member's 户号, a declared brother served by
//! his own case worker, a staff member who left office, and a register row for nobody.

use std::path::Path;

use crate::common::{TestContext, stdout, succeed};

/// An 18-character identity number from its first 17 digits (ISO 7064 MOD 11-2).
fn id(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = "10X98765432".as_bytes()[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// The demo world with the three exports replaced by these; the config path.
fn world(ctx: &TestContext) -> String {
    crate::common::copy_demo(ctx.path(), &[]);
    // Members of the demo roster: 罗么七 (532524-000001), 李强 (532532-000002, 北门社区),
    // 苏世明 (532525-000004, 胜利村).
    let (li, su, zhu) = (
        id("53253219800101123"),
        id("53252519750101551"),
        id("53252719880303122"),
    );
    let staff = format!(
        "姓名,身份证号,职务,工作单位,服务乡镇,服务村（社区）,任职开始日期,任职结束日期\n\
         罗么七,532524200103037923,村委会委员,阿倮村委会,岔科镇,阿倮村委会,2023-01-01,\n\
         李建国,{li},民政助理员,河口镇人民政府,河口镇,,2018-05-01,\n\
         苏志强,{su},低保专干,新城乡人民政府,新城乡,胜利村委会,2020-03-01,\n\
         朱丽,{zhu},村委会主任,箐口村委会,旧城镇,箐口村委会,2015-01-01,2024-12-31\n\
         周敏,,低保专干,岔科镇人民政府,岔科镇,阿倮村委会,2020-01-01,\n"
    );
    let hukou = format!(
        "户号,姓名,身份证号,与户主关系,住址\n\
         HK001,李建国,{li},户主,河口县河口镇北门社区人民路80号\n\
         HK001,李强,532532195707178379,父亲,河口县河口镇北门社区人民路80号\n\
         HK002,苏志强,{su},户主,石屏县新城乡胜利村11组\n\
         HK002,苏世明,532525197103104331,兄,石屏县新城乡胜利村11组\n"
    );
    let (gone, zhou) = (id("53250119900101111"), id("53252419850505202"));
    // The last row names a staff member whose roster row has no number: known by name, so
    // the row is not stale.
    let register = format!(
        "低保对象姓名,低保对象身份证号,低保证号,工作人员姓名,工作人员身份证号,关系,备案日期\n\
         苏世明,532525197103104331,532525-000004,苏志强,{su},兄弟姐妹,2021-01-05\n\
         张三,{gone},532501-999999,朱丽,{zhu},子女,2020-01-01\n\
         罗玉红,532524197701161524,532524-000001,周敏,{zhou},姐妹,2022-01-01\n"
    );
    std::fs::write(ctx.child("staff.csv"), staff).unwrap();
    std::fs::write(ctx.child("hukou.csv"), hukou).unwrap();
    std::fs::write(ctx.child("relatives_register.csv"), register).unwrap();
    // The demo's run configuration reads the three files and its policy has the four
    // rules; the files written here replace the demo's own.
    let config = std::fs::read_to_string(ctx.child("hedui.toml")).unwrap();
    assert!(config.contains("kind = \"hukou\""), "{config}");
    let policy = std::fs::read_to_string(ctx.child("policy.toml")).unwrap();
    assert!(policy.contains("[rules.case_worker_conflict]"), "{policy}");
    ctx.child("hedui.toml").to_str().unwrap().to_owned()
}

/// `(rule, member name, band)` of every 关系保 row of a run's candidates.csv.
fn kin_rows(out: &Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(out.join("candidates.csv")).unwrap();
    let mut rows: Vec<(String, String, String)> = reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| r.unwrap())
        .filter(|r| {
            [
                "staff_recipient",
                "undeclared_relative",
                "case_worker_conflict",
            ]
            .contains(&r["rule"].as_str())
        })
        .map(|r| {
            (
                r["rule"].clone(),
                r["member_name"].clone(),
                r["band"].clone(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn each_situation_gives_its_lead_and_a_declared_relative_never_an_undeclared_one() {
    let ctx = TestContext::new();
    let config = world(&ctx);
    let out = ctx.child("out");
    let summary = stdout(&succeed(
        ctx.hedui()
            .args(["check", "--config", &config, "--out"])
            .arg(&out),
    ));
    assert!(summary.contains("undeclared_relative"), "{summary}");
    let t = |rule: &str, name: &str| (rule.to_owned(), name.to_owned(), "candidate".to_owned());
    assert_eq!(
        kin_rows(&out),
        [
            // Declared, and still his case worker's relative in the village he serves.
            t("case_worker_conflict", "苏世明"),
            t("staff_recipient", "罗么七"),
            // The father in the staff member's 户号, not in the register.
            t("undeclared_relative", "李强"),
        ]
    );
    // The evidence names the staff member, the level and the registration row.
    let evidence = std::fs::read_to_string(out.join("evidence.jsonl")).unwrap();
    let li = evidence
        .lines()
        .find(|l| l.contains("\"undeclared_relative\""))
        .unwrap();
    let li: serde_json::Value = serde_json::from_str(li).unwrap();
    assert_eq!(li["kin"]["staff_name"], "李建国");
    assert_eq!(li["kin"]["evidence"], "strong");
    assert_eq!(li["kin"]["relation_zh"], "父母");
    assert!(
        li["kin"]["evidence_source"]["file"]
            .as_str()
            .unwrap()
            .ends_with("hukou.csv")
    );
    assert_eq!(li["record"]["department"], "staff");
    // The register's rows for nobody: hygiene, not candidates.
    let stale = std::fs::read_to_string(out.join("register_stale.csv")).unwrap();
    let kinds: Vec<&str> = stale
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(kinds, ["recipient_gone", "staff_left"], "{stale}");
    // The chapter: its three lists, the declared brother as context.
    let declared = std::fs::read_to_string(out.join("report/relatives-declared.html")).unwrap();
    assert!(declared.contains("苏世明") && declared.contains("苏志强"));
    let index = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(index.contains("关系保") && index.contains(r#"href="relatives.html""#));
}

#[test]
fn the_masked_chapter_and_hygiene_file_hide_the_staff_numbers() {
    let ctx = TestContext::new();
    let config = world(&ctx);
    let out = ctx.child("out");
    succeed(
        ctx.hedui()
            .args(["-q", "check", "--mask", "--config", &config, "--out"])
            .arg(&out),
    );
    let staff = std::fs::read_to_string(ctx.child("staff.csv")).unwrap();
    let numbers: Vec<&str> = staff
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(numbers.len(), 4);
    let mut texts = vec![
        std::fs::read_to_string(out.join("register_stale.csv")).unwrap(),
        std::fs::read_to_string(out.join("evidence.jsonl")).unwrap(),
        std::fs::read_to_string(out.join("candidates.csv")).unwrap(),
    ];
    for page in [
        "relatives.html",
        "relatives-declared.html",
        "register-stale.html",
    ] {
        texts.push(std::fs::read_to_string(out.join("report").join(page)).unwrap());
    }
    for text in &texts {
        for n in &numbers {
            assert!(!text.contains(n), "{n} in {text}");
        }
        assert!(!text.contains("李建国"), "a staff member's full name");
    }
}

#[test]
fn a_staff_roster_whose_term_end_is_under_an_unknown_header_is_refused() {
    let ctx = TestContext::new();
    let config = world(&ctx);
    let staff = std::fs::read_to_string(ctx.child("staff.csv")).unwrap();
    assert!(staff.contains(",任职结束日期\n"));
    std::fs::write(
        ctx.child("staff.csv"),
        staff.replacen(",任职结束日期\n", ",离任时间\n", 1),
    )
    .unwrap();
    // Without the date every staff member would count as in office: refused, named.
    let refused = crate::common::fail(
        ctx.hedui()
            .args(["check", "--config", &config, "--out"])
            .arg(ctx.child("out")),
    );
    let err = crate::common::stderr(&refused);
    assert!(
        err.contains("离任时间") && err.contains("term_end") && err.contains("staff.csv"),
        "{err}"
    );
    assert!(!ctx.child("out").exists());
    // Allowed: the run goes on and says what it could not judge.
    let out = stdout(&succeed(
        ctx.hedui()
            .args(["check", "--allow-degraded", "--config", &config, "--out"])
            .arg(ctx.child("out")),
    ));
    assert!(out.contains("term_end"), "{out}");
}
