"""Count aberrations from disease surveillance, adapted to quarterly counts.

EARS C1, C2 and C3 compare a quarter with the mean and standard deviation of
a sliding window of earlier quarters. The improved Farrington algorithm
(Noufaily et al. 2013) fits a quasi-Poisson regression with trend and a
quarter-of-year effect to the past years, down-weights past outbreaks and
flags a count above a negative-binomial upper prediction bound.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from pingan._validation import check_interval, check_option
from pingan.detect._panel import (
    REASON_MISSING,
    REASON_NO_BASELINE,
    quarter_frame,
    to_panel,
)

__all__ = ["ears", "farrington"]

_EARS_DEFAULT_THRESHOLD = {"C1": 3.0, "C2": 3.0, "C3": 2.0}


def ears(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    method: Literal["C1", "C2", "C3"] = "C1",
    baseline: int = 8,
    threshold: float | None = None,
    min_sigma: float = 0.0,
) -> pd.DataFrame:
    """Flag quarters with the EARS C1, C2 or C3 statistic (Hutwagner et al. 2003).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Counts (or rates) by quarter: a Series indexed by quarterly Periods,
        or a tidy panel.
    value : str, default="value"
        Column of the counts.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    method : {"C1", "C2", "C3"}, default="C1"
        C1: window of the ``baseline`` quarters just before. C2: the same
        window two quarters earlier (a guard band). C3: the sum over the
        current and two previous quarters of ``max(0, C2 - 1)``.
    baseline : int, default=8
        Window length in quarters (at least 3). Eight quarters contain each
        quarter of the year twice, so the window mean is not pulled by one
        season; the daily original uses 7 days.
    threshold : float, optional
        Alarm when the statistic exceeds it. Default 3 for C1 and C2, 2 for
        C3 (the CDC values).
    min_sigma : float, default=0
        Floor of the window standard deviation. With 0, a window with no
        variation gives NaN and a reason; 0.5 or 1 suits sparse counts.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter: the key columns, ``quarter``,
        ``value``, ``method`` (``"ears_c1"``, ``"ears_c2"`` or
        ``"ears_c3"``), ``statistic`` (float, C1, C2 or C3), ``p_value``
        (float, the normal upper tail of C1 or C2; NaN for C3),
        ``threshold``, ``is_anomaly`` (bool, ``statistic > threshold``),
        ``reason``, ``expected`` (float, the window mean) and ``upper``
        (float, for C1 and C2 the count at which the alarm starts).

    Notes
    -----
    ``C = (y_t - mean) / max(sd, min_sigma)`` with the sample standard
    deviation (ddof 1) of the window; C1 uses quarters ``t-b .. t-1``, C2
    ``t-b-2 .. t-3``. The first ``b`` (C1), ``b+2`` (C2) or ``b+4`` (C3)
    quarters have no statistic. A window with fewer than 3 non-missing
    quarters gives NaN. C1 and C2 upper bounds match R surveillance 1.20.3
    ``earsC`` (alpha set to ``1 - Phi(threshold)``); see
    ``tests/reference/surveillance_ears.R``. For C3, surveillance 1.20.3
    computes its bound from the observed count instead of the window mean,
    so its C3 alarm ignores the current quarter; this function follows the
    C3 definition in the ``earsC`` help page. Seasonality is not modelled.

    Examples
    --------
    >>> q = pd.period_range("2022Q1", periods=10, freq="Q")
    >>> y = pd.Series([4.0, 6, 5, 5, 4, 6, 5, 5, 5, 14], index=q)
    >>> out = ears(y).set_index("quarter")
    >>> out[["statistic", "is_anomaly"]].tail(2).round(2)
             statistic  is_anomaly
    quarter
    2024Q1        0.00       False
    2024Q2       13.85        True
    """
    check_option("method", method, ("C1", "C2", "C3"), "ears")
    if not isinstance(baseline, (int, np.integer)) or baseline < 3:
        check_option("baseline", baseline, ["an integer >= 3"], "ears")
    check_interval("min_sigma", min_sigma, "ears", 0)
    threshold = _EARS_DEFAULT_THRESHOLD[method] if threshold is None else threshold
    panel = to_panel(data, value, by, "ears")
    lag = 1 if method == "C1" else 3
    c, mean, sd = _ears_c(panel.values, baseline, lag, min_sigma)
    upper = mean + threshold * sd
    p_value = stats.norm.sf(c)
    if method == "C3":
        c = _ears_c3(c)
        upper = np.full(c.shape, np.nan)
        p_value = np.full(c.shape, np.nan)
    columns = {
        "statistic": c,
        "p_value": p_value,
        "threshold": threshold,
        "is_anomaly": np.nan_to_num(c, nan=-np.inf) > threshold,
        "reason": _ears_reason(panel.values, c, mean, sd),
        "expected": mean,
        "upper": upper,
    }
    return quarter_frame(
        panel, f"ears_{method.lower()}", columns, ["expected", "upper"]
    )


def _ears_c(values: np.ndarray, baseline: int, lag: int, min_sigma: float):
    """Return C, window mean and floored sd for windows ending ``lag`` before t."""
    n_series, n_q = values.shape
    shape = (n_series, n_q)
    mean, sd = np.full(shape, np.nan), np.full(shape, np.nan)
    first = baseline + lag - 1
    if n_q > first:
        windows = sliding_window_view(values, baseline, axis=1)[:, : n_q - first]
        valid = np.sum(~np.isnan(windows), axis=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            m = np.nanmean(windows, axis=2)
            s = np.nanstd(windows, axis=2, ddof=1)
        mean[:, first:] = np.where(valid >= 3, m, np.nan)
        sd[:, first:] = np.where(valid >= 3, np.maximum(s, min_sigma), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = (values - mean) / sd
    c[~(sd > 0)] = np.nan
    return c, mean, sd


def _ears_c3(c2: np.ndarray) -> np.ndarray:
    """Return ``sum_{i=t-2}^{t} max(0, C2_i - 1)``; NaN unless all three exist."""
    part = np.maximum(0, c2 - 1)
    out = np.full(c2.shape, np.nan)
    out[:, 2:] = part[:, 2:] + part[:, 1:-1] + part[:, :-2]
    return out


def _ears_reason(values, c, mean, sd) -> np.ndarray:
    """Return why each quarter's statistic is NaN (None where it is not)."""
    reason = np.full(values.shape, None, dtype=object)
    reason[np.isnan(c)] = "window has no variation"
    reason[np.isnan(mean) & np.isnan(c)] = REASON_NO_BASELINE
    reason[np.isnan(values)] = REASON_MISSING
    return reason


