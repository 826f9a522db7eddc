"""Quality rules: loading the rules file and checking cross-source consistency.

The rules file (YAML) contains the negative list's deductions and grade
thresholds, the action taken on each rule's findings, the parameters of the
checks, and consistency rules that compare indicators of one area and
quarter, such as fraud losses reported where no fraud case is reported. The
package default is ``pingan/data/quality_rules.yaml``; a dataset may override
it in ``data/raw/<dataset>/rules/quality.yaml``.
"""

from __future__ import annotations

import copy
import keyword
import os
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from pingan._validation import check_columns
from pingan.exceptions import InputError, PinganError, Problem
from pingan.quality._findings import DEDUCTION_TYPES, SEVERITIES, make_findings

__all__ = [
    "ACTIONS",
    "default_rules",
    "load_quality_rules",
    "merge_rules",
    "expression_names",
    "wide_by_area",
    "consistency_status",
    "check_consistency",
]

ACTIONS = ("exclude", "flag", "impute")

# Tokens a consistency expression may contain. Anything else is rejected before
# pandas evaluates the expression, so no attribute access, call or subscript
# reaches it.
_TOKEN = re.compile(
    r"\s*(?:(?P<name>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)))"
)
_KEYWORDS = {"and", "or", "not"}


def default_rules() -> dict:
    """Return the package's default rules (a fresh copy of the YAML mapping).

    Examples
    --------
    >>> default_rules()["deductions"]["points"]["falsified"]
    5
    """
    text = (
        resources.files("pingan")
        .joinpath("data/quality_rules.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def merge_rules(base: dict, override: dict) -> dict:
    """Merge an override into rules: mappings key by key, consistency rules by id.

    Examples
    --------
    >>> merged = merge_rules(default_rules(), {"grades": {"yellow": 80}})
    >>> merged["grades"]["green"], merged["grades"]["yellow"]
    (95, 80)
    """
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if key == "consistency":
            merged[key] = _merge_consistency(merged.get(key) or [], value or [])
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_rules(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merge_consistency(base: list[dict], override: list[dict]) -> list[dict]:
    by_id = {rule["id"]: rule for rule in base}
    for rule in override:
        by_id[rule["id"]] = {**by_id.get(rule["id"], {}), **rule}
    return [rule for rule in by_id.values() if rule.get("enabled", True)]


def load_quality_rules(
    path: str | os.PathLike[str] | None = None,
    dataset_root: str | os.PathLike[str] | None = None,
) -> dict:
    """Load the quality rules: package defaults, then a dataset's override.

    Parameters
    ----------
    path : path-like, optional
        A rules file merged over the defaults. When absent, the dataset's
        ``rules/quality.yaml`` under ``dataset_root`` is used if it exists.
    dataset_root : path-like, optional
        The dataset folder ``data/raw/<dataset>``. Its ``dataset.yaml`` key
        ``submission_deadline_days``, when present, sets ``deadline_days``
        unless the rules file sets it too.

    Returns
    -------
    dict
        The merged rules, validated: keys ``deadline_days``, ``deductions``,
        ``grades``, ``actions``, ``checks``, ``consistency``.

    Raises
    ------
    InputError
        If the file is not valid YAML or an entry is invalid (an unknown
        action, severity or deduction type, a consistency rule without
        ``id``, ``when`` or ``flag``, or a forbidden token in ``when``).

    Examples
    --------
    >>> rules = load_quality_rules()
    >>> rules["actions"]["unit_error"], rules["deadline_days"]
    ('impute', 10)
    """
    rules = default_rules()
    if dataset_root is not None:
        rules = merge_rules(rules, _dataset_deadline(Path(dataset_root)))
    if path is None and dataset_root is not None:
        candidate = Path(dataset_root) / "rules" / "quality.yaml"
        path = candidate if candidate.is_file() else None
    if path is not None:
        rules = merge_rules(rules, _read_yaml(Path(path)))
    _validate_rules(rules, str(path) if path else "the default rules")
    return rules


def _dataset_deadline(root: Path) -> dict:
    """Return ``{"deadline_days": n}`` from ``dataset.yaml``, or ``{}``."""
    meta_path = root / "dataset.yaml"
    meta = _read_yaml(meta_path) if meta_path.is_file() else {}
    days = meta.get("submission_deadline_days")
    return {} if days is None else {"deadline_days": int(days)}


def _read_yaml(path: Path) -> dict:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError(
            Problem(
                f"the rules file is not valid YAML: {error}",
                file=str(path),
                hint="Fix the YAML syntax.",
            )
        ) from error
    if loaded is not None and not isinstance(loaded, dict):
        raise InputError(
            Problem("the rules file must hold a mapping at the top.", file=str(path))
        )
    return loaded or {}


def _validate_rules(rules: dict, source: str) -> None:
    problems = []
    for rule, action in (rules.get("actions") or {}).items():
        if action not in ACTIONS:
            problems.append(
                Problem(
                    f"action of rule {rule!r} must be one of {', '.join(ACTIONS)}",
                    file=source,
                    value=action,
                )
            )
    for rule, name in (rules.get("deduction_types") or {}).items():
        if name not in DEDUCTION_TYPES:
            problems.append(
                Problem(
                    f"deduction type of rule {rule!r} must be one of "
                    f"{', '.join(DEDUCTION_TYPES)}",
                    file=source,
                    value=name,
                )
            )
    for name in rules["deductions"]["points"]:
        if name not in DEDUCTION_TYPES:
            problems.append(
                Problem(
                    f"unknown deduction type; use one of {', '.join(DEDUCTION_TYPES)}",
                    file=source,
                    value=name,
                )
            )
    for rule in rules.get("consistency") or []:
        problems += _consistency_problems(rule, source)
    if problems:
        raise InputError(problems)


def _consistency_problems(rule: dict, source: str) -> list[Problem]:
    missing = [key for key in ("id", "when", "flag") if not rule.get(key)]
    if missing:
        return [
            Problem(
                f"consistency rule lacks {', '.join(missing)}",
                file=source,
                value=rule.get("id"),
            )
        ]
    problems = []
    checks = [
        ("severity", SEVERITIES),
        ("deduction", DEDUCTION_TYPES),
        ("action", ACTIONS),
    ]
    for key, allowed in checks:
        if key in rule and rule[key] not in allowed:
            problems.append(
                Problem(
                    f"{key} of rule {rule['id']!r} must be one of {', '.join(allowed)}",
                    file=source,
                    value=rule[key],
                )
            )
    try:
        expression_names(rule["when"])
    except PinganError as error:
        problems.append(Problem(str(error), file=source, value=rule["when"]))
    return problems


def expression_names(expression: str) -> list[str]:
    """Return the indicator ids an expression uses; raise on any other token.

    Examples
    --------
    >>> expression_names("SO05 > 0 and `fraud cases` == 0")
    ['SO05', 'fraud cases']
    >>> expression_names("SO05.__class__")
    Traceback (most recent call last):
    ...
    pingan.exceptions.PinganError: expression_names: 'SO05.__class__' ...
    """
    names, position = [], 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        bad = (
            match is None
            or match.end() == position
            or (
                match["name"] is not None
                and match["name"] not in _KEYWORDS
                and keyword.iskeyword(match["name"])
            )
        )
        if bad:
            raise PinganError(
                f"expression_names: {expression!r} contains {text[position:]!r}, "
                f"which is not allowed; use indicator ids, numbers, + - * / ( ), "
                f"comparisons and and/or/not."
            )
        name = match["name"]
        if name is not None and name not in _KEYWORDS:
            names.append(name.strip("`"))
        position = match.end()
    return names


def wide_by_area(data: pd.DataFrame) -> pd.DataFrame:
    """Pivot tidy submissions to one row per quarter and area, one column per indicator.

    Each cell is the sum over departments, NaN where nothing was submitted.

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "area_code": ["01", "01", "01"], "indicator": ["SO04", "SO05", "SO05"],
    ...     "value": [0.0, 3.0, 2.0], "department": ["police", "police", "bank"]})
    >>> wide_by_area(data)
                       SO04  SO05
    quarter area_code
    2025Q1  01          0.0   5.0
    """
    return data.pivot_table(
        index=["quarter", "area_code"],
        columns="indicator",
        values="value",
        aggfunc=lambda s: s.sum(min_count=1),
    ).rename_axis(columns=None)


def consistency_status(data: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """List each consistency rule with whether it could be applied to the data.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    rules : dict
        Rules from :func:`load_quality_rules`.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule`` (str), ``when`` (str), ``applied`` (bool) and
        ``reason`` (str: why a rule was not applied, such as an indicator
        absent from the data; empty when applied).

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "area_code": ["01"], "indicator": ["SO04"], "value": [1.0],
    ...     "department": ["police"]})
    >>> consistency_status(data, load_quality_rules())[["rule", "applied"]]
                          rule  applied
    0  fraud_loss_without_case    False
    """
    check_columns(data, ["indicator"], "consistency_status")
    present = set(data["indicator"].dropna())
    rows = []
    for rule in rules.get("consistency") or []:
        needed = set(expression_names(rule["when"])) | {rule["flag"]}
        absent = sorted(needed - present)
        reason = (
            f"not applied: indicator(s) {', '.join(absent)} not in the data"
            if absent
            else ""
        )
        rows.append(
            {
                "rule": rule["id"],
                "when": rule["when"],
                "applied": not absent,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=["rule", "when", "applied", "reason"])


def _related_values(wide_row: pd.Series, names: list[str]) -> str:
    return "; ".join(f"{name}={wide_row[name]:g}" for name in names)


def _rule_findings(data: pd.DataFrame, wide: pd.DataFrame, rule: dict) -> list[dict]:
    names = list(dict.fromkeys(expression_names(rule["when"])))
    hits = wide.eval(rule["when"], engine="python").fillna(False).astype(bool)
    flagged = data[data["indicator"] == rule["flag"]]
    records = []
    for key in wide.index[hits.to_numpy()]:
        related = _related_values(wide.loc[key], names)
        rows = flagged[
            (flagged["quarter"] == key[0]) & (flagged["area_code"] == key[1])
        ]
        for _, row in rows.iterrows():
            record = {name: row[name] for name in row.index if name != "history"}
            record.update(
                rule=rule["id"],
                check="consistency",
                severity=rule.get("severity", "warning"),
                deduction_type=rule.get("deduction", "implausible"),
                history=related,
                reason=f"{rule.get('reason', 'The rule holds: ' + rule['when'])} "
                f"({related}; rule: {rule['when']}).",
            )
            records.append(record)
    return records


def check_consistency(data: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Find values that break a cross-source consistency rule.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table.
    rules : dict
        Rules from :func:`load_quality_rules`; its ``consistency`` list is used.

    Returns
    -------
    pandas.DataFrame
        Findings table: one finding per submitted row of a rule's ``flag``
        indicator in each area and quarter where ``when`` holds; rule id,
        severity and deduction type from the rule (defaults ``warning`` and
        ``implausible``); ``history`` lists the values the rule compared.

    Raises
    ------
    PinganError
        If ``data`` lacks a required column.

    Notes
    -----
    ``when`` is evaluated by ``pandas.DataFrame.eval`` (Python engine) on
    :func:`wide_by_area`, after :func:`expression_names` has checked that it
    holds only indicator ids, numbers, arithmetic, comparisons and
    ``and``/``or``/``not``. A comparison with a missing indicator is false,
    so an area that did not report an indicator breaks no rule written as
    positive comparisons (``not`` of such a comparison is true). Rules
    naming an indicator absent from the data are skipped; see
    :func:`consistency_status`.

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "area_code": ["01", "01", "02", "02"],
    ...     "indicator": ["SO04", "SO05", "SO04", "SO05"],
    ...     "value": [0.0, 12.5, 3.0, 4.0], "department": "police",
    ...     "source_file": "2025Q1/police.csv", "source_row": [2, 3, 4, 5]})
    >>> found = check_consistency(data, load_quality_rules())
    >>> found[["rule", "area_code", "value", "history"]]
                          rule area_code  value              history
    0  fraud_loss_without_case        01   12.5  SO05=12.5; SO04=0
    """
    check_columns(
        data,
        ["quarter", "area_code", "indicator", "value", "department"],
        "check_consistency",
    )
    status = consistency_status(data, rules)
    applied = set(status.loc[status["applied"], "rule"])
    if not applied:
        return make_findings([])
    wide = wide_by_area(data)
    records = []
    for rule in rules.get("consistency") or []:
        if rule["id"] in applied:
            records += _rule_findings(data, wide, rule)
    return make_findings(records)
