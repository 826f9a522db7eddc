"""Data governance: submission tracking, data-quality checks and the negative list.

The county keeps three lists: the catalogue of the data the index needs, the
responsibility list saying which department reports which data by when, and
the negative list (负面清单) grading each department's data quality. This
subpackage builds the schedule from the catalogue, checks what arrived
against it, runs the quality checks (structure, impossible values, unit
errors, implausible changes, falsification signals, cross-source rules),
applies each rule's action, and scores the departments. See
``docs/quality.md`` for the rules, severities, actions and deductions.
"""

from pingan.quality.actions import ActionResult, apply_actions, rule_actions
from pingan.quality.checks import (
    check_drops_to_zero,
    check_implausible_changes,
    check_impossible_values,
    check_repeated_values,
    check_unit_errors,
    structure_findings,
)
from pingan.quality.digits import digit_findings, first_digit_test, last_digit_test
from pingan.quality.negative_list import (
    deduction_table,
    department_deductions,
    grade_score,
    plot_scorecards,
    score_departments,
)
from pingan.quality.report import (
    QualityResult,
    assess_quality,
    flagged_values,
    format_summary,
    quality_overview,
    run_checks,
    run_digit_tests,
    submission_history,
    validate_quarter,
)
from pingan.quality.rules import (
    check_consistency,
    consistency_status,
    load_quality_rules,
)
from pingan.quality.schedule import (
    build_schedule,
    plot_submission_status,
    read_receipts,
    status_findings,
    submission_status,
)

__all__ = [
    "ActionResult",
    "QualityResult",
    "apply_actions",
    "assess_quality",
    "build_schedule",
    "check_consistency",
    "check_drops_to_zero",
    "check_implausible_changes",
    "check_impossible_values",
    "check_repeated_values",
    "check_unit_errors",
    "consistency_status",
    "deduction_table",
    "department_deductions",
    "digit_findings",
    "first_digit_test",
    "flagged_values",
    "format_summary",
    "grade_score",
    "quality_overview",
    "last_digit_test",
    "load_quality_rules",
    "plot_scorecards",
    "plot_submission_status",
    "read_receipts",
    "rule_actions",
    "run_checks",
    "run_digit_tests",
    "score_departments",
    "status_findings",
    "structure_findings",
    "submission_history",
    "submission_status",
    "validate_quarter",
]
