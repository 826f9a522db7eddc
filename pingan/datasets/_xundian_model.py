"""Seeded simulation of the synthetic Xundian submissions (values only, no files).

Counts are Poisson draws whose mean is multiplied by a Gamma(20, 1/20) factor,
which makes them negative binomial with overdispersion 1/20. The mean is
proportional to the township's population and is multiplied by a fixed
township factor, a quarter-of-year seasonal factor and, for a few
indicators, a planted 2025 trend. Telecom fraud (SO04 cases, SO05
losses) is drawn for 2022-2024 and then steered. The 2025 county totals
differ from 2024 by exactly -5.19 % (cases) and -11.95 % (losses) after
rounding to two decimals, although 2025Q1 and 2025Q2 rise year on year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pingan.datasets._xundian_tables import (
    GROWTH_BY_TYPE,
    PUBLISHED_POPULATION,
    TOWNSHIPS,
)

#: Seed of ``numpy.random.default_rng`` for the whole simulation.
SEED = 20250101

QUARTERS = pd.period_range("2022Q1", "2025Q4", freq="Q-DEC")

#: Planted year-on-year change of the 2025 county totals, in percent.
FRAUD_CASES_CHANGE_PCT = -5.19
FRAUD_LOSSES_CHANGE_PCT = -11.95

#: Seasonal factor by quarter of year (Q1..Q4).
SEASON = {
    "crime": (1.08, 0.96, 1.02, 0.94),
    "fraud": (1.05, 0.98, 0.97, 1.00),
    "traffic": (1.15, 0.95, 0.90, 1.00),
    "petition": (0.90, 1.05, 1.00, 1.05),
    "civil": (0.85, 1.05, 1.00, 1.10),
    "flat": (1.0, 1.0, 1.0, 1.0),
}

#: Rate indicators: (indicator, department, mean per 10,000 residents per
#: quarter, season, factor for 街道 relative to 镇 and 乡).
RATE_MODEL = [
    ("SO01", "police_110", 9.0, "crime", 1.4),
    ("SO02", "police_110", 16.0, "crime", 1.3),
    ("SO03", "police_order", 4.5, "crime", 1.3),
    ("PU03", "police_110", 7.5, "traffic", 1.2),
    ("DI01", "petitions", 3.2, "petition", 1.0),
    ("DI02", "court", 18.0, "civil", 1.3),
    ("RL04", "court", 1.6, "flat", 1.2),
]

#: Event indicators: (indicator, department, mean per 30,000 residents per
#: quarter). PU02 and PU04 have one part per department.
EVENT_MODEL = [
    ("PS01", "police_security", 0.04),
    ("PS02", "petitions", 0.25),
    ("PS03", "united_front", 0.05),
    ("SO06", "police_fraud", 0.12),
    ("PU01", "emergency", 0.35),
    ("PU02", "emergency", 0.08),
    ("PU02", "police_110", 0.15),
    ("PU04", "township", 0.25),
    ("PU04", "justice", 0.15),
    ("PU04", "health", 0.20),
    ("RL01", "justice", 0.08),
    ("RL02", "court", 0.07),
    ("RL03", "police_order", 0.12),
]

#: Planted 2025 rise of public-order incidents, by quarter of 2025.
ORDER_RISE_2025 = (1.10, 1.18, 1.26, 1.34)

#: Townships whose petitions rise through 2025 (七星镇, 鸡街镇), by quarter.
PETITION_RISE_AREAS = ("530129108", "530129110")
PETITION_RISE_2025 = (1.5, 1.8, 2.1, 2.4)

#: Expected fraud cases per 10,000 residents per quarter, and loss per case
#: (log-normal with this median in 万元 and log standard deviation).
FRAUD_RATE = 2.2
LOSS_MEDIAN = 2.5
LOSS_SIGMA = 1.1

#: 2025Q1 and 2025Q2 fraud totals relative to the same quarter of 2024.
FRAUD_EARLY_RISE = {"cases": (1.10, 1.06), "losses": (1.12, 1.08)}


def population_table() -> pd.DataFrame:
    """Return township population by year, 2020-2025, as in ``population.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code`` (str), ``year`` (int), ``population`` (int,
        persons) and ``estimate`` (bool, False only for 功山镇 in 2020).

    Notes
    -----
    ``population(year) = round(population(2020) * (1 + g) ** (year - 2020))``
    with the growth ``g`` of the township type in ``GROWTH_BY_TYPE``.

    Examples
    --------
    >>> table = population_table()
    >>> int(table.loc[table["year"] == 2020, "population"].sum())
    460739
    """
    rows = []
    for code, _, _, kind, base, _ in TOWNSHIPS:
        for year in range(2020, 2026):
            value = round(base * (1 + GROWTH_BY_TYPE[kind]) ** (year - 2020))
            published = year == 2020 and code in PUBLISHED_POPULATION
            rows.append((code, year, value, not published))
    return pd.DataFrame(rows, columns=["area_code", "year", "population", "estimate"])


def _draw_counts(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Draw negative-binomial counts as a Gamma(20, 1/20)-Poisson mixture."""
    return rng.poisson(mean * rng.gamma(20.0, 1 / 20, size=mean.shape))


