"""The responsibility list: who owes which data by when, and what arrived.

The schedule expands the catalogue (each indicator names its responsible
departments) over areas and quarters, with a deadline a fixed number of days
after each quarter ends. Comparing it with the tidy submissions and their
arrival times gives each department's status per quarter: on time, late,
missing or incomplete.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval
from pingan.exceptions import InputError, Problem
from pingan.periods import (
    DATE_TIME_FORMATS,
    parse_date_time,
    parse_quarter,
    quarter_end,
    quarter_label,
)
from pingan.quality._findings import make_findings

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "STATUS_COLUMNS",
    "build_schedule",
    "read_receipts",
    "submission_times",
    "submission_status",
    "status_findings",
    "plot_submission_status",
]

STATUS_COLUMNS = [
    "quarter",
    "department",
    "deadline",
    "submitted_at",
    "days_late",
    "n_expected",
    "n_received",
    "n_missing",
    "missing_indicators",
    "missing_areas",
    "source_files",
    "status",
    "reason",
]
_STATUS_COLOURS = {
    "on_time": "#4caf50",
    "late": "#ff9800",
    "incomplete": "#ffd54f",
    "missing": "#e53935",
    "time_unknown": "#bdbdbd",
}


def build_schedule(
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    quarters: Iterable[object],
    deadline_days: int = 10,
) -> pd.DataFrame:
    """Expand the catalogue into the values each department owes each quarter.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        Columns ``indicator`` and ``department`` (ids separated by ``|``).
    areas : pandas.DataFrame
        Column ``area_code``.
    quarters : iterable of quarter labels or Periods
        Quarters to schedule.
    deadline_days : int, default=10
        Days after the quarter's last day by which its data are due.

    Returns
    -------
    pandas.DataFrame
        One row per quarter, department, indicator and area, columns
        ``quarter`` (period[Q-DEC]), ``department`` (str), ``indicator``
        (str), ``area_code`` (str), ``deadline`` (datetime64: the last day on
        which a submission is on time, at midnight).

    Raises
    ------
    PinganError
        If a column is missing, ``deadline_days`` is not in [0, 366] or a
        quarter is not written ``YYYYQn``.

    Notes
    -----
    An indicator with several departments is owed by each of them, because
    the index sums their submissions.

    Examples
    --------
    >>> catalogue = pd.DataFrame({"indicator": ["SO04", "PO01"],
    ...     "department": ["police", "police|court"]})
    >>> areas = pd.DataFrame({"area_code": ["01", "02"]})
    >>> schedule = build_schedule(catalogue, areas, ["2025Q1"])
    >>> len(schedule), str(schedule["deadline"].iloc[0].date())
    (6, '2025-04-10')
    """
    check_columns(catalogue, ["indicator", "department"], "build_schedule", "catalogue")
    check_columns(areas, ["area_code"], "build_schedule", "areas")
    check_interval("deadline_days", deadline_days, "build_schedule", 0, 366)
    owners = (
        catalogue.assign(department=catalogue["department"].astype(str).str.split("|"))
        .explode("department")
        .assign(department=lambda t: t["department"].str.strip())[
            ["department", "indicator"]
        ]
    )
    periods = pd.DataFrame(
        {"quarter": pd.PeriodIndex([parse_quarter(q) for q in quarters], freq="Q-DEC")}
    )
    periods["deadline"] = [
        quarter_end(q) + pd.Timedelta(days=deadline_days) for q in periods["quarter"]
    ]
    schedule = periods.merge(owners, how="cross").merge(
        areas[["area_code"]].astype(str), how="cross"
    )
    columns = ["quarter", "department", "indicator", "area_code", "deadline"]
    return schedule[columns].sort_values(columns[:4], ignore_index=True)


def read_receipts(
    dataset_root: str | os.PathLike[str], quarter: object
) -> pd.DataFrame:
    """Read a quarter's ``_receipts.csv`` (when each file arrived), if present.

    Parameters
    ----------
    dataset_root : path-like
        The dataset folder ``data/raw/<dataset>``.
    quarter : quarter label or Period
        The quarter whose folder is read.

    Returns
    -------
    pandas.DataFrame
        Columns ``quarter`` (period), ``file`` (str, name in the quarter
        folder), ``department`` (str), ``submitted_at`` (datetime64) and
        ``problem`` (str). A row whose arrival time is empty or not a
        date-time has ``submitted_at`` NaT and, in ``problem``, a message
        naming the file, row, column and value and the accepted formats.
        ``problem`` is ``""`` on the other rows. The frame has no rows when
        the quarter has no receipts file.

    Raises
    ------
    InputError
        If the file cannot be decoded (UTF-8, UTF-8 with BOM or GB 18030)
        or lacks a column.

    Notes
    -----
    Times are parsed by :func:`pingan.periods.parse_date_time`: year first,
    e.g. ``2025-10-07T09:41``, ``2025/10/7`` or ``2025年10月7日``. One bad
    row leaves the arrival of its own file unknown and no other.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "2025Q1").mkdir()
    >>> _ = (root / "2025Q1" / "_receipts.csv").write_text(
    ...     "file,department,submitted_at\\npolice.csv,police,2025-04-12T09:30\\n"
    ...     "court.csv,court,2025年4月9日\\n", encoding="utf-8")
    >>> receipts = read_receipts(root, "2025Q1")
    >>> receipts[["file", "submitted_at"]]
             file        submitted_at
    0  police.csv 2025-04-12 09:30:00
    1   court.csv 2025-04-09 00:00:00
    >>> receipts["problem"].tolist()
    ['', '']
    """
    period = parse_quarter(quarter)
    shown = f"{quarter_label(period)}/_receipts.csv"
    path = Path(dataset_root) / shown
    columns = ["quarter", "file", "department", "submitted_at", "problem"]
    if not path.is_file():
        return pd.DataFrame(
            {
                "quarter": pd.PeriodIndex([], freq="Q-DEC"),
                "file": [],
                "department": [],
                "submitted_at": pd.to_datetime([]),
                "problem": [],
            }
        )
    table = _read_csv_any_encoding(path, shown)
    missing = [c for c in columns[1:4] if c not in table.columns]
    if missing:
        raise InputError(
            Problem(
                f"the receipts file lacks column(s) {', '.join(missing)}.",
                file=shown,
                hint="Use the header file,department,submitted_at.",
            )
        )
    written = table["submitted_at"].fillna("")
    times = pd.to_datetime(written.map(parse_date_time))
    problems = [
        "" if pd.notna(time) else _receipt_problem(shown, i + 2, text, file)
        for i, (time, text, file) in enumerate(
            zip(times, written, table["file"], strict=True)
        )
    ]
    return table.assign(quarter=period, submitted_at=times, problem=problems)[columns]


def _receipt_problem(shown: str, row: int, text: str, file: object) -> str:
    """Write the message for a receipt row whose arrival time cannot be read."""
    failure = "is missing" if not str(text).strip() else "is not a date-time"
    return str(
        Problem(
            f"the arrival time {failure}, so the arrival of {file} is unknown.",
            file=shown,
            row=row,
            column="submitted_at",
            value=text,
            hint=f"Write it year first, e.g. {DATE_TIME_FORMATS}.",
        )
    )


def _read_csv_any_encoding(path: Path, shown: str) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.EmptyDataError, pd.errors.ParserError) as error:
            raise InputError(
                Problem(f"the file cannot be read as CSV: {error}.", file=shown)
            ) from error
    raise InputError(
        Problem(
            "the file is neither UTF-8 nor GB 18030 text.",
            file=shown,
            hint="Save it as UTF-8 CSV.",
        )
    )


def submission_times(
    data: pd.DataFrame, receipts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return when each submitted file arrived.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions with ``quarter``, ``department``, ``source_file``
        and, optionally, ``submitted_at`` (time written in the file).
    receipts : pandas.DataFrame, optional
        Receipts from :func:`read_receipts` (``quarter``, ``file``,
        ``submitted_at``), matched to ``source_file`` by quarter and file name.

    Returns
    -------
    pandas.DataFrame
        One row per quarter, department and source file: ``quarter``,
        ``department``, ``source_file``, ``submitted_at`` (datetime64, NaT when
        unknown: the latest time written in the file, else the receipt).

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "department": "police", "source_file": ["2025Q1/police.csv"]})
    >>> receipts = pd.DataFrame({"quarter": [pd.Period("2025Q1", "Q")],
    ...     "file": ["police.csv"], "submitted_at": [pd.Timestamp("2025-04-12")]})
    >>> submission_times(data, receipts)["submitted_at"].dt.date.tolist()
    [datetime.date(2025, 4, 12)]
    """
    check_columns(data, ["quarter", "department", "source_file"], "submission_times")
    keys = ["quarter", "department", "source_file"]
    if "submitted_at" in data.columns:
        stamped = data.assign(
            submitted_at=pd.to_datetime(data["submitted_at"], errors="coerce")
        )
        files = stamped.groupby(keys, as_index=False)["submitted_at"].max()
    else:
        files = data[keys].drop_duplicates().assign(submitted_at=pd.NaT)
    files = files.reset_index(drop=True)
    if receipts is not None and len(receipts):
        names = files["source_file"].map(lambda f: PurePosixPath(str(f)).name)
        lookup = receipts.groupby(["quarter", "file"])["submitted_at"].max()
        from_receipts = [
            lookup.get((q, n), pd.NaT)
            for q, n in zip(files["quarter"], names, strict=True)
        ]
        files["submitted_at"] = files["submitted_at"].fillna(
            pd.Series(from_receipts, index=files.index, dtype="datetime64[ns]")
        )
    files["submitted_at"] = pd.to_datetime(files["submitted_at"])
    return files[[*keys, "submitted_at"]]


