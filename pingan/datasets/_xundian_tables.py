"""Fixed tables of the synthetic Xundian example: townships, departments, catalogue.

Township codes, names and types (3 街道, 9 镇, 4 乡) are the National Bureau
of Statistics division codes of 寻甸回族彝族自治县 (530129). Of the
populations only two figures are published: the 2020 census county total,
460,739 residents, and 功山镇, 30,417 residents on 1 November 2020. The other
fifteen township figures are invented so that the sixteen sum to the county
total; 仁德街道 (the county seat) takes the remainder.
"""

from __future__ import annotations

#: (code, name_zh, name_en, type, population 2020, aliases)
TOWNSHIPS: list[tuple[str, str, str, str, int, str]] = [
    ("530129001", "仁德街道", "Rende Subdistrict", "街道", 80158, "仁德|仁德　街道|仁德镇"),
    ("530129002", "塘子街道", "Tangzi Subdistrict", "街道", 29846, "塘子"),
    ("530129003", "金所街道", "Jinsuo Subdistrict", "街道", 22371, "金所"),
    ("530129103", "羊街镇", "Yangjie Town", "镇", 37952, "羊街"),
    ("530129104", "柯渡镇", "Kedu Town", "镇", 32618, "柯渡"),
    ("530129105", "倘甸镇", "Tangdian Town", "镇", 24105, "倘甸"),
    ("530129106", "功山镇", "Gongshan Town", "镇", 30417, "功山"),
    ("530129107", "河口镇", "Hekou Town", "镇", 26934, "河口"),
    ("530129108", "七星镇", "Qixing Town", "镇", 28473, "七星"),
    ("530129109", "先锋镇", "Xianfeng Town", "镇", 30129, "先锋"),
    ("530129110", "鸡街镇", "Jijie Town", "镇", 27286, "鸡街"),
    ("530129111", "凤合镇", "Fenghe Town", "镇", 24817, "凤合"),
    ("530129205", "六哨乡", "Liushao Township", "乡", 15962, "六哨"),
    ("530129208", "联合乡", "Lianhe Township", "乡", 19408, "联合"),
    ("530129209", "金源乡", "Jinyuan Township", "乡", 16735, "金源"),
    ("530129210", "甸沙乡", "Diansha Township", "乡", 13528, "甸沙"),
]

#: 2020 census resident population of the county (第七次全国人口普查).
COUNTY_POPULATION_2020 = 460_739

#: The one township figure that is published (功山镇, 2020 census).
PUBLISHED_POPULATION = {"530129106": 30_417}

#: Assumed yearly population growth after 2020, by township type.
GROWTH_BY_TYPE = {"街道": 0.012, "镇": -0.004, "乡": -0.009}

#: (id, name_zh, name_en)
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("police_110", "县公安局110指挥中心", "County police 110 command centre"),
    ("police_fraud", "县公安局刑侦大队(反诈中心)", "County police criminal "
     "investigation brigade (anti-fraud centre)"),
    ("police_order", "县公安局治安管理大队", "County police public-order brigade"),
    ("police_security", "县公安局国内安全保卫大队", "County police domestic "
     "security brigade"),
    ("court", "县人民法院", "County people's court"),
    ("petitions", "县信访局", "County letters and visits (petitions) bureau"),
    ("emergency", "县应急管理局", "County emergency management bureau"),
    ("justice", "县司法局", "County justice bureau"),
    ("hotline_12345", "县12345政务服务热线", "County 12345 government service "
     "hotline"),
    ("health", "县卫生健康局", "County health commission"),
    ("united_front", "县委统战部(民族宗教事务局)", "County united front work "
     "department (ethnic and religious affairs)"),
    ("township", "乡镇(街道)", "Townships and subdistricts"),
]

#: (code, name_zh, name_en, points)
DOMAINS: list[tuple[str, str, str, int]] = [
    ("PS", "政治安全", "Political security", 15),
    ("SO", "社会治安", "Public order", 30),
    ("PU", "公共安全", "Public safety", 20),
    ("DI", "矛盾纠纷", "Disputes and petitions", 20),
    ("RL", "法治建设", "Rule of law", 15),
]

