"""Actions on flagged values: exclude them, keep them flagged, or impute them.

Each rule has a configured action. Applying the actions to the tidy
submissions gives the cleaned table the index is computed from, and a log of
every value affected, so the index report can state which values were
changed and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_interval
from pingan.quality._findings import format_history
from pingan.quality.checks import TIDY_COLUMNS
from pingan.quality.rules import default_rules

__all__ = ["ACTION_COLUMNS", "ActionResult", "rule_actions", "apply_actions"]

ACTION_COLUMNS = [
    "quarter",
    "area_code",
    "indicator",
    "department",
    "source_file",
    "source_row",
    "rule",
    "finding_ids",
    "action",
    "old_value",
    "new_value",
    "reason",
]
_STRENGTH = {"flag": 0, "impute": 1, "exclude": 2}
_VALUE_KEY = [
    "quarter",
    "area_code",
    "indicator",
    "department",
    "source_file",
    "source_row",
]


@dataclass(frozen=True)
class ActionResult:
    """The cleaned submissions and the log of the values the actions affected.

    Attributes
    ----------
    data : pandas.DataFrame
        The tidy submissions without excluded rows, imputed values replaced,
        and two added columns: ``quality_action`` (``flag`` or ``impute``, NaN
        when untouched) and ``quality_rule`` (rule ids joined by ``|``).
    actions : pandas.DataFrame
        One row per affected value, columns ``ACTION_COLUMNS``.
    """

    data: pd.DataFrame
    actions: pd.DataFrame


def rule_actions(rules: Mapping | None = None) -> dict[str, str]:
    """Return the action of every rule id: the ``actions`` map and consistency rules.

    Parameters
    ----------
    rules : mapping, optional
        Rules from :func:`pingan.quality.load_quality_rules`; default the
        package's rules.

    Returns
    -------
    dict of str to str
        Rule id to ``exclude``, ``flag`` or ``impute``. A consistency rule
        without ``action`` is ``flag``; an entry in ``actions`` wins over the
        rule's own.

    Examples
    --------
    >>> actions = rule_actions()
    >>> actions["unit_error"], actions["fraud_loss_without_case"]
    ('impute', 'flag')
    """
    rules = rules or default_rules()
    actions = dict(rules.get("actions") or {})
    for rule in rules.get("consistency") or []:
        actions.setdefault(rule["id"], rule.get("action", "flag"))
    return actions


def _value_findings(findings: pd.DataFrame, actions: Mapping[str, str]) -> pd.DataFrame:
    """Keep findings about one submitted value, one row per value with its action."""
    located = findings.dropna(
        subset=["area_code", "indicator", "department", "source_file", "source_row"]
    )
    located = located.assign(action=located["rule"].map(actions).fillna("flag"))
    located["strength"] = located["action"].map(_STRENGTH)
    return (
        located.groupby(_VALUE_KEY, sort=True)
        .agg(
            rule=("rule", "|".join),
            finding_ids=("finding_id", "|".join),
            strength=("strength", "max"),
        )
        .reset_index()
        .assign(
            action=lambda t: t["strength"].map({v: k for k, v in _STRENGTH.items()})
        )
    )


def _imputed(
    data: pd.DataFrame, excluded: pd.Index, row: pd.Series, quarters: int
) -> tuple[float, str]:
    """Return the median of the series' last ``quarters`` usable values and a note."""
    same = (
        (data["area_code"] == row["area_code"])
        & (data["indicator"] == row["indicator"])
        & (data["department"] == row["department"])
    )
    window = (data["quarter"] < row["quarter"]) & (
        data["quarter"] >= row["quarter"] - quarters
    )
    history = data[same & window & ~data.index.isin(excluded)].sort_values("quarter")
    if history.empty:
        return np.nan, f"no usable value in the previous {quarters} quarters"
    median = float(history["value"].median())
    return median, (
        f"median of the previous {quarters} quarters' values "
        f"({format_history(history['quarter'], history['value'])})"
    )


