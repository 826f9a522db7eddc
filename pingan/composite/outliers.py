"""Outlier treatment by the skew-and-kurtosis rule used in JRC audits.

An indicator is treated when its sample skewness and kurtosis are both
large (|skew| > 2 and excess kurtosis > 3.5). Treatment first winsorises
up to ``winmax`` points, one at a time on the side of the skew. If the
indicator still fails, the winsorisation is dropped and a log transform is
applied to the original values instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from pingan._validation import check_interval, check_option
from pingan.composite._common import check_wide
from pingan.composite.normalise import normalise

__all__ = ["TREATED_COLUMNS", "OutlierResult", "skew_kurtosis", "treat_outliers"]

TREATED_COLUMNS = [
    "area_code",
    "indicator",
    "original_value",
    "treated_value",
    "treatment",
]


@dataclass(frozen=True)
class OutlierResult:
    """Result of :func:`treat_outliers`.

    Attributes
    ----------
    data : pandas.DataFrame
        Treated wide frame, same index and columns as the input.
    treated : pandas.DataFrame
        One row per changed value: ``area_code`` (index label), ``indicator``,
        ``original_value``, ``treated_value`` (float), ``treatment``
        (``'winsorised_high'``, ``'winsorised_low'`` or the log method).
    summary : pandas.DataFrame
        One row per indicator: ``indicator``, ``skew_before``,
        ``kurtosis_before``, ``skew_after``, ``kurtosis_after`` (float),
        ``n_winsorised`` (int), ``treatment`` (``'none'``, ``'winsorise'`` or
        the log method).
    """

    data: pd.DataFrame
    treated: pd.DataFrame
    summary: pd.DataFrame


def skew_kurtosis(data: pd.DataFrame) -> pd.DataFrame:
    """Compute the sample skewness and excess kurtosis of each indicator.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators. NaN values are skipped.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator`` (str), ``skew`` (float, adjusted
        Fisher-Pearson G1), ``kurtosis`` (float, sample excess kurtosis G2),
        ``fails`` (bool, |skew| > 2 and kurtosis > 3.5), ``n`` (int).

    Notes
    -----
    G1 and G2 are ``scipy.stats.skew(bias=False)`` and
    ``scipy.stats.kurtosis(bias=False)``, the estimators COINr uses. Fewer
    than 4 values or a constant column give NaN and ``fails`` False.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 1, 1, 1, 1, 1, 1, 50]})
    >>> skew_kurtosis(data).round(2)
      indicator  skew  kurtosis  fails  n
    0         a  2.83       8.0   True  8
    """
    values = check_wide(data, "skew_kurtosis")
    rows = [_skew_kurt_row(col, values[col].dropna().to_numpy()) for col in values]
    return pd.DataFrame(rows, columns=["indicator", "skew", "kurtosis", "fails", "n"])


def _skew_kurt_row(col: object, x: np.ndarray) -> tuple:
    if len(x) < 4 or np.ptp(x) == 0:
        return col, np.nan, np.nan, False, len(x)
    skew = float(stats.skew(x, bias=False))
    kurt = float(stats.kurtosis(x, bias=False))
    return col, skew, kurt, _fails(skew, kurt), len(x)


def _fails(skew: float, kurt: float, skew_max: float = 2.0, kurt_max: float = 3.5):
    return bool(abs(skew) > skew_max and kurt > kurt_max)


def treat_outliers(
    data: pd.DataFrame,
    winmax: int = 5,
    skew_max: float = 2.0,
    kurtosis_max: float = 3.5,
    fallback: Literal["log_ct", "log_ct_orig", "log_ct_plus", "none"] = "log_ct",
) -> OutlierResult:
    """Winsorise skewed, heavy-tailed indicators, with a log fallback.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators, original units.
    winmax : int, default 5
        Maximum number of points winsorised per indicator.
    skew_max, kurtosis_max : float, default 2.0 and 3.5
        An indicator fails when |skew| > ``skew_max`` and excess kurtosis >
        ``kurtosis_max``.
    fallback : str, default "log_ct"
        Transform applied to the original values when winsorising ``winmax``
        points is not enough (see :func:`pingan.composite.normalise`);
        ``"none"`` keeps the winsorised values.

    Returns
    -------
    OutlierResult
        ``data`` (treated wide frame), ``treated`` (one row per changed
        value) and ``summary`` (one row per indicator); see
        :class:`OutlierResult` for the columns.

    Notes
    -----
    Winsorisation works one point at a time: with positive skew the highest
    value is replaced by the next highest distinct value, with negative
    skew the lowest by the next lowest, and the rule is tested again. This
    is the procedure of the JRC/COINr ``winsorise`` (default ``winmax`` 5).
    The log fallback is applied to the original, not the winsorised values,
    and keeps the original direction of the indicator (no sign change).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 2, 1, 2, 3, 2, 1, 40]},
    ...                     index=list("abcdefghij"))
    >>> result = treat_outliers(data)
    >>> result.treated[["area_code", "original_value", "treated_value"]]
      area_code  original_value  treated_value
    0         j            40.0            3.0
    """
    func = "treat_outliers"
    values = check_wide(data, func)
    check_interval("winmax", winmax, func, 0)
    check_option(
        "fallback", fallback, ["log_ct", "log_ct_orig", "log_ct_plus", "none"], func
    )
    limits = (skew_max, kurtosis_max)
    treated, logs, summary = {}, [], []
    for col in values.columns:
        column, log, row = _treat_column(values[col], col, winmax, limits, fallback)
        treated[col] = column
        logs.append(log)
        summary.append(row)
    out = pd.DataFrame(treated, index=values.index, columns=values.columns)
    treated_points = pd.concat(
        [pd.DataFrame(columns=TREATED_COLUMNS), *logs], ignore_index=True
    )
    return OutlierResult(
        out,
        treated_points.astype({"original_value": float, "treated_value": float}),
        pd.DataFrame(summary),
    )


def _treat_column(x, col, winmax, limits, fallback):
    """Treat one column; return the column, its change log and a summary row."""
    before = _skew_kurt_row(col, x.dropna().to_numpy())
    current, n_win, fails = _winsorise_until_pass(x, col, before, winmax, limits)
    treatment = "winsorise" if n_win else "none"
    if fails and fallback != "none":
        current = normalise(x.to_frame(), fallback)[col]
        treatment, n_win = fallback, 0

    after = _skew_kurt_row(col, current.dropna().to_numpy())
    changed = current.ne(x) & x.notna()
    log = pd.DataFrame(
        {
            "area_code": x.index[changed],
            "indicator": col,
            "original_value": x[changed].to_numpy(),
            "treated_value": current[changed].to_numpy(),
            "treatment": _labels(x[changed], current[changed], treatment),
        }
    )
    row = {
        "indicator": col,
        "skew_before": before[1],
        "kurtosis_before": before[2],
        "skew_after": after[1],
        "kurtosis_after": after[2],
        "n_winsorised": n_win,
        "treatment": treatment,
    }
    return current, log, row


def _winsorise_until_pass(x, col, before, winmax, limits):
    """Winsorise one point at a time until the rule passes or winmax is reached.

    Returns the column, the number of points winsorised and whether the
    rule still fails.
    """
    current, n_win, stats_now = x.copy(), 0, before
    fails = not np.isnan(before[1]) and _fails(before[1], before[2], *limits)
    while fails and n_win < winmax:
        current = _winsorise_once(current, stats_now[1])
        n_win += 1
        stats_now = _skew_kurt_row(col, current.dropna().to_numpy())
        fails = not np.isnan(stats_now[1]) and _fails(
            stats_now[1], stats_now[2], *limits
        )
    return current, n_win, fails


def _winsorise_once(x: pd.Series, skew: float) -> pd.Series:
    """Replace the extreme value(s) on the side of the skew by the next value."""
    distinct = np.sort(x.dropna().unique())
    if len(distinct) < 2:
        return x
    if skew > 0:
        return x.where(x != distinct[-1], distinct[-2])
    return x.where(x != distinct[0], distinct[1])


def _labels(original: pd.Series, treated: pd.Series, treatment: str) -> list[str]:
    if treatment != "winsorise":
        return [treatment] * len(original)
    return [
        "winsorised_high" if t < o else "winsorised_low"
        for o, t in zip(original, treated, strict=True)
    ]
