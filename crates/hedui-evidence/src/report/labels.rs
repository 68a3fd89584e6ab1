//! Chinese labels for the codes the engine writes, so auditors never have to read
//! `birth_date / implied_by_id`. Unknown codes are shown as they are rather than hidden:
//! a new comparator level must still appear in the report, only untranslated.

use hedui_core::CandidateBand;

/// A compared field (`hedui_match::Field`).
pub(crate) fn field_zh(field: &str) -> String {
    let zh = match field {
        "id" => "身份证号",
        "name" => "姓名",
        "birth_date" => "出生日期",
        "sex" => "性别",
        "address" => "住址",
        "household" => "共有人",
        "role" => "家庭角色",
        "age_at_registration" => "登记时年龄",
        "other_title" => "本户其他同类记录",
        other => other,
    };
    zh.to_owned()
}

/// A comparison level (`hedui_match::Field::levels`).
pub(crate) fn level_zh(level: &str) -> String {
    let zh = match level {
        "exact" => "完全一致",
        "one_edit" => "一位之差",
        "one_edit_sequence" => "顺序码或校验码一位之差",
        "legacy_one_edit" => "十五位号码一位之差",
        "same_area_and_birth" => "地区码与出生日期相同",
        "different" => "不一致",
        "missing" => "缺失",
        "traditional_simplified" => "繁简一致",
        "homophone" => "同音",
        "wildcard" => "生僻字占位",
        "jaro_winkler_high" => "高度相似",
        "jaro_winkler_mid" => "部分相似",
        "one_component" => "年月日一项不同",
        "implied_by_id" => "由身份证号推出",
        "same" => "相同",
        "same_house" => "同门牌",
        "same_village_and_group" => "同村同组",
        "same_village" => "同村",
        "same_village_other_group" => "同村不同组",
        "same_township" => "同乡镇",
        "same_county" => "同县市区",
        "co_owner_in_household" => "共有人在本户",
        "co_owner_not_in_household" => "共有人不在本户",
        "no_co_owner" => "无共有人",
        "head" => "户主",
        "spouse" => "配偶",
        "other_member" => "其他成员",
        "adult" => "已成年",
        "minor" => "未成年",
        "unborn" => "登记时尚未出生",
        "none" => "本户无其他已确认记录",
        "held" => "本户已有其他已确认的同类记录",
        "held_other_kind" => "本户已有其他已确认记录（类别不同，如城镇住房与宅基地）",
        "held_other_kind_in_group" => "本户已有其他已确认记录（类别不同），本记录位于本村本组",
        "not_assessed" => "未评估",
        other => other,
    };
    zh.to_owned()
}

/// The candidate band, or nothing (a change's missing side).
pub(crate) fn candidate_band_zh(band: Option<CandidateBand>) -> String {
    band.map_or("", CandidateBand::label_zh).to_owned()
}

/// A probability as a percentage that never rounds a near-certainty up to 100%: an
/// auditor reading "100%" would take the match as proven.
pub(crate) fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if p < 1.0 && pct >= 99.995 {
        ">99.99%".to_owned()
    } else if p > 0.0 && pct < 0.005 {
        "<0.01%".to_owned()
    } else {
        format!("{pct:.2}%")
    }
}

/// The first twelve characters of a hash: enough to tell files apart on paper.
pub(crate) fn short_hash(sha: &str) -> String {
    sha.chars().take(12).collect()
}

/// A 关系保 evidence level in words.
pub(crate) fn kin_evidence_zh(level: Option<&str>) -> &'static str {
    match level {
        Some("strong") => "强：同一户籍户号，关系可推定",
        Some("medium") => "中：同一户籍户号或共有不动产",
        Some("weak") => "弱：仅同姓、同门牌",
        Some(_) => "未知",
        None => "—",
    }
}