_RATE = "benchmark", "weight_county=0.5; tolerance=1"

#: indicator, name_zh, name_en, unit, value_type, direction, department,
#: points, method, params, core. Rate (R) indicators are per 10,000 residents.
INDICATORS: list[tuple] = [
    ("PS01", "涉稳群体性事件数", "Mass or stability incidents", "起", "count", -1,
     "police_security", 6, "deduction", "per_event=3", False),
    ("PS02", "越级及非正常上访人次", "Escalated or irregular petitions", "人次",
     "count", -1, "petitions", 5, "deduction", "per_event=1", False),
    ("PS03", "涉政治安全案(事)件数", "Political-security cases", "起", "count", -1,
     "united_front", 4, "deduction", "per_event=2", False),
    ("SO01", "万人刑事警情数", "Criminal incident calls per 10,000 residents", "起",
     "count", -1, "police_110", 6, *_RATE, False),
    ("SO02", "万人治安警情数", "Public-order incident calls per 10,000 residents",
     "起", "count", -1, "police_110", 4, *_RATE, True),
    ("SO03", "万人治安案件数", "Public-order cases per 10,000 residents", "起",
     "count", -1, "police_order", 4, *_RATE, False),
    ("SO04", "万人电信网络诈骗立案数", "Telecom and online fraud cases filed per "
     "10,000 residents", "起", "count", -1, "police_fraud", 6, *_RATE, True),
    ("SO05", "电诈群众损失金额", "Telecom fraud losses per 10,000 residents", "万元",
     "amount", -1, "police_fraud", 5, *_RATE, True),
    ("SO06", "严重暴力犯罪(八类)及命案数", "Serious violent crimes (eight "
     "categories) including homicide", "起", "count", -1, "police_fraud", 5,
     "deduction", "per_event=2.5", False),
    ("PU01", "安全生产重大隐患逾期未整改数", "Overdue unrectified major safety "
     "hazards", "处", "count", -1, "emergency", 5, "deduction", "per_event=1",
     False),
    ("PU02", "生产安全、道路交通、火灾事故死亡人数", "Deaths in work, road-traffic "
     "and fire accidents", "人", "count", -1, "emergency|police_110", 6,
     "deduction", "per_event=2", False),
    ("PU03", "万人交通及火灾事故警情数", "Traffic and fire incident calls per "
     "10,000 residents", "起", "count", -1, "police_110", 4, *_RATE, False),
    ("PU04", "重点人群肇事肇祸及脱管漏管数", "Incidents and lapses of supervision "
     "among key groups", "起", "count", -1, "township|justice|health", 5,
     "deduction", "per_event=1", False),
    ("DI01", "万人信访量", "Petitions per 10,000 residents", "件次", "count", -1,
     "petitions", 5, *_RATE, True),
    ("DI02", "万人民事诉讼立案数", "Civil cases filed per 10,000 residents", "件",
     "count", -1, "court", 5, *_RATE, False),
    ("DI03", "矛盾纠纷调解成功率", "Dispute mediation success rate", "%", "percent",
     1, "justice", 5, "target", "target=95; span=20", False),
    ("DI04", "12345热线重办率", "12345 hotline re-handling rate", "%", "percent", -1,
     "hotline_12345", 5, *_RATE, False),
    ("RL01", "行政复议纠错数", "Administrative acts corrected on reconsideration",
     "件", "count", -1, "justice", 4, "deduction", "per_event=2", False),
    ("RL02", "行政诉讼败诉数", "Administrative lawsuits lost", "件", "count", -1,
     "court", 4, "deduction", "per_event=2", False),
    ("RL03", "民转刑案件数", "Civil disputes escalated into criminal cases", "起",
     "count", -1, "police_order", 4, "deduction", "per_event=2", False),
    ("RL04", "万人新增失信被执行人数", "New dishonest judgment debtors per 10,000 "
     "residents", "人", "count", -1, "court", 3, *_RATE, False),
]

#: Indicators scored as rates per 10,000 residents (denominator population).
PER_POPULATION = {"SO01", "SO02", "SO03", "SO04", "SO05", "PU03", "DI01", "DI02",
                  "RL04"}
