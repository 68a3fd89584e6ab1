#!/usr/bin/env python3
"""An independent synthetic Honghe world for hedui, with its own ground truth.

Written from /work/shared/domain/DOMAIN.md and the Honghe survey report, without reading
hedui-synth, so that hedui's quality figures can be measured on a world whose assumptions
were not made by hedui's authors. Standard library only; deterministic for a seed.

    python3 tools/indep-world/gen.py --households 2000 --seed 7 --out /tmp/iw
    hedui check --config /tmp/iw/hedui.toml --out /tmp/iw-out
    python3 tools/indep-world/score.py --world /tmp/iw --run /tmp/iw-out

See README.md beside this file for what the world holds and the truth formats.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import csv
import datetime as dt
import gc
import io
import itertools
import json
import os
import random
import sys
import time
import zipfile

CHECK_DATE = dt.date(2026, 6, 30)
EXPORT_DATES = {
    "vehicle": dt.date(2026, 7, 14),
    "legacy": dt.date(2026, 7, 9),
    "licence": dt.date(2026, 7, 21),
    "property": dt.date(2026, 7, 16),
}
CHECK_ORD = CHECK_DATE.toordinal()

FILES = {
    "roster": "recipients_roster.csv",
    "vehicle": "vehicles_cgs.csv",
    "legacy": "vehicles_legacy_county.csv",
    "licence": "licences_scjg.csv",
    "property": "property_bdc.xlsx",
}
PROPERTY_SHEET = "不动产登记信息"

# ---------------------------------------------------------------------------------------------
# Defect rates. Applied to department rows whoever owns them (recipient or not).
# ---------------------------------------------------------------------------------------------
RATES = {
    # identity numbers on department rows
    "id_missing_vehicle": 0.012,
    "id_missing_licence": 0.03,
    "id_missing_property_modern": 0.03,
    "id_missing_property_old": 0.65,  # old rural titles (homesteads registered before 2005)
    "id_missing_property_old_urban": 0.12,  # old town titles (registered before 2005)
    "id_legacy15_old_record": 0.30,  # records registered before 2005, owner born before 1999
    "id_typo": 0.010,
    "id_transposition": 0.006,
    "id_lowercase_x": 0.45,  # of numbers ending in X
    "id_fullwidth": 0.008,
    "id_spaces": 0.010,
    "id_excel_number": 0.004,  # property workbook: number typed into a number cell
    "id_excel_guard": 0.03,  # licence CSV: ="5325..."
    # names
    "name_traditional": 0.015,
    "name_homophone": 0.015,
    "name_rare_placeholder": 0.75,  # of names holding a rare character
    "name_spaces": 0.006,
    "name_separator_variant": 0.55,  # of two-part minority names
    # rows
    "duplicate_row": 0.008,
    "empty_line": 0.003,
    "field_count": 0.002,
    "bad_date": 0.0012,
    "plate_format": 0.04,
    "multiline_cell": 0.01,
    # roster
    "roster_lowercase_x": 0.30,
    "roster_spaces": 0.004,
    "roster_fullwidth": 0.002,
    "roster_legacy15": 0.004,
    "roster_id_missing": 0.002,
    "roster_rare_placeholder": 0.30,
}

# ---------------------------------------------------------------------------------------------
# Geography: the 13 counties (GB/T 2260), recipients in 10k (金平 and 绿春 from the survey),
# a weight for the whole population's assets, urban share of recipients, ethnic mix,
# number of townships, and the former code still on older identity numbers.
# ---------------------------------------------------------------------------------------------
COUNTY_TABLE = [
    ("532501", "个旧市", 4.5, 45, 0.45, {"han": 60, "yi": 25, "hani": 5, "miao": 5, "yao": 5}, 10, None, 0),
    ("532502", "开远市", 3.5, 33, 0.40, {"han": 55, "yi": 35, "miao": 8, "hui": 2}, 7, None, 0),
    ("532503", "蒙自市", 4.5, 46, 0.35, {"han": 55, "yi": 25, "miao": 12, "hui": 3, "hani": 5}, 11, "532522", 2011),
    ("532504", "弥勒市", 5.0, 56, 0.25, {"han": 55, "yi": 40, "miao": 5}, 12, "532526", 2014),
    ("532523", "屏边县", 3.0, 16, 0.10, {"miao": 50, "han": 40, "yao": 10}, 7, None, 0),
    ("532524", "建水县", 5.5, 54, 0.20, {"han": 60, "yi": 30, "hui": 5, "hani": 5}, 14, None, 0),
    ("532525", "石屏县", 3.0, 31, 0.15, {"yi": 55, "han": 45}, 9, None, 0),
    ("532527", "泸西县", 4.0, 42, 0.15, {"han": 70, "yi": 30}, 8, None, 0),
    ("532528", "元阳县", 6.5, 44, 0.05, {"hani": 55, "yi": 25, "dai": 5, "han": 10, "miao": 5}, 14, None, 0),
    ("532529", "红河县", 5.5, 33, 0.05, {"hani": 75, "yi": 15, "han": 5, "dai": 5}, 13, None, 0),
    ("532530", "金平县", 11.5, 37, 0.05, {"miao": 25, "yao": 20, "hani": 20, "dai": 10, "yi": 10, "han": 15}, 13, None, 0),
    ("532531", "绿春县", 8.8, 25, 0.05, {"hani": 85, "yi": 10, "han": 5}, 9, None, 0),
    ("532532", "河口县", 1.5, 10, 0.30, {"yao": 35, "miao": 20, "han": 35, "zhuang": 10}, 4, None, 0),
]
OTHER_PROVINCE_CODES = ["530102", "530302", "532301", "520201", "522401", "510104", "430102",
                        "450102", "360102", "530402", "532621", "532622"]

# ---------------------------------------------------------------------------------------------
# Province mode (--area yunnan): Yunnan's 16 prefectures and 129 counties (GB/T 2260). Per
# county: code, full name, common name, stem, former codes (most recent first; "-" for none).
# ---------------------------------------------------------------------------------------------
YUNNAN_PREFECTURES = {
    # code: (full name, common name, stem, plate letter)
    "5301": ("昆明市", "昆明市", "昆明", "A"), "5303": ("曲靖市", "曲靖市", "曲靖", "D"),
    "5304": ("玉溪市", "玉溪市", "玉溪", "F"), "5305": ("保山市", "保山市", "保山", "M"),
    "5306": ("昭通市", "昭通市", "昭通", "C"), "5307": ("丽江市", "丽江市", "丽江", "P"),
    "5308": ("普洱市", "普洱市", "普洱", "J"), "5309": ("临沧市", "临沧市", "临沧", "S"),
    "5323": ("楚雄彝族自治州", "楚雄州", "楚雄", "E"), "5325": ("红河哈尼族彝族自治州", "红河州", "红河", "G"),
    "5326": ("文山壮族苗族自治州", "文山州", "文山", "H"), "5328": ("西双版纳傣族自治州", "西双版纳州", "西双版纳", "K"),
    "5329": ("大理白族自治州", "大理州", "大理", "L"), "5331": ("德宏傣族景颇族自治州", "德宏州", "德宏", "N"),
    "5333": ("怒江傈僳族自治州", "怒江州", "怒江", "Q"), "5334": ("迪庆藏族自治州", "迪庆州", "迪庆", "R"),
}
YUNNAN_COUNTIES = """
530102 五华区 五华区 五华 -
530103 盘龙区 盘龙区 盘龙 -
530111 官渡区 官渡区 官渡 -
530112 西山区 西山区 西山 -
530113 东川区 东川区 东川 -
530114 呈贡区 呈贡区 呈贡 530121
530115 晋宁区 晋宁区 晋宁 530122
530124 富民县 富民县 富民 -
530125 宜良县 宜良县 宜良 -
530126 石林彝族自治县 石林县 石林 -
530127 嵩明县 嵩明县 嵩明 -
530128 禄劝彝族苗族自治县 禄劝县 禄劝 -
530129 寻甸回族彝族自治县 寻甸县 寻甸 530327,532231
530181 安宁市 安宁市 安宁 530123
530302 麒麟区 麒麟区 麒麟 532201
530303 沾益区 沾益区 沾益 530328,532201
530304 马龙区 马龙区 马龙 530321,532223
530322 陆良县 陆良县 陆良 532228
530323 师宗县 师宗县 师宗 532227
530324 罗平县 罗平县 罗平 532226
530325 富源县 富源县 富源 532225
530326 会泽县 会泽县 会泽 532233
530381 宣威市 宣威市 宣威 532202,532224
530402 红塔区 红塔区 红塔 532401
530403 江川区 江川区 江川 530421,532422
530423 通海县 通海县 通海 532424
530424 华宁县 华宁县 华宁 532425
530425 易门县 易门县 易门 532426
530426 峨山彝族自治县 峨山县 峨山 532427
530427 新平彝族傣族自治县 新平县 新平 532428
530428 元江哈尼族彝族傣族自治县 元江县 元江 532429
530481 澄江市 澄江市 澄江 530422,532423
530502 隆阳区 隆阳区 隆阳 533001
530521 施甸县 施甸县 施甸 533022
530523 龙陵县 龙陵县 龙陵 533024
530524 昌宁县 昌宁县 昌宁 533025
530581 腾冲市 腾冲市 腾冲 530522,533023
530602 昭阳区 昭阳区 昭阳 532101
530621 鲁甸县 鲁甸县 鲁甸 532122
530622 巧家县 巧家县 巧家 532123
530623 盐津县 盐津县 盐津 532124
530624 大关县 大关县 大关 532125
530625 永善县 永善县 永善 532126
530626 绥江县 绥江县 绥江 532127
530627 镇雄县 镇雄县 镇雄 532128
530628 彝良县 彝良县 彝良 532129
530629 威信县 威信县 威信 532130
530681 水富市 水富市 水富 530630,532131
530702 古城区 古城区 古城 533221
530721 玉龙纳西族自治县 玉龙县 玉龙 533221
530722 永胜县 永胜县 永胜 533222
530723 华坪县 华坪县 华坪 533223
530724 宁蒗彝族自治县 宁蒗县 宁蒗 533224
530802 思茅区 思茅区 思茅 532701,532721
530821 宁洱哈尼族彝族自治县 宁洱县 宁洱 532722
530822 墨江哈尼族自治县 墨江县 墨江 532723
530823 景东彝族自治县 景东县 景东 532724
530824 景谷傣族彝族自治县 景谷县 景谷 532725
530825 镇沅彝族哈尼族拉祜族自治县 镇沅县 镇沅 532726
530826 江城哈尼族彝族自治县 江城县 江城 532727
530827 孟连傣族拉祜族佤族自治县 孟连县 孟连 532728
530828 澜沧拉祜族自治县 澜沧县 澜沧 532729
530829 西盟佤族自治县 西盟县 西盟 532730
530902 临翔区 临翔区 临翔 533521
530921 凤庆县 凤庆县 凤庆 533522
530922 云县 云县 云县 533523
530923 永德县 永德县 永德 533524
530924 镇康县 镇康县 镇康 533525
530925 双江拉祜族佤族布朗族傣族自治县 双江县 双江 533526
530926 耿马傣族佤族自治县 耿马县 耿马 533527
530927 沧源佤族自治县 沧源县 沧源 533528
532301 楚雄市 楚雄市 楚雄 -
532302 禄丰市 禄丰市 禄丰 532331
532322 双柏县 双柏县 双柏 -
532323 牟定县 牟定县 牟定 -
532324 南华县 南华县 南华 -
532325 姚安县 姚安县 姚安 -
532326 大姚县 大姚县 大姚 -
532327 永仁县 永仁县 永仁 -
532328 元谋县 元谋县 元谋 -
532329 武定县 武定县 武定 -
532501 个旧市 个旧市 个旧 -
532502 开远市 开远市 开远 -
532503 蒙自市 蒙自市 蒙自 532522
532504 弥勒市 弥勒市 弥勒 532526
532523 屏边苗族自治县 屏边县 屏边 -
532524 建水县 建水县 建水 -
532525 石屏县 石屏县 石屏 -
532527 泸西县 泸西县 泸西 -
532528 元阳县 元阳县 元阳 -
532529 红河县 红河县 红河 -
532530 金平苗族瑶族傣族自治县 金平县 金平 -
532531 绿春县 绿春县 绿春 -
532532 河口瑶族自治县 河口县 河口 -
532601 文山市 文山市 文山 532621
532622 砚山县 砚山县 砚山 -
532623 西畴县 西畴县 西畴 -
532624 麻栗坡县 麻栗坡县 麻栗坡 -
532625 马关县 马关县 马关 -
532626 丘北县 丘北县 丘北 -
532627 广南县 广南县 广南 -
532628 富宁县 富宁县 富宁 -
532801 景洪市 景洪市 景洪 532821
532822 勐海县 勐海县 勐海 -
532823 勐腊县 勐腊县 勐腊 -
532901 大理市 大理市 大理 -
532922 漾濞彝族自治县 漾濞县 漾濞 -
532923 祥云县 祥云县 祥云 -
532924 宾川县 宾川县 宾川 -
532925 弥渡县 弥渡县 弥渡 -
532926 南涧彝族自治县 南涧县 南涧 -
532927 巍山彝族回族自治县 巍山县 巍山 -
532928 永平县 永平县 永平 -
532929 云龙县 云龙县 云龙 -
532930 洱源县 洱源县 洱源 -
532931 剑川县 剑川县 剑川 -
532932 鹤庆县 鹤庆县 鹤庆 -
533102 瑞丽市 瑞丽市 瑞丽 533101,533125,533126
533103 芒市 芒市 芒市 533121
533122 梁河县 梁河县 梁河 -
533123 盈江县 盈江县 盈江 -
533124 陇川县 陇川县 陇川 -
533301 泸水市 泸水市 泸水 533321,533322
533323 福贡县 福贡县 福贡 533322
533324 贡山独龙族怒族自治县 贡山县 贡山 -
533325 兰坪白族普米族自治县 兰坪县 兰坪 -
533401 香格里拉市 香格里拉市 香格里拉 533421
533422 德钦县 德钦县 德钦 -
533423 维西傈僳族自治县 维西县 维西 -
"""
# After Honghe's 13, the other counties are taken one per prefecture in turn, in this order of
# prefectures (each prefecture's counties in code order), so that a small province world
# already holds cities and autonomous prefectures: 五华区, 大理市, 文山市, 麒麟区, 楚雄市, 景洪市, 昭阳区, …
YUNNAN_PREF_ORDER = ["5301", "5329", "5326", "5303", "5323", "5328", "5306", "5331", "5304", "5333", "5305",
                     "5334", "5308", "5307", "5309"]
# The ethnic mix of each prefecture (an approximation, for names only); a county whose full name
# is autonomous for some peoples gets those added (see province_county_rows).
YUNNAN_PREF_MIX = {
    "5301": {"han": 82, "yi": 10, "hui": 5, "miao": 3},
    "5303": {"han": 90, "yi": 4, "hui": 3, "miao": 2, "zhuang": 1},
    "5304": {"han": 70, "yi": 20, "hani": 5, "dai": 5},
    "5305": {"han": 88, "yi": 4, "dai": 4, "lisu": 3, "bai": 1},
    "5306": {"han": 90, "yi": 5, "miao": 3, "hui": 2},
    "5307": {"naxi": 45, "han": 38, "yi": 10, "lisu": 5, "bai": 2},
    "5308": {"han": 42, "hani": 20, "yi": 15, "lahu": 10, "dai": 8, "wa": 5},
    "5309": {"han": 55, "wa": 15, "dai": 12, "lahu": 10, "yi": 8},
    "5323": {"han": 62, "yi": 34, "lisu": 2, "hui": 2},
    "5326": {"han": 45, "zhuang": 30, "miao": 20, "yi": 5},
    "5328": {"dai": 45, "hani": 25, "han": 22, "lahu": 5, "yao": 3},
    "5329": {"bai": 55, "han": 30, "yi": 12, "hui": 3},
    "5331": {"dai": 40, "jingpo": 25, "han": 25, "lisu": 6, "wa": 4},
    "5333": {"lisu": 62, "bai": 18, "han": 10, "naxi": 5, "yi": 5},
    "5334": {"zang": 40, "lisu": 25, "naxi": 15, "han": 15, "yi": 5},
}
AUTONOMOUS_WORDS = [("哈尼族", "hani"), ("彝族", "yi"), ("苗族", "miao"), ("回族", "hui"), ("傣族", "dai"),
                    ("拉祜族", "lahu"), ("佤族", "wa"), ("纳西族", "naxi"), ("傈僳族", "lisu"), ("白族", "bai"),
                    ("瑶族", "yao"), ("独龙族", "lisu")]
# The year a former code stopped being issued, when the county itself was renamed or
# re-coded (approximate); otherwise the year its prefecture became a city (地区 -> 市).
YUNNAN_RECODED = {"530114": 2011, "530115": 2016, "530129": 1998, "530181": 1995, "530303": 2016,
                  "530304": 2018, "530403": 2015, "530481": 2019, "530581": 2015, "530681": 2018,
                  "532302": 2021, "532601": 2010, "532801": 1993, "533102": 1999, "533103": 2010,
                  "533301": 2016, "533401": 2014}
YUNNAN_PREF_CITY_YEAR = {"5303": 1997, "5304": 1997, "5305": 2000, "5306": 2001, "5307": 2002, "5308": 2003,
                         "5309": 2004}
# codes of people born outside the province (a province world has no "other" Yunnan county)
OTHER_PROVINCE_CODES_YN = ["520201", "522401", "510104", "430102", "450102", "360102", "520102", "510402"]

TOWN_C1 = "龙凤石沙水河坝坡岭山田果花竹松木金银铜锡宝普者阿哈俄期洛嘎勐马牛羊象鹤云雨黑白红绿青黄大小新老上下中东西南北平安乐和兴盛丰茂长高碧溪泉冷温草"
TOWN_C2 = "街坝坪河溪山岭寨田塘冲箐湾沟口头坡村庄铺哨营所屯井洞朗期者嘎沙马龙普乌卡拉打哈莫"
NAT_PRE = ["大", "小", "新", "老", "上", "下", "中", "前", "后", "东", "西", "南", "北", "阿", "哈", "期", "者",
           "俄", "普", "马", "龙", "牛", "石", "沙", "竹", "黑", "白", "半", "高", "平"]
NAT_SUF = ["寨", "村", "田", "坡", "箐", "冲", "河", "沟", "塘", "坝", "湾", "口", "脚", "头", "山", "坪", "铺",
           "嘎", "者", "期", "玛", "枯", "咪"]
NAT_3 = ["龙树脚", "大河边", "小河边", "坡头上", "新村子", "老虎箐", "麻栗坡", "松树林", "核桃箐", "水井湾",
         "芭蕉林", "梨树坪", "竹园坝", "大凹子", "小凹子", "岩脚寨", "阿者科", "哈播村", "普马寨", "期沙寨"]
STREET_PRE = ["人民", "建设", "朝阳", "新华", "团结", "解放", "文化", "红河", "锡城", "金湖", "天马", "凤凰",
              "南湖", "北门", "东风", "西城", "滇越", "银河", "学府", "迎宾", "太平", "永宁", "兴隆", "阜康",
              "瑞丰", "清河", "云台", "观澜", "桂林", "长青"]
STREET_SUF = ["路", "街", "大道", "巷", "东路", "西路", "中路", "北路"]
CN_NUM = "〇一二三四五六七八九十"

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
HAN_SUR = ("王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任"
           "姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔普单")
ETH_SUR = {
    "han": HAN_SUR,
    "yi": "李普毕罗龙杨张施者起白马王陆何朱陈钱沈鲁",
    "hani": "李白马卢陈杨高朱普龙车罗张王",
    "miao": "王杨熊陶马项侯李罗古张吴",
    "yao": "邓李赵盘黄冯蒋张",
    "dai": "刀白陶龙李",
    "hui": "马纳沙白杨",
    "zhuang": "农韦黄陆李",
    # province mode only (no Honghe county draws these)
    "bai": "杨李赵段张王何尹苏董字施",
    "naxi": "和木杨李赵王",
    "lisu": "余李和蜂褚胡恒麻密邓",
    "lahu": "李扎张石罗",
    "wa": "赵李陈肖鲍魏田",
    "jingpo": "排岳祁石金何李赵雷",
    # most Tibetans write no surname ("" first: the commonest)
    "zang": ["", "和", "鲁", "王", "李", "孙", "杨", "马"],
}
MALE_1 = "伟强军勇杰涛明超华平刚斌辉波林峰磊鹏亮东宇浩凯俊健龙成飞鑫文坤荣福贵兵才忠"
MALE_2 = ["志强", "建华", "建国", "国华", "文华", "永华", "家明", "志明", "德华", "正华", "国强", "海波", "建平",
          "成龙", "文军", "学文", "光明", "永福", "德明", "开明", "金华", "荣华", "云华", "绍华", "兴华", "世华",
          "顺才", "发财", "文明", "永明", "春华", "红军", "建军", "国庆", "建云", "学明", "正荣", "光荣", "云峰",
          "俊杰", "文杰", "子豪", "浩然", "宇航", "家乐", "天宇", "文斌", "志刚", "宏伟", "振华"]
FEMALE_1 = "芳娟丽敏静燕艳霞琴英萍红玲梅兰秀珍莉婷雪慧丹洁云琼芬仙"
FEMALE_2 = ["秀英", "桂英", "玉兰", "丽华", "秀兰", "春梅", "桂芳", "玉梅", "丽萍", "红梅", "美玲", "建英", "志芳",
            "金凤", "小燕", "晓燕", "丽娟", "海燕", "玉珍", "秀珍", "会芬", "自芬", "琼芬", "玉仙", "美仙", "春花",
            "金花", "兰英", "家琼", "丽芬", "雨涵", "欣怡", "梓涵", "思雨", "诗琪", "子涵", "佳怡", "玉芬", "秀芬",
            "云仙"]
HANI_SYL = "者黑沙批然收斗期嘎福波阿秋才龙明车而略合普搓约优兵布扎追拉杜呼三保诺奴思则里木梭苗者"
YI_F2 = ["阿芝", "阿英", "阿兰", "阿梅", "阿秀", "阿仙", "阿花", "阿凤"]
YI_M2 = ["阿普", "阿龙", "阿保", "阿才", "阿三", "阿福"]
DAI_M = "温罕保叫坎应南腊光胆恩拉"
DAI_F = "香嫩罕叫应南腊光胆恩拉香"
LISU_M2 = ["阿四", "阿普", "阿华", "阿土", "阿才", "扒四"]
LISU_F2 = ["阿妹", "阿娜", "阿秀", "阿英", "阿花"]
LAHU_SYL = "克儿努发约体妥戈门迫"
JINGPO_SYL = "麻腊诺干都早崩锐退当"
TIB_M = ["扎西", "次仁", "多吉", "格桑", "洛桑", "尼玛", "达瓦", "平措", "鲁茸", "此里", "农布", "阿称"]
TIB_F = ["卓玛", "央金", "拉姆", "次仁", "措姆", "达瓦", "尼玛", "格桑", "卓嘎", "拉珍"]
RARE = ["堃", "赟", "燊", "喆", "珺", "玥", "祎", "淏", "镕", "昇", "䶮", "㛃", "䒟", "𠇔", "𡒄", "𨱏", "㵘", "䂙"]
RARE_PINYIN = {"堃": "kun", "赟": "yun", "燊": "shen", "喆": "zhe", "珺": "jun", "玥": "yue", "祎": "yi",
               "淏": "hao", "镕": "rong", "昇": "sheng", "䶮": "yan", "㛃": "jie", "䒟": "cha", "𠇔": "ye",
               "𡒄": "chan", "𨱏": "zhi", "㵘": "mang", "䂙": "ju"}
TRAD = dict(zip(
    "陈张刘杨赵黄吴孙马郑谢罗萧冯邓韩叶蒋苏卢龙陆钟贺顾龚万钱严赖华伟丽红兰云国贵荣凤宝东进兴刚军书学财顺义礼发庆宁凯杰涛辉强艳静银铁锋门开阳乡车约优纳刀项盘韦农鲁毕开明",
    "陳張劉楊趙黃吳孫馬鄭謝羅蕭馮鄧韓葉蔣蘇盧龍陸鍾賀顧龔萬錢嚴賴華偉麗紅蘭雲國貴榮鳳寶東進興剛軍書學財順義禮發慶寧凱傑濤輝強豔靜銀鐵鋒門開陽鄉車約優納刀項盤韋農魯畢開明"))
HOMOPHONE = {"伟": "玮", "丽": "莉", "莉": "丽", "英": "瑛", "芳": "方", "明": "铭", "军": "君", "红": "宏",
             "华": "桦", "秀": "绣", "林": "琳", "兰": "岚", "文": "雯", "春": "椿", "梅": "玫", "云": "芸",
             "波": "博", "萍": "苹", "娟": "鹃", "燕": "艳", "艳": "燕", "霞": "侠", "琴": "勤", "静": "靖",
             "刚": "钢", "勇": "涌", "涛": "滔", "杰": "洁", "平": "萍", "斌": "彬", "辉": "晖", "建": "剑",
             "志": "智", "永": "勇", "家": "佳", "玉": "钰", "桂": "贵", "者": "哲", "黑": "嘿", "沙": "莎",
             "普": "蒲", "荣": "蓉", "珍": "真", "仙": "先", "花": "华", "福": "富", "才": "财", "龙": "隆",
             "凤": "峰", "海": "亥", "金": "今", "贵": "桂", "成": "诚", "兵": "斌"}
SEPARATORS = ["·", "•", "∙", "・", "‧", ".", " ", ""]
SEP_W = [45, 12, 5, 8, 5, 10, 10, 5]
PLACEHOLDERS = ["?", "□", "\ufffd", "PUA", "PINYIN"]
PLACEHOLDER_W = [30, 20, 15, 15, 20]
PROVINCE_ETH = {"bai", "naxi", "lisu", "lahu", "wa", "jingpo", "zang"}


def yunnan_gazetteer():
    """[(code, full name, common name, stem, [former codes])] in code order."""
    out = []
    for line in YUNNAN_COUNTIES.strip().splitlines():
        code, full, common, stem, former = line.split()
        out.append((code, full, common, stem, [] if former == "-" else former.split(",")))
    return out


def province_county_rows(n):
    """The first n counties of a province world, as COUNTY_TABLE rows plus a dict of province
    fields: Honghe's 13 first (as COUNTY_TABLE models them), then the others, one county of each
    prefecture in turn (YUNNAN_PREF_ORDER). A county's parameters come from a stream seeded by its
    code, so they depend neither on the seed nor on how many counties the world has."""
    gaz = yunnan_gazetteer()
    by_code = {g[0]: g for g in gaz}
    rows = [t + ({"full": by_code[t[0]][1], "stem": by_code[t[0]][3]},) for t in COUNTY_TABLE]
    by_pref = collections.defaultdict(list)
    for g in gaz:
        if g[0][:4] != "5325":
            by_pref[g[0][:4]].append(g)
    others = []
    k = 0
    while len(others) < len(gaz) - len(COUNTY_TABLE):
        for pc in YUNNAN_PREF_ORDER:
            if k < len(by_pref[pc]):
                others.append(by_pref[pc][k])
        k += 1
    for code, full, common, stem, former in others[:max(0, n - len(rows))]:
        crng = random.Random("yunnan-county:" + code)
        kind = common[-1]
        if code in ("530102", "530103", "530111", "530112", "530114"):  # Kunming's core districts
            rw, pw, urb = 1.5, 90, 0.75
        elif kind == "区":
            rw, pw, urb = 3.0, 50, 0.40
        elif kind == "市":
            rw, pw, urb = 4.0, 40, 0.30
        else:
            rw, pw, urb = 5.5, 25, 0.08
        rw = round(rw * crng.uniform(0.6, 1.4), 2)
        pw = round(pw * crng.uniform(0.7, 1.3))
        urb = round(min(0.9, urb * crng.uniform(0.7, 1.3)), 2)
        mix = dict(YUNNAN_PREF_MIX[code[:4]])
        named = sorted({eth: full.index(word) for word, eth in AUTONOMOUS_WORDS if word in full}.items(),
                       key=lambda x: x[1])
        for j, (eth, _) in enumerate(named):
            mix[eth] = mix.get(eth, 0) + (40 if j == 0 else 20 if j == 1 else 10)
        ntown = crng.randint(5, 10) if kind == "区" else crng.randint(6, 14)
        old, until = None, 0
        if former:
            old = former[0]
            until = YUNNAN_RECODED.get(code) or YUNNAN_PREF_CITY_YEAR.get(code[:4], 2000)
        rows.append((code, common, rw, pw, urb, mix, ntown, old, until, {"full": full, "stem": stem}))
    return rows[:n]

# ---------------------------------------------------------------------------------------------
# Policy (written to policy.toml and used for the truth: the two must agree)
# ---------------------------------------------------------------------------------------------
# States that end a holding, per department, as exact words; the registry's letter codes
# (B 转出, C 被盗抢, E 注销, M 强制注销) are translated by hedui's built-in GA table.
INACTIVE = {
    "vehicle": ["注销", "报废", "转出", "被盗抢", "强制注销"],
    "licence": ["注销", "吊销", "撤销"],
    "property": ["注销", "历史"],
}
EXEMPT_TYPES = [("pattern", "*摩托车"), ("exact", "三轮汽车"), ("pattern", "拖拉机"), ("pattern", "残疾人专用")]
LICENCE_TYPES = ["个体工商户", "有限责任公司", "个人独资企业", "合伙企业"]
COMMERCIAL_USES = ["商业", "商服", "办公", "工业", "车库"]
RESIDENTIAL_USES = ["住宅"]
MAX_HOMES = 1

VEHICLE_CODES = {"A": "正常", "B": "转出", "C": "被盗抢", "D": "停驶", "E": "注销", "G": "违法未处理",
                 "H": "海关监管", "I": "事故未处理", "J": "嫌疑车", "K": "查封", "L": "暂扣", "M": "强制注销",
                 "N": "事故逃逸", "O": "锁定", "P": "达到报废标准公告牌证作废", "Q": "逾期未检验"}


def fold(s: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKC", s) if not c.isspace())


def vehicle_exempt(vtype: str) -> bool:
    name = fold(vtype)
    for kind, pat in EXEMPT_TYPES:
        pat = fold(pat)
        if kind == "exact":
            if name == pat:
                return True
        elif "*" in pat:
            parts = pat.split("*")
            if name.startswith(parts[0]) and name.endswith(parts[-1]) and len(name) >= len(parts[0]) + len(parts[-1]):
                return True
        elif pat in name:
            return True
    return False


def licence_type_counts(etype: str) -> bool:
    t = fold(etype)
    for w in LICENCE_TYPES:
        if t == w or (t.startswith(w) and t[len(w):len(w) + 1] in ("(", "（")):
            return True
    return False


def building_use(use: str) -> str:
    parts = [p.strip() for p in use.replace("／", "/").replace("\\", "/").split("/")]
    return parts[-1] if parts else ""


# ---------------------------------------------------------------------------------------------
# Identity numbers
# ---------------------------------------------------------------------------------------------
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CK = "10X98765432"
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def id_check(s17: str) -> str:
    return ID_CK[sum(int(c) * w for c, w in zip(s17, ID_W)) % 11]


def id_valid(s: str) -> bool:
    return len(s) == 18 and s[:17].isdigit() and id_check(s[:17]) == s[17]


def upgrade15(s15: str) -> str:
    s17 = s15[:6] + "19" + s15[6:]
    return s17 + id_check(s17)


USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check(s17: str) -> str:
    s = sum(USCC_ALPHA.index(c) * w for c, w in zip(s17, USCC_W))
    return USCC_ALPHA[(31 - s % 31) % 31]


def regno_check(s14: str) -> str:
    p = 10
    for c in s14:
        s = (p + int(c)) % 10
        if s == 0:
            s = 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def excel_number_text(id18: str) -> str:
    mant = f"{float(id18[:17] + ('0' if id18[17] == 'X' else id18[17])):.14E}"
    m, e = mant.split("E")
    m = m.rstrip("0").rstrip(".")
    return f"{m}E+{int(e)}"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
class Chooser:
    """Weighted choice with precomputed cumulative weights."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng):
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def zipf_chooser(items, s=0.9):
    items = list(items)
    return Chooser(items, [1.0 / (i + 1) ** s for i in range(len(items))])