def farrington(
    data: pd.Series | pd.DataFrame,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    years: int = 3,
    past_excluded: int = 2,
    alpha: float = 0.05,
    weights_threshold: float = 2.58,
    trend_p: float = 0.05,
    min_cases: tuple[int, int] = (5, 4),
) -> pd.DataFrame:
    """Flag counts above the improved Farrington upper bound (Noufaily et al. 2013).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Non-negative counts by quarter: a Series indexed by quarterly
        Periods, or a tidy panel.
    value : str, default="value"
        Column of the counts.
    by : sequence of str, optional
        Key columns; default every column other than ``quarter`` and ``value``.
    years : int, default=3
        Years of history ``b``; the first ``4 * years`` quarters get no
        bound. Three is the minimum for which a trend is fitted.
    past_excluded : int, default=2
        Most recent quarters left out of the fit, so that an outbreak under
        way does not raise its own baseline (26 weeks in the weekly
        original, about 2 quarters).
    alpha : float, default=0.05
        The bound is the ``1 - alpha`` quantile.
    weights_threshold : float, default=2.58
        Anscombe residuals above it are down-weighted (Noufaily et al.;
        Farrington et al. 1996 used 1).
    trend_p : float, default=0.05
        A trend is kept only when its p-value is below ``trend_p``.
    min_cases : (int, int), default=(5, 4)
        No alarm unless at least ``min_cases[0]`` cases occurred in the last
        ``min_cases[1]`` quarters, the current one included.

    Returns
    -------
    pandas.DataFrame
        One row per series and quarter: the key columns, ``quarter``,
        ``value``, ``method`` (``"farrington"``), ``statistic`` (float,
        ``(y - expected) / (upper - expected)``; above 1 means above the
        bound), ``p_value`` (float, ``P(Y >= y)`` under the fitted negative
        binomial), ``threshold`` (1.0), ``is_anomaly`` (bool, ``y > upper``
        and ``y > 0`` with enough recent cases), ``reason``, ``expected``
        (float, fitted mean), ``upper`` (float, upper bound in counts),
        ``phi`` (float, dispersion, at least 1) and ``trend`` (bool, whether
        the trend term was kept).

    Notes
    -----
    Quarterly adaptation of the Noufaily et al. (2013) settings of R
    surveillance ``farringtonFlexible``: for quarter ``t`` the fit uses the
    quarters ``t - 4b .. t - past_excluded - 1``, with ``log mu = a + beta t +
    gamma_quarter`` (a factor for the quarter of the year, equal to
    ``noPeriods=4, w=0`` with ``freq=4``). Steps: quasi-Poisson fit;
    dispersion ``phi = max(1, sum w (y - mu)^2 / mu / (n - p))``; Anscombe
    residuals ``s = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 -
    h))``; weights ``gamma s^-2`` for ``s`` above ``weights_threshold`` and
    ``gamma`` otherwise, scaled to sum to n; refit with these weights. The
    trend is kept when its t-test p-value is below ``trend_p``, ``b >= 3``
    and the prediction does not exceed the largest count in the fit;
    otherwise the model is refit without it. The bound is the ``1 - alpha``
    quantile of a negative binomial with mean ``mu_0`` and variance ``phi
    mu_0`` (Poisson when ``phi = 1``). Missing quarters are left out of the
    fit. Checked against R surveillance 1.20.3 in
    ``tests/reference/surveillance_farrington.R``. A rate should be turned
    into counts first; the population offset is not offered.

    Examples
    --------
    >>> q = pd.period_range("2020Q1", periods=16, freq="Q")
    >>> y = pd.Series([8.0, 12, 10, 9, 9, 13, 11, 8, 10, 12, 10, 9,
    ...                9, 12, 11, 25], index=q)
    >>> out = farrington(y).set_index("quarter")
    >>> out[["expected", "upper", "is_anomaly"]].tail(2).round(1)
             expected  upper  is_anomaly
    quarter
    2023Q3       10.3   16.0       False
    2023Q4        8.7   14.0        True
    """
    _check_farrington(years, past_excluded, alpha, weights_threshold, min_cases)
    panel = to_panel(data, value, by, "farrington")
    if np.nanmin(panel.values, initial=0) < 0:
        raise_negative()
    names = ("statistic", "p_value", "expected", "upper", "phi", "trend")
    columns = {name: np.full(panel.values.shape, np.nan) for name in names}
    reason = np.full(panel.values.shape, REASON_NO_BASELINE, dtype=object)
    season = np.asarray(panel.quarters.quarter)
    settings = (years, past_excluded, alpha, weights_threshold, trend_p, min_cases)
    for row, series in enumerate(panel.values):
        for t in range(4 * years, len(series)):
            result = _farrington_point(series, season, t, settings)
            for name in names:
                columns[name][row, t] = result[name]
            reason[row, t] = result["reason"]
    reason[np.isnan(panel.values)] = REASON_MISSING
    exceeds = np.nan_to_num(columns["statistic"], nan=-np.inf) > 1
    columns["is_anomaly"] = exceeds & (np.nan_to_num(panel.values) > 0)
    columns["threshold"] = 1.0
    columns["reason"] = reason
    columns["trend"] = columns["trend"] == 1
    extra = ["expected", "upper", "phi", "trend"]
    return quarter_frame(panel, "farrington", columns, extra)


