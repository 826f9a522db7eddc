"""Value checks on the tidy submissions table.

The checks find impossible values, unit errors, implausible changes, repeated
values and drops to zero, and turn the reader's structural rejections into
findings.

Every check takes the tidy submissions table (columns ``quarter``,
``area_code``, ``indicator``, ``value``, ``department``, ``source_file``,
``source_row``) and returns a findings table (see :func:`empty_findings`). A
series is one area, indicator and department; its history is the values of the
same series in the quarters before the one checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval
from pingan.quality._findings import format_history, make_findings

__all__ = [
    "TIDY_COLUMNS",
    "check_impossible_values",
    "check_unit_errors",
    "check_implausible_changes",
    "check_repeated_values",
    "check_drops_to_zero",
    "structure_findings",
]

TIDY_COLUMNS = (
    "quarter",
    "area_code",
    "indicator",
    "value",
    "department",
    "source_file",
    "source_row",
)
_SERIES = ["area_code", "indicator", "department"]
_MAD_TO_SD = 1.4826  # MAD times this estimates the standard deviation (normal data)

# Severity and deduction type of the rules the reader applies when it rejects
# a row or a whole file, under the reader's own rule ids. All count as
# implausible (invalid) data. A value lost with its row or file is also
# counted as omitted by the submission schedule.
STRUCTURE_RULES: dict[str, tuple[str, str]] = {
    "unknown_area": ("error", "implausible"),
    "unknown_indicator": ("error", "implausible"),
    "duplicate_identical": ("warning", "implausible"),
    "duplicate_conflict": ("error", "implausible"),
    "not_a_number": ("error", "implausible"),
    "missing_value": ("error", "implausible"),
    "negative_value": ("error", "implausible"),
    "percent_out_of_range": ("error", "implausible"),
    "wrong_quarter": ("error", "implausible"),
    "empty_file": ("error", "implausible"),
    "missing_column": ("error", "implausible"),
    "unreadable_encoding": ("error", "implausible"),
    "unreadable_file": ("error", "implausible"),
    "unknown_department": ("error", "implausible"),
    # Raised by validate_quarter, not the reader, for a malformed _receipts.csv
    # and for a receipt row whose arrival time cannot be read.
    "unreadable_receipts": ("warning", "implausible"),
    "invalid_arrival_time": ("warning", "implausible"),
}


def _value_record(
    row: Mapping[str, object], rule: str, check: str, **fields: object
) -> dict:
    record = {name: row.get(name) for name in TIDY_COLUMNS}
    record.update(rule=rule, check=check, **fields)
    return record


def _iter_series(
    data: pd.DataFrame, window: int, quarters: Iterable[object] | None
) -> Iterator[tuple[dict, dict[str, np.ndarray]]]:
    """Yield each checked row (a dict) with its series' previous ``window`` quarters.

    The history is a dict of arrays ``quarter``, ``value`` and ``_ord`` (the
    quarter's ordinal), oldest first.
    """
    ordinals = pd.PeriodIndex(data["quarter"], freq="Q-DEC").asi8
    checked = np.ones(len(data), dtype=bool)
    if quarters is not None:
        selected = pd.PeriodIndex([pd.Period(q, freq="Q-DEC") for q in quarters])
        checked = np.isin(ordinals, selected.asi8)
    order = np.argsort(ordinals, kind="stable")
    ordered = data.iloc[order].reset_index(drop=True)
    columns = {name: ordered[name].to_numpy() for name in ordered.columns}
    columns["value"] = ordered["value"].to_numpy(dtype=float)
    columns["_ord"] = ordinals[order]
    checked = checked[order]
    for positions in ordered.groupby(_SERIES, sort=True).indices.values():
        if not checked[positions].any():
            continue
        history = {
            name: columns[name][positions] for name in ("quarter", "value", "_ord")
        }
        ords = history["_ord"]
        for position in np.flatnonzero(checked[positions]):
            row = {
                name: values[positions[position]] for name, values in columns.items()
            }
            before = (ords < ords[position]) & (ords >= ords[position] - window)
            yield row, {name: values[before] for name, values in history.items()}


#: Verdict of a rule on one value: None if the value passes, else the reason and
#: the history quoted in the finding (arrays ``quarter`` and ``value``).
Judgement = tuple[str, Mapping[str, np.ndarray]] | None


#: Check, severity and deduction type of the rules judged on a series' history.
SERIES_RULES: dict[str, tuple[str, str, str]] = {
    "unit_error": ("unit", "error", "implausible"),
    "implausible_change": ("implausible", "warning", "implausible"),
    "repeated_value": ("implausible", "warning", "implausible"),
    "drop_to_zero": ("implausible", "warning", "concealed"),
}


def _series_findings(
    data: pd.DataFrame,
    window: int,
    quarters: Iterable[object] | None,
    rule: str,
    judge: Callable[[dict, dict[str, np.ndarray]], Judgement],
) -> pd.DataFrame:
    """Judge each checked value against its series' history and list the flagged.

    ``judge`` gets each row and history from :func:`_iter_series`. Every value
    that it flags becomes a finding of ``rule``, with the check, severity and
    deduction type of ``SERIES_RULES``.
    """
    check, severity, deduction_type = SERIES_RULES[rule]
    records = []
    for row, past in _iter_series(data, window, quarters):
        judgement = judge(row, past)
        if judgement is None:
            continue
        reason, quoted = judgement
        records.append(
            _value_record(
                row,
                rule,
                check,
                severity=severity,
                deduction_type=deduction_type,
                history=format_history(quoted["quarter"], quoted["value"]),
                reason=reason,
            )
        )
    return make_findings(records)


def _mad_scale(history: np.ndarray, floor: float) -> float:
    median = np.median(history)
    mad = _MAD_TO_SD * np.median(np.abs(history - median))
    return max(mad, floor)


def _check_data(data: pd.DataFrame, func: str) -> None:
    check_columns(data, TIDY_COLUMNS, func)


def check_impossible_values(
    data: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """Find impossible values: negative counts or amounts, percents outside 0-100.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    catalogue : pandas.DataFrame
        Indicator catalogue with columns ``indicator`` and ``value_type``
        (``count``, ``amount``, ``percent`` or ``ratio``).

    Returns
    -------
    pandas.DataFrame
        Findings table (columns as in :func:`empty_findings`). Rules:
        ``negative_value`` (a count or amount below zero, for example a loss
        below zero) and ``percent_out_of_range`` (a percent below 0 or above
        100). Severity ``error``, deduction type ``implausible``.

    Raises
    ------
    PinganError
        If ``data`` or ``catalogue`` lacks a required column.

    Notes
    -----
    The reader already rejects such rows when it reads the files, with the
    same rule ids; this check catches them in tidy tables built otherwise.
    Indicators absent from the catalogue are not checked here.

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 2, freq="Q"),
    ...     "area_code": ["01", "02"], "indicator": ["A", "P"],
    ...     "value": [-3.0, 120.0], "department": ["police"] * 2,
    ...     "source_file": ["2025Q1/police.csv"] * 2, "source_row": [2, 3]})
    >>> catalogue = pd.DataFrame({"indicator": ["A", "P"],
    ...     "value_type": ["count", "percent"]})
    >>> check_impossible_values(data, catalogue)["rule"].tolist()
    ['negative_value', 'percent_out_of_range']
    """
    _check_data(data, "check_impossible_values")
    check_columns(
        catalogue, ["indicator", "value_type"], "check_impossible_values", "catalogue"
    )
    data = data.reset_index(drop=True)
    types = data["indicator"].map(catalogue.set_index("indicator")["value_type"])
    negative = types.isin(["count", "amount"]) & (data["value"] < 0)
    percent = types.eq("percent") & ((data["value"] < 0) | (data["value"] > 100))
    records = []
    for index in data.index[negative | percent]:
        row = data.loc[index]
        if negative[index]:
            rule = "negative_value"
            reason = (
                f"{row['indicator']} is a {types[index]} and cannot be negative; "
                f"got {row['value']:g}."
            )
        else:
            rule = "percent_out_of_range"
            reason = (
                f"{row['indicator']} is a percent and must lie in [0, 100]; "
                f"got {row['value']:g}."
            )
        records.append(
            _value_record(
                row,
                rule,
                "impossible",
                severity="error",
                deduction_type="implausible",
                reason=reason,
            )
        )
    return make_findings(records)


def _unit_factor(
    value: float,
    history: np.ndarray,
    factors: Sequence[float],
    tolerance: float,
    min_level: float,
) -> tuple[float, float] | None:
    """Return ``(factor, log10 ratio)`` if ``value`` is off its history by a factor."""
    if value <= 0:
        return None
    logs = np.log10(history[history > 0])
    centre = np.median(logs)
    ratio = np.log10(value) - centre
    spread = _MAD_TO_SD * np.median(np.abs(logs - centre))
    for factor in sorted(factors):
        power = np.log10(factor)
        if abs(abs(ratio) - power) > tolerance or spread > power / 4:
            continue
        if power < 1.5 and 10**centre < min_level:
            continue
        return factor, ratio
    return None


def check_unit_errors(
    data: pd.DataFrame,
    factors: Sequence[float] = (10, 100, 10_000),
    tolerance: float = 0.15,
    min_history: int = 4,
    window: int = 8,
    min_level: float = 10.0,
    quarters: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Find values off their series' history by a factor near 10, 100 or 10,000.

    Such a jump is the mark of a unit error, for example a loss written in
    yuan (元) where the catalogue requires ten-thousand yuan (万元).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    factors : sequence of float, default=(10, 100, 10000)
        Factors tested, smallest first.
    tolerance : float, default=0.15
        Maximum distance, in log10 units, between ``|log10 ratio|`` and
        ``log10(factor)``; 0.15 accepts ratios within a factor 1.41 of it.
    min_history : int, default=4
        Positive history values needed before a value is checked.
    window : int, default=8
        History length in quarters.
    min_level : float, default=10.0
        A factor below 100 is only tested when the history median is at
        least this (in the value's unit): a count moving from 1 to 10 is no
        evidence of a unit error.
    quarters : iterable of quarter labels or Periods, optional
        Check only values of these quarters (the history still uses all).

    Returns
    -------
    pandas.DataFrame
        Findings table, rule ``unit_error``, severity ``error``, deduction type
        ``implausible``; ``history`` lists the values used.

    Raises
    ------
    PinganError
        If ``data`` lacks a tidy column or ``tolerance`` is not in (0, 0.5].

    Notes
    -----
    With ``r = log10(value) - median(log10(history))`` a value is flagged when
    ``| |r| - log10(factor) | <= tolerance`` for a tested factor, and the
    history itself is steady: its scaled MAD of log10 values is at most a
    quarter of ``log10(factor)``. The median keeps one earlier unit error in
    the history from hiding the next. Zeros and negative values are left to
    the other checks.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41.0, 38.0, 36.0, 392000.0], "department": "police",
    ...     "source_file": "f.csv", "source_row": 2})
    >>> check_unit_errors(data)[["quarter", "rule"]]
      quarter       rule
    0  2025Q1  unit_error
    """
    _check_data(data, "check_unit_errors")
    check_interval("tolerance", tolerance, "check_unit_errors", 0, 0.5, "right")

    def judge(row: dict, past: dict[str, np.ndarray]) -> Judgement:
        history = past["value"]
        if (history > 0).sum() < min_history or pd.isna(row["value"]):
            return None
        found = _unit_factor(row["value"], history, factors, tolerance, min_level)
        if found is None:
            return None
        factor, ratio = found
        direction = "larger" if ratio > 0 else "smaller"
        reason = (
            f"{row['value']:g} is about {factor:g} times {direction} than the series' "
            f"median of {np.median(history):g} (log10 ratio {ratio:.2f}); it looks "
            f"like a value in the wrong unit."
        )
        return reason, past

    return _series_findings(data, window, quarters, "unit_error", judge)


