"""Vectorised Mann-Kendall and Sen's slope kernels on a series x quarters array.

Each function takes ``values`` of shape ``(n_series, n_quarters)`` with NaN
for a missing quarter and works on all rows at once, in blocks of rows so the
``(rows, n (n - 1) / 2)`` arrays of pairs stay small.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

_BLOCK = 2048


def _blocks(n_rows: int):
    for start in range(0, n_rows, _BLOCK):
        yield slice(start, min(start + _BLOCK, n_rows))


def _pair_differences(values: np.ndarray) -> np.ndarray:
    """Return ``y[:, j] - y[:, i]`` for every pair i < j, shape (rows, pairs).

    Pairs are ordered by lag ``j - i`` (all lag-1 pairs, then lag 2, ...),
    the order of :func:`pair_lags`.
    """
    n = values.shape[1]
    pieces = [values[:, k:] - values[:, :-k] for k in range(1, n)]
    return np.concatenate(pieces, axis=1) if pieces else values[:, :0]


def pair_lags(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and second index of each pair in ``_pair_differences``."""
    first = np.concatenate([np.arange(0, n - k) for k in range(1, n)] or [[]])
    lag = np.concatenate([np.full(n - k, k) for k in range(1, n)] or [[]])
    return first.astype(np.int64), (first + lag).astype(np.int64)


