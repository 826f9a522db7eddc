"""Read departments' quarterly submission files into one tidy table.

A quarter's folder contains one file per department (CSV in UTF-8, UTF-8 with BOM
or GBK, or XLSX with optional title rows), in long or wide layout, with
English or Chinese headers (``docs/data-format.md``). Reading never stops at
the first bad file or row: file-level problems reject the file, row-level
problems reject the row, and both are returned with their reasons so that
nothing is dropped silently. Raw files are opened read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pingan._read import normalise_text, read_grid
from pingan._values import parse_value_cells
from pingan.areas import AreaResolver
from pingan.exceptions import InputError, Problem
from pingan.io import file_manifest
from pingan.periods import parse_quarter, quarter_label

__all__ = [
    "ReadResult",
    "read_submission",
    "read_quarter",
    "submission_files",
    "TIDY_COLUMNS",
    "REJECTED_COLUMNS",
]

TIDY_COLUMNS = [
    "quarter",
    "area_code",
    "indicator",
    "value",
    "department",
    "source_file",
    "source_row",
]
REJECTED_COLUMNS = [
    "quarter",
    "department",
    "source_file",
    "source_row",
    "column",
    "value",
    "rule",
    "reason",
]
PROBLEM_COLUMNS = ["quarter", "department", "source_file", "rule", "reason"]
NOTE_COLUMNS = [
    "quarter",
    "source_file",
    "source_row",
    "column",
    "value",
    "rule",
    "reason",
]

HEADERS = {
    "area": [
        "area",
        "area_code",
        "area_name",
        "乡镇",
        "乡镇(街道)",
        "乡镇（街道）",
        "乡镇街道",
        "街道",
        "区域",
        "地区",
        "区划代码",
        "单位",
        "township",
        "borough",
        "division",
    ],
    "indicator": ["indicator", "indicator_id", "指标", "指标代码", "指标编号"],
    "value": ["value", "数值", "值", "指标值", "数量"],
    "quarter": ["quarter", "季度", "报告期"],
    "department": ["department", "报送单位", "部门", "责任单位"],
    "submitted_at": ["submitted_at", "报送时间", "提交时间"],
}
_HEADER_LOOKUP = {normalise_text(a): k for k, v in HEADERS.items() for a in v}
#: Area cells of summary rows, which are noted and not read as areas.
TOTAL_ROWS = {"合计", "总计", "小计", "全县", "total", "sum", "subtotal"}
_TITLE_ROWS = 10


@dataclass
class ReadResult:
    """Everything read from one or more quarters of submissions.

    Attributes
    ----------
    data : pandas.DataFrame
        Accepted values, columns :data:`TIDY_COLUMNS`.
    rejected : pandas.DataFrame
        Rejected rows, columns :data:`REJECTED_COLUMNS`.
    problems : pandas.DataFrame
        Rejected files: ``quarter, department, source_file, rule, reason``.
    notes : pandas.DataFrame
        Accepted rows worth a remark (an area written by an alias, an
        indicator sent by a department not responsible for it):
        ``quarter, source_file, source_row, column, value, rule, reason``.
    files : pandas.DataFrame
        The files read: ``path, bytes, sha256``.
    """

    data: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    notes: pd.DataFrame
    files: pd.DataFrame = field(default_factory=lambda: file_manifest([]))

    @property
    def ok(self) -> bool:
        """True when no row and no file was rejected."""
        return self.rejected.empty and self.problems.empty

    def raise_for_errors(self) -> None:
        """Raise :class:`InputError` listing every rejected file and row."""
        if self.ok:
            return
        problems = [
            Problem(r.reason, file=r.source_file, rule=r.rule)
            for r in self.problems.itertuples()
        ]
        problems += [
            Problem(
                r.reason,
                file=r.source_file,
                row=r.source_row,
                column=r.column,
                value=r.value,
                rule=r.rule,
            )
            for r in self.rejected.itertuples()
        ]
        raise InputError(problems)

    @staticmethod
    def concat(results: list[ReadResult]) -> ReadResult:
        """Join several results (e.g. one per quarter) into one."""

        def join(name: str, columns: list[str]) -> pd.DataFrame:
            parts = [getattr(r, name) for r in results if len(getattr(r, name))]
            if not parts:
                return _empty(columns)
            return pd.concat(parts, ignore_index=True)

        return ReadResult(
            data=join("data", TIDY_COLUMNS),
            rejected=join("rejected", REJECTED_COLUMNS),
            problems=join("problems", PROBLEM_COLUMNS),
            notes=join("notes", NOTE_COLUMNS),
            files=join("files", ["path", "bytes", "sha256"]),
        )


def _empty(columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if "quarter" in columns:
        out["quarter"] = pd.PeriodIndex([], freq="Q-DEC")
    return out


def submission_files(folder: str | Path) -> list[Path]:
    """List the submission files of a quarter folder, sorted by name.

    Files whose name starts with ``_`` or ``.`` (receipts, temporary files)
    and files that are not CSV or XLSX are left out.

    Examples
    --------
    >>> submission_files("/nonexistent")
    []
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in (".csv", ".xlsx")
        and not p.name.startswith(("_", ".", "~$"))
    )


