"""Telecom fraud in the synthetic Xundian example: cases (SO04) and losses (SO05).

The 2022-2024 values are drawn like the other rate indicators. Then the 2024
county total of cases is nudged to the nearest total T for which some whole
drop k gives ``round(-100 k / T, 2) == -5.19``. The unrounded change must lie
within 0.004 percentage points of -5.19, so float sums cannot round the
other way. The 2025 quarters are set to rise against 2024 in Q1 and Q2 and to
fall in Q3 and Q4, and each quarter total is spread over the townships. Losses
are handled the same way in whole fen (0.01 万元 is 100 yuan) so that the sum
of the two-decimal values is exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pingan.datasets._xundian_model import (
    FRAUD_CASES_CHANGE_PCT,
    FRAUD_EARLY_RISE,
    FRAUD_LOSSES_CHANGE_PCT,
    FRAUD_RATE,
    LOSS_MEDIAN,
    LOSS_SIGMA,
    QUARTERS,
    _draw_counts,
    _expected,
    _frame,
)
from pingan.exceptions import PinganError

#: Maximum distance of the unrounded change from the planted percentage.
_MARGIN = 0.004


def feasible_case_total(start: int, change_pct: float) -> tuple[int, int]:
    """Return the total nearest ``start`` and the drop giving ``change_pct``.

    Parameters
    ----------
    start : int
        Total to start the search from (the drawn 2024 county total).
    change_pct : float
        Wanted change in percent, two decimals, e.g. -5.19.

    Returns
    -------
    tuple of int
        ``(total, drop)`` with ``round(-100 * drop / total, 2) == change_pct``
        and the unrounded change within 0.004 points of ``change_pct``.
        Ties between ``start - d`` and ``start + d`` go to the smaller total.

    Raises
    ------
    PinganError
        If no total between 1 and ``2 * start - 1`` works.

    Examples
    --------
    >>> feasible_case_total(290, -5.19)
    (289, 15)
    >>> round(-100 * 15 / 289, 2)
    -5.19
    """
    for offset in range(start):
        for total in (start - offset, start + offset):
            drop = round(-change_pct / 100 * total)
            change = -100 * drop / total
            if round(change, 2) == change_pct and abs(change - change_pct) < _MARGIN:
                return total, drop
    raise PinganError(f"no whole total near {start} changes by {change_pct} %.")


def _adjust_total(
    rng: np.random.Generator, counts: np.ndarray, weights: np.ndarray, target: int
) -> np.ndarray:
    """Add or remove single cases, chosen by weight, until the sum is target."""
    counts = counts.copy()
    flat = counts.reshape(-1)
    while flat.sum() != target:
        if flat.sum() < target:
            p = weights.reshape(-1) / weights.sum()
            flat[rng.choice(flat.size, p=p)] += 1
        else:
            p = flat / flat.sum()
            flat[rng.choice(flat.size, p=p)] -= 1
    return counts


def _totals_2025(totals_2024: np.ndarray, target: int, rises: tuple) -> np.ndarray:
    """Split a 2025 total into quarters: Q1, Q2 rise by ``rises``, Q3, Q4 fall."""
    first = round(totals_2024[0] * rises[0])
    second = round(totals_2024[1] * rises[1])
    rest = target - first - second
    third = round(rest * totals_2024[2] / (totals_2024[2] + totals_2024[3]))
    totals = np.array([first, second, third, rest - third], dtype=np.int64)
    if not (totals[2:] < totals_2024[2:]).all():
        raise PinganError("the planted 2025 fraud totals do not fall in Q3 and Q4.")
    return totals


def _split_whole(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole number by weights with the largest-remainder method."""
    shares = total * weights / weights.sum()
    whole = np.floor(shares).astype(np.int64)
    order = np.argsort(-(shares - whole), kind="stable")
    whole[order[: total - whole.sum()]] += 1
    return whole


def _rows(year: int) -> np.ndarray:
    return np.array([i for i, q in enumerate(QUARTERS) if q.year == year])


def _cases(rng: np.random.Generator, pop: pd.DataFrame) -> tuple[np.ndarray, ...]:
    factor = rng.lognormal(0.0, 0.25, size=pop.shape[1])
    mean = _expected(FRAUD_RATE, "fraud", 1.5, pop, factor)
    cases = _draw_counts(rng, mean)
    rows_2024, rows_2025 = _rows(2024), _rows(2025)
    total_2024, drop = feasible_case_total(
        int(cases[rows_2024].sum()), FRAUD_CASES_CHANGE_PCT
    )
    cases[rows_2024] = _adjust_total(rng, cases[rows_2024], mean[rows_2024], total_2024)
    totals = _totals_2025(
        cases[rows_2024].sum(axis=1), total_2024 - drop, FRAUD_EARLY_RISE["cases"]
    )
    for row, total in zip(rows_2025, totals, strict=True):
        cases[row] = rng.multinomial(total, mean[row] / mean[row].sum())
    return cases, mean


def _losses_fen(rng: np.random.Generator, cases: np.ndarray) -> np.ndarray:
    """Return losses in fen (0.01 万元) with the planted 2025 change."""
    rows_2024, rows_2025 = _rows(2024), _rows(2025)
    fen = np.zeros(cases.shape, dtype=np.int64)
    for row in range(cases.shape[0]):
        if row in rows_2025:
            continue
        for col in range(cases.shape[1]):
            draws = rng.lognormal(np.log(LOSS_MEDIAN), LOSS_SIGMA, cases[row, col])
            fen[row, col] = round(draws.sum() * 100)
    total_2024 = int(fen[rows_2024].sum())
    total_2025 = round(total_2024 * (1 + FRAUD_LOSSES_CHANGE_PCT / 100))
    change = 100 * (total_2025 - total_2024) / total_2024
    if abs(change - FRAUD_LOSSES_CHANGE_PCT) >= _MARGIN:
        raise PinganError(f"planted loss change is {change}, not -11.95 %.")
    totals = _totals_2025(
        fen[rows_2024].sum(axis=1), total_2025, FRAUD_EARLY_RISE["losses"]
    )
    for row, total in zip(rows_2025, totals, strict=True):
        weights = cases[row] * rng.gamma(2.0, 1.0, size=cases.shape[1])
        fen[row] = _split_whole(int(total), weights)
    return fen


def simulate_fraud(rng: np.random.Generator, pop: pd.DataFrame) -> list[pd.DataFrame]:
    """Simulate SO04 cases and SO05 losses (万元) as tidy rows of police_fraud.

    Parameters
    ----------
    rng : numpy.random.Generator
        Generator shared with the rest of the simulation.
    pop : pandas.DataFrame
        Population per quarter (rows) and township code (columns).

    Returns
    -------
    list of pandas.DataFrame
        Two frames with columns ``quarter``, ``area_code``, ``value``,
        ``indicator`` and ``department``.

    Examples
    --------
    >>> from pingan.datasets._xundian_model import (
    ...     population_table, _quarterly_population)
    >>> pop = _quarterly_population(population_table())
    >>> cases, losses = simulate_fraud(np.random.default_rng(1), pop)
    >>> by_year = cases.groupby(cases["quarter"].dt.year)["value"].sum()
    >>> print(round(100 * (by_year[2025] / by_year[2024] - 1), 2))
    -5.19
    """
    cases, _ = _cases(rng, pop)
    fen = _losses_fen(rng, cases)
    return [
        _frame(cases, "SO04", "police_fraud"),
        _frame(fen / 100, "SO05", "police_fraud"),
    ]
