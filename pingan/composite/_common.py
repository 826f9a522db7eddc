"""Checks and conversions shared by the composite-indicator families."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pingan.exceptions import PinganError


def check_wide(data: pd.DataFrame, func: str, name: str = "data") -> pd.DataFrame:
    """Check a wide area x indicator frame and return it as float64.

    The index contains the areas (unique), the columns the indicators (unique),
    and every column must be numeric.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{func}: {name} must be a pandas DataFrame; got {type(data)}.")
    if data.shape[1] == 0 or data.shape[0] == 0:
        raise PinganError(f"{func}: {name} must have at least one row and column.")
    if not data.index.is_unique:
        dups = data.index[data.index.duplicated()].unique().tolist()
        raise PinganError(f"{func}: {name} has duplicated areas in its index: {dups}.")
    if not data.columns.is_unique:
        dups = data.columns[data.columns.duplicated()].unique().tolist()
        raise PinganError(f"{func}: {name} has duplicated indicator columns: {dups}.")
    bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise PinganError(
            f"{func}: {name} column(s) {bad} must be numeric; "
            "convert them with pandas.to_numeric first."
        )
    return data.astype("float64")


def per_indicator(
    value: object,
    columns: pd.Index,
    name: str,
    func: str,
    default: object = None,
    kind: str = "indicator",
) -> pd.Series:
    """Expand a scalar, mapping or Series into one value per label of ``columns``.

    Raises a PinganError naming the labels (indicators, or areas when
    ``kind`` is ``'area'``) that a mapping leaves out.
    """
    if value is None:
        value = default
    if value is None:
        raise PinganError(f"{func}: {name} is required for every indicator.")
    if isinstance(value, Mapping | pd.Series):
        series = pd.Series(value, dtype="object")
        missing = [c for c in columns if c not in series.index]
        if missing:
            raise PinganError(f"{func}: {name} has no value for {kind}(s) {missing}.")
        return series.reindex(columns)
    return pd.Series([value] * len(columns), index=columns, dtype="object")


def direction_vector(direction: object, columns: pd.Index, func: str) -> pd.Series:
    """Return the direction (+1 or -1) of every indicator column."""
    series = per_indicator(direction, columns, "direction", func, default=1)
    series = series.astype("float64")
    bad = series[~series.isin([1.0, -1.0])]
    if len(bad):
        raise PinganError(
            f"{func}: direction must be 1 or -1 for every indicator; "
            f"got {bad.to_dict()}."
        )
    return series


def weight_vector(
    weights: object, columns: pd.Index, func: str, name: str = "weights"
) -> np.ndarray:
    """Return non-negative weights aligned with ``columns``, summing to 1."""
    if weights is None:
        return np.full(len(columns), 1.0 / len(columns))
    series = per_indicator(weights, columns, name, func).astype("float64")
    if series.isna().any() or (series < 0).any() or series.sum() <= 0:
        raise PinganError(
            f"{func}: {name} must be non-negative numbers with a positive sum; "
            f"got {series.to_dict()}."
        )
    return (series / series.sum()).to_numpy()