def _scale_floor(history: np.ndarray, value: float) -> float:
    """Smallest robust scale: 10 % of the level, or Poisson noise for counts."""
    median = abs(float(np.median(history)))
    floor = 0.1 * median
    values = np.append(history, value)
    if np.all(np.isclose(values, np.round(values))):
        floor = max(floor, np.sqrt(max(median, 1.0)))
    return floor


def _change_scores(value: float, history: np.ndarray) -> tuple[float, float]:
    """Return the robust change score and level score of ``value`` (see Notes)."""
    floor = _scale_floor(history, value)
    diffs = np.diff(history)
    change = (value - history[-1] - np.median(diffs)) / _mad_scale(diffs, floor)
    level = (value - np.median(history)) / _mad_scale(history, floor)
    return change, level


def _county_factors(
    data: pd.DataFrame,
    window: int,
    quarters: Iterable[object] | None,
    min_history: int,
    min_areas: int = 5,
) -> dict[tuple, float]:
    """Map (quarter, indicator, department) to the areas' median of v / median(h)."""
    ratios: dict[tuple, list[float]] = {}
    for row, past in _iter_series(data, window, quarters):
        history = past["value"][~np.isnan(past["value"])]
        if len(history) < min_history or np.median(history) <= 0:
            continue
        key = (row["quarter"], row["indicator"], row["department"])
        ratios.setdefault(key, []).append(row["value"] / np.median(history))
    return {
        key: float(np.median(values))
        for key, values in ratios.items()
        if len(values) >= min_areas
    }


