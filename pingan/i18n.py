"""Labels for reports in Chinese (``zh``) and English (``en``)."""

from __future__ import annotations

from string import Formatter

from pingan._validation import check_option

__all__ = ["LANGUAGES", "label", "label_keys", "has_label", "check_language"]

LANGUAGES = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    "area": ("区域", "Area"),
    "area_code": ("区域代码", "Area code"),
    "index": ("平安指数", "Safety index"),
    "grade": ("等级", "Grade"),
    "rank": ("排名", "Rank"),
    "qoq_change": ("环比变化", "Change on last quarter"),
    "yoy_change": ("同比变化", "Change on a year ago"),
    "vs_county_mean": ("与{region}均值之差", "Difference from {region} mean"),
    "coverage": ("数据覆盖率", "Data coverage"),
    "quarter": ("季度", "Quarter"),
    "domain": ("领域", "Domain"),
    "indicator": ("指标", "Indicator"),
    "total": ("合计", "Total"),
    "yoy_change_pct": ("同比(%)", "Year on year (%)"),
    "qoq_change_pct": ("环比(%)", "Quarter on quarter (%)"),
    "unit": ("单位", "Unit"),
    "county": ("全县", "County"),
    # The whole territory of a dataset, unless its dataset.yaml names it.
    "region": ("全县", "county"),
    "county_index": ("全部区域合并指数", "Index of all areas pooled"),
    "headline_pooled_note": (
        "合并指数把全部区域的数据合在一起再按同样规则计分（比率指标为计数之和除以"
        "总人口，其他指标取各区域平均值），不是各区域指数的平均值，因此可以高于多数"
        "区域。",
        "The pooled index scores the data of all areas taken together with the "
        "same rules (a rate is the summed count over the total population, any "
        "other value the mean of the areas). It is not the mean of the areas' "
        "indices, so it can be above most areas.",
    ),
    "name": ("名称", "Name"),
    "submitted_total": ("上报合计", "Submitted total"),
    "yoy_reason": ("同比缺失原因", "Why no year-on-year change"),
    "year_total": ("全年合计", "Year total"),
    "previous_year_total": ("上年合计", "Previous year total"),
    "year_change_pct": ("全年同比(%)", "Year on year, whole year (%)"),
    "county_mean": ("区域平均", "Mean of areas"),
    "green": ("绿", "green"),
    "yellow": ("黄", "yellow"),
    "orange": ("橙", "orange"),
    "red": ("红", "red"),
    "topic": ("类别", "Topic"),
    "rule": ("规则", "Rule"),
    "count": ("数量", "Count"),
    "detail": ("说明", "Detail"),
    "heatmap_title": ("各区域分领域得分率(%)", "Domain scores by area (% of points)"),
    "trend_title": ("近八个季度平安指数", "Safety index over the last eight quarters"),
    "core_title": (
        "核心指标{region}上报合计同比变化(%)(第四季度为全年合计)",
        "Core indicators, {region} totals: change on a year ago (%; whole year in Q4)",
    ),
    "section_headline": ("## 总体情况", "## Headline"),
    "section_ranking": ("## 排名与等级", "## Ranking and grades"),
    "section_heatmap": ("## 分领域得分", "## Scores by domain"),
    "section_trend": (
        "## 各区域近八个季度走势",
        "## Each area over the last eight quarters",
    ),
    "section_core": ("## 核心指标同比变化", "## Core indicators year on year"),
    "section_notes": ("## 数据说明", "## Data notes"),
    "section_watch": ("## 核心指标监测", "## Core indicator watch"),
    "watch_title": (
        "核心指标{region}合计(红点: 异常检测报警)",
        "Core indicators, {region} totals (red: flagged by an aberration detector)",
    ),
    "flagged": ("报警", "flagged"),
    "flagged_quarters": ("报警季度", "Flagged quarters"),
    "n_quarters": ("季度数", "Quarters"),
    "county_total": ("{region}上报数合计", "{region} total of submitted counts"),
    "trend": ("趋势", "Trend"),
    "trend_p": ("趋势检验p值", "Trend test p"),
    "sen_slope": ("Sen斜率(每季度)", "Sen's slope per quarter"),
    "change_quarter": ("突变季度", "Change point"),
    "change_p": ("突变检验p值", "Change-point p"),
    "rising": ("上升", "rising"),
    "falling": ("下降", "falling"),
    "none": ("无显著趋势", "none"),
    "report": ("平安指数季度报告", "Quarterly safety index report"),
    "source": ("数据来源", "Source"),
    "licence": ("许可", "Licence"),
    "synthetic": (
        "注意：本报告使用合成示例数据，数值不代表真实情况。",
        "Note: this report uses SYNTHETIC example data; the numbers are not real.",
    ),
}


