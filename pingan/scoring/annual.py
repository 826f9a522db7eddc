"""County totals of indicators and annual figures (four-quarter means and sums)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pingan._validation import check_columns
from pingan.changes import period_change

__all__ = ["county_totals", "annual_index", "annual_totals"]


def county_totals(
    values: pd.DataFrame, indicators: Sequence[str] | None = None
) -> pd.DataFrame:
    """Sum the submitted values over all areas, per indicator and quarter.

    Parameters
    ----------
    values : pandas.DataFrame
        From :func:`pingan.scoring.values.indicator_values` (``quarter,
        area_code, indicator, raw_value``).
    indicators : sequence of str, optional
        Indicators to keep (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per quarter and indicator:

        - ``quarter``, ``indicator``;
        - ``total``: float, sum of ``raw_value`` in the indicator's unit
          (NaN when no area reported);
        - ``n_areas``: int, areas with a value;
        - ``qoq_change_pct``, ``yoy_change_pct``: float, percent change on
          the previous quarter and the same quarter a year earlier;
        - ``qoq_reason``, ``yoy_reason``: str, why a change is missing.

    Examples
    --------
    >>> q = pd.PeriodIndex(["2024Q1", "2025Q1"], freq="Q")
    >>> v = pd.DataFrame({"quarter": q.repeat(2), "area_code": ["A", "B"] * 2,
    ...     "indicator": "F", "raw_value": [10.0, 10.0, 9.0, 8.0]})
    >>> county_totals(v)[["quarter", "total", "yoy_change_pct"]]
      quarter  total  yoy_change_pct
    0  2024Q1   20.0             NaN
    1  2025Q1   17.0           -15.0
    """
    check_columns(
        values,
        ["quarter", "area_code", "indicator", "raw_value"],
        "county_totals",
        "values",
    )
    data = (
        values
        if indicators is None
        else values.loc[values["indicator"].isin(indicators)]
    )
    totals = (
        data.groupby(["quarter", "indicator"], sort=True)
        .agg(
            total=("raw_value", lambda v: v.sum(min_count=1)),
            n_areas=("raw_value", "count"),
        )
        .reset_index()
    )
    for name, lag in (("qoq", 1), ("yoy", 4)):
        changed = period_change(totals, "total", ("indicator",), lag)
        totals[f"{name}_change_pct"] = changed["change_pct"].to_numpy()
        totals[f"{name}_reason"] = changed["change_reason"].to_numpy()
    return totals


def annual_totals(
    values: pd.DataFrame,
    year: int,
    indicators: Sequence[str] | None = None,
    *,
    summed: bool = False,
) -> pd.DataFrame:
    """Compare an indicator's county total over a year with the year before.

    Parameters
    ----------
    values : pandas.DataFrame
        As for :func:`county_totals`; with ``summed=True``, the quarterly
        county totals instead (``quarter``, ``indicator``, ``total``), such
        as the output of :func:`county_totals`.
    year : int
        Calendar year, e.g. 2025.
    indicators : sequence of str, optional
        Indicators to keep (default: all).
    summed : bool, default=False
        Whether ``values`` already contains one county total per quarter and
        indicator. Otherwise ``raw_value`` is first summed over the areas
        with :func:`county_totals`.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, sorted by ``indicator``:

        - ``indicator``: str; ``year``: int;
        - ``total``, ``previous_total``: float, sums of the four quarters of
          ``year`` and ``year - 1`` (NaN unless all four have a total);
        - ``change``: float, ``total - previous_total``;
        - ``change_pct``: float, ``100 * change / previous_total``;
        - ``quarters``, ``previous_quarters``: int, quarters with a total in
          ``year`` and ``year - 1``;
        - ``reason``: str, why ``change_pct`` is missing (a year without all
          four quarters, or a zero base), else None.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q4", freq="Q")
    >>> v = pd.DataFrame({"quarter": q, "area_code": "A", "indicator": "F",
    ...     "raw_value": [25.0] * 4 + [20.0, 25.0, 25.0, 25.0]})
    >>> annual_totals(v, 2025)[["total", "previous_total", "change_pct"]]
       total  previous_total  change_pct
    0   95.0           100.0        -5.0
    >>> totals = county_totals(v)
    >>> annual_totals(totals.iloc[:7], 2025, summed=True)[["quarters", "reason"]]
       quarters                            reason
    0         3  a year without all four quarters
    """
    if summed:
        check_columns(
            values, ["quarter", "indicator", "total"], "annual_totals", "values"
        )
        totals = (
            values
            if indicators is None
            else values.loc[values["indicator"].isin(indicators)]
        )
    else:
        totals = county_totals(values, indicators)
    names = sorted(set(totals["indicator"]))
    now = _year_sums(totals, names, year)
    before = _year_sums(totals, names, year - 1)
    change = now["total"] - before["total"]
    reason = np.where(
        now["total"].isna() | before["total"].isna(),
        "a year without all four quarters",
        np.where(before["total"] == 0, "zero base", None),
    )
    return pd.DataFrame(
        {
            "indicator": names,
            "year": year,
            "total": now["total"].to_numpy(),
            "previous_total": before["total"].to_numpy(),
            "change": change.to_numpy(),
            "change_pct": (
                100 * change / before["total"].where(before["total"] != 0)
            ).to_numpy(),
            "quarters": now["quarters"].to_numpy(),
            "previous_quarters": before["quarters"].to_numpy(),
            "reason": reason,
        }
    )


def _year_sums(totals: pd.DataFrame, names: list[str], year: int) -> pd.DataFrame:
    """Sum each indicator's quarterly totals over ``year``: NaN unless four quarters."""
    in_year = totals.loc[totals["quarter"].map(lambda p: p.year) == year]
    grouped = in_year.groupby("indicator")["total"]
    quarters = grouped.count().reindex(names, fill_value=0).astype(int)
    total = grouped.sum(min_count=1).reindex(names)
    return pd.DataFrame({"total": total.where(quarters == 4), "quarters": quarters})


def annual_index(index: pd.DataFrame, year: int) -> pd.DataFrame:
    """Average each area's quarterly index over a calendar year.

    Parameters
    ----------
    index : pandas.DataFrame
        From :func:`pingan.scoring.levels.index_table` (``quarter,
        area_code, index``).
    year : int
        Calendar year.

    Returns
    -------
    pandas.DataFrame
        One row per area: ``area_code``, ``year``, ``annual_index`` (mean of
        the four quarterly indices; NaN unless all four exist),
        ``n_quarters`` (quarters with an index), ``reason`` (why the annual
        index is missing), ``rank`` (Int64, 1 = safest, ties share the best
        rank).

    Examples
    --------
    >>> q = pd.period_range("2025Q1", "2025Q4", freq="Q")
    >>> ix = pd.DataFrame({"quarter": list(q) * 2, "area_code": ["A"] * 4 + ["B"] * 4,
    ...     "index": [80.0, 90.0, 85.0, 85.0, 70.0, 75.0, np.nan, 80.0]})
    >>> annual_index(ix, 2025)[["area_code", "annual_index", "n_quarters", "reason"]]
      area_code  annual_index  n_quarters                    reason
    0         A          85.0           4                       NaN
    1         B           NaN           3  only 3 of 4 quarters in 2025
    """
    check_columns(index, ["quarter", "area_code", "index"], "annual_index", "index")
    part = index.loc[index["quarter"].map(lambda p: p.year) == year]
    areas = sorted(index["area_code"].unique())
    stats = part.groupby("area_code")["index"].agg(["mean", "count"]).reindex(areas)
    n = stats["count"].fillna(0).astype(int)
    out = pd.DataFrame(
        {
            "area_code": areas,
            "year": year,
            "annual_index": stats["mean"].where(n == 4).to_numpy(),
            "n_quarters": n.to_numpy(),
            "reason": [
                None if k == 4 else f"only {k} of 4 quarters in {year}" for k in n
            ],
        }
    )
    out["rank"] = (
        out["annual_index"].rank(method="min", ascending=False).astype("Int64")
    )
    return out
