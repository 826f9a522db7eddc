"""Warning rules: which areas and departments get a warning in a quarter.

Every rule is checked for every candidate (each area, area and domain, area
and indicator, or department) and gives one row of the *checks* table, with
``triggered`` saying whether the condition holds. The warnings of a quarter
are the triggered rows. The untriggered rows carry the metric that the
rectification register follows after a warning was raised.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from pingan._validation import check_columns, check_option
from pingan.alerts.checks import CHECKS, RuleInputs, quarter_rows
from pingan.alerts.drivers import as_period
from pingan.alerts.focus import add_focus
from pingan.catalogue import VALUE_TYPES
from pingan.config import raw_dir
from pingan.detect import detect_all
from pingan.exceptions import PinganError
from pingan.periods import parse_quarter, quarter_label

__all__ = [
    "LEVELS",
    "CHECK_COLUMNS",
    "RuleInputs",
    "load_rules",
    "evaluate_rules",
    "select_warnings",
    "department_quality",
    "anomaly_flags",
    "evidence_table",
]

LEVELS = ("watch", "warning", "interview", "notice")
CHECK_COLUMNS = [
    "warning_id",
    "condition",
    "quarter",
    "recipient_type",
    "recipient_id",
    "rule",
    "subject",
    "level",
    "triggered",
    "run_length",
    "metric",
    "better",
    "indicators",
    "evidence",
    "evidence_json",
    "reason",
    "focus",
    "focus_detail",
]
_LEVEL_KEYS = {"level", "min_level"}


def _default_rules() -> dict:
    text = (
        resources.files("pingan").joinpath("data/warning_rules.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def _merge(base: dict, override: dict, where: str, source: str) -> dict:
    """Return ``base`` updated by ``override``, raising on keys ``base`` lacks."""
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if key not in base:
            raise PinganError(
                f"load_rules: unknown key {where}{key} in {source}; "
                f"allowed keys here are {', '.join(base)}."
            )
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise PinganError(
                    f"load_rules: {where}{key} in {source} must be a mapping; "
                    f"got {value!r}."
                )
            merged[key] = _merge(base[key], value, f"{where}{key}.", source)
        else:
            merged[key] = value
    return merged


def _check_levels(rules: dict, where: str = "") -> None:
    """Raise if any ``level`` or escalation step is not one of :data:`LEVELS`."""
    for key, value in rules.items():
        if isinstance(value, dict):
            _check_levels(value, f"{where}{key}.")
        elif key in _LEVEL_KEYS:
            check_option(f"{where}{key}", value, LEVELS, "load_rules")
    for step in rules.get("escalation", {}).get("ladder", []):
        check_option("escalation.ladder", step, LEVELS, "load_rules")


#: Numeric settings checked by :func:`load_rules`: key path, lowest and highest
#: allowed value, and whether the ends are allowed ("both", "left", "neither").
_NUMBER_KEYS = [
    (("indicator", "yoy_rise", "count_test", "alpha"), 0.0, 1.0, "neither"),
    (("indicator", "yoy_rise", "count_test", "min_increase"), 0.0, math.inf, "left"),
    (("indicator", "yoy_rise", "watch_pct"), 0.0, math.inf, "left"),
    (("indicator", "yoy_rise", "warning_pct"), 0.0, math.inf, "left"),
    (("indicator", "yoy_rise", "min_base"), 0.0, math.inf, "left"),
    (("trend", "alpha"), 0.0, 1.0, "neither"),
    (("indicator", "anomaly", "min_methods"), 1.0, math.inf, "left"),
    (("indicator", "anomaly", "fdr"), 0.0, 1.0, "neither"),
    (("domain_drop", "variability", "k"), 0.0, math.inf, "left"),
    (("domain_drop", "variability", "quarters"), 2.0, math.inf, "left"),
    (("domain_drop", "variability", "min_quarters"), 2.0, math.inf, "left"),
]
#: Settings of :data:`_NUMBER_KEYS` that may also be null, which switches them off.
_NULLABLE_KEYS = {("indicator", "anomaly", "fdr")}
_RANGE_TEXT = {
    "neither": "a number strictly between {low:g} and {high:g}",
    "left": "a number of at least {low:g}",
}
DEFAULT_RULES_FILE = "pingan/data/warning_rules.yaml"


def _setting_source(keys: tuple[str, ...], override: dict, source: str) -> str:
    """Name the file a setting came from: the override if it sets the key."""
    node = override
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return DEFAULT_RULES_FILE
        node = node[key]
    return source


def _check_numbers(rules: dict, override: dict, source: str) -> None:
    """Raise if a threshold is not a number in its range, naming file and key."""
    for keys, low, high, closed in _NUMBER_KEYS:
        value = rules
        for key in keys:
            value = value[key]
        if value is None and keys in _NULLABLE_KEYS:
            continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        inside = number and (
            (low < value < high) if closed == "neither" else (low <= value < high)
        )
        if not inside:
            allowed = _RANGE_TEXT[closed].format(low=low, high=high)
            if keys in _NULLABLE_KEYS:
                allowed += " or null"
            raise PinganError(
                f"load_rules: {'.'.join(keys)} in "
                f"{_setting_source(keys, override, source)} must be {allowed}; "
                f"got {value!r}."
            )
    test = rules["indicator"]["yoy_rise"]["count_test"]
    if not isinstance(test["dispersion"], bool):
        keys = ("indicator", "yoy_rise", "count_test", "dispersion")
        raise PinganError(
            f"load_rules: {'.'.join(keys)} in "
            f"{_setting_source(keys, override, source)} must be true or false; "
            f"got {test['dispersion']!r}."
        )
    for value_type in test["value_types"]:
        check_option(
            "indicator.yoy_rise.count_test.value_types",
            value_type,
            VALUE_TYPES,
            "load_rules",
        )


def load_rules(
    dataset: str | None = None, path: str | Path | None = None, root: Path | None = None
) -> dict:
    """Load the warning rules: package defaults, updated by a dataset's file.

    Parameters
    ----------
    dataset : str, optional
        Dataset name; its ``data/raw/<dataset>/rules/warnings.yaml`` is read
        when it exists.
    path : str or path-like, optional
        An explicit override file, read instead of the dataset's.
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    dict
        The rules, with every key of ``pingan/data/warning_rules.yaml``.

    Raises
    ------
    PinganError
        If the override has a key the defaults lack, a mapping where a value
        is expected, a level outside watch, warning, interview, notice, a
        significance level (``indicator.yoy_rise.count_test.alpha``,
        ``trend.alpha``, ``indicator.anomaly.fdr`` unless null) outside
        (0, 1), a negative threshold (``min_increase``, ``watch_pct``,
        ``warning_pct``, ``min_base``, ``domain_drop.variability.k``), an
        ``indicator.anomaly.min_methods`` below 1, a
        ``domain_drop.variability`` ``quarters`` or ``min_quarters`` below 2,
        a ``count_test.dispersion`` that is not true or false, or a
        ``count_test.value_types`` entry that is not a catalogue value type.
        The message names the file and the key.

    Notes
    -----
    Overrides merge key by key, so a dataset file that only sets
    ``domain_drop: {points: 3}`` keeps every other default. Lists (grades,
    the escalation ladder) are replaced whole.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules["indicator"]["yoy_rise"]["warning_pct"]
    30.0
    >>> rules["escalation"]["ladder"]
    ['warning', 'interview', 'notice']
    """
    rules = _default_rules()
    if path is None and dataset is not None:
        candidate = raw_dir(dataset, root) / "rules" / "warnings.yaml"
        path = candidate if candidate.is_file() else None
    override = {}
    if path is not None:
        override = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        rules = _merge(rules, override, "", str(path))
    _check_levels(rules)
    _check_numbers(rules, override, str(path))
    if not rules["escalation"]["ladder"]:
        raise PinganError("load_rules: escalation.ladder must list at least one level.")
    return rules


# Evidence keys holding p-values, which keep significant digits rather than
# decimals: p = 0.00004 must not print as 0.00.
_P_VALUE_KEYS = {"p_value", "p_adjusted"}


def _format_value(value: object, key: str = "") -> str:
    if value is None:
        return "NA"
    if isinstance(value, float):
        if math.isnan(value):
            return "NA"
        return f"{value:.2g}" if key in _P_VALUE_KEYS else f"{value:.2f}"
    return str(value)


def _json_value(value: object, key: str = "") -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return float(f"{value:.4g}") if key in _P_VALUE_KEYS else round(value, 4)
    if hasattr(value, "item"):
        return _json_value(value.item(), key)
    return value


def _finish(rows: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    """Add ids and the evidence text and JSON to the rows of one quarter."""
    label = quarter_label(quarter)
    subject = rows["subject"].where(rows["subject"] == "", "-" + rows["subject"])
    condition = rows["recipient_id"] + "-" + rows["rule"] + subject
    evidence = rows["evidence"].map(
        lambda ev: "; ".join(f"{k}={_format_value(v, k)}" for k, v in ev.items())
    )
    evidence_json = rows["evidence"].map(
        lambda ev: json.dumps(
            {k: _json_value(v, k) for k, v in ev.items()},
            ensure_ascii=False,
            sort_keys=True,
        )
    )
    return rows.assign(
        quarter=quarter,
        condition=condition,
        warning_id=label + "-" + condition,
        evidence=evidence,
        evidence_json=evidence_json,
    )


def _escalate(
    checks: pd.DataFrame, inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Set ``run_length`` and the ladder level of the escalation rules."""
    ladder = rules["escalation"]["ladder"]
    checks = checks.assign(run_length=pd.array([pd.NA] * len(checks), dtype="Int64"))
    for rule in rules["escalation"]["rules"]:
        check_option("escalation.rules", rule, list(CHECKS), "evaluate_rules")
        keys = ["recipient_id", "subject"]
        run = pd.Series(
            0, index=pd.MultiIndex.from_frame(checks.loc[checks.rule == rule, keys])
        )
        alive = pd.Series(True, index=run.index)
        first = as_period(inputs.index["quarter"]).min()
        back = 0
        # Walk back quarter by quarter until every run has ended.
        while alive.any() and quarter - back >= first:
            past = CHECKS[rule](inputs, quarter - back, rules)
            fired = past.set_index(keys)["triggered"].reindex(
                run.index, fill_value=False
            )
            alive &= fired.astype(bool)
            run += alive.astype(int)
            back += 1
        mask = checks["rule"] == rule
        lengths = run.reindex(
            pd.MultiIndex.from_frame(checks.loc[mask, keys])
        ).to_numpy()
        checks.loc[mask, "run_length"] = lengths
        steps = [ladder[min(max(n, 1), len(ladder)) - 1] for n in lengths]
        checks.loc[mask, "level"] = steps
    return checks


