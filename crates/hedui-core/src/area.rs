//! Honghe prefecture (红河州, GB/T 2260 prefix 5325): counties, their names and townships.
//!
//! The table is data rather than code paths so that address parsing, ID checks and the
//! synthetic generator all agree on one list.

use std::sync::LazyLock;

use serde::Serialize;

/// Province-level prefix of every Yunnan area code.
pub const YUNNAN_CODE: &str = "53";
/// Prefecture-level prefix of every Honghe area code.
pub const HONGHE_CODE: &str = "5325";

/// One county-level division of Honghe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct County {
    /// Current six-digit GB/T 2260 code.
    pub code: &'static str,
    /// Official full name, e.g. `金平苗族瑶族傣族自治县`.
    pub full_name: &'static str,
    /// The name people write, e.g. `金平县`.
    pub common_name: &'static str,
    /// The bare stem, e.g. `金平`.
    pub stem: &'static str,
    /// Codes that were retired but still appear on identity cards issued there.
    pub former_codes: &'static [&'static str],
    /// Township-level divisions (镇/乡/街道), used for address parsing and synthesis.
    pub townships: &'static [&'static str],
}

macro_rules! county {
    ($code:literal, $full:literal, $common:literal, $stem:literal, [$($old:literal),*], [$($t:literal),* $(,)?]) => {
        County {
            code: $code,
            full_name: $full,
            common_name: $common,
            stem: $stem,
            former_codes: &[$($old),*],
            townships: &[$($t),*],
        }
    };
}

/// Every written form of every county, longest first, so that the first form a text starts
/// with is the longest one. Every address is resolved through this list; building the
/// candidates anew per call was a fiftieth of the time spent reading a vehicle export. Should
/// two counties ever share a form (none do), the later county's comes first, as "the
/// longest, the last of equal ones" requires.
static NAME_FORMS: LazyLock<Vec<(&'static County, &'static str)>> = LazyLock::new(|| {
    let mut forms: Vec<(&'static County, &'static str)> = COUNTIES
        .iter()
        .flat_map(|c| [(c, c.full_name), (c, c.common_name), (c, c.stem)])
        .collect();
    forms.reverse();
    forms.sort_by_key(|(_, form)| std::cmp::Reverse(form.len()));
    forms
});

