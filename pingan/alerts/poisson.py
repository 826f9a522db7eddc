"""Test whether a count rose (or fell) by more than Poisson noise explains.

The year-on-year warning rule uses this test for count indicators. A rise
from 3 to 4 cases is +33 %, but under equal rates such a rise happens half
of the time, so a relative threshold alone warns on noise.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from pingan._validation import check_option

__all__ = ["POISSON_TEST_COLUMNS", "poisson_rate_test"]

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


def poisson_rate_test(
    base_count: object,
    count: object,
    base_exposure: object = 1.0,
    exposure: object = 1.0,
    alternative: Literal["greater", "less"] = "greater",
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
    (tested); the test uses ``scipy.stats.binom`` directly so that a whole
    column is computed at once.

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in
    testing samples from Poisson series. *Biometrika* 31(3/4), 313-323.

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
        for v in (base_count, count, base_exposure, exposure)
    ]
    base, now, e1, e2 = (np.array(a) for a in np.broadcast_arrays(*columns))
    base, now = np.rint(base), np.rint(now)
    reason = _reasons(base, now, e1, e2)
    ok = reason == ""

    with np.errstate(divide="ignore", invalid="ignore"):
        share = e2 / (e1 + e2)
        ratio = (now / e2) / (base / e1)
    total = np.where(ok, base + now, 0)
    k = np.where(ok, now, 0)
    p = np.where(ok, share, 0.5)
    if alternative == "greater":
        p_value = stats.binom.sf(k - 1, total, p)
    else:
        p_value = stats.binom.cdf(k, total, p)
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