def _log_row(row: pd.Series, action: str, new_value: float, reason: str) -> dict:
    entry = {name: row[name] for name in _VALUE_KEY}
    entry.update(
        rule=row["rule"],
        finding_ids=row["finding_ids"],
        action=action,
        old_value=row["value"],
        new_value=new_value,
        reason=reason,
    )
    return entry


def apply_actions(
    data: pd.DataFrame,
    findings: pd.DataFrame,
    rules: Mapping | None = None,
    impute_quarters: int = 4,
) -> ActionResult:
    """Apply each rule's action to the values its findings point at.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions (``TIDY_COLUMNS``), including the history quarters
        that imputation draws on.
    findings : pandas.DataFrame
        Findings table. Only findings about one submitted value (area,
        indicator, department, file and row all known) act on data.
    rules : mapping, optional
        Rules whose ``actions`` map and consistency rules give each rule's
        action; a rule without one is ``flag``.
    impute_quarters : int, default=4
        Quarters of the series' own history whose median replaces an imputed
        value.

    Returns
    -------
    ActionResult
        ``data``: the cleaned table; ``actions``: one row per affected value
        with ``quarter``, ``area_code``, ``indicator``, ``department``,
        ``source_file``, ``source_row``, ``rule`` and ``finding_ids`` (joined
        by ``|``), ``action`` (``exclude``, ``flag`` or ``impute``),
        ``old_value``, ``new_value`` (float; NaN when excluded) and ``reason``.

    Raises
    ------
    PinganError
        If a column is missing or ``impute_quarters`` is not in [1, 40].

    Notes
    -----
    A value with several findings takes the strongest action: exclude, then
    impute, then flag. The imputed value is the median of the same area,
    indicator and department over the ``impute_quarters`` quarters before,
    leaving out values that are themselves excluded or imputed. With no such
    value the value is excluded and the log says why. Raw files are never
    touched; only the returned table differs.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": [f"{p}/police.csv" for p in q], "source_row": 2})
    >>> findings = pd.DataFrame({"finding_id": ["F0001"], "rule": ["unit_error"],
    ...     "quarter": [q[-1]], "area_code": ["01"], "indicator": ["SO05"],
    ...     "department": ["police"], "source_file": ["2025Q1/police.csv"],
    ...     "source_row": [2]})
    >>> result = apply_actions(data, findings)
    >>> result.actions[["action", "old_value", "new_value"]]
       action  old_value  new_value
    0  impute   392000.0       37.0
    """
    check_columns(data, TIDY_COLUMNS, "apply_actions")
    check_columns(
        findings, ["finding_id", "rule", *_VALUE_KEY], "apply_actions", "findings"
    )
    check_interval("impute_quarters", impute_quarters, "apply_actions", 1, 40)
    values = _value_findings(findings, rule_actions(rules))
    table = data.reset_index(drop=True).merge(values, on=_VALUE_KEY, how="left")
    touched = table.index[table["action"].isin(["exclude", "impute"])]
    log, drop = [], []
    for index, row in table[table["action"].notna()].iterrows():
        new_value, reason, action = row["value"], "kept and flagged", row["action"]
        if action == "impute":
            new_value, reason = _imputed(table, touched, row, impute_quarters)
            if np.isnan(new_value):
                action, reason = "exclude", f"not imputed ({reason}), so excluded"
        elif action == "exclude":
            new_value, reason = np.nan, "excluded from the index"
        if action == "exclude":
            drop.append(index)
        table.loc[index, ["value", "action"]] = [new_value, action]
        log.append(_log_row(row, action, new_value, reason))
    cleaned = table.drop(index=drop).rename(
        columns={"action": "quality_action", "rule": "quality_rule"}
    )
    cleaned = cleaned.drop(columns=["finding_ids", "strength"]).reset_index(drop=True)
    return ActionResult(data=cleaned, actions=pd.DataFrame(log, columns=ACTION_COLUMNS))
