"""Exceptions and warning categories raised by pingan.

Every error about input data is an :class:`InputError`. Its message names the
file, the row, the column and the value that failed, and says what to do, so a
department clerk can fix a submission without reading the code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "InputError",
    "PinganError",
    "PinganWarning",
    "DataQualityWarning",
    "ConstantIndicatorWarning",
    "Problem",
]


class PinganError(ValueError):
    """Base class of the errors raised by pingan (a subclass of ``ValueError``)."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    ``str()`` writes the location, the message and the hint. A part that is
    None is left out, and so is an empty file or column. An empty value is
    kept, because it shows that the cell was empty.

    Attributes
    ----------
    message : str
        What is wrong, in a plain sentence.
    file : str or None
        Path of the file, as given by the caller.
    row : int or None
        1-based line number in the file (the header is line 1 in a CSV file;
        in a spreadsheet it is the spreadsheet's own row number).
    column : str or None
        Column header as written in the file.
    value : object
        The offending value, as read.
    hint : str or None
        What to do about it.
    rule : str or None
        Short id of the check that failed, e.g. ``"unknown_area"``.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    hint: str | None = None
    rule: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        text = self.message
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.hint:
            text = f"{text} {self.hint}"
        return text


class InputError(PinganError):
    """Invalid input data, with every problem found listed in the message.

    Parameters
    ----------
    problems : Problem or list of Problem
        The problems, each located by file, row, column and value.
    """

    def __init__(self, problems: Problem | list[Problem]) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        text = lines[0] if len(lines) == 1 else "\n  - ".join(["", *lines])
        if len(lines) > 1:
            text = f"{len(lines)} problems in the input:{text}"
        super().__init__(text)


class PinganWarning(UserWarning):
    """Base class of the warnings issued by pingan."""


class DataQualityWarning(PinganWarning):
    """A value was dropped, imputed or flagged; the result is usable but degraded."""


class ConstantIndicatorWarning(PinganWarning):
    """An indicator has the same value for every area, so it cannot discriminate."""
