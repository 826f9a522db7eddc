"""The warnings register: rectification status of every warning, quarter by quarter.

The register is an append-only table with one row per warning and quarter
checked. A warning enters it as ``open`` in the quarter it is raised. Each
later quarter adds one row per warning not yet closed, with a status decided
from that quarter's checks table (see :func:`decide_status`). Rows of earlier
quarters are never changed: re-running the latest quarter with the same data
leaves the register as it was, and different data for an already-checked
quarter raises unless the caller asks for a replacement.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_option
from pingan.alerts.rules import LEVELS, load_rules
from pingan.exceptions import PinganError, PinganWarning
from pingan.io import write_table
from pingan.periods import parse_quarter, quarter_label

__all__ = [
    "REGISTER_COLUMNS",
    "STATUSES",
    "read_register",
    "write_register",
    "decide_status",
    "update_register",
    "latest_status",
    "summarise_register",
]

STATUSES = ("open", "improved", "persisting", "escalated", "closed")
REGISTER_COLUMNS = [
    "warning_id",
    "condition",
    "quarter_raised",
    "recipient_type",
    "recipient_id",
    "rule",
    "subject",
    "quarter_checked",
    "status",
    "level",
    "condition_holds",
    "metric",
    "better",
]
_TEXT = [
    c for c in REGISTER_COLUMNS if c not in ("condition_holds", "metric", "better")
]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in REGISTER_COLUMNS})
    return frame.astype({"metric": float, "better": "Int64"})


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the register columns their dtypes (text, bool-or-NA, float, Int64)."""
    holds = frame["condition_holds"].map(
        {True: True, False: False, "True": True, "False": False}
    )
    return frame.assign(
        **{c: frame[c].fillna("").astype(str) for c in _TEXT},
        condition_holds=holds.astype(object).where(holds.notna(), None),
        metric=pd.to_numeric(frame["metric"], errors="coerce").astype(float),
        better=pd.to_numeric(frame["better"], errors="coerce").astype("Int64"),
    )[REGISTER_COLUMNS]


