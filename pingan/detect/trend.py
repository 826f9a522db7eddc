"""Monotonic trend tests: Mann-Kendall and its variants, seasonal Kendall, Sen's slope.

All three functions take a quarterly Series or a tidy panel and return one row
per series. They work on every series at once (see ``_kendall``), so a panel
of thousands of series costs about as much as a handful of per-series calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from pingan._validation import check_interval, check_option
from pingan.detect import _kendall as kd
from pingan.detect._panel import (
    REASON_TOO_SHORT,
    positions,
    series_frame,
    series_reasons,
    to_panel,
)

__all__ = ["mann_kendall", "seasonal_mann_kendall", "sens_slope"]

Variant = Literal["original", "hamed_rao", "yue_wang", "tfpw"]
Alternative = Literal["two-sided", "increasing", "decreasing"]
_VARIANTS = ("original", "hamed_rao", "yue_wang", "tfpw")
_ALTERNATIVES = ("two-sided", "increasing", "decreasing")
_MK_EXTRA = [
    "s",
    "var_s",
    "z",
    "tau",
    "slope",
    "intercept",
    "slope_low",
    "slope_high",
    "variance_factor",
    "lag1_autocorrelation",
    "whitened",
]


def mann_kendall(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    variant: Variant = "original",
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    acf_alpha: float = 0.05,
    confidence: float = 0.95,
    min_n: int = 4,
) -> pd.DataFrame:
    """Test each series for a monotonic trend with the Mann-Kendall test.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel with a
        ``quarter`` column (quarterly Periods or ``YYYYQn`` labels), the
        ``value`` column and the key columns ``by``.
    value : str, default="value"
        Column of the measured values (any unit).
    by : sequence of str, optional
        Key columns of one series. Default: every column other than
        ``quarter`` and ``value``.
    variant : {"original", "hamed_rao", "yue_wang", "tfpw"}, default="original"
        ``"original"``: Mann (1945) and Kendall (1975). ``"hamed_rao"``: the
        variance of S inflated for autocorrelated ranks (Hamed and Rao 1998).
        ``"yue_wang"``: variance inflated by the effective sample size of an
        AR(1) process (Yue and Wang 2004). ``"tfpw"``: trend-free
        pre-whitening (Yue et al. 2002), applied only when the lag-1
        autocorrelation of the detrended series is significant.
    alternative : {"two-sided", "increasing", "decreasing"}, default="two-sided"
        Direction of the trend tested for.
    alpha : float, default=0.05
        Significance level of ``is_anomaly``.
    acf_alpha : float, default=0.05
        Two-sided level at which an autocorrelation counts as significant
        (bound ``z_{1-acf_alpha/2} / sqrt(n)``), used by ``"hamed_rao"``
        and ``"tfpw"``.
    confidence : float, default=0.95
        Confidence level of the Sen's slope interval.
    min_n : int, default=4
        Minimum number of non-missing quarters tested; shorter series give NaN.

    Returns
    -------
    pandas.DataFrame
        One row per series: the key columns, then

        - ``method``: str, ``"mann_kendall"`` or ``"mann_kendall_<variant>"``;
        - ``n``: int, non-missing quarters used;
        - ``statistic``: float, the z score (same as ``z``);
        - ``p_value``: float, normal p-value of ``z`` for ``alternative``;
        - ``threshold``: float, ``alpha``;
        - ``is_anomaly``: bool, ``p_value < alpha`` (False when NaN);
        - ``reason``: str, why the row is NaN, else missing (NaN);
        - ``s``: float, Kendall's S; ``var_s``: float, its variance after the
          tie correction and any autocorrelation correction;
        - ``z``: float, ``(S - sign(S)) / sqrt(var_s)``;
        - ``tau``: float, Kendall's tau-b between time and value;
        - ``slope``, ``slope_low``, ``slope_high``: float, Sen's slope in
          value units per quarter, with its confidence limits;
        - ``intercept``: float, value at quarter index 0 (the first quarter
          of the data) on the Sen line;
        - ``variance_factor``: float, ``n / n*`` applied to ``var_s`` (1 for
          ``"original"`` and ``"tfpw"``);
        - ``lag1_autocorrelation``: float, of the Sen-detrended series;
        - ``whitened``: bool, True when ``"tfpw"`` whitened the series.

    Raises
    ------
    PinganError
        If an option is not one of the allowed values, a column is missing,
        or a series has two rows for one quarter.

    Notes
    -----
    ``S = sum_{i<j} sign(y_j - y_i)`` over pairs of non-missing quarters and
    ``var_s = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18`` (ties of size ``t``).
    S ignores gaps, since only the order of the values matters. Sen's slope
    and the detrending used by the variants use the real quarter index, so a
    missing quarter is a gap and not a shift.

    Variants, and how pymannkendall 1.4.3 differs:

    - ``hamed_rao``: ``n/n* = 1 + 2 / (n(n-1)(n-2)) sum_k (n-k)(n-k-1)(n-k-2)
      r_k`` over the significant autocorrelations ``r_k`` of the ranks of the
      Sen-detrended series. pymannkendall drops missing values before
      detrending, so after a gap every later quarter sits one position early.
      It also ranks the detrended values as computed. The two values of the
      pair that defines Sen's slope are equal after detrending, but rounding
      decides whether they tie there. Here they are rounded to 12
      significant digits, so they tie.
    - ``yue_wang``: ``n/n* = 1 + 2 sum_{k=1}^{n-1} (1 - k/n) r_1^k``, the
      effective sample size of an AR(1) process with the lag-1
      autocorrelation ``r_1`` of the detrended series (the form of R
      modifiedmk's ``mmky1lag``). pymannkendall's default uses the sample
      autocorrelation at every lag without a significance test, which on
      16-40 quarters adds much sampling noise.
    - ``tfpw``: with ``r_1`` significant, ``y'_t = (x_t - r_1 x_{t-1}) + b t``
      where ``x`` is the series minus the Sen line ``b t``; a quarter whose
      previous quarter is missing drops out. pymannkendall whitens always,
      even when ``r_1`` is not significant.

    The normal approximation is rough below about 10 values; with n = 4 no
    two-sided p-value falls below 0.05. A constant series has ``var_s = 0``
    and gives NaN with the reason ``'constant series'``. Checked against
    ``scipy.stats.kendalltau`` (tau-b and S) and pymannkendall
    ``original_test`` on series without gaps in ``tests/test_detect_trend.py``.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=8, freq="Q")
    >>> y = pd.Series([3.0, 4, 4, 6, 5, 8, 9, 9], index=q)
    >>> out = mann_kendall(y)
    >>> out[["n", "s", "var_s", "p_value", "slope"]].round(4)
       n     s    var_s  p_value  slope
    0  8  24.0  63.3333   0.0039    1.0
    """
    _check_trend_options(variant, alternative, alpha, confidence, "mann_kendall")
    check_interval("acf_alpha", acf_alpha, "mann_kendall", 0, 1, "neither")
    panel = to_panel(data, value, by, "mann_kendall")
    values, times = panel.values, positions(panel)
    sen0 = _sen(values, times, confidence)
    columns = _variant_columns(values, times, sen0, variant, acf_alpha)
    columns.update(_test_columns(columns, alternative, alpha))
    columns.update(
        slope=sen0["slope"],
        intercept=sen0["intercept"],
        slope_low=sen0["low"],
        slope_high=sen0["high"],
    )
    _apply_reasons(columns, series_reasons(values, min_n))
    method = "mann_kendall" if variant == "original" else f"mann_kendall_{variant}"
    return series_frame(panel, method, columns, _MK_EXTRA)


def _check_trend_options(variant, alternative, alpha, confidence, func):
    check_option("variant", variant, _VARIANTS, func)
    check_option("alternative", alternative, _ALTERNATIVES, func)
    check_interval("alpha", alpha, func, 0, 1, "neither")
    check_interval("confidence", confidence, func, 0, 1, "neither")


def _sen(values: np.ndarray, times: np.ndarray, confidence: float):
    """Return Sen's slope with limits from the tie-corrected variance of S."""
    return kd.sen_slope(values, times, None, confidence)


