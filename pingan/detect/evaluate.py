"""Monte Carlo evaluation of detectors: false-alarm rate, power and detection delay."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from pingan._validation import check_interval
from pingan.detect.runner import CAUSAL_DETECTORS, get_detector
from pingan.detect.simulate import Simulation, simulate
from pingan.exceptions import PinganError

__all__ = ["evaluate", "per_series", "summarise"]

Detector = Callable[[pd.DataFrame], pd.DataFrame]


def per_series(func: Callable[[pd.Series], pd.DataFrame]) -> Detector:
    """Wrap a one-series detector so that it runs on every series of a panel.

    Parameters
    ----------
    func : callable
        ``func(series) -> DataFrame`` where ``series`` is a float Series
        indexed by quarterly Periods (missing quarters absent). The frame
        is either one row per quarter with ``quarter`` and ``is_anomaly``, or
        a single row with ``is_anomaly`` and/or ``p_value``.

    Returns
    -------
    callable
        ``detector(panel) -> DataFrame`` for a panel with ``series_id``,
        ``quarter`` and ``value``; the output gains ``series_id``.

    Examples
    --------
    >>> def last_is_max(s):
    ...     return pd.DataFrame({"is_anomaly": [s.iloc[-1] >= s.max()]})
    >>> sim = simulate(2, n_quarters=6, seed=3)
    >>> per_series(last_is_max)(sim.data).columns.tolist()
    ['series_id', 'is_anomaly']
    """

    def detector(panel: pd.DataFrame, **_: object) -> pd.DataFrame:
        frames = []
        for series_id, rows in panel.groupby("series_id", sort=True):
            series = pd.Series(
                rows["value"].to_numpy(dtype=float),
                index=pd.PeriodIndex(rows["quarter"]),
            )
            result = func(series).reset_index(drop=True)
            result.insert(0, "series_id", series_id)
            frames.append(result)
        return pd.concat(frames, ignore_index=True)

    return detector


def evaluate(
    detector: str | Detector,
    *,
    effects: Sequence[float] = (0.0, 0.5, 1.0),
    n_sim: int = 200,
    change: str = "step",
    alpha: float = 0.05,
    sequential: bool = True,
    name: str | None = None,
    options: Mapping[str, object] | None = None,
    seed: int = 0,
    **simulation: object,
) -> pd.DataFrame:
    """Simulate series with and without a change and record what a detector finds.

    Parameters
    ----------
    detector : str or callable
        A name from :data:`pingan.detect.DETECTORS`, or ``f(panel) ->
        DataFrame`` taking a tidy panel (``series_id``, ``quarter``,
        ``value``) and returning either one row per series and quarter with
        ``series_id``, ``quarter`` and ``is_anomaly``, or one row per series
        with ``series_id`` and ``is_anomaly`` or ``p_value``. Wrap a
        one-series function with :func:`per_series`.
    effects : sequence of float, default=(0.0, 0.5, 1.0)
        Effect sizes, in the units of ``simulate(effect=...)``; 0 gives the
        false-alarm rate.
    n_sim : int, default=200
        Series simulated per effect size.
    change : {"step", "trend", "outbreak"}, default="step"
        Kind of change planted when the effect is not 0.
    alpha : float, default=0.05
        Level applied to a ``p_value`` when the output has no ``is_anomaly``.
    sequential : bool, default=True
        Rerun the detector on the data up to each quarter from the change on,
        as a monitor would, and take the first quarter flagged. A
        series-level test flags the quarter when it rejects. A quarter-level
        detector flags it when it flags any quarter from the change quarter
        to that last quarter, because a segmentation needs a quarter after a
        new level before it can split there. Built-in detectors whose
        flag for a quarter uses no later data (``CAUSAL_DETECTORS``) run
        once, with the same result. With False every detector runs once on
        the whole series, so segmentation and STL may flag a quarter using
        quarters that come after it.
    name : str, optional
        Label of the detector in the output; default its name or
        ``func.__name__``.
    options : mapping, optional
        Keyword arguments for a named detector.
    seed : int, default=0
        Seed of the first simulation; effect ``k`` uses ``seed + k``.
    **simulation
        Passed to :func:`pingan.detect.simulate` (``n_quarters``, ``level``,
        ``family``, ``seasonal_amplitude``, ``change_at``, ``missing``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per effect and simulated series:

        - ``detector``: str; ``change``: str; ``effect``: float;
        - ``series_id``: int;
        - ``detected``: bool, an alarm at or after the change quarter
          (the monitoring window; the same window for effect 0);
        - ``delay``: float, quarters from the change quarter to the first
          alarm in the window (0 = flagged in the change quarter), NaN if
          none;
        - ``alarm_before``: bool, an alarm before the change quarter
          (quarter-level detectors; False for series-level tests);
        - ``flagged_final``: bool, an alarm in the last quarter or, for a
          series-level test, on the whole series.

    Raises
    ------
    PinganError
        If the detector output has neither ``is_anomaly`` nor ``p_value``,
        or lacks ``series_id``.

    Notes
    -----
    The monitoring window runs from the change quarter (``change_at``,
    default three quarters into the series) to the end, for every effect,
    so the rate at effect 0 is the probability of at least one false alarm
    over that window and is directly comparable with the power. Sequential
    use of a series-level test inflates its false-alarm rate above its
    nominal level, as it would in practice.

    Examples
    --------
    >>> out = evaluate("ears_c1", effects=[0, 2], n_sim=20, change="outbreak")
    >>> summarise(out)[["effect", "n_sim", "alarm_rate"]]
       effect  n_sim  alarm_rate
    0     0.0     20         0.0
    1     2.0     20         0.2
    """
    check_interval("alpha", alpha, "evaluate", 0, 1, "neither")
    label = name or (
        detector if isinstance(detector, str) else _callable_name(detector)
    )
    causal = isinstance(detector, str) and detector in CAUSAL_DETECTORS
    if isinstance(detector, str):
        detector = get_detector(detector, **dict(options or {}))
    frames = []
    for k, effect in enumerate(effects):
        kind = change if effect != 0 else "none"
        sim = simulate(n_sim, change=kind, effect=effect, seed=seed + k, **simulation)
        at = _change_at(sim, simulation)
        alarms, series_level = _alarm_matrix(
            detector, sim, at, alpha, sequential, causal
        )
        frames.append(_outcomes(alarms, at, series_level, label, change, effect))
    return pd.concat(frames, ignore_index=True)


def _callable_name(func) -> str:
    inner = getattr(func, "func", func)
    return getattr(inner, "__name__", "detector")


def _change_at(sim: Simulation, simulation: Mapping) -> int:
    n_quarters = int(simulation.get("n_quarters", 16))
    at = simulation.get("change_at")
    return (3 * n_quarters) // 4 if at is None else int(at)


def _alarm_matrix(detector, sim, at, alpha, sequential, causal):
    """Return a (series, quarter) alarm array and whether the test is series-level."""
    quarters = pd.period_range(
        sim.data["quarter"].min(), sim.data["quarter"].max(), freq="Q"
    )
    n_series = sim.truth.shape[0]
    result = detector(sim.data)
    per_quarter = "quarter" in result.columns
    if per_quarter and (causal or not sequential):
        return _quarter_alarms(result, quarters, n_series, alpha), False
    alarms = np.zeros((n_series, len(quarters)), dtype=bool)
    ends = range(at, len(quarters)) if sequential else [len(quarters) - 1]
    for end in ends:
        if end == len(quarters) - 1:
            part = result
        else:
            part = detector(sim.data[sim.data["quarter"] <= quarters[end]])
        if per_quarter:
            recent = part["quarter"].between(quarters[at], quarters[end])
            part = part[recent]
        flagged = _series_flags(part, alpha)
        alarms[flagged.index.to_numpy(), end] = flagged.to_numpy()
    return alarms, not per_quarter


def _decisions(result: pd.DataFrame, alpha: float) -> pd.Series:
    if "series_id" not in result.columns:
        raise PinganError(
            "evaluate: the detector output must have a series_id column; wrap a "
            "one-series function with pingan.detect.per_series."
        )
    if "is_anomaly" in result.columns:
        return result["is_anomaly"].fillna(False).astype(bool)
    if "p_value" in result.columns:
        return result["p_value"].lt(alpha)
    raise PinganError(
        "evaluate: the detector output must have an is_anomaly or a p_value "
        f"column; it has {', '.join(map(str, result.columns))}."
    )


def _series_flags(result: pd.DataFrame, alpha: float) -> pd.Series:
    decisions = _decisions(result, alpha)
    return decisions.groupby(result["series_id"].to_numpy()).any()


def _quarter_alarms(result, quarters, n_series, alpha) -> np.ndarray:
    decisions = _decisions(result, alpha).to_numpy()
    column = (pd.PeriodIndex(result["quarter"]).asi8 - quarters[0].ordinal).astype(int)
    alarms = np.zeros((n_series, len(quarters)), dtype=bool)
    alarms[result["series_id"].to_numpy()[decisions], column[decisions]] = True
    return alarms


def _outcomes(alarms, at, series_level, label, change, effect) -> pd.DataFrame:
    window = alarms[:, at:]
    detected = window.any(axis=1)
    delay = np.where(detected, np.argmax(window, axis=1), np.nan)
    return pd.DataFrame(
        {
            "detector": label,
            "change": change,
            "effect": float(effect),
            "series_id": np.arange(len(alarms)),
            "detected": detected,
            "delay": delay.astype(float),
            "alarm_before": alarms[:, :at].any(axis=1) if not series_level else False,
            "flagged_final": alarms[:, -1],
        }
    )


def summarise(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Summarise :func:`evaluate` outcomes per detector, change and effect.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        Output of :func:`evaluate` (several may be concatenated).

    Returns
    -------
    pandas.DataFrame
        One row per ``detector``, ``change`` and ``effect``:

        - ``n_sim``: int, series simulated;
        - ``measure``: str, ``"false alarm rate"`` at effect 0, else ``"power"``;
        - ``alarm_rate``: float in [0, 1], share of series with an alarm in
          the monitoring window;
        - ``alarm_rate_se``: float, its binomial standard error;
        - ``final_rate``: float, share flagged at the last quarter;
        - ``mean_delay``, ``median_delay``: float, quarters from the change
          to the first alarm, among detected series.

    Examples
    --------
    >>> out = evaluate("mann_kendall", effects=[0], n_sim=10, sequential=False)
    >>> summarise(out)["measure"].tolist()
    ['false alarm rate']
    """
    grouped = outcomes.groupby(["detector", "change", "effect"], sort=False)
    table = grouped.agg(
        n_sim=("detected", "size"),
        alarm_rate=("detected", "mean"),
        final_rate=("flagged_final", "mean"),
        mean_delay=("delay", "mean"),
        median_delay=("delay", "median"),
    ).reset_index()
    p = table["alarm_rate"]
    table["alarm_rate_se"] = np.sqrt(p * (1 - p) / table["n_sim"])
    table.insert(
        4, "measure", np.where(table["effect"] == 0, "false alarm rate", "power")
    )
    columns = ["detector", "change", "effect", "n_sim", "measure", "alarm_rate"]
    rest = ["alarm_rate_se", "final_rate", "mean_delay", "median_delay"]
    return table[columns + rest]
