"""Department file forms of the synthetic Xundian example, and planted problems.

Each department keeps one form (encoding, layout, headers, area written by
code or by name), as real departments reuse their own templates. The police
anti-fraud centre switches from a GBK CSV to an XLSX with a title row in 2025.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

#: Chinese numerals of the quarters, used in XLSX title rows.
QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class FileForm:
    """File form of one department: format, layout, headers and area labels."""

    suffix: str  # ".csv" or ".xlsx"
    layout: str  # "long" or "wide"
    area_by: str  # "code", "name" or "spaced_name" (U+3000 before the suffix)
    area_header: str
    headers: tuple[str, str] = ("indicator", "value")  # long layout only
    columns_by: str = "id"  # wide layout: indicator columns headed by "id"/"name"
    encoding: str = "utf-8"
    lineterminator: str = "\n"
    title: str | None = None  # XLSX title row, formatted with year and quarter
    extra: tuple[str, ...] = ()  # long layout: "quarter", "department", "submitted_at"


FORMS: dict[str, FileForm] = {
    "police_110": FileForm(".csv", "long", "code", "area"),
    "police_fraud": FileForm(
        ".csv", "wide", "name", "乡镇(街道)", encoding="gbk", lineterminator="\r\n"
    ),
    "police_order": FileForm(".xlsx", "long", "name", "乡镇", ("指标代码", "数值")),
    "police_security": FileForm(
        ".csv", "long", "code", "区划代码", ("指标", "数值"), encoding="utf-8-sig"
    ),
    "court": FileForm(
        ".csv",
        "wide",
        "name",
        "乡镇街道",
        columns_by="name",
        encoding="gbk",
        lineterminator="\r\n",
    ),
    "petitions": FileForm(
        ".xlsx", "wide", "name", "乡镇", title="寻甸县信访局{year}年第{q}季度信访数据"
    ),
    "emergency": FileForm(
        ".csv", "long", "code", "area", extra=("quarter", "department")
    ),
    "justice": FileForm(".csv", "wide", "name", "乡镇(街道)", encoding="utf-8-sig"),
    "hotline_12345": FileForm(".csv", "long", "code", "area", extra=("submitted_at",)),
    "health": FileForm(
        ".csv",
        "long",
        "spaced_name",
        "乡镇",
        ("指标", "数值"),
        encoding="gbk",
        lineterminator="\r\n",
    ),
    "united_front": FileForm(
        ".xlsx",
        "long",
        "name",
        "单位",
        ("指标编号", "值"),
        title="县委统战部{year}年第{q}季度涉政治安全案(事)件报送表",
    ),
    "township": FileForm(".csv", "wide", "name", "地区", columns_by="name"),
}

#: From 2025 the anti-fraud centre sends an XLSX export with a title row.
FRAUD_FORM_2025 = replace(
    FORMS["police_fraud"],
    suffix=".xlsx",
    encoding="utf-8",
    lineterminator="\n",
    title="寻甸县公安局{year}年第{q}季度电诈数据",
)


def file_form(department: str, quarter: pd.Period) -> FileForm:
    """Return the form a department uses in a quarter."""
    if department == "police_fraud" and quarter.year >= 2025:
        return FRAUD_FORM_2025
    return FORMS[department]


def spaced_name(name: str) -> str:
    r"""Insert a full-width space before the 街道/镇/乡 suffix: 仁德　街道.

    Examples
    --------
    >>> spaced_name("功山镇")
    '功山\u3000镇'
    """
    for suffix in ("街道", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + "\u3000" + suffix
    return name


#: Planted problems: quarter, department, area code, indicator, kind, rule.
PLANTED = [
    ("2023Q3", "court", "530129104", "DI02", "times_10000", "unit_error"),
    ("2024Q2", "emergency", "530129209", "PU01", "negative", "negative_value"),
    ("2024Q4", "police_110", "530129003", "SO02", "duplicate", "duplicate_identical"),
    ("2025Q1", "township", "530129001", "PU04", "alias", "area_alias"),
    ("2025Q3", "court", "", "", "late", "late_submission"),
]

#: Receipt time of the late file (the deadline is 2025-10-10 end of day).
LATE_RECEIPT = "2025-10-17T10:05:00"
