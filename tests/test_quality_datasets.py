"""validate_quarter on the bundled datasets: planted problems, real data, robustness."""

import shutil

import pandas as pd
import pytest

from pingan.config import raw_dir
from pingan.io import sha256_file
from pingan.quality import (
    format_summary,
    load_quality_rules,
    submission_history,
    validate_quarter,
)
from pingan.quality.checks import STRUCTURE_RULES

VALUE_RULES = {
    "negative_value",
    "percent_out_of_range",
    "unit_error",
    "implausible_change",
    "repeated_value",
    "drop_to_zero",
}
KNOWN_RULES = (
    set(STRUCTURE_RULES)
    | VALUE_RULES
    | {
        "last_digit",
        "first_digit",
        "missing_submission",
        "incomplete_submission",
        "late_submission",
    }
    | {rule["id"] for rule in load_quality_rules()["consistency"]}
)


def raw_hashes(root):
    return {
        p.relative_to(root).as_posix(): sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# Reading 15 quarters of Xundian files takes about 14 s on a loaded two-core
# machine, so the tests that use this fixture are marked slow.
@pytest.fixture(scope="module")
def xundian_results():
    planted = pd.read_csv(
        raw_dir("xundian-example") / "planted_problems.csv", dtype={"area_code": str}
    )
    results = {
        q: validate_quarter("xundian-example", q)
        for q in sorted(planted["quarter"].unique())
    }
    return planted, results


def planted_hits(problem, result):
    table = result.notes if problem.expected_rule == "area_alias" else result.findings
    hits = table[table["rule"] == problem.expected_rule]
    if pd.notna(problem.source_row):
        hits = hits[
            (hits["source_file"] == problem.source_file)
            & (hits["source_row"] == int(problem.source_row))
        ]
    if "department" in hits and pd.notna(problem.department):
        hits = hits[hits["department"] == problem.department]
    return hits


@pytest.mark.slow
def test_xundian_every_planted_problem_found(xundian_results):
    planted, results = xundian_results
    assert len(planted) == 5
    for problem in planted.itertuples():
        hits = planted_hits(problem, results[problem.quarter])
        assert len(hits) == 1, f"{problem.quarter} {problem.expected_rule} not found"


@pytest.mark.slow
def test_xundian_unit_error_imputed(xundian_results):
    _, results = xundian_results
    actions = results["2023Q3"].actions
    unit = actions[actions["rule"].str.contains("unit_error")]
    assert unit["old_value"].tolist() == [380000.0]
    assert unit["action"].tolist() == ["impute"]
    assert 20 < unit["new_value"].iloc[0] < 80  # the true value is 38


@pytest.mark.slow
def test_xundian_late_file_days(xundian_results):
    _, results = xundian_results
    status = results["2025Q3"].status.set_index("department")
    assert status.loc["court", "status"] == "late"
    assert status.loc["court", "days_late"] == 7
    assert (status.drop(index="court")["status"] == "on_time").all()


@pytest.mark.slow
def test_xundian_summary_readable(xundian_results):
    _, results = xundian_results
    text = format_summary(results["2023Q3"])
    assert "unit_error" in text
    assert "2023Q3/court.csv row 6" in text


@pytest.mark.slow
def test_xundian_submission_history():
    history = submission_history("xundian-example", "2025Q3")
    assert history["quarter"].astype(str).unique().tolist() == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
        "2025Q3",
    ]
    assert len(history) == 4 * 12
    late = history[history["status"] == "late"]
    assert late[["department", "days_late"]].values.tolist() == [["court", 7]]


def check_explained(result):
    findings = result.findings
    assert set(findings["rule"]) <= KNOWN_RULES
    assert findings["reason"].str.len().gt(20).all()
    located = findings[findings["rule"].isin(VALUE_RULES)]
    assert located["source_file"].notna().all()
    assert located["source_row"].notna().all()
    assert located["history"].notna().all()
    for row in result.scores.itertuples():
        if row.grade != "green" or row.deduction > 0:
            ids = row.finding_ids.split("|")
            assert ids and set(ids) <= set(findings["finding_id"])
    assert not (
        result.scores["grade"].eq("red") & result.scores["finding_ids"].eq("")
    ).any()


@pytest.mark.parametrize(
    ("dataset", "quarter"),
    [
        ("london", "2025Q3"),
        ("london", "2020Q2"),
        ("ireland", "2019Q3"),
        ("ireland", "2008Q1"),
    ],
)
def test_real_data_findings_explained(dataset, quarter):
    result = validate_quarter(dataset, quarter)
    check_explained(result)
    assert result.digit_tests["reason"].notna().all()


@pytest.mark.slow
def test_malformed_files_do_not_stop_run(tmp_path, monkeypatch):
    root = tmp_path / "data" / "raw" / "xundian-example"
    shutil.copytree(raw_dir("xundian-example"), root)
    (root / "2025Q4" / "court.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81\x82")
    (root / "2025Q4" / "justice.csv").write_text("", encoding="utf-8")
    (root / "2025Q4" / "_receipts.csv").write_text("file\n", encoding="utf-8")
    monkeypatch.setenv("PINGAN_HOME", str(tmp_path))
    before = raw_hashes(root)
    result = validate_quarter("xundian-example", "2025Q4", history_quarters=4)
    assert raw_hashes(root) == before
    assert {"2025Q4/court.csv", "2025Q4/justice.csv", "2025Q4/_receipts.csv"} <= set(
        result.problems["source_file"]
    )
    status = result.status.set_index("department")
    assert status.loc["court", "status"] == "missing"
    assert status.loc["justice", "status"] == "missing"
    assert (
        status.loc["police_110", "n_received"] == status.loc["police_110", "n_expected"]
    )
    structure = result.findings[result.findings["check"] == "structure"]
    assert {"court", "justice"} <= set(structure["department"])
    check_explained(result)


def test_raw_files_unchanged():
    root = raw_dir("xundian-example")
    before = raw_hashes(root)
    validate_quarter("xundian-example", "2024Q2", history_quarters=4)
    assert raw_hashes(root) == before


def test_london_lockdown_county_adjusted(tmp_path):
    # In 2020Q2 drug offences rose and thefts fell in every borough at once.
    rules = tmp_path / "quality.yaml"
    rules.write_text(
        "checks:\n  implausible_change: {county_adjusted: true}\n", encoding="utf-8"
    )
    plain = validate_quarter("london", "2020Q2").findings
    adjusted = validate_quarter("london", "2020Q2", rules_path=str(rules)).findings
    assert (plain["rule"] == "implausible_change").sum() == 8
    assert (adjusted["rule"] == "implausible_change").sum() == 1
