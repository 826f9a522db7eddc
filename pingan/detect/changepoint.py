"""Change points: Pettitt's test, the tabular CUSUM and penalised segmentation."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import ruptures

from pingan._validation import check_interval, check_option
from pingan.detect._panel import (
    REASON_MISSING,
    REASON_NO_BASELINE,
    baseline_columns,
    count_valid,
    moving_range_sigma,
    quarter_frame,
    quarter_labels,
    series_frame,
    series_reasons,
    to_panel,
)

__all__ = ["pettitt", "cusum", "segment"]


def pettitt(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    alpha: float = 0.05,
    min_n: int = 4,
) -> pd.DataFrame:
    """Locate one change in level per series with Pettitt's rank test.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel with
        ``quarter``, ``value`` and key columns.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    alpha : float, default=0.05
        Significance level of ``is_anomaly``.
    min_n : int, default=4
        Minimum number of non-missing quarters tested.

    Returns
    -------
    pandas.DataFrame
        One row per series: the key columns, then ``method`` (``"pettitt"``),
        ``n`` (int), ``statistic`` (float, K), ``p_value`` (float, the
        approximation below), ``threshold`` (``alpha``), ``is_anomaly``
        (bool, ``p_value < alpha``), ``reason``, and

        - ``change_quarter``: Period, first quarter of the new level;
        - ``mean_before``, ``mean_after``: float, means either side;
        - ``shift``: float, ``mean_after - mean_before`` in value units.

    Notes
    -----
    Pettitt (1979): ``U_t = sum_{i<=t} sum_{j>t} sign(y_j - y_i)`` over the
    non-missing values, ``K = max_t |U_t|`` and ``p = 2 exp(-6 K^2 / (n^3 +
    n^2))``, capped at 1. ``U_t`` is the cumulative sum of the row sums of
    the sign matrix, and it is positive for a rise. The p-value is
    Pettitt's large-sample approximation. Missing quarters are left
    out, and the change is placed at the first observed quarter after the
    maximum.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=8, freq="Q")
    >>> out = pettitt(pd.Series([1.0, 2, 1, 2, 6, 7, 6, 8], index=q))
    >>> out[["statistic", "change_quarter", "shift"]]
       statistic change_quarter  shift
    0       16.0         2023Q1   5.25
    """
    check_interval("alpha", alpha, "pettitt", 0, 1, "neither")
    panel = to_panel(data, value, by, "pettitt")
    values = panel.values
    valid = ~np.isnan(values)
    signs = np.sign(values[:, None, :] - values[:, :, None])
    u = np.cumsum(np.nan_to_num(signs).sum(axis=2), axis=1)
    u = np.where(valid, u, 0)
    last_valid = valid.shape[1] - 1 - np.argmax(valid[:, ::-1], axis=1)
    u[np.arange(len(u)), last_valid] = 0
    position = np.argmax(np.abs(u), axis=1)
    k = np.abs(u[np.arange(len(u)), position])
    n = count_valid(values).astype(float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        p = np.minimum(1.0, 2 * np.exp(-6 * k**2 / (n**3 + n**2)))
    columns = {"n": n, "statistic": k, "p_value": p}
    columns.update(_split_means(panel, position))
    _finish_series(columns, series_reasons(values, min_n), alpha)
    extra = ["change_quarter", "mean_before", "mean_after", "shift"]
    return series_frame(panel, "pettitt", columns, extra)


def _split_means(panel, position: np.ndarray) -> dict:
    """Return the change quarter and the means before and after ``position``."""
    values = panel.values
    grid = np.arange(values.shape[1])[None, :]
    before = np.where(grid <= position[:, None], values, np.nan)
    after = np.where(grid > position[:, None], values, np.nan)
    after_valid = ~np.isnan(after)
    has_after = after_valid.any(axis=1)
    first_after = np.argmax(after_valid, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_before = np.nanmean(before, axis=1)
        mean_after = np.nanmean(after, axis=1)
    change = pd.PeriodIndex(panel.quarters[first_after]).astype(object)
    change = np.where(has_after, change, pd.NaT)
    return {
        "change_quarter": change,
        "mean_before": mean_before,
        "mean_after": mean_after,
        "shift": mean_after - mean_before,
    }


def _finish_series(columns: dict, reason: np.ndarray, alpha: float) -> None:
    """Add threshold, decision and reason columns; blank rows with a reason."""
    bad = np.array([r is not None for r in reason])
    for name in ("statistic", "p_value", "mean_before", "mean_after", "shift"):
        if name in columns:
            columns[name] = np.where(bad, np.nan, columns[name])
    if "change_quarter" in columns:
        columns["change_quarter"] = np.where(bad, pd.NaT, columns["change_quarter"])
    columns["threshold"] = np.full(len(reason), alpha)
    columns["is_anomaly"] = np.nan_to_num(columns["p_value"], nan=1.0) < alpha
    columns["reason"] = reason


def cusum(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    baseline: int | tuple[str, str] = 8,
    k: float = 0.5,
    h: float = 4.0,
    side: Literal["upper", "lower", "both"] = "upper",
) -> pd.DataFrame:
    """Run a tabular CUSUM chart (Page 1954) on each series, flagging each quarter.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    baseline : int or (str, str), default=8
        In-control period that sets the target mean and sigma: the first
        ``baseline`` quarters of the data, or a ``(first, last)`` pair of
        quarter labels. Eight quarters give each quarter of the year twice.
    k : float, default=0.5
        Allowance (reference value) in sigma units; 0.5 tunes the chart to a
        shift of one sigma.
    h : float, default=4.0
        Decision interval in sigma units.
    side : {"upper", "lower", "both"}, default="upper"
        Which shifts to watch; ``"upper"`` watches rises.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter (every quarter from the series' first
        to its last row): the key columns, ``quarter``, ``value``, ``method``
        (``"cusum"``), ``statistic`` (float, the CUSUM in sigma units: the
        upper sum, the lower sum, or the larger of the two), ``p_value``
        (always NaN), ``threshold`` (``h``), ``is_anomaly`` (bool,
        ``statistic > h``), ``reason``, and ``center`` and ``sigma`` (float,
        in-control mean and sigma) and ``in_control_start``,
        ``in_control_end`` (Period).

    Notes
    -----
    With ``z_t = (y_t - mu_0) / sigma``: ``C+_t = max(0, C+_{t-1} + z_t -
    k)`` and ``C-_t = max(0, C-_{t-1} - z_t - k)``, both starting at 0
    (the tabular CUSUM of Page 1954 in standardised units).
    ``mu_0`` is the in-control mean and ``sigma`` the average moving range
    over 1.128. A missing quarter leaves the sums unchanged and gets a NaN
    statistic. The sums are not reset after an alarm. Seasonality is not
    removed: apply the chart to a deseasonalised series or a year-on-year
    change if the series is strongly seasonal.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=10, freq="Q")
    >>> y = pd.Series([10.0, 11, 9, 10, 11, 9, 10, 10, 14, 15], index=q)
    >>> cusum(y)["is_anomaly"].tolist()[-3:]
    [False, False, True]
    """
    check_option("side", side, ("upper", "lower", "both"), "cusum")
    check_interval("k", k, "cusum", 0)
    check_interval("h", h, "cusum", 0, closed="neither")
    panel = to_panel(data, value, by, "cusum")
    in_control = baseline_columns(panel, baseline, "cusum")
    z, center, sigma, reason = standardise(panel.values, in_control)
    upper, lower = _cusum_paths(z, k)
    statistic = {"upper": upper, "lower": lower, "both": np.fmax(upper, lower)}[side]
    columns = _flag_columns(panel, statistic, h, reason, center, sigma, in_control)
    extra = ["center", "sigma", "in_control_start", "in_control_end"]
    return quarter_frame(panel, "cusum", columns, extra)


def standardise(values: np.ndarray, in_control: np.ndarray):
    """Return z scores, in-control mean and sigma, and per-series NaN reasons."""
    reference = values[:, in_control]
    count = count_valid(reference)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        center = np.nanmean(reference, axis=1)
    sigma = moving_range_sigma(reference)
    reason = np.full(len(values), None, dtype=object)
    reason[~(sigma > 0)] = "no variation in the baseline"
    reason[count < 2] = REASON_NO_BASELINE
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values - center[:, None]) / sigma[:, None]
    z[np.array([r is not None for r in reason])] = np.nan
    return z, center, sigma, reason


def _cusum_paths(z: np.ndarray, k: float):
    """Return the upper and lower CUSUM paths; NaN where z is NaN."""
    upper = np.full(z.shape, np.nan)
    lower = np.full(z.shape, np.nan)
    high = np.zeros(len(z))
    low = np.zeros(len(z))
    for t in range(z.shape[1]):
        step = z[:, t]
        seen = ~np.isnan(step)
        high = np.where(seen, np.maximum(0, high + step - k), high)
        low = np.where(seen, np.maximum(0, low - step - k), low)
        upper[:, t] = np.where(seen, high, np.nan)
        lower[:, t] = np.where(seen, low, np.nan)
    return upper, lower


def _flag_columns(panel, statistic, threshold, reason, center, sigma, in_control):
    """Return the per-quarter columns shared by CUSUM and the control charts."""
    series_reason = np.broadcast_to(reason[:, None], statistic.shape)
    quarter_reason = np.where(
        np.isnan(panel.values) & (series_reason == None),  # noqa: E711
        REASON_MISSING,
        series_reason,
    )
    start, end = quarter_labels(panel, in_control)
    return {
        "statistic": statistic,
        "p_value": np.full(statistic.shape, np.nan),
        "threshold": threshold,
        "is_anomaly": np.nan_to_num(statistic, nan=-np.inf) > threshold,
        "reason": quarter_reason,
        "center": np.broadcast_to(center[:, None], statistic.shape),
        "sigma": np.broadcast_to(sigma[:, None], statistic.shape),
        "in_control_start": start,
        "in_control_end": end,
    }


def segment(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    algorithm: Literal["pelt", "binseg"] = "pelt",
    penalty: float | None = None,
    min_size: int = 2,
) -> pd.DataFrame:
    """Split each series into segments of constant mean (PELT or binary segmentation).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    algorithm : {"pelt", "binseg"}, default="pelt"
        ``ruptures.Pelt`` (exact optimum of the penalised cost) or
        ``ruptures.Binseg`` (greedy), both with the ``"l2"`` cost and
        ``jump=1`` so any quarter can start a segment.
    penalty : float, optional
        Cost added per change point, in squared value units. Default: the
        BIC-style ``2 sigma^2 log(n)`` per series, with ``sigma`` the average
        moving range over 1.128.
    min_size : int, default=2
        Minimum number of quarters in a segment.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter: the key columns, ``quarter``,
        ``value``, ``method`` (``"segment_pelt"`` or ``"segment_binseg"``),
        ``statistic`` (float, at the first quarter of a new segment the
        change of mean from the previous segment, NaN elsewhere),
        ``p_value`` (always NaN), ``threshold`` (float, the penalty used),
        ``is_anomaly`` (bool, True at the first quarter of each new segment),
        ``reason``, ``segment`` (int, 0 for the first segment) and
        ``segment_mean`` (float).

    Notes
    -----
    The l2 cost is the within-segment sum of squared deviations, so the
    penalty must scale with the variance: with known sigma, the Schwarz
    criterion charges ``2 log n`` (a new mean and a location) per change in
    units of ``sigma^2``. On 16 quarters this is about ``5.5 sigma^2``: a
    step of 2 sigma over the last 4 quarters lowers the cost by about ``12
    sigma^2`` and is usually found, while a single 3-sigma outlier inside a
    2-quarter segment lowers it by about ``4 sigma^2`` and is not.
    ``min_size=2`` lets a change be found two quarters before the end of
    the data, while ``min_size=1`` would turn every outlier into a segment.
    Missing quarters are dropped before fitting, so a segment can span a gap.
    A series with fewer than ``2 * min_size`` values gets NaN and a reason.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=12, freq="Q")
    >>> y = pd.Series([5.0, 6, 5, 4, 5, 6, 12, 13, 12, 11, 12, 13], index=q)
    >>> out = segment(y)
    >>> out.loc[out["is_anomaly"], ["quarter", "statistic"]]
      quarter  statistic
    6  2023Q3        7.0
    """
    check_option("algorithm", algorithm, ("pelt", "binseg"), "segment")
    if not isinstance(min_size, (int, np.integer)) or min_size < 1:
        check_option("min_size", min_size, ["a positive integer"], "segment")
    panel = to_panel(data, value, by, "segment")
    fits = [_segment_row(row, algorithm, penalty, min_size) for row in panel.values]
    columns = {
        name: np.vstack([fit[name] for fit in fits])
        for name in ("statistic", "segment", "segment_mean", "threshold")
    }
    reason = np.array([fit["reason"] for fit in fits], dtype=object)
    columns["p_value"] = np.full(panel.values.shape, np.nan)
    columns["is_anomaly"] = ~np.isnan(columns["statistic"])
    columns["reason"] = np.where(
        np.isnan(panel.values) & (reason[:, None] == None),  # noqa: E711
        REASON_MISSING,
        reason[:, None],
    )
    return quarter_frame(
        panel, f"segment_{algorithm}", columns, ["segment", "segment_mean"]
    )


def _segment_row(row, algorithm, penalty, min_size) -> dict:
    """Fit one series and spread segment ids, means and jumps over its quarters."""
    n_q = len(row)
    out = {
        "statistic": np.full(n_q, np.nan),
        "segment": np.full(n_q, np.nan),
        "segment_mean": np.full(n_q, np.nan),
        "threshold": np.full(n_q, np.nan),
        "reason": None,
    }
    where = np.flatnonzero(~np.isnan(row))
    y = row[where]
    reason = series_reasons(row[None, :], 2 * min_size)[0]
    if reason is not None and reason != "constant series":
        out["reason"] = reason
        return out
    pen = penalty if penalty is not None else _default_penalty(y)
    ends = _breakpoints(y, algorithm, pen, min_size)
    starts = [0, *ends[:-1]]
    for label, (a, b) in enumerate(zip(starts, ends, strict=True)):
        cells = where[a:b]
        out["segment"][cells] = label
        out["segment_mean"][cells] = y[a:b].mean()
        if label > 0:
            out["statistic"][cells[0]] = y[a:b].mean() - y[starts[label - 1] : a].mean()
    out["threshold"][:] = pen
    return out


def _default_penalty(y: np.ndarray) -> float:
    """Return ``2 sigma^2 log(n)`` with sigma from the moving range (floor 1e-12)."""
    sigma = moving_range_sigma(y[None, :])[0]
    return float(max(2 * sigma**2 * np.log(len(y)), 1e-12))


def _breakpoints(y, algorithm, pen, min_size) -> list[int]:
    """Return ruptures' segment ends (exclusive, last = len(y))."""
    if np.ptp(y) == 0:
        return [len(y)]
    model = ruptures.Pelt if algorithm == "pelt" else ruptures.Binseg
    fitted = model(model="l2", min_size=min_size, jump=1).fit(y.reshape(-1, 1))
    return fitted.predict(pen=pen)