/// The thirteen counties of Honghe, in code order.
pub static COUNTIES: [County; 13] = [
    county!(
        "532501",
        "个旧市",
        "个旧市",
        "个旧",
        [],
        [
            "城区街道",
            "锡城镇",
            "沙甸街道",
            "鸡街镇",
            "大屯镇",
            "老厂镇",
            "卡房镇",
            "蔓耗镇",
            "贾沙乡",
            "保和乡"
        ]
    ),
    county!(
        "532502",
        "开远市",
        "开远市",
        "开远",
        [],
        [
            "乐白道街道",
            "灵泉街道",
            "小龙潭街道",
            "中和营镇",
            "小龙潭镇",
            "大庄乡",
            "羊街乡",
            "碑格乡"
        ]
    ),
    county!(
        "532503",
        "蒙自市",
        "蒙自市",
        "蒙自",
        ["532522"],
        [
            "文澜镇",
            "草坝镇",
            "雨过铺镇",
            "新安所镇",
            "芷村镇",
            "鸣鹫镇",
            "冷泉镇",
            "期路白苗族乡",
            "老寨苗族乡",
            "水田乡"
        ]
    ),
    county!(
        "532504",
        "弥勒市",
        "弥勒市",
        "弥勒",
        ["532526"],
        [
            "弥阳镇",
            "新哨镇",
            "虹溪镇",
            "竹园镇",
            "朋普镇",
            "巡检司镇",
            "西一镇",
            "西二镇",
            "西三镇",
            "东山镇",
            "五山乡",
            "江边乡"
        ]
    ),
    county!(
        "532523",
        "屏边苗族自治县",
        "屏边县",
        "屏边",
        [],
        [
            "玉屏镇",
            "新现镇",
            "和平镇",
            "白河乡",
            "白云乡",
            "新华乡",
            "湾塘乡"
        ]
    ),
    county!(
        "532524",
        "建水县",
        "建水县",
        "建水",
        [],
        [
            "临安镇",
            "官厅镇",
            "西庄镇",
            "青龙镇",
            "南庄镇",
            "岔科镇",
            "曲江镇",
            "面甸镇",
            "普雄乡",
            "李浩寨乡",
            "坡头乡",
            "盘江乡",
            "利民乡",
            "甸尾乡"
        ]
    ),
    county!(
        "532525",
        "石屏县",
        "石屏县",
        "石屏",
        [],
        [
            "异龙镇",
            "宝秀镇",
            "坝心镇",
            "龙朋镇",
            "龙武镇",
            "哨冲镇",
            "牛街镇",
            "新城乡",
            "大桥乡"
        ]
    ),
    county!(
        "532527",
        "泸西县",
        "泸西县",
        "泸西",
        [],
        [
            "中枢镇",
            "金马镇",
            "旧城镇",
            "午街铺镇",
            "白水镇",
            "向阳乡",
            "三塘乡",
            "永宁乡"
        ]
    ),
    county!(
        "532528",
        "元阳县",
        "元阳县",
        "元阳",
        [],
        [
            "南沙镇",
            "新街镇",
            "牛角寨镇",
            "沙拉托乡",
            "嘎娘乡",
            "上新城乡",
            "小新街乡",
            "逢春岭乡",
            "大坪乡",
            "攀枝花乡",
            "黄茅岭乡",
            "黄草岭乡",
            "俄扎乡",
            "马街乡"
        ]
    ),
    county!(
        "532529",
        "红河县",
        "红河县",
        "红河",
        [],
        [
            "迤萨镇",
            "甲寅镇",
            "宝华镇",
            "乐育镇",
            "浪堤镇",
            "大羊街乡",
            "车古乡",
            "架车乡",
            "垤玛乡",
            "三村乡",
            "阿扎河乡",
            "洛恩乡",
            "石头寨乡"
        ]
    ),
    county!(
        "532530",
        "金平苗族瑶族傣族自治县",
        "金平县",
        "金平",
        [],
        [
            "金河镇",
            "金水河镇",
            "勐拉镇",
            "老勐镇",
            "铜厂乡",
            "者米拉祜族乡",
            "阿得博乡",
            "沙依坡乡",
            "大寨乡",
            "马鞍底乡",
            "营盘乡",
            "老集寨乡",
            "勐桥乡"
        ]
    ),
    county!(
        "532531",
        "绿春县",
        "绿春县",
        "绿春",
        [],
        [
            "大兴镇",
            "牛孔镇",
            "大黑山镇",
            "平河镇",
            "戈奎乡",
            "大水沟乡",
            "半坡乡",
            "骑马坝乡",
            "三猛乡"
        ]
    ),
    county!(
        "532532",
        "河口瑶族自治县",
        "河口县",
        "河口",
        [],
        [
            "河口镇",
            "南溪镇",
            "莲花滩乡",
            "老范寨乡",
            "桥头苗族壮族乡",
            "瑶山乡"
        ]
    ),
];

