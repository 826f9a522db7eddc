"""Vectorised Mann-Kendall and Sen's slope kernels on a series x quarters array.

Each function takes ``values`` of shape ``(n_series, n_quarters)`` with NaN
for a missing quarter and works on all rows at once, in blocks of rows so the
``(rows, n, n)`` pairwise arrays stay small.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

_BLOCK = 512


def _blocks(n_rows: int):
    for start in range(0, n_rows, _BLOCK):
        yield slice(start, min(start + _BLOCK, n_rows))


def _pair_differences(values: np.ndarray) -> np.ndarray:
    """Return ``d[s, i, j] = y[s, j] - y[s, i]`` for i < j, NaN elsewhere."""
    n = values.shape[1]
    diff = values[:, None, :] - values[:, :, None]
    diff[:, ~np.triu(np.ones((n, n), dtype=bool), k=1)] = np.nan
    return diff


def kendall_s(values: np.ndarray) -> dict[str, np.ndarray]:
    """Return S, its tie-corrected variance, n and Kendall's tau-b per row.

    ``var_s = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18`` with ``t`` the size of
    each group of tied values (Kendall 1975). Each element of a tie group of
    size ``t`` contributes ``(t-1)(2t+5)``, so the sum runs over elements and
    needs no explicit grouping.
    """
    out = {k: np.empty(len(values)) for k in ("s", "var_s", "n", "tau")}
    for rows in _blocks(len(values)):
        y = values[rows]
        valid = ~np.isnan(y)
        diff = _pair_differences(y)
        s = np.nansum(np.sign(diff), axis=(1, 2))
        equal = (y[:, :, None] == y[:, None, :]) & valid[:, :, None]
        size = equal.sum(axis=2).astype(float)
        tie_var = np.where(valid, (size - 1) * (2 * size + 5), 0).sum(axis=1)
        tie_pairs = np.where(valid, size - 1, 0).sum(axis=1) / 2
        n = valid.sum(axis=1).astype(float)
        pairs = n * (n - 1) / 2
        out["s"][rows] = s
        out["var_s"][rows] = (n * (n - 1) * (2 * n + 5) - tie_var) / 18
        out["n"][rows] = n
        with np.errstate(invalid="ignore", divide="ignore"):
            out["tau"][rows] = s / np.sqrt(pairs * (pairs - tie_pairs))
    return out


def z_score(s: np.ndarray, var_s: np.ndarray) -> np.ndarray:
    """Return ``(S - sign(S)) / sqrt(var_s)``, the continuity-corrected z."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (s - np.sign(s)) / np.sqrt(var_s)
    z[~(var_s > 0)] = np.nan
    return z


def p_from_z(z: np.ndarray, alternative: str) -> np.ndarray:
    """Return the normal p-value of ``z`` for the chosen alternative."""
    if alternative == "increasing":
        return stats.norm.sf(z)
    if alternative == "decreasing":
        return stats.norm.cdf(z)
    return 2 * stats.norm.sf(np.abs(z))


def _value_at_rank(ordered: np.ndarray, rank: np.ndarray, count: np.ndarray):
    """Return the value at 1-based ``rank`` (interpolated) of each sorted row."""
    rank = np.clip(rank, 1, np.maximum(count, 1))
    low = np.floor(rank).astype(np.int64) - 1
    high = np.minimum(low + 1, np.maximum(count - 1, 0).astype(np.int64))
    rows = np.arange(len(ordered))
    weight = rank - (low + 1)
    return ordered[rows, low] * (1 - weight) + ordered[rows, high] * weight


def sen_slope(
    values: np.ndarray,
    times: np.ndarray,
    var_s: np.ndarray,
    confidence: float,
    gaps: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Return Sen's slope, its intercept and confidence limits per row.

    The slope is the median of ``(y_j - y_i) / (t_j - t_i)`` over all pairs
    of non-missing values. The limits are the ordered slopes of rank
    ``(N - C) / 2`` and ``(N + C) / 2 + 1`` with ``C = z_{1-a/2} sqrt(var_s)``
    (Gilbert 1987, section 16.5), interpolated between neighbours when the
    rank is not whole. ``gaps[i, j]`` overrides ``t_j - t_i``; a NaN there
    leaves the pair out (the seasonal slope uses this for pairs in different
    quarters of the year).
    """
    z = stats.norm.ppf(0.5 + confidence / 2)
    out = {k: np.full(len(values), np.nan) for k in ("slope", "low", "high")}
    if gaps is None:
        gaps = times[None, :] - times[:, None]
    for rows in _blocks(len(values)):
        with np.errstate(invalid="ignore", divide="ignore"):
            slopes = _pair_differences(values[rows]) / gaps
        ordered = np.sort(slopes.reshape(len(slopes), -1), axis=1)
        count = np.sum(~np.isnan(ordered), axis=1).astype(float)
        spread = z * np.sqrt(np.maximum(var_s[rows], 0))
        has = count > 0
        out["slope"][rows] = np.where(
            has, _value_at_rank(ordered, (count + 1) / 2, count), np.nan
        )
        out["low"][rows] = np.where(
            has, _value_at_rank(ordered, (count - spread) / 2, count), np.nan
        )
        out["high"][rows] = np.where(
            has, _value_at_rank(ordered, (count + spread) / 2 + 1, count), np.nan
        )
    out["intercept"] = _intercept(values, times, out["slope"])
    return out


def _intercept(values: np.ndarray, times: np.ndarray, slope: np.ndarray):
    """Return ``median(y) - slope * median(t)`` over each row's non-missing values."""
    t = np.where(np.isnan(values), np.nan, times[None, :])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=1) - slope * np.nanmedian(t, axis=1)


def autocorrelation(values: np.ndarray, max_lag: int) -> np.ndarray:
    """Return the sample autocorrelation at lags 1..max_lag of each row.

    ``r_k = sum_t d_t d_{t+k} / sum_t d_t^2`` with ``d`` the deviations from
    the row mean; a missing quarter contributes zero to both sums, so lag
    ``k`` always means ``k`` calendar quarters apart.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=1)
    dev = np.nan_to_num(values - mean[:, None])
    denominator = np.sum(dev**2, axis=1)
    n = values.shape[1]
    acf = np.full((len(values), max_lag), np.nan)
    for k in range(1, min(max_lag, n - 1) + 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            acf[:, k - 1] = np.sum(dev[:, :-k] * dev[:, k:], axis=1) / denominator
    return acf
