"""Aggregation of normalised indicators into one score per area.

Every method is reached through :func:`aggregate`, which takes a wide frame
(index: areas, columns: indicators or sub-scores, higher is better) and
weights, and returns a Series ``score`` indexed by area.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_option
from pingan.composite._common import check_wide, weight_vector
from pingan.exceptions import PinganError

__all__ = ["AGGREGATE_METHODS", "aggregate"]

AggregateMethod = Literal[
    "arithmetic",
    "geometric",
    "harmonic",
    "generalised",
    "mazziotta_pareto",
    "topsis",
    "copeland",
]
AGGREGATE_METHODS: tuple[str, ...] = AggregateMethod.__args__
_POWER = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}


def aggregate(
    data: pd.DataFrame,
    weights: pd.Series | dict | None = None,
    method: AggregateMethod = "arithmetic",
    **params: object,
) -> pd.Series:
    """Aggregate the columns of a wide frame into one score per area.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x components, already normalised so that higher
        is better. Missing values are skipped (see Notes).
    weights : pandas.Series or dict, optional
        Non-negative weight per column (renormalised to sum 1). Default
        equal weights.
    method : str, default "arithmetic"
        One of ``AGGREGATE_METHODS``.
    **params
        ``generalised``: ``p`` (power, required). ``mazziotta_pareto``:
        ``penalty`` in {"negative", "positive"} (default "negative").
        ``topsis``: ``normalisation`` in {"vector", "minmax", "none"}
        (required, no default, because published TOPSIS variants differ).

    Returns
    -------
    pandas.Series
        ``score`` (float) indexed like ``data``. Scales: the power means
        and Mazziotta-Pareto keep the scale of the inputs; TOPSIS is in
        [0, 1]; Copeland is wins minus losses in [-(n - 1), n - 1].

    Raises
    ------
    PinganError
        If ``method`` or a parameter is invalid, geometric or harmonic
        means meet negative values, or Mazziotta-Pareto meets a
        non-positive mean.

    Notes
    -----
    With weights w_j summing to 1 over an area's non-missing values x_j:

    - arithmetic: sum w x. geometric: exp(sum w ln x). harmonic:
      1 / sum(w / x). generalised: (sum w x^p)^(1/p), p = 0 is geometric.
      Zero rule: a zero value makes the geometric and harmonic means (and
      the generalised mean with p <= 0) equal 0, their limit; normalise
      onto a strictly positive range (e.g. min-max onto [1, 100]) to avoid
      it. Negative values raise.
    - mazziotta_pareto (De Muro, Mazziotta & Pareto, 2011, Soc. Indic.
      Res. 104:1-18): M = sum w z, S = sqrt(sum w (z - M)^2) (population
      standard deviation, divisor m for equal weights), cv = S / M;
      "negative" penalty: M - S cv (use when higher is better, it
      penalises unbalanced profiles), "positive": M + S cv. The inputs
      should be z-scores on 100 +- 10 (``normalise(..., "zscore",
      mean=100, sd=10, ddof=0)``). Compind's ``ci_mpi`` uses the n - 1
      standard deviation instead and gives different values.
    - topsis (Hwang & Yoon, 1981): r = normalised x (vector: x / ||x||;
      minmax: (x - min) / (max - min); none), v = w r, D+ and D- the
      Euclidean distances to the column maximum and minimum of v,
      score = D- / (D+ + D-); an area equal to both ideals scores 0.5.
    - copeland: O_ik = sum_j w_j [x_ij > x_kj] + 0.5 sum_j w_j
      [x_ij = x_kj] over components both areas have; i beats k when
      O_ik > 0.5; score = wins - losses.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [100.0, 110.0], "b": [100.0, 90.0]},
    ...                     index=["x", "y"])
    >>> aggregate(data, method="mazziotta_pareto").round(3)
    x    100.0
    y     99.0
    Name: score, dtype: float64
    """
    func = "aggregate"
    check_option("method", method, AGGREGATE_METHODS, func)
    values = check_wide(data, func)
    w = weight_vector(weights, values.columns, func)
    x = values.to_numpy()
    if method in _POWER or method == "generalised":
        p = _POWER.get(method, params.get("p"))
        if p is None:
            raise PinganError(f"{func}: method 'generalised' needs the parameter p.")
        score = power_mean(x, w, float(p))
    elif method == "mazziotta_pareto":
        penalty = params.get("penalty", "negative")
        check_option("penalty", penalty, ["negative", "positive"], func)
        score = _mazziotta_pareto(x, w, penalty)
    elif method == "topsis":
        normalisation = params.get("normalisation")
        check_option("normalisation", normalisation, ["vector", "minmax", "none"], func)
        score = _topsis(x, w, normalisation)
    else:
        score = _copeland(x, w)
    return pd.Series(score, index=values.index, name="score")


def power_mean(x: np.ndarray, w: np.ndarray, p: float) -> np.ndarray:
    """Weighted power mean along the last axis, skipping NaN.

    ``x`` has shape (..., k) and ``w`` shape (k,) or broadcastable to it;
    rows with no value give NaN. Follows the zero rule of :func:`aggregate`.
    """
    if p != 1 and np.nanmin(x) < 0:
        raise PinganError(
            "aggregate: geometric, harmonic and generalised means need "
            f"non-negative values; got {np.nanmin(x):.4g}. Normalise onto a "
            "positive range first (e.g. minmax with bounds=(1, 100))."
        )
    present = ~np.isnan(x)
    wx = np.where(present, w, 0.0)
    wsum = wx.sum(axis=-1)
    zero = np.any(present & (x == 0), axis=-1) if p <= 0 else False
    transformed = transform_power(x, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = np.sum(wx * transformed, axis=-1) / wsum
        out = np.where(zero, 0.0, inverse_power(inner, p))
    return np.where(wsum > 0, out, np.nan)


def transform_power(x: np.ndarray, p: float) -> np.ndarray:
    """Return f(x) of the power mean f^-1(sum w f(x)), with NaN and 0 as 0."""
    usable = ~np.isnan(x) & (x > 0) if p != 1 else ~np.isnan(x)
    safe = np.where(usable, x, 1.0)
    if p == 1:
        values = safe
    elif p == 0:
        values = np.log(safe)
    else:
        values = safe**p
    return np.where(usable, values, 0.0)


def inverse_power(inner: np.ndarray, p: float) -> np.ndarray:
    """Return f^-1 of the power mean (see :func:`transform_power`)."""
    if p == 1:
        return inner
    if p == 0:
        return np.exp(inner)
    with np.errstate(divide="ignore", invalid="ignore"):
        return inner ** (1.0 / p)


def _mazziotta_pareto(x: np.ndarray, w: np.ndarray, penalty: str) -> np.ndarray:
    present = ~np.isnan(x)
    wx = np.where(present, w, 0.0)
    wsum = wx.sum(axis=1)
    xs = np.where(present, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (wx * xs).sum(axis=1) / wsum
        sd = np.sqrt((wx * (xs - mean[:, None]) ** 2).sum(axis=1) / wsum)
    if np.any(mean[wsum > 0] <= 0):
        raise PinganError(
            "aggregate: Mazziotta-Pareto needs a positive mean for every area; "
            "normalise with method='zscore', mean=100, sd=10 first."
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = sd / mean
    sign = -1.0 if penalty == "negative" else 1.0
    return mean + sign * sd * cv


def _topsis(x: np.ndarray, w: np.ndarray, normalisation: str) -> np.ndarray:
    if normalisation == "vector":
        norm = np.sqrt(np.nansum(x**2, axis=0))
        r = x / np.where(norm > 0, norm, 1.0)
    elif normalisation == "minmax":
        lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        r = (x - lo) / span
    else:
        r = x
    v = r * w
    best, worst = np.nanmax(v, axis=0), np.nanmin(v, axis=0)
    d_plus = np.sqrt(np.nansum((v - best) ** 2, axis=1))
    d_minus = np.sqrt(np.nansum((v - worst) ** 2, axis=1))
    total = d_plus + d_minus
    score = np.divide(d_minus, total, out=np.full(len(x), 0.5), where=total > 0)
    return np.where(np.all(np.isnan(x), axis=1), np.nan, score)


def _copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    a, b = x[:, None, :], x[None, :, :]
    both = ~np.isnan(a) & ~np.isnan(b)
    wb = np.where(both, w, 0.0)
    wsum = wb.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        win = (wb * (a > b)).sum(axis=2) + 0.5 * (wb * (a == b)).sum(axis=2)
        share = win / wsum
    beats = np.where(wsum > 0, share > 0.5, False)
    loses = np.where(wsum > 0, share < 0.5, False)
    score = (beats.sum(axis=1) - loses.sum(axis=1)).astype("float64")
    return np.where(np.all(np.isnan(x), axis=1), np.nan, score)
