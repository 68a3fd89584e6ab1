//! Three hand-built candidates — two households, one of them in the review band — shaped the
//! way the engine builds them. Shared by the report and worksheet tests and the
//! `sample_report` example (which renders them for the screenshot check).

#![allow(dead_code)]

use hedui_evidence::{
    EvidenceRecord, MatchEvidence, MemberEvidence, PolicyRef, RecordEvidence, ReportInput,
    ReportMeta, SourceRef, WaterfallStep, candidate_id,
};

/// Every full name and ID in the fixtures, for the "masked means masked" assertions.
pub const NAMES: [&str; 4] = ["张小芳", "李四海", "普美英", "李国华"];

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn policy() -> PolicyRef {
    PolicyRef {
        name: "红河州城乡低保家庭财产核对规则".to_owned(),
        version: "2025.1".to_owned(),
        sha256: "9f2c4a7be01d5c3388a1f0e2d4b6c8a0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70".to_owned(),
    }
}

fn source(source: &str, file: &str, sheet: Option<&str>, line: u64) -> SourceRef {
    SourceRef {
        source: source.to_owned(),
        file: file.to_owned(),
        // Hex with letters, so a hash never looks like an identity number to `has_full_id`.
        sha256: format!("{}{:02x}", "5e".repeat(31), line % 256),
        sheet: sheet.map(str::to_owned),
        line,
    }
}

fn step(field: &str, level: &str, weight: f64) -> WaterfallStep {
    WaterfallStep {
        field: field.to_owned(),
        level: level.to_owned(),
        weight,
        m: Some(0.9),
        u: Some(0.01),
        term_frequency: None,
    }
}

/// A band from the word outputs use, as a previous run's file would give it.
fn word<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).expect("a band word")
}

