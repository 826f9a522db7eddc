"""Decompose changes in the index and in county totals into their parts.

The index of an area is the sum of the points its indicators earn, so the
change of the index between two quarters is exactly the sum of the changes of
the indicators' points. A county total is the sum of the areas' values, so its
change is exactly the sum of the areas' changes. These two identities are what
the warning letters use to say which indicator, or which area, to fix first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval, check_option
from pingan.periods import parse_quarter

__all__ = [
    "index_contributions",
    "county_contributions",
    "leading_contributions",
    "focus_indicators",
]

INDEX_CONTRIBUTION_COLUMNS = [
    "quarter",
    "base_quarter",
    "area_code",
    "indicator",
    "points",
    "base_points",
    "contribution",
    "index_change",
    "share",
    "rank",
    "reason",
]
COUNTY_CONTRIBUTION_COLUMNS = [
    "quarter",
    "base_quarter",
    "indicator",
    "area_code",
    "value",
    "base_value",
    "contribution",
    "county_change",
    "county_change_pct",
    "contribution_pct",
    "share",
    "rank",
    "reason",
]


def as_period(column: pd.Series) -> pd.Series:
    """Return a quarter column as ``period[Q-DEC]``, parsing ``YYYYQn`` labels."""
    if isinstance(column.dtype, pd.PeriodDtype):
        return column
    return column.map(parse_quarter).astype("period[Q-DEC]")


def _pair(
    data: pd.DataFrame, quarter: pd.Period, lag: int, keys: list[str], value: str
) -> pd.DataFrame:
    """Join the values of ``quarter`` and of ``lag`` quarters earlier on ``keys``."""
    data = data.assign(quarter=as_period(data["quarter"]))
    current = data.loc[data["quarter"] == quarter, [*keys, value]]
    base = data.loc[data["quarter"] == quarter - lag, [*keys, value]]
    paired = current.merge(base, on=keys, how="outer", suffixes=("", "_base"))
    paired["contribution"] = paired[value] - paired[f"{value}_base"]
    paired["reason"] = np.where(
        paired[value].isna(),
        "missing value",
        np.where(paired[f"{value}_base"].isna(), "no base value", ""),
    )
    return paired.assign(quarter=quarter, base_quarter=quarter - lag)


def _rank_within(paired: pd.DataFrame, group: str, total: str) -> pd.DataFrame:
    """Add ``share`` of the group's total change and ``rank`` (1 = most negative)."""
    sums = paired.groupby(group)["contribution"].transform(
        lambda s: s.sum(min_count=len(s))
    )
    shares = paired["contribution"] / sums.where(sums != 0)
    ranks = paired.groupby(group)["contribution"].rank(method="first", ascending=True)
    return paired.assign(
        **{total: sums, "share": shares, "rank": ranks.astype("Int64")}
    )


def index_contributions(
    indicator_scores: pd.DataFrame, quarter: str | pd.Period, lag: Literal[1, 4] = 1
) -> pd.DataFrame:
    """Decompose each area's index change into its indicators' contributions.

    Parameters
    ----------
    indicator_scores : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``points`` (points
        earned, 0 to the indicator's maximum), as returned by
        ``pingan.pipeline.run_quarter``.
    quarter : str or pandas.Period
        Quarter whose change is decomposed.
    lag : {1, 4}, default=1
        Base quarter: 1 for the previous quarter, 4 for the same quarter a
        year earlier.

    Returns
    -------
    pandas.DataFrame
        One row per area and indicator, sorted by area and ``rank``:

        - ``quarter``, ``base_quarter``: period[Q-DEC];
        - ``area_code``, ``indicator``: str;
        - ``points``, ``base_points``: float, points in the two quarters;
        - ``contribution``: float, ``points - base_points`` (index points);
        - ``index_change``: float, the area's index change, the sum of its
          contributions (NaN if any contribution is missing);
        - ``share``: float, ``contribution / index_change`` (NaN when the
          change is 0 or missing);
        - ``rank``: Int64, 1 for the most negative contribution of the area;
        - ``reason``: str, ``''``, ``'missing value'`` or ``'no base value'``.

    Notes
    -----
    The index is the sum of indicator points, so
    ``sum(contribution) == index(quarter) - index(base_quarter)`` is
    exact (up to float rounding); ``tests/test_alerts_drivers.py`` checks it
    against the index table. A scoring scheme that is not additive (for
    example a geometric mean) breaks the identity, and the decomposition then
    explains only the change in the sum of points.

    Examples
    --------
    >>> scores = pd.DataFrame({
    ...     "quarter": ["2025Q1", "2025Q1", "2025Q2", "2025Q2"],
    ...     "area_code": ["A"] * 4, "indicator": ["X", "Y", "X", "Y"],
    ...     "points": [5.0, 3.0, 4.0, 3.5]})
    >>> out = index_contributions(scores, "2025Q2")
    >>> out[["indicator", "contribution", "index_change", "rank"]]
      indicator  contribution  index_change  rank
    0         X          -1.0          -0.5     1
    1         Y           0.5          -0.5     2
    """
    func = "index_contributions"
    check_columns(
        indicator_scores, ["quarter", "area_code", "indicator", "points"], func
    )
    check_option("lag", lag, [1, 4], func)
    paired = _pair(
        indicator_scores,
        parse_quarter(quarter),
        lag,
        ["area_code", "indicator"],
        "points",
    ).rename(columns={"points_base": "base_points"})
    paired = _rank_within(paired, "area_code", "index_change")
    return paired.sort_values(["area_code", "rank"], ignore_index=True)[
        INDEX_CONTRIBUTION_COLUMNS
    ]


