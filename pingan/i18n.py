"""Labels for reports in Chinese (``zh``) and English (``en``)."""

from __future__ import annotations

from pingan._validation import check_option

__all__ = ["LANGUAGES", "label", "check_language"]

LANGUAGES = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    "area": ("区域", "Area"),
    "area_code": ("区域代码", "Area code"),
    "index": ("平安指数", "Safety index"),
    "grade": ("等级", "Grade"),
    "rank": ("排名", "Rank"),
    "qoq_change": ("环比变化", "Change on last quarter"),
    "yoy_change": ("同比变化", "Change on a year ago"),
    "vs_county_mean": ("与全县均值之差", "Difference from county mean"),
    "coverage": ("数据覆盖率", "Data coverage"),
    "quarter": ("季度", "Quarter"),
    "domain": ("领域", "Domain"),
    "indicator": ("指标", "Indicator"),
    "total": ("合计", "Total"),
    "yoy_change_pct": ("同比(%)", "Year on year (%)"),
    "qoq_change_pct": ("环比(%)", "Quarter on quarter (%)"),
    "unit": ("单位", "Unit"),
    "county": ("全县", "County"),
    "county_index": ("全部区域合并指数", "Index of all areas pooled"),
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
        "核心指标全县上报合计同比变化(%)(第四季度为全年合计)",
        "Core indicators, county totals: change on a year ago (%; whole year in Q4)",
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
        "核心指标全县合计(红点: 异常检测报警)",
        "Core indicators, county totals (red: flagged by an aberration detector)",
    ),
    "flagged": ("报警", "flagged"),
    "n_quarters": ("季度数", "Quarters"),
    "county_total": ("全县上报数合计", "county total of submitted counts"),
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


def check_language(language: str) -> str:
    """Raise unless ``language`` is ``'zh'`` or ``'en'``; return it.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    check_option("language", language, LANGUAGES, "check_language")
    return language


def label(key: str, language: str = "zh") -> str:
    """Return the label of ``key`` in ``language`` (the key itself if unknown).

    Examples
    --------
    >>> label("index", "zh"), label("index", "en")
    ('平安指数', 'Safety index')
    """
    check_language(language)
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if language == "zh" else pair[1]