#: Table column headers (and index names) of the notebooks, keyed by the
#: column's name in pingan's tables.
_COLUMNS: dict[str, tuple[str, str]] = {
    "scheme": ("方案", "Scheme"),
    "table_empty": ("（无记录）", "(No rows.)"),
    "scheme.published": ("公布的指数", "published index"),
    "spearman": ("与公布排名的秩相关", "Rank correlation with the published ranking"),
    "areas_moved": ("名次不同的区域数", "Areas ranked differently"),
    "normalisation": ("标准化方法", "Normalisation"),
    "weights": ("权重方法", "Weights"),
    "aggregation_dimension": ("维度聚合", "Aggregation into dimensions"),
    "aggregation_domain": ("领域聚合", "Aggregation into domains"),
    "aggregation_index": ("指数聚合", "Aggregation into the index"),
    "score_a": ("方案A得分", "Score, scheme A"),
    "score_b": ("方案B得分", "Score, scheme B"),
    "score_diff": ("得分差(B-A)", "Score difference (B - A)"),
    "rank_a": ("方案A排名", "Rank, scheme A"),
    "rank_b": ("方案B排名", "Rank, scheme B"),
    "rank_shift": ("排名变化", "Rank shift"),
    "abs_rank_shift": ("排名变化绝对值", "Absolute rank shift"),
    "nominal_rank": ("名义排名", "Nominal rank"),
    "mean_rank": ("平均排名", "Mean rank"),
    "median_rank": ("排名中位数", "Median rank"),
    "q05_rank": ("排名5%分位数", "Rank, 5th percentile"),
    "q95_rank": ("排名95%分位数", "Rank, 95th percentile"),
    "interval": ("区间宽度", "Interval width"),
    "factor": ("因素", "Factor"),
    "s1": ("一阶指数", "First-order index"),
    "s1_low": ("一阶指数下限", "First-order index, low"),
    "s1_high": ("一阶指数上限", "First-order index, high"),
    "st": ("总效应指数", "Total index"),
    "st_low": ("总效应指数下限", "Total index, low"),
    "st_high": ("总效应指数上限", "Total index, high"),
    "level": ("层级", "Level"),
    "code": ("代码", "Code"),
    "other": ("另一项", "Other"),
    "relation": ("关系", "Relation"),
    "correlation": ("相关系数", "Correlation"),
    "flag": ("标记", "Flag"),
    "group": ("组", "Group"),
    "n_items": ("项数", "Items"),
    "alpha": ("克朗巴赫系数", "Cronbach's alpha"),
    "reason": ("原因", "Reason"),
    "eigenvalue": ("特征值", "Eigenvalue"),
    "variance_share": ("方差占比", "Share of variance"),
    "removed": ("移除项", "Removed"),
    "mean_abs_rank_shift": ("平均排名变化(绝对值)", "Mean absolute rank shift"),
    "max_abs_rank_shift": ("最大排名变化(绝对值)", "Largest absolute rank shift"),
    "rank_correlation": ("排名相关系数", "Rank correlation"),
    "category": ("类别", "Category"),
    "message": ("内容", "Message"),
    "detector": ("检测方法", "Detector"),
    "n_sim": ("模拟序列数", "Simulated series"),
    "alarm_rate": ("报警率", "Alarm rate"),
    "alarm_rate_se": ("报警率标准误", "Alarm rate, standard error"),
    "effect": ("效应大小", "Effect size"),
    "mean_delay": ("平均延迟(季度)", "Mean delay (quarters)"),
    "median_delay": ("延迟中位数(季度)", "Median delay (quarters)"),
    "n": ("样本数", "n"),
    "s": ("S统计量", "S statistic"),
    "p_value": ("p值", "p-value"),
    "subject": ("对象", "Subject"),
    "base": ("上年同期值", "Value a year earlier"),
    "base_count": ("上年同期数量", "Count a year earlier"),
    "increase": ("增加数", "Increase"),
    "slope": ("Sen斜率(每季度)", "Sen's slope per quarter"),
    "slope_low": ("斜率下限", "Slope, low"),
    "slope_high": ("斜率上限", "Slope, high"),
    "value": ("数值", "Value"),
    "department": ("部门", "Department"),
    "deduction": ("扣分", "Deduction"),
    "score": ("得分", "Score"),
    "n_findings": ("问题数", "Findings"),
    "finding_ids": ("问题编号", "Finding ids"),
    "finding_id": ("问题编号", "Finding id"),
    "evidence": ("依据", "Evidence"),
    "deduction_type": ("扣分类型", "Deduction type"),
    "points_per_item": ("每项扣分", "Points per item"),
    "points": ("分值", "Points"),
    "points_capped": ("封顶后扣分", "Points after the cap"),
    "deadline": ("截止时间", "Deadline"),
    "submitted_at": ("报送时间", "Submitted at"),
    "days_late": ("逾期天数", "Days late"),
    "n_expected": ("应报数", "Expected"),
    "n_received": ("已报数", "Received"),
    "n_missing": ("缺报数", "Missing"),
    "missing_indicators": ("缺报指标", "Missing indicators"),
    "missing_areas": ("缺报区域", "Missing areas"),
    "source_files": ("来源文件", "Source files"),
    "source_file": ("来源文件", "Source file"),
    "source_row": ("行号", "Row"),
    "status": ("状态", "Status"),
    "severity": ("严重程度", "Severity"),
    "history": ("历史数值", "History"),
    "action": ("处理", "Action"),
    "new_value": ("处理后数值", "New value"),
    "old_value": ("原数值", "Old value"),
    "check": ("检查", "Check"),
    "test": ("检验", "Test"),
    "quarter_first": ("起始季度", "First quarter"),
    "quarter_last": ("截止季度", "Last quarter"),
    "orders_of_magnitude": ("数量级跨度", "Orders of magnitude"),
    "statistic": ("统计量", "Statistic"),
    "mad": ("平均绝对偏差", "Mean absolute deviation"),
    "conformity": ("符合程度", "Conformity"),
    "top_digit": ("最常见数字", "Most common digit"),
    "top_share": ("最常见数字占比", "Share of the most common digit"),
    "expected_share": ("期望占比", "Expected share"),
    "applied": ("已执行", "Applied"),
    "signal": ("信号", "Signal"),
    "when": ("适用条件", "When"),
    "column": ("列", "Column"),
    "item": ("项目", "Item"),
    "warning_id": ("预警编号", "Warning id"),
    "warning_level": ("级别", "Level"),
    "quarter_raised": ("首次预警季度", "First raised"),
    "focus_detail": ("重点整改指标", "Fix first"),
    "base_quarter": ("比较季度", "Compared with"),
    "base_points": ("比较季度分值", "Points then"),
    "contribution": ("贡献", "Contribution"),
    "index_change": ("指数变化", "Index change"),
    "share": ("占比", "Share"),
    "lag": ("间隔季度数", "Lag (quarters)"),
    "contribution_pct": (
        "贡献(占上年合计的百分点)",
        "Contribution (percentage points of the base total)",
    ),
    "county_change_pct": ("{region}变化(%)", "{Region} change (%)"),
    "raised": ("预警数", "Raised"),
    "mean_quarters_to_close": ("平均销号用时(季度)", "Mean quarters to close"),
    "max_quarters_to_close": ("最长销号用时(季度)", "Longest quarters to close"),
    "recipient_type": ("收件类型", "Recipient type"),
    "recipient_id": ("收件单位代码", "Recipient code"),
    "recipient": ("收件单位", "Recipient"),
    "warnings": ("预警数", "Warnings"),
    "html": ("预警函", "Letter"),
    "annual_index": ("年度指数", "Annual index"),
    "previous_rank": ("上年排名", "Previous rank"),
    "rank_change": ("排名变化", "Rank change"),
    "previous_total": ("上年合计", "Previous year total"),
    "change": ("变化", "Change"),
    "change_pct": ("变化(%)", "Change (%)"),
    "previous_mean": ("上年均值", "Previous year mean"),
    "mean": ("均值", "Mean"),
    "areas_worse": ("变差的区域", "Areas that got worse"),
    "year": ("年份", "Year"),
    "previous_points": ("上年分值", "Previous year points"),
    "effective_weight_pct": ("有效权重(%)", "Effective weight (%)"),
    "indicator_name": ("指标名称", "Indicator name"),
    "overview_submissions": ("报送", "Submissions"),
    "overview_grades": ("部门等级", "Department grades"),
    "overview_findings": ("问题", "Findings"),
    "overview_actions": ("处理的数值", "Values acted on"),
    "overview_tests": ("未执行的数字检验", "Digit tests not applied"),
    "overview_rules": ("未执行的一致性规则", "Consistency rules not applied"),
    "overview_files": ("文件问题", "File problems"),
    "open": ("新发", "Open"),
    "improved": ("有所改善", "Improved"),
    "persisting": ("未见改善", "Persisting"),
    "escalated": ("已升级", "Escalated"),
    "closed": ("已销号", "Closed"),
}

