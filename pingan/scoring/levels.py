"""Dimension, domain and index scores; grades; ranks; comparisons over time."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pingan._validation import check_columns
from pingan.changes import period_change
from pingan.exceptions import PinganError
from pingan.scoring.engine import COUNTY

__all__ = [
    "DEFAULT_GRADES",
    "aggregate_levels",
    "grade",
    "rank_areas",
    "index_table",
]

#: Lowest index of each grade; an index below the last is ``'red'``.
DEFAULT_GRADES: dict[str, float] = {"green": 90.0, "yellow": 80.0, "orange": 70.0}


def aggregate_levels(scores: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Sum indicator points into dimension, domain and index scores.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`pingan.scoring.engine.score_indicators`.
    catalogue : pandas.DataFrame
        With ``indicator, dimension, domain``.

    Returns
    -------
    pandas.DataFrame
        One row per quarter x area x level x code:

        - ``quarter``, ``area_code``;
        - ``level``: ``'dimension'``, ``'domain'`` or ``'index'``;
        - ``code``: the dimension or domain code, ``'index'`` for the index;
        - ``points``: float, points earned by the scored indicators;
        - ``points_max``: float, the points of the scored indicators
          (below the catalogue's total where values are missing);
        - ``score_pct``: float in [0, 100], ``100 * points / points_max``.

    Notes
    -----
    With every value present, the index's ``points`` equals ``score_pct``
    and is the plain sum of the indicator points, so changes decompose
    exactly into indicator contributions. A missing value removes its
    indicator from both ``points`` and ``points_max``: the area is scored on
    what was reported, and ``points_max`` shows how much that was.

    Examples
    --------
    >>> s = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 2, freq="Q"),
    ...     "area_code": "A", "indicator": ["X", "Y"], "points_max": [60.0, 40.0],
    ...     "points": [60.0, np.nan]})
    >>> cat = pd.DataFrame({"indicator": ["X", "Y"], "dimension": ["d1", "d2"],
    ...     "domain": ["D", "D"]})
    >>> aggregate_levels(s, cat).query("level == 'index'")[["points", "score_pct"]]
       points  score_pct
    3    60.0      100.0
    """
    check_columns(
        scores,
        ["quarter", "area_code", "indicator", "points", "points_max"],
        "aggregate_levels",
        "scores",
    )
    meta = catalogue.set_index("indicator")
    base = scores[["quarter", "area_code", "points"]].copy()
    base["points_max"] = scores["points_max"].where(scores["points"].notna(), 0.0)
    parts = []
    for level in ("dimension", "domain", "index"):
        code = (
            scores["indicator"].map(meta[level])
            if level != "index"
            else pd.Series("index", index=scores.index)
        )
        summed = (
            base.assign(code=code.to_numpy())
            .groupby(["quarter", "area_code", "code"], sort=True)
            .agg(
                points=("points", lambda p: p.sum(min_count=1)),
                points_max=("points_max", "sum"),
            )
            .reset_index()
        )
        parts.append(summed.assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["score_pct"] = 100.0 * out["points"] / out["points_max"].replace(0, np.nan)
    columns = [
        "quarter",
        "area_code",
        "level",
        "code",
        "points",
        "points_max",
        "score_pct",
    ]
    return out[columns]


def grade(
    index: pd.Series | np.ndarray, thresholds: Mapping[str, float] | None = None
) -> pd.Series:
    """Grade index values: green, yellow, orange or red by default.

    Parameters
    ----------
    index : pandas.Series or numpy.ndarray
        Index values in [0, 100].
    thresholds : mapping of str to float, optional
        Lowest index of each grade, from best to worst; values below the last
        threshold get ``'red'``. Default :data:`DEFAULT_GRADES` (green >= 90,
        yellow >= 80, orange >= 70, red below).

    Returns
    -------
    pandas.Series
        Grade names; NaN where the index is NaN.

    Examples
    --------
    >>> grade(np.array([95.0, 90.0, 89.99, 70.0, 69.9, np.nan])).tolist()
    ['green', 'green', 'yellow', 'orange', 'red', nan]
    """
    thresholds = dict(DEFAULT_GRADES if thresholds is None else thresholds)
    bounds = list(thresholds.values())
    if any(a <= b for a, b in zip(bounds, bounds[1:], strict=False)):
        raise PinganError(
            "grade: thresholds must decrease from the best grade to the worst; "
            f"got {thresholds}."
        )
    values = pd.Series(np.asarray(index, dtype=float))
    out = pd.Series("red", index=values.index, dtype=object)
    for name, low in reversed(list(thresholds.items())):
        out[values >= low] = name
    out[values.isna()] = np.nan
    if isinstance(index, pd.Series):
        out.index = index.index
    return out


def rank_areas(data: pd.DataFrame, value: str = "index") -> pd.Series:
    """Rank areas within each quarter, 1 for the highest ``value``.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``quarter`` and ``value`` columns.
    value : str, default="index"
        Column to rank on, unrounded.

    Returns
    -------
    pandas.Series
        Integer ranks (``Int64``; NA where the value is NaN).

    Notes
    -----
    Ties share the best rank and the next rank is skipped (competition
    ranking "1, 2, 2, 4"), computed on unrounded values so that two areas
    that print the same rounded score may still rank apart.

    Examples
    --------
    >>> d = pd.DataFrame({"quarter": "2025Q1", "index": [90.0, 95.0, 90.0, 80.0]})
    >>> rank_areas(d).tolist()
    [2, 1, 2, 4]
    """
    ranks = data.groupby("quarter")[value].rank(method="min", ascending=False)
    return ranks.astype("Int64")


def index_table(
    levels: pd.DataFrame, thresholds: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Build the index table: index, grade, rank and changes per area and quarter.

    Parameters
    ----------
    levels : pandas.DataFrame
        From :func:`aggregate_levels`; rows of ``area_code = 'county'`` give
        the pooled county index.
    thresholds : mapping, optional
        Grade thresholds (see :func:`grade`).

    Returns
    -------
    pandas.DataFrame
        One row per area (the county excluded) and quarter, sorted by quarter
        and rank:

        - ``quarter``, ``area_code``;
        - ``index``: float in [0, 100], unrounded;
        - ``coverage``: float in [0, 1], share of the catalogue's points that
          could be scored (1 when nothing is missing);
        - ``grade``: ``'green'``, ``'yellow'``, ``'orange'`` or ``'red'``;
        - ``rank``: Int64, 1 = safest, ties share the best rank;
        - ``qoq_change``, ``yoy_change``: float, index points against the
          previous quarter and the same quarter a year earlier;
        - ``qoq_reason``, ``yoy_reason``: str, why a change is missing;
        - ``county_mean``: float, mean index of the areas in the quarter;
        - ``county_index``: float, index of the county with all areas pooled;
        - ``vs_county_mean``: float, ``index - county_mean``.

    Examples
    --------
    >>> lv = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 3, freq="Q"),
    ...     "area_code": ["A", "B", "county"], "level": "index", "code": "index",
    ...     "points": [92.0, 71.0, 85.0], "points_max": 100.0,
    ...     "score_pct": [92.0, 71.0, 85.0]})
    >>> index_table(lv)[["area_code", "grade", "rank", "county_mean"]]
      area_code   grade  rank  county_mean
    0         A   green     1         81.5
    1         B  orange     2         81.5
    """
    top = levels.loc[levels["level"] == "index"]
    table = pd.DataFrame(
        {
            "quarter": top["quarter"].to_numpy(),
            "area_code": top["area_code"].to_numpy(),
            "index": top["score_pct"].to_numpy(dtype=float),
            "coverage": (top["points_max"] / 100.0).to_numpy(dtype=float),
        }
    )
    county = table.loc[table["area_code"] == COUNTY].set_index("quarter")["index"]
    table = table.loc[table["area_code"] != COUNTY].reset_index(drop=True)
    table["grade"] = grade(table["index"], thresholds)
    table["rank"] = rank_areas(table)
    for name, lag in (("qoq", 1), ("yoy", 4)):
        changed = period_change(
            table[["quarter", "area_code", "index"]], "index", ("area_code",), lag
        )
        table[f"{name}_change"] = changed["change"].to_numpy()
        table[f"{name}_reason"] = changed["change_reason"].to_numpy()
    table["county_mean"] = table.groupby("quarter")["index"].transform("mean")
    table["county_index"] = table["quarter"].map(county)
    table["vs_county_mean"] = table["index"] - table["county_mean"]
    return table.sort_values(["quarter", "rank", "area_code"], ignore_index=True)
