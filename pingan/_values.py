"""Parse the text of submitted value cells into numbers, with a reason for each failure.

A value cell is accepted only when it contains a finite number. Thousands
separators, spaces and full-width digits are allowed. An empty cell, a
missing-value marker (``N/A``, ``—``, ``无`` ...), an infinite number
(``inf``, ``-Infinity``) and any other text are rejected, each with its own
reason that quotes the cell as written.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

__all__ = ["MISSING_MARKERS", "clean_number_text", "parse_value_cells"]

#: Texts that departments write for "no value", compared after NFKC folding,
#: stripping and lower-casing. They are rejected as ``not_a_number``.
MISSING_MARKERS = frozenset(
    {
        "n/a",
        "na",
        "#n/a",
        "nan",
        "null",
        "none",
        "-",
        "--",
        "–",
        "—",
        "——",
        "/",
        "无",
        "空",
    }
)


def clean_number_text(text: pd.Series) -> pd.Series:
    """Fold full-width digits (NFKC) and drop thousands separators and spaces.

    Examples
    --------
    >>> clean_number_text(pd.Series(["1,234.5", "１２", " 7 "])).tolist()
    ['1234.5', '12', '7']
    """
    folded = text.astype(str).map(lambda s: unicodedata.normalize("NFKC", s))
    return folded.str.replace(r"[,\s]", "", regex=True)


def parse_value_cells(text: pd.Series) -> pd.DataFrame:
    """Parse value cells, giving the reason for each cell that is not a finite number.

    Parameters
    ----------
    text : pandas.Series
        The cells as written (str).

    Returns
    -------
    pandas.DataFrame
        Same index as ``text``, columns ``value`` (float: the number, NaN
        unless it is finite), ``problem`` (``""`` for a finite number, else
        ``empty``, ``marker``, ``infinite`` or ``text``) and ``reason``
        (str: what to do, ``""`` for a finite number).

    Examples
    --------
    >>> cells = pd.Series(["12", "", "N/A", "-inf", "3起"])
    >>> parsed = parse_value_cells(cells)
    >>> parsed["problem"].tolist()
    ['', 'empty', 'marker', 'infinite', 'text']
    >>> parsed["reason"].iloc[2].split(";")[0]
    "'N/A' marks a missing value and is not a number"
    """
    raw = text.astype(str)
    cleaned = clean_number_text(raw)
    numbers = pd.to_numeric(cleaned, errors="coerce").astype(float)
    finite = np.isfinite(numbers.to_numpy())
    empty = cleaned.eq("").to_numpy()
    marker = cleaned.str.lower().isin(MISSING_MARKERS).to_numpy() & ~empty
    infinite = np.isinf(numbers.to_numpy())
    problem = np.select(
        [finite, empty, marker, infinite], ["", "empty", "marker", "infinite"], "text"
    )
    reasons = {
        "": lambda t: "",
        "empty": lambda t: "The cell is empty; enter 0 if nothing happened.",
        "marker": lambda t: (
            f"{t.strip()!r} marks a missing value and is not a "
            "number; enter the number, or 0 if nothing happened."
        ),
        "infinite": lambda t: (
            f"{t.strip()!r} is infinite, not a number; enter a finite number."
        ),
        "text": lambda t: "Enter a plain number, without units or text.",
    }
    return pd.DataFrame(
        {
            "value": numbers.where(finite),
            "problem": problem,
            "reason": [reasons[p](t) for p, t in zip(problem, raw, strict=True)],
        },
        index=text.index,
    )