def _file_problem(rule: str, message: str, path: str, hint: str) -> InputError:
    return InputError(Problem(message, file=path, hint=hint, rule=rule))


def _indicator_lookup(catalogue: pd.DataFrame) -> dict[str, str]:
    """Map folded ids and names of the indicators to their ids."""
    lookup = {}
    for column in ("name_en", "name_zh", "indicator"):
        for ident, text in zip(catalogue["indicator"], catalogue[column], strict=True):
            if isinstance(text, str) and text:
                lookup[normalise_text(text)] = ident
    return lookup


def _find_header(grid: pd.DataFrame, path: str) -> int:
    """Return the position of the header row: the first with an area header."""
    for i in range(min(_TITLE_ROWS, len(grid))):
        folded = [_HEADER_LOOKUP.get(normalise_text(c)) for c in grid.iloc[i]]
        if "area" in folded:
            return i
    first = [str(c) for c in grid.iloc[0] if str(c).strip()]
    raise _file_problem(
        "missing_column",
        "missing required column 'area' (no header row names the area).",
        path,
        f"Head the area column with one of {', '.join(HEADERS['area'])}. "
        f"The first row has {', '.join(map(repr, first)) or 'nothing'}."
        f"{_separator_hint(first)}",
    )


def _separator_hint(cells: list[str]) -> str:
    """Say how to fix a header row that looks separated by semicolons or tabs."""
    if len(cells) != 1:
        return ""
    for mark, name in ((";", "semicolons"), ("\t", "tabs")):
        if mark in cells[0]:
            return (
                f" The row is one column that looks separated by {name}, so save "
                "the file as comma-separated CSV (CSV UTF-8 in Excel or WPS)."
            )
    return ""


def _map_columns(
    header: list[str], indicators: dict[str, str]
) -> tuple[dict[str, int], dict[int, str], list[int]]:
    """Split header positions into known fields, indicator columns and the rest."""
    fields: dict[str, int] = {}
    wide: dict[int, str] = {}
    other: list[int] = []
    for j, text in enumerate(header):
        key = normalise_text(text)
        name = _HEADER_LOOKUP.get(key)
        if name is not None and name not in fields:
            fields[name] = j
        elif key in indicators and name is None:
            wide[j] = indicators[key]
        elif key:
            other.append(j)
    return fields, wide, other


