//! The audit report: content, self-containment, masking and determinism.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use hedui_evidence::{EvidenceRecord, Masker, ReportMeta, write_report_html};

fn render(meta: &ReportMeta, records: &[EvidenceRecord], enabled: bool) -> String {
    let mut out = Vec::new();
    write_report_html(&mut out, meta, records, Masker { enabled }).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn report_shows_households_summary_and_waterfalls() {
    let records = common::records();
    let html = render(&common::meta(false), &records, false);

    // One section per household, sorted by household id.
    let first = html.find(r#"id="hh-H532501-0007""#).unwrap();
    let second = html.find(r#"id="hh-H532503-0112""#).unwrap();
    assert!(first < second);
    assert_eq!(html.matches(r#"<section class="household""#).count(), 2);
    assert_eq!(html.matches(r#"<article class="candidate"#).count(), 3);

    // Header facts and the human-review notice.
    for text in [
        "核对日期",
        "2025-06-30",
        "R20250630-01",
        "9f2c4a7be01d",
        "疑似不符合条件的线索",
        "人工核实",
        "告知当事人并听取其陈述和申辩",
        "未脱敏",
    ] {
        assert!(html.contains(text), "missing {text}");
    }

    // The Chinese summary: counties, rules, bands and the input files.
    for text in [
        "按县市区和规则汇总",
        "个旧市",
        "蒙自市",
        "vehicle.any_motor_vehicle",
        "property.non_residential",
        "小计",
        "合计",
        "vehicles_2025q2.csv",
        "b2b2b2b2b2b2",
        "读入 = 接受 + 拒收",
    ] {
        assert!(html.contains(text), "missing {text}");
    }

    // A bar for the prior and for every step of every waterfall, with Chinese labels.
    let bars: usize = records.iter().map(|r| r.matching.steps.len() + 1).sum();
    assert_eq!(html.matches(r#"<span class="b "#).count(), bars);
    assert_eq!(html.matches(r#"<span class="b pos""#).count(), 8);
    assert_eq!(html.matches(r#"<span class="b neg""#).count(), 4);
    for text in [
        "身份证号",
        "完全一致",
        "由身份证号推出",
        "同音",
        "同门牌",
        "共有人在本户",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(!html.contains("implied_by_id"));

    // The review candidate, and only it, carries the uncertainty badge.
    assert_eq!(
        html.matches(r#"<span class="badge review">待复核 — 不确定"#)
            .count(),
        1
    );
    assert_eq!(
        html.matches(r#"<article class="candidate uncertain""#)
            .count(),
        1
    );
    assert!(html.contains("身份证号缺失，仅凭同音姓名、门牌和共有人匹配"));

    // The raw row as it was, and the reason.
    assert!(html.contains("<th>机动车所有人</th>"));
    assert!(html.contains("<td>宅基地&#x2f;商铺</td>"));
    assert!(html.contains("户主张小芳名下有在用小型普通客车云G12345"));
}

#[test]
fn report_is_self_contained_and_escaped() {
    let mut records = common::records();
    records[0].reason_zh = "<script>alert(1)</script> & 'x'".to_owned();
    let html = render(&common::meta(false), &records, false).to_lowercase();
    for banned in [
        "http://", "https://", "<script", "<link", "src=", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "found {banned}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"));
    assert!(html.contains("&gt; &amp; &#x27;x&#x27;"));
}

#[test]
fn masked_report_holds_no_full_id_or_name() {
    let records = common::records();
    let plain = render(&common::meta(false), &records, false);
    // The checks below must be able to fail: the unmasked report holds both.
    assert!(common::has_full_id(&plain));
    assert!(common::NAMES.iter().all(|n| plain.contains(n)));

    let html = render(&common::meta(true), &records, true);
    assert!(!common::has_full_id(&html));
    for name in common::NAMES.iter().chain(&["普美莹"]) {
        assert!(!html.contains(name), "{name} appears unmasked");
    }
    assert!(html.contains("已脱敏"));
    assert!(html.contains("张*芳"));
    assert!(html.contains("532501********0034"));
    assert!(html.contains("<td>普*莹、李*华</td>"));
    // A business name is not a personal name: it stays readable.
    assert!(html.contains("entity_name = 个旧市四海五金店"));
}

#[test]
fn report_is_deterministic_apart_from_generation_time() {
    let records = common::records();
    let meta = common::meta(true);
    let a = render(&meta, &records, true);
    assert_eq!(a, render(&meta, &records, true));

    // The engine's record order does not matter.
    let mut reversed = records.clone();
    reversed.reverse();
    assert_eq!(a, render(&meta, &reversed, true));

    // Only the generation time differs between two runs.
    let later = ReportMeta {
        generated_at: "2025-07-02 10:00:00".to_owned(),
        ..meta.clone()
    };
    let b = render(&later, &records, true);
    assert_ne!(a, b);
    assert_eq!(a, b.replace("2025-07-02 10:00:00", &meta.generated_at));
}

#[test]
fn empty_report_renders() {
    let html = render(&common::meta(false), &[], false);
    assert!(html.contains("共 <strong>0</strong> 户"));
    assert!(!html.contains(r#"<section class="household""#));
}