def _tie_sums(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``sum t(t-1)(2t+5)`` and ``sum t(t-1)/2`` over each row's tie groups."""
    ordered = np.sort(values, axis=1)
    rows, n = ordered.shape
    same = ordered[:, 1:] == ordered[:, :-1]
    run = np.cumsum(np.concatenate([np.ones((rows, 1), bool), ~same], axis=1), axis=1)
    valid = ~np.isnan(ordered)
    label = (np.arange(rows)[:, None] * (n + 1) + run)[valid]
    sizes = np.bincount(label, minlength=rows * (n + 1) + n + 1).astype(float)
    owner = np.arange(len(sizes)) // (n + 1)
    ties_var = np.bincount(owner, sizes * (sizes - 1) * (2 * sizes + 5), rows)
    ties_pairs = np.bincount(owner, sizes * (sizes - 1) / 2, rows)
    return ties_var[:rows], ties_pairs[:rows]


def kendall_s(values: np.ndarray) -> dict[str, np.ndarray]:
    """Return S, its tie-corrected variance, n and Kendall's tau-b per row.

    ``var_s = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18`` with ``t`` the size of
    each group of tied values (Kendall 1975), counted as runs of equal values
    in each sorted row. Comparisons with NaN are False, so a missing quarter
    drops out of every pair.
    """
    n_q = values.shape[1]
    s = np.zeros(len(values))
    for k in range(1, n_q):
        later, earlier = values[:, k:], values[:, :-k]
        s += np.sum(later > earlier, axis=1) - np.sum(later < earlier, axis=1)
    tie_var, tie_pairs = _tie_sums(values)
    n = np.sum(~np.isnan(values), axis=1).astype(float)
    pairs = n * (n - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = s / np.sqrt(pairs * (pairs - tie_pairs))
    return {
        "s": s,
        "var_s": (n * (n - 1) * (2 * n + 5) - tie_var) / 18,
        "n": n,
        "tau": tau,
    }


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
    """Return the value at 1-based ``rank`` (interpolated) of each sorted row.

    Rows without values (a series of one quarter has no pairs) get NaN.
    """
    if ordered.shape[1] == 0:
        return np.full(len(ordered), np.nan)
    rank = np.clip(rank, 1, np.maximum(count, 1))
    low = np.floor(rank).astype(np.int64) - 1
    high = np.minimum(low + 1, np.maximum(count - 1, 0).astype(np.int64))
    rows = np.arange(len(ordered))
    weight = rank - (low + 1)
    return ordered[rows, low] * (1 - weight) + ordered[rows, high] * weight


def _pair_slopes(values: np.ndarray, pair_gaps: np.ndarray | None) -> np.ndarray:
    """Return the slope of every pair (order of :func:`pair_lags`).

    Without ``pair_gaps`` the time difference of a lag-k pair is k, and each
    lag is written straight into the output to avoid an extra copy.
    """
    if pair_gaps is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            return _pair_differences(values) / pair_gaps
    rows, n = values.shape
    out = np.empty((rows, n * (n - 1) // 2))
    offset = 0
    for k in range(1, n):
        width = n - k
        np.subtract(values[:, k:], values[:, :-k], out=out[:, offset : offset + width])
        out[:, offset : offset + width] /= k
        offset += width
    return out


def sen_slope(
    values: np.ndarray,
    times: np.ndarray,
    var_s: np.ndarray | None,
    confidence: float,
    gaps: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Return Sen's slope, its intercept and confidence limits per row.

    The slope is the median of ``(y_j - y_i) / (t_j - t_i)`` over all pairs
    of non-missing values. The limits are the ordered slopes of rank
    ``(N - C) / 2`` and ``(N + C) / 2 + 1`` with ``C = z_{1-a/2} sqrt(var_s)``
    (Gilbert 1987), interpolated between neighbours when the
    rank is not whole. ``times`` must be the grid ``0, 1, 2, ...`` unless
    ``gaps`` is given: ``gaps[i, j]`` overrides ``t_j - t_i`` and a NaN there
    leaves the pair out (the seasonal slope uses this for pairs in different
    quarters of the year). With ``var_s=None``, Kendall's S and its
    variance are computed from the same pairs and returned too.
    """
    z = stats.norm.ppf(0.5 + confidence / 2)
    names = ("slope", "low", "high", "s", "var_s", "n", "tau")
    out = {k: np.full(len(values), np.nan) for k in names}
    pair_gaps = None
    if gaps is not None:
        first, second = pair_lags(values.shape[1])
        pair_gaps = gaps[first, second]
    for rows in _blocks(len(values)):
        slopes = _pair_slopes(values[rows], pair_gaps)
        if var_s is None:
            block = _kendall_from_slopes(values[rows], slopes)
            for name in ("s", "var_s", "n", "tau"):
                out[name][rows] = block[name]
        variance = out["var_s"][rows] if var_s is None else var_s[rows]
        ordered = np.sort(slopes, axis=1)
        count = np.sum(~np.isnan(slopes), axis=1).astype(float)
        spread = z * np.sqrt(np.maximum(variance, 0))
        ranks = [(count + 1) / 2, (count - spread) / 2, (count + spread) / 2 + 1]
        for name, rank in zip(("slope", "low", "high"), ranks, strict=True):
            value = _value_at_rank(ordered, rank, count)
            out[name][rows] = np.where(count > 0, value, np.nan)
    out["intercept"] = _intercept(values, times, out["slope"])
    return out


def _kendall_from_slopes(values: np.ndarray, slopes: np.ndarray) -> dict:
    """Return S, var_s, n and tau-b; the signs of the slopes are those of S."""
    s = np.sum(slopes > 0, axis=1) - np.sum(slopes < 0, axis=1)
    tie_var, tie_pairs = _tie_sums(values)
    n = np.sum(~np.isnan(values), axis=1).astype(float)
    pairs = n * (n - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = s / np.sqrt(pairs * (pairs - tie_pairs))
    return {
        "s": s,
        "var_s": (n * (n - 1) * (2 * n + 5) - tie_var) / 18,
        "n": n,
        "tau": tau,
    }


def _row_median(values: np.ndarray) -> np.ndarray:
    """Return the median of each row, ignoring NaN (fast path without NaN)."""
    if not np.isnan(values).any():
        return np.median(values, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=1)


def _intercept(values: np.ndarray, times: np.ndarray, slope: np.ndarray):
    """Return ``median(y) - slope * median(t)`` over each row's non-missing values."""
    t = np.where(np.isnan(values), np.nan, times[None, :])
    return _row_median(values) - slope * _row_median(t)


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
