"""Shared plumbing of the detectors: tidy input to a series x quarter matrix and back.

Every detector accepts either a ``pandas.Series`` indexed by quarterly Periods
or a tidy panel with a ``quarter`` column, a value column and key columns. The
panel is turned into a 2-D float array (one row per series, one column per
calendar quarter from the first to the last quarter in the data, NaN where a
quarter is missing), so that a missing quarter is a gap in time and never
shifts the positions of the later quarters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_numeric
from pingan.exceptions import PinganError
from pingan.periods import parse_quarter

REASON_ALL_MISSING = "all values missing"
REASON_TOO_SHORT = "too short"
REASON_CONSTANT = "constant series"
REASON_MISSING = "missing value"
REASON_NO_BASELINE = "baseline too short"

SERIES_COLUMNS = [
    "method",
    "n",
    "statistic",
    "p_value",
    "threshold",
    "is_anomaly",
    "reason",
]
QUARTER_COLUMNS = [
    "quarter",
    "value",
    "method",
    "statistic",
    "p_value",
    "threshold",
    "is_anomaly",
    "reason",
]


@dataclass(frozen=True)
class Panel:
    """Series of one panel as a matrix on a common quarterly grid.

    Attributes
    ----------
    keys : pandas.DataFrame
        One row per series with the key columns, in matrix row order.
    by : list of str
        Names of the key columns.
    quarters : pandas.PeriodIndex
        Every calendar quarter from the first to the last in the data.
    values : numpy.ndarray
        Shape ``(n_series, n_quarters)``, float, NaN for a missing quarter.
    span : numpy.ndarray
        Boolean, same shape: True from a series' first to its last input row.
    """

    keys: pd.DataFrame
    by: list[str]
    quarters: pd.PeriodIndex
    values: np.ndarray
    span: np.ndarray

    @property
    def n_series(self) -> int:
        """Number of series."""
        return self.values.shape[0]


def _as_frame(data: pd.Series | pd.DataFrame, value: str, func: str) -> pd.DataFrame:
    """Turn a Series indexed by quarterly Periods into a one-series tidy frame."""
    if isinstance(data, pd.DataFrame):
        return data
    if not isinstance(data, pd.Series):
        raise TypeError(
            f"{func}: data must be a pandas Series or DataFrame; got {type(data)}."
        )
    if not isinstance(data.index, pd.PeriodIndex):
        raise PinganError(
            f"{func}: a Series must be indexed by quarterly Periods "
            "(pandas.PeriodIndex with freq 'Q'); convert it with "
            "pandas.PeriodIndex(labels, freq='Q')."
        )
    return pd.DataFrame({"quarter": data.index, value: data.to_numpy(dtype=float)})


def _quarter_ordinals(quarter: pd.Series, func: str) -> np.ndarray:
    """Return the Period ordinals of a quarter column, parsing text labels."""
    if isinstance(quarter.dtype, pd.PeriodDtype):
        if quarter.dtype.freq.freqstr not in ("Q-DEC", "QE-DEC", "Q"):
            raise PinganError(
                f"{func}: the quarter column must contain calendar quarters; "
                f"got Periods of frequency {quarter.dtype.freq.freqstr!r}."
            )
        return pd.PeriodIndex(quarter).asi8
    labels = pd.unique(quarter)
    parsed = {label: parse_quarter(label).ordinal for label in labels}
    return quarter.map(parsed).to_numpy(dtype=np.int64)


def resolve_by(data: pd.DataFrame, value: str, by: Sequence[str] | None) -> list[str]:
    """Return the key columns: ``by`` if given, else every other column."""
    if by is not None:
        return [by] if isinstance(by, str) else list(by)
    return [c for c in data.columns if c not in ("quarter", value)]


def _factorize_keys(frame: pd.DataFrame, keys: list[str]):
    """Return an integer code per row and the distinct keys, sorted as groupby sorts."""
    if not keys:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=[0])
    if len(keys) == 1:
        codes, uniques = pd.factorize(frame[keys[0]], sort=True, use_na_sentinel=False)
        return codes, pd.DataFrame({keys[0]: uniques})
    index = pd.MultiIndex.from_frame(frame[keys])
    codes, uniques = index.factorize(sort=True, use_na_sentinel=False)
    return codes, uniques.to_frame(index=False, name=keys)


def to_panel(
    data: pd.Series | pd.DataFrame,
    value: str,
    by: Sequence[str] | None,
    func: str,
) -> Panel:
    """Check a Series or tidy panel and return it as a :class:`Panel`."""
    frame = _as_frame(data, value, func)
    keys = resolve_by(frame, value, by)
    check_columns(frame, ["quarter", value, *keys], func)
    check_numeric(frame, [value], func)
    if frame.empty:
        raise PinganError(f"{func}: data has no rows; pass at least one series.")
    ordinals = _quarter_ordinals(frame["quarter"], func)
    codes, key_frame = _factorize_keys(frame, keys)
    first = int(ordinals.min())
    position = ordinals - first
    n_quarters = int(position.max()) + 1
    flat = codes * n_quarters + position
    if np.bincount(flat).max() > 1:
        raise PinganError(
            f"{func}: each series must have at most one row per quarter; "
            f"aggregate duplicated {', '.join([*keys, 'quarter'])} rows first."
        )
    values = np.full((len(key_frame), n_quarters), np.nan)
    values.flat[flat] = frame[value].to_numpy(dtype=float)
    return Panel(
        keys=key_frame.reset_index(drop=True),
        by=keys,
        quarters=pd.period_range(
            pd.Period(ordinal=first, freq="Q"), periods=n_quarters, freq="Q"
        ),
        values=values,
        span=_span(codes, position, len(key_frame), n_quarters),
    )


def _span(codes: np.ndarray, position: np.ndarray, n_series: int, n_q: int):
    """Return the mask of quarters between each series' first and last row."""
    low = np.full(n_series, n_q)
    high = np.full(n_series, -1)
    np.minimum.at(low, codes, position)
    np.maximum.at(high, codes, position)
    grid = np.arange(n_q)
    return (grid >= low[:, None]) & (grid <= high[:, None])