def rand_date(rng, a: dt.date, b: dt.date) -> dt.date:
    ao, bo = a.toordinal(), b.toordinal()
    if bo <= ao:
        return a
    return dt.date.fromordinal(rng.randint(ao, bo))


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ---------------------------------------------------------------------------------------------
# World objects
# ---------------------------------------------------------------------------------------------
class Person:
    __slots__ = ("pid", "name", "sur", "given", "sex", "birth", "id18", "loc", "hh", "rel", "eth",
                 "rare", "roster_id", "roster_name", "tags", "adv", "adv_target")

    def __init__(self):
        self.hh = None
        self.rel = ""
        self.rare = False
        self.roster_id = None
        self.roster_name = None
        self.tags = None
        self.adv = None
        self.adv_target = None


class Org:
    __slots__ = ("name", "code", "pid", "loc")

    def __init__(self, name, code, pid):
        self.name, self.code, self.pid = name, code, pid


class Household:
    __slots__ = ("idx", "hid", "ci", "urban", "loc", "members", "category", "enrolled", "amount")


class Rec:
    """A department record. Fields depend on the department."""

    __slots__ = ("rid", "dept", "owners", "layout", "kind", "vtype", "plate", "vin", "use", "reg", "state",
                 "status", "sdate", "extra", "tags", "rows", "key", "forced_ids", "no_id")

    def __init__(self, rid, dept):
        self.rid, self.dept = rid, dept
        self.owners = []
        self.layout = "single"
        self.tags = []
        self.rows = []  # [(file, sheet, line, visible, [(pos, owner, tags)], expect)]
        self.forced_ids = None
        self.no_id = False
        self.extra = None
        self.sdate = None