def raise_negative() -> None:
    """Raise the error for negative counts."""
    from pingan.exceptions import PinganError

    raise PinganError(
        "farrington: counts must not be negative; check the value column "
        "or pass counts rather than changes."
    )


def _check_farrington(years, past_excluded, alpha, weights_threshold, min_cases):
    if not isinstance(years, (int, np.integer)) or years < 1:
        check_option("years", years, ["a positive integer"], "farrington")
    if not isinstance(past_excluded, (int, np.integer)) or past_excluded < 0:
        check_option(
            "past_excluded", past_excluded, ["a non-negative integer"], "farrington"
        )
    check_interval("alpha", alpha, "farrington", 0, 1, "neither")
    check_interval("weights_threshold", weights_threshold, "farrington", 0)
    if len(min_cases) != 2 or min_cases[1] < 1 or min_cases[0] < 0:
        check_option(
            "min_cases", min_cases, ["(cases >= 0, quarters >= 1)"], "farrington"
        )


def _farrington_point(series, season, t, settings) -> dict:
    """Fit the reference quarters of ``t`` and return its bound and score."""
    years, past_excluded, alpha, weights_threshold, trend_p, min_cases = settings
    out = dict.fromkeys(("statistic", "p_value", "expected", "upper", "phi"), np.nan)
    out["trend"] = np.nan
    y0 = series[t]
    index = np.arange(t - 4 * years, t - past_excluded)
    index = index[~np.isnan(series[index])]
    if len(index) < 6:
        out["reason"] = REASON_NO_BASELINE
        return out
    if np.nansum(series[max(0, t - min_cases[1] + 1) : t + 1]) < min_cases[0]:
        out["reason"] = f"fewer than {min_cases[0]} cases in {min_cases[1]} quarters"
        return out
    fit = _fit_with_trend_rule(
        series[index], index, season, t, weights_threshold, trend_p, years
    )
    if fit is None:
        out["reason"] = "model did not converge"
        return out
    mu0, phi, trend = fit
    upper = _nb_quantile(1 - alpha, mu0, phi)
    out.update(expected=mu0, upper=upper, phi=phi, trend=float(trend), reason=None)
    if not np.isnan(y0):
        out["p_value"] = _nb_tail(y0, mu0, phi)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["statistic"] = (y0 - mu0) / (upper - mu0)
    return out


