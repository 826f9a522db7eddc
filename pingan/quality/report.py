"""One quarter's data-quality assessment, with a plain-text summary.

The assessment runs every check, compares the submissions with the schedule,
applies the actions and scores the negative list.

:func:`validate_quarter` reads a dataset through ``pingan.datasets``, and
:func:`format_summary` writes its result as text for the command line.
:func:`assess_quality` does the same work on tables already in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from pingan._validation import check_columns, check_interval
from pingan.exceptions import InputError, PinganError
from pingan.periods import parse_quarter, quarter_label
from pingan.quality._findings import concat_findings
from pingan.quality.actions import apply_actions
from pingan.quality.checks import (
    TIDY_COLUMNS,
    check_drops_to_zero,
    check_implausible_changes,
    check_impossible_values,
    check_repeated_values,
    check_unit_errors,
    structure_findings,
)
from pingan.quality.digits import digit_findings, first_digit_test, last_digit_test
from pingan.quality.negative_list import department_deductions, score_departments
from pingan.quality.rules import (
    check_consistency,
    consistency_status,
    load_quality_rules,
)
from pingan.quality.schedule import (
    build_schedule,
    read_receipts,
    status_findings,
    submission_status,
)

__all__ = [
    "QualityResult",
    "run_digit_tests",
    "run_checks",
    "assess_quality",
    "validate_quarter",
    "format_summary",
    "quality_overview",
    "flagged_values",
    "submission_history",
]

# Checks that explain a value better than a generic implausible change; an
# implausible_change finding on the same value is dropped.
_SPECIFIC_RULES = (
    "unit_error",
    "drop_to_zero",
    "negative_value",
    "percent_out_of_range",
)


@dataclass(frozen=True)
class QualityResult:
    """One quarter's data-quality assessment.

    Attributes
    ----------
    dataset : str
        Dataset name.
    quarter : pandas.Period
        The quarter assessed.
    findings : pandas.DataFrame
        Every finding of the quarter (columns of the findings table).
    status : pandas.DataFrame
        Submission status per department (see ``submission_status``).
    scores : pandas.DataFrame
        Negative-list score and grade per department (see
        ``score_departments``).
    deductions : pandas.DataFrame
        Deductions per department and type (see ``department_deductions``).
    actions : pandas.DataFrame
        Every value excluded, flagged or imputed (see ``apply_actions``).
    data : pandas.DataFrame
        The quarter's cleaned submissions.
    digit_tests : pandas.DataFrame
        Last-digit and first-digit tests per department, applied or not.
    rule_status : pandas.DataFrame
        Consistency rules and whether each could be applied.
    problems : pandas.DataFrame
        File-level problems (``source_file``, ``rule``, ``reason``).
    notes : pandas.DataFrame
        The reader's remarks on accepted rows, such as an area written by an
        alias or an indicator sent by a department not responsible for it.
        They are not findings and cost no points.
    """

    dataset: str
    quarter: pd.Period
    findings: pd.DataFrame
    status: pd.DataFrame
    scores: pd.DataFrame
    deductions: pd.DataFrame
    actions: pd.DataFrame
    data: pd.DataFrame
    digit_tests: pd.DataFrame
    rule_status: pd.DataFrame
    problems: pd.DataFrame
    notes: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when no finding has severity ``error`` (warnings are allowed)."""
        return not self.findings["severity"].eq("error").any()


def _drop_generic(findings: pd.DataFrame) -> pd.DataFrame:
    """Drop implausible_change findings on values a more specific rule explains."""
    key = [
        "quarter",
        "area_code",
        "indicator",
        "department",
        "source_file",
        "source_row",
    ]
    specific = findings.loc[findings["rule"].isin(_SPECIFIC_RULES), key]
    generic = findings["rule"].eq("implausible_change")
    explained = (
        findings[key]
        .merge(specific.drop_duplicates(), how="left", indicator=True)["_merge"]
        .eq("both")
        .to_numpy()
    )
    return findings[~(generic.to_numpy() & explained)]


