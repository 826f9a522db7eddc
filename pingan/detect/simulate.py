"""Seeded quarterly count series with a known change, for testing detectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_interval, check_option
from pingan.exceptions import PinganError
from pingan.periods import parse_quarter

__all__ = ["Simulation", "simulate"]

Change = Literal["none", "step", "trend", "outbreak"]
_CHANGES = ("none", "step", "trend", "outbreak")


@dataclass(frozen=True)
class Simulation:
    """Simulated panel and the truth behind it.

    Attributes
    ----------
    data : pandas.DataFrame
        Tidy panel: ``series_id`` (int), ``quarter`` (Period), ``value``
        (float: the count, or the rate when a population was given), and with
        a population also ``count`` and ``population``. Missing quarters
        have no row.
    truth : pandas.DataFrame
        One row per series: ``series_id``, ``change`` (str), ``effect``
        (float, as passed), ``change_position`` (int, 0-based quarter index
        of the first changed quarter, -1 for no change), ``change_quarter``
        (Period or NaT) and ``expected_after`` / ``expected_before`` (float,
        mean count at the change quarter with and without the change).
    """

    data: pd.DataFrame
    truth: pd.DataFrame

    def series(self, series_id: int = 0) -> pd.Series:
        """Return one simulated series as a Series indexed by quarter."""
        rows = self.data[self.data["series_id"] == series_id]
        return pd.Series(
            rows["value"].to_numpy(),
            index=pd.PeriodIndex(rows["quarter"]),
            name="value",
        )


def simulate(
    n_series: int = 1,
    *,
    n_quarters: int = 16,
    start: str = "2022Q1",
    level: float = 20.0,
    family: Literal["poisson", "negbin"] = "poisson",
    size: float = 10.0,
    seasonal_amplitude: float = 0.0,
    drift: float = 0.0,
    change: Change = "none",
    effect: float = 0.0,
    change_at: int | None = None,
    outbreak_length: int = 1,
    autocorrelation: float = 0.0,
    noise_sd: float = 0.0,
    missing: float = 0.0,
    population: float | None = None,
    per: float = 10_000.0,
    seed: int = 0,
) -> Simulation:
    """Simulate quarterly counts with seasonality, noise and one planted change.

    Parameters
    ----------
    n_series : int, default=1
        Number of independent series.
    n_quarters : int, default=16
        Length of each series in quarters.
    start : str, default="2022Q1"
        First quarter.
    level : float, default=20.0
        Baseline mean count per quarter.
    family : {"poisson", "negbin"}, default="poisson"
        Count distribution. ``"negbin"`` has variance ``mu + mu^2 / size``.
    size : float, default=10.0
        Negative-binomial size (smaller = more overdispersed).
    seasonal_amplitude : float, default=0.0
        Log-scale amplitude: the mean is multiplied by ``exp(A cos(2 pi (q -
        1) / 4))`` for quarter of the year ``q`` (peak in the first quarter).
    drift : float, default=0.0
        Background relative growth per quarter over the whole series (0.02 =
        +2 % a quarter), present with or without a planted change; the
        truth's ``expected_before`` includes it.
    change : {"none", "step", "trend", "outbreak"}, default="none"
        Kind of planted change.
    effect : float, default=0.0
        Size of the change: ``"step"``, relative change of the mean from
        ``change_at`` on (0.5 = +50 %); ``"trend"``, relative growth per
        quarter from ``change_at`` on (0.1 = +10 % a quarter); ``"outbreak"``,
        extra mean count in baseline standard deviations for
        ``outbreak_length`` quarters.
    change_at : int, optional
        0-based index of the first changed quarter. Default: three quarters
        of the way through the series.
    outbreak_length : int, default=1
        Quarters an outbreak lasts.
    autocorrelation : float, default=0.0
        AR(1) coefficient of a latent log-scale noise, in (-1, 1).
    noise_sd : float, default=0.0
        Stationary standard deviation of that latent noise; 0 switches it off.
    missing : float, default=0.0
        Probability that a quarter is missing (its row is dropped); the first
        and last quarters are always kept.
    population : float, optional
        With a population, ``value`` is the rate ``count / population *
        per`` and ``count`` and ``population`` are added.
    per : float, default=10000
        Rate base.
    seed : int, default=0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    Simulation
        ``data`` (tidy panel) and ``truth`` (one row per series), described
        in :class:`Simulation`.

    Notes
    -----
    The mean of series ``i`` at quarter ``t`` is ``level * season(t) * (1 +
    drift)^t * exp(e_t - s^2/2) * change(t)``, with ``e`` the AR(1) noise of stationary
    standard deviation ``s`` (the ``- s^2/2`` keeps the mean at ``level``).
    The outbreak adds ``effect * sd`` where ``sd`` is the standard deviation
    of the count at the baseline mean of that quarter. The same seed gives
    the same panel.

    Examples
    --------
    >>> sim = simulate(2, n_quarters=8, change="step", effect=1.0, seed=1)
    >>> sim.truth[["series_id", "change", "change_quarter"]]
       series_id change change_quarter
    0          0   step         2023Q3
    1          1   step         2023Q3
    >>> len(sim.data)
    16
    """
    _check_simulation(n_series, n_quarters, family, change, autocorrelation, missing)
    rng = np.random.default_rng(seed)
    first = parse_quarter(start, "start")
    quarters = pd.period_range(first, periods=n_quarters, freq="Q")
    at = (3 * n_quarters) // 4 if change_at is None else int(change_at)
    if change != "none" and not 0 <= at < n_quarters:
        raise PinganError(
            f"simulate: change_at must be in [0, {n_quarters - 1}]; got {change_at!r}."
        )
    season = np.exp(seasonal_amplitude * np.cos(2 * np.pi * (quarters.quarter - 1) / 4))
    growth = (1 + drift) ** np.arange(n_quarters)
    base = level * (np.asarray(season, dtype=float) * growth)[None, :]
    base = base * _latent_noise(rng, n_series, n_quarters, autocorrelation, noise_sd)
    mean = _apply_change(base, change, effect, at, outbreak_length, family, size)
    counts = _draw(rng, mean, family, size)
    data = _to_frame(counts, quarters, rng, missing, population, per)
    truth = _truth(n_series, change, effect, at, quarters, base, mean)
    return Simulation(data=data, truth=truth)


def _check_simulation(n_series, n_quarters, family, change, autocorrelation, missing):
    if not isinstance(n_series, (int, np.integer)) or n_series < 1:
        check_option("n_series", n_series, ["a positive integer"], "simulate")
    if not isinstance(n_quarters, (int, np.integer)) or n_quarters < 2:
        check_option("n_quarters", n_quarters, ["an integer >= 2"], "simulate")
    check_option("family", family, ("poisson", "negbin"), "simulate")
    check_option("change", change, _CHANGES, "simulate")
    check_interval("autocorrelation", autocorrelation, "simulate", -1, 1, "neither")
    check_interval("missing", missing, "simulate", 0, 1, "left")


def _latent_noise(rng, n_series, n_quarters, rho, sd) -> np.ndarray:
    """Return ``exp(e - sd^2/2)`` for a stationary AR(1) ``e`` of sd."""
    if sd == 0:
        return np.ones((n_series, n_quarters))
    shocks = rng.normal(0, sd * np.sqrt(1 - rho**2), size=(n_series, n_quarters))
    e = np.empty_like(shocks)
    e[:, 0] = rng.normal(0, sd, size=n_series)
    for t in range(1, n_quarters):
        e[:, t] = rho * e[:, t - 1] + shocks[:, t]
    return np.exp(e - sd**2 / 2)


def _count_sd(mean, family, size):
    return np.sqrt(mean + (mean**2 / size if family == "negbin" else 0))


def _apply_change(base, change, effect, at, length, family, size) -> np.ndarray:
    """Return the mean after planting the change."""
    mean = base.copy()
    t = np.arange(base.shape[1])
    if change == "step":
        mean[:, at:] *= 1 + effect
    elif change == "trend":
        mean *= np.where(t >= at, (1 + effect) ** (t - at + 1.0), 1.0)[None, :]
    elif change == "outbreak":
        window = slice(at, min(at + length, base.shape[1]))
        mean[:, window] += effect * _count_sd(base[:, window], family, size)
    return np.maximum(mean, 0)


def _draw(rng, mean, family, size) -> np.ndarray:
    if family == "negbin":
        return rng.negative_binomial(size, size / (size + mean)).astype(float)
    return rng.poisson(mean).astype(float)


def _to_frame(counts, quarters, rng, missing, population, per) -> pd.DataFrame:
    n_series, n_quarters = counts.shape
    keep = rng.random(counts.shape) >= missing
    keep[:, [0, -1]] = True
    rows, cols = np.nonzero(keep)
    data = pd.DataFrame(
        {"series_id": rows, "quarter": quarters[cols], "value": counts[rows, cols]}
    )
    if population is not None:
        data["count"] = data["value"]
        data["population"] = float(population)
        data["value"] = data["count"] / population * per
    return data


def _truth(n_series, change, effect, at, quarters, base, mean) -> pd.DataFrame:
    has = change != "none"
    return pd.DataFrame(
        {
            "series_id": np.arange(n_series),
            "change": change,
            "effect": float(effect),
            "change_position": at if has else -1,
            "change_quarter": quarters[at] if has else pd.NaT,
            "expected_before": base[:, at] if has else np.nan,
            "expected_after": mean[:, at] if has else np.nan,
        }
    )