def _to_long(
    body: pd.DataFrame,
    header: list[str],
    fields: dict[str, int],
    wide: dict[int, str],
    other: list[int],
    path: str,
) -> tuple[pd.DataFrame, list[dict]]:
    """Return one raw row per submitted value, and notes on ignored columns."""

    def col(name: str) -> pd.Series:
        if name in fields:
            return body.iloc[:, fields[name]].astype(str).str.strip()
        return pd.Series("", index=body.index)

    extra = body.iloc[:, len(header) :].astype(str)
    extra_text = extra.apply(lambda r: ",".join(v for v in r if v.strip()), axis=1)
    base = pd.DataFrame(
        {
            "source_row": body.index + 1,
            "extra_text": extra_text if len(extra.columns) else "",
            "area_text": col("area"),
            "quarter_text": col("quarter"),
            "department_text": col("department"),
            "submitted_at": col("submitted_at"),
        }
    )
    notes = []
    if "indicator" in fields:
        if "value" not in fields:
            raise _file_problem(
                "missing_column",
                "missing required column 'value'.",
                path,
                f"Head the value column with one of {', '.join(HEADERS['value'])}.",
            )
        long = base.assign(
            indicator_text=col("indicator"),
            value_text=col("value"),
            column=header[fields["value"]],
        )
    else:
        numeric_other = [j for j in other if _has_numbers(body.iloc[:, j])]
        if not wide and not numeric_other:
            raise _file_problem(
                "missing_column",
                "missing required column 'indicator' (and no column is headed by "
                "an indicator id or name).",
                path,
                "Use the long layout (area, indicator, value) or head each column "
                "with an indicator id from the catalogue.",
            )
        parts = []
        for j in [*wide, *numeric_other]:
            parts.append(
                base.assign(
                    indicator_text=header[j],
                    value_text=body.iloc[:, j].astype(str).str.strip(),
                    column=header[j],
                )
            )
        long = pd.concat(parts, ignore_index=True)
        other = [j for j in other if j not in numeric_other]
    for j in other:
        if (body.iloc[:, j].astype(str).str.strip() != "").any():
            notes.append(
                {
                    "source_row": 1,
                    "column": header[j],
                    "value": header[j],
                    "rule": "ignored_column",
                    "reason": "the column is not a known field or indicator, "
                    "so it was not read.",
                }
            )
    return long, notes


def _has_numbers(column: pd.Series) -> bool:
    return parse_value_cells(column)["value"].notna().any()


def _check_rows(
    raw: pd.DataFrame,
    quarter: pd.Period,
    catalogue: pd.DataFrame,
    resolver: AreaResolver,
    indicators: dict[str, str],
) -> pd.DataFrame:
    """Resolve areas, indicators and values; give each bad row its first rule."""
    out = raw.copy()
    areas = resolver.lookup(out["area_text"])
    out["area_code"] = areas["area_code"].to_numpy()
    out["area_match"] = areas["match"].to_numpy()
    out["indicator"] = out["indicator_text"].map(
        lambda t: indicators.get(normalise_text(t), np.nan)
    )
    cells = parse_value_cells(out["value_text"])
    out["value"] = cells["value"]
    kinds = catalogue.set_index("indicator")["value_type"]
    kind = out["indicator"].map(kinds)
    label = quarter_label(quarter)
    stated = out["quarter_text"].map(lambda t: _quarter_or_none(t))
    checks = [
        (
            "extra_fields",
            out["extra_text"].ne(""),
            "extra_text",
            "The row has more fields than the header; quote numbers that "
            'contain a comma ("1,234") or remove the thousands separator.',
        ),
        (
            "wrong_quarter",
            out["quarter_text"].ne("") & stated.ne(label),
            "quarter_text",
            f"the row is for another quarter than the folder's {label}. "
            "Move it to its own quarter's file.",
        ),
        ("unknown_area", out["area_code"].isna(), "area_text", None),
        (
            "unknown_department",
            out["department"].isna(),
            "department_text",
            "Use a department id from departments.csv.",
        ),
        ("unknown_indicator", out["indicator"].isna(), "indicator_text", None),
        (
            "missing_value",
            cells["problem"].eq("empty"),
            "value_text",
            cells["reason"],
        ),
        (
            "not_a_number",
            cells["problem"].ne(""),
            "value_text",
            cells["reason"],
        ),
        (
            "negative_value",
            kind.isin(["count", "amount"]) & out["value"].lt(0),
            "value_text",
            "Counts and amounts cannot be negative; correct the value.",
        ),
        (
            "percent_out_of_range",
            kind.eq("percent") & ~out["value"].between(0, 100),
            "value_text",
            "A percentage must lie between 0 and 100.",
        ),
    ]
    masks = [m.fillna(False).to_numpy(dtype=bool) for _, m, _, _ in checks]
    out["rule"] = np.select(masks, [c[0] for c in checks], default=None)
    out["reason_column"] = np.select(masks, [c[2] for c in checks], default=None)
    reasons = [
        c[3].to_numpy(dtype=object) if isinstance(c[3], pd.Series) else c[3] or ""
        for c in checks
    ]
    out["reason"] = np.select(masks, reasons, default=None)
    _explain_unknowns(out, resolver, indicators)
    return out