def series_frame(
    panel: Panel, method: str, columns: dict[str, np.ndarray], extra: Sequence[str]
) -> pd.DataFrame:
    """Assemble one row per series: keys, the common columns, then ``extra``."""
    out = panel.keys.copy()
    out["method"] = method
    for name in [*SERIES_COLUMNS[1:], *extra]:
        out[name] = columns[name]
    out["is_anomaly"] = out["is_anomaly"].astype(bool)
    out["n"] = out["n"].astype(np.int64)
    return out


def quarter_frame(
    panel: Panel, method: str, columns: dict[str, np.ndarray], extra: Sequence[str]
) -> pd.DataFrame:
    """Assemble one row per series and quarter within each series' span."""
    rows, cols = np.nonzero(panel.span)
    out = panel.keys.iloc[rows].reset_index(drop=True)
    out["quarter"] = panel.quarters[cols]
    out["value"] = panel.values[rows, cols]
    out["method"] = method
    for name in [*QUARTER_COLUMNS[3:], *extra]:
        column = columns[name]
        out[name] = column[rows, cols] if np.ndim(column) == 2 else column
    out["is_anomaly"] = out["is_anomaly"].astype(bool)
    return out


def count_valid(values: np.ndarray) -> np.ndarray:
    """Return the number of non-missing values in each row."""
    return np.sum(~np.isnan(values), axis=1)


def series_reasons(values: np.ndarray, min_n: int) -> np.ndarray:
    """Return why a series-level test gives NaN (None where it does not)."""
    n = count_valid(values)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(values, axis=1, initial=-np.inf, where=~np.isnan(values))
        spread = spread - np.nanmin(
            values, axis=1, initial=np.inf, where=~np.isnan(values)
        )
    reason = np.full(len(values), None, dtype=object)
    reason[spread == 0] = REASON_CONSTANT
    reason[(n < min_n) & (n > 0)] = f"{REASON_TOO_SHORT} (fewer than {min_n} values)"
    reason[n == 0] = REASON_ALL_MISSING
    return reason


def positions(panel: Panel) -> np.ndarray:
    """Return the time index in quarters (0 = first grid quarter)."""
    return np.arange(len(panel.quarters), dtype=float)


def baseline_columns(
    panel: Panel, baseline: int | tuple[str, str], func: str
) -> np.ndarray:
    """Return the boolean mask of grid quarters in the in-control period.

    ``baseline`` is a number of quarters counted from the first quarter of the
    data, or a ``(first, last)`` pair of quarter labels, both included.
    """
    if isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        if baseline < 2:
            raise PinganError(
                f"{func}: baseline must be at least 2 quarters; got {baseline!r}."
            )
        return np.arange(len(panel.quarters)) < baseline
    if isinstance(baseline, (tuple, list)) and len(baseline) == 2:
        first, last = (parse_quarter(q, "baseline quarter") for q in baseline)
        return (panel.quarters >= first) & (panel.quarters <= last)
    raise PinganError(
        f"{func}: baseline must be a number of quarters or a (first, last) pair "
        f"of quarter labels such as ('2022Q1', '2023Q4'); got {baseline!r}."
    )


def moving_range_sigma(values: np.ndarray) -> np.ndarray:
    """Return ``mean |y_t - y_{t-1}| / 1.128`` per row over adjacent quarters.

    The average moving range divided by d2 = 1.128 (the bias constant for
    ranges of two values) estimates the standard deviation of individual
    values, as in a Shewhart chart for individuals. A trend or a step
    inflates it less than the sample standard deviation.
    """
    ranges = np.abs(np.diff(values, axis=1))
    count = np.sum(~np.isnan(ranges), axis=1)
    total = np.nansum(ranges, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count / 1.128, np.nan)


def quarter_labels(panel: Panel, mask: np.ndarray) -> tuple[object, object]:
    """Return the first and last quarter where ``mask`` is True (NaT if none)."""
    chosen = panel.quarters[mask]
    if len(chosen) == 0:
        return pd.NaT, pd.NaT
    return chosen[0], chosen[-1]