def run_digit_tests(
    data: pd.DataFrame, quarter: object, rules: Mapping | None = None
) -> pd.DataFrame:
    """Run the last-digit and first-digit tests per department for one quarter.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions (at least ``quarter``, ``department``, ``value``).
    quarter : quarter label or Period
        Last quarter of the window tested.
    rules : mapping, optional
        Rules whose ``checks.last_digit`` and ``checks.first_digit`` give the
        test options and ``quarters``, the window length (default 4).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`last_digit_test` followed by those of
        :func:`first_digit_test`, one per department each.

    Notes
    -----
    One quarter of one department rarely contains the 50 or 100 values the
    tests need, so a window of quarters is pooled.

    Examples
    --------
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "department": "police", "value": [12.0, 30.0]})
    >>> run_digit_tests(data, "2025Q1")["reason"].str[:22].tolist()
    ['not applied: no power ', 'not applied: no power ']
    """
    rules = rules or load_quality_rules()
    period = parse_quarter(quarter)
    params = rules.get("checks") or {}
    tests = []
    for name, test in (
        ("last_digit", last_digit_test),
        ("first_digit", first_digit_test),
    ):
        options = dict(params.get(name) or {})
        span = int(options.pop("quarters", 4))
        recent = data[(data["quarter"] <= period) & (data["quarter"] > period - span)]
        tests.append(test(recent, **options))
    return pd.concat(tests, ignore_index=True)


def run_checks(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    quarter: object,
    rules: Mapping | None = None,
) -> pd.DataFrame:
    """Run every value check for one quarter, using earlier quarters as history.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions of the quarter and its history quarters.
    catalogue : pandas.DataFrame
        Indicator catalogue (``indicator``, ``value_type``).
    quarter : quarter label or Period
        The quarter whose values are checked.
    rules : mapping, optional
        Rules from :func:`load_quality_rules` (its ``checks`` parameters and
        ``consistency`` list); default the package's rules.

    Returns
    -------
    pandas.DataFrame
        Findings table of the quarter: impossible values, unit errors,
        implausible changes, repeated values, drops to zero, consistency
        rules and digit-test signals (see :func:`run_digit_tests`). An
        ``implausible_change`` on a value that a more specific rule (unit
        error, drop to zero, impossible value) flags is left out.

    Raises
    ------
    PinganError
        If ``data`` lacks a tidy column or ``quarter`` is not ``YYYYQn``.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": "f.csv", "source_row": 2})
    >>> catalogue = pd.DataFrame({"indicator": ["SO05"], "value_type": ["amount"]})
    >>> run_checks(data, catalogue, "2025Q1")["rule"].tolist()
    ['unit_error']
    """
    check_columns(data, TIDY_COLUMNS, "run_checks")
    rules = rules or load_quality_rules()
    period = parse_quarter(quarter)
    params = rules.get("checks") or {}
    current = data[data["quarter"] == period]
    found = [
        check_impossible_values(current, catalogue),
        check_unit_errors(data, quarters=[period], **(params.get("unit_error") or {})),
        check_implausible_changes(
            data, quarters=[period], **(params.get("implausible_change") or {})
        ),
        check_repeated_values(
            data, quarters=[period], **(params.get("repeated_value") or {})
        ),
        check_drops_to_zero(
            data, quarters=[period], **(params.get("drop_to_zero") or {})
        ),
        check_consistency(current, rules),
        digit_findings(run_digit_tests(data, period, rules), quarter=period),
    ]
    return concat_findings([_drop_generic(concat_findings(found))])


def _with_deduction_types(findings: pd.DataFrame, rules: Mapping) -> pd.DataFrame:
    """Replace the deduction type of the rules listed in ``deduction_types``."""
    override = rules.get("deduction_types") or {}
    if not override:
        return findings
    types = [
        override.get(rule, kept)
        for rule, kept in zip(findings["rule"], findings["deduction_type"], strict=True)
    ]
    return findings.assign(
        deduction_type=pd.Series(types, index=findings.index, dtype="str")
    )


def _in_quarter(findings: pd.DataFrame, period: pd.Period) -> pd.DataFrame:
    return findings[findings["quarter"].isna() | (findings["quarter"] == period)]


