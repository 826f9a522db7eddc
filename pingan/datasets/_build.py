"""Writers shared by the dataset builders, all byte-for-byte reproducible.

A builder must write the same bytes on every run, so that a rebuilt dataset
can be compared with the committed one by SHA-256. CSV files are written with
explicit encodings and line endings. XLSX files are re-zipped with a fixed
timestamp, because openpyxl stamps the current time into ``docProps/core.xml``
and into every zip entry.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import openpyxl
import pandas as pd
import yaml

from pingan.exceptions import PinganError
from pingan.io import write_text

__all__ = [
    "FIXED_TIMESTAMP",
    "write_csv",
    "write_xlsx",
    "write_yaml",
    "check_catalogue_points",
    "project_source_dir",
    "framework_table",
    "write_single_department",
    "CATALOGUE_COLUMNS",
]

#: Timestamp written into every XLSX file (zip entries and document properties).
FIXED_TIMESTAMP = (2020, 1, 1, 0, 0, 0)

Encoding = Literal["utf-8", "utf-8-sig", "gbk"]


def write_csv(
    table: pd.DataFrame,
    path: Path,
    encoding: Encoding = "utf-8",
    lineterminator: Literal["\n", "\r\n"] = "\n",
) -> Path:
    r"""Write a table as CSV with a fixed encoding and line ending.

    Parameters
    ----------
    table : pandas.DataFrame
        Values are written as pandas formats them, so give floats the number
        of decimals wanted before calling (for example as strings).
    path : pathlib.Path
        Destination; its folder is created if missing.
    encoding : {"utf-8", "utf-8-sig", "gbk"}, default="utf-8"
        ``"utf-8-sig"`` writes a byte-order mark. ``"gbk"`` is the encoding
        many Chinese office tools still save CSV files in.
    lineterminator : {"\n", "\r\n"}, default="\n"
        Line ending; Windows tools write ``"\r\n"``.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(pd.DataFrame({"乡镇": ["仁德街道"]}), out, encoding="gbk")
    >>> out.read_bytes().decode("gbk")
    '乡镇\n仁德街道\n'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = table.to_csv(index=False, lineterminator=lineterminator)
    path.write_bytes(text.encode(encoding))
    return path


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite an XLSX zip with fixed entry times and document timestamps."""
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rf"\g<1>{stamp}\g<3>",
                    text,
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def write_xlsx(
    table: pd.DataFrame,
    path: Path,
    title: str | None = None,
    sheet_name: str = "Sheet1",
) -> Path:
    """Write a table to a one-sheet XLSX file, optionally under a title row.

    Parameters
    ----------
    table : pandas.DataFrame
        Header and rows; cells are written as Python scalars (missing values
        as empty cells).
    path : pathlib.Path
        Destination; its folder is created if missing.
    title : str, optional
        Text of a title row placed above the header, as office templates do
        ("寻甸县公安局2025年第一季度电诈数据"); the header is then row 2.
    sheet_name : str, default="Sheet1"
        Name of the worksheet.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    Two runs give identical bytes: zip entry times and the document's
    created and modified properties are set to ``FIXED_TIMESTAMP``.

    Examples
    --------
    >>> import tempfile
    >>> from pingan.io import sha256_file
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"area": ["530129001"], "SO04": [3]})
    >>> a = write_xlsx(table, folder / "a.xlsx", title="title")
    >>> b = write_xlsx(table, folder / "b.xlsx", title="title")
    >>> sha256_file(a) == sha256_file(b)
    True
    >>> pd.read_excel(a, header=1, dtype=str).iloc[0].tolist()
    ['530129001', '3']
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    if title is not None:
        sheet.append([title])
    sheet.append([str(c) for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([None if pd.isna(v) else _python_scalar(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buffer.getvalue()))
    return path


def _python_scalar(value: object) -> object:
    """Convert a numpy scalar to the Python type openpyxl writes."""
    return value.item() if hasattr(value, "item") else value


def _yaml_scalar(value: object) -> str:
    """Return a value in YAML flow style, quoted only where YAML needs it."""
    if isinstance(value, tuple):
        value = list(value)
    text = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, width=1_000_000
    )
    return text.removesuffix("\n").removesuffix("\n...")


def write_yaml(meta: Mapping[str, object], path: Path) -> Path:
    r"""Write ``dataset.yaml`` with keys in the given order and a block ``notes``.

    Parameters
    ----------
    meta : mapping
        Keys and values. Scalars and lists of scalars are written on one
        line; a multi-line string is written as a literal block (``|``).
    path : pathlib.Path
        Destination.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "dataset.yaml"
    >>> meta = {"name": "x", "reference_period": ["2022Q1", "2024Q4"],
    ...         "source": "CSO: table", "notes": "line one\nline two\n"}
    >>> loaded = yaml.safe_load(write_yaml(meta, out).read_text(encoding="utf-8"))
    >>> loaded["source"], loaded["notes"], loaded["reference_period"]
    ('CSO: table', 'line one\nline two\n', ['2022Q1', '2024Q4'])
    """
    lines = []
    for key, value in meta.items():
        if isinstance(value, str) and "\n" in value:
            lines.append(f"{key}: |")
            lines.extend(f"  {line}" if line else "" for line in value.splitlines())
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    return write_text("\n".join(lines) + "\n", path)


def check_catalogue_points(catalogue: pd.DataFrame, dataset: str) -> None:
    """Raise unless the catalogue's points sum to 100 and ids are unique.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        Columns ``indicator`` and ``points`` (numbers or numeric text).
    dataset : str
        Dataset name, used in the message.

    Raises
    ------
    PinganError
        If the points do not sum to 100 (within 1e-9) or an id repeats.

    Examples
    --------
    >>> check_catalogue_points(pd.DataFrame({"indicator": ["a"], "points": [99]}), "x")
    Traceback (most recent call last):
    ...
    pingan.exceptions.PinganError: x: catalogue points sum to 99, not 100.
    """
    total = float(pd.to_numeric(catalogue["points"]).sum())
    if abs(total - 100) > 1e-9:
        raise PinganError(f"{dataset}: catalogue points sum to {total:g}, not 100.")
    duplicated = catalogue.loc[catalogue["indicator"].duplicated(), "indicator"]
    if len(duplicated):
        raise PinganError(
            f"{dataset}: duplicated indicator ids {', '.join(duplicated)}."
        )


def project_source_dir(out_dir: Path, source_dir: Path | None) -> Path:
    """Return the folder of original files: ``source_dir`` or ``out_dir/source``.

    Parameters
    ----------
    out_dir : pathlib.Path
        Dataset folder being built.
    source_dir : pathlib.Path or None
        Folder given by the caller; None means ``out_dir / "source"``.

    Returns
    -------
    pathlib.Path
        The source folder.

    Raises
    ------
    PinganError
        If the folder does not exist.
    """
    folder = Path(source_dir) if source_dir is not None else Path(out_dir) / "source"
    if not folder.is_dir():
        raise PinganError(
            f"source folder {folder} not found; pass source_dir= pointing at the "
            "folder that holds the original files (data/raw/<name>/source/)."
        )
    return folder


def framework_table(rows: Sequence[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Build the ``framework.csv`` table from tuples.

    Parameters
    ----------
    rows : sequence of tuple
        ``(code, level, parent, name_zh, name_en)``; ``parent`` is empty for
        a domain.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``level``, ``parent``, ``name_zh``, ``name_en``
        (all str), in the order given.
    """
    return pd.DataFrame(rows, columns=["code", "level", "parent", "name_zh", "name_en"])


def write_single_department(
    out_dir: Path,
    meta: Mapping[str, object],
    catalogue: pd.DataFrame,
    domains: Sequence[tuple[str, str, str]],
    dimensions: Sequence[tuple[str, str, str, str]],
    areas: pd.DataFrame,
    department: tuple[str, str, str],
    submissions: pd.DataFrame,
    population: pd.DataFrame | None = None,
) -> Path:
    r"""Write a dataset folder whose values all come from one department.

    Parameters
    ----------
    out_dir : pathlib.Path
        Dataset folder to write.
    meta : mapping
        Contents of ``dataset.yaml`` (see :func:`write_yaml`).
    catalogue : pandas.DataFrame
        Table of ``catalogue.csv``, with the columns of ``CATALOGUE_COLUMNS``.
    domains : sequence of tuple
        ``(code, name_zh, name_en)`` of each domain.
    dimensions : sequence of tuple
        ``(code, domain, name_zh, name_en)`` of each dimension.
    areas : pandas.DataFrame
        Table of ``areas.csv``.
    department : tuple of str
        ``(department, name_zh, name_en)``; the id also names the
        submission files.
    submissions : pandas.DataFrame
        Columns ``quarter`` (``YYYYQn``), ``area``, ``indicator`` and
        ``value``.
    population : pandas.DataFrame, optional
        Table of ``population.csv``; a dataset without one has no such file.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Notes
    -----
    Besides ``dataset.yaml`` and the tables above, ``framework.csv`` lists the
    domains and then the dimensions, ``departments.csv`` the one department,
    and ``<quarter>/<department>.csv`` contains the quarter's rows of
    ``submissions`` (columns ``area``, ``indicator``, ``value``).

    Examples
    --------
    >>> import tempfile
    >>> catalogue = pd.DataFrame([["X1", "指标", "Indicator", "起", "cases",
    ...     "count", -1, "dept", "D1", "D", 100, "none", 1, "minmax", "", "false"]],
    ...     columns=CATALOGUE_COLUMNS)
    >>> values = pd.DataFrame({"quarter": ["2025Q1", "2025Q2"], "area": "A",
    ...     "indicator": "X1", "value": [3, 4]})
    >>> out = write_single_department(Path(tempfile.mkdtemp()), {"name": "demo"},
    ...     catalogue, [("D", "领域", "Domain")], [("D1", "D", "维度", "Dimension")],
    ...     pd.DataFrame({"area_code": ["A"]}), ("dept", "部门", "Department"), values)
    >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv"))
    ['2025Q1/dept.csv', '2025Q2/dept.csv', 'areas.csv', 'catalogue.csv',
     'departments.csv', 'framework.csv']
    >>> (out / "2025Q2" / "dept.csv").read_text()
    'area,indicator,value\nA,X1,4\n'
    """
    out_dir = Path(out_dir)
    write_yaml(meta, out_dir / "dataset.yaml")
    write_csv(catalogue, out_dir / "catalogue.csv")
    framework = [(code, "domain", "", zh, en) for code, zh, en in domains]
    framework += [
        (code, "dimension", domain, zh, en) for code, domain, zh, en in dimensions
    ]
    write_csv(framework_table(framework), out_dir / "framework.csv")
    write_csv(areas, out_dir / "areas.csv")
    if population is not None:
        write_csv(population, out_dir / "population.csv")
    write_csv(
        pd.DataFrame([department], columns=["department", "name_zh", "name_en"]),
        out_dir / "departments.csv",
    )
    for quarter, part in submissions.groupby("quarter"):
        write_csv(
            part[["area", "indicator", "value"]],
            out_dir / str(quarter) / f"{department[0]}.csv",
        )
    return out_dir


CATALOGUE_COLUMNS = [
    "indicator",
    "name_zh",
    "name_en",
    "unit",
    "unit_en",
    "value_type",
    "direction",
    "department",
    "dimension",
    "domain",
    "points",
    "denominator",
    "scale",
    "method",
    "params",
    "core",
]
