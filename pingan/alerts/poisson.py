"""Test whether a count rose (or fell) by more than Poisson noise explains.

The year-on-year warning rule uses this test for count indicators. A rise
from 3 to 4 cases is +33 %, but under equal rates such a rise happens half
of the time, so a relative threshold alone warns on noise.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from pingan._validation import check_option

__all__ = ["POISSON_TEST_COLUMNS", "poisson_rate_test", "pearson_dispersion"]

POISSON_TEST_COLUMNS = [
    "base_count",
    "count",
    "base_exposure",
    "exposure",
    "null_share",
    "rate_ratio",
    "p_value",
    "reason",
]


def _reasons(base: np.ndarray, now: np.ndarray, e1, e2) -> np.ndarray:
    """Explain, per pair, why no p-value can be computed ('' when it can)."""
    reason = np.full(len(base), "", dtype=object)
    reason[~((e1 > 0) & (e2 > 0))] = "exposure not positive"
    reason[(base < 0) | (now < 0)] = "negative count"
    reason[np.isnan(e1) | np.isnan(e2)] = "missing exposure"
    reason[np.isnan(base) | np.isnan(now)] = "missing value"
    return reason


def _binomial_tail(k, n, p, alternative: str) -> np.ndarray:
    """Binomial tail ``P(X >= k)`` or ``P(X <= k)``, also for non-whole k and n."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if alternative == "greater":
            tail = special.betainc(k, n - k + 1, p)
            return np.where(k <= 0, 1.0, tail)
        tail = 1.0 - special.betainc(k + 1, n - k, p)
        return np.where(k >= n, 1.0, tail)


def pearson_dispersion(
    base_count: object,
    count: object,
    base_exposure: object = 1.0,
    exposure: object = 1.0,
) -> float:
    """Estimate the overdispersion of paired counts: Pearson chi-square over df.

    Parameters
    ----------
    base_count, count : array-like
        The base and current counts of several areas (one pair per area).
    base_exposure, exposure : float or array-like, default=1.0
        Exposures of each period, as in :func:`poisson_rate_test`.

    Returns
    -------
    float
        ``max(1, X2 / (K - 1))``, where ``K`` is the number of pairs with a
        positive total. NaN with fewer than 2 such pairs.

    Notes
    -----
    Given its total ``n_i``, area i's current count is binomial with
    probability ``p_i = r E2 / (E1 + r E2)`` under a rate ratio ``r`` common
    to all areas. ``r`` is estimated by the pooled ratio ``sum n2 / sum n1``
    of the rates, and ``X2 = sum (n2 - n p_i)^2 / (n p_i (1 - p_i))`` is the
    Pearson statistic with ``K - 1`` degrees of freedom. ``X2 / df`` is the
    quasi-likelihood estimate of the dispersion (McCullagh and Nelder 1989).
    It is floored at 1, because the test never assumes less than Poisson
    variation. An area with a real change of its own raises the estimate, so
    the warning rule leaves the tested area's pair out.

    Examples
    --------
    >>> pearson_dispersion([10, 10, 10, 10], [10, 10, 10, 10])
    1.0
    >>> round(pearson_dispersion([10, 10, 10, 10], [2, 18, 5, 15]), 2)
    3.43
    """
    columns = [
        np.atleast_1d(np.asarray(v, dtype=float))
        for v in (base_count, count, base_exposure, exposure)
    ]
    n1, n2, e1, e2 = np.broadcast_arrays(*columns)
    ok = np.isfinite(n1 + n2 + e1 + e2) & (n1 >= 0) & (n2 >= 0) & (e1 > 0) & (e2 > 0)
    ok &= n1 + n2 > 0
    if ok.sum() < 2:
        return float("nan")
    n1, n2, e1, e2 = n1[ok], n2[ok], e1[ok], e2[ok]
    ratio = (n2.sum() / e2.sum()) / (n1.sum() / e1.sum()) if n1.sum() > 0 else np.inf
    if not np.isfinite(ratio) or ratio == 0:
        return 1.0
    share = ratio * e2 / (e1 + ratio * e2)
    total = n1 + n2
    chi_square = ((n2 - total * share) ** 2 / (total * share * (1 - share))).sum()
    return float(max(1.0, chi_square / (ok.sum() - 1)))


