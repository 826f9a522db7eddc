"""Negative-list deductions, scores and grades."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from pingan.quality import (
    deduction_table,
    department_deductions,
    grade_score,
    plot_scorecards,
    score_departments,
)
from pingan.quality.negative_list import SCORE_COLUMNS
from pingan.quality.rules import default_rules, merge_rules

Q = pd.Period("2025Q1", "Q")


def findings(rows):
    table = pd.DataFrame(rows, columns=["department", "deduction_type", "n_items"])
    table["finding_id"] = [f"F{i + 1:04d}" for i in range(len(table))]
    table["quarter"] = Q
    return table


def units(*departments):
    return pd.DataFrame({"quarter": Q, "department": list(departments)})


def test_deduction_table_defaults():
    table = deduction_table().set_index("deduction_type")
    assert table["points_per_item"].to_dict() == {
        "falsified": 5.0,
        "concealed": 3.0,
        "omitted": 1.0,
        "late": 0.5,
        "implausible": 0.5,
    }
    assert (table["cap"] == 10.0).all()


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "green"),
        (95, "green"),
        (94.5, "yellow"),
        (85, "yellow"),
        (84.9, "red"),
        (0, "red"),
    ],
)
def test_grade_thresholds(score, grade):
    assert grade_score(score) == grade


def test_grade_thresholds_configurable():
    rules = merge_rules(default_rules(), {"grades": {"green": 99, "yellow": 90}})
    assert grade_score(95, rules) == "yellow"


def test_score_worked_example():
    # 1 falsified (5) + 2 concealed (6) + 14 omitted items (capped at 10)
    # + 3 late (1.5) = 22.5 points off: score 77.5, red.
    table = findings(
        [
            ("police", "falsified", 1),
            ("police", "concealed", 1),
            ("police", "concealed", 1),
            ("police", "omitted", 14),
            ("police", "late", 3),
        ]
    )
    result = score_departments(table, units("police"))
    assert list(result.columns) == SCORE_COLUMNS
    scores = result.set_index("department")
    assert scores.loc["police", "deduction"] == 22.5
    assert scores.loc["police", "score"] == 77.5
    assert scores.loc["police", "grade"] == "red"
    assert scores.loc["police", "n_findings"] == 5


def test_cap_applies_per_type():
    detail = department_deductions(findings([("court", "omitted", 25)]))
    assert detail["points"].iloc[0] == 25.0
    assert detail["points_capped"].iloc[0] == 10.0


def test_department_without_findings_green():
    scores = score_departments(findings([]), units("justice"))
    assert scores["score"].tolist() == [100.0]
    assert scores["grade"].tolist() == ["green"]
    assert scores["evidence"].tolist() == [""]


def test_unattributed_findings_not_scored():
    table = findings([(None, "implausible", 1), ("court", "late", 1)])
    scores = score_departments(table, units("court"))
    assert scores["department"].tolist() == ["court"]
    assert scores["score"].tolist() == [99.5]


def test_every_deduction_links_findings():
    table = findings(
        [("police", "falsified", 1), ("police", "concealed", 3), ("court", "late", 1)]
    )
    scores = score_departments(table, units("police", "court", "justice"))
    for row in scores.itertuples():
        if row.deduction > 0:
            ids = set(row.finding_ids.split("|"))
            assert ids <= set(table["finding_id"])
            assert ids
        assert (row.grade == "green") == (row.score >= 95)
    police = scores.set_index("department").loc["police"]
    assert police["finding_ids"] == "F0002|F0001"
    assert police["evidence"] == "concealed -9 (F0002); falsified -5 (F0001)"


def test_missing_submission_forces_red():
    # Capped at 10 points, omissions alone leave a silent department at 90;
    # grades.red_if makes it red, with the findings as evidence.
    table = findings([("court", "omitted", 16), ("court", "omitted", 16)])
    table["rule"] = "missing_submission"
    scores = score_departments(table, units("court")).set_index("department")
    assert scores.loc["court", "score"] == 90.0
    assert scores.loc["court", "grade"] == "red"
    assert scores.loc["court", "finding_ids"] == "F0001|F0002"
    assert "red because of missing_submission" in scores.loc["court", "evidence"]


def test_red_if_empty_keeps_score_grade():
    rules = merge_rules(default_rules(), {"grades": {"red_if": []}})
    table = findings([("court", "omitted", 16)])
    table["rule"] = "missing_submission"
    assert score_departments(table, units("court"), rules)["grade"].iloc[0] == "yellow"


def test_score_floor_zero():
    rules = merge_rules(default_rules(), {"deductions": {"cap": 50}})
    table = findings(
        [
            ("police", t, 20)
            for t in ("falsified", "concealed", "omitted", "late", "implausible")
        ]
    )
    assert score_departments(table, units("police"), rules)["score"].iloc[0] == 0.0


def test_plot_scorecards_bars():
    scores = score_departments(
        findings([("police", "concealed", 3)]), units("police", "court")
    )
    ax = plot_scorecards(scores, labels={"police": "公安局", "court": "法院"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["法院", "公安局"]
    assert [round(p.get_width(), 1) for p in ax.patches] == [100.0, 91.0]
    assert [t.get_text() for t in ax.texts] == ["100.0", "91.0"]
    assert ax.get_xlim()[0] == 80.0