fn matching(
    band: &str,
    prior: f64,
    steps: Vec<WaterfallStep>,
    note: Option<&str>,
) -> MatchEvidence {
    let score = prior + steps.iter().map(|s| s.weight).sum::<f64>();
    MatchEvidence {
        band: word(band),
        score,
        probability: 2f64.powf(score) / (1.0 + 2f64.powf(score)),
        prior,
        steps,
        blocking_rules: vec!["exact_id".to_owned()],
        note: note.map(str::to_owned),
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    household: &str,
    rule: &str,
    band: &str,
    member: MemberEvidence,
    record: RecordEvidence,
    matching: MatchEvidence,
    fired_because: &[(&str, &str)],
    reason_zh: &str,
) -> EvidenceRecord {
    EvidenceRecord {
        candidate_id: candidate_id(
            household,
            rule,
            &record.department,
            &record.record_key,
            &member.id,
        ),
        household_id: household.to_owned(),
        rule: rule.to_owned(),
        rule_zh: match rule {
            "vehicle" => "车辆",
            "licence" => "营业执照",
            "property_commercial" => "非住宅房产",
            "property_multi_residential" => "多套住房",
            other => other,
        }
        .to_owned(),
        band: word(band),
        policy: policy(),
        check_date: "2025-06-30".to_owned(),
        member,
        record,
        matching,
        fired_because: pairs(fired_because),
        reason_zh: reason_zh.to_owned(),
        case: None,
        kin: None,
    }
}

fn member(
    name: &str,
    id: &str,
    relation: &str,
    county: &str,
    address: &str,
    line: u64,
) -> MemberEvidence {
    MemberEvidence {
        name: name.to_owned(),
        id: id.to_owned(),
        relation: relation.to_owned(),
        county: county.to_owned(),
        address: address.to_owned(),
        source: source("roster", "recipients.xlsx", Some("在保人员"), line),
    }
}

pub fn records() -> Vec<EvidenceRecord> {
    let vehicle = record(
        "H532501-0007",
        "vehicle.any_motor_vehicle",
        "candidate",
        member(
            "张小芳",
            "532501197506150034",
            "户主",
            "个旧市",
            "城区街道金湖社区12号",
            14,
        ),
        RecordEvidence {
            department: "vehicles".to_owned(),
            department_zh: "车管所".to_owned(),
            record_key: "云G12345".to_owned(),
            source: source("vehicles", "vehicles_2025q2.csv", None, 2041),
            raw: pairs(&[
                ("号牌号码", "云G12345"),
                ("号牌种类", "小型汽车"),
                ("车辆类型", "小型普通客车"),
                ("机动车所有人", "张小芳"),
                ("身份证明号码", "532501197506150034"),
                ("初次登记日期", "2019/3/5"),
                ("机动车状态", "正常"),
                ("住所地址", "个旧市城区街道金湖社区12号"),
            ]),
            name_headers: vec!["机动车所有人".to_owned()],
            normalised: pairs(&[("owner_name", "张小芳"), ("registered", "2019-03-05")]),
            owner_position: 0,
            warnings: vec![],
        },
        matching(
            "link",
            -12.5,
            vec![
                step("id", "exact", 14.2),
                step("name", "exact", 6.3),
                step("birth_date", "implied_by_id", 0.0),
                step("sex", "implied_by_id", 0.0),
                step("address", "same_house", 3.4),
                step("household", "no_co_owner", 0.0),
            ],
            None,
        ),
        &[
            ("车辆类型", "小型普通客车"),
            ("机动车状态", "正常"),
            ("初次登记日期", "2019-03-05"),
        ],
        "户主张小芳名下有在用小型普通客车云G12345（2019-03-05初次登记，核对日状态正常）。",
    );
    let licence = record(
        "H532501-0007",
        "business.active_operator",
        "candidate",
        member(
            "李四海",
            "532501197208110057",
            "配偶",
            "个旧市",
            "城区街道金湖社区12号",
            15,
        ),
        RecordEvidence {
            department: "licences".to_owned(),
            department_zh: "市场监管局".to_owned(),
            record_key: "92532501MA6K7Q3X2B".to_owned(),
            source: source("licences", "licences.xlsx", Some("个体户"), 318),
            raw: pairs(&[
                ("统一社会信用代码", "92532501MA6K7Q3X2B"),
                ("名称", "个旧市四海五金店"),
                ("类型", "个体工商户"),
                ("经营者", "李四海"),
                ("经营者证件号码", "532501197208110057"),
                ("成立日期", "2021年6月1日"),
                ("登记状态", "存续（在营、开业、在册）"),
            ]),
            name_headers: vec!["经营者".to_owned()],
            normalised: pairs(&[
                ("operator_name", "李四海"),
                ("entity_name", "个旧市四海五金店"),
                ("status", "active"),
            ]),
            owner_position: 0,
            warnings: vec!["统一社会信用代码校验位不符，已保留记录".to_owned()],
        },
        matching(
            "link",
            -12.5,
            vec![
                step("id", "exact", 14.2),
                step("name", "exact", 6.8),
                step("birth_date", "implied_by_id", 0.0),
                step("sex", "implied_by_id", 0.0),
                step("address", "different", -1.6),
                step("household", "no_co_owner", 0.0),
            ],
            None,
        ),
        &[("类型", "个体工商户"), ("登记状态", "存续")],
        "配偶李四海为存续个体工商户“个旧市四海五金店”的经营者。",
    );
    let property = record(
        "H532503-0112",
        "property.non_residential",
        "review",
        member(
            "普美英",
            "532503198203120021",
            "户主",
            "蒙自市",
            "文澜镇新安所村3组8号",
            211,
        ),
        RecordEvidence {
            department: "property".to_owned(),
            department_zh: "不动产登记中心".to_owned(),
            record_key: "云(2018)蒙自市不动产权第0004567号".to_owned(),
            source: source("property", "不动产登记_2025.xls", Some("Sheet1"), 77),
            raw: pairs(&[
                ("不动产权证号", "云(2018)蒙自市不动产权第0004567号"),
                ("权利人", "普美莹、李国华"),
                ("权利人证件号", "、532503197911020013"),
                ("坐落", "蒙自市文澜镇新安所村3组8号"),
                ("用途", "宅基地/商铺"),
                ("建筑面积", "46.07㎡"),
                ("登记时间", "20180412"),
                ("权属状态", "现势"),
            ]),
            name_headers: vec!["权利人".to_owned()],
            normalised: pairs(&[("owner_name", "普美莹"), ("use", "商铺")]),
            owner_position: 0,
            warnings: vec!["权利人普美莹无证件号".to_owned()],
        },
        matching(
            "review",
            -12.0,
            vec![
                step("id", "missing", 0.0),
                step("name", "homophone", 4.1),
                step("birth_date", "missing", 0.0),
                step("sex", "missing", 0.0),
                step("address", "same_house", 5.2),
                step("household", "co_owner_in_household", 3.0),
            ],
            Some("身份证号缺失，仅凭同音姓名、门牌和共有人匹配"),
        ),
        &[("用途", "商铺"), ("权属状态", "现势")],
        "户主普美英疑为商铺（46.07㎡）的共有人，与本户成员李国华共有。",
    );
    vec![vehicle, licence, property]
}

pub fn meta(masked: bool) -> ReportMeta {
    ReportMeta {
        caveats: Vec::new(),
        relatives: None,
        // Two humps, as a working model gives: many non-matches far left, a few matches right.
        scores: vec![hedui_evidence::ReportScores {
            department: "vehicle".to_owned(),
            department_zh: "车辆".to_owned(),
            low: -40,
            counts: (-40..40)
                .map(|w: i32| match w {
                    -30..=-10 => 5_000 - 200 * u64::from((w + 20).unsigned_abs()),
                    10..=25 => 40,
                    _ => 0,
                })
                .collect(),
            review_threshold: 0.9,
            link_threshold: 0.99,
        }],
        title: "红河州低保家庭经济状况核对报告".to_owned(),
        run_id: "R20250630-01".to_owned(),
        engine_version: "0.1.0".to_owned(),
        generated_at: "2025-07-01 09:30:00".to_owned(),
        check_date: "2025-06-30".to_owned(),
        policy: policy(),
        masked,
        inputs: [
            ("recipients.xlsx", "a1", 2400, 2398, 2),
            ("vehicles_2025q2.csv", "b2", 18_210, 18_150, 60),
            ("licences.xlsx", "c3", 5_120, 5_120, 0),
            ("不动产登记_2025.xls", "d4", 9_877, 9_860, 17),
        ]
        .into_iter()
        .map(|(file, sha, rows_read, accepted, rejected)| ReportInput {
            file: file.to_owned(),
            sha256: sha.repeat(32),
            rows_read,
            accepted,
            rejected,
        })
        .collect(),
        changes: None,
    }
}

/// Whether `text` holds a run of 17 digits and a digit or X: a full identity number.
pub fn has_full_id(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(18).any(|w| {
        w[..17].iter().all(char::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == 'X')
    })
}