def check_implausible_changes(
    data: pd.DataFrame,
    threshold: float = 5.0,
    min_history: int = 6,
    window: int = 12,
    county_adjusted: bool = False,
    quarters: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Find changes far outside a series' own history (robust median/MAD score).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    threshold : float, default=5.0
        Robust score above which a change is implausible.
    min_history : int, default=6
        History values needed before a value is checked.
    window : int, default=12
        History length in quarters.
    county_adjusted : bool, default=False
        Scale each series' history by the county-wide movement of the same
        indicator and department that quarter before scoring, so that a
        change every area shares (a lockdown, a new recording rule) is not
        flagged.
    quarters : iterable of quarter labels or Periods, optional
        Check only values of these quarters.

    Returns
    -------
    pandas.DataFrame
        Findings table, rule ``implausible_change``, severity ``warning``,
        deduction type ``implausible``.

    Raises
    ------
    PinganError
        If ``data`` lacks a tidy column or ``threshold`` is not positive.

    Notes
    -----
    With history ``h`` (the previous ``window`` quarters), previous value
    ``p`` and value ``v``, the change score is
    ``(v - p - median(diff(h))) / s_d`` and the level score is
    ``(v - median(h)) / s_h``, where ``s = max(1.4826 * MAD, floor)``. The
    floor is 10 % of ``|median(h)|``, raised to ``sqrt(max(median(h), 1))``
    (the Poisson standard deviation) when every value is a whole number. A value
    is flagged when both scores exceed ``threshold`` in absolute value, so
    the quarter after a spike, which falls back to the usual level, is not
    flagged. The floor keeps a constant history from turning every small
    change into an infinite score.

    With ``county_adjusted``, ``h`` is multiplied by the county factor: the
    median over areas of ``v / median(h)`` for the same quarter, indicator
    and department. With fewer than 5 areas the factor is 1. The option
    hides a shift that a department applies to every area at once, such as
    under-reporting in all townships, so it is off by default.

    Examples
    --------
    >>> q = pd.period_range("2023Q1", "2025Q1", freq="Q")
    >>> values = [20.0, 22, 19, 21, 20, 23, 21, 20, 95]
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "PO01",
    ...     "value": values, "department": "police", "source_file": "f.csv",
    ...     "source_row": 2})
    >>> check_implausible_changes(data)["quarter"].astype(str).tolist()
    ['2025Q1']
    """
    _check_data(data, "check_implausible_changes")
    check_interval(
        "threshold", threshold, "check_implausible_changes", 0, np.inf, "neither"
    )
    factors = {}
    if county_adjusted:
        factors = _county_factors(data, window, quarters, min_history)

    def judge(row: dict, past: dict[str, np.ndarray]) -> Judgement:
        history = past["value"][~np.isnan(past["value"])]
        value = row["value"]
        if len(history) < min_history or pd.isna(value):
            return None
        factor = factors.get((row["quarter"], row["indicator"], row["department"]), 1)
        change, level = _change_scores(value, history * factor)
        if abs(change) < threshold or abs(level) < threshold:
            return None
        reason = (
            f"The change from {history[-1]:g} to {value:g} has a robust score of "
            f"{change:.1f} against the series' past changes, and the value a score "
            f"of {level:.1f} against its median {np.median(history):g} "
            f"(threshold {threshold:g})."
        )
        if factor != 1:
            expected = np.median(history) * factor
            reason += (
                f" The scores use the history scaled by the county factor "
                f"{factor:.2f}, which puts the expected value near {expected:.4g}."
            )
        return reason, past

    return _series_findings(data, window, quarters, "implausible_change", judge)


def _consecutive(
    past: dict[str, np.ndarray], row: dict, length: int
) -> dict[str, np.ndarray] | None:
    """Return the history of the ``length`` quarters just before ``row``, or None."""
    keep = past["_ord"] >= row["_ord"] - length
    recent = {name: values[keep] for name, values in past.items()}
    if len(recent["_ord"]) != length or len(np.unique(recent["_ord"])) != length:
        return None
    return recent


def check_repeated_values(
    data: pd.DataFrame,
    min_run: int = 4,
    min_value: float = 10.0,
    quarters: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Find non-zero values repeated unchanged for ``min_run`` or more quarters.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    min_run : int, default=4
        Length of a run of identical non-zero values, in consecutive quarters,
        that is flagged. The value that completes the run and every later one
        in it are flagged.
    min_value : float, default=10.0
        Smallest absolute value checked. Small counts repeat by chance: a
        Poisson count with mean 1 is the same four quarters running in about
        4 % of windows.
    quarters : iterable of quarter labels or Periods, optional
        Check only values of these quarters.

    Returns
    -------
    pandas.DataFrame
        Findings table, rule ``repeated_value``, severity ``warning``,
        deduction type ``implausible``; ``history`` lists the run.

    Raises
    ------
    PinganError
        If ``data`` lacks a tidy column or ``min_run`` is below 2.

    Notes
    -----
    A value copied forward from an earlier report is a common way of filling
    a form without collecting the data. Even at ``min_value`` a count can
    repeat by chance (four equal quarters of a Poisson count with mean 10
    happen in about 0.1 % of windows), so a finding is a reason to ask, not
    proof. Zeros are never flagged because many indicators are zero most
    quarters.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "DP01",
    ...     "value": [7.0, 12, 12, 12, 12], "department": "justice",
    ...     "source_file": "f.csv", "source_row": 2})
    >>> check_repeated_values(data)["quarter"].astype(str).tolist()
    ['2025Q1']
    """
    _check_data(data, "check_repeated_values")
    check_interval("min_run", min_run, "check_repeated_values", 2, np.inf)

    def judge(row: dict, past: dict[str, np.ndarray]) -> Judgement:
        value = row["value"]
        if pd.isna(value) or value == 0 or abs(value) < min_value:
            return None
        recent = _consecutive(past, row, min_run - 1)
        if recent is None or not np.all(recent["value"] == value):
            return None
        reason = (
            f"The value {value:g} is the same in {min_run} consecutive quarters; "
            f"it may have been copied from an earlier report."
        )
        return reason, recent

    return _series_findings(data, min_run - 1, quarters, "repeated_value", judge)


