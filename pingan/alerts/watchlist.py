"""Split a quarter's warnings into letters and a county-wide watch list.

A recipient gets a letter when at least one of its warnings reaches
``letters.min_level`` of the rules file. The others, whose warnings are all
milder, get no letter and appear on the watch list instead.
"""

from __future__ import annotations

import pandas as pd

from pingan._validation import check_columns, check_option

__all__ = ["WATCH_LIST_COLUMNS", "split_letters"]

WATCH_LIST_COLUMNS = [
    "quarter",
    "recipient_type",
    "recipient_id",
    "rule",
    "subject",
    "level",
    "warning_id",
    "evidence",
]


def split_letters(
    warnings_table: pd.DataFrame, min_level: str = "warning"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split warnings into those sent by letter and the county watch list.

    Parameters
    ----------
    warnings_table : pandas.DataFrame
        Triggered warnings with at least ``recipient_type``, ``recipient_id``
        and ``level``, such as :func:`pingan.alerts.rules.select_warnings`
        returns.
    min_level : str, default="warning"
        The mildest level that gives a letter: watch, warning, interview or
        notice.

    Returns
    -------
    letters : pandas.DataFrame
        Every warning of the recipients with at least one warning at
        ``min_level`` or above, including their milder ones, in the order of
        ``warnings_table``.
    watch_list : pandas.DataFrame
        The warnings of the other recipients, with the columns of
        :data:`WATCH_LIST_COLUMNS` that ``warnings_table`` has.

    Raises
    ------
    PinganError
        If ``min_level`` is not a level or a column is missing.

    Examples
    --------
    >>> found = pd.DataFrame({"recipient_type": ["area"] * 3,
    ...     "recipient_id": ["A", "A", "B"], "level": ["watch", "warning", "watch"]})
    >>> letters, watch = split_letters(found)
    >>> letters["recipient_id"].tolist(), watch["recipient_id"].tolist()
    (['A', 'A'], ['B'])
    """
    from pingan.alerts.rules import LEVELS

    func = "split_letters"
    check_option("letters.min_level", min_level, LEVELS, func)
    check_columns(warnings_table, ["recipient_type", "recipient_id", "level"], func)
    rank = warnings_table["level"].map({level: i for i, level in enumerate(LEVELS)})
    keys = [warnings_table["recipient_type"], warnings_table["recipient_id"]]
    highest = rank.groupby(keys).transform("max")
    to_letter = highest >= LEVELS.index(min_level)
    letters = warnings_table[to_letter]
    watch = warnings_table[~to_letter]
    columns = [c for c in WATCH_LIST_COLUMNS if c in watch]
    return letters, watch[columns].reset_index(drop=True)