def assess_quality(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    quarter: object,
    rules: Mapping | None = None,
    rejected: pd.DataFrame | None = None,
    problems: pd.DataFrame | None = None,
    notes: pd.DataFrame | None = None,
    receipts: pd.DataFrame | None = None,
    departments: Sequence[str] = (),
    dataset: str = "",
) -> QualityResult:
    """Assess one quarter's data quality from tables in memory.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions of the quarter and its history quarters.
    catalogue : pandas.DataFrame
        Indicator catalogue (``indicator``, ``department``, ``value_type``).
    areas : pandas.DataFrame
        Areas (``area_code``).
    quarter : quarter label or Period
        The quarter assessed.
    rules : mapping, optional
        Rules from :func:`load_quality_rules`; default the package's rules.
    rejected, problems, notes : pandas.DataFrame, optional
        The reader's rejected rows, file-level problems and notes.
    receipts : pandas.DataFrame, optional
        Arrival times from ``read_receipts``.
    departments : sequence of str, default=()
        Department ids, used to attribute file problems.
    dataset : str, default=""
        Dataset name, shown in the summary.

    Returns
    -------
    QualityResult
        Findings, submission status, scores, deductions, actions, cleaned
        data, digit tests, consistency rule status and file problems.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": [f"{p}/police.csv" for p in q], "source_row": 2,
    ...     "submitted_at": "2025-04-08"})
    >>> catalogue = pd.DataFrame({"indicator": ["SO05"], "department": ["police"],
    ...     "value_type": ["amount"]})
    >>> result = assess_quality(data, catalogue, pd.DataFrame({"area_code": ["01"]}),
    ...     "2025Q1")
    >>> result.scores[["department", "score", "grade"]]
      department  score  grade
    0     police   99.5  green
    >>> result.actions[["rule", "action", "new_value"]]
             rule  action  new_value
    0  unit_error  impute       37.0
    """
    rules = rules or load_quality_rules()
    period = parse_quarter(quarter)
    history = data[data["quarter"] <= period]
    current = history[history["quarter"] == period]
    schedule = build_schedule(catalogue, areas, [period], rules["deadline_days"])
    status = submission_status(schedule, current, receipts)
    findings = concat_findings(
        [
            _in_quarter(structure_findings(rejected, problems, departments), period),
            status_findings(status, schedule, current),
            run_checks(history, catalogue, period, rules),
        ]
    )
    findings = _with_deduction_types(findings, rules)
    acted = apply_actions(history, findings, rules)
    return QualityResult(
        dataset=dataset,
        quarter=period,
        findings=findings,
        status=status,
        scores=score_departments(findings, status[["quarter", "department"]], rules),
        deductions=department_deductions(findings, rules),
        actions=acted.actions,
        data=acted.data[acted.data["quarter"] == period].reset_index(drop=True),
        digit_tests=run_digit_tests(history, period, rules),
        rule_status=consistency_status(current, rules),
        problems=problems if problems is not None else _no_problems(),
        notes=_in_quarter_rows(notes, period),
    )


def _in_quarter_rows(table: pd.DataFrame | None, period: pd.Period) -> pd.DataFrame:
    if table is None or "quarter" not in table:
        return pd.DataFrame(
            columns=[
                "quarter",
                "source_file",
                "source_row",
                "column",
                "value",
                "rule",
                "reason",
            ]
        )
    return table[table["quarter"] == period].reset_index(drop=True)


def _no_problems() -> pd.DataFrame:
    return pd.DataFrame(columns=["source_file", "rule", "reason"])


def _receipts_or_problem(root, period: pd.Period) -> tuple[pd.DataFrame | None, list]:
    """Read the receipts, turning a malformed file or time into problem rows.

    A malformed file (``unreadable_receipts``) leaves every arrival time of
    the quarter unknown. A row whose time cannot be read
    (``invalid_arrival_time``) leaves only its own file's time unknown.
    """
    name = f"{quarter_label(period)}/_receipts.csv"
    try:
        receipts = read_receipts(root, period)
    except InputError as error:
        return None, [
            {
                "source_file": name,
                "rule": "unreadable_receipts",
                "reason": f"{error} Arrival times are unknown for the quarter.",
            }
        ]
    problems = [
        {"source_file": name, "rule": "invalid_arrival_time", "reason": text}
        for text in receipts["problem"]
        if text
    ]
    return receipts, problems


