"""One quarter's assessment end to end on synthetic submissions with planted problems."""

import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from pingan.exceptions import PinganError
from pingan.quality import (
    assess_quality,
    flagged_values,
    format_summary,
    validate_quarter,
)
from pingan.quality._findings import FINDING_COLUMNS
from pingan.quality.synthetic import make_catalogue, make_submissions

QUARTER = pd.Period("2025Q1", "Q")


def set_value(data, quarter, area, indicator, department, value):
    mask = (
        (data["quarter"] == pd.Period(quarter, "Q"))
        & (data["area_code"] == area)
        & (data["indicator"] == indicator)
        & (data["department"] == department)
    )
    assert mask.sum() == 1
    out = data.copy()
    out.loc[mask, "value"] = value
    return out


@pytest.fixture(scope="module")
def planted():
    data = make_submissions(n_areas=8, seed=2)
    data = set_value(data, "2025Q1", "01", "SO05", "police", 175000.0)  # unit error
    data = set_value(data, "2025Q1", "02", "SO04", "police", 0.0)  # drop to zero
    data = set_value(data, "2025Q1", "03", "DP01", "justice", 101.5)  # over 100 %
    for quarter in ("2024Q2", "2024Q3", "2024Q4", "2025Q1"):
        data = set_value(data, quarter, "04", "PO01", "police", 33.0)  # repeated
    late = (data["quarter"] == QUARTER) & (data["department"] == "court")
    data.loc[late, "submitted_at"] = pd.Timestamp("2025-04-17 09:00")
    gone = (
        (data["quarter"] == QUARTER)
        & (data["area_code"] == "05")
        & (data["department"] == "justice")
    )
    return data[~gone].reset_index(drop=True)


@pytest.fixture(scope="module")
def result(planted):
    areas = pd.DataFrame({"area_code": sorted(planted["area_code"].unique())})
    return assess_quality(
        planted,
        make_catalogue(),
        areas,
        "2025Q1",
        departments=["police", "court", "justice"],
        dataset="demo",
    )


EXPECTED = [  # rule, area, indicator, department
    ("unit_error", "01", "SO05", "police"),
    ("drop_to_zero", "02", "SO04", "police"),
    ("fraud_loss_without_case", "02", "SO05", "police"),
    ("percent_out_of_range", "03", "DP01", "justice"),
    ("repeated_value", "04", "PO01", "police"),
    ("incomplete_submission", None, "DP01", "justice"),
    ("late_submission", None, None, "court"),
]


@pytest.mark.parametrize(("rule", "area", "indicator", "department"), EXPECTED)
def test_planted_problem_found(result, rule, area, indicator, department):
    hits = result.findings[
        (result.findings["rule"] == rule)
        & (result.findings["department"] == department)
    ]
    if area is not None:
        hits = hits[hits["area_code"] == area]
    if indicator is not None:
        hits = hits[hits["indicator"] == indicator]
    assert len(hits) == 1


def test_result_not_ok_with_errors(result):
    assert not result.ok


def test_result_ok_on_clean_data():
    data = make_submissions(n_areas=4, seed=3)
    areas = pd.DataFrame({"area_code": sorted(data["area_code"].unique())})
    clean = assess_quality(data, make_catalogue(), areas, "2025Q1")
    assert clean.ok
    assert clean.findings["severity"].ne("error").all()


def test_no_other_findings(result):
    assert len(result.findings) == len(EXPECTED)
    assert list(result.findings.columns) == list(FINDING_COLUMNS)
    assert result.findings["finding_id"].is_unique


def test_actions_logged(result):
    actions = result.actions.set_index("rule")
    assert actions.loc["unit_error", "action"] == "impute"
    assert actions.loc["percent_out_of_range", "action"] == "exclude"
    assert actions.loc["repeated_value", "action"] == "flag"
    assert actions.loc["unit_error", "new_value"] < 100
    assert (result.data["quarter"] == QUARTER).all()
    assert result.data["value"].max() < 1000


def test_scores_follow_findings(result):
    scores = result.scores.set_index("department")
    # police: unit error 0.5, repeated 0.5, drop to zero 3, fraud rule 3.
    assert scores.loc["police", "score"] == 93.0
    assert scores.loc["police", "grade"] == "yellow"
    assert scores.loc["court", "score"] == 99.5  # late 0.5
    # justice: 101.5 % excluded (0.5) and one area missing (1).
    assert scores.loc["justice", "score"] == 98.5


def test_flagged_values_with_actions(result):
    flagged = flagged_values(result).set_index("rule")
    assert flagged.loc["unit_error", "action"] == "impute"
    assert flagged.loc["unit_error", "value"] == 175000.0
    assert flagged.loc["percent_out_of_range", "action"] == "exclude"
    assert pd.isna(flagged.loc["percent_out_of_range", "new_value"])
    assert flagged.loc["repeated_value", "history"].startswith("2024Q2=33")
    assert "incomplete_submission" not in flagged.index


def test_summary_sections(result):
    text = format_summary(result)
    assert text.startswith("Data quality of demo, 2025Q1")
    for section in (
        "Submissions:",
        "Negative list",
        "Findings: 7",
        "Actions:",
        "Digit tests:",
        "not applied: no power",
    ):
        assert section in text
    assert "court            late" in text