def _quarter_or_none(text: str) -> str | None:
    if not text:
        return None
    try:
        return quarter_label(parse_quarter(text))
    except ValueError:
        return f"invalid:{text}"


def _explain_unknowns(
    out: pd.DataFrame, resolver: AreaResolver, indicators: dict[str, str]
) -> None:
    """Fill the reasons of unknown areas and indicators with the nearest names."""
    import difflib

    for i in out.index[out["rule"].eq("unknown_area")]:
        near = ", ".join(resolver.nearest(out.at[i, "area_text"])) or "none"
        out.at[i, "reason"] = (
            f"unknown area; nearest known: {near}. Correct the "
            "name or add it as an alias in areas.csv."
        )
    ids = sorted(set(indicators.values()))
    for i in out.index[out["rule"].eq("unknown_indicator")]:
        near = difflib.get_close_matches(str(out.at[i, "indicator_text"]), ids, 3, 0.3)
        out.at[i, "reason"] = (
            f"unknown indicator; nearest known: "
            f"{', '.join(near) or 'none'}. Use an id from "
            "catalogue.csv."
        )


def read_submission(
    path: str | Path,
    quarter: str | pd.Period,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame | AreaResolver,
    departments: pd.DataFrame,
    name: str | None = None,
) -> ReadResult:
    """Read one department's submission file for one quarter.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (UTF-8, UTF-8 with BOM or GBK) or ``.xlsx`` file.
    quarter : str or pandas.Period
        The quarter the file belongs to (its folder), e.g. ``"2025Q1"``.
    catalogue : pandas.DataFrame
        From :func:`pingan.catalogue.read_catalogue`.
    areas : pandas.DataFrame or AreaResolver
        From :func:`pingan.areas.read_areas`.
    departments : pandas.DataFrame
        With ``department``, ``name_zh``, ``name_en``. A file without a
        department column belongs to the department named by its file stem.
    name : str, optional
        How the file is named in the output (default: its file name).

    Returns
    -------
    ReadResult
        Accepted values in ``data`` (duplicates within the file are resolved
        as in :func:`read_quarter`), rejected rows in ``rejected``, remarks in
        ``notes``; ``problems`` is empty.

    Raises
    ------
    InputError
        For a problem with the whole file (``rule`` in ``empty_file``,
        ``missing_column``, ``unreadable_encoding``, ``unreadable_file``,
        ``wrong_quarter``, ``unknown_department``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "police.csv").write_text(
    ...     "乡镇,指标,数值\\n仁德,SO04,12\\nRende,SO04,x\\n", encoding="utf-8")
    >>> cat = pd.DataFrame({"indicator": ["SO04"], "name_zh": ["电诈立案数"],
    ...     "name_en": ["Fraud cases"], "value_type": ["count"],
    ...     "department": ["police"]})
    >>> areas = pd.DataFrame({"area_code": ["530129001"], "name_zh": ["仁德街道"],
    ...     "name_en": ["Rende"], "type": ["街道"], "aliases": [["仁德"]]})
    >>> depts = pd.DataFrame({"department": ["police"], "name_zh": ["公安局"],
    ...     "name_en": ["Police"]})
    >>> res = read_submission(folder / "police.csv", "2025Q1", cat, areas, depts)
    >>> res.data[["area_code", "indicator", "value", "source_row"]]
       area_code indicator  value  source_row
    0  530129001      SO04   12.0           2
    >>> res.rejected[["source_row", "column", "value", "rule"]]
       source_row column value          rule
    0           3     数值     x  not_a_number
    """
    q = parse_quarter(quarter)
    path = Path(path)
    shown = name or path.name
    resolver = areas if isinstance(areas, AreaResolver) else AreaResolver(areas)
    _check_file_name(path, q, shown)
    grid = _read_grid(path, shown)
    header_at = _find_header(grid, shown)
    header = [str(h).strip() for h in grid.iloc[header_at]]
    while header and not header[-1]:
        header.pop()
    body = grid.iloc[header_at + 1 :]
    body = body.loc[
        ~(body.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1)
    ]
    if body.empty:
        raise _file_problem(
            "empty_file",
            "the file has a header but no data rows.",
            shown,
            "Fill in the values and submit it again.",
        )
    indicators = _indicator_lookup(catalogue)
    fields, wide, other = _map_columns(header, indicators)
    raw, file_notes = _to_long(body, header, fields, wide, other, shown)
    _check_stated_quarter(raw, q, shown)
    raw["department"] = _departments(raw, departments, path.stem, shown)
    checked = _check_rows(raw, q, catalogue, resolver, indicators)
    result = _split(checked, q, shown, catalogue, file_notes)
    if "indicator" not in fields:
        result.rejected = _merge_wide_rejections(result.rejected, header_at + 1)
    return result


