"""Documented argument errors of the pingan.quality functions."""

import pandas as pd
import pytest

from pingan.exceptions import PinganError
from pingan.quality import (
    build_schedule,
    check_consistency,
    check_drops_to_zero,
    check_impossible_values,
    department_deductions,
    load_quality_rules,
    run_checks,
    score_departments,
    structure_findings,
    submission_history,
    submission_status,
)
from pingan.quality.synthetic import make_catalogue, make_submissions

DATA = make_submissions(n_areas=2, start="2025Q1", end="2025Q1")
AREAS = pd.DataFrame({"area_code": ["01", "02"]})
SCHEDULE = build_schedule(make_catalogue(), AREAS, ["2025Q1"])

CASES = [
    (
        lambda: check_impossible_values(DATA.drop(columns="value"), make_catalogue()),
        "check_impossible_values: data is missing the column",
    ),
    (
        lambda: check_impossible_values(
            DATA, make_catalogue().drop(columns="value_type")
        ),
        "check_impossible_values: catalogue is missing the column",
    ),
    (
        lambda: check_drops_to_zero(DATA.drop(columns="source_row")),
        "check_drops_to_zero: data is missing the column",
    ),
    (
        lambda: structure_findings(pd.DataFrame({"rule": ["x"]})),
        "structure_findings: rejected is missing the column",
    ),
    (
        lambda: build_schedule(make_catalogue(), AREAS, ["2025Q1"], deadline_days=400),
        "build_schedule: deadline_days must be in",
    ),
    (
        lambda: submission_status(SCHEDULE.drop(columns="deadline"), DATA),
        "submission_status: schedule is missing the column",
    ),
    (
        lambda: check_consistency(DATA.drop(columns="area_code"), load_quality_rules()),
        "check_consistency: data is missing the column",
    ),
    (
        lambda: department_deductions(pd.DataFrame({"finding_id": ["F0001"]})),
        "department_deductions: findings is missing the column",
    ),
    (
        lambda: score_departments(pd.DataFrame(), pd.DataFrame({"quarter": []})),
        "score_departments: units is missing the column",
    ),
    (
        lambda: run_checks(DATA, make_catalogue(), "2025 Q5"),
        "quarter .*YYYYQn",
    ),
    (
        lambda: submission_history("xundian-example", "2025Q3", n_quarters=0),
        "submission_history: n_quarters must be in",
    ),
]


@pytest.mark.parametrize(("call", "message"), CASES)
def test_documented_error_raised(call, message):
    with pytest.raises(PinganError, match=message):
        call()
