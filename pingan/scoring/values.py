"""From tidy submissions to indicator values per area and quarter.

Departments' parts of one indicator are summed, counts become rates with the
population of the quarter's calendar year, and every area x indicator x
quarter cell that is missing is either carried forward from an earlier
quarter (recorded) or left missing with the reason.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pingan._validation import check_columns
from pingan.areas import population_for_quarters
from pingan.exceptions import DataQualityWarning

__all__ = ["indicator_values", "carry_forward", "VALUE_COLUMNS"]

VALUE_COLUMNS = [
    "quarter",
    "area_code",
    "indicator",
    "raw_value",
    "population",
    "value",
    "status",
    "note",
]


def _grid(
    quarters: Sequence[pd.Period], area_codes: Sequence[str], indicators: Sequence[str]
) -> pd.DataFrame:
    index = pd.MultiIndex.from_product(
        [pd.PeriodIndex(quarters, freq="Q-DEC"), list(area_codes), list(indicators)],
        names=["quarter", "area_code", "indicator"],
    )
    return index.to_frame(index=False)


def _sum_parts(submissions: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Sum departments' parts; mark indicators whose parts are incomplete."""
    parts = (
        submissions.groupby(["quarter", "area_code", "indicator"], observed=True)
        .agg(raw_value=("value", "sum"), departments=("department", frozenset))
        .reset_index()
    )
    owners = catalogue.set_index("indicator")["department"].map(
        lambda d: frozenset(d.split("|"))
    )
    expected = parts["indicator"].map(owners)
    missing = [
        sorted(e - d) for e, d in zip(expected, parts["departments"], strict=True)
    ]
    parts["note"] = [f"no part from {', '.join(m)}" if m else None for m in missing]
    parts["status"] = np.where(parts["note"].isna(), "reported", "incomplete")
    parts.loc[parts["status"] == "incomplete", "raw_value"] = np.nan
    return parts.drop(columns="departments")