def _read_grid(path: Path, shown: str) -> pd.DataFrame:
    """Read the file as text cells, turning read failures into file problems."""
    try:
        grid = read_grid(path)
    except InputError as err:
        problem = err.problems[0]
        rule = (
            "unreadable_encoding"
            if "encoding" in problem.message
            else ("unreadable_file")
        )
        raise _file_problem(rule, problem.message, shown, problem.hint or "") from err
    except (OSError, pd.errors.ParserError) as err:
        raise _file_problem(
            "unreadable_file",
            f"the file could not be read ({err}).",
            shown,
            "Check that it is a valid CSV file.",
        ) from err
    if (
        grid.empty
        or (grid.astype(str).apply(lambda c: c.str.strip()) == "").all().all()
    ):
        raise _file_problem(
            "empty_file",
            "the file is empty.",
            shown,
            "Submit the file again with its header and data rows.",
        )
    return grid


def _check_file_name(path: Path, quarter: pd.Period, shown: str) -> None:
    """Reject a file whose name states another quarter than its folder."""
    import re

    match = re.search(r"(\d{4})[-_ ]?[Qq]([1-4])", path.stem)
    if match and f"{match[1]}Q{match[2]}" != quarter_label(quarter):
        raise _file_problem(
            "wrong_quarter",
            f"the file name says {match[1]}Q{match[2]} but the file is in the folder "
            f"of {quarter_label(quarter)}.",
            shown,
            "Move it to the folder of its own quarter.",
        )


def _check_stated_quarter(raw: pd.DataFrame, quarter: pd.Period, shown: str) -> None:
    """Reject the file when every row states one other quarter."""
    stated = {_quarter_or_none(t) for t in raw["quarter_text"]} - {None}
    label = quarter_label(quarter)
    if (
        len(stated) == 1
        and label not in stated
        and not raw["quarter_text"].eq("").any()
    ):
        other = stated.pop()
        raise _file_problem(
            "wrong_quarter",
            f"every row is for {other} but the file is in the folder of {label}.",
            shown,
            "Move it to the folder of its own quarter, or send this quarter's data.",
        )


def _departments(
    raw: pd.DataFrame, departments: pd.DataFrame, stem: str, shown: str
) -> pd.Series:
    """Resolve each row's department: its own column, else the file stem."""
    lookup = {}
    for column in ("name_en", "name_zh", "department"):
        if column in departments:
            for ident, text in zip(
                departments["department"], departments[column], strict=True
            ):
                lookup[normalise_text(text)] = ident
    default = lookup.get(normalise_text(stem))
    if default is None and raw["department_text"].eq("").any():
        raise _file_problem(
            "unknown_department",
            f"the file name {stem!r} is not a department id and some rows have "
            "no department.",
            shown,
            "Name the file after its department ("
            f"{', '.join(departments['department'])}) or add a department column.",
        )
    own = raw["department_text"].map(lambda t: lookup.get(normalise_text(t), np.nan))
    return own.where(raw["department_text"].ne(""), default)


