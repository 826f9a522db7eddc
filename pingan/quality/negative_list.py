"""The negative list (负面清单): each department's data-quality score and grade.

Every finding counts against the department that sent the value. Points are
deducted per item by deduction type (falsified, concealed, omitted, late,
implausible), each type capped per department and quarter, from a base of
100. The score is kept apart from the townships' safety index: a department's
errors never move an area's index.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pingan._validation import check_columns
from pingan.quality._findings import DEDUCTION_TYPES
from pingan.quality.rules import default_rules

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "GRADES",
    "deduction_table",
    "department_deductions",
    "score_departments",
    "grade_score",
    "plot_scorecards",
]

GRADES = ("green", "yellow", "red")
_GRADE_COLOURS = {"green": "#4caf50", "yellow": "#fdd835", "red": "#e53935"}
DEDUCTION_COLUMNS = [
    "quarter",
    "department",
    "deduction_type",
    "n_findings",
    "n_items",
    "points_per_item",
    "points",
    "points_capped",
    "finding_ids",
]
SCORE_COLUMNS = [
    "quarter",
    "department",
    "deduction",
    "score",
    "grade",
    "n_findings",
    "finding_ids",
    "evidence",
]


def deduction_table(rules: Mapping | None = None) -> pd.DataFrame:
    """Return the points deducted per item and the cap, by deduction type.

    Parameters
    ----------
    rules : mapping, optional
        Rules from :func:`pingan.quality.load_quality_rules`; default the
        package's rules.

    Returns
    -------
    pandas.DataFrame
        Columns ``deduction_type`` (str), ``points_per_item`` (float) and
        ``cap`` (float: most points deducted per type, department and quarter).

    Examples
    --------
    >>> deduction_table()
      deduction_type  points_per_item  cap
    0      falsified              5.0 10.0
    1      concealed              3.0 10.0
    2        omitted              1.0 10.0
    3           late              0.5 10.0
    4    implausible              0.5 10.0
    """
    deductions = (rules or default_rules())["deductions"]
    points = deductions["points"]
    return pd.DataFrame(
        {
            "deduction_type": list(DEDUCTION_TYPES),
            "points_per_item": [float(points.get(t, 0.0)) for t in DEDUCTION_TYPES],
            "cap": float(deductions["cap"]),
        }
    )


def grade_score(score: float, rules: Mapping | None = None) -> str:
    """Return the grade of a score: green, yellow or red.

    Parameters
    ----------
    score : float
        Score out of 100.
    rules : mapping, optional
        Rules whose ``grades`` give the lowest score of green and of yellow;
        default the package's rules (95 and 85).

    Returns
    -------
    str
        ``green`` when ``score >= grades.green``, ``yellow`` when
        ``score >= grades.yellow``, else ``red``.

    Examples
    --------
    >>> grade_score(96.0), grade_score(90.0), grade_score(84.5)
    ('green', 'yellow', 'red')
    """
    grades = (rules or default_rules())["grades"]
    if score >= grades["green"]:
        return "green"
    if score >= grades["yellow"]:
        return "yellow"
    return "red"


def department_deductions(
    findings: pd.DataFrame, rules: Mapping | None = None
) -> pd.DataFrame:
    """Sum the deductions of each department, quarter and deduction type.

    Parameters
    ----------
    findings : pandas.DataFrame
        Findings table (``finding_id``, ``quarter``, ``department``,
        ``deduction_type``, ``n_items``).
    rules : mapping, optional
        Rules with the deduction table; default the package's rules.

    Returns
    -------
    pandas.DataFrame
        Columns ``DEDUCTION_COLUMNS``: ``quarter``, ``department``,
        ``deduction_type``, ``n_findings`` (int), ``n_items`` (int: items
        counted, for example the areas of a missing indicator),
        ``points_per_item`` (float), ``points`` (float, before the cap),
        ``points_capped`` (float, ``min(points, cap)``) and ``finding_ids``
        (str, joined by ``|``: the evidence behind the deduction).

    Raises
    ------
    PinganError
        If ``findings`` lacks a required column.

    Notes
    -----
    Findings without a department (a file that names no known department)
    are not counted against anyone; they stay in the findings table.

    Examples
    --------
    >>> findings = pd.DataFrame({"finding_id": ["F0001", "F0002"],
    ...     "quarter": pd.Period("2025Q1", "Q"), "department": ["police"] * 2,
    ...     "deduction_type": ["omitted", "omitted"], "n_items": [16, 2]})
    >>> department_deductions(findings)[["n_items", "points", "points_capped"]]
       n_items  points  points_capped
    0       18    18.0           10.0
    """
    check_columns(
        findings,
        ["finding_id", "quarter", "department", "deduction_type", "n_items"],
        "department_deductions",
        "findings",
    )
    table = deduction_table(rules).set_index("deduction_type")
    counted = findings[findings["department"].notna()]
    grouped = counted.groupby(["quarter", "department", "deduction_type"], sort=True)
    out = grouped.agg(
        n_findings=("finding_id", "size"),
        n_items=("n_items", "sum"),
        finding_ids=("finding_id", "|".join),
    ).reset_index()
    out["points_per_item"] = out["deduction_type"].map(table["points_per_item"])
    out["points"] = out["n_items"] * out["points_per_item"]
    out["points_capped"] = np.minimum(
        out["points"], out["deduction_type"].map(table["cap"])
    )
    return out[DEDUCTION_COLUMNS]


def _evidence(rows: pd.DataFrame) -> str:
    parts = [
        f"{r.deduction_type} -{r.points_capped:g} ({r.finding_ids})"
        for r in rows.itertuples()
        if r.points_capped > 0
    ]
    return "; ".join(parts)


def score_departments(
    findings: pd.DataFrame, units: pd.DataFrame, rules: Mapping | None = None
) -> pd.DataFrame:
    """Score each department's data quality per quarter: 100 minus deductions.

    Parameters
    ----------
    findings : pandas.DataFrame
        Findings table.
    units : pandas.DataFrame
        The departments and quarters to score (columns ``quarter`` and
        ``department``), for example :func:`submission_status`'s output; a
        department with findings but absent here is scored too.
    rules : mapping, optional
        Rules with the deduction table and grade thresholds.

    Returns
    -------
    pandas.DataFrame
        One row per quarter and department, columns ``SCORE_COLUMNS``:
        ``deduction`` (float, sum of the capped deductions), ``score`` (float
        in [0, 100], ``100 - deduction``), ``grade`` (``green``, ``yellow`` or
        ``red``), ``n_findings`` (int), ``finding_ids`` (str, every finding
        behind a deduction) and ``evidence`` (str, per type: points and
        finding ids).

    Raises
    ------
    PinganError
        If ``units`` or ``findings`` lacks a required column.

    Notes
    -----
    ``score = max(0, 100 - sum_t min(cap, points_t * items_t))`` over the
    deduction types ``t``. Defaults: falsified 5, concealed 3, omitted 1, late
    0.5 and implausible 0.5 points per item, each type capped at 10; grade
    green at 95 or more, yellow from 85 to below 95, red below 85. A finding
    of a rule listed in ``grades.red_if`` (default ``missing_submission``: a
    department that sent nothing) makes the grade red whatever the score,
    because the cap would otherwise keep a silent department at 90. A
    department can only lose points or turn red through findings, so every
    yellow or red grade lists the finding ids that caused it.

    Examples
    --------
    >>> findings = pd.DataFrame({"finding_id": ["F0001", "F0002"],
    ...     "quarter": pd.Period("2025Q1", "Q"), "department": ["police", "police"],
    ...     "deduction_type": ["concealed", "late"], "n_items": [1, 1]})
    >>> units = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "department": ["police", "court"]})
    >>> score_departments(findings, units)[["department", "score", "grade"]]
      department  score  grade
    0      court  100.0  green
    1     police   96.5  green
    """
    check_columns(units, ["quarter", "department"], "score_departments", "units")
    detail = department_deductions(findings, rules)
    keys = ["quarter", "department"]
    scored = pd.concat([units[keys], detail[keys]]).drop_duplicates()
    forced = _red_findings(findings, rules)
    rows = []
    for key in scored.sort_values(keys).itertuples(index=False):
        parts = detail[(detail["quarter"] == key[0]) & (detail["department"] == key[1])]
        deduction = float(parts["points_capped"].sum())
        score = max(0.0, 100.0 - deduction)
        ids = list(parts.loc[parts["points_capped"] > 0, "finding_ids"])
        grade, evidence = grade_score(score, rules), _evidence(parts)
        if tuple(key) in forced:
            grade = "red"
            ids.append(forced[tuple(key)][0])
            evidence = "; ".join(e for e in (evidence, forced[tuple(key)][1]) if e)
        unique_ids = dict.fromkeys("|".join(ids).split("|")) if ids else {}
        rows.append(
            {
                "quarter": key[0],
                "department": key[1],
                "deduction": deduction,
                "score": score,
                "grade": grade,
                "n_findings": int(parts["n_findings"].sum()),
                "finding_ids": "|".join(unique_ids),
                "evidence": evidence,
            }
        )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).reset_index(drop=True)


def _red_findings(
    findings: pd.DataFrame, rules: Mapping | None
) -> dict[tuple, tuple[str, str]]:
    """Map (quarter, department) to the ids and evidence of findings forcing red."""
    red_if = set((rules or default_rules())["grades"].get("red_if") or [])
    if "rule" not in findings or not red_if:
        return {}
    hits = findings[findings["rule"].isin(red_if) & findings["department"].notna()]
    forced = {}
    for key, group in hits.groupby(["quarter", "department"]):
        ids = "|".join(group["finding_id"])
        rules_hit = ", ".join(sorted(group["rule"].unique()))
        forced[key] = (ids, f"red because of {rules_hit} ({ids})")
    return forced


def plot_scorecards(
    scores: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    rules: Mapping | None = None,
    ax: Axes | None = None,
    language: str = "zh",
) -> Axes:
    """Draw the departments' scores of one quarter as bars coloured by grade.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`score_departments` for one quarter.
    labels : mapping of str to str, optional
        Display names of the departments.
    rules : mapping, optional
        Rules whose grade thresholds are drawn as dashed lines; default the
        package's rules.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when absent.
    language : {'zh', 'en'}, default='zh'
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. The x axis runs from 80 (or 5 below the lowest score, if
        lower) to 100 so that small deductions show; each bar is labelled
        with its score.

    Examples
    --------
    >>> scores = pd.DataFrame({"department": ["police"], "score": [92.0],
    ...     "grade": ["yellow"]})
    >>> [float(limit) for limit in plot_scorecards(scores).get_xlim()]
    [80.0, 100.0]
    """
    import matplotlib.pyplot as plt

    from pingan.i18n import check_language, label
    from pingan.quality.schedule import _use_cjk_font

    check_language(language)
    _use_cjk_font()
    ordered = scores.sort_values("score", ascending=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.8 + 0.35 * len(ordered)))
    names = [labels.get(d, d) if labels else d for d in ordered["department"]]
    bars = ax.barh(names, ordered["score"], color=ordered["grade"].map(_GRADE_COLOURS))
    ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=8)
    grades = (rules or default_rules())["grades"]
    for threshold in (grades["green"], grades["yellow"]):
        ax.axvline(threshold, color="grey", linestyle="--", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlim(min(80.0, float(ordered["score"].min()) - 5), 100)
    ax.set_xlabel(label("fig_scorecards_x", language))
    ax.set_ylabel(label("department", language))
    ax.set_title(label("fig_scorecards", language))
    return ax