def indicator_values(
    submissions: pd.DataFrame,
    catalogue: pd.DataFrame,
    area_codes: Sequence[str],
    quarters: Sequence[pd.Period],
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute each area's indicator values for the given quarters.

    Parameters
    ----------
    submissions : pandas.DataFrame
        Tidy submissions (``quarter, area_code, indicator, value,
        department``), e.g. ``ReadResult.data``.
    catalogue : pandas.DataFrame
        The validated catalogue (``indicator, department, denominator,
        scale``).
    area_codes : sequence of str
        Areas to report; every area gets a row for every indicator.
    quarters : sequence of pandas.Period
        Quarters to report.
    population : pandas.DataFrame, optional
        ``area_code, year, population``; required if an indicator's
        denominator is ``population``.

    Returns
    -------
    pandas.DataFrame
        One row per quarter x area x indicator (catalogue order), columns:

        - ``quarter``: Period; ``area_code``: str; ``indicator``: str;
        - ``raw_value``: float, the departments' submitted values summed, in
          the catalogue's unit (NaN if missing or incomplete);
        - ``population``: float, persons (NaN without a denominator);
        - ``value``: float, ``raw_value * scale / population`` for rates,
          else ``raw_value``;
        - ``status``: ``'reported'``, ``'incomplete'`` (a department's part
          is missing) or ``'missing'``;
        - ``note``: str, why a value is incomplete (NaN otherwise).

    Examples
    --------
    >>> cat = pd.DataFrame({"indicator": ["A"], "department": ["p|q"],
    ...     "denominator": ["population"], "scale": [10000.0]})
    >>> sub = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 2, freq="Q"),
    ...     "area_code": "X", "indicator": "A", "value": [3.0, 2.0],
    ...     "department": ["p", "q"]})
    >>> pop = pd.DataFrame({"area_code": ["X"], "year": [2025],
    ...     "population": [20000.0]})
    >>> qs = pd.PeriodIndex(["2025Q1"], freq="Q")
    >>> indicator_values(sub, cat, ["X"], qs, pop)[["raw_value", "value", "status"]]
       raw_value  value    status
    0        5.0    2.5  reported
    """
    check_columns(
        submissions,
        ["quarter", "area_code", "indicator", "value", "department"],
        "indicator_values",
        "submissions",
    )
    grid = _grid(quarters, area_codes, catalogue["indicator"])
    known = submissions.loc[
        submissions["area_code"].isin(area_codes)
        & submissions["indicator"].isin(catalogue["indicator"])
    ]
    out = grid.merge(
        _sum_parts(known, catalogue),
        how="left",
        on=["quarter", "area_code", "indicator"],
    )
    out["status"] = out["status"].fillna("missing")
    out["population"] = np.nan
    meta = catalogue.set_index("indicator")
    rate = out["indicator"].map(meta["denominator"]).eq("population").to_numpy()
    if rate.any():
        pop = _population(population, area_codes, quarters)
        joined = out[["quarter", "area_code"]].merge(
            pop, how="left", on=["quarter", "area_code"]
        )
        out.loc[rate, "population"] = joined["population"].to_numpy()[rate]
    scale = out["indicator"].map(meta["scale"]).to_numpy()
    out["value"] = np.where(
        rate, out["raw_value"] * scale / out["population"], out["raw_value"]
    )
    return out[VALUE_COLUMNS]


def _population(
    population: pd.DataFrame | None,
    area_codes: Sequence[str],
    quarters: Sequence[pd.Period],
) -> pd.DataFrame:
    from pingan.exceptions import PinganError

    if population is None or population.empty:
        raise PinganError(
            "indicator_values: an indicator is divided by population "
            "but no population table was given."
        )
    missing = sorted(set(area_codes) - set(population["area_code"]))
    if missing:
        raise PinganError(
            "indicator_values: no population for area(s) "
            f"{', '.join(missing)}; add them to population.csv."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        pop = population_for_quarters(population, list(quarters))
    return pop[["quarter", "area_code", "population"]]


def carry_forward(values: pd.DataFrame, max_quarters: int = 4) -> pd.DataFrame:
    """Fill a missing value with the series' last value at most ``max_quarters`` back.

    Parameters
    ----------
    values : pandas.DataFrame
        From :func:`indicator_values`.
    max_quarters : int, default=4
        How many calendar quarters back a value may come from; 0 fills
        nothing.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns in the same order; filled rows get
        ``status = 'carried_forward'`` and a ``note`` naming the quarter the
        value came from. ``raw_value`` and ``value`` are both filled.

    Warns
    -----
    DataQualityWarning
        With the number of values filled, when any.

    Notes
    -----
    The source quarter is found by calendar distance, not by row position,
    so a gap longer than ``max_quarters`` stays missing. Filled values keep
    an area's score from collapsing because one department did not report,
    but they are stale: reports list each of them.

    Examples
    --------
    >>> v = pd.DataFrame({"quarter": pd.PeriodIndex(["2024Q3", "2024Q4", "2025Q1"],
    ...     freq="Q"), "area_code": "X", "indicator": "A",
    ...     "raw_value": [4.0, np.nan, np.nan], "population": np.nan,
    ...     "value": [4.0, np.nan, np.nan], "status": ["reported", "missing",
    ...     "missing"], "note": None})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = carry_forward(v, max_quarters=1)
    >>> out[["value", "status"]]
       value           status
    0    4.0         reported
    1    4.0  carried_forward
    2    NaN          missing
    """
    out = values.copy()
    order = out.sort_values(["area_code", "indicator", "quarter"]).index
    ordered = out.loc[order]
    has = ordered["value"].notna()
    ordinal = ordered["quarter"].map(lambda q: q.ordinal).astype(float)
    keys = [ordered["area_code"], ordered["indicator"]]
    last_q = ordinal.where(has).groupby(keys).ffill()
    last_raw = ordered["raw_value"].where(has).groupby(keys).ffill()
    last_val = ordered["value"].where(has).groupby(keys).ffill()
    fill = ~has & last_q.notna() & (ordinal - last_q <= max_quarters)
    idx = fill[fill].index
    out.loc[idx, "raw_value"] = last_raw[idx]
    out.loc[idx, "value"] = last_val[idx]
    out.loc[idx, "status"] = "carried_forward"
    source = last_q[idx].astype(int).map(lambda o: pd.Period(ordinal=o, freq="Q-DEC"))
    out.loc[idx, "note"] = [f"carried forward from {p}" for p in source]
    if len(idx):
        warnings.warn(
            f"{len(idx)} missing value(s) carried forward from an earlier quarter.",
            DataQualityWarning,
            stacklevel=2,
        )
    return out