class World:
    def __init__(self, n_households: int, seed: int, adv_rate: float, area: str = "honghe",
                 per_county: int = 15000):
        self.rng = random.Random(seed)
        self.area = area
        self.province = area == "yunnan"
        if self.province:
            self.n_counties = min(129, max(1, round(n_households / per_county)))
            self.county_rows = province_county_rows(self.n_counties)
        else:
            self.county_rows = [t + (None,) for t in COUNTY_TABLE]
        self.seed = seed
        self.N = n_households
        self.adv_rate = adv_rate
        self.persons: list[Person] = []
        self.used_ids: set[str] = set()
        self.households: list[Household] = []
        self.members: list[Person] = []
        self.nonrecip: list[Person] = []
        self.orgs: list[Org] = []
        self.vehicles: list[Rec] = []
        self.licences: list[Rec] = []
        self.properties: list[Rec] = []
        self.plates: set[str] = set()
        self.cert_counter = itertools.count(1)
        self.rid_counter = itertools.count(1)
        self.counts = {}
        # households whose roster address must keep its house number (relatives' truth), and
        # the group-name style the roster used for them
        self.force_house: set[int] = set()
        self.roster_gs: dict[int, int] = {}
        self.sur_choosers = {e: zipf_chooser(s, 1.0) for e, s in ETH_SUR.items()}
        self.m1 = zipf_chooser(MALE_1, 0.8)
        self.m2 = zipf_chooser(MALE_2, 0.9)
        self.f1 = zipf_chooser(FEMALE_1, 0.8)
        self.f2 = zipf_chooser(FEMALE_2, 0.9)
        self.hani = zipf_chooser(HANI_SYL, 0.6)
        self.build_geography()

    # ----------------------------------------------------------------------------- geography
    def build_geography(self):
        rng = self.rng
        used_names = set()

        def uniq2(suffix_check=None):
            for _ in range(1000):
                n = rng.choice(TOWN_C1) + rng.choice(TOWN_C2)
                if n not in used_names:
                    used_names.add(n)
                    return n
            raise RuntimeError("names exhausted")

        self.counties = []
        for ci, (code, name, rw, pw, urb, mix, ntown, old, olduntil, prov) in enumerate(self.county_rows):
            c = {"code": code, "name": name, "short": name[:-1], "rw": rw, "pw": pw, "urban": urb,
                 "eth": Chooser(list(mix), list(mix.values())), "old": old, "olduntil": olduntil,
                 "towns": []}
            if prov is not None:
                pf, pcn, pst, letter = YUNNAN_PREFECTURES[code[:4]]
                c.update({"short": prov["stem"], "full": prov["full"], "pref": code[:4], "pref_full": pf,
                          "pref_common": pcn, "pref_stem": pst, "plate": "云" + letter})
                if ci >= len(COUNTY_TABLE):
                    # names are unique within Honghe, as before, and within each other county
                    # (townships and villages of different counties may share a name)
                    used_names = set()
            street_names = []
            seen_st = set()
            while len(street_names) < 14:
                s = rng.choice(STREET_PRE) + rng.choice(STREET_SUF)
                if s not in seen_st:
                    seen_st.add(s)
                    street_names.append(s)
            c["streets"] = street_names
            for t in range(ntown):
                tname = uniq2()
                if t == 0:
                    suffix = "街道"
                else:
                    suffix = "镇" if rng.random() < 0.55 else "乡"
                town = {"name": tname + suffix, "stem": tname, "villages": [], "communities": []}
                if t == 0:
                    for _ in range(rng.randint(5, 8)):
                        town["communities"].append({"name": uniq2() + "社区", "kind": "community",
                                                    "streets": rng.sample(street_names, 5)})
                nv = rng.randint(3, 5) if t == 0 else rng.randint(6, 12)
                for _ in range(nv):
                    vname = uniq2()
                    groups = []
                    seen = set()
                    for k in range(rng.randint(4, 12)):
                        for _ in range(100):
                            if rng.random() < 0.12:
                                nat = rng.choice(NAT_3)
                            else:
                                nat = rng.choice(NAT_PRE) + rng.choice(NAT_SUF)
                            if nat not in seen:
                                break
                        seen.add(nat)
                        groups.append((k + 1, nat))
                    eth = c["eth"](rng)
                    # a list (the draws are those of the string it used to be): a Tibetan
                    # village's clan may be "" (no surname)
                    clans = [self.sur_choosers[eth](rng) for _ in range(3)]
                    town["villages"].append({"name": vname, "kind": "village", "groups": groups,
                                             "clans": clans, "eth": eth})
                c["towns"].append(town)
            self.counties.append(c)
        self.county_recip = Chooser(range(len(self.counties)), [c["rw"] for c in self.counties])
        self.county_pop = Chooser(range(len(self.counties)), [c["pw"] for c in self.counties])

    # ------------------------------------------------------------------------------- places
    def rural_loc(self, ci, ti=None, vi=None):
        rng = self.rng
        c = self.counties[ci]
        if ti is None:
            ti = rng.randrange(len(c["towns"]))
        town = c["towns"][ti]
        if vi is None:
            vi = rng.randrange(len(town["villages"]))
        v = town["villages"][vi]
        gi = rng.randrange(len(v["groups"]))
        return (ci, ti, vi, gi, rng.randint(1, 160))

    def urban_loc(self, ci):
        rng = self.rng
        town = self.counties[ci]["towns"][0]
        k = rng.randrange(len(town["communities"]))
        return (ci, 0, -1 - k, rng.randrange(5), rng.randint(1, 300))

    def village_of(self, loc):
        ci, ti, vi = loc[0], loc[1], loc[2]
        if vi < 0:
            return None
        return self.counties[ci]["towns"][ti]["villages"][vi]

    # ------------------------------------------------------------------------------- names
    def given_name(self, eth, sex, rng, father=None):
        r = rng.random()
        if eth == "hani":
            if father is not None and father.given and rng.random() < 0.6 and len(father.given) >= 1:
                return father.given[-1] + self.hani(rng)
            if r < 0.55:
                return self.hani(rng) + self.hani(rng)
        elif eth == "yi" and r < 0.12:
            return rng.choice(YI_F2 if sex == "F" else YI_M2)
        elif eth == "dai" and r < 0.5:
            return ("岩" + rng.choice(DAI_M)) if sex == "M" else ("玉" + rng.choice(DAI_F))
        elif eth in PROVINCE_ETH:  # province mode only: Honghe's counties never draw these
            if eth == "zang":
                a = rng.choice(TIB_M if sex == "M" else TIB_F)
                if r < 0.6:
                    b = rng.choice(TIB_F if sex == "F" else TIB_M)
                    return a + b if b != a else a
                return a
            if eth == "lisu" and r < 0.2:
                return rng.choice(LISU_F2 if sex == "F" else LISU_M2)
            if eth == "lahu" and r < 0.4:
                return ("扎" if sex == "M" else "娜") + rng.choice(LAHU_SYL)
            if eth == "wa" and r < 0.5:
                return ("岩" if sex == "M" else "叶") + rng.choice(DAI_M)
            if eth == "jingpo" and r < 0.4:
                return rng.choice(JINGPO_SYL) + rng.choice(JINGPO_SYL)
        if sex == "M":
            return self.m1(rng) if rng.random() < 0.3 else self.m2(rng)
        return self.f1(rng) if rng.random() < 0.3 else self.f2(rng)

    def surname(self, eth, rng, village=None):
        if village is not None and rng.random() < 0.6:
            return rng.choice(village["clans"])
        return self.sur_choosers.get(eth, self.sur_choosers["han"])(rng)

    def set_name(self, p: Person, sur, given, rng, allow_two_part=True):
        p.sur, p.given = sur, given
        if allow_two_part and p.eth in ("hani", "yi", "dai") and rng.random() < 0.02:
            a = self.hani(rng) + self.hani(rng)
            b = self.hani(rng) + self.hani(rng)
            p.sur, p.given = "", a + "·" + b
            p.name = a + "·" + b
            return
        if rng.random() < 0.006 and given:
            rc = rng.choice(RARE)
            given = given[:-1] + rc
            p.given = given
            p.rare = True
        p.name = sur + given

    # ------------------------------------------------------------------------------- IDs
    def issue_code(self, ci, birth: dt.date, rng, migrant=0.0):
        r = rng.random()
        if r < migrant:
            return rng.choice(OTHER_PROVINCE_CODES_YN if self.province else OTHER_PROVINCE_CODES)
        if r < migrant + 0.08:
            ci = rng.randrange(len(self.counties))
        c = self.counties[ci]
        if c["old"] and birth.year < c["olduntil"]:
            return c["old"]
        return c["code"]

    def assign_id(self, p: Person, code: str, rng, seq=None):
        prefix = code + p.birth.strftime("%Y%m%d")
        parity = 1 if p.sex == "M" else 0
        for _ in range(400):
            s = seq if seq is not None else rng.randrange(1, 1000)
            if s <= 0 or s >= 1000:
                return False
            if s % 2 != parity:
                if seq is not None:
                    return False
                s = s - 1 if s > 1 else s + 1
            s17 = f"{prefix}{s:03d}"
            full = s17 + id_check(s17)
            if full not in self.used_ids:
                self.used_ids.add(full)
                p.id18 = full
                return True
            if seq is not None:
                return False
        raise RuntimeError("id space exhausted")

    def new_person(self, eth, sex, birth, loc, code=None, sur=None, given=None, father=None,
                   migrant=0.0, avoid=None) -> Person:
        rng = self.rng
        p = Person()
        p.pid = len(self.persons)
        self.persons.append(p)
        p.eth, p.sex, p.birth, p.loc = eth, sex, birth, loc
        v = self.village_of(loc)
        if sur is None:
            sur = self.surname(eth, rng, v)
        if given is None:
            given = self.given_name(eth, sex, rng, father)
            # a family does not give two of its members the same name
            for _ in range(20):
                if avoid is None or sur + given not in avoid:
                    break
                given = self.given_name(eth, sex, rng, father)
        self.set_name(p, sur, given, rng)
        if code is None:
            code = self.issue_code(loc[0], birth, rng, migrant)
        self.assign_id(p, code, rng)
        return p

    # ------------------------------------------------------------------------------- households
    def build_households(self):
        rng = self.rng
        size_ch = Chooser([1, 2, 3, 4, 5, 6, 7], [22, 25, 22, 17, 8.5, 4.5, 1.0])
        for i in range(self.N):
            h = Household()
            h.idx = i
            ci = self.county_recip(rng)
            c = self.counties[ci]
            h.ci = ci
            h.urban = rng.random() < c["urban"]
            h.loc = self.urban_loc(ci) if h.urban else self.rural_loc(ci)
            h.hid = f"{c['code']}{1 if h.urban else 2}{i + 1:07d}"
            v = self.village_of(h.loc)
            eth = v["eth"] if v is not None and rng.random() < 0.8 else c["eth"](rng)
            size = size_ch(rng)
            members = []
            if size == 1:
                age = rng.randint(55, 92) if rng.random() < 0.7 else rng.randint(22, 60)
                sex = "M" if rng.random() < 0.5 else "F"
            else:
                age = rng.randint(26, 78)
                sex = "M" if rng.random() < 0.78 else "F"
            birth = rand_date(rng, dt.date(CHECK_DATE.year - age - 1, CHECK_DATE.month, 1),
                              dt.date(CHECK_DATE.year - age, 6, 28))
            head = self.new_person(eth, sex, birth, h.loc)
            head.rel = "户主"
            members.append(head)
            spouse = None
            if size >= 2 and rng.random() < 0.78:
                ssex = "F" if sex == "M" else "M"
                sbirth = rand_date(rng, add_years(birth, -4), add_years(birth, 6))
                if sbirth > dt.date(2004, 1, 1):
                    sbirth = rand_date(rng, dt.date(1995, 1, 1), dt.date(2003, 12, 31))
                seth = eth if rng.random() < 0.88 else c["eth"](rng)
                spouse = self.new_person(seth, ssex, sbirth, h.loc, sur=self.surname(seth, rng),
                                         migrant=0.03, avoid={m.name for m in members})
                spouse.rel = "配偶"
                members.append(spouse)
            father = head if sex == "M" else spouse
            fam_sur = father.sur if father is not None and father.sur else head.sur
            hage = age_on(birth, CHECK_DATE)
            # an old head may live with a married son and grandchildren
            while len(members) < size:
                r = rng.random()
                if hage >= 58 and r < 0.35 and not any(m.rel == "子" for m in members):
                    kb = rand_date(rng, add_years(birth, 20), add_years(birth, 34))
                    k = self.new_person(eth, "M", kb, h.loc, sur=fam_sur, father=father,
                                        avoid={m.name for m in members})
                    k.rel = "子"
                    members.append(k)
                    if len(members) < size and rng.random() < 0.7:
                        dil = self.new_person(eth, "F", rand_date(rng, add_years(kb, -3), add_years(kb, 5)),
                                              h.loc, sur=self.surname(eth, rng), migrant=0.02,
                                              avoid={m.name for m in members})
                        dil.rel = "儿媳"
                        members.append(dil)
                    continue
                if hage < 50 and r < 0.08 and not any(m.rel in ("父亲", "母亲") for m in members):
                    psex = "M" if rng.random() < 0.4 else "F"
                    pb = rand_date(rng, add_years(birth, -36), add_years(birth, -20))
                    par = self.new_person(eth, psex, pb, h.loc, sur=fam_sur if psex == "M" else None,
                                           avoid={m.name for m in members})
                    par.rel = "父亲" if psex == "M" else "母亲"
                    members.append(par)
                    continue
                ksex = "M" if rng.random() < 0.52 else "F"
                son = next((m for m in members if m.rel == "子"), None)
                if son is not None:
                    lo, hi = add_years(son.birth, 20), add_years(son.birth, 36)
                    rel = "孙子" if ksex == "M" else "孙女"
                    kfather = son
                else:
                    lo, hi = add_years(birth, 18), add_years(birth, 42)
                    rel = "子" if ksex == "M" else "女"
                    kfather = father
                if hi > dt.date(2026, 5, 1):
                    hi = dt.date(2026, 5, 1)
                if lo > hi:
                    lo = add_years(hi, -3)
                kb = rand_date(rng, lo, hi)
                k = self.new_person(eth, ksex, kb, h.loc, sur=kfather.sur if kfather and kfather.sur else fam_sur,
                                    father=kfather, avoid={m.name for m in members})
                k.rel = rel
                members.append(k)
            for m in members:
                m.hh = h
            h.members = members
            h.category = ("城市低保" if h.urban else "农村低保") + rng.choice(["", "一类", "二类", "三类"])
            h.enrolled = rand_date(rng, dt.date(2008, 1, 1), dt.date(2026, 5, 31))
            h.amount = rng.choice([285, 320, 365, 410, 480, 560, 615, 700]) * len(members)
            self.households.append(h)
            self.members.extend(members)

    # ------------------------------------------------------------------------------- others
    def random_owner(self, ci=None, urban=None, age_lo=22, age_hi=72, sex=None, eth=None) -> Person:
        rng = self.rng
        if ci is None:
            ci = self.county_pop(rng)
        c = self.counties[ci]
        if urban is None:
            urban = rng.random() < 0.45
        loc = self.urban_loc(ci) if urban else self.rural_loc(ci)
        v = self.village_of(loc)
        if eth is None:
            eth = v["eth"] if v is not None and rng.random() < 0.8 else c["eth"](rng)
        if sex is None:
            sex = "M" if rng.random() < 0.62 else "F"
        age = rng.randint(age_lo, age_hi)
        birth = rand_date(rng, dt.date(CHECK_DATE.year - age - 1, 7, 1), dt.date(CHECK_DATE.year - age, 6, 29))
        p = self.new_person(eth, sex, birth, loc, migrant=0.04)
        self.nonrecip.append(p)
        return p

    def spouse_of(self, p: Person) -> Person:
        rng = self.rng
        sex = "F" if p.sex == "M" else "M"
        b = rand_date(rng, add_years(p.birth, -5), add_years(p.birth, 5))
        if b > dt.date(2004, 6, 1):
            b = rand_date(rng, dt.date(1996, 1, 1), dt.date(2004, 6, 1))
        s = self.new_person(p.eth, sex, b, p.loc, sur=self.surname(p.eth, rng), migrant=0.03)
        if p.hh is None:
            self.nonrecip.append(s)
        return s

    def relative_of(self, m: Person) -> Person:
        """A relative of a recipient living in another household (sibling, grown child, parent)."""
        rng = self.rng
        ci, ti = m.loc[0], m.loc[1]
        r = rng.random()
        if r < 0.6 and m.loc[2] >= 0:
            loc = self.rural_loc(ci, ti, m.loc[2])
        elif r < 0.85:
            loc = self.rural_loc(ci, ti) if rng.random() < 0.7 else self.urban_loc(ci)
        else:
            loc = self.urban_loc(ci) if rng.random() < 0.5 else self.rural_loc(self.county_pop(rng))
        kind = rng.random()
        sex = "M" if rng.random() < 0.6 else "F"
        if kind < 0.6:
            birth = rand_date(rng, add_years(m.birth, -12), add_years(m.birth, 12))
        elif kind < 0.85:
            birth = rand_date(rng, add_years(m.birth, 20), add_years(m.birth, 34))
        else:
            birth = rand_date(rng, add_years(m.birth, -34), add_years(m.birth, -20))
        latest = dt.date(2006, 1, 1)
        if birth > latest:
            birth = rand_date(rng, dt.date(1990, 1, 1), latest)
        sur = m.sur if (m.sur and (sex == "M" or rng.random() < 0.7)) else None
        code = m.id18[:6] if rng.random() < 0.8 else None
        if code is not None:
            c = self.counties[ci]
            if c["old"] and code == c["old"] and birth.year >= c["olduntil"]:
                code = c["code"]
            if code == c["code"] and c["old"] and birth.year < c["olduntil"]:
                code = c["old"]
        given = None
        taken = {x.given for x in m.hh.members} if m.hh is not None else {m.given}
        for _ in range(20):
            given = self.given_name(m.eth, sex, self.rng,
                                    m if (m.sex == "M" and 0.6 <= kind < 0.85) else None)
            if given not in taken:
                break
        p = self.new_person(m.eth, sex, birth, loc, code=code, sur=sur, given=given)
        p.tags = ["relative_other_household"]
        self.nonrecip.append(p)
        return p

    def new_rec(self, dept) -> Rec:
        return Rec(f"{dept[0].upper()}{next(self.rid_counter):07d}", dept)

    # ------------------------------------------------------------------------------- assets
    def new_plate(self, ci, new_energy=False):
        rng = self.rng
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        if self.province:
            # the prefecture's letter; a few plates come from another prefecture
            prov = (self.counties[ci]["plate"] if rng.random() < 0.97 else
                    "云" + rng.choice([v[3] for v in YUNNAN_PREFECTURES.values()]))
        else:
            prov = "云G" if rng.random() < 0.97 else rng.choice(["云A", "云D", "云K", "云H"])
        for _ in range(100):
            if new_energy:
                body = rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
            else:
                chars = [rng.choice("0123456789") for _ in range(5)]
                for k in rng.sample(range(5), rng.choice([0, 1, 1, 2])):
                    chars[k] = rng.choice(letters)
                body = "".join(chars)
            p = prov + body
            if p not in self.plates:
                self.plates.add(p)
                return p
        raise RuntimeError("plates exhausted")

    def vin(self):
        rng = self.rng
        return "L" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))

    VT_CAR = [("小型轿车", "小型汽车", 30), ("小型普通客车", "小型汽车", 18), ("小型越野客车", "小型汽车", 10),
              ("微型普通客车", "小型汽车", 4), ("中型普通客车", "大型汽车", 2), ("轻型普通货车", "小型汽车", 12),
              ("轻型厢式货车", "小型汽车", 5), ("重型自卸货车", "大型汽车", 4), ("重型半挂牵引车", "大型汽车", 3),
              ("低速货车", "低速车", 4), ("小型 轿车", "小型汽车", 0.5)]
    VT_MOTO = [("普通二轮摩托车", "普通摩托车", 70), ("轻便二轮摩托车", "轻便摩托车", 15),
               ("普通正三轮摩托车", "普通摩托车", 15)]
    VT_TRI = [("三轮汽车", "三轮汽车", 1)]
    VT_TRACTOR = [("手扶拖拉机", "拖拉机", 6), ("轮式拖拉机", "拖拉机", 4)]
    VT_DISAB = [("残疾人专用小型自动挡载客汽车", "小型汽车", 1)]

    def pick_vtype(self, cls):
        rng = self.rng
        table = {"car": self.VT_CAR, "moto": self.VT_MOTO, "tri": self.VT_TRI, "tractor": self.VT_TRACTOR,
                 "disab": self.VT_DISAB}[cls]
        total = sum(w for _, _, w in table)
        x = rng.random() * total
        for t, pk, w in table:
            x -= w
            if x <= 0:
                return t, pk
        return table[0][0], table[0][1]

    def vehicle_state(self, rec, reg_lo, state=None):
        """Registration date, status and change date. state: active|inactive|after_check|reg_after."""
        rng = self.rng
        if state is None:
            r = rng.random()
            state = "active" if r < 0.72 else "inactive" if r < 0.95 else "after_check" if r < 0.98 else "reg_after"
        if state == "reg_after":
            rec.reg = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["vehicle"] - dt.timedelta(days=2))
        else:
            rec.reg = rand_date(rng, reg_lo, dt.date(2026, 6, 20))
        rec.state = state
        if state == "inactive":
            rec.sdate = rand_date(rng, min(rec.reg + dt.timedelta(days=60), dt.date(2026, 6, 1)), CHECK_DATE)
        elif state == "after_check":
            rec.sdate = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["legacy"] - dt.timedelta(days=1))
        else:
            rec.sdate = None

    def add_vehicle(self, owner, cls, reg_lo=None, state=None, tags=None, legacy=None):
        rng = self.rng
        rec = self.new_rec("vehicle")
        rec.owners = [owner]
        rec.vtype, rec.kind = self.pick_vtype(cls)
        if reg_lo is None:
            reg_lo = dt.date(1996, 1, 1)
        if isinstance(owner, Person):
            adult = add_years(owner.birth, 18)
            if adult > reg_lo:
                reg_lo = adult
        if reg_lo > dt.date(2026, 5, 1):
            reg_lo = dt.date(2026, 5, 1)
        self.vehicle_state(rec, reg_lo, state)
        if legacy is None:
            legacy = rec.reg < dt.date(2012, 1, 1) and rng.random() < 0.35
        if legacy and rec.reg > dt.date(2012, 12, 31):
            legacy = False
        rec.extra = {"legacy": legacy}
        if isinstance(owner, Person):
            ci = owner.loc[0]
        else:  # a company's car: a random county in Honghe (all 云G); its own prefecture's letter in a province
            ci = owner.loc[0] if self.province else self.county_pop(rng)
        rec.plate = self.new_plate(ci, new_energy=(cls == "car" and rec.reg.year >= 2018 and rng.random() < 0.15))
        rec.vin = self.vin()
        if cls == "car" and rng.random() < 0.12:
            rec.use = rng.choice(["营运", "公路客运", "货运", "出租客运"])
        else:
            rec.use = "非营运"
        rec.tags = list(tags or [])
        self.vehicles.append(rec)
        return rec

    def add_licence(self, owner, etype=None, state=None, tags=None):
        rng = self.rng
        rec = self.new_rec("licence")
        rec.owners = [owner]
        if etype is None:
            r = rng.random()
            etype = ("个体工商户" if r < 0.72 else "有限责任公司（自然人独资）" if r < 0.80 else
                     "有限责任公司(自然人投资或控股)" if r < 0.87 else "个人独资企业" if r < 0.91 else "农民专业合作社")
        rec.kind = etype
        if state is None:
            r = rng.random()
            state = "active" if r < 0.62 else "inactive" if r < 0.95 else "after_check" if r < 0.985 else "reg_after"
        lo = max(add_years(owner.birth, 18), dt.date(1995, 1, 1))
        if lo > dt.date(2026, 5, 1):
            lo = dt.date(2026, 5, 1)
        if state == "reg_after":
            rec.reg = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["licence"] - dt.timedelta(days=2))
        else:
            rec.reg = rand_date(rng, lo, dt.date(2026, 6, 15))
        rec.state = state
        if state == "inactive":
            rec.sdate = rand_date(rng, min(rec.reg + dt.timedelta(days=90), dt.date(2026, 6, 1)), CHECK_DATE)
        elif state == "after_check":
            rec.sdate = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["licence"] - dt.timedelta(days=1))
        rec.tags = list(tags or [])
        self.licences.append(rec)
        return rec

    def add_property(self, owners, kind, loc, state=None, reg=None, tags=None, layout=None, old=None):
        """kind: homestead|homestead_land|flat|shop|office|garage|industrial|warehouse."""
        rng = self.rng
        rec = self.new_rec("property")
        rec.owners = list(owners)
        rec.kind = kind
        if reg is None:
            lo = max([add_years(o.birth, 18) for o in owners] + [dt.date(1988, 1, 1)])
            if lo > dt.date(2026, 5, 1):
                lo = dt.date(2026, 5, 1)
            if kind in ("homestead", "homestead_land"):
                if old is None:
                    old = rng.random() < 0.5
                hi = dt.date(2004, 12, 31) if old else dt.date(2026, 6, 15)
                if old and lo > hi:
                    old = False
                    hi = dt.date(2026, 6, 15)
                if not old and lo < dt.date(2012, 1, 1):
                    lo = dt.date(2012, 1, 1)
                reg = rand_date(rng, lo, hi)
            else:
                reg = rand_date(rng, max(lo, dt.date(1998, 1, 1)), dt.date(2026, 6, 15))
        rec.reg = reg
        if state is None:
            r = rng.random()
            state = "active" if r < 0.9 else "inactive" if r < 0.975 else "after_check" if r < 0.99 else "reg_after"
        if state == "reg_after":
            rec.reg = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["property"] - dt.timedelta(days=2))
        rec.state = state
        if state == "inactive" and rec.sdate is None:
            rec.sdate = rand_date(rng, min(rec.reg + dt.timedelta(days=200), dt.date(2026, 6, 1)), CHECK_DATE)
        elif state == "after_check":
            rec.sdate = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), EXPORT_DATES["property"] - dt.timedelta(days=1))
        rec.extra = {"loc": loc, "old": rec.reg.year < 2005}
        if layout is None:
            if len(owners) == 1:
                layout = "single"
            else:
                r = rng.random()
                layout = "cell" if r < 0.55 else "rows" if r < 0.92 else "cell_space"
        rec.layout = layout
        rec.tags = list(tags or [])
        # certificate number
        c = self.counties[loc[0]]
        n = next(self.cert_counter)
        y = rec.reg.year
        if kind in ("homestead", "homestead_land") and y < 2012:
            rec.key = f"{c['short']}集用({y})第{n:06d}号"
        elif y < 2016:
            rec.key = f"{c['short']}房权证字第{y}{n:06d}号"
        else:
            rec.key = f"云({y}){c['name']}不动产权第{n:07d}号"
        self.properties.append(rec)
        return rec

    # ------------------------------------------------------------------------------- recipients' assets
    def pick_member_owner(self, h: Household, adult_only=True) -> Person:
        rng = self.rng
        adults = [m for m in h.members if age_on(m.birth, CHECK_DATE) >= 18] or h.members
        r = rng.random()
        head = h.members[0]
        if r < 0.65 or len(adults) == 1:
            return head
        sp = next((m for m in adults if m.rel == "配偶"), None)
        if r < 0.8 and sp is not None:
            return sp
        return rng.choice(adults)

    def recipient_assets(self):
        rng = self.rng
        for h in self.households:
            head = h.members[0]
            spouse = next((m for m in h.members if m.rel == "配偶"), None)
            homes = 0
            # -- homestead / flat
            if (not h.urban and rng.random() < 0.55) or (h.urban and rng.random() < 0.03):
                owners = [head] + ([spouse] if spouse is not None and rng.random() < 0.45 else [])
                kind = "homestead_land" if rng.random() < 0.12 else "homestead"
                old = rng.random() < 0.55
                # an urban household's homestead is in its home village, not at its town address
                hloc = h.loc if not h.urban else self.rural_loc(h.ci)
                rec = self.add_property(owners, kind, hloc, state="active", old=old, tags=["own_home"])
                homes += kind == "homestead"
                if old and rng.random() < 0.2:
                    # the old title was replaced by a new registration: same house, new certificate
                    rec.state = "inactive"
                    rec.sdate = rand_date(rng, dt.date(2016, 1, 1), dt.date(2025, 12, 31))
                    rec.tags.append("recertified_old_title")
                    self.add_property(owners, "homestead", hloc, state="active",
                                      reg=rec.sdate, old=False, tags=["own_home", "recertified_new_title"])
            if (h.urban and rng.random() < 0.30) or (not h.urban and rng.random() < 0.01):
                owners = [head] + ([spouse] if spouse is not None and rng.random() < 0.5 else [])
                loc = h.loc if h.urban else self.urban_loc(h.ci)
                self.add_property(owners, "flat", loc, state="active", tags=["own_home"])
                homes += 1
            # -- disqualifying property
            if rng.random() < 0.010:
                o = self.pick_member_owner(h)
                self.add_property([o], "flat", self.urban_loc(h.ci), state="active", tags=["second_home"])
            if rng.random() < 0.015:
                # inherited house co-owned with a sibling who lives in another household
                m = self.pick_member_owner(h)
                rel = self.relative_of(m)
                loc = self.rural_loc(h.ci, h.loc[1]) if h.loc[2] >= 0 else self.urban_loc(h.ci)
                self.add_property([rel, m] if rng.random() < 0.5 else [m, rel], "homestead", loc,
                                  tags=["coowned_with_relative"])
            if rng.random() < 0.005:
                o = self.pick_member_owner(h)
                kind = rng.choice(["shop", "shop", "garage", "office"])
                self.add_property([o] + ([spouse] if spouse is not None and o is head and rng.random() < 0.3 else []),
                                  kind, self.urban_loc(h.ci), tags=["commercial"])
            if rng.random() < 0.02:
                o = self.pick_member_owner(h)
                kind = rng.choice(["flat", "homestead"])
                if kind == "flat":
                    loc = self.urban_loc(h.ci)
                elif h.loc[2] >= 0 and rng.random() < 0.7:
                    loc = self.rural_loc(h.ci, h.loc[1])  # an old house in the home township
                else:
                    loc = self.rural_loc(h.ci)
                self.add_property([o], kind, loc, state="inactive", tags=["sold_or_cancelled"])
            # -- vehicles
            if rng.random() < 0.22:
                for _ in range(1 if rng.random() < 0.85 else 2):
                    self.add_vehicle(self.pick_member_owner(h), "moto",
                                     state=rng.choice(["active"] * 7 + ["inactive"] * 3))
            if rng.random() < 0.06:
                self.add_vehicle(self.pick_member_owner(h), "tri")
            if rng.random() < 0.03:
                self.add_vehicle(self.pick_member_owner(h), "tractor")
            if rng.random() < 0.003:
                self.add_vehicle(self.pick_member_owner(h), "disab")
            if rng.random() < 0.028:
                r = rng.random()
                st = "inactive" if r < 0.45 else "after_check" if r < 0.53 else "reg_after" if r < 0.58 else "active"
                self.add_vehicle(self.pick_member_owner(h), "car", state=st)
            # -- licences
            if rng.random() < 0.024:
                r = rng.random()
                st = "inactive" if r < 0.5 else "after_check" if r < 0.55 else "active"
                etype = "农民专业合作社" if rng.random() < 0.1 else "个体工商户"
                self.add_licence(self.pick_member_owner(h), etype=etype, state=st)

    # ------------------------------------------------------------------------------- population's assets
    def population_assets(self):
        rng = self.rng
        N = self.N
        pool: list[Person] = []

        def owner(urban=None, want_rural=False):
            if pool and rng.random() < 0.3:
                p = rng.choice(pool)
                if not (want_rural and p.loc[2] < 0):
                    return p
            if rng.random() < 0.10 and self.members:
                m = rng.choice(self.members)
                if age_on(m.birth, CHECK_DATE) >= 18:
                    p = self.relative_of(m)
                    pool.append(p)
                    return p
            p = self.random_owner(urban=False if want_rural else urban)
            pool.append(p)
            return p

        nv = int(round(1.9 * N))
        for _ in range(nv):
            if rng.random() < 0.03:
                self.add_vehicle(self.new_org(), "car")
                continue
            r = rng.random()
            cls = "car" if r < 0.65 else "moto" if r < 0.90 else "tri" if r < 0.95 else "tractor" if r < 0.995 else "disab"
            self.add_vehicle(owner(), cls)
        nl = int(round(0.6 * N))
        for _ in range(nl):
            self.add_licence(owner(urban=rng.random() < 0.6))
        npr = int(round(1.8 * N))
        for _ in range(npr):
            r = rng.random()
            kind = ("homestead" if r < 0.40 else "homestead_land" if r < 0.45 else "flat" if r < 0.83 else
                    "shop" if r < 0.91 else "garage" if r < 0.95 else "office" if r < 0.97 else
                    "industrial" if r < 0.985 else "warehouse")
            rural = kind in ("homestead", "homestead_land")
            o = owner(urban=not rural, want_rural=rural)
            owners = [o]
            if rng.random() < (0.45 if kind in ("homestead", "flat") else 0.15):
                owners.append(self.spouse_of(o))
            if rural:
                loc = o.loc if o.loc[2] >= 0 else self.rural_loc(o.loc[0])
            else:
                loc = self.urban_loc(o.loc[0])
            self.add_property(owners, kind, loc)

    def new_org(self) -> Org:
        rng = self.rng
        ci = self.county_pop(rng)
        c = self.counties[ci]
        name = (f"{c['short']}{rng.choice(TOWN_C1)}{rng.choice(TOWN_C2)}"
                f"{rng.choice(['运输', '建筑工程', '商贸', '物流', '矿业', '农业开发', '汽车租赁'])}有限公司")
        body = "MA" + "".join(rng.choice(USCC_ALPHA[:10]) for _ in range(7))
        s17 = "91" + c["code"] + body
        o = Org(name, s17 + uscc_check(s17), -1 - len(self.orgs))
        o.loc = self.urban_loc(ci)
        self.orgs.append(o)
        return o

    # ------------------------------------------------------------------------------- adversarial
    def adversarial(self):
        rng = self.rng
        n_nonrecip = sum(1 for r in itertools.chain(self.vehicles, self.licences, self.properties)
                         if not any(isinstance(o, Person) and o.hh is not None for o in r.owners))
        n = int(round(self.adv_rate * n_nonrecip))
        kinds = Chooser(["namesake_sameday", "twin", "idslip_diffname", "idslip_namesake", "legacy15_diffname",
                         "legacy15_namesake", "next_township_id", "next_township_noid", "exact_id_diffname"],
                        [18, 17, 12, 8, 8, 7, 12, 12, 3])
        adults = [m for m in self.members if age_on(m.birth, CHECK_DATE) >= 20 and m.id18[:2] == "53"]
        if not adults:
            return
        made = {}
        tries = 0
        while sum(made.values()) < n and tries < n * 20:
            tries += 1
            kind = kinds(rng)
            R = rng.choice(adults)
            T = self.make_adversary(kind, R)
            if T is None:
                continue
            made[kind] = made.get(kind, 0) + 1
            T.adv = "adv_" + kind
            T.adv_target = R
            self.nonrecip.append(T)
            # the adversary's record(s)
            if kind == "next_township_noid":
                r = rng.random()
                if r < 0.6:
                    rec = self.add_property([T], "homestead", T.loc, state="active", old=True)
                elif r < 0.8:
                    rec = self.add_licence(T, etype="个体工商户", state="active")
                else:
                    rec = self.add_vehicle(T, "car", state="active")
                rec.no_id = True
            else:
                r = rng.random()
                if r < 0.45:
                    rec = self.add_vehicle(T, "car", state="active")
                elif r < 0.70:
                    rec = self.add_licence(T, etype="个体工商户", state="active")
                elif r < 0.85:
                    rec = self.add_property([T], "flat", self.urban_loc(T.loc[0]), state="active")
                elif r < 0.95:
                    rec = self.add_property([T], "shop", self.urban_loc(T.loc[0]), state="active")
                else:
                    loc = T.loc if T.loc[2] >= 0 else self.rural_loc(T.loc[0])
                    rec = self.add_property([T], "homestead", loc, state="active", old=False)
            if T.tags and T.tags[0].startswith("forced_id:"):
                _, fid, ftag = T.tags[0].split(":", 2)
                rec.forced_ids = {0: (fid, [ftag] if ftag else [])}
        self.counts["adversarial"] = made

    def other_township(self, ci, ti):
        towns = self.counties[ci]["towns"]
        if len(towns) == 1:
            return ti
        nt = ti + 1 if ti + 1 < len(towns) else ti - 1
        return nt

    def make_adversary(self, kind, R: Person):
        rng = self.rng
        ci, ti = R.loc[0], R.loc[1]
        prefix14 = R.id18[:14]
        seq = int(R.id18[14:17])
        T = Person()
        T.eth = R.eth
        T.birth = R.birth
        T.sex = R.sex
        code = R.id18[:6]

        def place_other_township():
            nt = self.other_township(ci, ti)
            return self.rural_loc(ci, nt)

        def try_seq(cands):
            for s in cands:
                if 0 < s < 1000:
                    s17 = f"{prefix14}{s:03d}"
                    full = s17 + id_check(s17)
                    if full not in self.used_ids:
                        self.used_ids.add(full)
                        return full
            return None

        if kind == "namesake_sameday":
            d = [2, -2, 4, -4, 6, -6]
            rng.shuffle(d)
            full = try_seq([seq + k for k in d])
            if full is None:
                return None
            T.id18 = full
            T.loc = place_other_township() if rng.random() < 0.7 else self.rural_loc(ci, ti)
            T.sur, T.given, T.name = R.sur, R.given, R.name
        elif kind == "twin":
            same_sex = rng.random() < 0.5
            d = [2, -2] if same_sex else [1, -1]
            rng.shuffle(d)
            full = try_seq([seq + k for k in d])
            if full is None:
                return None
            T.id18 = full
            T.sex = "M" if int(full[16]) % 2 == 1 else "F"
            r = rng.random()
            if r < 0.5 and R.loc[2] >= 0:
                T.loc = self.rural_loc(ci, ti, R.loc[2])
            elif r < 0.8:
                T.loc = self.rural_loc(ci, ti)
            else:
                T.loc = self.urban_loc(ci)
            g = R.given
            if "·" in g or not g:
                return None
            other = self.given_name(R.eth, T.sex, rng)
            if len(g) >= 2:
                given = g[0] + other[-1] if rng.random() < 0.7 else other[0] + g[-1]
            else:
                given = other[0] + g if rng.random() < 0.5 else g + other[-1]
            if given == g:
                return None
            T.sur, T.given, T.name = R.sur, given, R.sur + given
        elif kind in ("idslip_diffname", "idslip_namesake"):
            r_ = R.id18
            # a neighbour sequence differing from R's in exactly one digit
            cands = []
            for pos in (16, 15):
                for dgt in "0123456789":
                    digits = list(f"{seq:03d}")
                    if digits[pos - 14] == dgt:
                        continue
                    digits[pos - 14] = dgt
                    cands.append((pos, int("".join(digits))))
            rng.shuffle(cands)
            full = None
            for pos, s in cands:
                if s <= 0:
                    continue
                s17 = f"{prefix14}{s:03d}"
                f = s17 + id_check(s17)
                if f not in self.used_ids:
                    self.used_ids.add(f)
                    full, fpos = f, pos
                    break
            if full is None:
                return None
            T.id18 = full
            T.sex = "M" if int(full[16]) % 2 == 1 else "F"
            # the export slips one character of T's number and lands one edit from R's
            if rng.random() < 0.5:
                broken, tag = full[:17] + r_[17], "id_typo"  # wrong check character (R's)
            else:
                broken, tag = r_[:17] + full[17], "id_typo"  # the sequence digit typed as R's
            if broken == r_:
                return None
            T.tags = [f"forced_id:{broken}:{tag}"]
            if kind == "idslip_namesake":
                if T.sex != R.sex:
                    return None
                T.sur, T.given, T.name = R.sur, R.given, R.name
                T.loc = place_other_township()
            else:
                T.loc = self.rural_loc(ci) if rng.random() < 0.7 else self.urban_loc(ci)
                v = self.village_of(T.loc)
                T.sur = self.surname(T.eth, rng, v)
                T.given = self.given_name(T.eth, T.sex, rng)
                T.name = T.sur + T.given
                if T.name == R.name:
                    return None
        elif kind in ("legacy15_diffname", "legacy15_namesake"):
            if R.birth.year > 1990 or R.birth.year < 1920:
                return None
            cands = []
            for pos in (16, 15):
                digits = list(f"{seq:03d}")
                for dgt in "0123456789":
                    if digits[pos - 14] == dgt:
                        continue
                    dd = list(digits)
                    dd[pos - 14] = dgt
                    cands.append(int("".join(dd)))
            rng.shuffle(cands)
            full = try_seq(cands)
            if full is None:
                return None
            T.id18 = full
            T.sex = "M" if int(full[16]) % 2 == 1 else "F"
            legacy = full[:6] + full[8:17]
            T.tags = [f"forced_id:{legacy}:id_legacy15"]
            if kind == "legacy15_namesake":
                if T.sex != R.sex:
                    return None
                T.sur, T.given, T.name = R.sur, R.given, R.name
                T.loc = place_other_township()
            else:
                T.loc = self.rural_loc(ci, ti) if rng.random() < 0.5 else self.rural_loc(ci)
                v = self.village_of(T.loc)
                T.sur = self.surname(T.eth, rng, v)
                T.given = self.given_name(T.eth, T.sex, rng)
                T.name = T.sur + T.given
                if T.name == R.name:
                    return None
        elif kind in ("next_township_id", "next_township_noid"):
            T.loc = place_other_township()
            T.birth = rand_date(rng, add_years(R.birth, -8), add_years(R.birth, 8))
            if T.birth > dt.date(2006, 1, 1):
                T.birth = rand_date(rng, dt.date(1990, 1, 1), dt.date(2006, 1, 1))
            T.sur, T.given, T.name = R.sur, R.given, R.name
            T.pid = -1
            c = self.counties[ci]
            code = c["old"] if c["old"] and T.birth.year < c["olduntil"] else c["code"]
            self.assign_id(T, code, rng)
        elif kind == "exact_id_diffname":
            T.loc = self.rural_loc(ci) if rng.random() < 0.6 else self.urban_loc(ci)
            T.birth = rand_date(rng, add_years(R.birth, -15), add_years(R.birth, 15))
            if T.birth > dt.date(2006, 1, 1):
                T.birth = rand_date(rng, dt.date(1990, 1, 1), dt.date(2006, 1, 1))
            v = self.village_of(T.loc)
            T.sur = self.surname(T.eth, rng, v)
            T.given = self.given_name(T.eth, T.sex, rng)
            T.name = T.sur + T.given
            if T.name == R.name or T.sur == R.sur:
                return None
            c = self.counties[ci]
            code = c["old"] if c["old"] and T.birth.year < c["olduntil"] else c["code"]
            self.assign_id(T, code, rng)
            T.tags = [f"forced_id:{R.id18}:"]
        else:
            raise ValueError(kind)
        T.pid = len(self.persons)
        self.persons.append(T)
        return T


