"""Seasonal anomalies: robust STL residuals scored against their spread.

The score divides each residual by 1.4826 times the median absolute
deviation of the residuals.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from pingan._validation import check_interval, check_option
from pingan.detect._panel import (
    REASON_MISSING,
    REASON_TOO_SHORT,
    quarter_frame,
    to_panel,
)

__all__ = ["stl_anomaly"]

_MAD_SCALE = 1.4826


def stl_anomaly(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    threshold: float = 3.5,
    side: Literal["upper", "lower", "both"] = "upper",
    min_years: int = 2,
) -> pd.DataFrame:
    """Score each quarter by its robust STL residual and flag large ones.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    threshold : float, default=3.5
        Alarm when the score passes it (in robust standard deviations).
    side : {"upper", "lower", "both"}, default="upper"
        Which departures count as anomalies.
    min_years : int, default=2
        Whole years of quarters needed for STL; a shorter series falls back
        to a robust z-score around its median.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter: the key columns, ``quarter``,
        ``value``, ``method`` (``"stl"``), ``statistic`` (float, the score,
        signed for ``side``), ``p_value`` (always NaN), ``threshold``,
        ``is_anomaly`` (bool), ``reason``, ``model`` (str, ``"stl"``,
        ``"stl_nonrobust"`` or ``"median"`` for the fallback), ``trend``,
        ``seasonal`` and ``resid`` (float, the decomposition in value units; for the
        fallback, trend is the median, seasonal 0).

    Notes
    -----
    With at least ``4 * min_years`` quarters between the first and last
    value, ``statsmodels.tsa.seasonal.STL(period=4, robust=True)`` splits
    the series into trend, seasonal and residual; the score is ``resid /
    (1.4826 MAD(resid))``, where MAD is the median absolute deviation from
    the median residual, so the score is roughly a z-score for normal noise
    and a few outliers do not inflate the scale. The seasonal smoother spans
    more years than the series has, with degree 0, so the seasonal pattern
    is the same every year (R's ``s.window = "periodic"``); a one-off spike
    then stays in the residual instead of entering the seasonal term. When
    the robust fit leaves a MAD of zero, which happens on two or three years,
    the fit is repeated without robustness weights (``model`` is
    ``"stl_nonrobust"``). STL needs a complete
    series, so missing quarters inside the span are filled by linear
    interpolation for the fit and get a NaN score. With fewer quarters
    (seasonality cannot be estimated from less than two cycles), the
    fallback is ``(y - median(y)) / (1.4826 MAD(y))``, which ignores
    seasonality and trend. Fewer than 4 values, or a MAD of zero, give NaN
    and a reason.

    Examples
    --------
    >>> q = pd.period_range("2021Q1", periods=12, freq="Q")
    >>> y = pd.Series([10.0, 14, 12, 8, 11, 16, 12, 9, 12, 30, 13, 10], index=q)
    >>> out = stl_anomaly(y, threshold=2.5)
    >>> out.loc[out["is_anomaly"], "quarter"].tolist()
    [Period('2023Q2', 'Q-DEC')]
    """
    check_interval("threshold", threshold, "stl_anomaly", 0, closed="neither")
    check_option("side", side, ("upper", "lower", "both"), "stl_anomaly")
    if not isinstance(min_years, (int, np.integer)) or min_years < 2:
        check_option("min_years", min_years, ["an integer >= 2"], "stl_anomaly")
    panel = to_panel(data, value, by, "stl_anomaly")
    names = ("score", "trend", "seasonal", "resid")
    columns = {name: np.full(panel.values.shape, np.nan) for name in names}
    model = np.full(panel.values.shape, None, dtype=object)
    reason = np.full(panel.values.shape, None, dtype=object)
    for row in range(panel.n_series):
        fit = _decompose(panel.values[row], 4 * min_years)
        for name in names:
            columns[name][row] = fit[name]
        model[row], reason[row] = fit["model"], fit["reason"]
    reason[np.isnan(panel.values) & (reason == None)] = REASON_MISSING  # noqa: E711
    score = {"upper": 1, "lower": -1, "both": 1}[side] * columns["score"]
    if side == "both":
        score = np.abs(score)
    out = {
        "statistic": score,
        "p_value": np.full(score.shape, np.nan),
        "threshold": threshold,
        "is_anomaly": np.nan_to_num(score, nan=-np.inf) > threshold,
        "reason": reason,
        "model": model,
        **{name: columns[name] for name in names[1:]},
    }
    return quarter_frame(panel, "stl", out, ["model", "trend", "seasonal", "resid"])


def _mad(x: np.ndarray) -> float:
    """Return the median absolute deviation from the median."""
    return float(np.median(np.abs(x - np.median(x))))


def _negligible(piece: np.ndarray) -> float:
    """Return the MAD below which residuals count as exactly zero."""
    return 1e-6 * (1 + float(np.median(np.abs(piece))))


def _stl(piece: np.ndarray):
    """Return trend, seasonal, residual and model name of a robust STL fit.

    On two or three years the robustness weights can leave most residuals at
    zero (the loess fits interpolate the points it keeps), so the MAD is 0;
    the fit is then repeated without robustness weights (model
    ``"stl_nonrobust"``).
    """
    for robust in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fit = STL(
                piece,
                period=4,
                seasonal=_periodic(len(piece)),
                seasonal_deg=0,
                robust=robust,
            ).fit()
        if _mad(fit.resid) > _negligible(piece):
            break
    model = "stl" if robust else "stl_nonrobust"
    return fit.trend, fit.seasonal, fit.resid, model


def _periodic(length: int) -> int:
    """Return an odd seasonal smoother span longer than the series (periodic)."""
    return 2 * (length // 4) + 7 if (length // 4) % 2 == 0 else 2 * (length // 4) + 9


def _decompose(row: np.ndarray, min_length: int) -> dict:
    """Return score, components, model name and reason for one series."""
    out = {
        name: np.full(len(row), np.nan)
        for name in ("score", "trend", "seasonal", "resid")
    }
    valid = np.flatnonzero(~np.isnan(row))
    out["model"], out["reason"] = None, None
    if len(valid) < 4:
        out["reason"] = f"{REASON_TOO_SHORT} (fewer than 4 values)"
        return out
    first, last = valid[0], valid[-1] + 1
    piece = pd.Series(row[first:last]).interpolate().to_numpy()
    if last - first >= min_length:
        trend, seasonal, resid, out["model"] = _stl(piece)
    else:
        trend = np.full(len(piece), np.median(piece))
        seasonal = np.zeros(len(piece))
        resid = piece - trend
        out["model"] = "median"
    observed = ~np.isnan(row[first:last])
    mad = _mad(resid[observed])
    if not mad > _negligible(piece):
        out["reason"] = "no variation in the residuals (MAD is 0)"
        return out
    for name, part in (("trend", trend), ("seasonal", seasonal), ("resid", resid)):
        out[name][first:last] = np.where(observed, part, np.nan)
    out["score"][first:last] = np.where(observed, resid / (_MAD_SCALE * mad), np.nan)
    return out
