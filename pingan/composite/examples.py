"""A synthetic indicator set with a known structure, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pingan._validation import check_interval

__all__ = ["make_example"]


def make_example(
    n_areas: int = 16,
    n_indicators: int = 21,
    n_domains: int = 5,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a wide indicator matrix and its catalogue.

    Parameters
    ----------
    n_areas : int, default 16
        Number of areas (rows), coded ``A001``, ``A002``, ...
    n_indicators : int, default 21
        Number of indicators, coded ``I01``, ``I02``, ...
    n_domains : int, default 5
        Number of domains; each has two dimensions when it has at least
        two indicators.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    data : pandas.DataFrame
        Index ``area_code``, one column per indicator: positive rates
        driven by a latent area quality (higher quality lowers indicators
        with direction -1 and raises those with +1), log-normal noise.
    catalogue : pandas.DataFrame
        Columns ``indicator`` (str), ``dimension`` (str, e.g. ``D1a``),
        ``domain`` (str, ``D1`` ...), ``points`` (float, summing to 100),
        ``direction`` (int, two thirds are -1).

    Examples
    --------
    >>> data, catalogue = make_example(n_areas=4, n_indicators=6, n_domains=2)
    >>> data.shape
    (4, 6)
    >>> float(catalogue["points"].sum())
    100.0
    """
    check_interval("n_domains", n_domains, "make_example", 1, n_indicators)
    rng = np.random.default_rng(seed)
    codes = [f"I{i + 1:02d}" for i in range(n_indicators)]
    domain_of = np.sort(np.arange(n_indicators) % n_domains)
    catalogue = pd.DataFrame(
        {"indicator": codes, "domain": [f"D{d + 1}" for d in domain_of]}
    )
    position = catalogue.groupby("domain").cumcount()
    size = catalogue.groupby("domain")["indicator"].transform("size")
    half = np.where(position < (size + 1) // 2, "a", "b")
    catalogue["dimension"] = catalogue["domain"] + half
    raw = rng.uniform(1.0, 3.0, n_indicators)
    catalogue["points"] = np.round(raw / raw.sum() * 100, 6)
    catalogue.loc[n_indicators - 1, "points"] += 100 - catalogue["points"].sum()
    catalogue["direction"] = np.where(np.arange(n_indicators) % 3 == 2, 1, -1)
    quality = rng.normal(size=(n_areas, 1))
    loading = rng.uniform(0.2, 0.8, n_indicators) * catalogue["direction"].to_numpy()
    noise = rng.normal(size=(n_areas, n_indicators))
    values = np.exp(1.0 + 0.5 * (quality * loading + noise))
    index = pd.Index([f"A{i + 1:03d}" for i in range(n_areas)], name="area_code")
    data = pd.DataFrame(values, index=index, columns=codes)
    columns = ["indicator", "dimension", "domain", "points", "direction"]
    return data, catalogue[columns]