impl County {
    /// Looks a county up by its current or former six-digit code.
    pub fn from_code(code: &str) -> Option<&'static County> {
        COUNTIES
            .iter()
            .find(|c| c.code == code || c.former_codes.contains(&code))
    }

    /// Resolves a county from any name form: full, common, stem, or a text that starts with
    /// one of those (so `蒙自市文澜镇` resolves to 蒙自市). The longest form wins, which keeps
    /// `红河县` distinct from the prefecture prefix `红河州` (that is stripped before this).
    pub fn from_name(text: &str) -> Option<&'static County> {
        let text = text.trim();
        NAME_FORMS
            .iter()
            .find(|(c, form)| {
                text.starts_with(form) && !(form == &c.stem && text[form.len()..].starts_with('州'))
            })
            .map(|&(c, _)| c)
    }

    /// The county whose township list holds `township`, when exactly one does. Old rural
    /// records often write only `白水镇老寨村`; a township name unique in the prefecture still
    /// places them in a county.
    pub fn from_township(township: &str) -> Option<&'static County> {
        let mut holders = COUNTIES.iter().filter(|c| c.townships.contains(&township));
        let first = holders.next()?;
        holders.next().is_none().then_some(first)
    }

    /// Whether a six-digit code belongs to Honghe under any of its names, current or former.
    pub fn is_honghe_code(code: &str) -> bool {
        Self::from_code(code).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain reading of `from_name`'s contract: of all forms the text starts with, the
    /// longest (the last of equal ones), a county stem followed by 州 excepted.
    fn longest_form(text: &str) -> Option<&'static County> {
        let text = text.trim();
        COUNTIES
            .iter()
            .flat_map(|c| [(c, c.full_name), (c, c.common_name), (c, c.stem)])
            .filter(|(_, form)| text.starts_with(form))
            .filter(|(c, form)| !(form == &c.stem && text[form.len()..].starts_with('州')))
            .max_by_key(|(_, form)| form.len())
            .map(|(c, _)| c)
    }

    #[test]
    fn the_sorted_form_list_picks_the_longest_form() {
        let tails = [
            "",
            "州",
            "县",
            "市",
            "镇",
            "新街镇",
            " 人民路1号",
            "州蒙自市",
        ];
        for county in &COUNTIES {
            for form in [county.full_name, county.common_name, county.stem] {
                for tail in tails {
                    let text = format!("{form}{tail}");
                    assert_eq!(
                        County::from_name(&text).map(|c| c.code),
                        longest_form(&text).map(|c| c.code),
                        "{text}"
                    );
                }
            }
        }
    }

    #[test]
    fn resolves_short_common_and_full_names() {
        for text in ["蒙自", "蒙自市", "蒙自市文澜镇"] {
            assert_eq!(
                County::from_name(text).map(|c| c.code),
                Some("532503"),
                "{text}"
            );
        }
        for text in [
            "金平",
            "金平县",
            "金平苗族瑶族傣族自治县",
            "金平苗族瑶族傣族自治县勐拉镇",
        ] {
            assert_eq!(
                County::from_name(text).map(|c| c.code),
                Some("532530"),
                "{text}"
            );
        }
        assert_eq!(
            County::from_name("红河县迤萨镇").map(|c| c.code),
            Some("532529")
        );
        assert_eq!(
            County::from_name("红河州蒙自市"),
            None,
            "prefecture prefix is not 红河县"
        );
        assert_eq!(County::from_name("昆明市"), None);
    }

    #[test]
    fn former_codes_resolve_to_current_county() {
        assert_eq!(County::from_code("532522").map(|c| c.stem), Some("蒙自"));
        assert_eq!(County::from_code("532526").map(|c| c.stem), Some("弥勒"));
        assert_eq!(County::from_code("532599"), None);
    }

    #[test]
    fn unique_townships_place_their_county() {
        assert_eq!(
            County::from_township("白水镇").map(|c| c.stem),
            Some("泸西")
        );
        assert_eq!(
            County::from_township("小龙潭镇").map(|c| c.stem),
            Some("开远")
        );
        assert_eq!(County::from_township("不存在镇"), None);
    }

    #[test]
    fn table_is_consistent() {
        for c in &COUNTIES {
            assert!(c.code.starts_with(HONGHE_CODE));
            assert!(c.full_name.starts_with(c.stem) && c.common_name.starts_with(c.stem));
            assert!(!c.townships.is_empty());
        }
    }
}
