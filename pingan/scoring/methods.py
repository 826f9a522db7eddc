"""Scoring methods: turn indicator values into a fraction of the points.

Each method maps values to ``s`` in [0, 1], where 1 earns all of the
indicator's points and 0 earns none; the direction is applied so that a
higher ``s`` is always safer. All methods work on NumPy arrays of any shape
(for the engine: quarters x areas for one indicator) and keep NaN as NaN.
"""

from __future__ import annotations

import warnings

import numpy as np

from pingan.exceptions import ConstantIndicatorWarning, PinganError

__all__ = [
    "goalpost_score",
    "minmax_score",
    "ratio_score",
    "benchmark_score",
    "deduction_score",
    "target_score",
]


def _check_direction(direction: int, func: str) -> None:
    if direction not in (-1, 1):
        raise PinganError(f"{func}: direction must be -1 or 1; got {direction!r}.")


def goalpost_score(
    x: np.ndarray, low: float, high: float, direction: int = -1
) -> np.ndarray:
    """Score values against fixed goalposts, truncated to [0, 1].

    Parameters
    ----------
    x : numpy.ndarray
        Indicator values (any shape), in the indicator's units.
    low, high : float
        Goalposts in the same units, ``low <= high``; usually the minimum and
        maximum over a reference period, so that the same value always earns
        the same score whatever the other areas do.
    direction : {-1, 1}, default=-1
        -1 if a higher value is worse, 1 if better.

    Returns
    -------
    numpy.ndarray
        ``s`` in [0, 1], same shape; NaN where ``x`` is NaN.

    Notes
    -----
    For ``direction = 1``: ``s = clip((x - low) / (high - low), 0, 1)``; for
    ``direction = -1``: ``s = clip((high - x) / (high - low), 0, 1)``. Values
    beyond a goalpost are truncated, so a record low still earns 1. When
    ``high == low`` the goalposts cannot separate values: ``s`` is 1 on the
    good side of them (or on them) and 0 on the bad side.

    Examples
    --------
    >>> goalpost_score(np.array([0.0, 5.0, 10.0, 12.0]), low=0, high=10)
    array([1. , 0.5, 0. , 0. ])
    """
    _check_direction(direction, "goalpost_score")
    if high < low:
        raise PinganError(f"goalpost_score: low ({low}) must not exceed high ({high}).")
    x = np.asarray(x, dtype=float)
    if high == low:
        good = (x <= low) if direction == -1 else (x >= low)
        return np.where(np.isnan(x), np.nan, good.astype(float))
    s = (x - low) / (high - low)
    if direction == -1:
        s = 1.0 - s
    return np.clip(s, 0.0, 1.0)


