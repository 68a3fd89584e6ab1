//! Yunnan province (云南省, GB/T 2260 prefix 53): its 16 prefectures and 129 county-level
//! divisions with their names, and the townships of Honghe (红河州, prefix 5325).
//!
//! The table is data rather than code paths so that address parsing, ID checks and the
//! synthetic generator all agree on one list. The whole province is listed because people
//! and their assets cross prefecture lines, and a provincial centre runs every prefecture:
//! an address naming a county hedui does not know is an address without a county, which
//! blocks owners lacking a number province-wide and routes them to no partition.
//! Townships are listed for Honghe only; elsewhere a township is read by its suffix
//! (`…镇`, `…乡`, `…街道`), which is how unlisted townships in Honghe are read too.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

/// Province-level prefix of every Yunnan area code.
pub const YUNNAN_CODE: &str = "53";
/// Prefecture-level prefix of every Honghe area code.
pub const HONGHE_CODE: &str = "5325";

/// One prefecture-level division of Yunnan (地级市 or 自治州).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Prefecture {
    /// Four-digit GB/T 2260 code.
    pub code: &'static str,
    /// Official full name, e.g. `红河哈尼族彝族自治州`.
    pub full_name: &'static str,
    /// The name people write, e.g. `红河州`, `昆明市`.
    pub common_name: &'static str,
    /// The bare stem, e.g. `红河`; followed by a county it names the prefecture
    /// (`云南红河蒙自…`).
    pub stem: &'static str,
    /// The letter after `云` on the vehicle plates it issues (GA 36), e.g. `G`.
    pub plate_letter: char,
}

/// The prefectures of Yunnan, in code order.
pub static PREFECTURES: [Prefecture; 16] = [
    prefecture("5301", "昆明市", "昆明市", "昆明", 'A'),
    prefecture("5303", "曲靖市", "曲靖市", "曲靖", 'D'),
    prefecture("5304", "玉溪市", "玉溪市", "玉溪", 'F'),
    prefecture("5305", "保山市", "保山市", "保山", 'M'),
    prefecture("5306", "昭通市", "昭通市", "昭通", 'C'),
    prefecture("5307", "丽江市", "丽江市", "丽江", 'P'),
    prefecture("5308", "普洱市", "普洱市", "普洱", 'J'),
    prefecture("5309", "临沧市", "临沧市", "临沧", 'S'),
    prefecture("5323", "楚雄彝族自治州", "楚雄州", "楚雄", 'E'),
    prefecture("5325", "红河哈尼族彝族自治州", "红河州", "红河", 'G'),
    prefecture("5326", "文山壮族苗族自治州", "文山州", "文山", 'H'),
    prefecture("5328", "西双版纳傣族自治州", "西双版纳州", "西双版纳", 'K'),
    prefecture("5329", "大理白族自治州", "大理州", "大理", 'L'),
    prefecture("5331", "德宏傣族景颇族自治州", "德宏州", "德宏", 'N'),
    prefecture("5333", "怒江傈僳族自治州", "怒江州", "怒江", 'Q'),
    prefecture("5334", "迪庆藏族自治州", "迪庆州", "迪庆", 'R'),
];

const fn prefecture(
    code: &'static str,
    full_name: &'static str,
    common_name: &'static str,
    stem: &'static str,
    plate_letter: char,
) -> Prefecture {
    Prefecture {
        code,
        full_name,
        common_name,
        stem,
        plate_letter,
    }
}

impl Prefecture {
    /// The prefecture whose vehicle plates carry `letter` after `云`.
    pub fn from_plate_letter(letter: char) -> Option<&'static Prefecture> {
        PREFECTURES.iter().find(|p| p.plate_letter == letter)
    }

    /// Looks a prefecture up by its four-digit code.
    pub fn from_code(code: &str) -> Option<&'static Prefecture> {
        PREFECTURES.iter().find(|p| p.code == code)
    }

    /// Its counties, in code order (a contiguous run of [`COUNTIES`]).
    pub fn counties(&self) -> &'static [County] {
        let start = COUNTIES.partition_point(|c| &c.code[..4] < self.code);
        let end = COUNTIES.partition_point(|c| &c.code[..4] <= self.code);
        &COUNTIES[start..end]
    }
}

