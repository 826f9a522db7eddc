"""The scoring engine: indicator values to points, levels, index, grades, ranks.

Values are held as a quarters x areas x indicators array on a contiguous range
of calendar quarters, so that "the same quarter a year earlier" is always four
steps back along the first axis and a missing quarter is a gap of NaN. The
county (all areas pooled) is scored with the same rules as an extra area that
takes no part in the min-max range.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pingan._validation import check_columns
from pingan.exceptions import ConstantIndicatorWarning, PinganError
from pingan.scoring import methods

__all__ = [
    "COUNTY",
    "Panel",
    "to_panel",
    "score_panel",
    "score_indicators",
    "panel_points",
    "panel_index",
    "county_slices",
]

#: ``area_code`` of the county, all areas pooled, in scoring outputs.
COUNTY = "county"


@dataclass
class Panel:
    """Indicator values as arrays of shape (quarters, areas, indicators).

    Attributes
    ----------
    quarters : pandas.PeriodIndex
        Contiguous calendar quarters.
    areas : pandas.Index
        Area codes; the last is :data:`COUNTY` when ``has_county``.
    indicators : pandas.Index
        Indicator ids in catalogue order.
    value, raw, population : numpy.ndarray
        Scoring value, submitted sum and population (NaN where absent).
    has_county : bool
        Whether the last area is the pooled county.
    """

    quarters: pd.PeriodIndex
    areas: pd.Index
    indicators: pd.Index
    value: np.ndarray
    raw: np.ndarray
    population: np.ndarray
    has_county: bool = False


def _fill(frame: pd.DataFrame, column: str, shape: tuple, codes: tuple) -> np.ndarray:
    out = np.full(shape, np.nan)
    out[codes] = frame[column].to_numpy(dtype=float)
    return out


def to_panel(
    values: pd.DataFrame, catalogue: pd.DataFrame, with_county: bool = True
) -> Panel:
    """Arrange tidy indicator values as a :class:`Panel`.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter, area_code, indicator, value`` and optionally
        ``raw_value`` and ``population`` (see
        :func:`pingan.scoring.values.indicator_values`).
    catalogue : pandas.DataFrame
        The catalogue; its order fixes the indicator axis.
    with_county : bool, default=True
        Append the county (all areas pooled) as a last area: rates are
        pooled as total count over total population, other values averaged.

    Returns
    -------
    Panel

    Examples
    --------
    >>> v = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1", "2025Q3"], freq="Q"),
    ...     "area_code": ["A", "A"], "indicator": "X", "value": [1.0, 2.0]})
    >>> cat = pd.DataFrame({"indicator": ["X"], "denominator": ["none"],
    ...     "scale": [1.0]})
    >>> p = to_panel(v, cat, with_county=False)
    >>> p.value.shape, p.value[:, 0, 0].tolist()
    ((3, 1, 1), [1.0, nan, 2.0])
    """
    check_columns(
        values, ["quarter", "area_code", "indicator", "value"], "to_panel", "values"
    )
    quarters = pd.period_range(
        values["quarter"].min(), values["quarter"].max(), freq="Q-DEC"
    )
    areas = pd.Index(sorted(values["area_code"].unique()))
    indicators = pd.Index(catalogue["indicator"])
    codes = (
        quarters.get_indexer(values["quarter"]),
        areas.get_indexer(values["area_code"]),
        indicators.get_indexer(values["indicator"]),
    )
    if (codes[2] < 0).any():
        unknown = values.loc[codes[2] < 0, "indicator"].unique()
        raise PinganError(
            f"to_panel: indicator(s) {', '.join(unknown)} are not in the catalogue."
        )
    shape = (len(quarters), len(areas), len(indicators))
    value = _fill(values, "value", shape, codes)
    raw = _fill(values, "raw_value", shape, codes) if "raw_value" in values else value
    pop = (
        _fill(values, "population", shape, codes)
        if "population" in values
        else np.full(shape, np.nan)
    )
    panel = Panel(quarters, areas, indicators, value, raw, pop)
    return _add_county(panel, catalogue) if with_county else panel


def county_slices(
    value: np.ndarray, raw: np.ndarray, population: np.ndarray, catalogue: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the county's (quarters, indicators) value, raw sum and population.

    Rates are pooled as total count over total population of the areas that
    reported; other indicators take the mean of the areas.
    """
    rate = (catalogue["denominator"] == "population").to_numpy()
    scale = catalogue["scale"].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        raw_total = np.nansum(raw, axis=1)
        pop_total = np.nansum(np.where(np.isnan(raw), np.nan, population), axis=1)
        pooled_rate = raw_total * scale / pop_total
        mean = np.nanmean(value, axis=1)
    any_value = (~np.isnan(value)).any(axis=1)
    county_value = np.where(any_value, np.where(rate, pooled_rate, mean), np.nan)
    county_raw = np.where(any_value, raw_total, np.nan)
    county_pop = np.where(rate & any_value, pop_total, np.nan)
    return county_value, county_raw, county_pop


