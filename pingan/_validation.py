"""Argument checks shared by the public functions, with one message template."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from pingan.exceptions import PinganError


def check_option(
    name: str, value: object, options: Iterable[object], func: str
) -> None:
    """Raise unless ``value`` is one of ``options``; the message lists them all."""
    options = list(options)
    if value not in options:
        allowed = ", ".join(repr(o) for o in options)
        raise PinganError(f"{func}: {name} must be one of {allowed}; got {value!r}.")


def check_columns(
    data: pd.DataFrame, required: Sequence[str], func: str, what: str = "data"
) -> None:
    """Raise if ``data`` lacks any of ``required``, naming every missing column."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{func}: {what} must be a pandas DataFrame; got {type(data)}.")
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise PinganError(
            f"{func}: {what} is missing the column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, data.columns))}."
        )


def check_interval(
    name: str,
    value: float,
    func: str,
    low: float = -np.inf,
    high: float = np.inf,
    closed: str = "both",
) -> None:
    """Raise unless ``low <= value <= high`` (ends included as ``closed`` says)."""
    ok_low = value >= low if closed in ("both", "left") else value > low
    ok_high = value <= high if closed in ("both", "right") else value < high
    if not (ok_low and ok_high) or (isinstance(value, float) and np.isnan(value)):
        left = "[" if closed in ("both", "left") else "("
        right = "]" if closed in ("both", "right") else ")"
        raise PinganError(
            f"{func}: {name} must be in {left}{low}, {high}{right}; got {value!r}."
        )


def check_numeric(data: pd.DataFrame, columns: Sequence[str], func: str) -> None:
    """Raise if any of ``columns`` is not numeric, naming the columns."""
    bad = [c for c in columns if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise PinganError(
            f"{func}: column(s) {', '.join(bad)} must be numeric; "
            f"convert them with pandas.to_numeric first."
        )