def _expected(
    base: float, season: str, urban: float, pop: pd.DataFrame, factor: np.ndarray
) -> np.ndarray:
    """Return expected counts, shape (quarter, township), for a rate model."""
    kinds = np.array([t[3] for t in TOWNSHIPS])
    type_factor = np.where(kinds == "街道", urban, np.where(kinds == "乡", 0.85, 1.0))
    seasonal = np.array([SEASON[season][q.quarter - 1] for q in QUARTERS])
    people = pop.to_numpy() / 10_000
    return base * people * seasonal[:, None] * (type_factor * factor)[None, :]


def _quarterly_population(population: pd.DataFrame) -> pd.DataFrame:
    """Return population per quarter (rows) and township code (columns)."""
    wide = population.pivot(index="year", columns="area_code", values="population")
    codes = [t[0] for t in TOWNSHIPS]
    return wide.loc[[q.year for q in QUARTERS], codes].set_axis(QUARTERS)


def _trend(indicator: str) -> np.ndarray:
    """Return the planted 2025 multiplier, shape (quarter, township)."""
    codes = [t[0] for t in TOWNSHIPS]
    trend = np.ones((len(QUARTERS), len(codes)))
    in_2025 = np.array([q.year == 2025 for q in QUARTERS])
    if indicator in ("SO02", "SO03"):
        trend[in_2025, :] = np.array(ORDER_RISE_2025)[:, None]
    if indicator == "DI01":
        for code in PETITION_RISE_AREAS:
            trend[in_2025, codes.index(code)] = PETITION_RISE_2025
    return trend


def _frame(values: np.ndarray, indicator: str, department: str) -> pd.DataFrame:
    """Turn a (quarter, township) array into tidy rows."""
    codes = [t[0] for t in TOWNSHIPS]
    table = pd.DataFrame(values, index=QUARTERS, columns=codes)
    tidy = table.stack().rename("value").reset_index()
    tidy.columns = ["quarter", "area_code", "value"]
    return tidy.assign(indicator=indicator, department=department)


def _simulate_rates(rng: np.random.Generator, pop: pd.DataFrame) -> list[pd.DataFrame]:
    parts = []
    for indicator, department, base, season, urban in RATE_MODEL:
        factor = rng.lognormal(0.0, 0.2, size=len(TOWNSHIPS))
        mean = _expected(base, season, urban, pop, factor) * _trend(indicator)
        parts.append(_frame(_draw_counts(rng, mean), indicator, department))
    return parts


def _simulate_events(rng: np.random.Generator, pop: pd.DataFrame) -> list[pd.DataFrame]:
    parts = []
    for indicator, department, mean_per_30k in EVENT_MODEL:
        mean = mean_per_30k * pop.to_numpy() / 30_000
        parts.append(_frame(rng.poisson(mean), indicator, department))
    return parts


def _simulate_percents(rng: np.random.Generator) -> list[pd.DataFrame]:
    shape = (len(QUARTERS), len(TOWNSHIPS))
    level = rng.normal(94.5, 1.5, size=len(TOWNSHIPS))
    mediation = np.clip(level + rng.normal(0, 2.0, size=shape), 70, 100).round(1)
    rehandled = rng.gamma(9.0, 0.7, size=shape).clip(0, 100).round(1)
    return [
        _frame(mediation, "DI03", "justice"),
        _frame(rehandled, "DI04", "hotline_12345"),
    ]


def simulate(population: pd.DataFrame) -> pd.DataFrame:
    """Simulate every submitted value of the example, 2022Q1-2025Q4.

    Parameters
    ----------
    population : pandas.DataFrame
        Output of :func:`population_table`.

    Returns
    -------
    pandas.DataFrame
        Sorted by quarter, department, indicator and area, with columns

        - ``quarter``: period[Q-DEC];
        - ``department``, ``area_code``, ``indicator``: str;
        - ``value``: float. Counts are whole numbers, SO05 is in 万元 with
          two decimals and percents have one decimal.

    Examples
    --------
    >>> values = simulate(population_table())
    >>> sorted(values["indicator"].unique())[:3]
    ['DI01', 'DI02', 'DI03']
    """
    from pingan.datasets._xundian_fraud import simulate_fraud

    rng = np.random.default_rng(SEED)
    pop = _quarterly_population(population)
    parts = [
        *_simulate_rates(rng, pop),
        *_simulate_events(rng, pop),
        *_simulate_percents(rng),
        *simulate_fraud(rng, pop),
    ]
    values = pd.concat(parts, ignore_index=True)
    values["value"] = values["value"].astype(float)
    order = ["quarter", "department", "indicator", "area_code"]
    return values.sort_values(order, ignore_index=True)[
        [*order[:2], "area_code", "indicator", "value"]
    ]