def _add_county(panel: Panel, catalogue: pd.DataFrame) -> Panel:
    """Append the pooled county as a last area."""
    value, raw, pop = county_slices(panel.value, panel.raw, panel.population, catalogue)
    return Panel(
        panel.quarters,
        panel.areas.append(pd.Index([COUNTY])),
        panel.indicators,
        np.concatenate([panel.value, value[:, None, :]], axis=1),
        np.concatenate([panel.raw, raw[:, None, :]], axis=1),
        np.concatenate([panel.population, pop[:, None, :]], axis=1),
        has_county=True,
    )


def _own_history(x: np.ndarray, years: int = 3) -> np.ndarray:
    """Mean of the same calendar quarter over the previous ``years`` years."""
    stack = np.full((years, *x.shape), np.nan)
    for k in range(1, years + 1):
        if 4 * k < x.shape[0]:
            stack[k - 1, 4 * k :] = x[: x.shape[0] - 4 * k]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(stack, axis=0)


def _goalposts(x: np.ndarray, params: dict, window: np.ndarray) -> tuple[float, float]:
    """Return (low, high): the parameters, else the reference window's range."""
    ref = x[window]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low = params.get("low", np.nanmin(ref) if ref.size else np.nan)
        high = params.get("high", np.nanmax(ref) if ref.size else np.nan)
    if np.isnan(low) or np.isnan(high):
        raise PinganError(
            "score_panel: no values in the reference period to set "
            "goalposts; give low and high in the catalogue params."
        )
    return float(low), float(high)


def _score_one(
    x: np.ndarray, row: pd.Series, county: np.ndarray | None, window: np.ndarray
) -> tuple[np.ndarray, dict]:
    """Score one indicator's (quarters, areas) array; return s and what was used."""
    method, params, direction = row["method"], row["params"], int(row["direction"])
    used: dict = {"indicator": row["indicator"], "method": method}
    areas_only = x if county is None else x[:, :-1]
    if method == "goalpost":
        low, high = _goalposts(areas_only, params, window)
        used |= {"low": low, "high": high}
        return methods.goalpost_score(x, low, high, direction), used
    if method == "minmax":
        s = methods.minmax_score(areas_only, direction, axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.nanmax(areas_only, axis=1) - np.nanmin(areas_only, axis=1)
        used["constant_quarters"] = int((spread == 0).sum())
        if county is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low = np.nanmin(areas_only, axis=1)
                high = np.nanmax(areas_only, axis=1)
            span = np.where(high > low, high - low, 1.0)
            c = (county - low) / span if direction == 1 else (high - county) / span
            c = np.where(high > low, np.clip(c, 0, 1), 1.0)
            s = np.concatenate([s, c[:, None]], axis=1)
        return s, used
    if method == "benchmark":
        w = params.get("weight_county", 0.5)
        tol = params.get("tolerance", 1.0)
        bench = county if county is not None else np.nanmean(x, axis=1)
        used |= {"weight_county": w, "tolerance": tol}
        own = _own_history(x)
        return methods.benchmark_score(x, bench[:, None], own, direction, w, tol), used
    if method == "deduction":
        used |= {"per_event": params["per_event"]}
        return methods.deduction_score(x, row["points"], params["per_event"]), used
    target, span = params["target"], params.get("span", 20.0)
    used |= {"target": target, "span": span}
    return methods.target_score(x, target, span, direction), used


def score_panel(
    panel: Panel,
    catalogue: pd.DataFrame,
    reference: tuple[pd.Period, pd.Period] | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Score every indicator of a panel with its catalogue method.

    Parameters
    ----------
    panel : Panel
        From :func:`to_panel`.
    catalogue : pandas.DataFrame
        With ``indicator, method, params, direction, points``.
    reference : tuple of pandas.Period, optional
        First and last quarter from which goalposts are taken when the
        catalogue gives none (default: every quarter of the panel).

    Returns
    -------
    s : numpy.ndarray
        Fractions of the points in [0, 1], same shape as ``panel.value``.
    used : pandas.DataFrame
        One row per indicator: ``indicator, method`` and the parameters
        actually used (``low, high`` for goalposts, and so on).

    Examples
    --------
    >>> v = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 2, freq="Q"),
    ...     "area_code": ["A", "B"], "indicator": "X", "value": [1.0, 3.0]})
    >>> cat = pd.DataFrame({"indicator": ["X"], "denominator": ["none"],
    ...     "scale": [1.0], "method": ["minmax"], "params": [{}],
    ...     "direction": [-1], "points": [100.0]})
    >>> s, used = score_panel(to_panel(v, cat), cat)
    >>> s[0, :, 0].tolist()
    [1.0, 0.0, 0.5]
    """
    window = np.ones(len(panel.quarters), dtype=bool)
    if reference is not None:
        window = (panel.quarters >= reference[0]) & (panel.quarters <= reference[1])
    # One contiguous (quarters, areas) block per indicator keeps memory access
    # sequential; the result is returned as a (quarters, areas, indicators) view.
    n_q, n_a, n_i = panel.value.shape
    s = np.empty((n_i, n_q, n_a))
    used = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantIndicatorWarning)
        for i, (_, row) in enumerate(catalogue.iterrows()):
            x = np.ascontiguousarray(panel.value[:, :, i])
            county = x[:, -1] if panel.has_county else None
            s[i], info = _score_one(x, row, county, window)
            s[i][np.isnan(x)] = np.nan
            used.append(info)
    return np.moveaxis(s, 0, -1), pd.DataFrame(used)


def panel_points(s: np.ndarray, catalogue: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Return earned points and available maximum per level from fractions.

    Parameters
    ----------
    s : numpy.ndarray
        Fractions (quarters, areas, indicators) from :func:`score_panel`.
    catalogue : pandas.DataFrame
        With ``points``, ``dimension`` and ``domain``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(points, points_max, index)``: earned and available points per
        indicator (NaN where unscored; ``points_max`` 0 there), and the index
        ``100 * sum(points) / sum(points_max)`` of shape (quarters, areas).

    Examples
    --------
    >>> cat = pd.DataFrame({"points": [60.0, 40.0]})
    >>> _, _, idx = panel_points(np.array([[[1.0, 0.5]]]), cat)
    >>> idx.tolist()
    [[80.0]]
    """
    full = catalogue["points"].to_numpy(dtype=float)
    points = s * full
    available = np.where(np.isnan(s), 0.0, full)
    return points, available, panel_index(s, catalogue)


