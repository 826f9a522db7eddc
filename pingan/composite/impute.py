"""Imputation of missing indicator values, with a log of every imputed value.

All methods go through :func:`impute`. It takes a wide frame whose index
is the areas, or (quarter, area) for the panel method, and whose columns
are the indicators. It returns the completed frame and a log table.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_option
from pingan.composite._common import check_wide, per_indicator
from pingan.exceptions import DataQualityWarning, PinganError

__all__ = ["IMPUTE_METHODS", "ImputeResult", "impute"]

ImputeMethod = Literal[
    "mean", "median", "group_mean", "group_median", "row_mean", "carry_forward"
]
IMPUTE_METHODS: tuple[str, ...] = ImputeMethod.__args__
LOG_COLUMNS = ["row", "indicator", "imputed_value", "method", "source"]


@dataclass(frozen=True)
class ImputeResult:
    """Result of :func:`impute`.

    Attributes
    ----------
    data : pandas.DataFrame
        Completed wide frame, same index and columns as the input.
    log : pandas.DataFrame
        One row per imputed value: ``row`` (the index label: area, or a
        (quarter, area) tuple), ``indicator`` (str), ``imputed_value``
        (float), ``method`` (str) and ``source`` (str: what the value was
        computed from, e.g. ``'column mean'``, ``'group north'``,
        ``'row mean of domain PS'``, ``'quarter 2025Q2'``).
    """

    data: pd.DataFrame
    log: pd.DataFrame


def impute(
    data: pd.DataFrame,
    method: ImputeMethod = "mean",
    groups: pd.Series | dict | None = None,
    max_quarters: int | None = None,
) -> ImputeResult:
    """Fill missing indicator values and record each one.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame of indicator values. For ``carry_forward`` the index must
        be a two-level MultiIndex (quarter, area) with sortable quarters.
    method : str, default "mean"
        - ``"mean"``, ``"median"``: of the column.
        - ``"group_mean"``, ``"group_median"``: of the areas in the same
          group.
        - ``"row_mean"``: the area's own mean over the other indicators of
          the same domain.
        - ``"carry_forward"``: the area's latest earlier quarter with a
          value.
    groups : pandas.Series or dict, optional
        For ``group_*``: area -> group label. For ``row_mean``: indicator ->
        domain code. Required by those methods.
    max_quarters : int, optional
        For ``carry_forward``: the oldest value that may be carried, in
        quarters back (None: any).

    Returns
    -------
    ImputeResult
        ``data`` (completed frame) and ``log`` (one row per imputed value;
        see :class:`ImputeResult`).

    Raises
    ------
    PinganError
        If ``method`` is unknown, ``groups`` is missing or incomplete, or the
        index does not suit ``carry_forward``.

    Warns
    -----
    DataQualityWarning
        When values remain missing (e.g. a whole column or group is empty).

    Notes
    -----
    ``row_mean`` works on min-max scaled values (COINr's default
    ``normalise_first``): each indicator of the domain is scaled to [0, 1]
    over the areas, the area's mean of its observed scaled values is taken,
    and the result is mapped back to the indicator's units,
    min + mean * (max - min). Observed values are never changed. Checked by
    hand calculation in ``tests/test_composite_impute.py``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, np.nan, 3.0]}, index=["x", "y", "z"])
    >>> result = impute(data, "mean")
    >>> result.data["a"].tolist()
    [1.0, 2.0, 3.0]
    >>> result.log
      row indicator  imputed_value method       source
    0   y         a            2.0   mean  column mean
    """
    func = "impute"
    check_option("method", method, IMPUTE_METHODS, func)
    values = check_wide(data, func)
    if method in ("mean", "median"):
        filled, source = _fill_column(values, method)
    elif method in ("group_mean", "group_median"):
        filled, source = _fill_group(values, method.removeprefix("group_"), groups)
    elif method == "row_mean":
        filled, source = _fill_row(values, groups)
    else:
        filled, source = _fill_forward(values, max_quarters)
    return _result(values, filled, source, method)


def _result(values, filled, source, method) -> ImputeResult:
    imputed = values.isna() & filled.notna()
    stacked = imputed.stack()
    cells = stacked[stacked].index
    log = pd.DataFrame(
        {
            "row": [cell[:-1] if len(cell) > 2 else cell[0] for cell in cells],
            "indicator": [cell[-1] for cell in cells],
            "imputed_value": [filled.loc[cell[:-1], cell[-1]] for cell in cells],
            "method": method,
            "source": [source.loc[cell[:-1], cell[-1]] for cell in cells],
        },
        columns=LOG_COLUMNS,
    )
    if filled.isna().any().any():
        left = int(filled.isna().sum().sum())
        warnings.warn(
            f"impute: {left} value(s) stay missing after method {method!r} "
            "(no value to impute from).",
            DataQualityWarning,
            stacklevel=3,
        )
    return ImputeResult(filled, log.astype({"imputed_value": "float64"}))


def _fill_column(values: pd.DataFrame, stat: str):
    fill = values.agg(stat)
    source = pd.DataFrame(f"column {stat}", index=values.index, columns=values.columns)
    return values.fillna(fill), source


def _fill_group(values: pd.DataFrame, stat: str, groups):
    if groups is None:
        raise PinganError("impute: group methods need groups (area -> group label).")
    labels = per_indicator(groups, values.index, "groups", "impute", kind="area")
    fill = values.groupby(labels.to_numpy()).transform(stat)
    source = pd.DataFrame(
        {col: "group " + labels.astype(str) for col in values.columns},
        index=values.index,
    )
    return values.fillna(fill), source


def _fill_row(values: pd.DataFrame, groups):
    if groups is None:
        raise PinganError("impute: row_mean needs groups (indicator -> domain code).")
    domains = per_indicator(groups, values.columns, "groups", "impute")
    lo, hi = values.min(), values.max()
    span = (hi - lo).replace(0.0, np.nan)
    scaled = (values - lo) / span
    filled = values.copy()
    source = pd.DataFrame("", index=values.index, columns=values.columns)
    for domain in pd.unique(domains):
        cols = domains.index[domains == domain]
        row_mean = scaled[cols].mean(axis=1)
        spread = span[cols].fillna(0.0).to_numpy()
        back = pd.DataFrame(
            np.outer(row_mean, spread) + lo[cols].to_numpy(),
            index=values.index,
            columns=cols,
        )
        filled[cols] = values[cols].fillna(back)
        source[cols] = f"row mean of domain {domain}"
    return filled, source


def _fill_forward(values: pd.DataFrame, max_quarters: int | None):
    if values.index.nlevels != 2:
        raise PinganError(
            "impute: carry_forward needs a (quarter, area) MultiIndex; "
            f"got {values.index.nlevels} level(s)."
        )
    ordered = values.sort_index(level=0)
    quarter = pd.Series(ordered.index.get_level_values(0), index=ordered.index)
    origin = pd.DataFrame(
        {c: quarter.where(ordered[c].notna()) for c in values.columns},
        index=ordered.index,
    )
    area_level = ordered.index.get_level_values(1)
    filled = ordered.groupby(area_level).ffill()
    origin = origin.groupby(area_level).ffill()
    if max_quarters is not None:
        position = {q: i for i, q in enumerate(sorted(pd.unique(quarter)))}
        age = origin.apply(lambda c: c.map(position)).rsub(
            quarter.map(position), axis=0
        )
        filled = filled.where(ordered.notna() | (age <= max_quarters))
    source = origin.apply(lambda c: "quarter " + c.astype(str))
    return filled.reindex(values.index), source.reindex(values.index)
