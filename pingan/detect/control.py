"""Control charts for rates: EWMA and Shewhart limits from an in-control period."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval, check_option
from pingan.detect._panel import (
    REASON_NO_BASELINE,
    baseline_columns,
    count_valid,
    quarter_frame,
    to_panel,
)
from pingan.detect.changepoint import _flag_columns, standardise

__all__ = ["ewma_chart", "shewhart_chart"]

Side = Literal["upper", "lower", "both"]
_EXTRA = ["center", "sigma", "in_control_start", "in_control_end"]


def _signed(z: np.ndarray, side: str) -> np.ndarray:
    """Return the score compared with the limit for the chosen side."""
    return {"upper": z, "lower": -z, "both": np.abs(z)}[side]


def ewma_chart(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    baseline: int | tuple[str, str] = 8,
    smoothing: float = 0.2,
    limit: float = 3.0,
    side: Side = "upper",
) -> pd.DataFrame:
    """Run an EWMA chart on each series with limits from an in-control period.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        A Series indexed by quarterly Periods, or a tidy panel of rates (or
        any measured value).
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    baseline : int or (str, str), default=8
        In-control period: the first ``baseline`` quarters of the data, or a
        ``(first, last)`` pair of quarter labels. Reported in the output.
    smoothing : float, default=0.2
        Weight ``lambda`` in (0, 1] of the newest quarter.
    limit : float, default=3.0
        Width ``L`` of the limits in standard errors of the EWMA.
    side : {"upper", "lower", "both"}, default="upper"
        Which departures count as anomalies.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter: the key columns, ``quarter``,
        ``value``, ``method`` (``"ewma"``), ``statistic`` (float, the EWMA
        minus ``center`` over its standard error at that quarter, signed for
        ``side``), ``p_value`` (always NaN), ``threshold`` (``limit``),
        ``is_anomaly`` (bool), ``reason``, ``center`` and ``sigma`` (float,
        in-control mean and sigma of single values) and ``in_control_start``,
        ``in_control_end`` (Period).

    Notes
    -----
    ``E_t = lambda y_t + (1 - lambda) E_{t-1}``, ``E_0 = mu_0``, with the
    exact standard error ``sigma sqrt(lambda / (2 - lambda) [1 - (1 -
    lambda)^(2t)])`` (the EWMA chart of Roberts 1959 with time-varying
    limits). ``mu_0`` is the in-control mean and ``sigma`` the
    average moving range over 1.128. A missing quarter carries ``E`` forward
    and gets a NaN statistic. The chart starts at the first quarter of the
    data, so in-control quarters are charted too.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=10, freq="Q")
    >>> y = pd.Series([10.0, 11, 9, 10, 11, 9, 10, 10, 14, 15], index=q)
    >>> ewma_chart(y)["is_anomaly"].tolist()[-3:]
    [False, False, True]
    """
    check_option("side", side, ("upper", "lower", "both"), "ewma_chart")
    check_interval("smoothing", smoothing, "ewma_chart", 0, 1, "right")
    check_interval("limit", limit, "ewma_chart", 0, closed="neither")
    panel = to_panel(data, value, by, "ewma_chart")
    in_control = baseline_columns(panel, baseline, "ewma_chart")
    z, center, sigma, reason = standardise(panel.values, in_control)
    score = _ewma_scores(z, smoothing)
    columns = _flag_columns(
        panel, _signed(score, side), limit, reason, center, sigma, in_control
    )
    return quarter_frame(panel, "ewma", columns, _EXTRA)


def _ewma_scores(z: np.ndarray, smoothing: float) -> np.ndarray:
    """Return the EWMA of standardised values over its exact standard error."""
    out = np.full(z.shape, np.nan)
    level = np.zeros(len(z))
    steps = np.zeros(len(z))
    for t in range(z.shape[1]):
        seen = ~np.isnan(z[:, t])
        level = np.where(seen, smoothing * z[:, t] + (1 - smoothing) * level, level)
        steps = steps + seen
        factor = smoothing / (2 - smoothing) * (1 - (1 - smoothing) ** (2 * steps))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, t] = np.where(seen, level / np.sqrt(factor), np.nan)
    return out


def shewhart_chart(
    data: pd.DataFrame | pd.Series,
    *,
    value: str = "value",
    exposure: str | None = None,
    by: Sequence[str] | None = None,
    baseline: int | tuple[str, str] = 8,
    limit: float = 3.0,
    side: Side = "upper",
) -> pd.DataFrame:
    """Flag quarters outside Shewhart limits: a u-chart for rates, else individuals.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        A tidy panel (or Series) of rates or values by quarter.
    value : str, default="value"
        Column of the rates (or values).
    exposure : str, optional
        Column such that ``value * exposure`` is the count, e.g. population
        in tens of thousands for a rate per 10,000 residents. With it the
        chart is a u-chart with limits that widen for small populations;
        without it, an individuals chart.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter``, ``value``
        and ``exposure``.
    baseline : int or (str, str), default=8
        In-control period, reported in the output.
    limit : float, default=3.0
        Width of the limits in standard deviations.
    side : {"upper", "lower", "both"}, default="upper"
        Which departures count as anomalies.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter with the columns of
        :func:`ewma_chart` (``method`` is ``"shewhart_u"`` or
        ``"shewhart_individuals"``); ``statistic`` is ``(y_t - center) /
        sigma_t`` and ``sigma`` is ``sigma_t`` of that quarter.

    Notes
    -----
    u-chart: ``center = sum(y_t e_t) / sum(e_t)`` over the in-control period
    and ``sigma_t = sqrt(center / e_t)`` (the Poisson standard deviation of a
    rate with exposure ``e_t``). Individuals chart: ``center`` is the
    in-control mean and ``sigma`` the average moving range over 1.128,
    the usual d2 constant for moving ranges of two. A rate with a missing exposure gets
    NaN.

    Examples
    --------
    >>> q = pd.period_range("2023Q1", periods=6, freq="Q")
    >>> df = pd.DataFrame({"quarter": q, "value": [2.0, 3, 2, 3, 2, 9],
    ...                    "exposure": 10.0})
    >>> shewhart_chart(df, exposure="exposure", baseline=4)["is_anomaly"].tolist()
    [False, False, False, False, False, True]
    """
    check_option("side", side, ("upper", "lower", "both"), "shewhart_chart")
    check_interval("limit", limit, "shewhart_chart", 0, closed="neither")
    if exposure is None:
        panel = to_panel(data, value, by, "shewhart_chart")
        in_control = baseline_columns(panel, baseline, "shewhart_chart")
        z, center, sigma, reason = standardise(panel.values, in_control)
        sigma = np.broadcast_to(sigma[:, None], z.shape)
        method = "shewhart_individuals"
    else:
        check_columns(data, [exposure], "shewhart_chart")
        panel, z, center, sigma, reason, in_control = _u_chart(
            data, value, exposure, by, baseline
        )
        method = "shewhart_u"
    columns = _flag_columns(
        panel, _signed(z, side), limit, reason, center, sigma[:, 0], in_control
    )
    columns["sigma"] = sigma
    return quarter_frame(panel, method, columns, _EXTRA)


def _u_chart(data, value, exposure, by, baseline):
    """Return the panel, u-chart z scores, center, sigma and reasons."""
    if by is None:
        by = [c for c in data.columns if c not in ("quarter", value, exposure)]
    panel = to_panel(data[[*by, "quarter", value]], value, by, "shewhart_chart")
    weights = to_panel(data[[*by, "quarter", exposure]], exposure, by, "shewhart_chart")
    e = weights.values
    in_control = baseline_columns(panel, baseline, "shewhart_chart")
    y = panel.values
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        counts = np.nansum((y * e)[:, in_control], axis=1)
        usable = ~np.isnan(y) & ~np.isnan(e)
        total = np.nansum(np.where(usable, e, np.nan)[:, in_control], axis=1)
        center = counts / total
        sigma = np.sqrt(center[:, None] / e)
        z = (y - center[:, None]) / sigma
    reason = np.full(len(y), None, dtype=object)
    reason[~(center > 0)] = "no events in the baseline"
    reason[count_valid(np.where(usable, y, np.nan)[:, in_control]) < 2] = (
        REASON_NO_BASELINE
    )
    z[np.array([r is not None for r in reason])] = np.nan
    return panel, z, center, sigma, reason, in_control