# =============================================================================================
# Rendering
# =============================================================================================
class Render:
    def __init__(self, world: World, seed: int):
        self.w = world
        self.rng = random.Random(seed * 7919 + 13)
        self.truth_rows = []  # tuples for truth/rows.csv
        self.date_styles = {
            "vehicle": Chooser(["iso", "slash", "compact", "cn", "isotime"], [72, 10, 10, 4, 4]),
            "legacy": Chooser(["slash", "iso", "cn", "dot"], [50, 25, 15, 10]),
            "licence": Chooser(["iso", "cn", "slash"], [55, 30, 15]),
            "property": Chooser(["serial", "serial_styled", "iso", "slash", "cn", "dot"], [18, 17, 30, 15, 15, 5]),
            "roster": Chooser(["iso", "compact"], [85, 15]),
        }
        self.sep_ch = Chooser(SEPARATORS, SEP_W)
        self.ph_ch = Chooser(PLACEHOLDERS, PLACEHOLDER_W)

    # --------------------------------------------------------------------------- ids
    def render_id(self, p, ctx, tags):
        """The identity number as the department wrote it; appends defect tags."""
        rng = self.rng
        if not isinstance(p, Person):
            return p.code
        r = rng.random()
        if r < ctx["missing"]:
            tags.append("id_missing")
            return ""
        s = p.id18
        if ctx.get("old") and p.birth.year < 1999 and rng.random() < RATES["id_legacy15_old_record"]:
            s = s[:6] + s[8:17]
            tags.append("id_legacy15")
        else:
            r = rng.random()
            if r < RATES["id_typo"]:
                pos = rng.randrange(len(s))
                pool = "0123456789X" if pos == 17 else "0123456789"
                c = rng.choice([x for x in pool if x != s[pos]])
                s = s[:pos] + c + s[pos + 1:]
                tags.append("id_typo")
            elif r < RATES["id_typo"] + RATES["id_transposition"]:
                opts = [i for i in range(len(s) - 1) if s[i] != s[i + 1]]
                i = rng.choice(opts)
                s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
                tags.append("id_transposition")
        return self.format_id(s, tags, ctx)

    def format_id(self, s, tags, ctx):
        rng = self.rng
        if s.endswith("X") and rng.random() < RATES["id_lowercase_x"]:
            s = s[:-1] + "x"
            tags.append("id_lowercase_x")
        r = rng.random()
        if r < RATES["id_fullwidth"]:
            s = s.translate(FULLWIDTH).replace("x", "ｘ")
            tags.append("id_fullwidth")
        elif r < RATES["id_fullwidth"] + RATES["id_spaces"] and not ctx.get("cell"):
            k = rng.randrange(4)
            s = (" " + s if k == 0 else s + " " if k == 1 else
                 f"{s[:6]} {s[6:14]} {s[14:]}" if k == 2 else f"{s[:6]} {s[6:]}")
            tags.append("id_spaces")
        return s

    # --------------------------------------------------------------------------- names
    def render_name(self, p, tags, roster=False):
        rng = self.rng
        if not isinstance(p, Person):
            return p.name
        name = p.name
        if p.rare:
            rate = RATES["roster_rare_placeholder"] if roster else RATES["name_rare_placeholder"]
            if rng.random() < rate:
                rc = next(c for c in name if c in RARE_PINYIN)
                kind = "?" if roster and rng.random() < 0.6 else self.ph_ch(rng)
                if kind == "PUA":
                    rep = chr(0xE000 + rng.randrange(0x600))
                elif kind == "PINYIN":
                    rep = RARE_PINYIN[rc]
                else:
                    rep = kind
                name = name.replace(rc, rep)
                tags.append("name_pinyin" if kind == "PINYIN" else "name_rare_placeholder")
            else:
                tags.append("name_rare_char")
        if roster:
            return name
        if "·" in name:
            sep = self.sep_ch(rng) if rng.random() < RATES["name_separator_variant"] else "·"
            if sep != "·":
                name = name.replace("·", sep)
                tags.append("name_separator")
            return name
        r = rng.random()
        if r < RATES["name_traditional"]:
            t = "".join(TRAD.get(c, c) for c in name)
            if t != name:
                name = t
                tags.append("name_traditional")
        elif r < RATES["name_traditional"] + RATES["name_homophone"]:
            idx = [i for i, c in enumerate(name) if c in HOMOPHONE and i > 0]
            if idx:
                i = rng.choice(idx)
                name = name[:i] + HOMOPHONE[name[i]] + name[i + 1:]
                tags.append("name_homophone")
        elif r < RATES["name_traditional"] + RATES["name_homophone"] + RATES["name_spaces"]:
            if len(name) >= 2 and p.sur:
                name = (p.sur + " " + name[len(p.sur):]) if rng.random() < 0.6 else name + " "
                tags.append("name_spaces")
        return name

    # --------------------------------------------------------------------------- dates
    def render_date(self, d, dept, tags, allow_bad=True):
        if d is None:
            return ""
        rng = self.rng
        if allow_bad and rng.random() < RATES["bad_date"]:
            tags.append("bad_date")
            return rng.choice(["不详", f"{d.year}-02-30", f"{d.year}-13-{d.day:02d}", "#VALUE!"])
        st = self.date_styles[dept](rng)
        if st == "iso":
            return d.isoformat()
        if st == "isotime":
            tags.append("date_mixed_format")
            return d.isoformat() + " 00:00:00"
        if st == "slash":
            tags.append("date_mixed_format")
            return f"{d.year}/{d.month}/{d.day}"
        if st == "compact":
            tags.append("date_mixed_format")
            return d.strftime("%Y%m%d")
        if st == "cn":
            tags.append("date_mixed_format")
            return f"{d.year}年{d.month}月{d.day}日"
        if st == "dot":
            tags.append("date_mixed_format")
            return f"{d.year}.{d.month:02d}.{d.day:02d}"
        if st in ("serial", "serial_styled"):
            tags.append("date_excel_serial")
            return ("SERIAL", (d - dt.date(1899, 12, 30)).days, st == "serial_styled")
        raise ValueError(st)

    # --------------------------------------------------------------------------- addresses
    def group_text(self, g, style):
        num, nat = g
        if style == 0:
            return f"{num}组"
        if style == 1:
            return f"第{num}村民小组"
        if style == 2:
            return f"{nat}村民小组"
        if style == 3:
            return nat
        if style == 4:
            return f"{nat}村"
        if style == 5:
            return (CN_NUM[num] if num <= 10 else "十" + CN_NUM[num - 10]) + "组"
        return f"{num}社"

    GS_ROSTER = Chooser([0, 1, 2, 3, 4], [30, 15, 35, 10, 10])
    GS_HUKOU = Chooser([0, 2, 3, 4, 5, 6], [25, 15, 30, 20, 7, 3])
    GS_PROP = Chooser([0, 2, 3, 4], [20, 20, 40, 20])

    def address(self, loc, who, prefix=True, unit=False, force_house=False, gs=None):
        """A postal address for loc as `who` writes it. force_house keeps the house number (drawn
        the same way, so other output does not move); gs imposes a group-name style."""
        rng = self.rng
        w = self.w
        ci, ti, vi, gi, house = loc
        c = w.counties[ci]
        town = c["towns"][ti]
        head = ""
        if prefix and w.province:
            # the county's own prefecture, in the same styles, plus a bare stem (昆明五华区)
            r = rng.random()
            cn = c["name"]
            if who == "hukou":
                if r < 0.2:
                    head = "云南省" + c["pref_full"] + (c["full"] if rng.random() < 0.4 else cn)
                elif r < 0.35:
                    head = "云南省" + c["pref_common"] + cn
                elif r < 0.42:
                    head = c["pref_stem"] + cn
                elif r < 0.7:
                    head = "云南省" + cn
                else:
                    head = cn
            elif who == "roster":
                head = (c["pref_common"] if r < 0.10 else c["pref_stem"] if r < 0.15 else "") + cn
            else:
                head = (c["pref_common"] if r < 0.1 else "") + cn
        elif prefix:
            r = rng.random()
            if who == "hukou":
                head = ("云南省红河哈尼族彝族自治州" if r < 0.2 else "云南省红河州" if r < 0.35 else
                        "云南省" if r < 0.7 else "") + c["name"]
            elif who == "roster":
                head = ("红河州" if r < 0.15 else "") + c["name"]
            else:
                head = c["name"]
        if vi < 0:
            comm = town["communities"][-1 - vi]
            street = comm["streets"][gi % len(comm["streets"])]
            s = head + town["name"] + (comm["name"] if who == "roster" and rng.random() < 0.5 else "") + f"{street}{house}号"
            if unit:
                s += f"{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}室"
            return s
        v = town["villages"][vi]
        g = v["groups"][gi]
        if who == "roster":
            gs, vs = self.GS_ROSTER(rng) if gs is None else gs, "村委会"
        elif who == "hukou":
            gs, vs = self.GS_HUKOU(rng) if gs is None else gs, rng.choice(["村委会", "村委会", "村"])
        else:
            gs, vs = self.GS_PROP(rng) if gs is None else gs, rng.choices(["村委会", "村", ""], [50, 45, 5])[0]
        self.last_gs = gs
        s = head + town["name"] + v["name"] + vs + self.group_text(g, gs)
        if rng.random() < 0.88 or force_house:
            s += f"{house}号"
        return s

    # --------------------------------------------------------------------------- truth
    def truth(self, file, sheet, line, rec, owners, expect, dup_of, tags, key):
        """owners: list of (pos, owner, owner_tags)."""
        if not owners:
            self.truth_rows.append((file, sheet, line, rec.dept if rec else "", rec.rid if rec else "",
                                    key, -1, "", "none", "", "", "", expect, dup_of, ";".join(tags), "", ""))
            return
        for pos, o, otags in owners:
            if isinstance(o, Org):
                kind, pid, hid, mid, mname = "org", str(o.pid), "", "", ""
            elif o.hh is not None:
                kind, pid, hid, mid, mname = "member", str(o.pid), o.hh.hid, o.roster_id, o.roster_name
            else:
                kind, pid, hid, mid, mname = "nonrecipient", str(o.pid), "", "", ""
            all_tags = list(tags) + list(otags)
            at_h = at_m = ""
            if isinstance(o, Person):
                if o.tags:
                    all_tags += [t for t in o.tags if not t.startswith("forced_id:")]
                if o.adv:
                    all_tags.append(o.adv)
                    at_h, at_m = o.adv_target.hh.hid, o.adv_target.roster_id or ("NAME:" + o.adv_target.roster_name)
            self.truth_rows.append((file, sheet, line, rec.dept, rec.rid, key, pos, pid, kind, hid, mid, mname,
                                    expect, dup_of, ";".join(dict.fromkeys(all_tags)), at_h, at_m))


def state_tags(rec, exempt=None):
    t = []
    if rec.state == "inactive":
        t.append("asset_inactive")
    elif rec.state == "after_check":
        t.append("status_after_check")
    elif rec.state == "reg_after":
        t.append("registered_after_check")
    if exempt:
        t.append("asset_exempt")
    return t


# =============================================================================================
# Writers
# =============================================================================================
class CsvOut:
    """Collects rows of a delimited export, counting physical lines."""

    def __init__(self, lineterm="\r\n"):
        self.buf = io.StringIO()
        self.w = csv.writer(self.buf, lineterminator=lineterm)
        self.lt = lineterm
        self.line = 0

    def raw_line(self, text):
        self.buf.write(text + self.lt)
        self.line += 1
        return self.line

    def row(self, cells):
        start = self.line + 1
        self.w.writerow(cells)
        self.line += 1 + sum(c.count("\n") for c in cells if isinstance(c, str))
        return start


def write_roster(world: World, R: Render, out):
    rng = R.rng
    o = CsvOut("\n")
    o.raw_line(("云南省" if world.province else "红河州") + "城乡最低生活保障对象花名册（截至2026年6月30日）")
    header = ["序号", "县(市、区)", "乡镇(街道)", "村(社区)", "低保证号", "户主姓名", "家庭成员姓名", "公民身份号码",
              "与户主关系", "性别", "出生日期", "保障类别", "纳入保障日期", "月保障金额", "家庭住址"]
    o.row(header)
    n = 0
    tag_rows = []
    for h in world.households:
        c = world.counties[h.ci]
        town = c["towns"][h.loc[1]]
        vname = (town["communities"][-1 - h.loc[2]]["name"] if h.loc[2] < 0 else
                 town["villages"][h.loc[2]]["name"] + "村委会")
        forced = h.idx in world.force_house
        addr = R.address(h.loc, "roster", force_house=forced)
        if forced:
            world.roster_gs[h.idx] = getattr(R, "last_gs", None) if h.loc[2] >= 0 else None
        head_name = None
        for m in h.members:
            tags = []
            name = R.render_name(m, tags, roster=True)
            if head_name is None:
                head_name = name
            r = rng.random()
            s = m.id18
            if r < RATES["roster_id_missing"] and age_on(m.birth, CHECK_DATE) < 16:
                s = ""
                tags.append("roster_id_missing")
            elif r < RATES["roster_id_missing"] + RATES["roster_legacy15"] and m.birth.year < 1960:
                s = s[:6] + s[8:17]
                tags.append("roster_legacy15")
            if s.endswith("X") and rng.random() < RATES["roster_lowercase_x"]:
                s = s[:-1] + "x"
                tags.append("roster_lowercase_x")
            r = rng.random()
            if s and r < RATES["roster_spaces"]:
                s = s + " " if rng.random() < 0.5 else f"{s[:6]} {s[6:]}"
                tags.append("roster_spaces")
            elif s and r < RATES["roster_spaces"] + RATES["roster_fullwidth"]:
                s = s.translate(FULLWIDTH).replace("x", "ｘ")
                tags.append("roster_fullwidth")
            m.roster_id = s
            m.roster_name = name
            n += 1
            bd = R.render_date(m.birth, "roster", [], allow_bad=False)
            line = o.row([str(n), c["name"], town["name"], vname, h.hid, head_name, name, s, m.rel,
                          "男" if m.sex == "M" else "女", bd, h.category, h.enrolled.isoformat(),
                          f"{h.amount:.2f}", addr])
            tag_rows.append((h.hid, line, s, name, m.pid, m.id18, m.rel, ";".join(tags)))
    with open(os.path.join(out, FILES["roster"]), "w", encoding="utf-8", newline="") as f:
        f.write(o.buf.getvalue())
    return tag_rows