def _split(
    checked: pd.DataFrame,
    quarter: pd.Period,
    shown: str,
    catalogue: pd.DataFrame,
    file_notes: list[dict],
) -> ReadResult:
    """Split checked rows into accepted values, rejected rows and notes."""
    total = checked["area_text"].map(normalise_text).isin(TOTAL_ROWS)
    total_rows = checked.loc[total]
    checked = checked.loc[~total]
    file_notes = file_notes + [
        {
            "source_row": r.source_row,
            "column": "area",
            "value": r.area_text,
            "rule": "total_row",
            "reason": "a summary row; totals are computed by pingan, so it was "
            "not read.",
        }
        for r in total_rows.drop_duplicates("source_row").itertuples()
    ]
    bad = checked["rule"].notna()
    rejected = pd.DataFrame(
        {
            "quarter": quarter,
            "department": checked.loc[bad, "department"],
            "source_file": shown,
            "source_row": checked.loc[bad, "source_row"],
            "column": [_column_name(r) for r in checked.loc[bad].itertuples()],
            "value": [
                getattr(r, r.reason_column) for r in checked.loc[bad].itertuples()
            ],
            "rule": checked.loc[bad, "rule"],
            "reason": checked.loc[bad, "reason"],
        },
        columns=REJECTED_COLUMNS,
    )
    good = checked.loc[~bad]
    data = pd.DataFrame(
        {
            "quarter": pd.PeriodIndex([quarter] * len(good), freq="Q-DEC"),
            "area_code": good["area_code"].astype(str).to_numpy(),
            "indicator": good["indicator"].astype(str).to_numpy(),
            "value": good["value"].astype(float).to_numpy(),
            "department": good["department"].astype(str).to_numpy(),
            "source_file": shown,
            "source_row": good["source_row"].astype(int).to_numpy(),
        }
    )
    notes = _notes(good, quarter, shown, catalogue, file_notes)
    return ReadResult(
        data, rejected.reset_index(drop=True), _empty(PROBLEM_COLUMNS), notes
    )


#: Rules about a whole row, which a wide file repeats in each of the row's cells.
_ROW_RULES = ("extra_fields", "wrong_quarter", "unknown_area", "unknown_department")


def _merge_wide_rejections(rejected: pd.DataFrame, header_row: int) -> pd.DataFrame:
    """Merge a wide file's repeated rejections: one per bad header, one per bad row.

    An unknown indicator header is reported once, at the header row, and a
    row-level problem (such as an unknown area) once per row. The reason
    counts the cells that were not read.
    """
    by_header = rejected["rule"].eq("unknown_indicator")
    by_row = rejected["rule"].isin(_ROW_RULES)
    merged = []
    for mask, keys, where in (
        (by_header, ["column"], "column"),
        (by_row, ["source_row", "rule"], "row"),
    ):
        for _, group in rejected.loc[mask].groupby(keys, sort=False):
            first = group.iloc[0].copy()
            if where == "column":
                first["source_row"] = header_row
            first["reason"] = (
                f"{first['reason']} The {len(group)} cell(s) of this {where} "
                "were not read."
            )
            merged.append(first)
    kept = rejected.loc[~(by_header | by_row)]
    if merged:
        kept = pd.concat([kept, pd.DataFrame(merged)])
    return kept.sort_values("source_row", kind="stable").reset_index(drop=True)


def _column_name(row) -> str:
    """Return the header of the cell a rejected row is about."""
    if row.reason_column == "value_text":
        return row.column
    if row.reason_column == "indicator_text" and row.column == row.indicator_text:
        return row.column  # a wide file: the indicator is the column header
    return {
        "area_text": "area",
        "indicator_text": "indicator",
        "quarter_text": "quarter",
        "extra_text": "(beyond the header)",
        "department_text": "department",
    }.get(row.reason_column, row.column)


