"""The findings table shared by every data-quality check.

A finding is one problem found in the submitted data. It records the rule
that found it, its severity and its deduction type on the negative list. It
locates the value by quarter, area, indicator, department, file and row, lists
the history or related values the rule compared it with, and gives the reason
in a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

FINDING_COLUMNS: dict[str, str] = {
    "finding_id": "str",
    "rule": "str",
    "check": "str",
    "severity": "str",
    "deduction_type": "str",
    "quarter": "period[Q-DEC]",
    "area_code": "str",
    "indicator": "str",
    "department": "str",
    "value": "float64",
    "source_file": "str",
    "source_row": "Int64",
    "history": "str",
    "n_items": "int64",
    "reason": "str",
}

SEVERITIES = ("error", "warning")
DEDUCTION_TYPES = ("falsified", "concealed", "omitted", "late", "implausible")


def empty_findings() -> pd.DataFrame:
    """Return a findings table with no rows and the documented columns."""
    return pd.DataFrame(
        {name: pd.Series(dtype=dtype) for name, dtype in FINDING_COLUMNS.items()}
    )


def make_findings(records: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build a findings table from dicts, filling absent columns with NaN."""
    table = pd.DataFrame(list(records))
    if table.empty:
        return empty_findings()
    for name in FINDING_COLUMNS:
        if name not in table.columns:
            table[name] = 1 if name == "n_items" else np.nan
    table = table[list(FINDING_COLUMNS)]
    return _coerce(table)


def _coerce(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for name, dtype in FINDING_COLUMNS.items():
        if name == "quarter":
            out[name] = _to_period(out[name])
        elif name == "n_items":
            out[name] = out[name].fillna(1).astype(dtype)
        elif dtype == "str":
            out[name] = out[name].astype("str").where(out[name].notna())
        else:
            out[name] = out[name].astype(dtype)
    return out


def _to_period(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.PeriodDtype):
        return column
    return pd.Series(
        [pd.Period(q, freq="Q-DEC") if pd.notna(q) else pd.NaT for q in column],
        index=column.index,
        dtype="period[Q-DEC]",
    )


def concat_findings(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stack findings tables and number them ``F0001``, ``F0002``, ... in order."""
    parts = [t for t in tables if len(t)]
    if not parts:
        return empty_findings()
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(
        ["quarter", "department", "check", "rule", "indicator", "area_code"],
        kind="stable",
        na_position="last",
        ignore_index=True,
    )
    table["finding_id"] = [f"F{i + 1:04d}" for i in range(len(table))]
    return _coerce(table)


def format_history(quarters: Iterable[pd.Period], values: Iterable[float]) -> str:
    """Write a short history such as ``2024Q1=12; 2024Q2=13``."""
    return "; ".join(
        f"{q.year}Q{q.quarter}={_format_number(v)}"
        for q, v in zip(quarters, values, strict=True)
    )


def _format_number(value: float) -> str:
    if pd.isna(value):
        return "NA"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"