def minmax_score(x: np.ndarray, direction: int = -1, axis: int = -1) -> np.ndarray:
    """Score values by min-max over the areas of the same quarter.

    Parameters
    ----------
    x : numpy.ndarray
        Values; ``axis`` runs over areas (e.g. shape quarters x areas).
    direction : {-1, 1}, default=-1
        -1 if a higher value is worse.
    axis : int, default=-1
        Axis of the areas.

    Returns
    -------
    numpy.ndarray
        ``s`` in [0, 1]: 1 for the best area of the quarter, 0 for the worst.

    Warns
    -----
    ConstantIndicatorWarning
        When every area has the same value in a quarter; they all get 1.

    Notes
    -----
    ``s = (x - min) / (max - min)`` (reversed for ``direction = -1``), with min
    and max over the areas of each quarter, ignoring NaN. A score change
    between quarters can then come from the other areas moving; use
    :func:`goalpost_score` where scores must be comparable over time.

    Examples
    --------
    >>> minmax_score(np.array([[1.0, 2.0, 3.0]]))
    array([[1. , 0.5, 0. ]])
    """
    _check_direction(direction, "minmax_score")
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanmin(x, axis=axis, keepdims=True)
        high = np.nanmax(x, axis=axis, keepdims=True)
    span = high - low
    constant = span == 0
    if constant.any():
        warnings.warn(
            f"minmax_score: {int(constant.sum())} quarter(s) have the same value "
            "for every area; all areas get the full score there.",
            ConstantIndicatorWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (x - low) / np.where(constant, 1.0, span)
    s = np.where(constant, 1.0, s)
    s = 1.0 - s if direction == -1 else s
    s = np.where(constant, 1.0, s)
    return np.where(np.isnan(x), np.nan, s)


def ratio_score(
    x: np.ndarray, benchmark: np.ndarray, direction: int = -1, tolerance: float = 1.0
) -> np.ndarray:
    """Score values by their ratio to a benchmark.

    Parameters
    ----------
    x : numpy.ndarray
        Values.
    benchmark : numpy.ndarray or float
        Benchmark in the same units, broadcast against ``x``.
    direction : {-1, 1}, default=-1
        -1 if a higher value is worse.
    tolerance : float, default=1.0
        How far past the benchmark the score falls to 0, as a ratio: with 1,
        a value twice the benchmark (``direction = -1``) scores 0.

    Returns
    -------
    numpy.ndarray
        ``s`` in [0, 1]; NaN where ``x`` or ``benchmark`` is NaN.

    Notes
    -----
    With ``r = x / benchmark`` for ``direction = -1`` (``benchmark / x`` for
    1): ``s = 1`` if ``r <= 1``, else ``max(0, 1 - (r - 1) / tolerance)``. A
    zero benchmark gives ``s = 1`` where ``x`` equals it and 0 elsewhere on
    the bad side, never an infinite ratio.

    Examples
    --------
    >>> ratio_score(np.array([5.0, 10.0, 15.0, 20.0, 0.0]), 10.0)
    array([1. , 1. , 0.5, 0. , 1. ])
    >>> ratio_score(np.array([0.0, 1.0]), 0.0)
    array([1., 0.])
    """
    _check_direction(direction, "ratio_score")
    if not tolerance > 0:
        raise PinganError(f"ratio_score: tolerance must be > 0; got {tolerance!r}.")
    x = np.asarray(x, dtype=float)
    b = np.broadcast_to(np.asarray(benchmark, dtype=float), x.shape)
    num, den = (x, b) if direction == -1 else (b, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = num / den
    s = np.clip(1.0 - (r - 1.0) / tolerance, 0.0, 1.0)
    s = np.where(den == 0, np.where(num == 0, 1.0, 0.0), s)
    return np.where(np.isnan(x) | np.isnan(b), np.nan, s)


def benchmark_score(
    x: np.ndarray,
    county: np.ndarray,
    own: np.ndarray,
    direction: int = -1,
    weight_county: float = 0.5,
    tolerance: float = 1.0,
) -> np.ndarray:
    """Score values against the county benchmark and the area's own history.

    Parameters
    ----------
    x : numpy.ndarray
        Values of the areas.
    county : numpy.ndarray
        County benchmark for each value (all areas pooled in the same
        quarter), broadcast against ``x``.
    own : numpy.ndarray
        The area's own mean for the same calendar quarter of the previous
        three years; NaN where there is no history.
    direction : {-1, 1}, default=-1
        -1 if a higher value is worse.
    weight_county : float, default=0.5
        Weight of the county comparison in [0, 1]; the rest goes to the own
        history.
    tolerance : float, default=1.0
        Passed to :func:`ratio_score`.

    Returns
    -------
    numpy.ndarray
        ``s = w * ratio_score(x, county) + (1 - w) * ratio_score(x, own)``.
        Where one benchmark is missing, the other is used alone.

    Examples
    --------
    >>> x = np.array([10.0, 15.0, 15.0])
    >>> benchmark_score(x, county=10.0, own=np.array([10.0, 15.0, np.nan]))
    array([1.  , 0.75, 0.5 ])
    """
    if not 0.0 <= weight_county <= 1.0:
        raise PinganError(
            f"benchmark_score: weight_county must be in [0, 1]; got {weight_county!r}."
        )
    s_h = ratio_score(x, county, direction, tolerance)
    s_v = ratio_score(x, own, direction, tolerance)
    both = weight_county * s_h + (1.0 - weight_county) * s_v
    out = np.where(np.isnan(s_v), s_h, both)
    return np.where(np.isnan(s_h), s_v, out)


def deduction_score(x: np.ndarray, points: float, per_event: float) -> np.ndarray:
    """Score events by deducting points per event, floored at zero.

    Parameters
    ----------
    x : numpy.ndarray
        Number of events (or other units deducted per unit).
    points : float
        The indicator's full points.
    per_event : float
        Points deducted per event.

    Returns
    -------
    numpy.ndarray
        ``s = max(0, points - per_event * x) / points``.

    Notes
    -----
    This is the "deduct until nothing is left" rule (减完为止) used for rare
    serious events such as deaths or mass incidents.

    Examples
    --------
    >>> deduction_score(np.array([0, 1, 2, 5]), points=6, per_event=2.5)
    array([1.        , 0.58333333, 0.16666667, 0.        ])
    """
    if not points > 0:
        raise PinganError(f"deduction_score: points must be > 0; got {points!r}.")
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, points - per_event * x) / points


def target_score(
    x: np.ndarray, target: float, span: float = 20.0, direction: int = 1
) -> np.ndarray:
    """Score values against a target, falling linearly to zero over ``span``.

    Parameters
    ----------
    x : numpy.ndarray
        Values (e.g. a mediation success rate in percent).
    target : float
        Full score at or beyond the target.
    span : float, default=20.0
        Distance from the target, in the value's units, at which the score
        reaches 0.
    direction : {-1, 1}, default=1
        1 if a higher value is better.

    Returns
    -------
    numpy.ndarray
        ``s = clip(1 - shortfall / span, 0, 1)`` with ``shortfall =
        max(0, target - x)`` (``max(0, x - target)`` for ``direction = -1``).

    Examples
    --------
    >>> target_score(np.array([97.0, 95.0, 85.0, 70.0]), target=95)
    array([1. , 1. , 0.5, 0. ])
    """
    _check_direction(direction, "target_score")
    if not span > 0:
        raise PinganError(f"target_score: span must be > 0; got {span!r}.")
    x = np.asarray(x, dtype=float)
    shortfall = (target - x) if direction == 1 else (x - target)
    s = np.clip(1.0 - np.maximum(shortfall, 0.0) / span, 0.0, 1.0)
    return np.where(np.isnan(x), np.nan, s)
