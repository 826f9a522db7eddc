"""Cell text of report tables: numbers by column kind, missing values, paths.

:func:`format_column` turns one column into the strings a report shows. The
number of decimals depends on what the column holds, read from its name in
pingan's tables (see :func:`decimals_for`).
"""

from __future__ import annotations

from pathlib import Path, PurePath

import numpy as np
import pandas as pd

#: Text of a missing value. A dash cannot be read as a number, so a missing
#: value never looks like a zero.
MISSING = "—"

#: Columns whose values are 0-1 fractions, correlations or indices: 3 decimals.
_FRACTIONS = {
    "alarm_rate",
    "alarm_rate_se",
    "alpha",
    "correlation",
    "coverage",
    "expected_share",
    "mad",
    "rank_correlation",
    "s1",
    "s1_high",
    "s1_low",
    "share",
    "st",
    "st_high",
    "st_low",
    "top_share",
    "variance_share",
}

#: Scores, points, index values, mean ranks and delays: 1 decimal.
_SCORES = {
    "annual_index",
    "base_points",
    "deduction",
    "index",
    "index_change",
    "interval",
    "mean_delay",
    "median_delay",
    "points",
    "points_capped",
    "points_per_item",
    "previous_points",
    "qoq_change",
    "score",
    "score_a",
    "score_b",
    "score_diff",
    "vs_county_mean",
    "yoy_change",
}

#: Columns holding file paths, shown relative to a folder or by file name.
FILE_COLUMNS = ("html", "docx")


def is_p_value(column: object) -> bool:
    """Return whether a column name means a p-value (``p_value``, ``trend_p``).

    Examples
    --------
    >>> is_p_value("p_value"), is_p_value("change_p"), is_p_value("points")
    (True, True, False)
    """
    return isinstance(column, str) and (column == "p_value" or column.endswith("_p"))


def decimals_for(column: object) -> int | None:
    """Return the decimals shown for a non-whole float column named ``column``.

    Percentages (``*_pct``) get 2, scores, points and index values 1, mean
    ranks (``*_rank``) 1, and fractions, shares and correlations 3. Any other
    column returns None: it may mix units, such as totals of counts and of
    amounts, so :func:`format_column` shows its whole values without
    decimals and the others with 2.

    Examples
    --------
    >>> decimals_for("yoy_change_pct"), decimals_for("score"), decimals_for("s1")
    (2, 1, 3)
    >>> decimals_for("total") is None
    True
    """
    if not isinstance(column, str):
        return None
    if column.endswith("_pct"):
        return 2
    if column in _SCORES or column.endswith("_rank"):
        return 1
    if column in _FRACTIONS or column.endswith("_share"):
        return 3
    return None


def format_number(value: float, decimals: int) -> str:
    """Format ``value`` with ``decimals`` decimals, never as ``-0``.

    Examples
    --------
    >>> format_number(-0.04, 1), format_number(11818.0, 0)
    ('0.0', '11818')
    """
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        return text[1:]
    return text


def format_p_value(value: float) -> str:
    """Format a p-value with 3 decimals, or as ``<0.001`` below 0.001.

    Examples
    --------
    >>> format_p_value(0.00002), format_p_value(0.04321)
    ('<0.001', '0.043')
    """
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def relative_path(value: object, folder: Path | None) -> str:
    """Return a path relative to ``folder`` when inside it, else its file name.

    Examples
    --------
    >>> relative_path("/tmp/r/letters/a.html", Path("/tmp/r"))
    'letters/a.html'
    >>> relative_path("/tmp/r/letters/a.html", None)
    'a.html'
    """
    path = PurePath(str(value))
    if folder is not None and path.is_relative_to(folder):
        return path.relative_to(folder).as_posix()
    return path.name


def format_column(
    values: pd.Series, column: object, decimals: int | None = None
) -> pd.Series:
    """Return a column's cells as text, with :data:`MISSING` for missing values.

    A float column whose values are all whole numbers is shown without
    decimals, whatever its kind. Other float columns get ``decimals``, or
    :func:`decimals_for` of the column name. P-values (:func:`is_p_value`)
    get 3 decimals, or ``<0.001``. Integers, text and other values are shown
    as they are, except that whole floats lose their ``.0`` in a text column
    and in a column of no known kind.

    Examples
    --------
    >>> format_column(pd.Series([11818.0, None]), "count").tolist()
    ['11818', '—']
    >>> format_column(pd.Series([0.0, 92.55]), "score").tolist()
    ['0.0', '92.5']
    >>> format_column(pd.Series([0.0004, 0.2]), "p_value").tolist()
    ['<0.001', '0.200']
    >>> format_column(pd.Series([2964.95, 595.0]), "total").tolist()
    ['2964.95', '595']
    """
    missing = values.isna().to_numpy()
    present = values[~missing]
    if pd.api.types.is_float_dtype(values):
        text = _format_floats(present.astype(float), column, decimals)
    else:
        text = present.astype(object).map(_format_scalar)
    cells = pd.Series(MISSING, index=values.index, dtype=object)
    cells[~missing] = text.to_numpy(dtype=object)
    return cells


def _format_floats(
    values: pd.Series, column: object, decimals: int | None
) -> pd.Series:
    finite = values[np.isfinite(values)]
    if (finite == finite.round()).all():
        return values.map(lambda v: format_number(v, 0))
    if decimals is None and is_p_value(column):
        return values.map(format_p_value)
    places = decimals_for(column) if decimals is None else decimals
    if places is None:
        return values.map(_format_scalar)
    return values.map(lambda v: format_number(v, places))


def _format_scalar(value: object) -> str:
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else 2)
    return str(value)
