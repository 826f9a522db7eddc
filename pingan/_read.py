"""Low-level readers: CSV in any of the accepted encodings, and XLSX sheets.

Both return every cell as text (``dtype=str``) so that codes keep their
leading zeros and each value can be checked and reported as it was written.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from pingan.exceptions import InputError, Problem

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_bytes(raw: bytes, path: Path) -> str:
    """Decode a CSV file's bytes as UTF-8 (with or without BOM) or GBK/GB 18030."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        Problem(
            "unreadable encoding: the file is neither UTF-8 nor GBK.",
            file=str(path),
            hint="Save it as CSV UTF-8 from Excel or WPS and submit it again.",
        )
    )


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV file as a grid of text cells; raise on a missing file or encoding.

    Rows may have different numbers of fields; short rows are padded with
    empty cells, so that a row with an extra field (an unquoted ``1,234``)
    can be reported on its own instead of failing the whole file.
    """
    import csv
    import io

    path = Path(path)
    if not path.is_file():
        raise InputError(
            Problem(
                "file not found.",
                file=str(path),
                hint="Create it; docs/data-format.md describes its columns.",
            )
        )
    text = decode_bytes(path.read_bytes(), path)
    try:
        # newline="" lets the csv module see \r, \n and \r\n line ends alike,
        # so a file saved with old Mac line ends (\r) is read row by row.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(
            Problem(
                f"unreadable file: it could not be read as CSV ({exc}).",
                file=str(path),
                hint="Open it in Excel or WPS, save it as CSV UTF-8 and submit "
                "it again.",
            )
        ) from exc
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def read_xlsx_text(path: Path) -> pd.DataFrame:
    """Read the first sheet of an XLSX file as text, with no header inference.

    Texts such as ``N/A`` or ``NULL`` are kept as written, so that only a
    cell that is really empty reads as ``""``.
    """
    try:
        table = pd.read_excel(
            path, header=None, dtype=str, engine="openpyxl", keep_default_na=False
        )
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(
            Problem(
                f"unreadable file: it could not be opened as XLSX ({exc}).",
                file=str(path),
                hint="Open it in Excel or WPS, save it as .xlsx and submit it again.",
            )
        ) from exc
    return _restore_error_cells(table.fillna(""), path)


def _restore_error_cells(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Put back the text of Excel error cells (``#N/A``), which pandas reads as NaN."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in book.worksheets[0].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) != "e":
                    continue
                i, j = cell.row - 1, cell.column - 1
                if i < table.shape[0] and j < table.shape[1]:
                    table.iat[i, j] = str(cell.value)
    finally:
        book.close()
    return table


def read_grid(path: Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as a grid of text cells (no header yet)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv_text(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path)
    raise InputError(
        Problem(
            f"unsupported file type {suffix!r}.",
            file=str(path),
            hint="Submit a .csv or .xlsx file.",
        )
    )


def normalise_text(text: object) -> str:
    """Fold a header or name for matching: NFKC, no spaces of any width, lower case."""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(folded.split()).lower()


def read_table(
    path: Path, aliases: dict[str, list[str]], required: list[str]
) -> pd.DataFrame:
    """Read a metadata CSV with its first row as header, renaming known headers.

    ``aliases`` maps each canonical column to the headers accepted for it.
    Missing required columns raise an :class:`InputError` naming them all.
    """
    grid = read_csv_text(path)
    if grid.empty:
        raise InputError(Problem("the file is empty.", file=str(path)))
    header = [str(h) for h in grid.iloc[0]]
    while header and not header[-1].strip():
        header.pop()
    extra = grid.iloc[1:, len(header) :]
    bad_rows = extra.index[(extra.apply(lambda c: c.str.strip()) != "").any(axis=1)]
    if len(bad_rows):
        raise InputError(
            [
                Problem(
                    f"the row has more fields than the header's {len(header)}.",
                    file=str(path),
                    row=int(i) + 1,
                    hint="Quote values that contain a comma, e.g. "
                    '"target=95; span=20", or remove the extra comma.',
                )
                for i in bad_rows
            ]
        )
    grid = grid.iloc[:, : len(header)]
    lookup = {
        normalise_text(alias): name
        for name, accepted in aliases.items()
        for alias in [name, *accepted]
    }
    columns = [lookup.get(normalise_text(h), h.strip()) for h in header]
    table = grid.iloc[1:].reset_index(drop=True)
    table.columns = columns
    table = table.loc[~(table == "").all(axis=1)]
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            [
                Problem(
                    f"missing required column {c!r}.",
                    file=str(path),
                    row=1,
                    hint=f"Add a column headed {c!r}; the header row has "
                    f"{', '.join(header)}.",
                )
                for c in missing
            ]
        )
    return table.apply(lambda col: col.str.strip())