def _variant_columns(values, times, sen0, variant, acf_alpha) -> dict:
    """Return S, var_s, tau, n and the correction columns of one variant."""
    detrended = values - sen0["slope"][:, None] * times[None, :]
    n = sen0["n"]
    r1 = kd.autocorrelation(detrended, 1)[:, 0]
    bound = stats.norm.ppf(1 - acf_alpha / 2) / np.sqrt(np.maximum(n, 1))
    columns = {k: sen0[k].copy() for k in ("s", "var_s", "tau", "n")}
    factor = np.ones(len(values))
    whitened = np.zeros(len(values), dtype=bool)
    if variant == "hamed_rao":
        factor = _hamed_rao_factor(detrended, n, bound)
    elif variant == "yue_wang":
        factor = _yue_wang_factor(r1, n)
    elif variant == "tfpw":
        whitened = np.abs(r1) > bound
        columns = _whitened_columns(values, detrended, times, sen0, r1, whitened)
    columns["var_s"] = columns["var_s"] * factor
    columns.update(variance_factor=factor, lag1_autocorrelation=r1, whitened=whitened)
    return columns


def _hamed_rao_factor(detrended, n, bound) -> np.ndarray:
    """Return Hamed and Rao's ``n/n*`` from the significant rank autocorrelations."""
    # The pair that gives Sen's slope is tied after detrending; rounding to
    # 12 significant digits keeps that tie, which floating point may break.
    scale = np.nanmax(np.abs(detrended), axis=1, initial=0, where=~np.isnan(detrended))
    snapped = np.round(detrended / np.where(scale > 0, scale, 1)[:, None], 12)
    ranks = pd.DataFrame(snapped).rank(axis=1).to_numpy()
    lags = detrended.shape[1] - 1
    acf = kd.autocorrelation(ranks, max(lags, 1))
    acf = np.where(np.abs(acf) > bound[:, None], acf, 0.0)
    k = np.arange(1, acf.shape[1] + 1)[None, :]
    nn = n[:, None]
    weight = np.clip((nn - k) * (nn - k - 1) * (nn - k - 2), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(weight * acf, axis=1)
        return 1 + 2 * total / (n * (n - 1) * (n - 2))


def _yue_wang_factor(r1, n) -> np.ndarray:
    """Return ``1 + 2 sum_{k<n} (1 - k/n) r1^k``, the AR(1) effective-size factor."""
    k = np.arange(1, int(np.nanmax(n, initial=2)))[None, :]
    nn = n[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.where(k < nn, (1 - k / nn) * np.power(r1[:, None], k), 0.0)
    return 1 + 2 * np.nansum(terms, axis=1)


def _whitened_columns(values, detrended, times, sen0, r1, whitened) -> dict:
    """Return S, var_s, tau and n after whitening the rows flagged ``whitened``."""
    previous = np.concatenate(
        [np.full((len(values), 1), np.nan), detrended[:, :-1]], axis=1
    )
    white = detrended - r1[:, None] * previous + sen0["slope"][:, None] * times
    recomputed = kd.kendall_s(np.where(whitened[:, None], white, values))
    return {k: recomputed[k] for k in ("s", "var_s", "tau", "n")}


def _test_columns(columns: dict, alternative: str, alpha: float) -> dict:
    """Return z, p-value, decision and threshold columns from S and var_s."""
    z = kd.z_score(columns["s"], columns["var_s"])
    p = kd.p_from_z(z, alternative)
    return {
        "z": z,
        "statistic": z,
        "p_value": p,
        "threshold": np.full(len(z), alpha),
        "is_anomaly": np.nan_to_num(p, nan=1.0) < alpha,
    }


def _apply_reasons(columns: dict, reason: np.ndarray) -> None:
    """Blank the numeric columns of rows that have a reason, and store reasons."""
    bad = np.array([r is not None for r in reason])
    leftover = ~bad & ~np.isfinite(columns["statistic"])
    reason = reason.copy()
    reason[leftover] = "variance not positive"
    bad = bad | leftover
    for name, column in columns.items():
        if name in ("n", "threshold", "seasons"):
            continue
        if column.dtype == bool:
            column[bad] = False
        else:
            column[bad] = np.nan
    columns["reason"] = reason


def sens_slope(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    confidence: float = 0.95,
    min_n: int = 3,
) -> pd.DataFrame:
    """Estimate Sen's slope of each series on the real quarter index.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        As in :func:`mann_kendall`.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    confidence : float, default=0.95
        Confidence level of the interval.
    min_n : int, default=3
        Minimum number of non-missing quarters.

    Returns
    -------
    pandas.DataFrame
        One row per series: the key columns, then

        - ``method``: str, ``"sens_slope"``;
        - ``n``: int, non-missing quarters;
        - ``statistic``: float, the slope in value units per quarter;
        - ``p_value``: float, always NaN (see :func:`mann_kendall`);
        - ``threshold``: float, ``confidence``;
        - ``is_anomaly``: bool, True when the interval excludes zero;
        - ``reason``: str, why the row is NaN, else missing (NaN);
        - ``slope``, ``slope_low``, ``slope_high``: float, per quarter;
        - ``intercept``: float, the Sen line at quarter index 0 (the first
          quarter of the data): ``median(y) - slope * median(t)``.

    Notes
    -----
    ``slope = median_{i<j} (y_j - y_i) / (t_j - t_i)`` where ``t`` counts
    calendar quarters, so a quarter missing between two others doubles their
    time difference instead of being skipped (pymannkendall 1.4.3
    ``sens_slope`` also keeps the gap, but its variant tests detrend with
    positions that close it). The interval takes the ordered slopes of rank
    ``(N - C)/2`` and ``(N + C)/2 + 1``, ``C = z_{1-a/2} sqrt(var_s)``
    (Gilbert 1987), interpolating between ranks. A constant
    series has slope 0 and an interval of zero width, so it is not NaN.

    Examples
    --------
    >>> q = pd.PeriodIndex(["2024Q1", "2024Q2", "2024Q4", "2025Q1"], freq="Q")
    >>> sens_slope(pd.Series([1.0, 2, 4, 5], index=q))[["n", "slope", "intercept"]]
       n  slope  intercept
    0  4    1.0        1.0
    """
    check_interval("confidence", confidence, "sens_slope", 0, 1, "neither")
    panel = to_panel(data, value, by, "sens_slope")
    values = panel.values
    sen = _sen(values, positions(panel), confidence)
    reason = series_reasons(values, min_n)
    reason[reason == "constant series"] = None
    bad = np.array([r is not None for r in reason])
    columns = {
        "n": sen["n"],
        "statistic": np.where(bad, np.nan, sen["slope"]),
        "p_value": np.full(len(values), np.nan),
        "threshold": np.full(len(values), confidence),
        "slope": np.where(bad, np.nan, sen["slope"]),
        "slope_low": np.where(bad, np.nan, sen["low"]),
        "slope_high": np.where(bad, np.nan, sen["high"]),
        "intercept": np.where(bad, np.nan, sen["intercept"]),
        "reason": reason,
    }
    columns["is_anomaly"] = (columns["slope_low"] > 0) | (columns["slope_high"] < 0)
    extra = ["slope", "slope_low", "slope_high", "intercept"]
    return series_frame(panel, "sens_slope", columns, extra)


def seasonal_mann_kendall(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_years: int = 2,
    covariance: bool = False,
) -> pd.DataFrame:
    """Test each series for a trend within calendar quarters (seasonal Kendall).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        As in :func:`mann_kendall`.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    alternative : {"two-sided", "increasing", "decreasing"}, default="two-sided"
        Direction of the trend tested for.
    alpha : float, default=0.05
        Significance level of ``is_anomaly``.
    confidence : float, default=0.95
        Confidence level of the seasonal Sen's slope interval.
    min_years : int, default=2
        A quarter of the year enters the test only with at least this many
        years of values; a series with no such quarter gives NaN.
    covariance : bool, default=False
        Add the covariances between seasons to ``var_s`` (Hirsch and Slack
        1984), for series whose quarters are serially dependent.

    Returns
    -------
    pandas.DataFrame
        One row per series with the columns of :func:`mann_kendall` except the
        autocorrelation ones: ``method`` (``"seasonal_mann_kendall"``), ``n``,
        ``statistic`` (z), ``p_value``, ``threshold``, ``is_anomaly``,
        ``reason``, ``s``, ``var_s``, ``z``, ``slope``, ``slope_low``,
        ``slope_high`` (value units per quarter), ``intercept`` (at quarter
        index 0), and ``seasons``: int, quarters of the year that entered.

    Notes
    -----
    Hirsch, Slack and Smith (1982): ``S = sum_g S_g`` and ``var_s = sum_g
    var(S_g)`` over the four calendar quarters ``g``, each computed on that
    quarter's values across years with the tie correction, and
    ``z = (S - sign(S)) / sqrt(var_s)``. Seasons are the calendar quarter of
    each Period, so a missing quarter removes one value from its own season
    and leaves the other years of that season in place. By default seasons
    are treated as independent, which makes the p-value too small when
    consecutive quarters are correlated. With ``covariance=True`` the
    covariance of ``S_g`` and ``S_h`` is added for every pair of seasons
    (Hirsch and Slack 1984): ``(K_gh + 4 sum_i R_ig R_ih - n (n_g + 1)
    (n_h + 1)) / 3`` with ``n`` years, ``K_gh = sum_{i<j} sign((x_jg -
    x_ig)(x_jh - x_ih))`` and ``R_ig = (n_g + 1 + sum_j sign(x_ig -
    x_jg)) / 2``, where a missing value contributes sign 0 (so its R is the
    middle rank). The diagonal keeps the tie-corrected ``var(S_g)``.
    pymannkendall 1.4.3 ``correlated_seasonal_test`` instead drops every year
    with a missing quarter and uses no continuity correction; on complete
    series without ties its ``var_s`` equals this one.

    The slope is the median of within-season slopes ``(y_j - y_i)/(t_j -
    t_i)``, ``t`` in quarters, so it is in units per quarter like
    :func:`sens_slope`; pymannkendall 1.4.3 ``seasonal_sens_slope`` reports
    it per year (4 times larger) and takes seasons by position, so a series
    with a dropped quarter has its seasons shifted. S and var_s match
    pymannkendall ``seasonal_test(x, period=4)`` on complete series starting
    in a first quarter (``tests/test_detect_trend.py``).

    Examples
    --------
    >>> q = pd.period_range("2021Q1", periods=12, freq="Q")
    >>> y = pd.Series([5.0, 9, 7, 3, 6, 10, 8, 4, 7, 12, 9, 5], index=q)
    >>> seasonal_mann_kendall(y)[["n", "s", "var_s", "slope"]].round(2)
        n     s  var_s  slope
    0  12  12.0  14.67   0.25
    """
    _check_trend_options(
        "original", alternative, alpha, confidence, "seasonal_mann_kendall"
    )
    panel = to_panel(data, value, by, "seasonal_mann_kendall")
    values, times = panel.values, positions(panel)
    season = np.asarray(panel.quarters.quarter)
    parts = [
        _season_part(values[:, season == g], times[season == g]) for g in (1, 2, 3, 4)
    ]
    used = [p["n"] >= min_years for p in parts]
    columns = {
        "s": sum(np.where(u, p["s"], 0.0) for p, u in zip(parts, used, strict=True)),
        "var_s": sum(
            np.where(u, p["var_s"], 0.0) for p, u in zip(parts, used, strict=True)
        ),
        "seasons": sum(u.astype(int) for u in used),
    }
    columns["n"] = sum(np.where(u, p["n"], 0) for p, u in zip(parts, used, strict=True))
    if covariance:
        columns["var_s"] = columns["var_s"] + _season_covariance(
            values, panel.quarters, np.column_stack(used)
        )
    columns.update(_test_columns(columns, alternative, alpha))
    columns.update(_seasonal_slope(values, times, season, columns["var_s"], confidence))
    reason = series_reasons(values, 1)
    short = (columns["seasons"] == 0) & np.array([r is None for r in reason])
    reason[short] = f"{REASON_TOO_SHORT} (no quarter of the year has {min_years} years)"
    _apply_reasons(columns, reason)
    extra = [
        "s",
        "var_s",
        "z",
        "slope",
        "intercept",
        "slope_low",
        "slope_high",
        "seasons",
    ]
    return series_frame(panel, "seasonal_mann_kendall", columns, extra)


def _by_year(values: np.ndarray, quarters: pd.PeriodIndex) -> np.ndarray:
    """Return values as (series, years, 4) with NaN for quarters outside the data."""
    lead = quarters[0].quarter - 1
    padded = np.full((len(values), lead + values.shape[1]), np.nan)
    padded[:, lead:] = values
    tail = (-padded.shape[1]) % 4
    padded = np.concatenate([padded, np.full((len(values), tail), np.nan)], axis=1)
    return padded.reshape(len(values), -1, 4)


def _season_covariance(values, quarters, used) -> np.ndarray:
    """Return the sum over pairs of used seasons g != h of cov(S_g, S_h)."""
    x = _by_year(values, quarters)
    n_years = x.shape[1]
    first, second = np.triu_indices(n_years, k=1)
    signs = np.nan_to_num(np.sign(x[:, second, :] - x[:, first, :]))
    k = np.einsum("mpg,mph->mgh", signs, signs)
    n_g = np.sum(~np.isnan(x), axis=1)
    rank_sum = np.nansum(np.sign(x[:, :, None, :] - x[:, None, :, :]), axis=2)
    ranks = (n_g[:, None, :] + 1 + rank_sum) / 2
    products = np.einsum("myg,myh->mgh", ranks, ranks)
    base = n_years * (n_g[:, :, None] + 1) * (n_g[:, None, :] + 1)
    cov = (k + 4 * products - base) / 3
    pair = used[:, :, None] & used[:, None, :] & ~np.eye(4, dtype=bool)[None]
    return np.sum(np.where(pair, cov, 0.0), axis=(1, 2))


def _season_part(values: np.ndarray, times: np.ndarray) -> dict:
    """Return S, var_s and n of one calendar quarter's values across years."""
    if values.shape[1] == 0:
        zero = np.zeros(len(values))
        return {"s": zero, "var_s": zero, "n": zero}
    return kd.kendall_s(values)


def _seasonal_slope(values, times, season, var_s, confidence) -> dict:
    """Return the seasonal Sen's slope: within-season pairs only, per quarter."""
    same = season[:, None] == season[None, :]
    gaps = np.where(same, times[None, :] - times[:, None], np.nan)
    sen = kd.sen_slope(values, times, var_s, confidence, gaps=gaps)
    return {
        "slope": sen["slope"],
        "intercept": sen["intercept"],
        "slope_low": sen["low"],
        "slope_high": sen["high"],
    }