def poisson_rate_test(
    base_count: object,
    count: object,
    base_exposure: object = 1.0,
    exposure: object = 1.0,
    alternative: Literal["greater", "less"] = "greater",
    dispersion: object = 1.0,
) -> pd.DataFrame:
    """Compare two Poisson counts with the conditional binomial test.

    Parameters
    ----------
    base_count : float or array-like
        Events in the base period (for example the same quarter a year
        earlier), ``n1``. Non-whole counts are rounded to whole numbers.
    count : float or array-like
        Events in the current period, ``n2``. Scalars and arrays broadcast
        against each other, as in numpy.
    base_exposure, exposure : float or array-like, default=1.0
        Exposure of each period, such as the population, in any unit shared
        by both. Equal exposures compare the counts themselves.
    alternative : {"greater", "less"}, default="greater"
        ``"greater"`` tests whether the current rate is higher than the
        base rate, ``"less"`` whether it is lower.
    dispersion : float or array-like, default=1.0
        Overdispersion factor ``phi >= 1`` (variance over mean), such as
        :func:`pearson_dispersion` estimates. Both counts are divided by it
        before the test; 1 is the exact Poisson test.

    Returns
    -------
    pandas.DataFrame
        One row per pair, with columns

        - ``base_count``, ``count``: float, the counts tested (rounded);
        - ``base_exposure``, ``exposure``: float;
        - ``null_share``: float, ``exposure / (base_exposure + exposure)``,
          the binomial probability under equal rates;
        - ``rate_ratio``: float, current rate over base rate (``inf`` for a
          rise from zero, NaN when both counts are zero);
        - ``p_value``: float in [0, 1], one-sided exact p-value (NaN when
          the pair cannot be tested);
        - ``reason``: str, why no p-value was computed (``'missing
          value'``, ``'missing exposure'``, ``'negative count'`` or
          ``'exposure not positive'``), else ``''``.

    Raises
    ------
    PinganError
        If ``alternative`` is not ``"greater"`` or ``"less"``.

    Notes
    -----
    If ``n1 ~ Poisson(lambda1 * E1)`` and ``n2 ~ Poisson(lambda2 * E2)`` are
    independent, then given their sum ``n = n1 + n2`` the current count is
    binomial, ``n2 | n ~ Binomial(n, E2 lambda2 / (E1 lambda1 + E2
    lambda2))``. Under equal rates the probability is ``p0 = E2 / (E1 +
    E2)``, so the exact one-sided p-value of a rise is ``P(X >= n2)`` for
    ``X ~ Binomial(n, p0)`` and of a fall ``P(X <= n2)``. This is the
    conditional test of Przyborowski and Wilenski (1940). It conditions on
    the total, so it needs no estimate of the rate and stays exact for small
    counts. Two zero counts give ``p_value`` 1.

    The test assumes Poisson variation. Counts with extra-Poisson variation
    (overdispersion: clustered events, a changing recording practice) vary
    more than that, so for large counts the p-value understates how often a
    rise of that size occurs by chance. The warning rule therefore also
    requires a relative rise.

    The p-values equal ``scipy.stats.binomtest(n2, n, p0, alternative)``
    when ``dispersion`` is 1 (tested). They are computed with the
    regularised incomplete beta function, ``P(X >= k) = I_p0(k, n - k + 1)``,
    which also takes the non-whole counts ``n1 / phi`` and ``n2 / phi``. That
    division is the quasi-Poisson scaling: a count with variance ``phi *
    mu`` carries the information of a Poisson count ``phi`` times smaller
    (McCullagh and Nelder 1989).

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in
    testing samples from Poisson series. *Biometrika* 31(3/4), 313-323.

    McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear Models*,
    2nd ed. Chapman and Hall.

    Examples
    --------
    >>> poisson_rate_test([10, 3], [25, 4])[["count", "p_value"]].round(4)
       count  p_value
    0   25.0   0.0083
    1    4.0   0.5000
    """
    check_option("alternative", alternative, ["greater", "less"], "poisson_rate_test")
    columns = [
        np.atleast_1d(np.asarray(v, dtype=float))
        for v in (base_count, count, base_exposure, exposure, dispersion)
    ]
    base, now, e1, e2, phi = (np.array(a) for a in np.broadcast_arrays(*columns))
    phi = np.where(np.isfinite(phi), np.maximum(phi, 1.0), 1.0)
    base, now = np.rint(base), np.rint(now)
    reason = _reasons(base, now, e1, e2)
    ok = reason == ""

    with np.errstate(divide="ignore", invalid="ignore"):
        share = e2 / (e1 + e2)
        ratio = (now / e2) / (base / e1)
    p_value = _binomial_tail(
        np.where(ok, now, 0) / phi,
        np.where(ok, base + now, 0) / phi,
        np.where(ok, share, 0.5),
        alternative,
    )
    return pd.DataFrame(
        {
            "base_count": base,
            "count": now,
            "base_exposure": e1,
            "exposure": e2,
            "null_share": share,
            "rate_ratio": np.where(ok, ratio, np.nan),
            "p_value": np.where(ok, np.clip(p_value, 0.0, 1.0), np.nan),
            "reason": reason,
        },
        columns=POISSON_TEST_COLUMNS,
    )