def check_drops_to_zero(
    data: pd.DataFrame,
    min_history: int = 4,
    min_median: float = 5.0,
    quarters: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Find sudden drops to zero after a non-zero history (possible concealment, 瞒报).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    min_history : int, default=4
        Consecutive non-zero quarters needed just before the zero.
    min_median : float, default=5.0
        Minimum median of those quarters. Below it a zero is ordinary: a
        Poisson count with mean 5 is zero in 0.7 % of quarters.
    quarters : iterable of quarter labels or Periods, optional
        Check only values of these quarters.

    Returns
    -------
    pandas.DataFrame
        Findings table, rule ``drop_to_zero``, severity ``warning``, deduction
        type ``concealed``.

    Raises
    ------
    PinganError
        If ``data`` lacks a tidy column.

    Notes
    -----
    A zero is flagged when the ``min_history`` quarters just before it are
    all present and above zero and their median is at least ``min_median``.
    A real fall to zero (a problem solved) looks the same, so the finding
    requests that the department confirm the value.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO04",
    ...     "value": [14.0, 11, 16, 12, 0], "department": "police",
    ...     "source_file": "f.csv", "source_row": 2})
    >>> check_drops_to_zero(data)["rule"].tolist()
    ['drop_to_zero']
    """
    _check_data(data, "check_drops_to_zero")

    def judge(row: dict, past: dict[str, np.ndarray]) -> Judgement:
        if row["value"] != 0:
            return None
        recent = _consecutive(past, row, min_history)
        if recent is None or not (recent["value"] > 0).all():
            return None
        median = float(np.median(recent["value"]))
        if median < min_median:
            return None
        reason = (
            f"The value fell to 0 after {min_history} quarters with a median of "
            f"{median:g}; a drop to zero can hide cases that were not reported."
        )
        return reason, recent

    return _series_findings(data, min_history, quarters, "drop_to_zero", judge)


def _department_of(source_file: object, departments: Iterable[str]) -> object:
    """Return the department whose id is the file's stem, else NaN."""
    if not isinstance(source_file, str):
        return np.nan
    stem = PurePosixPath(source_file.replace("\\", "/")).stem
    return stem if stem in set(departments) else np.nan