def _status_row(owed: pd.DataFrame, got: pd.DataFrame, files: pd.DataFrame) -> dict:
    deadline = owed["deadline"].iloc[0]
    received = (
        owed.merge(got, on=["indicator", "area_code"], how="left", indicator=True)[
            "_merge"
        ]
        .eq("both")
        .to_numpy()
    )
    missing = owed[~received]
    arrived = files["submitted_at"].max() if len(files) else pd.NaT
    days_late = (arrived.normalize() - deadline).days if pd.notna(arrived) else pd.NA
    row = {
        "deadline": deadline,
        "submitted_at": arrived,
        "days_late": days_late,
        "n_expected": len(owed),
        "n_received": int(received.sum()),
        "n_missing": len(missing),
        "missing_indicators": "|".join(sorted(missing["indicator"].unique())),
        "missing_areas": "|".join(sorted(missing["area_code"].unique())),
        "source_files": "|".join(sorted(files["source_file"].astype(str).unique())),
    }
    row["status"], row["reason"] = _status_of(row)
    return row


def _status_of(row: Mapping[str, object]) -> tuple[str, str]:
    due = f"due {row['deadline']:%Y-%m-%d}"
    if row["n_received"] == 0:
        return "missing", f"No value of the {row['n_expected']} owed arrived ({due})."
    if row["n_missing"]:
        return "incomplete", (
            f"{row['n_missing']} of {row['n_expected']} owed values are missing: "
            f"indicator(s) {row['missing_indicators']} in area(s) "
            f"{row['missing_areas']}."
        )
    if pd.isna(row["days_late"]):
        return (
            "time_unknown",
            f"All values arrived; the arrival time is unknown ({due}).",
        )
    if row["days_late"] > 0:
        return "late", (
            f"Arrived {row['submitted_at']:%Y-%m-%d}, "
            f"{row['days_late']} day(s) after the deadline ({due})."
        )
    return "on_time", f"Arrived {row['submitted_at']:%Y-%m-%d} ({due})."