def v_status(rng, rec, legacy):
    """Status cell text and whether it is inactive in the world."""
    if legacy:
        if rec.state in ("inactive", "after_check"):
            return rng.choices(["注销", "报废", "转出", "被盗抢", "注销,违法未处理"], [50, 22, 20, 3, 5])[0]
        return rng.choices(["正常", "违法未处理", "逾期未检验", "违法未处理,逾期未检验", "达到报废标准", "停驶", "查封"],
                           [70, 6, 8, 3, 9, 2, 2])[0]
    if rec.state in ("inactive", "after_check"):
        return rng.choices(["E", "B", "C", "M", "EG", "BQ"], [52, 25, 3, 10, 6, 4])[0]
    return rng.choices(["A", "G", "Q", "GQ", "D", "K", "P", "QG", "H", "L", "O"],
                       [72, 6, 8, 4, 1, 1, 4, 1.5, 0.5, 1, 1])[0]


def write_vehicles(world: World, R: Render, out):
    rng = R.rng
    recs = list(world.vehicles)
    rng.shuffle(recs)
    main = [r for r in recs if not r.extra["legacy"]]
    legacy = [r for r in recs if r.extra["legacy"]]

    # ---------------------------------------------------------------- main export (GB18030)
    o = CsvOut("\r\n")
    header = ["号牌号码", "号牌种类", "车辆类型", "车辆识别代号", "使用性质", "机动车所有人", "身份证明名称", "身份证明号码",
              "住所行政区划", "住所详细地址", "初次登记日期", "机动车状态", "最近状态变更日期"]
    o.row(header)
    fname = FILES["vehicle"]
    pending = []
    for i, rec in enumerate(main):
        cells, tags, otags, expect = vehicle_cells(R, rec, legacy=False)
        emit_csv_row(R, o, fname, rec, cells, tags, otags, expect, pending, rng, allow_fc=(9,))
    flush_pending(R, o, fname, pending)
    with open(os.path.join(out, fname), "wb") as f:
        f.write(o.buf.getvalue().encode("gb18030"))

    # ---------------------------------------------------------------- legacy county export
    o = CsvOut("\r\n")
    fname = FILES["legacy"]
    o.raw_line(("云南省公安厅交通管理局 机动车登记信息（各州市旧系统汇总）" if world.province else
                "红河州公安局交通警察支队车辆管理所 机动车登记信息（旧系统）") + "（导出日期：2026年7月9日）")
    header = ["车牌号", "车辆类型", "车主", "车主身份证号", "车主住址", "登记日期", "车辆状态", "注销日期"]
    o.row(header)
    pending = []
    half = len(legacy) // 2
    for i, rec in enumerate(legacy):
        if i == half and half > 0:
            # two county exports joined one after the other: the header repeats
            line = o.row(header)
            R.truth(fname, "", line, None, [], "reject:repeated_header", "", ["repeated_header"], "")
        cells, tags, otags, expect = vehicle_cells(R, rec, legacy=True)
        emit_csv_row(R, o, fname, rec, cells, tags, otags, expect, pending, rng, allow_fc=(4,))
    flush_pending(R, o, fname, pending)
    with open(os.path.join(out, fname), "wb") as f:
        f.write(o.buf.getvalue().encode("gb18030"))
    world.counts["vehicle_rows_main"] = len(main)
    world.counts["vehicle_rows_legacy"] = len(legacy)


def vehicle_cells(R: Render, rec: Rec, legacy):
    rng = R.rng
    w = R.w
    p = rec.owners[0]
    tags = []
    otags = []
    exempt = vehicle_exempt(rec.vtype)
    tags += state_tags(rec, exempt)
    old = rec.reg < dt.date(2005, 1, 1)
    ctx = {"missing": RATES["id_missing_vehicle"], "old": old}
    if rec.no_id:
        idtxt = ""
        otags.append("id_missing")
    elif rec.forced_ids:
        fid, ft = rec.forced_ids[0]
        otags += ft
        idtxt = R.format_id(fid, otags, {})
    else:
        idtxt = R.render_id(p, ctx, otags)
    name = R.render_name(p, otags)
    plate = rec.plate
    if rng.random() < RATES["plate_format"]:
        k = rng.randrange(4)
        plate = (plate[:2] + "·" + plate[2:] if k == 0 else plate[:2] + " " + plate[2:] if k == 1 else
                 plate.lower() if k == 2 else plate[:1] + plate[1:].translate(FULLWIDTH).translate(
                     str.maketrans("ABCDEFGHJKLMNPQRSTUVWXYZ", "ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＳＴＵＶＷＸＹＺ")))
        tags.append("plate_format")
    if isinstance(p, Person):
        loc = p.loc
        if rng.random() < 0.08 and loc[2] >= 0:
            loc = w.rural_loc(loc[0], loc[1])
            otags.append("address_moved")
        addr = R.address(loc, "hukou")
        area = w.counties[loc[0]]["code"]
    else:
        addr = R.address(p.loc, "hukou")
        area = w.counties[p.loc[0]]["code"]
    status = v_status(rng, rec, legacy)
    if legacy and "达到报废标准" in status:
        tags.append("status_scrap_standard_still_registered")
    if not legacy and "P" in status:
        tags.append("status_scrap_standard_still_registered")
    if len(status) > 1 and ("," in status or not legacy):
        tags.append("multi_status")
    sdate = rec.sdate
    if rec.state == "inactive" and sdate is not None and sdate.year < 2015 and rng.random() < 0.3:
        sdate = None
        tags.append("status_date_blank")
    if rec.state == "active" and not legacy and status != "A" and rng.random() < 0.5:
        sdate = rand_date(rng, rec.reg, CHECK_DATE)
    dept = "legacy" if legacy else "vehicle"
    reg = rec.reg
    if old and rng.random() < 0.04:
        reg = None
        tags.append("registered_on_blank")
    regtxt = R.render_date(reg, dept, tags)
    stxt = R.render_date(sdate, dept, tags)
    expect = "reject:bad_value" if "bad_date" in tags else "accept"
    if legacy:
        cells = [plate, rec.vtype, name, idtxt, addr, regtxt, status, stxt]
    else:
        doc = "A" if isinstance(p, Person) else "B"
        if isinstance(p, Org):
            tags.append("org_owner")
        cells = [plate, rec.kind, rec.vtype, rec.vin, rec.use, name, doc, idtxt, area if rng.random() < 0.7 else "",
                 addr, regtxt, status, stxt]
    return cells, tags, otags, expect


def emit_csv_row(R: Render, o: CsvOut, fname, rec, cells, tags, otags, expect, pending, rng, allow_fc=()):
    """Writes one record row (maybe malformed), maybe a blank line and maybe a later duplicate."""
    if rng.random() < RATES["empty_line"]:
        line = o.raw_line("")
        R.truth(fname, "", line, None, [], "reject:empty_row", "", ["empty_row"], "")
    owners = [(0, rec.owners[0], otags)]
    if expect == "accept" and allow_fc and rng.random() < RATES["field_count"]:
        # a delimiter typed inside a value: the address gains a comma, not quoted
        k = allow_fc[0]
        addr = cells[k]
        cut = max(2, len(addr) // 3)
        cells = list(cells)
        cells[k] = addr[:cut] + "," + addr[cut:]
        safe = all(("\"" not in c and "\n" not in c) for c in cells)
        if safe:
            line = o.raw_line(",".join(cells))
            R.truth(fname, "", line, rec, owners, "reject:field_count", "", tags + ["field_count"], rec.plate if rec.dept == "vehicle" else rec.key)
            rec.rows.append((fname, "", line, False, owners, "reject:field_count"))
            return
        cells[k] = addr
    line = o.row(cells)
    key = rec.plate if rec.dept == "vehicle" else rec.key
    R.truth(fname, "", line, rec, owners, expect, "", tags, key)
    rec.rows.append((fname, "", line, expect == "accept", owners, expect))
    if rng.random() < RATES["duplicate_row"]:
        pending.append((rng.randint(0, 40), cells, rec, owners, tags, line, expect))
    # emit due duplicates
    keep = []
    for item in pending:
        due, c2, r2, ow2, t2, first, ex2 = item
        if due <= 0:
            l2 = o.row(c2)
            ex = "reject:duplicate"  # an exact copy is a duplicate whatever is wrong with the first
            R.truth(fname, "", l2, r2, ow2, ex, str(first), t2 + ["duplicate_row"], r2.plate if r2.dept == "vehicle" else r2.key)
            r2.rows.append((fname, "", l2, False, ow2, ex))
        else:
            keep.append((due - 1, c2, r2, ow2, t2, first, ex2))
    pending[:] = keep


def flush_pending(R, o, fname, pending):
    for due, c2, r2, ow2, t2, first, ex2 in pending:
        l2 = o.row(c2)
        ex = "reject:duplicate"
        R.truth(fname, "", l2, r2, ow2, ex, str(first), t2 + ["duplicate_row"], r2.plate if r2.dept == "vehicle" else r2.key)
        r2.rows.append((fname, "", l2, False, ow2, ex))
    pending.clear()


def new_credit_code(world: World, rng, rec, ci):
    c = world.counties[ci]
    tags = []
    etype = rec.kind
    t = "2" if etype == "个体工商户" else "3" if etype == "农民专业合作社" else "1"
    if rec.reg.year < 2014 and rng.random() < 0.10:
        area = c["code"]
        body = area + ("6" if t == "2" else "1") + "".join(rng.choice("0123456789") for _ in range(7))
        tags.append("credit_registration_number")
        return body + regno_check(body), tags
    if rec.reg.year < 2016:
        org = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
    else:
        org = "MA" + "".join(rng.choice(USCC_ALPHA) for _ in range(7))
    s17 = "9" + t + c["code"] + org
    ck = uscc_check(s17)
    if rec.reg.year < 2017 and rng.random() < 0.03:
        ck = rng.choice([x for x in USCC_ALPHA if x != ck])
        tags.append("credit_bad_check")
    return s17 + ck, tags


SHOP_WORDS = ["小卖部", "便利店", "五金店", "副食店", "餐馆", "米线店", "农资店", "摩托车修理部", "理发店", "服装店",
              "建材经营部", "养殖场", "烟酒店", "手机店", "农家乐", "茶叶店", "粮油店", "药店"]
SCOPE = ["日用百货、烟酒零售", "农产品收购、销售", "摩托车维修\n配件销售", "餐饮服务", "建材、五金销售",
         "生猪养殖、销售", "茶叶种植、加工、销售", "服装鞋帽零售", "道路货物运输"]


def write_licences(world: World, R: Render, out):
    rng = R.rng
    recs = list(world.licences)
    rng.shuffle(recs)
    o = CsvOut("\r\n")
    fname = FILES["licence"]
    header = ["统一社会信用代码", "市场主体名称", "市场主体类型", "经营者", "法定代表人", "证件号码", "注册资本（万元）",
              "成立日期", "登记状态", "注销吊销日期", "住所", "所属区县", "登记机关", "经营范围"]
    o.row(header)
    pending = []
    for rec in recs:
        p = rec.owners[0]
        tags = state_tags(rec)
        otags = []
        ci = p.loc[0] if rng.random() < 0.9 else world.county_pop(rng)
        c = world.counties[ci]
        code, ctags = new_credit_code(world, rng, rec, ci)
        tags += ctags
        rec.key = code
        ctx = {"missing": RATES["id_missing_licence"], "old": rec.reg.year < 2005}
        if rec.no_id:
            idtxt = ""
            otags.append("id_missing")
        elif rec.forced_ids:
            fid, ft = rec.forced_ids[0]
            otags += ft
            idtxt = R.format_id(fid, otags, {})
        else:
            idtxt = R.render_id(p, ctx, otags)
        if idtxt and rng.random() < RATES["id_excel_guard"]:
            idtxt = f'="{idtxt}"'
            otags.append("id_excel_guard")
        name = R.render_name(p, otags)
        town = c["towns"][0 if rng.random() < 0.6 else rng.randrange(len(c["towns"]))]
        if rec.kind == "个体工商户":
            ent = (f"{c['name']}{town['name']}{p.name if rng.random() < 0.4 else rng.choice(TOWN_C1) + rng.choice(TOWN_C2)}"
                   f"{rng.choice(SHOP_WORDS)}")
            op, rep = name, ""
        else:
            ent = f"{c['pref_stem'] if world.province else '红河'}{rng.choice(TOWN_C1)}{rng.choice(TOWN_C2)}{rng.choice(['商贸', '农业', '建材', '餐饮', '运输'])}" + (
                "专业合作社" if rec.kind == "农民专业合作社" else "有限公司" if "有限" in rec.kind else "经营部")
            op, rep = "", name
        if rng.random() < 0.1:
            cap = rng.choice(["-", "", "无"])
        else:
            v = rng.choice([1, 2, 3, 5, 5, 10, 10, 20, 30, 50, 100, 200])
            k = rng.random()
            cap = (f"{v}" if k < 0.6 else f"{v}万元" if k < 0.75 else f"{v * 10000}元" if k < 0.85 else
                   f"{v:.2f}万元人民币" if k < 0.95 else f"{v * 10000:,}元")
            if k >= 0.6:
                tags.append("number_units")
        est = R.render_date(rec.reg, "licence", tags)
        if rec.state in ("inactive", "after_check"):
            st = rng.choices(["注销", "吊销", "吊销，未注销", "撤销"], [60, 18, 17, 5])[0]
        else:
            st = rng.choices(["存续", "在业", "在营", "开业", "在册", "迁出", "存续（在营、开业、在册）"],
                             [40, 20, 10, 10, 5, 2, 3])[0]
        sdate = rec.sdate
        if rec.state == "inactive" and sdate is not None and sdate.year < 2015 and rng.random() < 0.3:
            sdate = None
            tags.append("status_date_blank")
        sd = R.render_date(sdate, "licence", tags)
        street = rng.choice(c["streets"])
        addr = f"{c['name']}{town['name']}{street}{rng.randint(1, 400)}号"
        scope = rng.choice(SCOPE)
        if "\n" in scope:
            tags.append("multiline_cell")
        area = c["name"] if rng.random() < 0.85 else ""
        cells = [code, ent, rec.kind, op, rep, idtxt, cap, est, st, sd, addr, area, f"{c['name']}市场监督管理局", scope]
        expect = "reject:bad_value" if "bad_date" in tags else "accept"
        emit_csv_row(R, o, fname, rec, cells, tags, otags, expect, pending, rng, allow_fc=(10,))
    flush_pending(R, o, fname, pending)
    line = o.row([f"合计：{len(recs)}户"])
    R.truth(fname, "", line, None, [], "reject:footer", "", ["footer"], "")
    with open(os.path.join(out, fname), "w", encoding="utf-8-sig", newline="") as f:
        f.write(o.buf.getvalue())


# ---------------------------------------------------------------------------------------------
# Property workbook (.xlsx, written with zipfile)
# ---------------------------------------------------------------------------------------------
def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xesc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class XlsxSheet:
    def __init__(self, ncols):
        self.parts = []
        self.merges = []
        self.cols = [col_letter(i) for i in range(max(ncols, 16))]
        self.row_no = 0

    def row(self, cells, row_no=None):
        if row_no is None:
            row_no = self.row_no + 1
        self.row_no = row_no
        out = [f'<row r="{row_no}">']
        for i, v in enumerate(cells):
            if v is None or v == "":
                continue
            ref = f"{self.cols[i]}{row_no}"
            if isinstance(v, tuple):
                if v[0] == "SERIAL":
                    style = ' s="1"' if v[2] else ""
                    out.append(f'<c r="{ref}"{style}><v>{v[1]}</v></c>')
                elif v[0] == "NUM":
                    out.append(f'<c r="{ref}"><v>{v[1]}</v></c>')
                elif v[0] == "ERR":
                    out.append(f'<c r="{ref}" t="e"><v>{v[1]}</v></c>')
                continue
            out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xesc(v)}</t></is></c>')
        out.append("</row>")
        self.parts.append("".join(out))
        return row_no


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="{s1}" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
           '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
           '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>')


def property_use(rng, kind):
    if kind == "homestead":
        return rng.choices(["宅基地/住宅", "住宅", "农村宅基地/住宅", "宅基地／住宅"], [60, 25, 10, 5])[0]
    if kind == "homestead_land":
        return "宅基地"
    if kind == "flat":
        return rng.choices(["城镇住宅用地/住宅", "住宅", "城镇住宅用地/ 住宅"], [60, 37, 3])[0]
    if kind == "shop":
        return rng.choices(["商服用地/商业", "商业", "批发零售用地/商业", "商服"], [45, 30, 15, 10])[0]
    if kind == "office":
        return rng.choice(["商务金融用地/办公", "办公"])
    if kind == "garage":
        return rng.choice(["城镇住宅用地/车库", "车库"])
    if kind == "industrial":
        return "工业用地/工业"
    return "仓储用地/仓储"


def right_type(rng, kind, old):
    if kind in ("homestead", "homestead_land"):
        if kind == "homestead_land":
            return "集体土地使用权"
        return "集体建设用地使用权/房屋所有权" if old and rng.random() < 0.5 else "宅基地使用权/房屋所有权"
    return "国有建设用地使用权/房屋所有权"