def validate_quarter(
    dataset_name: str,
    quarter: object,
    rules_path: str | None = None,
    history_quarters: int = 12,
) -> QualityResult:
    """Assess one quarter of a dataset: schedule, checks, actions and the negative list.

    Parameters
    ----------
    dataset_name : str
        Name of a dataset under ``data/raw/``.
    quarter : quarter label or Period
        The quarter assessed; it must have a folder in the dataset.
    rules_path : str, optional
        A rules file merged over the defaults in place of the dataset's
        ``rules/quality.yaml``.
    history_quarters : int, default=12
        Earlier quarters read as history for the series checks.

    Returns
    -------
    QualityResult
        See :func:`assess_quality`.

    Raises
    ------
    PinganError
        If the quarter is not one of the dataset's quarters.

    Notes
    -----
    A malformed submission file never stops the run: the reader rejects it
    with a file-level problem, which becomes a finding, and the other files
    are processed. A malformed ``_receipts.csv`` becomes a problem row
    (``unreadable_receipts``) counted against no department. The raw files
    are only read.

    Examples
    --------
    >>> result = validate_quarter("london", "2025Q3")
    >>> result.scores[["department", "score", "grade"]]
      department  score  grade
    0        mps  100.0  green
    >>> print(format_summary(result).splitlines()[2])
    Submissions: 1 department(s); 1 time unknown.
    """
    from pingan.datasets import load_dataset

    dataset = load_dataset(dataset_name)
    period = parse_quarter(quarter)
    if period not in list(dataset.quarters):
        raise PinganError(
            f"validate_quarter: quarter must be one of the dataset's quarters "
            f"{quarter_label(dataset.quarters[0])}..{quarter_label(dataset.quarters[-1])}"
            f"; got {quarter!r}."
        )
    wanted = [q for q in dataset.quarters if period - history_quarters <= q <= period]
    read = dataset.read_quarters(wanted)
    receipts, receipt_problems = _receipts_or_problem(dataset.root, period)
    problems = (
        pd.concat([read.problems, pd.DataFrame(receipt_problems)], ignore_index=True)
        if receipt_problems
        else read.problems
    )
    return assess_quality(
        read.data,
        dataset.catalogue,
        dataset.areas,
        period,
        rules=load_quality_rules(rules_path, dataset_root=dataset.root),
        rejected=read.rejected,
        problems=problems,
        notes=read.notes,
        receipts=receipts,
        departments=list(dataset.departments["department"]),
        dataset=dataset.name,
    )


def _status_lines(status: pd.DataFrame) -> list[str]:
    counts = status["status"].value_counts()
    summary = ", ".join(f"{counts[s]} {s.replace('_', ' ')}" for s in counts.index)
    lines = [f"Submissions: {len(status)} department(s); {summary}."]
    for row in status[status["status"] != "on_time"].itertuples():
        lines.append(f"  {row.department:<16} {row.status:<12} {row.reason}")
    return lines


def _score_lines(result: QualityResult, thresholds: Mapping) -> list[str]:
    lines = [
        f"Negative list (score = 100 - deductions; green >= {thresholds['green']}, "
        f"yellow >= {thresholds['yellow']}, red below):"
    ]
    for row in result.scores.sort_values(["score", "department"]).itertuples():
        evidence = row.evidence or "no deduction"
        lines.append(
            f"  {row.department:<16} {row.score:6.1f}  {row.grade:<6} {evidence}"
        )
    return lines


def _finding_line(row) -> str:
    where = " ".join(
        str(v)
        for v in (row.department, row.area_code, row.indicator)
        if isinstance(v, str)
    )
    source = ""
    if isinstance(row.source_file, str):
        source = f" [{row.source_file}" + (
            f" row {row.source_row}]" if pd.notna(row.source_row) else "]"
        )
    head = f"{row.finding_id} {row.rule} ({row.severity})"
    if where:
        head = f"{head} {where}"
    return f"  {head}: {row.reason}{source}"


def _finding_lines(findings: pd.DataFrame, limit: int) -> list[str]:
    severities = findings["severity"].value_counts()
    lines = [
        f"Findings: {len(findings)} ("
        + ", ".join(f"{severities.get(s, 0)} {s}" for s in ("error", "warning"))
        + ")"
    ]
    for rule, count in findings["rule"].value_counts().sort_index().items():
        lines.append(f"  {rule:<24} {count}")
    lines += [_finding_line(row) for row in findings.head(limit).itertuples()]
    if len(findings) > limit:
        lines.append(f"  ... and {len(findings) - limit} more findings")
    return lines