def panel_index(s: np.ndarray, catalogue: pd.DataFrame) -> np.ndarray:
    """Return the index ``100 * sum(points) / sum(points_max)`` per quarter and area.

    Accumulates one indicator at a time, so memory stays at a few
    (quarters, areas) arrays whatever the number of indicators.

    Examples
    --------
    >>> cat = pd.DataFrame({"points": [60.0, 40.0]})
    >>> panel_index(np.array([[[1.0, np.nan]]]), cat).tolist()
    [[100.0]]
    """
    full = catalogue["points"].to_numpy(dtype=float)
    earned = np.zeros(s.shape[:2])
    possible = np.zeros(s.shape[:2])
    for i, points in enumerate(full):
        scored = ~np.isnan(s[:, :, i])
        earned += np.where(scored, s[:, :, i] * points, 0.0)
        possible += scored * points
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(possible > 0, 100.0 * earned / possible, np.nan)


def score_indicators(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    reference: tuple[pd.Period, pd.Period] | None = None,
    with_county: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score tidy indicator values into points per area, indicator and quarter.

    Parameters
    ----------
    values : pandas.DataFrame
        From :func:`pingan.scoring.values.indicator_values` (columns
        ``quarter, area_code, indicator, value`` and, for pooling the
        county, ``raw_value, population``).
    catalogue : pandas.DataFrame
        The validated catalogue.
    reference : tuple of pandas.Period, optional
        Goalposts' reference period (see :func:`score_panel`).
    with_county : bool, default=True
        Also score the county, all areas pooled, as ``area_code = 'county'``.

    Returns
    -------
    scores : pandas.DataFrame
        One row per quarter x area x indicator:

        - ``quarter`` (Period), ``area_code`` (str), ``indicator`` (str);
        - ``value``: float, the scored value in the indicator's units;
        - ``method``: str, the scoring method;
        - ``points_max``: float, the indicator's points;
        - ``points``: float in [0, points_max], points earned (NaN if the
          value is missing);
        - ``score``: float in [0, 1], ``points / points_max``; higher is
          safer.
    used : pandas.DataFrame
        The parameters each method used (see :func:`score_panel`).

    Examples
    --------
    >>> v = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 2, freq="Q"),
    ...     "area_code": ["A", "B"], "indicator": "X", "value": [0.0, 2.0]})
    >>> cat = pd.DataFrame({"indicator": ["X"], "denominator": ["none"],
    ...     "scale": [1.0], "method": ["deduction"], "params": [{"per_event": 1.0}],
    ...     "direction": [-1], "points": [5.0]})
    >>> scores, _ = score_indicators(v, cat)
    >>> scores[["area_code", "points", "score"]]
      area_code  points  score
    0         A     5.0    1.0
    1         B     3.0    0.6
    2    county     4.0    0.8
    """
    panel = to_panel(values, catalogue, with_county)
    s, used = score_panel(panel, catalogue, reference)
    q, a, i = np.meshgrid(
        np.arange(len(panel.quarters)),
        np.arange(len(panel.areas)),
        np.arange(len(panel.indicators)),
        indexing="ij",
    )
    full = catalogue["points"].to_numpy(dtype=float)
    scores = pd.DataFrame(
        {
            "quarter": panel.quarters[q.ravel()],
            "area_code": panel.areas[a.ravel()],
            "indicator": panel.indicators[i.ravel()],
            "value": panel.value.ravel(),
            "method": catalogue["method"].to_numpy()[i.ravel()],
            "points_max": full[i.ravel()],
            "points": (s * full).ravel(),
            "score": s.ravel(),
        }
    )
    present = values[["quarter"]].drop_duplicates()
    scores = scores.loc[scores["quarter"].isin(present["quarter"])]
    return scores.reset_index(drop=True), used
