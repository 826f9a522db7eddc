"""Run chosen detectors over every series of a panel and gather the results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd

from pingan._validation import check_option
from pingan.changes import period_change
from pingan.detect._panel import resolve_by
from pingan.detect.aberration import ears, farrington
from pingan.detect.changepoint import cusum, pettitt, segment
from pingan.detect.control import ewma_chart, shewhart_chart
from pingan.detect.seasonal import stl_anomaly
from pingan.detect.trend import mann_kendall, seasonal_mann_kendall, sens_slope

__all__ = [
    "CAUSAL_DETECTORS",
    "DETECTORS",
    "DetectionResult",
    "detect_all",
    "get_detector",
]

#: Built-in detectors by name: the function and the options it is called with.
DETECTORS: dict[str, tuple[Callable[..., pd.DataFrame], dict]] = {
    "mann_kendall": (mann_kendall, {}),
    "mann_kendall_hamed_rao": (mann_kendall, {"variant": "hamed_rao"}),
    "mann_kendall_yue_wang": (mann_kendall, {"variant": "yue_wang"}),
    "mann_kendall_tfpw": (mann_kendall, {"variant": "tfpw"}),
    "seasonal_mann_kendall": (seasonal_mann_kendall, {}),
    "sens_slope": (sens_slope, {}),
    "pettitt": (pettitt, {}),
    "cusum": (cusum, {}),
    "segment_pelt": (segment, {"algorithm": "pelt"}),
    "segment_binseg": (segment, {"algorithm": "binseg"}),
    "ewma": (ewma_chart, {}),
    "shewhart": (shewhart_chart, {}),
    "ears_c1": (ears, {"method": "C1"}),
    "ears_c2": (ears, {"method": "C2"}),
    "ears_c3": (ears, {"method": "C3"}),
    "farrington": (farrington, {}),
    "stl": (stl_anomaly, {}),
}


#: Quarter-level detectors whose flag for a quarter uses only that quarter and
#: earlier ones, so running them on the data up to each quarter changes nothing.
CAUSAL_DETECTORS = frozenset(
    {"cusum", "ewma", "shewhart", "ears_c1", "ears_c2", "ears_c3", "farrington"}
)


def get_detector(name: str, **options) -> Callable[..., pd.DataFrame]:
    """Return the built-in detector ``name`` with ``options`` bound.

    Parameters
    ----------
    name : str
        A key of :data:`DETECTORS`.
    **options
        Keyword arguments of the detector; they override the defaults that
        the name implies (e.g. ``alternative="increasing"``).

    Returns
    -------
    callable
        ``f(data, value=..., by=...) -> pandas.DataFrame``.

    Raises
    ------
    PinganError
        If ``name`` is not a built-in detector.

    Examples
    --------
    >>> f = get_detector("mann_kendall", alternative="increasing")
    >>> q = pd.period_range("2024Q1", periods=5, freq="Q")
    >>> f(pd.Series([1.0, 2, 3, 4, 5], index=q))["p_value"].round(3).tolist()
    [0.014]
    """
    check_option("name", name, DETECTORS, "get_detector")
    function, defaults = DETECTORS[name]
    return partial(function, **{**defaults, **options})


@dataclass(frozen=True)
class DetectionResult:
    """Results of :func:`detect_all`.

    Attributes
    ----------
    series : pandas.DataFrame
        One row per detector and series from the series-level tests, with
        ``detector`` (the name asked for), the key columns and the common
        columns ``method, n, statistic, p_value, threshold, is_anomaly,
        reason`` (plus each test's own columns; NaN where a test has none).
    quarters : pandas.DataFrame
        One row per detector, series and quarter from the quarter-level
        detectors: ``detector``, keys, ``quarter, value, method, statistic,
        p_value, threshold, is_anomaly, reason`` and the detectors' own
        columns.
    changes : pandas.DataFrame
        Keys, ``quarter``, ``value``, and quarter-on-quarter and
        year-on-year changes from :func:`pingan.changes.period_change`:
        ``qoq_change``, ``qoq_change_pct``, ``qoq_reason``, ``yoy_change``,
        ``yoy_change_pct``, ``yoy_reason``.
    """

    series: pd.DataFrame
    quarters: pd.DataFrame
    changes: pd.DataFrame


def detect_all(
    data: pd.DataFrame,
    methods: Sequence[str] | None = None,
    *,
    value: str = "value",
    by: Sequence[str] | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> DetectionResult:
    """Apply the chosen detectors to every series of a tidy panel.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy panel with ``quarter``, ``value`` and key columns such as
        ``area_code`` and ``indicator``.
    methods : sequence of str, optional
        Names from :data:`DETECTORS`; default all of them.
    value : str, default="value"
        Column of the measured values.
    by : sequence of str, optional
        Key columns of one series; default every column other than
        ``quarter`` and ``value``.
    options : mapping, optional
        Extra keyword arguments per detector name, e.g.
        ``{"ears_c1": {"baseline": 4}}``.

    Returns
    -------
    DetectionResult
        ``series``, ``quarters`` and ``changes`` tables (see
        :class:`DetectionResult`).

    Raises
    ------
    PinganError
        If a method name is unknown, or from the detectors themselves.

    Notes
    -----
    Each detector runs once on the whole panel, so a degenerate series (too
    short, constant, all missing) gives NaN rows with a ``reason`` and never
    stops the others. Detectors that need counts (``farrington``) raise on
    negative values.

    Examples
    --------
    >>> from pingan.detect.simulate import simulate
    >>> sim = simulate(3, n_quarters=12, seed=2)
    >>> out = detect_all(sim.data, ["mann_kendall", "ears_c1"])
    >>> len(out.series), len(out.quarters), len(out.changes)
    (3, 36, 36)
    """
    methods = list(DETECTORS) if methods is None else list(methods)
    for name in methods:
        check_option("methods", name, DETECTORS, "detect_all")
    by = resolve_by(data, value, by)
    options = dict(options or {})
    series, quarters = [], []
    for name in methods:
        result = get_detector(name, **options.get(name, {}))(data, value=value, by=by)
        result.insert(0, "detector", name)
        (quarters if "quarter" in result.columns else series).append(result)
    return DetectionResult(
        series=_concat(series),
        quarters=_concat(quarters),
        changes=_changes(data, value, by),
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=["detector"])
    return pd.concat(frames, ignore_index=True, sort=False)


def _changes(data: pd.DataFrame, value: str, by: list[str]) -> pd.DataFrame:
    """Return quarter-on-quarter and year-on-year changes side by side."""
    base = data[[*by, "quarter", value]].sort_values([*by, "quarter"])
    out = base.reset_index(drop=True)
    for lag, prefix in ((1, "qoq"), (4, "yoy")):
        change = period_change(base, value=value, by=by, lag=lag)
        out[f"{prefix}_change"] = change["change"].to_numpy()
        out[f"{prefix}_change_pct"] = change["change_pct"].to_numpy()
        out[f"{prefix}_reason"] = change["change_reason"].to_numpy()
    return out
