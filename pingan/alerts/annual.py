"""The year-end review: annual index, rank changes and the indicators that got worse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval, check_option
from pingan.alerts.drivers import as_period
from pingan.scoring.annual import annual_index as scoring_annual_index
from pingan.scoring.annual import annual_totals

__all__ = [
    "AnnualResult",
    "annual_index",
    "annual_county_totals",
    "annual_indicator_changes",
    "county_values",
    "worsened_indicators",
    "annual_contributions",
    "review_year",
    "key_target_table",
]


def _year_mean(
    table: pd.DataFrame, keys: list[str], value: str, year: int
) -> pd.Series:
    """Average ``value`` over the quarters of ``year`` present, per ``keys``."""
    quarters = as_period(table["quarter"])
    return table[quarters.dt.year == year].groupby(keys)[value].mean()


def annual_index(index: pd.DataFrame, year: int) -> pd.DataFrame:
    """Average each area's quarterly index over a year and compare ranks with last year.

    Parameters
    ----------
    index : pandas.DataFrame
        Columns ``quarter``, ``area_code`` and ``index`` (0-100).
    year : int
        Calendar year reviewed.

    Returns
    -------
    pandas.DataFrame
        One row per area, sorted by ``rank``:

        - ``year``: int;
        - ``area_code``: str;
        - ``quarters``: int, quarters with an index in ``year``;
        - ``annual_index``: float, mean of the four quarterly indexes (NaN
          unless all four exist);
        - ``rank``: Int64, 1 = best among the complete areas (ties share the
          minimum rank);
        - ``previous_index``, ``previous_rank``: the same for ``year - 1``;
        - ``index_change``: float, ``annual_index - previous_index``;
        - ``rank_change``: Int64, ``previous_rank - rank`` (positive = moved up);
        - ``reason``: str, why ``annual_index`` is missing (``''`` if present).

    Notes
    -----
    Only a full year is averaged: with a missing quarter the mean would be
    biased by the seasonal pattern of the index, so the value is withheld
    and ``reason`` gives the number of quarters present.

    Examples
    --------
    >>> index = pd.DataFrame({"quarter": ["2024Q1", "2024Q2", "2024Q3", "2024Q4"] * 2,
    ...     "area_code": ["A"] * 4 + ["B"] * 4,
    ...     "index": [80.0, 82, 84, 86, 70, 70, 70, 70]})
    >>> annual_index(index, 2024)[["area_code", "annual_index", "rank", "reason"]]
      area_code  annual_index  rank reason
    0         A          83.0     1
    1         B          70.0     2
    """
    check_columns(index, ["quarter", "area_code", "index"], "annual_index")
    quarters = as_period(index["quarter"])
    index = index.assign(quarter=quarters)
    now = scoring_annual_index(index, year).set_index("area_code")
    before = scoring_annual_index(index, year - 1).set_index("area_code")
    areas = now.index[(now["n_quarters"] > 0) | (before["n_quarters"] > 0)]
    now, before = now.loc[areas], before.loc[areas]
    result = pd.DataFrame(
        {
            "year": year,
            "area_code": areas,
            "quarters": now["n_quarters"].to_numpy(),
            "annual_index": now["annual_index"].to_numpy(),
            "rank": now["rank"].to_numpy(),
            "previous_index": before["annual_index"].to_numpy(),
            "previous_rank": before["rank"].to_numpy(),
            "reason": now["reason"].fillna("").to_numpy(),
        }
    )
    result["index_change"] = result["annual_index"] - result["previous_index"]
    result["rank_change"] = (result["previous_rank"] - result["rank"]).astype("Int64")
    columns = [
        "year",
        "area_code",
        "quarters",
        "annual_index",
        "rank",
        "previous_index",
        "previous_rank",
        "index_change",
        "rank_change",
        "reason",
    ]
    return result.sort_values(
        ["rank", "area_code"], na_position="last", ignore_index=True
    )[columns]


def annual_county_totals(
    county_totals: pd.DataFrame, year: int, indicators: Sequence[str] | None = None
) -> pd.DataFrame:
    """Sum the county totals of a year and compare them with the year before.

    Parameters
    ----------
    county_totals : pandas.DataFrame
        Columns ``quarter``, ``indicator`` and ``total`` (the county total of
        the submitted counts or amounts in the quarter).
    year : int
        Calendar year reviewed.
    indicators : sequence of str, optional
        Indicators to keep, e.g. the core indicators (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per indicator:

        - ``year``: int; ``indicator``: str;
        - ``total``, ``previous_total``: float, sums of the four quarters
          (NaN unless all four exist);
        - ``change``: float, ``total - previous_total``;
        - ``change_pct``: float, ``100 * change / previous_total`` (NaN for a
          zero base);
        - ``reason``: str, why a value is missing (``''`` if complete).

    Notes
    -----
    The sums and changes are those of :func:`pingan.scoring.annual_totals`
    with ``summed=True``; only the reason differs, giving the number of
    quarters of each incomplete year.

    Examples
    --------
    >>> totals = pd.DataFrame({"quarter": [f"{y}Q{q}" for y in (2024, 2025)
    ...     for q in range(1, 5)], "indicator": "SO04",
    ...     "total": [100.0, 100, 100, 100, 90, 95, 100, 94]})
    >>> annual_county_totals(totals, 2025)[["indicator", "total", "change_pct"]]
      indicator  total  change_pct
    0      SO04  379.0       -5.25
    """
    check_columns(
        county_totals, ["quarter", "indicator", "total"], "annual_county_totals"
    )
    quarterly = county_totals.assign(quarter=as_period(county_totals["quarter"]))
    totals = annual_totals(quarterly, year, indicators, summed=True)
    reason = [
        " and ".join(
            f"only {n} of 4 quarters in {y}"
            for n, y in ((now, year), (before, year - 1))
            if n < 4
        )
        for now, before in zip(
            totals["quarters"], totals["previous_quarters"], strict=True
        )
    ]
    return totals.assign(reason=reason)[
        [
            "year",
            "indicator",
            "total",
            "previous_total",
            "change",
            "change_pct",
            "reason",
        ]
    ]


def annual_indicator_changes(
    values: pd.DataFrame, catalogue: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Compare each area's annual mean of each indicator with the year before.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``value``.
    catalogue : pandas.DataFrame
        Columns ``indicator`` and ``direction`` (+1 higher is better, -1
        higher is worse).
    year : int
        Calendar year reviewed.

    Returns
    -------
    pandas.DataFrame
        One row per area and indicator:

        - ``year``: int; ``area_code``, ``indicator``: str;
        - ``mean``, ``previous_mean``: float, means of the quarters present;
        - ``change``: float, ``mean - previous_mean``;
        - ``change_pct``: float, percent of ``previous_mean`` (NaN for 0);
        - ``worse``: bool, the change goes against the indicator's direction.

    Examples
    --------
    >>> values = pd.DataFrame({"quarter": ["2024Q1", "2025Q1"], "area_code": "A",
    ...     "indicator": "SO02", "value": [10.0, 12.0]})
    >>> catalogue = pd.DataFrame({"indicator": ["SO02"], "direction": [-1]})
    >>> annual_indicator_changes(values, catalogue, 2025)[["change_pct", "worse"]]
       change_pct  worse
    0        20.0   True
    """
    check_columns(
        values,
        ["quarter", "area_code", "indicator", "value"],
        "annual_indicator_changes",
    )
    keys = ["area_code", "indicator"]
    now = _year_mean(values, keys, "value", year)
    before = _year_mean(values, keys, "value", year - 1)
    frame = pd.DataFrame({"mean": now, "previous_mean": before}).reset_index()
    direction = frame["indicator"].map(catalogue.set_index("indicator")["direction"])
    frame["change"] = frame["mean"] - frame["previous_mean"]
    base = frame["previous_mean"].where(frame["previous_mean"] != 0)
    frame["change_pct"] = 100 * frame["change"] / base
    frame["worse"] = (frame["change"] * direction < 0).to_numpy()
    frame.insert(0, "year", year)
    return frame[
        [
            "year",
            "area_code",
            "indicator",
            "mean",
            "previous_mean",
            "change",
            "change_pct",
            "worse",
        ]
    ]


def county_values(values: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Compute each indicator's county value per quarter, in the indicator's units.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``value``, and
        for rates ``raw_value`` (the submitted count) and ``population``.
    catalogue : pandas.DataFrame
        Column ``indicator`` and optionally ``denominator`` (``population``
        or ``none``), ``scale`` and ``value_type``.

    Returns
    -------
    pandas.DataFrame
        Columns ``quarter`` (period[Q-DEC]), ``indicator`` (str) and
        ``value`` (float). For a rate the value is
        ``scale * sum(raw_value) / sum(population)`` over the areas. For a
        percent or ratio it is the mean of the areas' values, and otherwise
        the sum of the areas' values.

    Examples
    --------
    >>> values = pd.DataFrame({"quarter": ["2025Q1"] * 2, "area_code": ["A", "B"],
    ...     "indicator": "SO04", "raw_value": [3.0, 1.0],
    ...     "population": [10000.0, 30000.0], "value": [3.0, 1 / 3]})
    >>> catalogue = pd.DataFrame({"indicator": ["SO04"], "denominator": ["population"],
    ...     "scale": [10000.0], "value_type": ["count"]})
    >>> county_values(values, catalogue)["value"].tolist()
    [1.0]
    """
    check_columns(values, ["quarter", "indicator", "value"], "county_values")
    info = catalogue.set_index("indicator")
    is_rate = _attribute(info, "denominator", "none").eq("population")
    is_share = _attribute(info, "value_type", "count").isin(["percent", "ratio"])
    scale = _attribute(info, "scale", 1.0).astype(float)
    frame = values.assign(quarter=as_period(values["quarter"]))
    if {"population", "raw_value"} <= set(frame.columns):
        counted = frame["raw_value"].where(frame["population"].notna())
        frame = frame.assign(counted=counted, persons=frame["population"])
    else:
        frame = frame.assign(counted=np.nan, persons=np.nan)
    grouped = frame.groupby(["quarter", "indicator"])
    table = pd.DataFrame(
        {
            "total": grouped["value"].sum(min_count=1),
            "mean": grouped["value"].mean(),
            "rate": grouped["counted"].sum(min_count=1)
            / grouped["persons"].sum(min_count=1),
        }
    ).reset_index()
    indicator = table["indicator"]
    value = np.where(
        indicator.map(is_rate).fillna(False),
        indicator.map(scale).fillna(1.0) * table["rate"],
        np.where(indicator.map(is_share).fillna(False), table["mean"], table["total"]),
    )
    return table[["quarter", "indicator"]].assign(value=value)


def _attribute(info: pd.DataFrame, column: str, default: object) -> pd.Series:
    """Return a catalogue column, or ``default`` for every indicator if absent."""
    if column in info:
        return info[column]
    return pd.Series(default, index=info.index)


def worsened_indicators(
    values: pd.DataFrame, catalogue: pd.DataFrame, year: int
) -> pd.DataFrame:
    """List the indicators whose county annual mean got worse, with the areas.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``value``.
    catalogue : pandas.DataFrame
        Columns ``indicator`` and ``direction``.
    year : int
        Calendar year reviewed.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, the worsened ones first (largest worsening in
        percent first):

        - ``year``: int; ``indicator``: str; ``direction``: int;
        - ``mean``, ``previous_mean``: float, the county annual mean: the
          mean over the year's quarters of :func:`county_values`;
        - ``change``, ``change_pct``: float, as in
          :func:`annual_indicator_changes`;
        - ``worse``: bool, the county mean moved against the direction;
        - ``areas_worse``: str, codes of the areas whose own annual mean got
          worse, joined by ``'|'``;
        - ``n_areas_worse``: int, how many.

    Notes
    -----
    The county value of a rate is the county rate (the areas' counts over
    their population), not the mean of the areas' rates, which gives small
    areas the weight of large ones. For counts and amounts it is the county
    total, so ``change_pct`` is the change of the annual county total.
    An area is listed in ``areas_worse`` from its own annual mean, so an
    indicator can have worsening areas while the county improved.

    Examples
    --------
    >>> values = pd.DataFrame({"quarter": ["2024Q1"] * 2 + ["2025Q1"] * 2,
    ...     "area_code": ["A", "B"] * 2, "indicator": "DI01",
    ...     "value": [10.0, 10.0, 14.0, 9.0]})
    >>> catalogue = pd.DataFrame({"indicator": ["DI01"], "direction": [-1]})
    >>> worsened_indicators(values, catalogue, 2025)[["indicator", "change_pct",
    ...     "worse", "areas_worse"]]
      indicator  change_pct  worse areas_worse
    0      DI01        15.0   True           A
    """
    check_columns(
        catalogue, ["indicator", "direction"], "worsened_indicators", "catalogue"
    )
    by_area = annual_indicator_changes(values, catalogue, year)
    county = annual_indicator_changes(
        county_values(values, catalogue).assign(area_code="county"), catalogue, year
    )
    worse_areas = by_area[by_area["worse"]].groupby("indicator")["area_code"]
    county = county.drop(columns="area_code").assign(
        direction=lambda f: f["indicator"].map(
            catalogue.set_index("indicator")["direction"]
        ),
        areas_worse=lambda f: (
            f["indicator"].map(worse_areas.agg("|".join)).astype(object).fillna("")
        ),
        n_areas_worse=lambda f: (
            f["indicator"].map(worse_areas.size()).fillna(0).astype(int)
        ),
    )
    severity = (-county["change_pct"].abs()).where(county["worse"], np.inf)
    county = county.assign(_order=severity).sort_values(["_order", "indicator"])
    return county[
        [
            "year",
            "indicator",
            "direction",
            "mean",
            "previous_mean",
            "change",
            "change_pct",
            "worse",
            "areas_worse",
            "n_areas_worse",
        ]
    ].reset_index(drop=True)


def annual_contributions(indicator_scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """Decompose each area's annual index change into its indicators' contributions.

    Parameters
    ----------
    indicator_scores : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``points``.
    year : int
        Calendar year reviewed.

    Returns
    -------
    pandas.DataFrame
        One row per area and indicator, sorted by area and contribution:
        ``year`` (int), ``area_code``, ``indicator`` (str), ``points`` and
        ``previous_points`` (float, annual means of the points),
        ``contribution`` (float, their difference) and ``rank`` (int, 1 = the
        most negative contribution of the area).

    Notes
    -----
    The annual index is the mean of the quarterly indexes, and each of
    those is the sum of the indicator points. So the annual index equals
    the sum of the indicators' annual mean points, and for full years the
    contributions sum exactly to the change of the annual index.

    Examples
    --------
    >>> scores = pd.DataFrame({"quarter": ["2024Q1", "2024Q1", "2025Q1", "2025Q1"],
    ...     "area_code": "A", "indicator": ["X", "Y", "X", "Y"],
    ...     "points": [5.0, 3.0, 4.0, 3.5]})
    >>> annual_contributions(scores, 2025)[["indicator", "contribution", "rank"]]
      indicator  contribution  rank
    0         X          -1.0     1
    1         Y           0.5     2
    """
    check_columns(
        indicator_scores,
        ["quarter", "area_code", "indicator", "points"],
        "annual_contributions",
    )
    check_interval("year", year, "annual_contributions", low=1900, high=2200)
    keys = ["area_code", "indicator"]
    frame = pd.DataFrame(
        {
            "points": _year_mean(indicator_scores, keys, "points", year),
            "previous_points": _year_mean(indicator_scores, keys, "points", year - 1),
        }
    ).reset_index()
    frame["contribution"] = frame["points"] - frame["previous_points"]
    frame = frame.sort_values(["area_code", "contribution"], ignore_index=True)
    frame["rank"] = frame.groupby("area_code").cumcount() + 1
    frame.insert(0, "year", year)
    return frame


@dataclass(frozen=True)
class AnnualResult:
    """The year-end review tables.

    Attributes
    ----------
    year : int
        Calendar year reviewed.
    index : pandas.DataFrame
        :func:`annual_index`.
    county_totals : pandas.DataFrame
        :func:`annual_county_totals` of the core indicators.
    indicators : pandas.DataFrame
        :func:`worsened_indicators`, every indicator.
    area_changes : pandas.DataFrame
        :func:`annual_indicator_changes`.
    drivers : pandas.DataFrame
        :func:`annual_contributions`.
    """

    year: int
    index: pd.DataFrame
    county_totals: pd.DataFrame
    indicators: pd.DataFrame
    area_changes: pd.DataFrame
    drivers: pd.DataFrame

    @property
    def key_targets(self) -> pd.DataFrame:
        """The indicators whose county annual mean got worse."""
        return self.indicators[self.indicators["worse"]].reset_index(drop=True)


def review_year(
    index: pd.DataFrame,
    values: pd.DataFrame,
    indicator_scores: pd.DataFrame,
    county_totals: pd.DataFrame,
    catalogue: pd.DataFrame,
    year: int,
    core: Sequence[str] | None = None,
) -> AnnualResult:
    """Build the year-end review from the scoring tables of a year and the year before.

    Parameters
    ----------
    index, values, indicator_scores, county_totals : pandas.DataFrame
        Tables of ``pingan.pipeline.run_quarter`` covering both years.
    catalogue : pandas.DataFrame
        Columns ``indicator``, ``direction`` and optionally ``core`` (bool).
    year : int
        Calendar year reviewed.
    core : sequence of str, optional
        Core indicators for the county totals (default: the catalogue's
        ``core`` column, else every indicator).

    Returns
    -------
    AnnualResult
        The tables listed in :class:`AnnualResult`; ``key_targets`` lists the
        indicators that got worse.

    Examples
    --------
    >>> from pingan.alerts._testing import CATALOGUE, make_values, score_values
    >>> r = score_values(make_values())
    >>> review = review_year(r.index, r.values, r.indicator_scores, r.county_totals,
    ...     CATALOGUE, 2025)
    >>> review.county_totals["indicator"].tolist()
    ['SO04', 'SO05']
    """
    if core is None:
        has_core = "core" in catalogue and catalogue["core"].astype(bool).any()
        core = (
            catalogue.loc[catalogue["core"].astype(bool), "indicator"].tolist()
            if has_core
            else None
        )
    return AnnualResult(
        year=year,
        index=annual_index(index, year),
        county_totals=annual_county_totals(county_totals, year, core),
        indicators=worsened_indicators(values, catalogue, year),
        area_changes=annual_indicator_changes(values, catalogue, year),
        drivers=annual_contributions(indicator_scores, year),
    )


def key_target_table(
    review: AnnualResult,
    areas: pd.DataFrame,
    catalogue: pd.DataFrame,
    language: Literal["zh", "en"] = "zh",
) -> pd.DataFrame:
    """Name the key target indicators and the areas where they got worse.

    Parameters
    ----------
    review : AnnualResult
        Output of :func:`review_year`.
    areas : pandas.DataFrame
        Columns ``area_code``, ``name_zh`` and ``name_en``.
    catalogue : pandas.DataFrame
        Columns ``indicator``, ``name_zh`` and ``name_en``.
    language : {"zh", "en"}, default="zh"
        Language of the names.

    Returns
    -------
    pandas.DataFrame
        One row per worsened indicator, worst first, with columns

        - ``indicator``, ``name``: str;
        - ``previous_mean``, ``mean``, ``change_pct``: float, the county
          annual means and their change in percent;
        - ``areas``: str, names of the areas where it got worse, joined by
          ``'、'`` in Chinese and ``', '`` in English.

    Examples
    --------
    >>> from pingan.alerts._testing import CATALOGUE, make_values, score_values
    >>> r = score_values(make_values())
    >>> review = review_year(r.index, r.values, r.indicator_scores, r.county_totals,
    ...     CATALOGUE, 2025)
    >>> areas = pd.DataFrame({"area_code": ["530129005"], "name_zh": ["金所街道"],
    ...     "name_en": ["Jinsuo"]})
    >>> table = key_target_table(review, areas, CATALOGUE, "en")
    >>> table.iloc[0][["name", "areas"]].tolist()
    ['Petitions', '530129001, 530129002, 530129003, 530129004, Jinsuo']
    """
    check_option("language", language, ["zh", "en"], "key_target_table")
    column = f"name_{language}"
    area_names = areas.set_index("area_code")[column]
    separator = "、" if language == "zh" else ", "
    targets = review.key_targets
    names = [
        separator.join(
            str(area_names.get(code) or code) for code in codes.split("|") if code
        )
        for codes in targets["areas_worse"]
    ]
    return pd.DataFrame(
        {
            "indicator": targets["indicator"],
            "name": targets["indicator"].map(catalogue.set_index("indicator")[column]),
            "previous_mean": targets["previous_mean"],
            "mean": targets["mean"],
            "change_pct": targets["change_pct"],
            "areas": names,
        }
    )
