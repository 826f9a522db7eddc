"""Calendar quarters: parsing ``YYYYQn`` labels and shifting by whole quarters."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from pingan.exceptions import PinganError

__all__ = [
    "DATE_TIME_FORMATS",
    "parse_date_time",
    "parse_quarter",
    "quarter_label",
    "quarter_end",
]

#: The date-time formats :func:`parse_date_time` accepts, as shown in messages.
DATE_TIME_FORMATS = (
    "2025-10-07T09:41, 2025-10-07 09:41:00, 2025-10-07, 2025/10/7 9:41, "
    "2025.10.7 or 2025年10月7日 9:41"
)
# Year first, then month and day, so that no date is ambiguous (7/10/2025 is
# 7 October in China and 10 July in the United States and is not accepted).
_DATE_TIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:(?:T|\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
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


def parse_date_time(text: object) -> pd.Timestamp | None:
    """Parse a date or date-time written year first; return None if it is not one.

    Parameters
    ----------
    text : object
        The text as written, e.g. ``"2025-10-07T09:41"``, ``"2025/10/7"`` or
        ``"2025年10月7日"``. Full-width digits and colons are accepted, and
        the time (hours and minutes, optionally seconds) may be left out.
        :data:`DATE_TIME_FORMATS` lists examples of the accepted forms.

    Returns
    -------
    pandas.Timestamp or None
        The time (midnight when no time is written), or None when the text
        is empty, not in an accepted form or not a calendar date.

    Examples
    --------
    >>> parse_date_time("2025年10月7日")
    Timestamp('2025-10-07 00:00:00')
    >>> parse_date_time("2025/10/7 9:41")
    Timestamp('2025-10-07 09:41:00')
    >>> parse_date_time("7/10/2025") is None, parse_date_time("2025-02-30") is None
    (True, True)
    """
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    match = _DATE_TIME.match(folded)
    if match is None:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return pd.Timestamp(*parts)
    except ValueError:
        return None
