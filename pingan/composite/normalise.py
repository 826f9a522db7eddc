"""Normalisation of a wide area x indicator frame onto comparable scales.

Every method is reached through :func:`normalise`, which takes a wide frame
(index: areas, columns: indicators) and returns a frame of the same shape and
labels. Directions (+1 if a higher value is better, -1 if worse) are applied
by every method, so that after normalisation a higher value is always better.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from pingan._validation import check_option
from pingan.composite._common import check_wide, direction_vector
from pingan.exceptions import ConstantIndicatorWarning, PinganError

__all__ = ["NORMALISE_METHODS", "normalise"]

NormaliseMethod = Literal[
    "minmax",
    "zscore",
    "goalposts",
    "dist_to_max",
    "dist_to_ref",
    "dist_to_target",
    "fraction_of_max",
    "rank",
    "percentile_rank",
    "borda",
    "log_ct",
    "log_ct_orig",
    "log_ct_plus",
    "boxcox",
]

NORMALISE_METHODS: tuple[str, ...] = NormaliseMethod.__args__

# Methods whose result is a transform of the raw value: direction is applied to
# the result, not to the input, so that skew is treated on the original scale.
_TRANSFORMS = ("log_ct", "log_ct_orig", "log_ct_plus", "boxcox")


def normalise(
    data: pd.DataFrame,
    method: NormaliseMethod = "minmax",
    direction: object = None,
    **params: object,
) -> pd.DataFrame:
    """Normalise every indicator column with one method.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame: one row per area (index), one numeric column per
        indicator, values in the indicator's own units. NaN is kept as NaN.
    method : str, default "minmax"
        One of ``NORMALISE_METHODS`` (see Notes).
    direction : int, dict or pandas.Series, optional
        +1 if a higher value is better, -1 if worse, per indicator (a scalar
        applies to all). Default +1 for every indicator.
    **params
        Method parameters; a scalar applies to every indicator, a dict or
        Series gives one value per indicator:

        - ``minmax``: ``bounds=(0, 100)``.
        - ``zscore``: ``mean=0``, ``sd=1``, ``ddof=1``.
        - ``goalposts``: ``low``, ``high`` (required, original units, ``low``
          is the worse end only when direction is +1), ``scale=100``,
          ``truncate=True``.
        - ``dist_to_max``: ``scale=1``.
        - ``dist_to_ref``: ``reference`` (required, an area label), ``cap=False``.
        - ``dist_to_target``: ``target`` (required, original units), ``cap=False``.
        - ``boxcox``: ``lmbda=None`` (None: maximum-likelihood estimate).

    Returns
    -------
    pandas.DataFrame
        Same index and columns as ``data``, float64, higher is better.

    Raises
    ------
    PinganError
        If ``method`` is unknown, a direction is not +1 or -1, a required
        parameter is missing, or ``fraction_of_max`` meets negative values.

    Warns
    -----
    ConstantIndicatorWarning
        For each indicator whose non-missing values are all equal.

    Notes
    -----
    With x the value multiplied by its direction (scaling methods) and min,
    max, mean and sd taken over the areas of the column:

    - ``minmax``: l + (x - min) / (max - min) * (u - l).
    - ``zscore``: mean + sd * (x - mean_x) / sd_x (``ddof`` sets the divisor;
      Mazziotta-Pareto uses ``mean=100, sd=10, ddof=0``).
    - ``goalposts``: (x - low) / (high - low) * scale, truncated to
      [0, scale]; with direction -1 this reads (high - x) / (high - low).
    - ``dist_to_max``: scale * (1 - (max - x) / (max - min)); it equals
      min-max onto [0, scale].
    - ``dist_to_ref``: 1 - (x_ref - x) / (max - min); capped at 1 if ``cap``.
    - ``dist_to_target``: 1 - (t - x) / (t - min); capped at 1 if ``cap``.
      Where the target is at or below the minimum, every area scores 1.
    - ``fraction_of_max``: x / max for direction +1 and min / x for -1, the
      share of the best value. Values must be non-negative, and 0 / 0 is 1.
    - ``rank``: rank with ties taking the minimum, 1 = worst, n = best.
    - ``percentile_rank``: (rank - 1) / (n - 1) in [0, 1].
    - ``borda``: number of areas with a strictly worse value, in [0, n - 1].
    - ``log_ct``: ln(x - min + 0.01 (max - min)); ``log_ct_orig``:
      ln(x - min + 1); ``log_ct_plus``: as ``log_ct``, mirrored when the
      skew is negative. ``boxcox``: (y^lambda - 1) / lambda (ln y for
      lambda = 0) with y = x - min + 1 if any x <= 0. For these transforms
      the direction multiplies the result.

    Constant indicator rule: an indicator whose non-missing values are all
    equal cannot rank areas. It raises a ``ConstantIndicatorWarning`` and
    every area gets the midpoint of the method's output range for methods
    scaled by the data's spread (minmax (l + u) / 2, zscore the target mean,
    dist_to_max scale / 2, dist_to_ref 1, rank (n + 1) / 2, percentile_rank
    0.5, borda (n - 1) / 2, log and Box-Cox transforms 0). Methods anchored
    on fixed values (goalposts, dist_to_target, fraction_of_max) keep their
    formula value. No method turns a non-missing value into NaN.

    Formulas follow the COINr documentation (Becker et al., 2022,
    ``n_*`` functions) and are checked against hand calculations in
    ``tests/test_composite_normalise.py``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [10.0, 5.0, 0.0]},
    ...                     index=["x", "y", "z"])
    >>> normalise(data, "minmax", direction={"a": 1, "b": -1}).round(1)
           a      b
    x    0.0    0.0
    y   33.3   50.0
    z  100.0  100.0
    """
    func = "normalise"
    check_option("method", method, NORMALISE_METHODS, func)
    values = check_wide(data, func)
    signs = direction_vector(direction, values.columns, func)
    columns = {
        col: _normalise_column(values[col], method, signs[col], params, col)
        for col in values.columns
    }
    return pd.DataFrame(columns, index=values.index, columns=values.columns)


def _param(params: dict, name: str, col: object, default: object = None) -> object:
    """Return the value of one parameter for one indicator column."""
    value = params.get(name, default)
    if isinstance(value, dict | pd.Series):
        if col not in value:
            raise PinganError(f"normalise: {name} has no value for indicator {col!r}.")
        return value[col]
    if value is None and default is None and name in _REQUIRED:
        raise PinganError(
            f"normalise: the parameter {name!r} is required by this method; "
            f"give a value for indicator {col!r}."
        )
    return value


_REQUIRED = ("low", "high", "reference", "target")


def _normalise_column(
    x: pd.Series, method: str, sign: float, params: dict, col: object
) -> pd.Series:
    """Normalise one indicator column (see :func:`normalise`)."""
    observed = x.dropna()
    constant = len(observed) > 0 and observed.nunique() == 1
    if constant:
        warnings.warn(
            f"normalise: indicator {col!r} has the same value for every area; "
            "it gets the constant-indicator value of method "
            f"{method!r} (see Notes).",
            ConstantIndicatorWarning,
            stacklevel=4,
        )
        neutral = _constant_value(method, params, col, len(observed))
        if neutral is not None:
            return x.where(x.isna(), neutral)
    if method in _TRANSFORMS:
        return sign * _transform(x, method, params, col)
    return _scale(x * sign, method, sign, params, col)


def _constant_value(method: str, params: dict, col: object, n: int) -> float | None:
    """Return the value every area gets on a constant indicator, or None."""
    if method == "minmax":
        low, high = _param(params, "bounds", col, (0.0, 100.0))
        return (low + high) / 2
    if method == "zscore":
        return float(_param(params, "mean", col, 0.0))
    if method == "dist_to_max":
        return float(_param(params, "scale", col, 1.0)) / 2
    fixed = {"dist_to_ref": 1.0, "rank": (n + 1) / 2, "percentile_rank": 0.5}
    fixed |= {"borda": (n - 1) / 2} | dict.fromkeys(_TRANSFORMS, 0.0)
    return fixed.get(method)


def _scale(
    x: pd.Series, method: str, sign: float, params: dict, col: object
) -> pd.Series:
    """Apply a scaling method to a column already multiplied by its direction."""
    lo, hi = x.min(), x.max()
    if method == "minmax":
        low, high = _param(params, "bounds", col, (0.0, 100.0))
        return low + (x - lo) / (hi - lo) * (high - low)
    if method == "zscore":
        ddof = int(_param(params, "ddof", col, 1))
        mean, sd = _param(params, "mean", col, 0.0), _param(params, "sd", col, 1.0)
        return mean + sd * (x - x.mean()) / x.std(ddof=ddof)
    if method == "goalposts":
        return _goalposts(x, sign, params, col)
    if method == "dist_to_max":
        return float(_param(params, "scale", col, 1.0)) * (1 - (hi - x) / (hi - lo))
    if method == "dist_to_ref":
        ref = _param(params, "reference", col)
        if ref not in x.index:
            raise PinganError(f"normalise: reference area {ref!r} is not in the data.")
        out = 1 - (x[ref] - x) / (hi - lo)
        return out.clip(upper=1.0) if _param(params, "cap", col, False) else out
    if method == "dist_to_target":
        return _dist_to_target(x, sign, params, col)
    if method == "fraction_of_max":
        return _fraction_of_max(x * sign, sign, col)
    return _rank_based(x, method)


def _goalposts(x: pd.Series, sign: float, params: dict, col: object) -> pd.Series:
    """Score against fixed goalposts given in original units."""
    low, high = float(_param(params, "low", col)), float(_param(params, "high", col))
    if low == high:
        raise PinganError(f"normalise: goalposts of {col!r} are equal ({low}).")
    if sign < 0:
        low, high = -high, -low
    scale = float(_param(params, "scale", col, 100.0))
    out = (x - low) / (high - low) * scale
    return out.clip(0.0, scale) if _param(params, "truncate", col, True) else out


def _dist_to_target(x: pd.Series, sign: float, params: dict, col: object) -> pd.Series:
    """Score the distance to a target given in original units."""
    target = sign * float(_param(params, "target", col))
    span = target - x.min()
    if span <= 0:
        return x.where(x.isna(), 1.0)
    out = 1 - (target - x) / span
    return out.clip(upper=1.0) if _param(params, "cap", col, False) else out


def _fraction_of_max(x: pd.Series, sign: float, col: object) -> pd.Series:
    """Return x / max (benefit) or min / x (cost) on original values."""
    if (x < 0).any():
        raise PinganError(
            f"normalise: fraction_of_max needs non-negative values; "
            f"indicator {col!r} has {x.min()}."
        )
    if sign > 0:
        return x / x.max() if x.max() > 0 else x.where(x.isna(), 1.0)
    ratio = x.min() / x
    return ratio.where(~((x == 0) & (x.min() == 0)), 1.0)


def _rank_based(x: pd.Series, method: str) -> pd.Series:
    """Return rank, percentile rank or Borda count (ties take the minimum)."""
    rank = x.rank(method="min")
    n = x.notna().sum()
    if method == "rank":
        return rank
    if method == "percentile_rank":
        return (rank - 1) / (n - 1)
    return rank - 1


def _transform(x: pd.Series, method: str, params: dict, col: object) -> pd.Series:
    """Apply a log or Box-Cox transform on the original scale."""
    lo, hi = x.min(), x.max()
    if method == "log_ct":
        return np.log(x - lo + 0.01 * (hi - lo))
    if method == "log_ct_orig":
        return np.log(x - lo + 1)
    if method == "log_ct_plus":
        if stats.skew(x.dropna(), bias=False) < 0:
            mirrored = -x
            return -np.log(mirrored - mirrored.min() + 0.01 * (hi - lo))
        return np.log(x - lo + 0.01 * (hi - lo))
    shifted = x - lo + 1 if (x <= 0).any() else x
    lmbda = _param(params, "lmbda", col, None)
    if lmbda is None:
        lmbda = stats.boxcox(shifted.dropna().to_numpy())[1]
    lmbda = float(lmbda)
    if lmbda == 0:
        return np.log(shifted)
    return (shifted**lmbda - 1) / lmbda