def _other_lines(result: QualityResult) -> list[str]:
    counts = result.actions["action"].value_counts()
    lines = [
        f"Actions: {len(result.actions)} value(s) affected ("
        + ", ".join(f"{counts.get(a, 0)} {a}" for a in ("exclude", "impute", "flag"))
        + ")."
    ]
    lines.append("Digit tests:")
    for row in result.digit_tests.itertuples():
        lines.append(f"  {row.test:<12} {row.department:<16} {row.reason}")
    skipped = result.rule_status[~result.rule_status["applied"].astype(bool)]
    for row in skipped.itertuples():
        lines.append(f"Consistency rule {row.rule}: {row.reason}.")
    for row in result.problems.itertuples():
        lines.append(f"File problem {row.source_file} ({row.rule}): {row.reason}")
    return lines


def format_summary(
    result: QualityResult, max_findings: int = 50, rules: Mapping | None = None
) -> str:
    """Write a quality assessment as plain text for the terminal.

    Parameters
    ----------
    result : QualityResult
        Output of :func:`validate_quarter` or :func:`assess_quality`.
    max_findings : int, default=50
        Findings listed one per line; the rest are counted.
    rules : mapping, optional
        Rules whose grade thresholds are quoted; default the package's rules.

    Returns
    -------
    str
        Sections: submissions, negative list, findings, actions, digit tests,
        consistency rules not applied and file problems.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": [f"{p}/police.csv" for p in q], "source_row": 2})
    >>> catalogue = pd.DataFrame({"indicator": ["SO05"], "department": ["police"],
    ...     "value_type": ["amount"]})
    >>> result = assess_quality(data, catalogue, pd.DataFrame({"area_code": ["01"]}),
    ...     "2025Q1", dataset="demo")
    >>> print(format_summary(result).splitlines()[0])
    Data quality of demo, 2025Q1
    """
    thresholds = (rules or load_quality_rules())["grades"]
    lines = [
        f"Data quality of {result.dataset or 'the dataset'}, "
        f"{quarter_label(result.quarter)}",
        "",
    ]
    lines += _status_lines(result.status) + [""]
    lines += _score_lines(result, thresholds) + [""]
    lines += _finding_lines(result.findings, max_findings) + [""]
    lines += _other_lines(result)
    return "\n".join(lines)


def _counted(
    values: pd.Series, codes: Sequence[str], column: str, language: str
) -> str:
    from pingan.i18n import label

    counts = values.value_counts()
    return ", ".join(
        f"{label(f'{column}.{code}', language)} {int(counts.get(code, 0))}"
        for code in codes
    )


def quality_overview(result: QualityResult, language: str = "zh") -> pd.DataFrame:
    """Summarise a quality assessment in a short table labelled in ``language``.

    It is the notebook's counterpart of :func:`format_summary`: counts only,
    the details being in the result's tables.

    Parameters
    ----------
    result : QualityResult
        Output of :func:`validate_quarter` or :func:`assess_quality`.
    language : {'zh', 'en'}, default='zh'
        Language of the items and of the coded values.

    Returns
    -------
    pandas.DataFrame
        Columns ``item`` and ``value`` (text): submissions by status,
        department grades, findings by severity, values by action, digit
        tests and consistency rules not applied, and file problems.

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": [f"{p}/police.csv" for p in q], "source_row": 2})
    >>> catalogue = pd.DataFrame({"indicator": ["SO05"], "department": ["police"],
    ...     "value_type": ["amount"]})
    >>> result = assess_quality(data, catalogue, pd.DataFrame({"area_code": ["01"]}),
    ...     "2025Q1")
    >>> quality_overview(result, "en").set_index("item").loc["Values acted on", "value"]
    'exclude 0, impute 1, flag 0'
    """
    from pingan.i18n import check_language, label

    check_language(language)
    statuses = ["on_time", "late", "incomplete", "missing", "time_unknown"]
    present = [s for s in statuses if s in set(result.status["status"])]
    applied = result.digit_tests["applied"].astype(bool)
    rules_applied = result.rule_status["applied"].astype(bool)
    rows = [
        (
            "overview_submissions",
            _counted(result.status["status"], present, "status", language),
        ),
        (
            "overview_grades",
            _counted(
                result.scores["grade"], ["green", "yellow", "red"], "grade", language
            ),
        ),
        (
            "overview_findings",
            _counted(
                result.findings["severity"], ["error", "warning"], "severity", language
            ),
        ),
        (
            "overview_actions",
            _counted(
                result.actions["action"],
                ["exclude", "impute", "flag"],
                "action",
                language,
            ),
        ),
        ("overview_tests", str(int((~applied).sum()))),
        ("overview_rules", str(int((~rules_applied).sum()))),
        ("overview_files", str(len(result.problems))),
    ]
    return pd.DataFrame(
        [(label(key, language), value) for key, value in rows],
        columns=["item", "value"],
    )