def write_property(world: World, R: Render, out):
    rng = R.rng
    recs = list(world.properties)
    rng.shuffle(recs)
    fname = FILES["property"]
    header = ["不动产权证号", "权利人", "权利人证件号", "共有情况", "权利类型", "坐落", "所在区县", "土地用途/房屋用途",
              "建筑面积（㎡）", "登簿日期", "权属状态", "注销日期", "备注"]
    sh = XlsxSheet(len(header))
    sh.row([("云南省" if world.province else "红河州") + "不动产登记信息导出（导出日期：2026-07-16）"])
    sh.merges.append(f"A1:{col_letter(len(header) - 1)}1")
    sh.row(["数据来源：不动产登记信息管理平台", "", "", "", "", "", "", "", "单位：平方米"])
    sh.row(header)
    SEPS = ["、", "、", "、", "，", ",", ";"]
    pending = []
    total_area = 0.0
    for rec in recs:
        loc = rec.extra["loc"]
        old = rec.extra["old"]
        c = world.counties[loc[0]]
        tags = state_tags(rec)
        use = property_use(rng, rec.kind)
        rec.extra["use"] = use
        if "/" in use or "／" in use:
            tags.append("compound_use")
        rtype = right_type(rng, rec.kind, old)
        if rec.kind == "homestead":
            loc_txt = R.address(loc, "property", prefix=rng.random() < 0.3)
        elif rec.kind == "homestead_land":
            loc_txt = R.address(loc, "property", prefix=False)
        else:
            loc_txt = R.address(loc, "property", prefix=True, unit=rec.kind == "flat")
        area_col = c["name"] if rng.random() < 0.7 else c["code"]
        # floor area
        if rec.kind == "homestead_land":
            fa = ""
            a = 0
        else:
            lo, hi = {"homestead": (60, 240), "flat": (45, 145), "shop": (15, 130), "garage": (12, 40),
                      "office": (30, 200), "industrial": (200, 2000), "warehouse": (50, 600)}[rec.kind]
            a = round(rng.uniform(lo, hi), 2)
            k = rng.random()
            if k < 0.45:
                fa = ("NUM", f"{a}")
            elif k < 0.6:
                fa = f"{a}"
            elif k < 0.85:
                fa = f"{a}㎡"
                tags.append("number_units")
            elif k < 0.93:
                fa = f"{a}平方米"
                tags.append("number_units")
            elif k < 0.97:
                fa = f"{a} m²"
                tags.append("number_units")
            else:
                fa = "-"
        total_area += a
        reg = rec.reg
        if old and rng.random() < 0.08:
            reg = None
            tags.append("registered_on_blank")
        regv = R.render_date(reg, "property", tags)
        if rec.state in ("inactive", "after_check"):
            st = rng.choices(["注销", "历史", "注销,抵押"], [60, 35, 5])[0]
        else:
            st = rng.choices(["现势", "抵押", "查封", "抵押,查封", "异议", "预告登记", "现势、抵押"], [76, 12, 2, 1.5, 0.5, 0.5, 1])[0]
        if "," in st or "、" in st:
            tags.append("multi_status")
        sdate = rec.sdate
        if rec.state == "inactive" and sdate is not None and sdate.year < 2015 and rng.random() < 0.3:
            sdate = None
            tags.append("status_date_blank")
        sdv = R.render_date(sdate, "property", tags)
        bad = "bad_date" in tags
        if bad:
            regv = regv if not isinstance(regv, tuple) else regv
        if isinstance(regv, str) and regv == "#VALUE!":
            regv = ("ERR", "#VALUE!")
        if isinstance(sdv, str) and sdv == "#VALUE!":
            sdv = ("ERR", "#VALUE!")
        expect = "reject:bad_value" if bad else "accept"
        rural = rec.kind in ("homestead", "homestead_land")
        ctx = {"missing": (RATES["id_missing_property_old"] if old and rural else
                           RATES["id_missing_property_old_urban"] if old else RATES["id_missing_property_modern"]),
               "old": old}
        owners = rec.owners
        share = "单独所有" if len(owners) == 1 else rng.choice(["共同共有", "共同共有", "按份共有"])
        remark = "" if rng.random() < 0.97 else rng.choice(["补证", "换证", "继承"])

        def id_cell(p, otags, cell=False):
            if rec.no_id:
                otags.append("id_missing")
                return ""
            if rec.forced_ids and p is owners[0]:
                fid, ft = rec.forced_ids[0]
                otags.extend(ft)
                return R.format_id(fid, otags, {"cell": cell})
            c2 = dict(ctx)
            c2["cell"] = cell
            s = R.render_id(p, c2, otags)
            if s and not cell and rng.random() < RATES["id_excel_number"] and p.id18 and len(s) == 18 and s.isdigit():
                otags.append("id_excel_number")
                return ("NUM", excel_number_text(s))
            return s

        rows_cells = []  # (cells, owners_with_tags, row_tags)
        if rec.layout == "single" or len(owners) == 1:
            ot = []
            cells = [rec.key, R.render_name(owners[0], ot), id_cell(owners[0], ot), share, rtype, loc_txt,
                     area_col, use, fa, regv, st, sdv, remark]
            rows_cells.append((cells, [(0, owners[0], ot)], []))
        elif rec.layout in ("cell", "cell_space"):
            sep = " " if rec.layout == "cell_space" else rng.choice(SEPS)
            ows = []
            names = []
            ids = []
            ids_present = not (old and rural and rng.random() < 0.6)
            for pos, p in enumerate(owners):
                ot = ["coowner_cell"]
                names.append(R.render_name(p, ot))
                if ids_present:
                    s = id_cell(p, ot, cell=True)
                    if isinstance(s, tuple):
                        s = p.id18
                    ids.append(s)
                else:
                    ot.append("id_missing")
                ows.append((pos, p, ot))
            id_txt = sep.join(ids) if ids_present else ""
            if ids_present and any(x == "" for x in ids):
                for _, _, ot in ows:
                    ot.append("coowner_ids_partial")
            cells = [rec.key, sep.join(names), id_txt, share, rtype, loc_txt, area_col, use, fa, regv, st, sdv, remark]
            rows_cells.append((cells, ows, ["coowner_space"] if sep == " " else []))
        else:  # one row per co-owner
            merged = rng.random() < 0.3
            for pos, p in enumerate(owners):
                ot = ["coowner_rows"]
                cert = rec.key
                if merged:
                    ot.append("merged_certificate")
                    if pos > 0:
                        cert = ""
                cells = [cert, R.render_name(p, ot), id_cell(p, ot), share, rtype, loc_txt, area_col, use, fa, regv,
                         st, sdv, remark]
                rows_cells.append((cells, [(0, p, ot)], []))
        first_row = None
        nrows = len(rows_cells)
        for k, (cells, ows, rtags) in enumerate(rows_cells):
            if rng.random() < RATES["empty_line"] * 0.5 and nrows == 1:
                line = sh.row([])
                # an empty spreadsheet row inside the table: not written (no cells), Excel shows it empty
                R.truth(fname, PROPERTY_SHEET, line, None, [], "reject:empty_row", "", ["empty_row"], "")
            line = sh.row(cells)
            if first_row is None:
                first_row = line
            row_expect = expect
            rtags2 = tags + rtags
            if nrows == 1 and expect == "accept" and rng.random() < RATES["field_count"]:
                # a remark typed beside the row, right of the header
                cells2 = cells + ["", "已核"]
                sh.parts.pop()
                sh.row(cells2, line)
                row_expect = "reject:field_count"
                rtags2 = rtags2 + ["field_count"]
            R.truth(fname, PROPERTY_SHEET, line, rec, ows, row_expect, "", rtags2, rec.key)
            rec.rows.append((fname, PROPERTY_SHEET, line, row_expect == "accept", ows, row_expect))
        if nrows > 1 and rec.layout == "rows" and any("merged_certificate" in ot for _, ows, _ in rows_cells for _, _, ot in ows):
            sh.merges.append(f"A{first_row}:A{first_row + nrows - 1}")
        if nrows == 1 and rng.random() < RATES["duplicate_row"]:
            cells, ows, rtags = rows_cells[0]
            l2 = sh.row(cells)
            if row_expect == "reject:field_count":
                # the first copy carried a stray remark, so this one is the first readable row
                R.truth(fname, PROPERTY_SHEET, l2, rec, ows, expect, "", tags + rtags + ["duplicate_of_malformed"],
                        rec.key)
                rec.rows.append((fname, PROPERTY_SHEET, l2, expect == "accept", ows, expect))
            else:
                ex = "reject:duplicate"
                R.truth(fname, PROPERTY_SHEET, l2, rec, ows, ex, str(first_row), tags + rtags + ["duplicate_row"],
                        rec.key)
                rec.rows.append((fname, PROPERTY_SHEET, l2, False, ows, ex))
    # footer: a totals line below the table
    sh.row([])
    line = sh.row(["合计", "", "", "", "", "", "", "", f"{total_area:.2f}㎡"])
    R.truth(fname, PROPERTY_SHEET, line, None, [], "reject:footer", "", ["footer"], "")
    world.counts["property_rows"] = sh.row_no

    notes = XlsxSheet(2)
    notes.row(["说明"])
    notes.row(["1. 本表由不动产登记信息管理平台导出，仅供居民家庭经济状况核对使用。"])
    notes.row(["2. 日期列部分为Excel日期格式。"])
    path = os.path.join(out, fname)
    def entry(name):
        # fixed timestamps, so that one seed always gives the same bytes
        zi = zipfile.ZipInfo(name, date_time=(2026, 7, 16, 9, 30, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        return zi

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as z:
        z.writestr(entry("[Content_Types].xml"), CT)
        z.writestr(entry("_rels/.rels"), RELS)
        z.writestr(entry("xl/workbook.xml"), WB.replace("{s1}", PROPERTY_SHEET))
        z.writestr(entry("xl/_rels/workbook.xml.rels"), WB_RELS)
        z.writestr(entry("xl/styles.xml"), STYLES)
        with z.open(entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            B = 20000
            for i in range(0, len(sh.parts), B):
                f.write("".join(sh.parts[i:i + B]).encode("utf-8"))
            f.write(b"</sheetData>")
            if sh.merges:
                f.write(f'<mergeCells count="{len(sh.merges)}">'.encode())
                f.write("".join(f'<mergeCell ref="{m}"/>' for m in sh.merges).encode())
                f.write(b"</mergeCells>")
            f.write(b"</worksheet>")
        z.writestr(entry("xl/worksheets/sheet2.xml"), SHEET_HEAD + "".join(notes.parts) + "</sheetData></worksheet>")


# =============================================================================================
# Truth: expected candidates
# =============================================================================================
def is_active(rec) -> bool:
    return rec.state in ("active", "after_check")


def expected_candidates(world: World):
    """Candidates the policy calls for, from the rows a reader following hedui's contract accepts.

    Returns (expected, unreachable): unreachable are those whose rows were all quarantined.
    """
    exp = []
    unreachable = []
    homes = {}  # hid -> list of (rec, member, lines)

    def visible_members(rec):
        """{member pid: (member, [lines of the member's visible rows])} and all visible lines."""
        vis = {}
        lines = []
        any_rows = {}
        for file, sheet, line, visible, owners, expect in rec.rows:
            if visible:
                lines.append((file, sheet, line))
            for pos, o, ot in owners:
                if isinstance(o, Person) and o.hh is not None:
                    any_rows.setdefault(o.pid, o)
                    if visible:
                        vis.setdefault(o.pid, o)
        return vis, any_rows, lines

    def emit(h, rule, rec, m, lines, target):
        target.append((h.hid, rule, rec.rid, rec.key if rec.dept != "vehicle" else rec.plate, m.roster_id, m.roster_name,
                       m.pid, ";".join(f"{f}|{s}|{l}" for f, s, l in lines),
                       ";".join(rec.tags), rec.dept))

    for rec in world.vehicles:
        p = rec.owners[0]
        if not (isinstance(p, Person) and p.hh is not None):
            continue
        if not is_active(rec) or vehicle_exempt(rec.vtype):
            continue
        vis, anyr, lines = visible_members(rec)
        emit(p.hh, "vehicle", rec, p, lines, exp if p.pid in vis else unreachable)
    for rec in world.licences:
        p = rec.owners[0]
        if not (isinstance(p, Person) and p.hh is not None):
            continue
        if not is_active(rec) or not licence_type_counts(rec.kind):
            continue
        vis, anyr, lines = visible_members(rec)
        emit(p.hh, "licence", rec, p, lines, exp if p.pid in vis else unreachable)
    for rec in world.properties:
        if not any(isinstance(o, Person) and o.hh is not None for o in rec.owners):
            continue
        if not is_active(rec):
            continue
        bu = building_use(rec.extra.get("use", ""))
        vis, anyr, lines = visible_members(rec)
        if bu in COMMERCIAL_USES:
            for pid, m in anyr.items():
                emit(m.hh, "property_commercial", rec, m, lines, exp if pid in vis else unreachable)
        elif bu in RESIDENTIAL_USES:
            for pid, m in anyr.items():
                homes.setdefault(m.hh.hid, []).append((rec, m, lines, pid in vis))
    for hid, lst in homes.items():
        certs_vis = {r.rid for r, m, l, v in lst if v}
        certs_all = {r.rid for r, m, l, v in lst}
        if len(certs_vis) > MAX_HOMES:
            for r, m, l, v in lst:
                emit(m.hh, "property_multi_residential", r, m, l, exp if v else unreachable)
        elif len(certs_all) > MAX_HOMES:
            for r, m, l, v in lst:
                emit(m.hh, "property_multi_residential", r, m, l, unreachable)
    return exp, unreachable


# =============================================================================================
# Favour enrolment (关系保 / 人情保): staff roster, 备案 register, hukou export
# =============================================================================================
# Written from /work/notes/relatives-contract.md. Built after the rest of the world with its own
# random streams, so that `--no-relatives` gives the world the generator gave before; the only
# things the relatives change in the older exports are the co-owned titles of `medium` evidence
# (new rows in the property workbook) and the house number kept in a few roster addresses.
REL_FILES = {"staff": "staff.csv", "register": "relatives_register.csv", "hukou": "hukou.csv"}
STAFF_RULES = ("staff_recipient", "undeclared_relative", "case_worker_conflict")
CASE_WORKER_EXACT = {"低保专干", "民政助理员", "村民小组长", "社区书记", "社区主任"}

REL_RATES = {
    "households_per_staff": 150,
    "county_staff_share": 0.15,  # 民政局
    "township_staff_share": 0.20,  # 乡镇人民政府 / 街道办事处
    "staff_recipient": 0.03,  # in office and a member of a recipient household
    "staff_recipient_left": 0.01,  # left office before the check date, still a recipient
    "staff_with_relative": 0.10,  # in office, with relatives among recipients (half declared)
    "former_staff_with_relative": 0.015,
    "register_recipient_gone": 0.01,  # declared relative no longer in any household
    "namesake": 0.02,
    "neighbour": 0.03,
    "case_worker_same_village": 0.45,  # of relatives, when a case-worker slot can serve them
    "plain_staff_left": 0.06,  # ordinary turnover among the other staff
    # defects in the new exports (exact counts: at least one row each)
    "staff_id_missing": 0.02,
    "staff_id_legacy15": 0.015,
    "staff_id_fullwidth_digit": 0.015,
    "staff_date_spelling": 0.10,
    "register_id_missing": 0.015,
    "register_id_legacy15": 0.01,
    "register_id_fullwidth_digit": 0.01,
    "register_date_spelling": 0.12,
    "hukou_id_missing": 0.004,
    "hukou_id_legacy15": 0.003,
    "hukou_id_fullwidth_digit": 0.003,
    "hukou_ordinal_children": 0.30,  # 长子 / 次女 … instead of 子 / 女
}
EVIDENCE_W = {"strong": 0.35, "medium": 0.20, "weak": 0.20, "none": 0.25}
# staff age minus member age, by the member's relation to the staff
REL_AGE = {"父母": (-36, -22), "岳父母": (-36, -22), "公婆": (-36, -22), "祖父母": (-62, -44),
           "兄弟姐妹": (-12, 12), "子女": (22, 36), "儿媳": (20, 32), "女婿": (20, 32), "配偶": (-5, 5)}
REL_CHOICE = {
    "strong": (["父母", "兄弟姐妹", "子女", "在姻", "儿媳女婿", "祖父母", "配偶"], [40, 20, 12, 12, 5, 5, 6]),
    "medium": (["兄弟姐妹", "父母", "子女"], [50, 30, 20]),
    "weak": (["兄弟姐妹", "父母", "子女"], [50, 30, 20]),
    "none": (["父母", "兄弟姐妹", "子女", "在姻", "儿媳女婿", "祖父母", "配偶"], [30, 25, 12, 15, 6, 6, 6]),
}
REGISTER_WORDS = {"父母": ["父亲", "母亲"], "兄弟姐妹": None, "子女": ["儿子", "女儿"], "岳父母": ["岳父", "岳母"],
                  "公婆": ["公公", "婆婆"], "祖父母": ["祖父", "祖母"]}


# a member's relation to a staff member of the same household, from both relations to the head
_SAME_HH = {
    "户主": {"配偶": "配偶", "子": "子女", "女": "子女", "父亲": "父母", "母亲": "父母", "儿媳": "儿媳",
           "孙子": "孙子女", "孙女": "孙子女"},
    "配偶": {"户主": "配偶", "子": "子女", "女": "子女", "父亲": "PARENT_IN_LAW", "母亲": "PARENT_IN_LAW",
           "儿媳": "儿媳", "孙子": "孙子女", "孙女": "孙子女"},
    "子": {"户主": "父母", "配偶": "父母", "子": "兄弟姐妹", "女": "兄弟姐妹", "儿媳": "配偶", "孙子": "子女",
          "孙女": "子女", "父亲": "祖父母", "母亲": "祖父母"},
    "女": {"户主": "父母", "配偶": "父母", "子": "兄弟姐妹", "女": "兄弟姐妹", "父亲": "祖父母", "母亲": "祖父母"},
    "儿媳": {"户主": "公婆", "配偶": "公婆", "子": "配偶", "孙子": "子女", "孙女": "子女"},
    "父亲": {"户主": "子女", "配偶": "CHILD_IN_LAW", "子": "孙子女", "女": "孙子女", "母亲": "配偶"},
    "母亲": {"户主": "子女", "配偶": "CHILD_IN_LAW", "子": "孙子女", "女": "孙子女", "父亲": "配偶"},
    "孙子": {"户主": "祖父母", "配偶": "祖父母", "子": "父母", "儿媳": "父母", "孙子": "兄弟姐妹", "孙女": "兄弟姐妹"},
    "孙女": {"户主": "祖父母", "配偶": "祖父母", "子": "父母", "儿媳": "父母", "孙子": "兄弟姐妹", "孙女": "兄弟姐妹"},
}


def same_household_relation(staff, member):
    """What member is to staff when both are in one household; None when not a close relative."""
    r = _SAME_HH.get(staff.rel, {}).get(member.rel)
    if r == "PARENT_IN_LAW":
        return "公婆" if staff.sex == "F" else "岳父母"
    if r == "CHILD_IN_LAW":
        return "儿媳" if member.sex == "F" else "女婿"
    return r


def is_case_worker(pos: str) -> bool:
    return pos in CASE_WORKER_EXACT or pos.startswith("村委会")


def age_now(p) -> int:
    return age_on(p.birth, CHECK_DATE)


class Staff:
    __slots__ = ("sid", "p", "level", "pos", "employer", "ci", "ti", "vi", "town", "vname", "start", "end",
                 "sit", "line", "idtxt", "key", "tags", "rank", "hk_style")

    def __init__(self, level, ci, ti, vi, pos, employer, town, vname):
        self.level, self.ci, self.ti, self.vi = level, ci, ti, vi
        self.pos, self.employer, self.town, self.vname = pos, employer, town, vname
        self.sit = None
        self.p = None
        self.start = self.end = None
        self.tags = []
        self.hk_style = None

    def in_office(self) -> bool:
        return self.start <= CHECK_DATE and (self.end is None or self.end >= CHECK_DATE)

    def village_key(self):
        return (self.ci, self.ti, self.vi) if self.vi is not None else None


class HukouHH:
    __slots__ = ("loc", "members", "tags", "hno", "gs")

    def __init__(self, loc, members, tags=None, gs=None):
        self.loc = loc
        self.members = members  # [(person, 与户主关系)]
        self.tags = list(tags or [])
        self.gs = gs  # group-name style imposed on the address (weak / neighbour)
        self.hno = None


class Relatives:
    """The staff, their relatives among recipients, the register and the hukou households."""

    def __init__(self, world: World, seed: int):
        self.w = world
        self.rng = random.Random(seed * 104729 + 31)
        self.staff: list[Staff] = []
        self.pairs = []  # dicts: staff, member, hh, relation, kind, evidence, declared
        self.register = []  # dicts: member, hid, staff, relation, date, stale, pair
        self.hukou: list[HukouHH] = []
        self.absorbed: set[int] = set()  # member pids registered in a staff member's 户
        self.staff_hh: dict[int, HukouHH] = {}  # staff person pid -> its 户
        self.counts = {}

    # ------------------------------------------------------------------------- build
    def build(self):
        w = self.w
        saved = w.rng
        w.rng = self.rng  # World's helpers draw from w.rng: give them this stream
        try:
            self._build()
        finally:
            w.rng = saved

    def _build(self):
        w, rng = self.w, self.rng
        self.by_village = collections.defaultdict(list)
        self.by_town = collections.defaultdict(list)
        self.by_county = collections.defaultdict(list)
        for h in w.households:
            self.by_village[h.loc[:3]].append(h)
            self.by_town[h.loc[:2]].append(h)
            self.by_county[h.ci].append(h)
        self.loc_count = collections.Counter(self.addr_key(h.loc) for h in w.households)
        self.used_h: set[int] = set()
        self.taken_locs: set[tuple] = set()
        n = max(40, round(w.N / REL_RATES["households_per_staff"]))
        self.make_slots(n)
        R = REL_RATES
        k = lambda rate, lo=2: max(lo, round(rate * n))
        # staff who are recipients, in office and not
        for i in range(k(R["staff_recipient"])):
            self.situation_self(True, edge=("end_after" if i == 0 else "end_on" if i == 1 else None))
        for _ in range(k(R["staff_recipient_left"])):
            self.situation_self(False)
        # relatives, by evidence and declared
        half = R["staff_with_relative"] * n / 2
        first_after = True
        for ev, wgt in EVIDENCE_W.items():
            for declared in (0, 1):
                for j in range(max(2, round(wgt * half))):
                    cw = (j == 0) if j < 2 else rng.random() < R["case_worker_same_village"]
                    edge = None
                    if ev == "strong" and declared == 0 and first_after:
                        edge, first_after = "end_after", False
                    self.situation_relative(ev, declared, cw, in_office=True, edge=edge)
        for j in range(k(R["former_staff_with_relative"])):
            ev = "strong" if j % 2 == 0 else rng.choice(["none", "medium", "weak"])
            self.situation_relative(ev, 1 if (j < 2 or rng.random() < 0.6) else 0,
                                    cw=rng.random() < 0.4, in_office=False)
        for _ in range(k(R["register_recipient_gone"])):
            self.situation_gone()
        for i in range(k(R["namesake"])):
            self.situation_namesake(in_office=True if i < 2 else None)
        for _ in range(k(R["neighbour"])):
            self.situation_neighbour()
        # everybody else: ordinary staff
        for s in self.staff:
            if s.p is None:
                s.sit = "plain"
                s.p = self.new_staff_person(s, None)
                self.set_term(s, in_office=rng.random() >= R["plain_staff_left"])
                self.own_household(s)
        self.order_staff()
        self.build_hukou()
        c = collections.Counter()
        for pr in self.pairs:
            s = pr["staff"]
            if pr["kind"] == "relative":
                c[f"relative_{pr['evidence']}_{'declared' if pr['declared'] else 'undeclared'}"
                  f"{'_self_household' if pr.get('self_household') else ''}"
                  f"{'' if s.in_office() else '_staff_left'}"] += 1
                if pr["cw"]:
                    c["relative_case_worker_same_village" + ("" if s.in_office() else "_staff_left")] += 1
            else:
                c[pr["kind"] + ("" if s.in_office() else "_staff_left")] += 1
        c["staff"] = len(self.staff)
        c["staff_in_office"] = sum(1 for s in self.staff if s.in_office())
        c["register_rows"] = len(self.register)
        c["register_stale_recipient_gone"] = sum(1 for r in self.register if r["stale"] == "recipient_gone")
        c["register_stale_staff_left"] = sum(1 for r in self.register if r["stale"] == "staff_left")
        c["hukou_households"] = len(self.hukou)
        c["hukou_rows"] = sum(len(h.members) for h in self.hukou)
        c["medium_coowned_titles"] = self.counts.get("medium_titles", 0)
        self.counts = dict(sorted(c.items()))

    def addr_key(self, loc):
        """Locations that are written as the same address: in a county seat, two communities may
        have the same street, and the community is not always written."""
        ci, ti, vi, gi, house = loc
        if vi < 0:
            comm = self.w.counties[ci]["towns"][ti]["communities"][-1 - vi]
            return (ci, ti, comm["streets"][gi % len(comm["streets"])], house)
        return loc

    # ------------------------------------------------------------------------- slots
    def make_slots(self, n):
        w, rng = self.w, self.rng
        R = REL_RATES
        counties = [ci for ci in range(len(w.counties)) if self.by_county[ci]]
        cw_county = Chooser(counties, [len(self.by_county[ci]) for ci in counties])
        towns = [t for t in self.by_town]
        cw_town = Chooser(towns, [len(self.by_town[t]) for t in towns])
        pos_c = Chooser(["民政局科员", "社会救助股科员", "社会救助股股长", "民政局副局长", "民政局局长"], [50, 20, 14, 12, 4])
        for _ in range(round(R["county_staff_share"] * n)):
            ci = cw_county(rng)
            c = w.counties[ci]
            town = ""
            if rng.random() < 0.3:  # 挂钩乡镇: a county officer attached to one township
                ti = rng.randrange(len(c["towns"]))
                town = c["towns"][ti]["name"]
            self.staff.append(Staff("county", ci, None, None, pos_c(rng), c["name"] + "民政局", town, ""))
        single = set()
        pos_t = Chooser(["民政助理员", "低保专干", "社会事务办主任", "副职"], [38, 37, 15, 10])
        for _ in range(round(R["township_staff_share"] * n)):
            for _ in range(20):
                ci, ti = cw_town(rng)
                pos = pos_t(rng)
                if pos == "低保专干" or (ci, ti, pos) not in single:
                    break
            single.add((ci, ti, pos))
            tn = w.counties[ci]["towns"][ti]["name"]
            if pos == "副职":
                pos = "办事处副主任" if tn.endswith("街道") else "副镇长" if tn.endswith("镇") else "副乡长"
            employer = (w.counties[ci]["name"] + tn + "办事处") if tn.endswith("街道") else tn + "人民政府"
            self.staff.append(Staff("town", ci, ti, None, pos, employer, tn, ""))
        villages = [v for v in self.by_village]
        cw_vil = Chooser(villages, [len(self.by_village[v]) for v in villages])
        self.committees = set()
        while len(self.staff) < n:
            for _ in range(200):
                key = cw_vil(rng)
                if key not in self.committees:
                    break
            self.add_committee(key)

    def add_committee(self, key):
        w, rng = self.w, self.rng
        ci, ti, vi = key
        self.committees.add(key)
        town = w.counties[ci]["towns"][ti]
        out = []
        if vi < 0:
            comm = town["communities"][-1 - vi]["name"]
            posts = ["社区书记", "社区主任"] + (["低保专干"] if rng.random() < 0.6 else [])
            for p in posts:
                out.append(Staff("community", ci, ti, vi, p, comm + "居民委员会", town["name"], comm))
        else:
            vname = town["villages"][vi]["name"] + "村委会"
            pool = ["村委会副主任", "村委会委员", "村委会委员", "村民小组长", "村民小组长", "低保专干", "村务监督委员会主任"]
            posts = ["村委会主任"] + rng.sample(pool, rng.randint(2, 6))
            for p in posts:
                out.append(Staff("village", ci, ti, vi, p, vname, town["name"], vname))
        self.staff.extend(out)
        return out

    def take_slot(self, pred, fallback_key=None):
        free = [s for s in self.staff if s.sit is None and pred(s)]
        if free:
            return self.rng.choice(free)
        if fallback_key is not None:
            if fallback_key in self.committees:
                # a committee that has no free seat left gets one more member (a 村民小组长)
                ci, ti, vi = fallback_key
                town = self.w.counties[ci]["towns"][ti]
                if vi < 0:
                    comm = town["communities"][-1 - vi]["name"]
                    s = Staff("community", ci, ti, vi, "低保专干", comm + "居民委员会", town["name"], comm)
                else:
                    vname = town["villages"][vi]["name"] + "村委会"
                    s = Staff("village", ci, ti, vi, "村民小组长", vname, town["name"], vname)
                self.staff.append(s)
                return s if pred(s) else None
            new = self.add_committee(fallback_key)
            free = [s for s in new if pred(s)]
            return self.rng.choice(free) if free else None
        return None

    def random_village_key(self):
        keys = list(self.by_village)
        return keys[self.rng.randrange(len(keys))]

    # ------------------------------------------------------------------------- people
    def set_term(self, s: Staff, in_office=True, edge=None):
        rng = self.rng
        if s.level in ("village", "community"):
            start = (rand_date(rng, dt.date(2021, 1, 5), dt.date(2021, 6, 30)) if rng.random() < 0.7 else
                     rand_date(rng, dt.date(2021, 7, 1), dt.date(2025, 12, 31)))
        elif s.level == "town":
            start = rand_date(rng, dt.date(2010, 3, 1), dt.date(2025, 12, 31))
        else:
            start = rand_date(rng, dt.date(2005, 3, 1), dt.date(2025, 12, 31))
        lo = add_years(s.p.birth, 21)
        if start < lo:
            start = rand_date(rng, lo, max(lo, dt.date(2025, 12, 31)))
        end = None
        if not in_office:
            start = rand_date(rng, max(lo, dt.date(2008, 1, 1)), dt.date(2023, 6, 30))
            end = rand_date(rng, min(start + dt.timedelta(days=365), dt.date(2026, 5, 31)), dt.date(2026, 5, 31))
            s.tags.append("staff_left")
        elif edge == "end_after":
            end = rand_date(rng, CHECK_DATE + dt.timedelta(days=1), dt.date(2026, 12, 31))
            s.tags.append("term_ends_after_check")
        elif edge == "end_on":
            end = CHECK_DATE
            s.tags.append("term_ends_on_check")
        s.start, s.end = start, end

    def staff_loc(self, s: Staff):
        """Where a staff member lives: never at a recipient household's address."""
        w, rng = self.w, self.rng
        for _ in range(50):
            if s.level == "village":
                loc = w.rural_loc(s.ci, s.ti, s.vi)
            elif s.level == "community":
                loc = (s.ci, s.ti, s.vi, rng.randrange(5), rng.randint(1, 300))
            elif s.level == "town" and rng.random() < 0.6:
                loc = w.rural_loc(s.ci, s.ti)
            else:
                loc = w.urban_loc(s.ci)
            k = self.addr_key(loc)
            if k not in self.loc_count and k not in self.taken_locs:
                self.taken_locs.add(k)
                return loc
        return loc

    def new_staff_person(self, s: Staff, eth, sex=None, birth=None, sur=None, given=None, loc=None, avoid=None):
        w, rng = self.w, self.rng
        if loc is None:
            loc = self.staff_loc(s)
        if eth is None:
            v = w.village_of(loc)
            eth = v["eth"] if v is not None and rng.random() < 0.8 else w.counties[s.ci]["eth"](rng)
        if sex is None:
            sex = "M" if rng.random() < (0.72 if s.level in ("village", "town") else 0.55) else "F"
        if birth is None:
            age = rng.randint(24, 58)
            birth = rand_date(rng, dt.date(CHECK_DATE.year - age - 1, 7, 1), dt.date(CHECK_DATE.year - age, 6, 29))
        p = w.new_person(eth, sex, birth, loc, sur=sur, given=given, migrant=0.01, avoid=avoid)
        p.tags = ["staff"]
        return p

    @staticmethod
    def parent_sur(group):
        f = next((x for x in group if x.sex == "M" and x.sur), None)
        return f.sur if f is not None else None

    def family(self, S, with_spouse=None, kids=None, spouse_sur=None, other_parent=None):
        """The staff member's spouse and children (non-recipients) for the 户. other_parent: the
        children's other parent when it is not a spouse in this 户 (a spouse enrolled apart)."""
        w, rng = self.w, self.rng
        spouse = None
        if with_spouse or (with_spouse is None and age_now(S) >= 26 and rng.random() < 0.85):
            lo, hi = add_years(S.birth, -5), add_years(S.birth, 5)
            if hi > dt.date(2003, 6, 1):
                hi = dt.date(2003, 6, 1)
            if lo > hi:
                lo = add_years(hi, -3)
            spouse = w.new_person(S.eth, "F" if S.sex == "M" else "M", rand_date(rng, lo, hi), S.loc,
                                  sur=spouse_sur or w.surname(S.eth, rng), migrant=0.02, avoid={S.name})
        kids_l = []
        if kids is None:
            kids = rng.choice([0, 1, 1, 2, 2]) if age_now(S) >= 27 else 0
        father = S if S.sex == "M" else (spouse or other_parent)
        for _ in range(kids):
            lo, hi = add_years(S.birth, 22), add_years(S.birth, 36)
            if hi > dt.date(2026, 5, 1):
                hi = dt.date(2026, 5, 1)
            if lo > hi:
                break
            ksex = "M" if rng.random() < 0.52 else "F"
            sur = father.sur if father is not None and father.sur else S.sur or None
            k = w.new_person(S.eth, ksex, rand_date(rng, lo, hi), S.loc, sur=sur, father=father,
                             avoid={S.name} | {x.name for x in kids_l})
            kids_l.append(k)
        return spouse, kids_l

    def own_household(self, s: Staff, spouse_sur=None, enrolled_spouse=None):
        """The staff member's 户 (not for staff who are recipients: theirs is their household's).
        enrolled_spouse: the spouse is a recipient enrolled apart, and registered elsewhere."""
        S = s.p
        if S.hh is not None:
            return None
        spouse, kids = self.family(S, spouse_sur=spouse_sur, with_spouse=False if enrolled_spouse else None,
                                   other_parent=enrolled_spouse)
        mem = [(S, "户主")]
        if spouse is not None:
            mem.append((spouse, "配偶"))
        mem += [(k, "子" if k.sex == "M" else "女") for k in kids]
        hk = HukouHH(S.loc, mem, ["staff"])
        self.hukou.append(hk)
        self.staff_hh[S.pid] = hk
        return hk

    # ------------------------------------------------------------------------- households
    def group_for(self, h, rel, strong, weak):
        """The members of h who stand in relation rel to a staff member, or None."""
        ms = h.members
        head = ms[0]
        ha = age_now(head)
        if rel in ("父母", "岳父母", "公婆", "祖父母"):
            lo = 68 if rel == "祖父母" else 52
            if len(ms) > 2 or ha < lo or any(age_now(m) < lo - 8 for m in ms):
                return None
            if weak and not any(m.sex == "M" and m.sur for m in ms):
                return None
            return list(ms)
        if strong and len(ms) != 1:
            return None
        if not head.sur and (weak or rel == "兄弟姐妹"):
            return None
        if rel == "兄弟姐妹" and 24 <= ha <= 64:
            return [head]
        if rel == "子女" and 18 <= ha <= 37:
            return [head]
        if rel in ("儿媳", "女婿") and 20 <= ha <= 39 and (head.sex == "F") == (rel == "儿媳"):
            return [head]
        if rel == "配偶" and len(ms) == 1 and 28 <= ha <= 58:
            return [head]
        return None

    def find_household(self, region, rel, strong=False, weak=False, tries=120):
        rng = self.rng
        if not region:
            return None, None
        for _ in range(tries):
            h = region[rng.randrange(len(region))]
            if h.idx in self.used_h:
                continue
            if weak and self.loc_count[self.addr_key(h.loc)] != 1:
                continue
            g = self.group_for(h, rel, strong, weak)
            if g:
                return h, g
        return None, None

    def staff_birth(self, m, rel):
        lo, hi = REL_AGE[rel]
        ma = age_now(m)
        a_lo, a_hi = max(24, ma + lo), min(58, ma + hi)
        if a_lo > a_hi:
            return None
        age = self.rng.randint(a_lo, a_hi)
        if rel == "兄弟姐妹" and age == ma:
            age = ma + 1 if ma + 1 <= a_hi else ma - 1
            if not a_lo <= age <= a_hi:
                return None
        return rand_date(self.rng, dt.date(CHECK_DATE.year - age - 1, 7, 1), dt.date(CHECK_DATE.year - age, 6, 29))

    # ------------------------------------------------------------------------- situations
    def situation_self(self, in_office, edge=None):
        rng = self.rng
        for attempt in range(60):
            village = rng.random() < 0.75
            if village:
                s = self.take_slot(lambda s: s.level in ("village", "community"))
                key = s.village_key() if s is not None and attempt < 30 else self.random_village_key()
                region = self.by_village[key]
            else:
                s = self.take_slot(lambda s: s.level in ("county", "town"))
                if s is None:
                    continue
                region = self.by_town[(s.ci, s.ti)] if s.level == "town" else self.by_county[s.ci]
            h = None
            for _ in range(40):
                x = region[rng.randrange(len(region))]
                if x.idx in self.used_h:
                    continue
                # a staff member whose co-members are all close relatives (the 户 makes them strong)
                adults = [m for m in x.members if 24 <= age_now(m) <= 58 and m.id18[:2] == "53"
                          and all(same_household_relation(m, y) for y in x.members if y is not m)]
                if adults:
                    h, m = x, rng.choice(adults)
                    break
            if h is None:
                continue
            if village:
                s = self.take_slot(lambda s: s.village_key() == key, fallback_key=key)
                if s is None:
                    continue
            s.p, s.sit = m, "self"
            self.set_term(s, in_office, edge)
            self.used_h.add(h.idx)
            self.add_pair(s, m, h, "本人", "self", "", 0)
            for y in h.members:
                if y is not m:
                    pr = self.add_pair(s, y, h, same_household_relation(m, y), "relative", "strong", 0)
                    pr["self_household"] = True
            return
        raise RuntimeError("no household for a staff member who is a recipient")

    def situation_relative(self, ev, declared, cw, in_office, edge=None):
        rng = self.rng
        rels, wts = REL_CHOICE[ev]
        for _ in range(300):
            rel = rng.choices(rels, wts)[0]
            if cw:
                s = self.take_slot(lambda s: s.level in ("village", "community") and is_case_worker(s.pos))
                if s is None:
                    key = self.random_village_key()
                    s = self.take_slot(lambda s: is_case_worker(s.pos) and s.village_key() == key, fallback_key=key)
                    if s is None:
                        continue
                region = self.by_village[s.village_key()]
            else:
                s = self.take_slot(lambda s: True)
                if s is None:
                    s = self.take_slot(lambda s: True, fallback_key=self.random_village_key())
                    if s is None:
                        continue
                if s.level == "county" or rng.random() < 0.3:
                    region = self.by_county[s.ci]
                else:
                    region = self.by_town[(s.ci, s.ti)]
                if s.vi is not None and is_case_worker(s.pos):
                    region = [h for h in region if h.loc[:3] != s.village_key()]
            # the in-law and child-in-law relations depend on sexes: pick them with the household
            if rel == "在姻":
                rel = "岳父母" if rng.random() < 0.5 else "公婆"
            elif rel == "儿媳女婿":
                rel = "儿媳" if rng.random() < 0.6 else "女婿"
            h, group = self.find_household(region, rel, strong=(ev == "strong"), weak=(ev == "weak"))
            if h is None:
                continue
            m = group[0]
            birth = self.staff_birth(m, rel)
            if birth is None:
                continue
            father = next((x for x in group if x.sex == "M" and x.sur), None)
            sex = "M" if rng.random() < 0.6 else "F"
            sur = None
            if rel in ("父母", "祖父母"):
                if father is not None:
                    sur = father.sur
                elif ev == "weak":
                    continue
            elif rel == "兄弟姐妹":
                sur = m.sur
            elif rel == "子女":
                if ev == "weak" or rng.random() < 0.6:
                    sex, sur = "M", m.sur
            elif rel == "岳父母":
                sex = "M"
            elif rel == "公婆":
                sex = "F"
            elif rel == "配偶":
                sex = "F" if m.sex == "M" else "M"
            if sur == "":
                continue
            if ev == "weak" and any(x.sur == sur for x in h.members if x not in group):
                continue  # others of that surname at the address would be weak leads too
            if ev == "weak":
                loc = h.loc
            else:
                loc = self.staff_loc(s)
            S = self.new_staff_person(s, m.eth, sex=sex, birth=birth, sur=sur, loc=loc,
                                      avoid={x.name for x in h.members})
            if ev == "weak" and S.sur != m.sur and not (rel in ("父母", "祖父母") and father is not None
                                                      and S.sur == father.sur):
                continue  # a two-part name drawn for the staff member: no shared surname
            s.p, s.sit = S, "relative"
            self.set_term(s, in_office, edge)
            self.used_h.add(h.idx)
            self.build_evidence(s, h, group, rel, ev)
            pairs = []
            for x in group:
                xev = ev
                if ev == "medium" and x is not group[0]:
                    xev = "none"
                if ev == "weak" and x.sur != S.sur:
                    xev = "none"
                pairs.append(self.add_pair(s, x, h, rel, "relative", xev, declared))
            if declared:
                partial = len(pairs) > 1 and rng.random() < 0.25
                for i, pr in enumerate(pairs):
                    if partial and i > 0:
                        pr["declared"] = 0
                        pr["partial"] = True
                        continue
                    self.add_register(pr)
            return
        raise RuntimeError(f"no household for a relative ({ev}, declared {declared}, cw {cw})")

    def build_evidence(self, s, h, group, rel, ev):
        """The data that holds the evidence: a shared 户, a co-owned title, the same address."""
        w, rng = self.w, self.rng
        S = s.p
        if ev == "strong":
            for x in group:
                self.absorbed.add(x.pid)
            older = lambda x: x.birth < S.birth
            if rel == "父母" and rng.random() < 0.4:
                # a parent heads the 户; the staff member is 子/女
                ordered = sorted(group, key=lambda x: x.sex != "M")
                spouse, kids = self.family(S)
                mem = [(ordered[0], "户主")] + [(x, "配偶") for x in ordered[1:]]
                mem.append((S, "子" if S.sex == "M" else "女"))
                if spouse is not None:
                    mem.append((spouse, "儿媳" if S.sex == "M" else "女婿"))
                mem += [(k, "孙子" if k.sex == "M" else "孙女") for k in kids]
                hk = HukouHH(S.loc, mem, ["staff", "strong:parent_heads"])
            elif rel in ("岳父母", "公婆"):
                spouse, kids = self.family(S, with_spouse=True, spouse_sur=self.parent_sur(group))
                mem = [(spouse, "户主"), (S, "配偶")]
                mem += [(x, "父亲" if x.sex == "M" else "母亲") for x in group]
                mem += [(k, "子" if k.sex == "M" else "女") for k in kids]
                hk = HukouHH(S.loc, mem, ["staff", "strong:spouse_heads"])
            else:
                spouse, kids = self.family(S, with_spouse=False if rel == "配偶" else None,
                                           other_parent=group[0] if rel == "配偶" else None)
                mem = [(S, "户主")]
                if spouse is not None:
                    mem.append((spouse, "配偶"))
                if rel == "父母":
                    mem += [(x, "父亲" if x.sex == "M" else "母亲") for x in group]
                elif rel == "祖父母":
                    mem += [(x, "祖父" if x.sex == "M" else "祖母") for x in group]
                elif rel == "兄弟姐妹":
                    x = group[0]
                    mem.append((x, ("兄" if older(x) else "弟") if x.sex == "M" else ("姐" if older(x) else "妹")))
                elif rel == "子女":
                    mem.append((group[0], "子" if group[0].sex == "M" else "女"))
                elif rel in ("儿媳", "女婿"):
                    x = group[0]
                    # the staff member's own child, married to the recipient
                    child = w.new_person(S.eth, "M" if rel == "儿媳" else "F", rand_date(
                        rng, add_years(x.birth, -4), min(add_years(x.birth, 4), dt.date(2004, 1, 1))), S.loc,
                        sur=(S.sur if S.sex == "M" else (spouse.sur if spouse is not None else None)) or None)
                    mem.append((child, "子" if child.sex == "M" else "女"))
                    mem.append((x, rel))
                elif rel == "配偶":
                    mem.append((group[0], "配偶"))
                mem += [(k, "子" if k.sex == "M" else "女") for k in kids]
                hk = HukouHH(S.loc, mem, ["staff", "strong:staff_heads"])
            self.hukou.append(hk)
            self.staff_hh[S.pid] = hk
            return
        if ev == "medium":
            m = group[0]
            S.tags = ["staff", "staff_coowner"]
            if rng.random() < 0.7:
                kind = "homestead"
                loc = w.rural_loc(h.ci, h.loc[1]) if h.loc[2] >= 0 else w.rural_loc(h.ci)
            else:
                kind = "flat"
                loc = w.urban_loc(h.ci)
            owners = [S, m] if rng.random() < 0.5 else [m, S]
            w.add_property(owners, kind, loc, state="active", old=False, tags=["coowned_with_staff"])
            self.counts["medium_titles"] = self.counts.get("medium_titles", 0) + 1
            self.own_household(s)
            return
        if ev == "weak":
            # the staff member lives at the recipient household's house, in a 户 of their own
            self.w.force_house.add(h.idx)
            hk = self.own_household(s)
            hk.tags.append("weak:same_address")
            hk.gs = ("ROSTER", h.idx)
            return
        self.own_household(s, spouse_sur=self.parent_sur(group) if rel in ("岳父母", "公婆") else None,
                           enrolled_spouse=group[0] if rel == "配偶" else None)

    def situation_gone(self):
        """A declared relative who has left 低保: the register row points at no household."""
        w, rng = self.w, self.rng
        s = self.take_slot(lambda s: True) or self.take_slot(lambda s: True, fallback_key=self.random_village_key())
        S = self.new_staff_person(s, None)
        s.p, s.sit = S, "gone"
        self.set_term(s, True)
        self.own_household(s)
        rel = rng.choice(["父母", "兄弟姐妹", "兄弟姐妹", "岳父母"])
        lo, hi = REL_AGE[rel]
        age = min(95, max(18, age_now(S) - rng.randint(lo, hi)))
        birth = rand_date(rng, dt.date(CHECK_DATE.year - age - 1, 7, 1), dt.date(CHECK_DATE.year - age, 6, 29))
        loc = w.rural_loc(s.ci) if rng.random() < 0.7 else w.urban_loc(s.ci)
        G = w.new_person(S.eth, "M" if rng.random() < 0.5 else "F", birth, loc,
                         sur=S.sur if rel in ("父母", "兄弟姐妹") and S.sur else None)
        G.tags = ["former_recipient"]
        c = w.counties[loc[0]]
        k = len([r for r in self.register if r["stale"] == "recipient_gone"])
        hid = f"{c['code']}{1 if loc[2] < 0 else 2}{8000001 + 37 * k + rng.randrange(30):07d}"
        self.hukou.append(HukouHH(loc, [(G, "户主")], ["former_recipient"]))
        self.add_register({"staff": s, "member": G, "hh": None, "hid": hid, "relation": rel},
                          date=rand_date(rng, max(s.start, dt.date(2017, 1, 1)), dt.date(2024, 6, 30)))

    def situation_namesake(self, in_office=None):
        """A staff member with a recipient's name (another person: other number, other birth date)."""
        rng = self.rng
        for _ in range(200):
            s = self.take_slot(lambda s: True) or self.take_slot(lambda s: True, fallback_key=self.random_village_key())
            region = self.by_county[s.ci] if rng.random() < 0.6 else self.by_town.get((s.ci, s.ti)) or self.by_county[s.ci]
            h = region[rng.randrange(len(region))]
            if h.idx in self.used_h:
                continue
            adults = [m for m in h.members if 26 <= age_now(m) <= 60]
            if not adults:
                continue
            m = rng.choice(adults)
            d = rng.choice([-1, 1]) * rng.randint(1, 12)
            age = min(58, max(24, age_now(m) + d))
            if age == age_now(m):
                age += 1 if age < 58 else -1
            birth = rand_date(rng, dt.date(CHECK_DATE.year - age - 1, 7, 1), dt.date(CHECK_DATE.year - age, 6, 29))
            S = self.new_staff_person(s, m.eth, sex=m.sex, birth=birth, sur=m.sur, given=m.given)
            S.sur, S.given, S.name, S.rare = m.sur, m.given, m.name, m.rare
            s.p, s.sit = S, "namesake"
            self.set_term(s, in_office if in_office is not None else rng.random() < 0.85)
            self.own_household(s)
            self.used_h.add(h.idx)
            self.add_pair(s, m, h, "", "namesake", "", 0)
            return
        raise RuntimeError("no namesake")

    def situation_neighbour(self):
        """Same surname as a recipient household and the same group, at another house."""
        w, rng = self.w, self.rng
        for attempt in range(200):
            s0 = self.take_slot(lambda s: s.level in ("village", "community"))
            key = s0.village_key() if s0 is not None and attempt < 100 else self.random_village_key()
            region = self.by_village[key]
            h = region[rng.randrange(len(region))]
            if h.idx in self.used_h or self.loc_count[self.addr_key(h.loc)] != 1:
                continue
            m = h.members[0]
            if not m.sur:
                continue
            s = self.take_slot(lambda s: s.village_key() == key, fallback_key=key)
            if s is None:
                continue
            ci, ti, vi, gi, house = h.loc
            loc = None
            for _ in range(40):
                if vi >= 0 and rng.random() < 0.25:
                    ngroups = len(w.counties[ci]["towns"][ti]["villages"][vi]["groups"])
                    cand = (ci, ti, vi, rng.randrange(ngroups), house)  # another group, same number
                else:
                    cand = (ci, ti, vi, gi, max(1, house + rng.choice([-3, -2, -1, 1, 2, 3])))
                k = self.addr_key(cand)
                if cand != h.loc and k not in self.loc_count and k not in self.taken_locs:
                    loc = cand
                    break
            if loc is None:
                s.sit = None
                continue
            self.taken_locs.add(self.addr_key(loc))
            S = self.new_staff_person(s, m.eth, sur=m.sur, loc=loc, avoid={x.name for x in h.members})
            if S.sur != m.sur:
                s.sit = None
                continue
            s.p, s.sit = S, "neighbour"
            self.set_term(s, True)
            w.force_house.add(h.idx)
            hk = self.own_household(s)
            hk.tags.append("neighbour:other_address")
            hk.gs = ("ROSTER", h.idx)
            self.used_h.add(h.idx)
            self.add_pair(s, m, h, "", "neighbour", "", 0)
            return
        raise RuntimeError("no neighbour")

    # ------------------------------------------------------------------------- truth records
    def add_pair(self, s, m, h, relation, kind, evidence, declared):
        cw = int(is_case_worker(s.pos) and s.village_key() == h.loc[:3])
        pr = {"staff": s, "member": m, "hh": h, "hid": h.hid, "relation": relation, "kind": kind,
              "evidence": evidence, "declared": declared, "cw": cw}
        self.pairs.append(pr)
        return pr

    def add_register(self, pr, date=None):
        rng = self.rng
        s = pr["staff"]
        if date is None:
            lo = max(s.start, pr["hh"].enrolled)
            hi = s.end if s.end is not None and s.end < CHECK_DATE else CHECK_DATE - dt.timedelta(days=1)
            d = lo + dt.timedelta(days=rng.randint(0, 90))
            date = d if d <= hi else rand_date(rng, min(lo, hi), hi)
        stale = ("recipient_gone" if pr.get("hh") is None else
                 "staff_left" if not s.in_office() else "")
        self.register.append({"pair": pr if pr.get("kind") else None, "staff": s, "member": pr["member"],
                              "hid": pr["hid"], "relation": pr["relation"], "date": date, "stale": stale})

    # ------------------------------------------------------------------------- order and hukou
    def order_staff(self):
        rank = {"民政局局长": 0, "民政局副局长": 1, "社会救助股股长": 2, "社会救助股科员": 3, "民政局科员": 4,
                "副镇长": 0, "副乡长": 0, "办事处副主任": 0, "社会事务办主任": 1, "民政助理员": 2, "低保专干": 3,
                "社区书记": 0, "社区主任": 1, "村委会主任": 0, "村委会副主任": 1, "村委会委员": 2,
                "村务监督委员会主任": 3, "村民小组长": 5}
        lv = {"county": 0, "town": 1, "community": 2, "village": 2}
        for s in self.staff:
            s.rank = (s.ci, lv[s.level], s.ti if s.ti is not None else -1, s.vi if s.vi is not None else -99,
                      rank.get(s.pos, 4), s.p.birth)
        self.staff.sort(key=lambda s: s.rank)
        for i, s in enumerate(self.staff):
            s.sid = f"S{i + 1:05d}"

    def build_hukou(self):
        w, rng = self.w, self.rng
        for h in w.households:
            mem = [(m, m.rel) for m in h.members if m.pid not in self.absorbed]
            if not mem:
                continue
            if rng.random() < REL_RATES["hukou_ordinal_children"]:
                order = {"子": "子", "女": "女"}
                nth = {"子": 0, "女": 0}
                out = []
                for m, r in sorted(mem, key=lambda x: (x[1] not in ("子", "女"), x[0].birth)):
                    if r in nth:
                        nth[r] += 1
                        r = ("长", "次", "三", "四", "五")[min(nth[r], 5) - 1] + order[r]
                    out.append((m, r))
                mem = sorted(out, key=lambda x: [y[0] for y in mem].index(x[0]))
            self.hukou.append(HukouHH(h.loc, mem, ["recipient_household"]))
        staffset = {s.p.pid for s in self.staff}
        pool = [p for p in w.nonrecip if p.adv is None and p.hh is None and p.pid >= 0 and p.pid not in staffset]
        for p in rng.sample(pool, min(len(pool), round(0.3 * w.N))):
            mem = [(p, "户主")]
            if age_now(p) >= 24 and rng.random() < 0.4:
                lo, hi = add_years(p.birth, -5), min(add_years(p.birth, 5), dt.date(2004, 1, 1))
                if lo < hi:
                    sp = w.new_person(p.eth, "F" if p.sex == "M" else "M", rand_date(rng, lo, hi), p.loc,
                                      sur=w.surname(p.eth, rng), migrant=0.02, avoid={p.name})
                    mem.append((sp, "配偶"))
            self.hukou.append(HukouHH(p.loc, mem, ["ordinary"]))
        self.hukou.sort(key=lambda hk: hk.loc)
        seq = collections.Counter()
        for hk in self.hukou:
            ci, ti = hk.loc[0], hk.loc[1]
            seq[(ci, ti)] += 1
            # a province has many counties ending in the same two digits: the 户号 keeps four
            hk.hno = f"{w.counties[ci]['code'][2 if w.province else 4:6]}{ti + 1:02d}{seq[(ci, ti)]:06d}"


def rel_id_text(rng, p, defect, tags):
    s = p.id18
    if defect == "id_missing":
        tags.append("id_missing")
        return ""
    if defect == "id_legacy15":
        tags.append("id_legacy15")
        return s[:6] + s[8:17]
    if defect == "id_fullwidth_digit":
        i = rng.randrange(17)
        tags.append("id_fullwidth_digit")
        return s[:i] + chr(ord(s[i]) + 0xFEE0) + s[i + 1:]
    if s.endswith("X") and rng.random() < 0.3:
        tags.append("id_lowercase_x")
        return s[:-1] + "x"
    return s


def pick_defects(rng, n, rates, eligible15):
    """Row index -> id defect, at exact counts (at least one each): missing, legacy15, full-width digit."""
    out = {}
    free = list(range(n))
    for name, rate in rates:
        pool = [i for i in free if i not in out and (name != "id_legacy15" or eligible15(i))]
        k = min(len(pool), max(1, round(rate * n)))
        for i in rng.sample(pool, k):
            out[i] = name
    return out


def spell_date(rng, d, style=None):
    if d is None:
        return ""
    if style is None:
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "compact":
        return d.strftime("%Y%m%d")
    return f"{d.year}年{d.month}月{d.day}日"


def rel_truth_row(file, line, dept, rid, key, pos, p, expect, tags):
    if p.hh is not None:
        kind, hid, mid, mname = "member", p.hh.hid, p.roster_id, p.roster_name
    else:
        kind, hid, mid, mname = "nonrecipient", "", "", ""
    pt = [t for t in (p.tags or []) if not t.startswith("forced_id:")]
    return (file, "", line, dept, rid, key, pos, str(p.pid), kind, hid, mid, mname, expect, "",
            ";".join(dict.fromkeys(list(tags) + pt)), "", "")


def write_relatives(world: World, RW: Relatives, seed, out):
    """staff.csv, relatives_register.csv, hukou.csv; returns (truth rows, expected candidates)."""
    R = Render(world, seed)
    R.rng = random.Random(seed * 7727 + 101)  # its own stream: the older exports do not move
    rng = R.rng
    trows = []
    staff = RW.staff
    # ---------------------------------------------------------------- staff.csv (UTF-8 BOM, CRLF)
    o = CsvOut("\r\n")
    o.row(["姓名", "身份证号", "职务", "工作单位", "服务乡镇", "服务村（社区）", "任职开始日期", "任职结束日期"])
    defects = pick_defects(rng, len(staff), [("id_missing", REL_RATES["staff_id_missing"]),
                                              ("id_legacy15", REL_RATES["staff_id_legacy15"]),
                                              ("id_fullwidth_digit", REL_RATES["staff_id_fullwidth_digit"])],
                           lambda i: staff[i].p.birth.year <= 1982)
    nd = max(1, round(REL_RATES["staff_date_spelling"] * len(staff)))
    date_rows = set(rng.sample(range(len(staff)), min(nd, len(staff))))
    fname = REL_FILES["staff"]
    for i, s in enumerate(staff):
        tags = ["staff_in_office" if s.in_office() else "staff_not_in_office", "sit:" + s.sit] + s.tags
        name = R.render_name(s.p, tags)
        idtxt = rel_id_text(rng, s.p, defects.get(i), tags)
        st = en = None
        if i in date_rows:
            style = rng.choice(["slash", "compact", "cn"])
            if s.end is not None and rng.random() < 0.5:
                en = style
            else:
                st = style
            tags.append("date_other_spelling")
        line = o.row([name, idtxt, s.pos, s.employer, s.town, s.vname, spell_date(rng, s.start, st),
                      spell_date(rng, s.end, en)])
        s.line, s.idtxt = line, idtxt
        s.key = idtxt if idtxt else f"line:{line}"
        trows.append(rel_truth_row(fname, line, "staff", s.sid, s.key, 0, s.p, "accept", tags))
    with open(os.path.join(out, fname), "w", encoding="utf-8-sig", newline="") as f:
        f.write(o.buf.getvalue())

    # ---------------------------------------------------------------- relatives_register.csv (UTF-8, LF)
    regs = sorted(RW.register, key=lambda r: (r["date"], r["staff"].sid))
    o = CsvOut("\n")
    o.row(["低保对象姓名", "低保对象身份证号", "低保证号", "工作人员姓名", "工作人员身份证号", "关系", "备案日期"])
    fname = REL_FILES["register"]
    d_member = pick_defects(rng, len(regs), [("id_missing", REL_RATES["register_id_missing"]),
                                             ("id_legacy15", REL_RATES["register_id_legacy15"]),
                                             ("id_fullwidth_digit", REL_RATES["register_id_fullwidth_digit"])],
                            lambda i: regs[i]["member"].birth.year <= 1965)
    # a third of the id defects land on the staff column instead
    d_staff = {}
    for i in list(d_member):
        if rng.random() < 0.33 and (d_member[i] != "id_legacy15" or regs[i]["staff"].p.birth.year <= 1982):
            d_staff[i] = d_member.pop(i)
    nd = max(1, round(REL_RATES["register_date_spelling"] * len(regs)))
    date_rows = set(rng.sample(range(len(regs)), min(nd, len(regs))))
    stale = []
    for i, r in enumerate(regs):
        m, s = r["member"], r["staff"]
        mt, stt, tags = [], [], []
        rel = r["relation"]
        words = REGISTER_WORDS.get(rel, False)
        if rel == "兄弟姐妹" and rng.random() < 0.25:
            older = m.birth < s.p.birth
            rel = ("哥哥" if older else "弟弟") if m.sex == "M" else ("姐姐" if older else "妹妹")
        elif words and rng.random() < 0.25:
            rel = words[0] if m.sex == "M" else words[1]
        style = None
        if i in date_rows:
            style = rng.choice(["slash", "compact", "cn"])
            tags.append("date_other_spelling")
        line = o.row([R.render_name(m, mt), rel_id_text(rng, m, d_member.get(i), mt), r["hid"],
                      R.render_name(s.p, stt), rel_id_text(rng, s.p, d_staff.get(i), stt), rel,
                      spell_date(rng, r["date"], style)])
        r["line"] = line
        if r["stale"]:
            stale.append((line, r["stale"]))
            tags.append("stale:" + r["stale"])
        trows.append(rel_truth_row(fname, line, "relatives_register", f"G{i + 1:05d}", f"line:{line}", 0, m,
                                   "accept", tags + mt))
        trows.append(rel_truth_row(fname, line, "relatives_register", f"G{i + 1:05d}", f"line:{line}", 1, s.p,
                                   "accept", tags + stt + ["staff"]))
    with open(os.path.join(out, fname), "w", encoding="utf-8", newline="") as f:
        f.write(o.buf.getvalue())

    # ---------------------------------------------------------------- hukou.csv (GB18030, CRLF)
    o = CsvOut("\r\n")
    o.row(["户号", "姓名", "身份证号", "与户主关系", "住址"])
    fname = REL_FILES["hukou"]
    flat = [(hk, p, rel) for hk in RW.hukou for p, rel in hk.members]
    defects = pick_defects(rng, len(flat), [("id_missing", REL_RATES["hukou_id_missing"]),
                                            ("id_legacy15", REL_RATES["hukou_id_legacy15"]),
                                            ("id_fullwidth_digit", REL_RATES["hukou_id_fullwidth_digit"])],
                           lambda i: flat[i][1].birth.year <= 1975)
    i = 0
    for hk in RW.hukou:
        gs = None
        if hk.gs is not None:
            gs = world.roster_gs.get(hk.gs[1])
        addr = R.address(hk.loc, "hukou", force_house=True, gs=gs)
        for p, rel in hk.members:
            tags = list(hk.tags)
            name = p.name
            if p.rare and rng.random() < 0.5:
                rc = next(c for c in name if c in RARE_PINYIN)
                name = name.replace(rc, rng.choice(["?", "□", RARE_PINYIN[rc]]))
                tags.append("name_rare_placeholder")
            o.w.writerow([hk.hno, name, rel_id_text(rng, p, defects.get(i), tags), rel, addr])
            o.line += 1  # no cell of this export holds a line break
            line = o.line
            trows.append(rel_truth_row(fname, line, "hukou", hk.hno, hk.hno, 0, p, "accept", tags))
            i += 1
    with open(os.path.join(out, fname), "wb") as f:
        f.write(o.buf.getvalue().encode("gb18030"))

    # ---------------------------------------------------------------- expected candidates
    exp = []
    for pr in RW.pairs:
        s, m = pr["staff"], pr["member"]
        inoff = s.in_office()
        rules = []
        if pr["kind"] == "self" and inoff:
            rules.append("staff_recipient")
        if pr["kind"] == "relative" and inoff:
            if not pr["declared"] and pr["evidence"] in ("strong", "medium", "weak"):
                rules.append("undeclared_relative")
            if pr["cw"] and (pr["evidence"] != "none" or pr["declared"]):
                rules.append("case_worker_conflict")
        tags = [f"kind:{pr['kind']}", f"evidence:{pr['evidence']}", f"declared:{pr['declared']}",
                f"relation:{pr['relation']}", f"case_worker_same_village:{pr['cw']}"]
        if pr.get("self_household"):
            tags.append("self_household")
        if pr.get("partial"):
            tags.append("partly_declared_household")
        for rule in rules:
            t = tags + (["review_only"] if rule == "undeclared_relative" and pr["evidence"] == "weak" else [])
            exp.append((pr["hid"], rule, s.sid, s.key, m.roster_id, m.roster_name, m.pid,
                        f"{REL_FILES['staff']}||{s.line}", ";".join(t), "staff"))
    return trows, exp, stale


def write_relatives_truth(RW: Relatives, td, trows, stale):
    with open(os.path.join(td, "relatives.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["staff_id", "staff_name", "staff_line", "member_id", "household_id", "relation", "kind",
                    "evidence", "declared", "staff_in_office", "case_worker_same_village"])
        for pr in sorted(RW.pairs, key=lambda pr: (pr["staff"].line, pr["hid"], pr["member"].pid)):
            s, m = pr["staff"], pr["member"]
            w.writerow([s.p.id18, s.p.name, s.line, m.roster_id, pr["hid"], pr["relation"], pr["kind"],
                        pr["evidence"], pr["declared"], int(s.in_office()), pr["cw"]])
    with open(os.path.join(td, "register_stale.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "reason"])
        w.writerows(sorted(stale))
    with open(os.path.join(td, "relatives_rows.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "sheet", "line", "department", "record_id", "record_key", "owner_pos", "person_id",
                    "owner_kind", "household_id", "member_id", "member_name", "expect", "dup_of", "tags",
                    "adv_target_household", "adv_target_member"])
        w.writerows(trows)


# =============================================================================================
# Main
# =============================================================================================
def write_configs(out, relatives=False, province=False):
    # a province world covers every county: an empty list (the demo policy lists Honghe's 13)
    counties = "" if province else ", ".join(f'"{c[0]}"' for c in COUNTY_TABLE)
    pname = "云南省" if province else "红河州"
    exempt = ",\n".join(f'    {{ {k} = "{v}" }}' for k, v in EXEMPT_TYPES)
    # States that end a holding when changed on or before the check date, per department. The
    # vehicle registry writes letter codes (B 转出, C 被盗抢, E 注销, M 强制注销), which hedui
    # translates; the older county export writes words.
    def status_table(dept, words):
        entries = ", ".join('{ exact = "%s" }' % w for w in words)
        return "[status.%s]\ninactive = [%s]\n" % (dept, entries)

    status_tables = "\n".join(status_table(d, w) for d, w in INACTIVE.items())
    policy = f'''# Disqualification policy of the independent world (tools/indep-world/gen.py).
# gen.py computes truth/expected_candidates.csv from exactly these rules; keep them in step.
name = "{pname}城乡低保家庭经济状况核对政策（独立测试世界）"
version = "indep-2026.1"
effective_from = "2026-01-01"
counties = [{counties}]
{status_tables}

[rules.vehicle]
enabled = true
exempt_vehicle_types = [
{exempt},
]

[rules.licence]
enabled = true
entity_types = [{", ".join(f'"{t}"' for t in LICENCE_TYPES)}]

[rules.property_commercial]
enabled = true
commercial_uses = [{", ".join(f'"{t}"' for t in COMMERCIAL_USES)}]

[rules.property_multi_residential]
enabled = true
residential_uses = [{", ".join(f'"{t}"' for t in RESIDENTIAL_USES)}]
max_homes = {MAX_HOMES}
'''
    with open(os.path.join(out, "policy.toml"), "w", encoding="utf-8") as f:
        f.write(policy)
    cfg = f'''# Run configuration of an independent world (tools/indep-world/gen.py).
check_date = "{CHECK_DATE.isoformat()}"
policy = "policy.toml"

[recipients]
path = "{FILES['roster']}"

[[sources]]
kind = "vehicle"
name = "车管所机动车"
path = "{FILES['vehicle']}"

[[sources]]
kind = "vehicle"
name = "县车管旧系统"
path = "{FILES['legacy']}"

[[sources]]
kind = "licence"
name = "市场主体"
path = "{FILES['licence']}"

[[sources]]
kind = "property"
name = "不动产登记"
path = "{FILES['property']}"
'''
    if relatives:
        cfg += "".join(f'''
[[sources]]
kind = "{kind}"
path = "{REL_FILES[k]}"
''' for kind, k in (("staff", "staff"), ("relatives_register", "register"), ("hukou", "hukou")))
    with open(os.path.join(out, "hedui.toml"), "w", encoding="utf-8") as f:
        f.write(cfg)


def write_truth(world: World, R: Render, out, roster_rows, exp, unreachable, meta, rel=None):
    td = os.path.join(out, "truth")
    os.makedirs(td, exist_ok=True)
    with open(os.path.join(td, "members.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["household_id", "roster_line", "member_id", "member_name", "person_id", "true_id", "relation", "tags"])
        w.writerows(roster_rows)
    with open(os.path.join(td, "rows.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "sheet", "line", "department", "record_id", "record_key", "owner_pos", "person_id",
                    "owner_kind", "household_id", "member_id", "member_name", "expect", "dup_of", "tags",
                    "adv_target_household", "adv_target_member"])
        w.writerows(R.truth_rows)
    hdr = ["household_id", "rule", "record_id", "record_key", "member_id", "member_name", "person_id", "rows",
           "record_tags", "department"]
    with open(os.path.join(td, "expected_candidates.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(hdr)
        w.writerows(exp)
    with open(os.path.join(td, "unreachable_candidates.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(hdr)
        w.writerows(unreachable)
    if rel is not None:
        write_relatives_truth(rel[0], td, rel[1], rel[2])
    with open(os.path.join(td, "world.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--households", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--adversarial-rate", type=float, default=0.01,
                    help="share of non-recipient department records held by a recipient's look-alike (default 0.01)")
    ap.add_argument("--area", choices=["honghe", "yunnan"], default="honghe",
                    help="honghe: Honghe's 13 counties (default); yunnan: the province's counties, "
                         "Honghe's first, at --households-per-county")
    ap.add_argument("--households-per-county", type=int, default=15000,
                    help="yunnan: counties = max(1, round(households / N)), at most 129 (default 15000)")
    ap.add_argument("--no-relatives", action="store_true",
                    help="leave out staff.csv, relatives_register.csv, hukou.csv and their truth")
    a = ap.parse_args(argv)
    t0 = time.time()
    gc.disable()
    os.makedirs(a.out, exist_ok=True)
    if a.households_per_county < 1:
        ap.error("--households-per-county must be at least 1")
    world = World(a.households, a.seed, a.adversarial_rate, area=a.area, per_county=a.households_per_county)
    world.build_households()
    world.recipient_assets()
    world.population_assets()
    world.adversarial()
    RW = None
    if not a.no_relatives:
        RW = Relatives(world, a.seed)
        RW.build()
    t1 = time.time()
    R = Render(world, a.seed)
    roster_rows = write_roster(world, R, a.out)
    write_vehicles(world, R, a.out)
    write_licences(world, R, a.out)
    write_property(world, R, a.out)
    write_configs(a.out, relatives=RW is not None, province=world.province)
    exp, unreachable = expected_candidates(world)
    rel = None
    if RW is not None:
        rel_rows, rel_exp, rel_stale = write_relatives(world, RW, a.seed, a.out)
        rel = (RW, rel_rows, rel_stale)
    else:
        rel_exp = []
        # a folder reused from a run with relatives must not keep their files
        for path in [os.path.join(a.out, n) for n in REL_FILES.values()] + [
                os.path.join(a.out, "truth", n) for n in ("relatives.csv", "register_stale.csv", "relatives_rows.csv")]:
            if os.path.exists(path):
                os.remove(path)
    t2 = time.time()
    n_rec = len(world.vehicles) + len(world.licences) + len(world.properties)
    recip_owned = sum(1 for r in itertools.chain(world.vehicles, world.licences, world.properties)
                      if any(isinstance(o, Person) and o.hh is not None for o in r.owners))
    meta = {
        "generator": "tools/indep-world/gen.py",
        "households": a.households, "seed": a.seed, "adversarial_rate": a.adversarial_rate,
        "check_date": CHECK_DATE.isoformat(),
        "members": len(world.members),
        "nonrecipient_persons": len(world.nonrecip),
        "records": {"vehicle": len(world.vehicles), "licence": len(world.licences),
                    "property": len(world.properties), "recipient_owned": recip_owned, "total": n_rec},
        "expected_candidates": len(exp),
        "expected_households": len({e[0] for e in exp}),
        "expected_staff_candidates": len(rel_exp),
        "relatives": RW.counts if RW is not None else None,
        "relatives_rates": REL_RATES if RW is not None else None,
        "unreachable_candidates": len(unreachable),
        "counts": world.counts,
        "rates": RATES,
        "files": FILES,
        "seconds": {"world": round(t1 - t0, 1), "render": round(t2 - t1, 1)},
    }
    if world.province:  # (a Honghe world's manifest is unchanged)
        meta["area"] = a.area
        meta["households_per_county"] = a.households_per_county
        meta["counties"] = [{"code": c["code"], "name": c["name"], "prefecture": c["pref_common"],
                             "households": sum(1 for h in world.households if h.ci == ci)}
                            for ci, c in enumerate(world.counties)]
    write_truth(world, R, a.out, roster_rows, exp + rel_exp, unreachable, meta, rel)
    t3 = time.time()
    meta["seconds"]["total"] = round(t3 - t0, 1)
    with open(os.path.join(a.out, "truth", "world.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
    print(f"{a.households} households, {len(world.members)} members, {n_rec} records "
          f"({recip_owned} held by recipients), {len(exp)} expected candidates in "
          f"{len({e[0] for e in exp})} households; {t3 - t0:.1f}s -> {a.out}", file=sys.stderr)
    if RW is not None:
        print(f"relatives: {len(RW.staff)} staff, {len(RW.pairs)} staff-member pairs, {len(RW.register)} register "
              f"rows, {RW.counts['hukou_rows']} hukou rows, {len(rel_exp)} expected staff candidates", file=sys.stderr)
        for k, v in RW.counts.items():
            print(f"  {k:48s} {v}", file=sys.stderr)


if __name__ == "__main__":
    main()