def evaluate_rules(
    inputs: RuleInputs,
    quarter: str | pd.Period,
    rules: dict | None = None,
    only: list[str] | None = None,
) -> pd.DataFrame:
    """Check every warning rule for every candidate in one quarter.

    Parameters
    ----------
    inputs : RuleInputs
        The scoring tables of ``pingan.pipeline.run_quarter``. ``index`` is
        required. The domain, indicator and trend rules also need
        ``level_scores``, ``values``, ``indicator_scores`` and the
        ``catalogue``. The ``flags`` (anomaly detectors), ``trends`` and
        ``quality`` tables are optional. A rule whose table is missing gives
        no rows.
    quarter : str or pandas.Period
        Reporting quarter.
    rules : dict, optional
        Output of :func:`load_rules` (default: the package defaults).
    only : list of str, optional
        Rules to check (default: all enabled rules).

    Returns
    -------
    pandas.DataFrame
        One row per rule and candidate, with columns

        - ``warning_id``: str, ``<quarter>-<recipient_id>-<rule>[-<subject>]``;
        - ``condition``: str, the id without the quarter, the same in every
          quarter for the same rule and candidate;
        - ``quarter``: period[Q-DEC];
        - ``recipient_type``: str, ``'area'`` or ``'department'``;
        - ``recipient_id``: str, area code or department id;
        - ``rule``: str, one of grade_red, grade_bottom, domain_drop, anomaly,
          yoy_rise, serious_event, trend, quality_red, late_submission;
        - ``subject``: str, the domain or indicator checked (``''`` for rules
          about the whole area or department);
        - ``level``: str, watch < warning < interview < notice;
        - ``triggered``: bool, whether the condition holds;
        - ``run_length``: Int64, consecutive quarters the condition has held,
          ending at ``quarter`` (escalation rules only, else NA);
        - ``metric``: float, the value the register follows (index, domain
          points, indicator value, grade number 0-3 or days late);
        - ``better``: int, +1 if a higher metric is better, -1 if lower;
        - ``indicators``: str, the indicators involved, joined by ``'|'``;
        - ``evidence``: str, ``key=value`` pairs of the values and benchmarks
          (for a count in the year-on-year rule also ``count``,
          ``base_count``, ``increase`` and ``p_value``);
        - ``evidence_json``: str, the same as a JSON object;
        - ``reason``: str, why the rule could not be judged (``'no base
          quarter'``, ``'missing value'``, ``'base below min_base (1.0)'``,
          too few quarters), else ``''``;
        - ``focus``, ``focus_detail``: str, what to fix first (see
          :func:`pingan.alerts.drivers.focus_indicators`).

    Notes
    -----
    The rules and their thresholds are documented in ``docs/warnings.md`` and
    ``pingan/data/warning_rules.yaml``. For the escalation rules the level is
    the ladder's step for the run length: with the default ladder the first
    red quarter gives ``warning`` (a letter), the second in a row
    ``interview`` and the third and later ``notice``. A quarter absent from
    the inputs breaks a run.

    Examples
    --------
    >>> index = pd.DataFrame({"quarter": ["2025Q1"] * 3 + ["2025Q2"] * 3,
    ...     "area_code": ["A", "B", "C"] * 2,
    ...     "index": [80.0, 70.0, 50.0, 82.0, 69.0, 55.0],
    ...     "grade": ["green", "yellow", "red", "green", "yellow", "red"],
    ...     "rank": [1, 2, 3, 1, 2, 3]})
    >>> checks = evaluate_rules(RuleInputs(index=index), "2025Q2")
    >>> select_warnings(checks)[["warning_id", "level", "run_length"]]
                 warning_id      level  run_length
    0      2025Q2-C-grade_red  interview           2
    1   2025Q2-C-grade_bottom      watch        <NA>
    """
    func = "evaluate_rules"
    check_columns(
        inputs.index, ["quarter", "area_code", "index", "grade", "rank"], func
    )
    quarter = parse_quarter(quarter)
    rules = load_rules() if rules is None else rules
    names = list(CHECKS) if only is None else only
    for name in names:
        check_option("only", name, list(CHECKS), func)
    parts = [CHECKS[name](inputs, quarter, rules) for name in names]
    checks = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else quarter_rows([])
    )
    checks = _escalate(_finish(checks, quarter), inputs, quarter, rules)
    checks = add_focus(checks, inputs, quarter, rules)
    return checks[CHECK_COLUMNS].reset_index(drop=True)