def test_structure_findings_included(planted):
    rejected = pd.DataFrame(
        {
            "quarter": [QUARTER],
            "department": ["court"],
            "source_file": ["2025Q1/court.csv"],
            "source_row": [9],
            "column": ["value"],
            "value": ["n/a"],
            "rule": ["not_a_number"],
            "reason": ["Not a number."],
        }
    )
    problems = pd.DataFrame(
        {
            "source_file": ["2024Q4/justice.csv"],
            "rule": ["empty_file"],
            "reason": ["Empty."],
        }
    )
    areas = pd.DataFrame({"area_code": sorted(planted["area_code"].unique())})
    result = assess_quality(
        planted,
        make_catalogue(),
        areas,
        "2025Q1",
        rejected=rejected,
        problems=problems,
        departments=["police", "court", "justice"],
    )
    structure = result.findings[result.findings["check"] == "structure"]
    assert structure["rule"].tolist() == ["not_a_number"]  # 2024Q4 problem left out


def fake_dataset_module(root, data, catalogue, areas):
    """A stand-in for pingan.datasets with the documented load_dataset contract."""
    quarters = sorted(data["quarter"].unique())

    def read_quarters(wanted):
        chosen = data[data["quarter"].isin(wanted)].reset_index(drop=True)
        return types.SimpleNamespace(
            data=chosen,
            rejected=pd.DataFrame(),
            problems=pd.DataFrame(columns=["source_file", "rule", "reason"]),
            notes=pd.DataFrame(),
        )

    dataset = types.SimpleNamespace(
        name="demo",
        meta={},
        root=Path(root),
        catalogue=catalogue,
        areas=areas,
        departments=pd.DataFrame({"department": ["police", "court", "justice"]}),
        quarters=quarters,
        read_quarters=read_quarters,
    )
    module = types.ModuleType("pingan.datasets")
    module.load_dataset = lambda name: dataset
    return module


def test_validate_quarter_contract(monkeypatch, tmp_path, planted):
    (tmp_path / "2025Q1").mkdir()
    (tmp_path / "2025Q1" / "_receipts.csv").write_text("not,a receipts file\n1,2\n")
    areas = pd.DataFrame({"area_code": sorted(planted["area_code"].unique())})
    module = fake_dataset_module(tmp_path, planted, make_catalogue(), areas)
    monkeypatch.setitem(sys.modules, "pingan.datasets", module)
    result = validate_quarter("demo", "2025Q1")
    assert result.quarter == QUARTER
    assert result.problems["rule"].tolist() == ["unreadable_receipts"]
    assert "lacks column" in result.problems["reason"].iloc[0]
    assert "unit_error" in set(result.findings["rule"])
    with pytest.raises(PinganError, match="validate_quarter: quarter must be one of"):
        validate_quarter("demo", "2030Q1")


def test_bad_receipt_time_affects_its_file_only(monkeypatch, tmp_path, planted):
    (tmp_path / "2025Q1").mkdir()
    (tmp_path / "2025Q1" / "_receipts.csv").write_text(
        "file,department,submitted_at\n"
        "police.csv,police,7/4/2025\n"
        "court.csv,court,2025-04-17T09:00\n"
        "justice.csv,justice,2025年4月9日\n",
        encoding="utf-8",
    )
    data = planted.drop(columns="submitted_at")
    areas = pd.DataFrame({"area_code": sorted(planted["area_code"].unique())})
    module = fake_dataset_module(tmp_path, data, make_catalogue(), areas)
    monkeypatch.setitem(sys.modules, "pingan.datasets", module)
    result = validate_quarter("demo", "2025Q1")
    status = result.status.set_index("department")
    assert status.loc["police", "status"] == "time_unknown"
    assert status.loc["court", "status"] == "late"
    assert status.loc["court", "days_late"] == 7
    assert status.loc["justice", "days_late"] == -1
    assert result.problems["rule"].tolist() == ["invalid_arrival_time"]
    assert result.problems["reason"].iloc[0] == (
        "file 2025Q1/_receipts.csv, row 2, column 'submitted_at', value "
        "'7/4/2025': the arrival time is not a date-time, so the arrival of "
        "police.csv is unknown. Write it year first, e.g. 2025-10-07T09:41, "
        "2025-10-07 09:41:00, 2025-10-07, 2025/10/7 9:41, 2025.10.7 or "
        "2025年10月7日 9:41."
    )
    finding = result.findings.set_index("rule").loc["invalid_arrival_time"]
    assert finding["severity"] == "warning"
    assert pd.isna(finding["department"])


def test_summary_line_without_department(planted):
    problems = pd.DataFrame(
        {
            "quarter": [QUARTER],
            "source_file": ["2025Q1/fire.csv"],
            "rule": ["unknown_department"],
            "reason": ["file 2025Q1/fire.csv: the file name 'fire' is unknown."],
        }
    )
    areas = pd.DataFrame({"area_code": sorted(planted["area_code"].unique())})
    result = assess_quality(
        planted,
        make_catalogue(),
        areas,
        "2025Q1",
        problems=problems,
        departments=["police", "court", "justice"],
    )
    lines = [
        line for line in format_summary(result).splitlines() if "fire.csv:" in line
    ]
    assert lines[0].endswith(
        "unknown_department (error): file 2025Q1/fire.csv: the file name 'fire' "
        "is unknown. [2025Q1/fire.csv]"
    )