/// One county-level division of Yunnan (市辖区, 县级市, 县, 自治县).
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
    /// Township-level divisions (镇/乡/街道), used for address parsing and synthesis;
    /// listed for Honghe's counties only.
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

/// Every written form of every county by its first character, longest first, so that the
/// first form a text starts with is the longest one. Every address is resolved through
/// this; building the candidates anew per call was a fiftieth of the time spent reading a
/// vehicle export, and the province's 387 forms are too many to scan per address. Should
/// two counties ever share a form (none do, a test checks it), the later county's comes
/// first, as "the longest, the last of equal ones" requires.
static NAME_FORMS: LazyLock<HashMap<char, Vec<(&'static County, &'static str)>>> =
    LazyLock::new(|| {
        let mut index: HashMap<char, Vec<(&'static County, &'static str)>> = HashMap::new();
        for c in COUNTIES.iter().rev() {
            for form in [c.stem, c.common_name, c.full_name] {
                if let Some(first) = form.chars().next() {
                    index.entry(first).or_default().push((c, form));
                }
            }
        }
        for forms in index.values_mut() {
            forms.dedup();
            forms.sort_by_key(|(_, form)| std::cmp::Reverse(form.len()));
        }
        index
    });

/// Every county by its current and former codes.
static BY_CODE: LazyLock<HashMap<&'static str, &'static County>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for c in &COUNTIES {
        index.insert(c.code, c);
        for &old in c.former_codes {
            // A current code wins over another county's former one.
            index.entry(old).or_insert(c);
        }
    }
    index
});

