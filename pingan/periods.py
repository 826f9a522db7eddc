"""Calendar quarters: parsing ``YYYYQn`` labels and shifting by whole quarters."""

from __future__ import annotations

import re

import pandas as pd

from pingan.exceptions import PinganError

__all__ = ["parse_quarter", "quarter_label", "quarter_end"]

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[Qq]([1-4])\s*$")


def parse_quarter(value: object, what: str = "quarter") -> pd.Period:
    """Parse a quarter label such as ``"2025Q3"`` into a quarterly Period.

    Parameters
    ----------
    value : str or pandas.Period
        A label ``YYYYQn`` (``2025Q3``, ``2025-Q3`` and ``2025q3`` are accepted)
        or a quarterly Period.
    what : str, default="quarter"
        Name of the value, used in the error message.

    Returns
    -------
    pandas.Period
        Period with frequency ``Q-DEC`` (calendar quarters).

    Raises
    ------
    PinganError
        If the value is not a calendar quarter.

    Examples
    --------
    >>> parse_quarter("2025Q3")
    Period('2025Q3', 'Q-DEC')
    >>> parse_quarter("2025-q1").quarter
    1
    """
    if isinstance(value, pd.Period):
        if value.freqstr not in ("Q-DEC", "Q"):
            raise PinganError(
                f"{what} must be a calendar quarter; got a Period of frequency "
                f"{value.freqstr!r}."
            )
        return value
    if re.match(r"^\s*\d{4}\s*[-_ ]?\s*[Qq]\d+\s*$", str(value)) and not _QUARTER.match(
        str(value)
    ):
        raise PinganError(
            f"{what} number must be 1 to 4 (YYYYQn with n in 1-4); got {value!r}."
        )
    match = _QUARTER.match(str(value))
    if match is None:
        raise PinganError(
            f"{what} must be written YYYYQn, for example 2025Q3; got {value!r}."
        )
    return pd.Period(year=int(match[1]), quarter=int(match[2]), freq="Q-DEC")


def quarter_label(period: pd.Period) -> str:
    """Return the ``YYYYQn`` label of a quarterly Period.

    Examples
    --------
    >>> quarter_label(pd.Period("2024Q4", freq="Q"))
    '2024Q4'
    """
    return f"{period.year}Q{period.quarter}"


def quarter_end(period: pd.Period) -> pd.Timestamp:
    """Return the last calendar day of a quarter, at midnight.

    Examples
    --------
    >>> quarter_end(parse_quarter("2025Q1"))
    Timestamp('2025-03-31 00:00:00')
    """
    return period.end_time.normalize()