def _notes(
    good: pd.DataFrame,
    quarter: pd.Period,
    shown: str,
    catalogue: pd.DataFrame,
    file_notes: list[dict],
) -> pd.DataFrame:
    """Remarks on accepted rows: aliases used, indicators sent by another department."""
    rows = [dict(n, quarter=quarter, source_file=shown) for n in file_notes]
    for r in good.loc[good["area_match"].eq("alias")].itertuples():
        rows.append(
            {
                "quarter": quarter,
                "source_file": shown,
                "source_row": r.source_row,
                "column": "area",
                "value": r.area_text,
                "rule": "area_alias",
                "reason": f"the area is written by an alias; read as {r.area_code}.",
            }
        )
    owners = catalogue.set_index("indicator")["department"].str.split("|")
    allowed = [
        dept in owners.get(ind, [dept])
        for ind, dept in zip(good["indicator"], good["department"], strict=True)
    ]
    for r in good.loc[~np.array(allowed, dtype=bool)].itertuples():
        rows.append(
            {
                "quarter": quarter,
                "source_file": shown,
                "source_row": r.source_row,
                "column": "indicator",
                "value": r.indicator,
                "rule": "indicator_not_assigned",
                "reason": f"department {r.department} sent an indicator "
                "that the catalogue assigns to "
                f"{'|'.join(owners[r.indicator])}.",
            }
        )
    notes = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    notes["quarter"] = pd.PeriodIndex(notes["quarter"], freq="Q-DEC")
    return notes


def resolve_duplicates(result: ReadResult) -> ReadResult:
    """Reject repeated values of one area, indicator, department and quarter.

    Identical repeats keep their first row and reject the others as
    ``duplicate_identical``. Repeats with different values are all rejected
    as ``duplicate_conflict``, because the right one is unknown.

    Examples
    --------
    >>> d = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q1"] * 3, freq="Q"),
    ...     "area_code": "A", "indicator": ["X", "X", "Y"], "value": 1.0,
    ...     "department": "p", "source_file": "p.csv", "source_row": [2, 3, 4]})
    >>> r = ReadResult(d, _empty(REJECTED_COLUMNS), _empty(PROBLEM_COLUMNS),
    ...                _empty(NOTE_COLUMNS))
    >>> out = resolve_duplicates(r)
    >>> out.data["source_row"].tolist(), out.rejected["rule"].tolist()
    ([2, 4], ['duplicate_identical'])
    """
    data = result.data
    keys = ["quarter", "area_code", "indicator", "department"]
    repeated = data.duplicated(keys, keep=False)
    if not repeated.any():
        return result
    spread = data.groupby(keys, observed=True)["value"].transform("nunique")
    conflict = repeated & spread.gt(1)
    identical = data.duplicated(keys, keep="first") & ~conflict
    rejected = pd.concat(
        [
            _duplicate_rows(data, identical, data.loc[repeated], "duplicate_identical"),
            _duplicate_rows(data, conflict, data.loc[repeated], "duplicate_conflict"),
        ],
        ignore_index=True,
    )
    return ReadResult(
        data=data.loc[~(identical | conflict)].reset_index(drop=True),
        rejected=pd.concat([result.rejected, rejected], ignore_index=True),
        problems=result.problems,
        notes=result.notes,
        files=result.files,
    )