def select_warnings(checks: pd.DataFrame) -> pd.DataFrame:
    """Return the triggered rows of a checks table, most serious first.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`evaluate_rules`.

    Returns
    -------
    pandas.DataFrame
        The triggered rows, with the columns of :func:`evaluate_rules`, sorted
        by level (notice first), recipient and warning id.

    Examples
    --------
    >>> checks = pd.DataFrame({"triggered": [True, False, True],
    ...     "level": ["watch", "notice", "notice"], "recipient_type": ["area"] * 3,
    ...     "recipient_id": ["A", "B", "C"], "warning_id": ["w1", "w2", "w3"]})
    >>> select_warnings(checks)["warning_id"].tolist()
    ['w3', 'w1']
    """
    check_columns(
        checks,
        ["triggered", "level", "recipient_type", "recipient_id"],
        "select_warnings",
    )
    order = {level: -i for i, level in enumerate(LEVELS)}
    fired = checks[checks["triggered"].astype(bool)]
    return fired.sort_values(
        ["level", "recipient_type", "recipient_id", "warning_id"],
        key=lambda col: col.map(order) if col.name == "level" else col,
        ignore_index=True,
    )


def evidence_table(checks: pd.DataFrame, rule: str | None = None) -> pd.DataFrame:
    """Spread the evidence of checks or warnings into one column per key.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`evaluate_rules` or :func:`select_warnings`.
    rule : str, optional
        Keep only the rows of this rule (default: every row).

    Returns
    -------
    pandas.DataFrame
        In the order of ``checks``, the columns ``warning_id``,
        ``recipient_id``, ``subject`` and ``level``, then one column per
        evidence key of ``evidence_json`` (NaN where a row lacks the key).
        For the year-on-year rule these are ``value``, ``base``,
        ``change_pct`` and ``county_mean``, and for counts also ``count``,
        ``base_count``, ``increase`` and ``p_value``.

    Examples
    --------
    >>> checks = pd.DataFrame({"warning_id": ["w1"], "recipient_id": ["A"],
    ...     "subject": ["SO04"], "level": ["warning"], "rule": ["yoy_rise"],
    ...     "evidence_json": ['{"increase": 15.0, "p_value": 0.008337}']})
    >>> evidence_table(checks, "yoy_rise")[["subject", "increase", "p_value"]]
      subject  increase   p_value
    0    SO04      15.0  0.008337
    """
    check_columns(
        checks,
        ["warning_id", "recipient_id", "subject", "level", "rule", "evidence_json"],
        "evidence_table",
    )
    rows = checks if rule is None else checks[checks["rule"] == rule]
    evidence = pd.DataFrame(
        [json.loads(text) for text in rows["evidence_json"]], index=rows.index
    )
    keys = rows[["warning_id", "recipient_id", "subject", "level"]]
    return pd.concat([keys, evidence], axis=1)