def flagged_values(result: QualityResult) -> pd.DataFrame:
    """List the values the findings point at, with their evidence and the action taken.

    Parameters
    ----------
    result : QualityResult
        Output of :func:`validate_quarter` or :func:`assess_quality`.

    Returns
    -------
    pandas.DataFrame
        One row per finding about a single value (area and indicator
        known), columns ``finding_id``, ``rule``, ``severity``,
        ``department``, ``area_code``, ``indicator``, ``value``,
        ``source_file``, ``source_row``, ``history``, ``reason``, ``action``
        (``exclude``, ``impute`` or ``flag``; NaN for a structure finding,
        whose row the reader already rejected) and ``new_value`` (float).

    Examples
    --------
    >>> q = pd.period_range("2024Q1", "2025Q1", freq="Q")
    >>> data = pd.DataFrame({"quarter": q, "area_code": "01", "indicator": "SO05",
    ...     "value": [35.0, 41, 38, 36, 392000], "department": "police",
    ...     "source_file": [f"{p}/police.csv" for p in q], "source_row": 2})
    >>> catalogue = pd.DataFrame({"indicator": ["SO05"], "department": ["police"],
    ...     "value_type": ["amount"]})
    >>> result = assess_quality(data, catalogue, pd.DataFrame({"area_code": ["01"]}),
    ...     "2025Q1")
    >>> flagged_values(result)[["rule", "value", "action", "new_value"]]
             rule     value  action  new_value
    0  unit_error  392000.0  impute       37.0
    """
    columns = [
        "finding_id",
        "rule",
        "severity",
        "department",
        "area_code",
        "indicator",
        "value",
        "source_file",
        "source_row",
        "history",
        "reason",
    ]
    located = result.findings.dropna(subset=["area_code", "indicator"])[columns]
    taken = result.actions.assign(
        finding_id=result.actions["finding_ids"].str.split("|")
    ).explode("finding_id")[["finding_id", "action", "new_value"]]
    return located.merge(taken, on="finding_id", how="left").reset_index(drop=True)


def submission_history(
    dataset_name: str, quarter: object, n_quarters: int = 4
) -> pd.DataFrame:
    """Return the submission status of the ``n_quarters`` quarters up to ``quarter``.

    Parameters
    ----------
    dataset_name : str
        Name of a dataset under ``data/raw/``.
    quarter : quarter label or Period
        Last quarter shown.
    n_quarters : int, default=4
        Quarters shown, those of the dataset up to ``quarter``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``submission_status`` for each quarter, stacked; a
        quarter whose receipts file is malformed shows arrival times from
        the files only.

    Raises
    ------
    PinganError
        If ``n_quarters`` is not in [1, 400] or the dataset is unknown.

    Examples
    --------
    >>> history = submission_history("london", "2025Q3", n_quarters=2)
    >>> history[["quarter", "department", "status"]]
      quarter department        status
    0  2025Q2        mps  time_unknown
    1  2025Q3        mps  time_unknown
    """
    from pingan.datasets import load_dataset

    check_interval("n_quarters", n_quarters, "submission_history", 1, 400)
    dataset = load_dataset(dataset_name)
    period = parse_quarter(quarter)
    quarters = [q for q in dataset.quarters if q <= period][-n_quarters:]
    rules = load_quality_rules(dataset_root=dataset.root)
    schedule = build_schedule(
        dataset.catalogue, dataset.areas, quarters, rules["deadline_days"]
    )
    parts = []
    for q in quarters:
        receipts, _ = _receipts_or_problem(dataset.root, q)
        data = dataset.read_quarter(q).data
        parts.append(
            submission_status(schedule[schedule["quarter"] == q], data, receipts)
        )
    return pd.concat(parts, ignore_index=True)