def _quarter_of(source_file: object) -> object:
    """Return the quarter of a file from its folder name ``YYYYQn``, else NaN."""
    if not isinstance(source_file, str):
        return np.nan
    for part in PurePosixPath(source_file.replace("\\", "/")).parts:
        if re.fullmatch(r"\d{4}Q[1-4]", part):
            return pd.Period(part, freq="Q-DEC")
    return np.nan


def _structure_record(row: pd.Series, departments: Sequence[str]) -> dict:
    rule = str(row["rule"])
    severity, deduction = STRUCTURE_RULES.get(rule, ("error", "implausible"))
    department = row.get("department")
    if not isinstance(department, str):
        department = _department_of(row.get("source_file"), departments)
    elif departments and department not in departments:
        department = np.nan  # an unknown sender is listed but scored against no one
    quarter = row.get("quarter")
    if quarter is None or (not isinstance(quarter, pd.Period) and pd.isna(quarter)):
        quarter = _quarter_of(row.get("source_file"))
    reason = str(row["reason"])
    written = row.get("value")
    if row.get("column") is not None and pd.notna(row.get("column")):
        reason = f"{reason} (column {row['column']!r}, value {written!r} as written)"
    return {
        "rule": rule,
        "check": "structure",
        "severity": severity,
        "deduction_type": deduction,
        "quarter": quarter,
        "department": department,
        "area_code": row.get("area_code"),
        "indicator": row.get("indicator"),
        "value": pd.to_numeric(pd.Series([written]), errors="coerce").iloc[0],
        "source_file": row.get("source_file"),
        "source_row": row.get("source_row"),
        "reason": reason,
    }