def county_contributions(
    values: pd.DataFrame,
    quarter: str | pd.Period,
    lag: Literal[1, 4] = 4,
    indicators: Sequence[str] | None = None,
    value: str = "raw_value",
) -> pd.DataFrame:
    """Decompose the change of county totals into the areas' contributions.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``value``, as the
        ``values`` table of ``pingan.pipeline.run_quarter``.
    quarter : str or pandas.Period
        Quarter whose change is decomposed.
    lag : {1, 4}, default=4
        Base quarter: 4 for the same quarter a year earlier, 1 for the
        previous quarter.
    indicators : sequence of str, optional
        Indicators to decompose (default: all).
    value : str, default="raw_value"
        Column summed into the county total (the submitted counts or amounts).

    Returns
    -------
    pandas.DataFrame
        One row per indicator and area, sorted by indicator and ``rank``:

        - ``quarter``, ``base_quarter``: period[Q-DEC];
        - ``indicator``, ``area_code``: str;
        - ``value``, ``base_value``: float, the area's values;
        - ``contribution``: float, ``value - base_value``, in the indicator's
          units;
        - ``county_change``: float, change of the county total (sum of the
          contributions);
        - ``county_change_pct``: float, ``100 * county_change / base total``;
        - ``contribution_pct``: float, ``100 * contribution / base total``,
          percentage points that sum to ``county_change_pct``;
        - ``share``: float, ``contribution / county_change``;
        - ``rank``: Int64, 1 for the most negative contribution;
        - ``reason``: str, ``''``, ``'missing value'`` or ``'no base value'``.

    Notes
    -----
    ``county_change_pct`` is NaN when the base total is 0. Use it only for
    counts and amounts, whose county total is a sum; a rate's county value is
    not the sum of the areas' rates.

    Examples
    --------
    >>> values = pd.DataFrame({
    ...     "quarter": ["2024Q2", "2024Q2", "2025Q2", "2025Q2"],
    ...     "area_code": ["A", "B", "A", "B"], "indicator": ["SO04"] * 4,
    ...     "raw_value": [10.0, 10.0, 6.0, 12.0]})
    >>> out = county_contributions(values, "2025Q2")
    >>> out[["area_code", "contribution", "contribution_pct", "county_change_pct"]]
      area_code  contribution  contribution_pct  county_change_pct
    0         A          -4.0             -20.0              -10.0
    1         B           2.0              10.0              -10.0
    """
    func = "county_contributions"
    check_columns(values, ["quarter", "area_code", "indicator", value], func)
    check_option("lag", lag, [1, 4], func)
    data = (
        values if indicators is None else values[values["indicator"].isin(indicators)]
    )
    paired = _pair(data, parse_quarter(quarter), lag, ["indicator", "area_code"], value)
    paired = paired.rename(columns={f"{value}_base": "base_value", value: "value"})
    paired = _rank_within(paired, "indicator", "county_change")
    base_total = paired.groupby("indicator")["base_value"].transform("sum")
    base_total = base_total.where(base_total != 0)
    paired["county_change_pct"] = 100 * paired["county_change"] / base_total
    paired["contribution_pct"] = 100 * paired["contribution"] / base_total
    return paired.sort_values(["indicator", "rank"], ignore_index=True)[
        COUNTY_CONTRIBUTION_COLUMNS
    ]