def _duplicate_rows(
    data: pd.DataFrame, mask: pd.Series, repeated: pd.DataFrame, rule: str
) -> pd.DataFrame:
    """Build rejected rows for duplicates, naming where the other copies are."""
    rows = []
    keys = ["quarter", "area_code", "indicator", "department"]
    for r in data.loc[mask].itertuples():
        same = repeated.loc[
            (repeated[keys] == [getattr(r, k) for k in keys]).all(axis=1)
        ]
        others = [
            f"{s.source_file} row {s.source_row} ({s.value:g})"
            for s in same.itertuples()
            if s.Index != r.Index
        ]
        if rule == "duplicate_identical":
            reason = (
                f"identical to {others[0]}; this copy was dropped. "
                "Send each value once."
            )
        else:
            reason = (
                f"area {r.area_code} indicator {r.indicator} also has "
                f"{', '.join(others)}; all copies were rejected. "
                "Send one corrected value."
            )
        rows.append(
            {
                "quarter": r.quarter,
                "department": r.department,
                "source_file": r.source_file,
                "source_row": r.source_row,
                "column": "value",
                "value": f"{r.value:g}",
                "rule": rule,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=REJECTED_COLUMNS)


def _skipped_entries(folder: Path, root: Path, quarter: pd.Period) -> dict:
    """Say what happens to entries of a quarter folder that are not submissions."""
    problems, notes = [], []
    for entry in sorted(folder.iterdir()):
        shown = entry.relative_to(root).as_posix()
        name = entry.name
        if entry.is_file() and entry.suffix.lower() in (".csv", ".xlsx"):
            if not name.startswith(("_", ".", "~$")):
                continue
        if name.startswith(".") or name == "_receipts.csv":
            continue
        if entry.suffix.lower() == ".xls" and not name.startswith("~$"):
            problems.append(
                {
                    "quarter": quarter,
                    "department": entry.stem,
                    "source_file": shown,
                    "rule": "unsupported_file",
                    "reason": f"file {shown}: the old Excel format .xls is not read. "
                    "Open it in Excel or WPS, save it as .xlsx and submit it again.",
                }
            )
            continue
        what = (
            "a folder"
            if entry.is_dir()
            else (
                "an Excel lock file"
                if name.startswith("~$")
                else "not a .csv or .xlsx file"
            )
        )
        notes.append(
            {
                "quarter": quarter,
                "source_file": shown,
                "source_row": np.nan,
                "column": None,
                "value": name,
                "rule": "ignored_file",
                "reason": f"{what}, so it was not read as a submission.",
            }
        )
    return {"problems": problems, "notes": notes}


def read_quarter(
    folder: str | Path,
    quarter: str | pd.Period,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    departments: pd.DataFrame,
    root: str | Path | None = None,
) -> ReadResult:
    """Read every submission file of one quarter's folder.

    Parameters
    ----------
    folder : str or path-like
        The quarter's folder, e.g. ``data/raw/xundian-example/2025Q1``.
    quarter : str or pandas.Period
        The quarter, e.g. ``"2025Q1"``.
    catalogue, areas, departments : pandas.DataFrame
        The dataset's tables (see :func:`read_submission`).
    root : str or path-like, optional
        Folder that ``source_file`` paths are relative to (default: the
        parent of ``folder``, i.e. the dataset folder).

    Returns
    -------
    ReadResult
        Accepted values, rejected rows, rejected files (``problems``), notes,
        and the SHA-256 manifest of the files read. Repeated values across
        files are resolved by :func:`resolve_duplicates`.

    Examples
    --------
    >>> r = read_quarter("/nonexistent/2025Q1", "2025Q1", None, None, None)
    >>> len(r.data), len(r.problems)
    (0, 0)
    """
    folder = Path(folder)
    q = parse_quarter(quarter)
    root = Path(root) if root is not None else folder.parent
    if not folder.is_dir():
        return ReadResult(
            _empty(TIDY_COLUMNS),
            _empty(REJECTED_COLUMNS),
            _empty(PROBLEM_COLUMNS),
            _empty(NOTE_COLUMNS),
        )
    files = submission_files(folder)
    resolver = AreaResolver(areas) if files else None
    results, problems = [], []
    skipped = _skipped_entries(folder, root, q)
    for path in files:
        shown = path.relative_to(root).as_posix()
        try:
            results.append(
                read_submission(path, q, catalogue, resolver, departments, name=shown)
            )
        except InputError as err:
            for p in err.problems:
                problems.append(
                    {
                        "quarter": q,
                        "department": path.stem,
                        "source_file": shown,
                        "rule": p.rule,
                        "reason": str(p),
                    }
                )
    joined = ReadResult.concat(results)
    problems += skipped["problems"]
    if skipped["notes"]:
        notes = pd.DataFrame(skipped["notes"], columns=NOTE_COLUMNS)
        notes["quarter"] = pd.PeriodIndex(notes["quarter"], freq="Q-DEC")
        joined.notes = pd.concat([joined.notes, notes], ignore_index=True)
    joined.problems = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    joined.problems["quarter"] = pd.PeriodIndex(
        joined.problems["quarter"], freq="Q-DEC"
    )
    joined.files = file_manifest(files, root=root)
    return resolve_duplicates(joined)
