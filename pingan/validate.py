"""``pingan validate``: read a quarter and summarise what was rejected and why."""

from __future__ import annotations

from pingan.datasets import load_dataset
from pingan.ingest import ReadResult
from pingan.periods import quarter_label
from pingan.pipeline import check_quarter

__all__ = ["format_read_summary", "validate_command"]


def format_read_summary(result: ReadResult, title: str) -> str:
    """Format a quarter's reading result as plain text.

    Parameters
    ----------
    result : ReadResult
        From :meth:`pingan.datasets.Dataset.read_quarter`.
    title : str
        First line of the text.

    Returns
    -------
    str
        The files read, accepted values, then every rejected file and row
        with its location and reason, then remarks.

    Examples
    --------
    >>> ds = load_dataset("xundian-example")
    >>> text = format_read_summary(ds.read_quarter("2024Q2"), "2024Q2")
    >>> "negative_value" in text
    True
    """
    lines = [
        title,
        f"  files read: {len(result.files)}; values accepted: {len(result.data)}; "
        f"rows rejected: {len(result.rejected)}; files rejected: "
        f"{len(result.problems)}; remarks: {len(result.notes)}",
    ]
    if len(result.problems):
        lines.append("Rejected files:")
        lines += [f"  [{r.rule}] {r.reason}" for r in result.problems.itertuples()]
    if len(result.rejected):
        lines.append("Rejected rows:")
        lines += _grouped_rows(result.rejected)
    if len(result.notes):
        lines.append("Remarks:")
        lines += _grouped_rows(result.notes)
    return "\n".join(lines)


def _rows_text(rows: list[int]) -> str:
    """Write row numbers compactly: ``row 5`` or ``rows 2-17``."""
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    if rows == list(range(rows[0], rows[-1] + 1)):
        return f"rows {rows[0]}-{rows[-1]}"
    return "rows " + ", ".join(map(str, rows))


def _grouped_rows(table) -> list[str]:
    """Format one line per file, rule, column and value, listing its rows."""
    import pandas as pd

    keys = ["source_file", "rule", "column", "value", "reason"]
    lines = []
    filled = table.assign(
        column=table["column"].fillna(""), value=table["value"].fillna("")
    )
    for (file, rule, column, value, reason), group in filled.groupby(
        keys, sort=False, dropna=False
    ):
        rows = [int(r) for r in group["source_row"] if pd.notna(r)]
        where = f"{file} {_rows_text(rows)}" if rows else f"{file}"
        parts = [where]
        if column:
            parts.append(f"column {column!r}")
        if value:
            parts.append(f"value {value!r}")
        lines.append(f"  [{rule}] {', '.join(parts)}: {reason}")
    return lines


def validate_command(dataset: str, quarter: str) -> tuple[str, bool]:
    """Validate a dataset's quarter for the command line.

    Runs the data-quality assessment (submission status, findings with their
    evidence, actions, the departments' negative-list scores) and adds the
    reader's remarks (aliases, ignored files, total rows).

    Returns
    -------
    tuple of (str, bool)
        The readable summary, and True when no finding is an error.

    Examples
    --------
    >>> text, ok = validate_command("xundian-example", "2024Q4")
    >>> ok, "duplicate_identical" in text
    (True, True)
    >>> text, ok = validate_command("xundian-example", "2024Q2")
    >>> ok, "negative_value" in text
    (False, True)
    """
    import warnings

    from pingan.quality import format_summary, validate_quarter

    ds = load_dataset(dataset)
    q = check_quarter(ds, quarter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = validate_quarter(ds.name, quarter_label(q))
    text = format_summary(result)
    notes = ds.read_quarter(q).notes
    if len(notes):
        text += "\nRemarks (values were read; nothing is deducted):\n"
        text += "\n".join(_grouped_rows(notes))
    if ds.kind == "synthetic":
        text = f"[synthetic dataset: {ds.title('en')}]\n" + text
    return text, result.ok