def leading_contributions(contributions: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Pick, per indicator, the areas that moved the county total most its way.

    Parameters
    ----------
    contributions : pandas.DataFrame
        From :func:`county_contributions` (``indicator``, ``area_code``,
        ``contribution``, ``county_change`` and the other columns).
    n : int, default=3
        Areas kept per indicator.

    Returns
    -------
    pandas.DataFrame
        The same columns, at most ``n`` rows per indicator. A county total
        that rose keeps its largest positive contributions, and one that fell
        its most negative. With no change, the largest in absolute value are
        kept. Areas that moved against the county change are never listed
        as its drivers.

    Examples
    --------
    >>> c = pd.DataFrame({"indicator": ["SO04"] * 3, "area_code": ["A", "B", "C"],
    ...                   "contribution": [-4.0, 2.0, -1.0],
    ...                   "county_change": [-3.0] * 3})
    >>> leading_contributions(c, n=2)["area_code"].tolist()
    ['A', 'C']
    """
    check_columns(
        contributions,
        ["indicator", "area_code", "contribution", "county_change"],
        "leading_contributions",
    )
    sign = np.sign(contributions["county_change"])
    pull = contributions["contribution"] * sign.where(sign != 0, 1.0)
    if_zero = contributions["contribution"].abs()
    pull = pull.where(sign != 0, if_zero)
    same_way = (sign == 0) | (contributions["contribution"] * sign > 0)
    ranked = contributions.assign(_pull=pull)[same_way]
    ranked = ranked.sort_values(["indicator", "_pull"], ascending=[True, False])
    return ranked.groupby("indicator").head(n).drop(columns="_pull")


def focus_indicators(
    contributions: pd.DataFrame, top: int = 3, by: str = "area_code"
) -> pd.DataFrame:
    """Name the parts with the most negative contributions, worst first.

    Parameters
    ----------
    contributions : pandas.DataFrame
        Output of :func:`index_contributions` (``by="area_code"``, parts are
        indicators) or of :func:`county_contributions` (``by="indicator"``,
        parts are areas).
    top : int, default=3
        Maximum number of parts named per group.
    by : str, default="area_code"
        Grouping column.

    Returns
    -------
    pandas.DataFrame
        One row per group:

        - ``<by>``: str, the group;
        - ``focus``: str, the parts with negative contributions joined by
          ``'|'`` (empty if none fell);
        - ``focus_detail``: str, each part with its contribution, e.g.
          ``'SO04 (-1.20)'``.

    Notes
    -----
    Only negative contributions are named: a part that did not fall is not a
    reason for the group's fall. Parts tie-break by their order in the input.

    Examples
    --------
    >>> contrib = pd.DataFrame({"area_code": ["A", "A", "A"],
    ...     "indicator": ["X", "Y", "Z"], "contribution": [-1.0, 0.5, -2.25]})
    >>> focus_indicators(contrib, top=2).iloc[0].tolist()
    ['A', 'Z|X', 'Z (-2.25), X (-1.00)']
    """
    part = "indicator" if by == "area_code" else "area_code"
    check_columns(contributions, [by, part, "contribution"], "focus_indicators")
    check_interval("top", top, "focus_indicators", low=1)
    falling = contributions[contributions["contribution"] < 0]
    falling = (
        falling.sort_values([by, "contribution"], kind="stable").groupby(by).head(top)
    )
    names = falling[part].astype(str)
    detail = names + " (" + falling["contribution"].map("{:.2f}".format) + ")"
    grouped = falling.assign(name=names, detail=detail).groupby(by, sort=False)
    groups = contributions[by].drop_duplicates().reset_index(drop=True)
    focus = grouped["name"].agg("|".join).to_dict()
    details = grouped["detail"].agg(", ".join).to_dict()
    return pd.DataFrame(
        {
            by: groups,
            "focus": [focus.get(g, "") for g in groups],
            "focus_detail": [details.get(g, "") for g in groups],
        }
    )