/// The county-level divisions of Yunnan, in code order (GB/T 2260 as the Ministry of Civil
/// Affairs listed it for 2024). Former codes are those retired since 1984, when identity
/// cards began; one that two of today's counties share (a county split in two: 532201,
/// 533221, 533322) is listed for neither, so such a number's county is unknown, not
/// guessed.
pub static COUNTIES: [County; 129] = [
    county!("530102", "五华区", "五华区", "五华", [], []),
    county!("530103", "盘龙区", "盘龙区", "盘龙", [], []),
    county!("530111", "官渡区", "官渡区", "官渡", [], []),
    county!("530112", "西山区", "西山区", "西山", [], []),
    county!("530113", "东川区", "东川区", "东川", [], []),
    county!("530114", "呈贡区", "呈贡区", "呈贡", ["530121"], []),
    county!("530115", "晋宁区", "晋宁区", "晋宁", ["530122"], []),
    county!("530124", "富民县", "富民县", "富民", [], []),
    county!("530125", "宜良县", "宜良县", "宜良", [], []),
    county!("530126", "石林彝族自治县", "石林县", "石林", [], []),
    county!("530127", "嵩明县", "嵩明县", "嵩明", [], []),
    county!("530128", "禄劝彝族苗族自治县", "禄劝县", "禄劝", [], []),
    county!(
        "530129",
        "寻甸回族彝族自治县",
        "寻甸县",
        "寻甸",
        ["530327", "532231"],
        []
    ),
    county!("530181", "安宁市", "安宁市", "安宁", ["530123"], []),
    county!("530302", "麒麟区", "麒麟区", "麒麟", [], []),
    county!("530303", "沾益区", "沾益区", "沾益", ["530328"], []),
    county!(
        "530304",
        "马龙区",
        "马龙区",
        "马龙",
        ["530321", "532223"],
        []
    ),
    county!("530322", "陆良县", "陆良县", "陆良", ["532228"], []),
    county!("530323", "师宗县", "师宗县", "师宗", ["532227"], []),
    county!("530324", "罗平县", "罗平县", "罗平", ["532226"], []),
    county!("530325", "富源县", "富源县", "富源", ["532225"], []),
    county!("530326", "会泽县", "会泽县", "会泽", ["532233"], []),
    county!(
        "530381",
        "宣威市",
        "宣威市",
        "宣威",
        ["532202", "532224"],
        []
    ),
    county!("530402", "红塔区", "红塔区", "红塔", ["532401"], []),
    county!(
        "530403",
        "江川区",
        "江川区",
        "江川",
        ["530421", "532422"],
        []
    ),
    county!("530423", "通海县", "通海县", "通海", ["532424"], []),
    county!("530424", "华宁县", "华宁县", "华宁", ["532425"], []),
    county!("530425", "易门县", "易门县", "易门", ["532426"], []),
    county!("530426", "峨山彝族自治县", "峨山县", "峨山", ["532427"], []),
    county!(
        "530427",
        "新平彝族傣族自治县",
        "新平县",
        "新平",
        ["532428"],
        []
    ),
    county!(
        "530428",
        "元江哈尼族彝族傣族自治县",
        "元江县",
        "元江",
        ["532429"],
        []
    ),
    county!(
        "530481",
        "澄江市",
        "澄江市",
        "澄江",
        ["530422", "532423"],
        []
    ),
    county!("530502", "隆阳区", "隆阳区", "隆阳", ["533001"], []),
    county!("530521", "施甸县", "施甸县", "施甸", ["533022"], []),
    county!("530523", "龙陵县", "龙陵县", "龙陵", ["533024"], []),
    county!("530524", "昌宁县", "昌宁县", "昌宁", ["533025"], []),
    county!(
        "530581",
        "腾冲市",
        "腾冲市",
        "腾冲",
        ["530522", "533023"],
        []
    ),
    county!("530602", "昭阳区", "昭阳区", "昭阳", ["532101"], []),
    county!("530621", "鲁甸县", "鲁甸县", "鲁甸", ["532122"], []),
    county!("530622", "巧家县", "巧家县", "巧家", ["532123"], []),
    county!("530623", "盐津县", "盐津县", "盐津", ["532124"], []),
    county!("530624", "大关县", "大关县", "大关", ["532125"], []),
    county!("530625", "永善县", "永善县", "永善", ["532126"], []),
    county!("530626", "绥江县", "绥江县", "绥江", ["532127"], []),
    county!("530627", "镇雄县", "镇雄县", "镇雄", ["532128"], []),
    county!("530628", "彝良县", "彝良县", "彝良", ["532129"], []),
    county!("530629", "威信县", "威信县", "威信", ["532130"], []),
    county!(
        "530681",
        "水富市",
        "水富市",
        "水富",
        ["530630", "532131"],
        []
    ),
    county!("530702", "古城区", "古城区", "古城", [], []),
    county!("530721", "玉龙纳西族自治县", "玉龙县", "玉龙", [], []),
    county!("530722", "永胜县", "永胜县", "永胜", ["533222"], []),
    county!("530723", "华坪县", "华坪县", "华坪", ["533223"], []),
    county!("530724", "宁蒗彝族自治县", "宁蒗县", "宁蒗", ["533224"], []),
    county!(
        "530802",
        "思茅区",
        "思茅区",
        "思茅",
        ["532701", "532721"],
        []
    ),
    county!(
        "530821",
        "宁洱哈尼族彝族自治县",
        "宁洱县",
        "宁洱",
        ["532722"],
        []
    ),
    county!(
        "530822",
        "墨江哈尼族自治县",
        "墨江县",
        "墨江",
        ["532723"],
        []
    ),
    county!("530823", "景东彝族自治县", "景东县", "景东", ["532724"], []),
    county!(
        "530824",
        "景谷傣族彝族自治县",
        "景谷县",
        "景谷",
        ["532725"],
        []
    ),
    county!(
        "530825",
        "镇沅彝族哈尼族拉祜族自治县",
        "镇沅县",
        "镇沅",
        ["532726"],
        []
    ),
    county!(
        "530826",
        "江城哈尼族彝族自治县",
        "江城县",
        "江城",
        ["532727"],
        []
    ),
    county!(
        "530827",
        "孟连傣族拉祜族佤族自治县",
        "孟连县",
        "孟连",
        ["532728"],
        []
    ),
    county!(
        "530828",
        "澜沧拉祜族自治县",
        "澜沧县",
        "澜沧",
        ["532729"],
        []
    ),
    county!("530829", "西盟佤族自治县", "西盟县", "西盟", ["532730"], []),
    county!("530902", "临翔区", "临翔区", "临翔", ["533521"], []),
    county!("530921", "凤庆县", "凤庆县", "凤庆", ["533522"], []),
    county!("530922", "云县", "云县", "云县", ["533523"], []),
    county!("530923", "永德县", "永德县", "永德", ["533524"], []),
    county!("530924", "镇康县", "镇康县", "镇康", ["533525"], []),
    county!(
        "530925",
        "双江拉祜族佤族布朗族傣族自治县",
        "双江县",
        "双江",
        ["533526"],
        []
    ),
    county!(
        "530926",
        "耿马傣族佤族自治县",
        "耿马县",
        "耿马",
        ["533527"],
        []
    ),
    county!("530927", "沧源佤族自治县", "沧源县", "沧源", ["533528"], []),
    county!("532301", "楚雄市", "楚雄市", "楚雄", [], []),
    county!("532302", "禄丰市", "禄丰市", "禄丰", ["532331"], []),
    county!("532322", "双柏县", "双柏县", "双柏", [], []),
    county!("532323", "牟定县", "牟定县", "牟定", [], []),
    county!("532324", "南华县", "南华县", "南华", [], []),
    county!("532325", "姚安县", "姚安县", "姚安", [], []),
    county!("532326", "大姚县", "大姚县", "大姚", [], []),
    county!("532327", "永仁县", "永仁县", "永仁", [], []),
    county!("532328", "元谋县", "元谋县", "元谋", [], []),
    county!("532329", "武定县", "武定县", "武定", [], []),
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
    county!("532601", "文山市", "文山市", "文山", ["532621"], []),
    county!("532622", "砚山县", "砚山县", "砚山", [], []),
    county!("532623", "西畴县", "西畴县", "西畴", [], []),
    county!("532624", "麻栗坡县", "麻栗坡县", "麻栗坡", [], []),
    county!("532625", "马关县", "马关县", "马关", [], []),
    county!("532626", "丘北县", "丘北县", "丘北", [], []),
    county!("532627", "广南县", "广南县", "广南", [], []),
    county!("532628", "富宁县", "富宁县", "富宁", [], []),
    county!("532801", "景洪市", "景洪市", "景洪", ["532821"], []),
    county!("532822", "勐海县", "勐海县", "勐海", [], []),
    county!("532823", "勐腊县", "勐腊县", "勐腊", [], []),
    county!("532901", "大理市", "大理市", "大理", [], []),
    county!("532922", "漾濞彝族自治县", "漾濞县", "漾濞", [], []),
    county!("532923", "祥云县", "祥云县", "祥云", [], []),
    county!("532924", "宾川县", "宾川县", "宾川", [], []),
    county!("532925", "弥渡县", "弥渡县", "弥渡", [], []),
    county!("532926", "南涧彝族自治县", "南涧县", "南涧", [], []),
    county!("532927", "巍山彝族回族自治县", "巍山县", "巍山", [], []),
    county!("532928", "永平县", "永平县", "永平", [], []),
    county!("532929", "云龙县", "云龙县", "云龙", [], []),
    county!("532930", "洱源县", "洱源县", "洱源", [], []),
    county!("532931", "剑川县", "剑川县", "剑川", [], []),
    county!("532932", "鹤庆县", "鹤庆县", "鹤庆", [], []),
    county!(
        "533102",
        "瑞丽市",
        "瑞丽市",
        "瑞丽",
        ["533101", "533125", "533126"],
        []
    ),
    county!("533103", "芒市", "芒市", "芒市", ["533121"], []),
    county!("533122", "梁河县", "梁河县", "梁河", [], []),
    county!("533123", "盈江县", "盈江县", "盈江", [], []),
    county!("533124", "陇川县", "陇川县", "陇川", [], []),
    county!("533301", "泸水市", "泸水市", "泸水", ["533321"], []),
    county!("533323", "福贡县", "福贡县", "福贡", [], []),
    county!("533324", "贡山独龙族怒族自治县", "贡山县", "贡山", [], []),
    county!("533325", "兰坪白族普米族自治县", "兰坪县", "兰坪", [], []),
    county!(
        "533401",
        "香格里拉市",
        "香格里拉市",
        "香格里拉",
        ["533421"],
        []
    ),
    county!("533422", "德钦县", "德钦县", "德钦", [], []),
    county!("533423", "维西傈僳族自治县", "维西县", "维西", [], []),
];