def _design(index, season, current_season, with_trend):
    """Return the design matrix: intercept, optional time, quarter-of-year dummies."""
    columns = [np.ones(len(index))]
    if with_trend:
        columns.append(index.astype(float))
    for quarter in (1, 2, 3, 4):
        if quarter != current_season:
            columns.append((season[index] == quarter).astype(float))
    return np.column_stack(columns)


def _fit_with_trend_rule(y, index, season, t, weights_threshold, trend_p, years):
    """Return ``(mu_0, phi, trend_kept)`` following Farrington's trend rule."""
    x0 = _design(np.array([t]), season, season[t], True)
    fit = _reweighted_fit(_design(index, season, season[t], True), y, weights_threshold)
    if fit is not None:
        beta, phi, p_trend = fit
        mu0 = float(np.exp(x0 @ beta)[0])
        if years >= 3 and p_trend < trend_p and mu0 <= y.max():
            return mu0, phi, True
    x0 = _design(np.array([t]), season, season[t], False)
    fit = _reweighted_fit(
        _design(index, season, season[t], False), y, weights_threshold
    )
    if fit is None:
        return None
    beta, phi, _ = fit
    return float(np.exp(x0 @ beta)[0]), phi, False


def _reweighted_fit(x, y, weights_threshold):
    """Fit, down-weight large Anscombe residuals, refit; return beta, phi, p of time."""
    first = _quasi_poisson(x, y, np.ones(len(y)))
    if first is None:
        return None
    beta, mu, dispersion, cov, hat = first
    phi = max(dispersion, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu**0.5) / np.sqrt(phi * (1 - hat))
    large = s > weights_threshold
    raw = np.ones(len(s))
    raw[large] = s[large] ** -2.0
    omega = raw * len(s) / raw.sum()
    second = _quasi_poisson(x, y, omega)
    if second is None:
        return None
    beta, mu, dispersion, cov, _ = second
    df = np.sum(omega > 0) - x.shape[1]
    p_trend = np.nan
    if x.shape[1] > 1 and df > 0 and cov[1, 1] > 0:
        scale = _trend_test_dispersion(y, mu, omega, df)
        t_stat = beta[1] / np.sqrt(scale * cov[1, 1])
        p_trend = 2 * stats.t.sf(abs(t_stat), df)
    return beta, max(dispersion, 1.0), p_trend


def _trend_test_dispersion(y, mu, omega, df) -> float:
    """Return the Pearson dispersion used in the t-test of the trend.

    NOTE: R surveillance 1.20.3 stores the prior weights in the model's
    working-weights slot before calling ``summary.glm``, so its trend test
    divides ``sum omega ((y - mu) / mu)^2`` by the residual degrees of
    freedom instead. That value is smaller when mu > 1 and keeps trends that
    the Pearson dispersion would reject; this function uses the Pearson form.
    """
    return float(np.sum(omega * (y - mu) ** 2 / mu) / df)


def _quasi_poisson(x, y, prior, max_iter: int = 50, tol: float = 1e-8):
    """Fit a log-link Poisson GLM by IRLS with prior weights, as R's glm does.

    Returns beta, fitted mu, the Pearson dispersion (not floored), the
    unscaled covariance ``(X' W X)^-1`` and the hat values, or None when the
    fit does not converge or the design is singular.
    """
    mu = y + 0.1
    eta = np.log(mu)
    deviance_old = np.inf
    for _ in range(max_iter):
        w = prior * mu
        z = eta + (y - mu) / mu
        root = np.sqrt(w)
        beta, *_ = np.linalg.lstsq(x * root[:, None], z * root, rcond=None)
        eta = x @ beta
        mu = np.exp(eta)
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        deviance = 2 * np.sum(prior * terms)
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < tol:
            break
        deviance_old = deviance
    else:
        return None
    w = prior * mu
    information = x.T @ (x * w[:, None])
    if np.linalg.matrix_rank(information) < x.shape[1]:
        return None
    cov = np.linalg.inv(information)
    hat = np.einsum("ij,jk,ik->i", x, cov, x) * w
    df = np.sum(prior > 0) - x.shape[1]
    dispersion = np.sum(prior * (y - mu) ** 2 / mu) / df if df > 0 else np.nan
    return beta, mu, dispersion, cov, hat


def _nb_quantile(q: float, mu: float, phi: float) -> float:
    """Return the q quantile of a count with mean mu and variance phi * mu."""
    if phi > 1:
        return float(stats.nbinom.ppf(q, mu / (phi - 1), 1 / phi))
    return float(stats.poisson.ppf(q, mu))


def _nb_tail(y: float, mu: float, phi: float) -> float:
    """Return ``P(Y >= y)`` for the same distribution."""
    if phi > 1:
        return float(stats.nbinom.sf(y - 1, mu / (phi - 1), 1 / phi))
    return float(stats.poisson.sf(y - 1, mu))