def read_register(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a warnings register CSV; a missing file gives an empty register.

    Parameters
    ----------
    path : str or path-like
        The register, usually
        ``data/processed/<dataset>/warnings_register.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REGISTER_COLUMNS`: text ids and quarter labels,
        ``condition_holds`` (bool, or None when the quarter had no value),
        ``metric`` (float) and ``better`` (Int64, +1 or -1).

    Raises
    ------
    PinganError
        If the file lacks a register column.

    Examples
    --------
    >>> read_register("/nonexistent/warnings_register.csv").shape
    (0, 13)
    """
    path = Path(path)
    if not path.is_file():
        return _empty()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    check_columns(frame, REGISTER_COLUMNS, "read_register", what=str(path))
    return _typed(frame)


def write_register(register: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the register atomically as UTF-8 CSV.

    Parameters
    ----------
    register : pandas.DataFrame
        A register with :data:`REGISTER_COLUMNS`; other columns are dropped.
    path : str or path-like
        Destination, usually ``data/processed/<dataset>/warnings_register.csv``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    PinganError
        If a register column is missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "warnings_register.csv"
    >>> read_register(write_register(read_register(out), out)).shape
    (0, 13)
    """
    check_columns(register, REGISTER_COLUMNS, "write_register", what="register")
    return write_table(register[REGISTER_COLUMNS], path)


def decide_status(
    history: pd.DataFrame,
    holds: bool | None,
    metric: float,
    level: str,
    close_after: int = 2,
    tolerance: float = 1e-9,
) -> str:
    """Decide a tracked warning's status in a new quarter.

    Parameters
    ----------
    history : pandas.DataFrame
        The warning's earlier register rows, oldest first (at least the
        ``open`` row), with ``condition_holds``, ``metric``, ``better`` and
        ``level``.
    holds : bool or None
        Whether the triggering condition holds in the new quarter (None when
        the quarter has no value for it).
    metric : float
        The warning's metric in the new quarter.
    level : str
        The level the rule gives in the new quarter.
    close_after : int, default=2
        Quarters in a row without the condition needed to close.
    tolerance : float, default=1e-9
        Smallest metric change, in the metric's units, that counts as a move.

    Returns
    -------
    str
        ``closed``, ``escalated``, ``improved`` or ``persisting``.

    Notes
    -----
    The first matching rule decides:

    1. ``closed``: the condition is absent now and in the
       ``close_after - 1`` quarters checked before;
    2. ``escalated``: the condition holds and its level is higher than at the
       last check (the escalation ladder moved);
    3. ``improved``: the condition is absent now (but not yet long enough to
       close), or it holds and the metric moved the right way by more than
       ``tolerance`` since the last check;
    4. ``persisting``: otherwise, including a missing value.

    Examples
    --------
    >>> history = pd.DataFrame({"condition_holds": [True], "metric": [50.0],
    ...     "better": [1], "level": ["warning"]})
    >>> decide_status(history, True, 52.0, "warning")
    'improved'
    >>> decide_status(history, True, 49.0, "interview")
    'escalated'
    """
    previous = history.iloc[-1]
    if holds is not None and not bool(holds):
        recent = history["condition_holds"].tail(close_after - 1).tolist()
        absent = [r is not None and not pd.isna(r) and not bool(r) for r in recent]
        if len(recent) == close_after - 1 and all(absent):
            return "closed"
        return "improved"
    if holds is None or np.isnan(metric):
        return "persisting"
    if LEVELS.index(level) > LEVELS.index(previous["level"]):
        return "escalated"
    move = (metric - previous["metric"]) * int(previous["better"])
    return "improved" if move > tolerance else "persisting"


def _follow_up(
    prior: pd.DataFrame, checks: pd.DataFrame, label: str, cfg: dict
) -> list[dict]:
    """Build one row per warning still tracked before ``label``."""
    now = checks.set_index("condition")
    rows = []
    for _, history in prior.groupby("warning_id", sort=True):
        last = history.iloc[-1]
        if last["status"] == "closed":
            continue
        found = last["condition"] in now.index
        holds = bool(now.at[last["condition"], "triggered"]) if found else None
        metric = float(now.at[last["condition"], "metric"]) if found else np.nan
        level = now.at[last["condition"], "level"] if holds else last["level"]
        status = decide_status(
            history, holds, metric, level, cfg["close_after"], cfg["tolerance"]
        )
        rows.append(
            {
                **last.to_dict(),
                "quarter_checked": label,
                "status": status,
                "level": level,
                "condition_holds": holds,
                "metric": metric,
            }
        )
    return rows


def _new_rows(checks: pd.DataFrame, tracked: set[str], label: str) -> list[dict]:
    """Build an ``open`` row per triggered condition no tracked warning covers."""
    fired = checks[
        checks["triggered"].astype(bool) & ~checks["condition"].isin(tracked)
    ]
    fired = fired.sort_values("warning_id")
    return [
        {
            "warning_id": r.warning_id,
            "condition": r.condition,
            "quarter_raised": label,
            "recipient_type": r.recipient_type,
            "recipient_id": r.recipient_id,
            "rule": r.rule,
            "subject": r.subject,
            "quarter_checked": label,
            "status": "open",
            "level": r.level,
            "condition_holds": True,
            "metric": float(r.metric),
            "better": int(r.better),
        }
        for r in fired.itertuples()
    ]


def _rows_for(
    register: pd.DataFrame, checks: pd.DataFrame, label: str, cfg: dict
) -> pd.DataFrame:
    """Compute the register rows of quarter ``label`` from earlier quarters' rows."""
    checked = register["quarter_checked"].map(parse_quarter)
    prior = register[checked < parse_quarter(label)]
    follow = _follow_up(prior, checks, label, cfg)
    tracked = {r["condition"] for r in follow if r["status"] != "closed"}
    rows = follow + _new_rows(checks, tracked, label)
    return _typed(pd.DataFrame(rows, columns=REGISTER_COLUMNS)) if rows else _empty()


def update_register(
    register: pd.DataFrame,
    checks: pd.DataFrame,
    quarter: str | pd.Period,
    rules: dict | None = None,
    rerun: Literal["error", "replace"] = "error",
) -> pd.DataFrame:
    """Append one quarter's status rows to the register.

    Parameters
    ----------
    register : pandas.DataFrame
        The register so far (:func:`read_register`); it is not modified.
    checks : pandas.DataFrame
        The quarter's checks table from
        :func:`pingan.alerts.rules.evaluate_rules`, untriggered rows included
        (they give the metric of warnings whose condition no longer holds).
    quarter : str or pandas.Period
        The quarter checked.
    rules : dict, optional
        Rules from :func:`pingan.alerts.rules.load_rules`; its ``register``
        section sets ``close_after`` and ``tolerance``.
    rerun : {"error", "replace"}, default="error"
        What to do when the register already has rows for ``quarter`` that
        differ from the new ones: raise, or replace them (only allowed for
        the latest quarter checked) with a :class:`PinganWarning`.

    Returns
    -------
    pandas.DataFrame
        The register with :data:`REGISTER_COLUMNS`: the earlier rows
        unchanged, then the rows of ``quarter`` sorted by warning id. It is
        ``register`` itself, row for row, when ``quarter`` was already
        checked with the same result.

    Raises
    ------
    PinganError
        If ``quarter`` was already checked with a different result and
        ``rerun="error"``, or if it is earlier than a later checked quarter.

    Notes
    -----
    A new warning is registered only for a triggered condition that no
    unclosed warning tracks. A condition that keeps holding stays under the
    id of the quarter it was first raised in; once closed, a recurrence is a
    new warning. Statuses follow :func:`decide_status`.

    Examples
    --------
    >>> checks = pd.DataFrame({"warning_id": ["2025Q1-A-grade_red"],
    ...     "condition": ["A-grade_red"], "recipient_type": ["area"],
    ...     "recipient_id": ["A"], "rule": ["grade_red"], "subject": [""],
    ...     "level": ["warning"], "triggered": [True], "metric": [55.0],
    ...     "better": [1]})
    >>> reg = update_register(read_register("/nonexistent.csv"), checks, "2025Q1")
    >>> later = checks.assign(triggered=False, metric=70.0)
    >>> reg = update_register(reg, later, "2025Q2")
    >>> reg = update_register(reg, later, "2025Q3")
    >>> reg[["quarter_checked", "status", "metric"]]
      quarter_checked    status  metric
    0          2025Q1      open    55.0
    1          2025Q2  improved    70.0
    2          2025Q3    closed    70.0
    """
    func = "update_register"
    check_columns(register, REGISTER_COLUMNS, func, what="register")
    check_columns(
        checks,
        ["condition", "warning_id", "triggered", "metric", "level"],
        func,
        "checks",
    )
    check_option("rerun", rerun, ["error", "replace"], func)
    label = quarter_label(parse_quarter(quarter))
    cfg = (load_rules() if rules is None else rules)["register"]
    register = _typed(register)
    new = _rows_for(register, checks, label, cfg)
    return _append(register, new, label, rerun)


def _append(
    register: pd.DataFrame, new: pd.DataFrame, label: str, rerun: str
) -> pd.DataFrame:
    """Append ``new``, or handle a quarter already checked (see `update_register`)."""
    existing = register[register["quarter_checked"] == label]
    if (
        existing.empty
        and not (
            register["quarter_checked"].map(parse_quarter) > parse_quarter(label)
        ).any()
    ):
        return pd.concat([register, new], ignore_index=True) if len(new) else register
    if existing.reset_index(drop=True).equals(new.reset_index(drop=True)):
        return register
    later = register["quarter_checked"].map(parse_quarter) > parse_quarter(label)
    if rerun == "error" or later.any():
        raise PinganError(
            f"update_register: the register already has different rows for {label}"
            + (" and rows for later quarters" if later.any() else "")
            + "; pass rerun='replace' to replace the latest quarter's rows, or restore "
            "the register from its backup."
        )
    warnings.warn(
        f"update_register: replaced the register rows of {label}.",
        PinganWarning,
        stacklevel=3,
    )
    return pd.concat(
        [register[register["quarter_checked"] != label], new], ignore_index=True
    )


def latest_status(register: pd.DataFrame) -> pd.DataFrame:
    """Return each warning's latest register row, with its time to close.

    Parameters
    ----------
    register : pandas.DataFrame
        A register from :func:`read_register` or :func:`update_register`.

    Returns
    -------
    pandas.DataFrame
        One row per warning: the columns of :data:`REGISTER_COLUMNS` from
        its latest row, plus ``checks`` (int, quarters checked after it was
        raised) and ``quarters_to_close`` (float, quarters from raising to
        the quarter it closed; NaN while not closed).

    Examples
    --------
    >>> reg = pd.DataFrame({"warning_id": ["w", "w", "w"],
    ...     "quarter_raised": ["2025Q1"] * 3,
    ...     "quarter_checked": ["2025Q1", "2025Q2", "2025Q3"],
    ...     "status": ["open", "improved", "closed"]})
    >>> latest_status(reg)[["warning_id", "status", "quarters_to_close"]]
      warning_id  status  quarters_to_close
    0          w  closed                2.0
    """
    check_columns(
        register,
        ["warning_id", "quarter_raised", "quarter_checked", "status"],
        "latest_status",
        what="register",
    )
    last = register.groupby("warning_id", sort=True).tail(1).set_index("warning_id")
    checks = register.groupby("warning_id").size() - 1
    raised = last["quarter_raised"].map(parse_quarter)
    checked = last["quarter_checked"].map(parse_quarter)
    elapsed = [(c - r).n for c, r in zip(checked, raised, strict=True)]
    closed = last["status"] == "closed"
    return (
        last.assign(
            checks=checks.reindex(last.index).astype(int),
            quarters_to_close=pd.Series(elapsed, index=last.index, dtype=float).where(
                closed
            ),
        )
        .sort_index()
        .reset_index()
    )


def summarise_register(register: pd.DataFrame) -> pd.DataFrame:
    """Count warnings by rule and latest status, and how long closing took.

    Parameters
    ----------
    register : pandas.DataFrame
        A register from :func:`read_register` or :func:`update_register`.

    Returns
    -------
    pandas.DataFrame
        One row per rule and a last row ``rule='all'``, with ``raised``
        (int), one int column per status in :data:`STATUSES` counting the
        warnings whose latest status it is, and ``mean_quarters_to_close``
        and ``max_quarters_to_close`` (float, NaN when none closed).

    Examples
    --------
    >>> reg = pd.DataFrame({"warning_id": ["w", "w", "v"], "rule": ["grade_red"] * 3,
    ...     "quarter_raised": ["2025Q1", "2025Q1", "2025Q2"],
    ...     "quarter_checked": ["2025Q1", "2025Q3", "2025Q2"],
    ...     "status": ["open", "closed", "open"]})
    >>> summary = summarise_register(reg)
    >>> summary[["rule", "raised", "open", "closed", "mean_quarters_to_close"]]
            rule  raised  open  closed  mean_quarters_to_close
    0  grade_red       2     1       1                     2.0
    1        all       2     1       1                     2.0
    """
    latest = latest_status(register)
    latest = pd.concat([latest, latest.assign(rule="all")], ignore_index=True)
    counts = pd.crosstab(latest["rule"], latest["status"]).reindex(
        columns=list(STATUSES), fill_value=0
    )
    timing = latest.groupby("rule")["quarters_to_close"].agg(["mean", "max"])
    summary = counts.assign(raised=counts.sum(axis=1)).join(
        timing.rename(
            columns={"mean": "mean_quarters_to_close", "max": "max_quarters_to_close"}
        )
    )
    order = sorted(r for r in summary.index if r != "all") + ["all"]
    summary = summary.reindex(order).rename_axis("rule").reset_index()
    return summary[
        ["rule", "raised", *STATUSES, "mean_quarters_to_close", "max_quarters_to_close"]
    ]