impl County {
    /// Looks a county up by its current or former six-digit code.
    pub fn from_code(code: &str) -> Option<&'static County> {
        BY_CODE.get(code).copied()
    }

    /// Resolves a county from any name form: full, common, stem, or a text that starts with
    /// one of those (so `蒙自市文澜镇` resolves to 蒙自市). The longest form wins, which keeps
    /// `红河县` distinct from the prefecture prefix `红河州` (that is stripped before this).
    pub fn from_name(text: &str) -> Option<&'static County> {
        let text = text.trim();
        NAME_FORMS
            .get(&text.chars().next()?)?
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
        Self::from_code(code).is_some_and(|c| c.code.starts_with(HONGHE_CODE))
    }

    /// The prefecture it belongs to.
    pub fn prefecture(&self) -> &'static Prefecture {
        // Every code in the table starts with a listed prefecture's (a test checks it).
        Prefecture::from_code(&self.code[..4]).unwrap_or(&PREFECTURES[0])
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
        for pair in COUNTIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in &COUNTIES {
            assert!(
                c.code.starts_with(YUNNAN_CODE) && c.code.len() == 6,
                "{}",
                c.code
            );
            assert_eq!(c.prefecture().code, &c.code[..4], "{}", c.code);
            assert!(c.full_name.starts_with(c.stem) && c.common_name.starts_with(c.stem));
            assert!(c.stem.chars().count() >= 2, "{}", c.stem);
            // Townships are listed for Honghe, and only there.
            assert_eq!(
                c.townships.is_empty(),
                !c.code.starts_with(HONGHE_CODE),
                "{}",
                c.full_name
            );
        }
        let listed: usize = PREFECTURES.iter().map(|p| p.counties().len()).sum();
        assert_eq!(
            listed,
            COUNTIES.len(),
            "every county is in a listed prefecture"
        );
        assert!(PREFECTURES.iter().all(|p| !p.counties().is_empty()));
        assert_eq!(
            Prefecture::from_code(HONGHE_CODE).map(|p| p.counties().len()),
            Some(13)
        );
    }

    #[test]
    fn no_two_places_share_a_written_form() {
        let mut seen = HashMap::new();
        for c in &COUNTIES {
            let forms: std::collections::BTreeSet<&str> =
                [c.full_name, c.common_name, c.stem].into_iter().collect();
            for form in forms {
                assert_eq!(seen.insert(form, c.code), None, "{form}");
            }
        }
        for p in &PREFECTURES {
            // A prefecture's stem may be one of its counties' (红河州, 红河县); its written
            // names never are, so stripping them cannot take a county away.
            for form in [p.full_name, p.common_name] {
                assert_eq!(seen.get(form), None, "{form}");
            }
            if let Some(code) = seen.get(p.stem) {
                assert!(
                    code.starts_with(p.code),
                    "{} is another prefecture's county",
                    p.stem
                );
            }
        }
    }

    #[test]
    fn province_counties_resolve_by_name_and_code() {
        for (text, code) in [
            ("五华区", "530102"),
            ("五华区华山街道", "530102"),
            ("石林县", "530126"),
            ("文山市", "532601"),
            ("香格里拉市", "533401"),
            ("景洪", "532801"),
        ] {
            assert_eq!(
                County::from_name(text).map(|c| c.code),
                Some(code),
                "{text}"
            );
        }
        // The prefecture, not its namesake county.
        assert_eq!(County::from_name("文山州文山市"), None);
        assert_eq!(
            County::from_code("530102").map(|c| c.prefecture().stem),
            Some("昆明")
        );
        assert!(County::is_honghe_code("532501"));
        assert!(!County::is_honghe_code("530102"));
        assert_eq!(County::from_code("539999"), None);
    }
}