#: Values of categorical columns, keyed ``"<column>.<value>"``.
_VALUES: dict[str, tuple[str, str]] = {
    "grade.green": ("绿", "green"),
    "grade.yellow": ("黄", "yellow"),
    "grade.orange": ("橙", "orange"),
    "grade.red": ("红", "red"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "action.exclude": ("剔除", "exclude"),
    "action.impute": ("插补", "impute"),
    "action.flag": ("标注", "flag"),
    "status.on_time": ("按时", "on time"),
    "status.late": ("迟报", "late"),
    "status.incomplete": ("不全", "incomplete"),
    "status.missing": ("未报", "missing"),
    "status.time_unknown": ("时间不明", "time unknown"),
    "status.open": ("新发", "open"),
    "status.improved": ("有所改善", "improved"),
    "status.persisting": ("未见改善", "persisting"),
    "status.escalated": ("已升级", "escalated"),
    "status.closed": ("已销号", "closed"),
    "warning_level.watch": ("关注", "watch"),
    "warning_level.warning": ("预警", "warning"),
    "warning_level.interview": ("约谈", "interview"),
    "warning_level.notice": ("通报", "notice"),
    "level.indicator": ("指标", "indicator"),
    "level.dimension": ("维度", "dimension"),
    "level.domain": ("领域", "domain"),
    "level.index": ("指数", "index"),
    "recipient_type.area": ("区域", "area"),
    "recipient_type.department": ("部门", "department"),
    "bool.True": ("是", "yes"),
    "bool.False": ("否", "no"),
    "applied.True": ("是", "yes"),
    "applied.False": ("否", "no"),
}

#: Titles, axis labels and legend entries of the figures of notebooks 02-06.
#: Parts of a warning's evidence as notebook 05 shows it, keyed
#: ``"evidence.<key>"`` by the evidence key (see :mod:`pingan.alerts.evidence`).
_EVIDENCE: dict[str, tuple[str, str]] = {
    "evidence.value": ("本季度 {value}", "this quarter {value}"),
    "evidence.base": ("上年同期 {value}", "a year earlier {value}"),
    "evidence.change_pct": ("变化 {value}", "change {value}"),
    "evidence.change": ("变化 {value}", "change {value}"),
    "evidence.county_mean": ("{region}均值 {value}", "{region} mean {value}"),
    "evidence.count": ("计数 {value}", "count {value}"),
    "evidence.base_count": ("上年同期计数 {value}", "count a year earlier {value}"),
    "evidence.increase": ("增加 {value}", "increase {value}"),
    "evidence.p_value": ("p {value}", "p {value}"),
    "evidence.p_adjusted": ("校正后 p {value}", "adjusted p {value}"),
    "evidence.dispersion": ("离散系数 {value}", "dispersion {value}"),
    "evidence.index": ("平安指数 {value}", "safety index {value}"),
    "evidence.grade": ("等级 {value}", "grade {value}"),
    "evidence.rank": ("排名 {value}", "rank {value}"),
    "evidence.areas": ("区域数 {value}", "areas {value}"),
    "evidence.bottom_ranks": ("末位名次数 {value}", "bottom ranks {value}"),
    "evidence.points": ("得分 {value}", "points {value}"),
    "evidence.base_points": ("上季度得分 {value}", "points last quarter {value}"),
    "evidence.threshold": ("阈值 {value}", "threshold {value}"),
    "evidence.past_change_sd": (
        "以往变化标准差 {value}",
        "standard deviation of past changes {value}",
    ),
    "evidence.k": ("倍数 k {value}", "k {value}"),
    "evidence.methods": ("检测方法 {value}", "detectors {value}"),
    "evidence.flagged_by": ("标记方法数 {value}", "flagged by {value}"),
    "evidence.required": ("所需方法数 {value}", "detectors required {value}"),
    "evidence.sen_slope": ("Sen 斜率 {value}", "Sen's slope {value}"),
    "evidence.window": ("季度数 {value}", "quarters {value}"),
    "evidence.n": ("数值个数 {value}", "values {value}"),
    "evidence.late_days": ("逾期天数 {value}", "days late {value}"),
}

_FIGURES: dict[str, tuple[str, str]] = {
    "fig_rank_shifts": ("各方案下的区域排名", "Rank of each area under each scheme"),
    "fig_rank_shifts_y": (
        "参照方案下的排名(1=最好)",
        "Rank (1 = best) under the reference scheme",
    ),
    "fig_uncertainty": (
        "权重和方法扰动下的排名不确定性",
        "Rank uncertainty under perturbed weights and methods",
    ),
    "fig_rank_axis": ("排名(1=最好)", "Rank (1 = best)"),
    "fig_draws_band": ("5%-95%的抽样", "5-95 % of draws"),
    "fig_median": ("中位数", "median"),
    "fig_nominal": ("名义排名", "nominal"),
    "fig_sensitivity": ("Sobol敏感性指数", "Sobol sensitivity indices"),
    "fig_sensitivity_y": (
        "平均排名变化的方差占比",
        "Share of variance of the mean rank shift",
    ),
    "fig_first_order": ("一阶", "first order"),
    "fig_total": ("总效应", "total"),
    "fig_power": ("各检测方法的检出率", "Power of each detector"),
    "fig_effect_axis": ("效应大小({change})", "Effect size ({change})"),
    "fig_power_y": ("报警序列占比", "Share of series with an alarm"),
    "fig_delay": ("已检出序列的检测延迟", "Detection delay among detected series"),
    "fig_delay_y": ("延迟(季度)", "Delay (quarters)"),
    "fig_alarms": ("各季度报警的序列数", "Series flagged in each quarter"),
    "fig_alarms_y": ("报警序列数", "Series flagged"),
    "fig_scorecards": ("各部门数据质量得分", "Data-quality score of each department"),
    "fig_scorecards_x": ("数据质量得分", "Data-quality score"),
    "fig_submissions": ("报送情况", "Submission status"),
    "fig_days": ("{days}天", "{days} d"),
    "fig_register": ("各检查季度的预警跟踪状态", "Warning status by quarter checked"),
    "fig_register_x": ("检查季度", "Quarter checked"),
    "fig_register_y": ("预警数", "Warnings"),
    "fig_annual_change": (
        "年度指数变化：{year}年与{previous}年比较",
        "Annual index change, {year} on {previous}",
    ),
    "fig_annual_change_x": ("年度指数变化(分)", "Annual index change (points)"),
}

#: Headings and prose of notebooks 02-06, as Markdown.
_TEXTS: dict[str, tuple[str, str]] = {
    # 02-weights-exploration
    "weights_title": (
        "# 权重方案：比较、不确定性与审计\n\n"
        "区域排名在多大程度上取决于构建指数时所做的选择？本报告用多种方案"
        "（标准化、权重、聚合）计算同一季度的指数，展示排名在各方案之间如何变化；"
        "随机扰动权重和方法，得到每个区域的排名区间；用 Sobol 指数把排名方差分解到"
        "各项选择；最后给出参照方案的统计审计。",
        "# Weighting schemes: comparison, uncertainty and audit\n\n"
        "How much does the ranking of areas depend on the choices made in "
        "building the index? This report builds the index of one quarter under "
        "several schemes (normalisation, weights, aggregation), shows how ranks "
        "move between them, perturbs weights and methods at random to get each "
        "area's rank interval, splits the rank variance between the choices "
        "(Sobol indices), and ends with the statistical audit of the reference "
        "scheme.",
    ),
    "weights_summary": (
        "**{dataset}**，{quarter}：{areas} 个区域，{indicators} 项指标；"
        "参照方案 `{reference}`。",
        "**{dataset}**, {quarter}: {areas} areas, {indicators} indicators; "
        "reference scheme `{reference}`.",
    ),
    "weights_published": (
        "**与公布的指数比较。** 各方案对每项指标使用同一种标准化方法（默认是本季度各"
        "区域之间的最小-最大值），而公布的平安指数按每项指标自己的方法计分（由参照期确定的"
        "上下限、事件扣分、目标值），因此即使权重相同，排名也可能不同。上表第一列是"
        "公布的排名；下表给出每个方案与它的秩相关和名次差异。",
        "**Against the published index.** The schemes rescale every indicator "
        "with one normalisation (by default min-max across the areas of the "
        "quarter), while the published safety index scores each indicator by "
        "its own method (goalposts from a reference period, deductions for "
        "events, targets), so ranks can differ even with the same weights. The "
        "first column above is the published rank; the table below gives each "
        "scheme's rank correlation with it and how far the ranks differ.",
    ),
    "weights_schemes": (
        "## 方案\n\n每个方案规定一种标准化方法、一种赋权方法和各层级（维度、领域、"
        "指数）的聚合方法；`pingan.composite.SCHEMES` 列出全部方案。下表之后是各方案"
        "下每个区域的排名。",
        "## The schemes\n\nEach scheme names a normalisation, a weighting and "
        "the aggregation at each level (dimension, domain, index); "
        "`pingan.composite.SCHEMES` lists them. The ranks of each area under "
        "each scheme follow the table.",
    ),
    "weights_effective": (
        "### 各指标的有效权重\n\n算术聚合下每项指标在指数中所占的份额"
        "（其在各层级局部权重的乘积，%）。",
        "### Effective weight of each indicator\n\nThe share of the index each "
        "indicator carries under arithmetic aggregation (product of its local "
        "weights up the hierarchy, %).",
    ),
    "weights_shifts": (
        "## 方案间的排名变化\n\n折线连接同一区域在各方案下的排名；相对参照方案变化"
        "三位及以上的区域用粗线表示。下表比较方案A `{a}` 与方案B `{b}`。",
        "## Rank shifts between schemes\n\nLines join an area's ranks under each "
        "scheme; thick lines move by three places or more from the reference. "
        "The table compares scheme A `{a}` with scheme B `{b}`.",
    ),
    "weights_uncertainty": (
        "## 排名不确定性\n\n每次抽样把各层级的每个局部权重乘以取自 U(0.75, 1.25) "
        "的因子，并随机选取标准化和聚合方法；横条覆盖每个区域排名的第5至第95百分位。",
        "## Rank uncertainty\n\nEvery draw multiplies each local weight by a "
        "factor drawn from U(0.75, 1.25) at each level and picks a "
        "normalisation and an aggregation at random; bars span the 5th to 95th "
        "percentile of each area's rank.",
    ),
    "weights_sensitivity": (
        "## 哪项选择影响最大\n\n相对参照排名的平均绝对排名变化的一阶（`s1`）和"
        "总效应（`st`）Sobol 指数，附 95% bootstrap 区间。总效应指数明显高于一阶"
        "指数，说明该选择通过与其他选择的交互起作用。若某层级每组只有一个下级"
        "（如每个维度只有一项指标），该层级不会改变任何排名，指数为0。指数是"
        "抽样估计：接近0的略为负的值或大于1的区间上限是估计误差，样本量(`sobol_n`)"
        "越大越小。",
        "## Which choice matters most\n\nFirst-order (`s1`) and total (`st`) "
        "Sobol indices of the mean absolute rank shift against the reference "
        "ranking, with 95 % bootstrap intervals. A total index well above the "
        "first-order one means the choice acts through interactions with the "
        "others. A level whose groups each hold a single child (e.g. one "
        "indicator per dimension) cannot move any rank and gets 0. The indices "
        "are sample estimates: slightly negative values near 0, or interval "
        "bounds above 1, are estimation error, which shrinks as `sobol_n` "
        "grows.",
    ),
    "weights_audit": (
        "## 参照方案的审计\n\n被标记为过高（组内大于0.9，可能重复计算）或为负的"
        "相关系数，各领域的克朗巴赫系数和第一主成分，以及移除每个领域和每项指标"
        "对排名的影响。",
        "## Audit of the reference scheme\n\nCorrelations flagged as too high "
        "(possible double counting, > 0.9 within a group) or negative, "
        "Cronbach's alpha and the first principal component of each domain, and "
        "the rank impact of removing each domain and indicator.",
    ),
    "weights_warnings": (
        "## 构建方案时发出的警告\n\n警告内容由 pingan 以英文给出。",
        "## Warnings raised while building the schemes",
    ),
    # 03-trend-methods
    "detect_title": (
        "# 哪种检测方法发现变化最快、误报最少？\n\n"
        "季度序列很短：四年只有16个数值。本报告在模拟的季度计数中植入已知大小和"
        "位置的变化（`pingan.detect.simulate`），像日常监测那样运行每种检测方法，"
        "并度量（`pingan.detect.evaluate`）：\n\n"
        "- **误报率**：没有变化的序列在监测窗口内（从变化季度，即序列第三个季度之后，"
        "到序列结束）至少报警一次的比例；\n"
        "- **检出率**：有变化的序列在该窗口内报警的比例；\n"
        "- **延迟**：从变化到首次报警的季度数（0表示在变化当季即报警）。\n\n"
        "每种方法都按监测时的方式运行：只用截至窗口内每个季度的数据，因此整序列"
        "检验（Mann-Kendall、Pettitt）带有重复检验的误报率，分段和 STL 方法也不能"
        "使用其报警季度之后的数据。",
        "# Which detector finds a change soonest, with fewest false alarms?\n\n"
        "Quarterly series are short: four years give 16 values. This report "
        "plants a change of known size and position in simulated quarterly "
        "counts (`pingan.detect.simulate`), runs each detector as a monitor "
        "would, and measures (`pingan.detect.evaluate`):\n\n"
        "- the **false-alarm rate**: the share of series without a change that "
        "raise at least one alarm in the monitoring window (from the change "
        "quarter, three quarters into the series, to the end);\n"
        "- the **power**: the share of series with a change that raise an alarm "
        "in that window;\n"
        "- the **delay**: quarters from the change to the first alarm (0 = "
        "flagged in the quarter of the change).\n\n"
        "Every detector is run as a monitor would run it: on the data up to "
        "each quarter of the window, so series-level tests (Mann-Kendall, "
        "Pettitt) have the false-alarm rate of repeated testing, and "
        "segmentation and STL cannot use quarters after the one they flag.",
    ),
    "detect_false_alarms": (
        "## 误报率\n\n下表是监测窗口内的误报率。以固定受控期确定控制限的控制图"
        "（CUSUM、EWMA）和滑动窗口的 EARS 方法忽略季节性；Farrington 界限"
        "（负二项代入估计）忽略了只用十个季度拟合模型的不确定性，因此在短的过度"
        "离散序列上报警比名义的每季度5%更频繁。",
        "## False alarms\n\nThe table is the false-alarm rate over the "
        "monitoring window. Charts with limits from a fixed in-control period "
        "(CUSUM, EWMA) and the sliding EARS windows ignore seasonality; the "
        "Farrington bound (negative-binomial plug-in) ignores the uncertainty "
        "of a model fitted to only ten quarters, so it alarms more often than "
        "its nominal 5 % per quarter on short overdispersed series.",
    ),
    "detect_power": ("## 检出率与效应大小", "## Power against effect size"),
    "detect_delay": (
        "## 已检出序列的检测延迟",
        "## Detection delay among detected series",
    ),
    "detect_real": (
        "## 真实序列上的检测\n\n真实数据通过 `pingan.datasets` 读取"
        "（`detect.dataset_panel`）：数据集最近若干季度按区域、指标和季度的计数。"
        "第一张表是每种方法在各指标上报警的序列数，第二张是报警的区域季度数。",
        "## The same detectors on real series\n\nThe real data are read "
        "through `pingan.datasets` (`detect.dataset_panel`): counts by area, "
        "indicator and quarter for the last quarters of the dataset. The first "
        "table counts the series each detector flags per indicator, the second "
        "the flagged area-quarters.",
    ),
    "detect_mann_kendall": (
        "### Mann-Kendall 检验最显著的十个序列",
        "### The ten series with the strongest Mann-Kendall trend",
    ),
    "detect_alarms": (
        "### 各季度报警的序列数",
        "### Series flagged in each quarter",
    ),
    "detect_changes": (
        "## 最近一个季度的环比和同比变化\n\n同比上升最多的十个序列。",
        "## Quarter-on-quarter and year-on-year changes in the last quarter"
        "\n\nThe ten series with the largest rise on a year earlier.",
    ),
    # 04-data-quality
    "quality_title": (
        "# 数据质量与负面清单\n\n各部门评分、缺报和迟报情况，以及每个问题数值及其"
        "依据和处理方式。评分与各区域的平安指数分开计算。规则、扣分和等级阈值见 "
        "`docs/quality.md`。",
        "# Data quality and the negative list\n\nDepartment scorecards, the "
        "missing and late submissions, and every flagged value with its "
        "evidence and the action taken. The scores are kept apart from the "
        "areas' safety index. Rules, deductions and grade thresholds: "
        "`docs/quality.md`.",
    ),
    "quality_scores": (
        "## 部门评分\n\n得分 = 100 减去扣分；每项扣分都列出其依据的问题（问题编号）。",
        "## Department scorecards\n\nScore = 100 minus the deductions; every "
        "deduction lists the findings behind it (finding ids).",
    ),
    "quality_submissions": ("## 报送情况", "## Missing and late submissions"),
    "quality_flagged": (
        "## 问题数值\n\n每个数值及标记它的规则、用于比较的历史或相关数值，以及"
        "采取的处理（剔除、插补或标注）。问题说明由 pingan 以英文给出。",
        "## Flagged values\n\nEach value with the rule that flagged it, the "
        "history or related values it was compared with, and the action taken "
        "(exclude, impute or flag).",
    ),
    "quality_tests": (
        "## 数字检验与一致性规则\n\n数值太少或范围太窄的检验记为 "
        "`not applied: no power`（未执行：检验效能不足）。",
        "## Digit tests and consistency rules\n\nA test that had too few values "
        "or too narrow a range is listed as `not applied: no power`.",
    ),
    "quality_files": ("## 文件问题与备注", "## File problems and notes"),
    "quality_summary": ("## 摘要", "## Summary"),
    # 05-warnings
    "warnings_title": (
        "# 预警与整改跟踪\n\n检查报告季度的预警规则，更新 "
        "`data/processed/<dataset>/warnings_register.csv` 中的预警台账，并向 "
        "`reports/<dataset>/<quarter>/letters/` 为每个收件单位写一封预警函。"
        "规则、级别和跟踪状态见 `docs/warnings.md`。",
        "# Warnings and rectification tracking\n\nChecks the warning rules for "
        "the reporting quarter, updates the warnings register in "
        "`data/processed/<dataset>/warnings_register.csv` and writes one letter "
        "per recipient to `reports/<dataset>/<quarter>/letters/`. The rules, "
        "levels and statuses are described in `docs/warnings.md`.",
    ),
    "warnings_quarter": (
        "## 本季度预警\n\n按规则和级别计数，然后列出每条预警及其依据、台账状态和"
        "优先整改的指标。",
        "## Warnings of the quarter\n\nCounts by rule and level, then every "
        "warning with its evidence, its register status and what to fix first.",
    ),
    "warnings_yoy_statistics": (
        "同比上升预警及其触发统计量：计数指标列出两个季度的数量、增加数和条件二项"
        "（泊松）检验的单侧p值；金额和比率指标只有相对变化。",
        "Year-on-year rises with the statistic that triggered them: for count "
        "indicators the counts of both quarters, the increase and the one-sided "
        "p-value of the conditional binomial (Poisson) test; amounts and percents "
        "have only the relative change.",
    ),
    "warnings_drivers": (
        "## 变化的来源\n\n各指标对每个区域指数同比变化的贡献（每个区域最负的三项），"
        "以及每项核心指标{region}合计同比变化中贡献最大的三个区域。各项贡献之和恰好"
        "等于变化。",
        "## What drove the change\n\nIndicator contributions to each area's "
        "index change on the same quarter a year earlier (the three most "
        "negative per area), and, for each core indicator, the three areas that "
        "added most to the year-on-year change of its {region} total. "
        "Contributions add up exactly to the change.",
    ),
    "warnings_register": (
        "## 整改台账\n\n按规则和最新状态统计的预警数，以及销号所用的季度数。",
        "## Rectification register\n\nWarnings by rule and latest status, and "
        "how many quarters closing took.",
    ),
    "warnings_letters": ("## 预警函", "## Letters"),
    "warnings_watch_list": (
        "## {region}关注名单\n\n预警均低于发函级别的单位不发预警函，列入本名单"
        "（预警函目录中的 `watch_list.csv`）。",
        "## {Region} watch list\n\nRecipients whose warnings are all below the "
        "level that gives a letter get no letter and are listed here "
        "(`watch_list.en.csv` in the letters folder).",
    ),
    # 06-annual-review
    "review_title": (
        "# 年度复盘\n\n各区域的年度指数（四个季度的平均）、与上年相比的排名变化、"
        "核心指标{region}合计的同比变化，以及重点目标指标：{region}年均值变差的指标及其"
        "变差的区域。",
        "# Year-end review\n\nThe annual index of each area (mean of the four "
        "quarters), rank changes on last year, the {region} totals of the core "
        "indicators year on year, and the key target indicators: those whose "
        "{region} annual mean got worse, with the areas where they got worse.",
    ),
    "review_index": (
        "## 年度指数与排名变化\n\n排名变化为正表示区域排名上升。不足四个季度的区域"
        "没有年度指数，原因一栏说明缘由。",
        "## Annual index and rank changes\n\nA positive rank change means the "
        "area moved up. An area without four quarters has no annual index; the "
        "reason column says why.",
    ),
    "review_totals": (
        "## 核心指标{region}合计\n\n四个季度{region}合计之和（按指标的上报单位），"
        "与上年比较。",
        "## {Region} totals of the core indicators\n\nSums of the four quarters' "
        "{region} totals, in the indicators' submitted units, against the year "
        "before.",
    ),
    "review_targets": (
        "## 重点目标指标\n\n{region}年均值变差的指标（比率按{region}比率，"
        "计数按{region}合计），最差的在前，并列出自身年均值变差的区域。",
        "## Key target indicators\n\nIndicators whose {region} annual mean got "
        "worse (rates as {region} rates, counts as {region} totals), worst first, "
        "with the areas whose own annual mean got worse.",
    ),
    "review_drivers": (
        "## 各区域变化的来源\n\n每个区域全年失分最多的三项指标（年均分值）。",
        "## What drove each area's change\n\nThe three indicators that cost "
        "each area the most points on the year (annual mean points).",
    ),
}

_ALL: dict[str, tuple[str, str]] = {
    **_LABELS,
    **_COLUMNS,
    **_VALUES,
    **_FIGURES,
    **_EVIDENCE,
    **_TEXTS,
}


class _Fields(dict):
    """Values of a label's fields; a field without a value stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check_language(language: str) -> str:
    """Raise unless ``language`` is ``'zh'`` or ``'en'``; return it.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    check_option("language", language, LANGUAGES, "check_language")
    return language


def has_label(key: str) -> bool:
    """Return whether ``key`` has a label.

    Examples
    --------
    >>> has_label("index"), has_label("no_such_key")
    (True, False)
    """
    return key in _ALL


def label_keys(text: str, language: str = "zh", region: str | None = None) -> list[str]:
    """Return the keys whose label in ``language`` is ``text``, in table order.

    Examples
    --------
    >>> label_keys("Safety index", "en")
    ['index']
    >>> label_keys("与全市均值之差", "zh", region="全市")
    ['vs_county_mean']
    """
    check_language(language)
    return [key for key in _ALL if label(key, language, region=region) == text]


def label(key: str, language: str = "zh", **values: object) -> str:
    """Return the label of ``key`` in ``language`` (the key itself if unknown).

    Keyword arguments fill the label's ``{name}`` fields, and a field
    without a value stays as written. The field ``{region}`` names the dataset's whole
    territory (:meth:`pingan.datasets.Dataset.region_name`) and is the
    county, ``全县`` or ``county``, unless given. ``{Region}`` is the same
    name with a capital first letter.

    Examples
    --------
    >>> label("index", "zh"), label("index", "en")
    ('平安指数', 'Safety index')
    >>> label("fig_days", "zh", days=7)
    '7天'
    >>> label("county_change_pct", "en"), label("vs_county_mean", "zh", region="全市")
    ('County change (%)', '与全市均值之差')
    """
    check_language(language)
    pair = _ALL.get(key)
    if pair is None:
        return key
    text = pair[0] if language == "zh" else pair[1]
    fields = {name for _, name, _, _ in Formatter().parse(text) if name}
    if not fields:
        return text
    if values.get("region") is None:
        values["region"] = label("region", language)
    values["Region"] = values["region"][:1].upper() + values["region"][1:]
    return text.format_map(_Fields(values))