def department_quality(
    scores: pd.DataFrame, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Build the department table of the data-quality rules from grading tables.

    Parameters
    ----------
    scores : pandas.DataFrame
        Columns ``quarter``, ``department`` and ``grade`` (green, yellow,
        orange or red), such as the negative-list scores of
        ``pingan.quality``.
    status : pandas.DataFrame, optional
        Columns ``quarter``, ``department`` and ``days_late`` (calendar days
        after the deadline, zero or negative when on time), such as the
        submission status of ``pingan.quality``.

    Returns
    -------
    pandas.DataFrame
        Columns ``quarter`` (period[Q-DEC]), ``department`` (str), ``grade``
        (str) and ``late_days`` (float, days after the deadline, 0 when on
        time or unknown), one row per quarter and department of ``scores``.

    Notes
    -----
    A department with several status rows in a quarter takes its largest
    delay. An unknown arrival time counts as on time here, because the
    data-quality grade already penalises it.

    Examples
    --------
    >>> scores = pd.DataFrame({"quarter": ["2025Q4"] * 2,
    ...     "department": ["court", "police"], "grade": ["red", "green"]})
    >>> status = pd.DataFrame({"quarter": ["2025Q4"], "department": ["police"],
    ...     "days_late": [3]})
    >>> department_quality(scores, status)[["department", "grade", "late_days"]]
      department  grade  late_days
    0      court    red        0.0
    1     police  green        3.0
    """
    check_columns(
        scores, ["quarter", "department", "grade"], "department_quality", "scores"
    )
    table = scores[["quarter", "department", "grade"]].assign(
        quarter=as_period(scores["quarter"]),
        department=scores["department"].astype(str),
    )
    if status is None:
        return table.assign(late_days=0.0)
    check_columns(
        status, ["quarter", "department", "days_late"], "department_quality", "status"
    )
    late = (
        status.assign(
            quarter=as_period(status["quarter"]),
            department=status["department"].astype(str),
            late_days=pd.to_numeric(status["days_late"], errors="coerce").astype(float),
        )
        .groupby(["quarter", "department"], as_index=False)["late_days"]
        .max()
    )
    merged = table.merge(late, on=["quarter", "department"], how="left")
    return merged.assign(late_days=merged["late_days"].fillna(0.0).clip(lower=0.0))


def anomaly_flags(
    values: pd.DataFrame,
    detectors: Sequence[str],
    last: str | pd.Period | None = None,
) -> pd.DataFrame:
    """Flag anomalous values with quarter-level detectors of ``pingan.detect``.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``quarter``, ``area_code``, ``indicator`` and ``value``.
    detectors : sequence of str
        Names from ``pingan.detect.DETECTORS`` that flag single quarters,
        e.g. ``["ears_c2", "shewhart"]``.
    last : str or pandas.Period, optional
        Last quarter used; later quarters are dropped first, so that a
        detector that looks ahead cannot use them.

    Returns
    -------
    pandas.DataFrame
        Columns ``quarter`` (period[Q-DEC]), ``area_code``, ``indicator``,
        ``method`` (str, the detector name), ``is_anomaly`` (bool, False
        where the detector gave no result) and ``p_value`` (float, the
        detector's p-value, NaN where it gives none), one row per detector,
        series and quarter.

    Raises
    ------
    PinganError
        If a detector name is unknown, or a detector tests whole series
        (such as ``mann_kendall``) rather than single quarters.

    Examples
    --------
    >>> from pingan.alerts._testing import make_values
    >>> flags = anomaly_flags(make_values(), ["shewhart"], "2025Q4")
    >>> flags.columns.tolist()
    ['quarter', 'area_code', 'indicator', 'method', 'is_anomaly', 'p_value']
    """
    check_columns(
        values, ["quarter", "area_code", "indicator", "value"], "anomaly_flags"
    )
    data = values[["quarter", "area_code", "indicator", "value"]].assign(
        quarter=as_period(values["quarter"])
    )
    if last is not None:
        data = data[data["quarter"] <= parse_quarter(last)]
    found = detect_all(data, list(detectors), by=["area_code", "indicator"])
    series_tests = sorted(set(found.series["detector"])) if len(found.series) else []
    if series_tests:
        raise PinganError(
            f"anomaly_flags: {', '.join(series_tests)} test whole series, not single "
            "quarters; choose quarter-level detectors such as ears_c2, shewhart, "
            "ewma, cusum or farrington."
        )
    # Report the name the caller chose (shewhart), not the detector's own
    # method label, which can differ (shewhart_individuals).
    flags = found.quarters.drop(columns="method").rename(columns={"detector": "method"})
    flagged = flags["is_anomaly"].astype("boolean").fillna(False).astype(bool)
    return flags.assign(quarter=as_period(flags["quarter"]), is_anomaly=flagged)[
        ["quarter", "area_code", "indicator", "method", "is_anomaly", "p_value"]
    ].reset_index(drop=True)