def submission_status(
    schedule: pd.DataFrame, data: pd.DataFrame, receipts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Compare the schedule with what arrived, per department and quarter.

    Parameters
    ----------
    schedule : pandas.DataFrame
        Output of :func:`build_schedule`.
    data : pandas.DataFrame
        Tidy submissions (``quarter``, ``area_code``, ``indicator``,
        ``department``, ``source_file``, optional ``submitted_at``).
    receipts : pandas.DataFrame, optional
        Arrival times from :func:`read_receipts`.

    Returns
    -------
    pandas.DataFrame
        One row per scheduled quarter and department, columns
        ``STATUS_COLUMNS``: ``quarter``, ``department``, ``deadline``
        (datetime64), ``submitted_at`` (datetime64: the last file's arrival,
        NaT if unknown), ``days_late`` (Int64: calendar days after the
        deadline, zero or negative when on time), ``n_expected``,
        ``n_received``, ``n_missing`` (int: owed values), ``missing_indicators``
        and ``missing_areas`` (str, ids joined by ``|``), ``source_files``
        (str), ``status`` (``on_time``, ``late``, ``incomplete``, ``missing``
        or ``time_unknown``) and ``reason`` (str).

    Raises
    ------
    PinganError
        If ``schedule`` or ``data`` lacks a required column.

    Notes
    -----
    The status is the first that applies of: missing (nothing arrived),
    incomplete (some owed values absent), time_unknown, late, on_time. An
    incomplete submission also keeps its ``days_late``, and a late one is
    counted late by :func:`status_findings` whatever its status. A department
    sending several files is dated by the last file, because its data are
    complete only then. Values for areas or indicators it does not owe are
    ignored here.

    Examples
    --------
    >>> catalogue = pd.DataFrame({"indicator": ["SO04"], "department": ["police"]})
    >>> areas = pd.DataFrame({"area_code": ["01", "02"]})
    >>> schedule = build_schedule(catalogue, areas, ["2025Q1"])
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "area_code": ["01"], "indicator": ["SO04"], "department": ["police"],
    ...     "source_file": ["2025Q1/police.csv"], "submitted_at": ["2025-04-15"]})
    >>> submission_status(schedule, data)[["status", "days_late", "missing_areas"]]
           status  days_late missing_areas
    0  incomplete          5            02
    """
    check_columns(
        schedule,
        ["quarter", "department", "indicator", "area_code", "deadline"],
        "submission_status",
        "schedule",
    )
    check_columns(
        data,
        ["quarter", "area_code", "indicator", "department", "source_file"],
        "submission_status",
    )
    times = submission_times(data, receipts)
    rows = []
    for (quarter, department), owed in schedule.groupby(["quarter", "department"]):
        mask = (data["quarter"] == quarter) & (data["department"] == department)
        got = data.loc[mask, ["indicator", "area_code"]].drop_duplicates()
        files = times[
            (times["quarter"] == quarter) & (times["department"] == department)
        ]
        rows.append(
            {
                "quarter": quarter,
                "department": department,
                **_status_row(owed, got, files),
            }
        )
    status = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    status["days_late"] = status["days_late"].astype("Int64")
    return status


def _owed_findings(
    status_row: pd.Series, owed: pd.DataFrame, got: pd.DataFrame
) -> list:
    merged = owed.merge(got, on=["indicator", "area_code"], how="left", indicator=True)
    absent = merged[merged["_merge"] == "left_only"]
    rule = (
        "missing_submission"
        if status_row["status"] == "missing"
        else ("incomplete_submission")
    )
    records = []
    for indicator, rows in absent.groupby("indicator"):
        areas = sorted(rows["area_code"])
        records.append(
            {
                "rule": rule,
                "check": "submission",
                "severity": "error",
                "deduction_type": "omitted",
                "quarter": status_row["quarter"],
                "department": status_row["department"],
                "indicator": indicator,
                "n_items": len(areas),
                "history": f"owed areas missing: {'|'.join(areas)}",
                "reason": (
                    f"{indicator} is missing for {len(areas)} of "
                    f"{len(owed[owed['indicator'] == indicator])} area(s) "
                    f"(due {status_row['deadline']:%Y-%m-%d})."
                ),
            }
        )
    return records


def status_findings(
    status: pd.DataFrame, schedule: pd.DataFrame, data: pd.DataFrame
) -> pd.DataFrame:
    """Turn the submission status into findings for the negative list.

    Parameters
    ----------
    status : pandas.DataFrame
        Output of :func:`submission_status`.
    schedule : pandas.DataFrame
        Output of :func:`build_schedule`.
    data : pandas.DataFrame
        Tidy submissions.

    Returns
    -------
    pandas.DataFrame
        Findings table with ``check`` = ``submission``:
        ``missing_submission`` and ``incomplete_submission`` (one per
        department, quarter and indicator, deduction type ``omitted``,
        ``n_items`` = the number of areas without a value, which are listed
        in ``history``), and ``late_submission`` (one per department and
        quarter with ``days_late > 0``, deduction type ``late``).

    Examples
    --------
    >>> catalogue = pd.DataFrame({"indicator": ["SO04"], "department": ["police"]})
    >>> schedule = build_schedule(catalogue, pd.DataFrame({"area_code": ["01", "02"]}),
    ...     ["2025Q1"])
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "area_code": ["01"], "indicator": ["SO04"], "department": ["police"],
    ...     "source_file": ["2025Q1/police.csv"], "submitted_at": ["2025-04-15"]})
    >>> status = submission_status(schedule, data)
    >>> status_findings(status, schedule, data)[["rule", "n_items"]]
                        rule  n_items
    0  incomplete_submission        1
    1        late_submission        1
    """
    records = []
    for _, row in status.iterrows():
        key = (schedule["quarter"] == row["quarter"]) & (
            schedule["department"] == row["department"]
        )
        mask = (data["quarter"] == row["quarter"]) & (
            data["department"] == row["department"]
        )
        got = data.loc[mask, ["indicator", "area_code"]].drop_duplicates()
        records += _owed_findings(row, schedule[key], got)
        if pd.notna(row["days_late"]) and row["days_late"] > 0:
            records.append(
                {
                    "rule": "late_submission",
                    "check": "submission",
                    "severity": "warning",
                    "deduction_type": "late",
                    "quarter": row["quarter"],
                    "department": row["department"],
                    "source_file": row["source_files"],
                    "history": f"deadline {row['deadline']:%Y-%m-%d}; arrived "
                    f"{row['submitted_at']:%Y-%m-%d %H:%M}",
                    "reason": f"The data arrived {row['days_late']} day(s) after the "
                    f"deadline of {row['deadline']:%Y-%m-%d}.",
                }
            )
    return make_findings(records)


def _use_cjk_font() -> None:
    """Select a CJK font via ``pingan.plotting`` when that module is available."""
    try:
        from pingan.plotting import use_cjk_font
    except ImportError:  # Chinese labels then fall back to matplotlib's default font
        return
    use_cjk_font()


def plot_submission_status(
    status: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    language: str = "zh",
) -> Axes:
    """Draw a department x quarter grid coloured by submission status.

    Parameters
    ----------
    status : pandas.DataFrame
        Output of :func:`submission_status`.
    labels : mapping of str to str, optional
        Display names of the departments (for example their ``name_zh``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when absent.
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and cell texts.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. Each cell shows the status (in Chinese 按时, 迟报 and the
        days late, 不全, 未报, 时间不明; in English on time, late and the days
        late, incomplete, missing, time unknown).

    Examples
    --------
    >>> status = pd.DataFrame({"quarter": [pd.Period("2025Q1", "Q")],
    ...     "department": ["police"], "status": ["late"], "days_late": [3]})
    >>> plot_submission_status(status).get_title()
    '报送情况'
    >>> plot_submission_status(status, language="en").texts[0].get_text()
    'late 3 d'
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from pingan.i18n import check_language, label

    check_language(language)
    _use_cjk_font()
    codes = list(_STATUS_COLOURS)
    grid = status.pivot(index="department", columns="quarter", values="status")
    late = status.pivot(index="department", columns="quarter", values="days_late")
    if ax is None:
        _, ax = plt.subplots(
            figsize=(1.2 + 0.9 * grid.shape[1], 0.9 + 0.45 * len(grid))
        )
    numbers = grid.apply(lambda col: col.map(codes.index)).to_numpy(dtype=float)
    ax.imshow(
        numbers,
        cmap=ListedColormap(list(_STATUS_COLOURS.values())),
        vmin=-0.5,
        vmax=len(codes) - 0.5,
        aspect="auto",
    )
    for (i, j), code in np.ndenumerate(grid.to_numpy()):
        text = label(f"status.{code}", language) if code in _STATUS_COLOURS else ""
        if code == "late":
            text = f"{text} {label('fig_days', language, days=late.iat[i, j])}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8)
    names = [labels.get(d, d) if labels else d for d in grid.index]
    ax.set_yticks(range(len(grid)), names)
    ax.set_xticks(range(grid.shape[1]), [str(q) for q in grid.columns])
    ax.set_xlabel(label("quarter", language))
    ax.set_ylabel(label("department", language))
    ax.set_title(label("fig_submissions", language))
    return ax