def structure_findings(
    rejected: pd.DataFrame | None = None,
    problems: pd.DataFrame | None = None,
    departments: Sequence[str] = (),
) -> pd.DataFrame:
    """Turn the reader's rejected rows and file problems into findings.

    Parameters
    ----------
    rejected : pandas.DataFrame, optional
        Rejected rows (``ReadResult.rejected``): ``quarter``, ``department``,
        ``source_file``, ``source_row``, ``column``, ``value``, ``rule``,
        ``reason``.
    problems : pandas.DataFrame, optional
        File-level problems (``ReadResult.problems``): ``source_file``,
        ``rule``, ``reason``.
    departments : sequence of str, default=()
        Department ids. A problem without a department is attributed to the
        department whose id is the file's stem. When ids are given, a
        department outside them is dropped, so the finding counts against no
        department.

    Returns
    -------
    pandas.DataFrame
        Findings table with ``check`` = ``structure`` and the reader's rule ids
        kept (``unknown_area``, ``duplicate_conflict``, ``empty_file``, ...);
        severity and deduction type come from ``STRUCTURE_RULES`` (unknown rule
        ids count as ``error`` / ``implausible``). ``value`` is the written
        value when it is a number, else NaN; the reason quotes it as written.

    Raises
    ------
    PinganError
        If a table lacks ``source_file``, ``rule`` or ``reason``.

    Notes
    -----
    The problems are not detected again here: the reader is the one place
    that decides whether a row is accepted.

    Examples
    --------
    >>> rejected = pd.DataFrame({"quarter": [pd.Period("2025Q1", "Q")],
    ...     "department": ["police"], "source_file": ["2025Q1/police.csv"],
    ...     "source_row": [4], "column": ["area"], "value": ["Atlantis"],
    ...     "rule": ["unknown_area"], "reason": ["Unknown area 'Atlantis'."]})
    >>> structure_findings(rejected)[["rule", "severity", "source_row"]]
               rule severity  source_row
    0  unknown_area    error           4
    """
    records = []
    for name, table in (("rejected", rejected), ("problems", problems)):
        if table is None or table.empty:
            continue
        check_columns(
            table, ["source_file", "rule", "reason"], "structure_findings", name
        )
        records += [_structure_record(row, departments) for _, row in table.iterrows()]
    return make_findings(records)
