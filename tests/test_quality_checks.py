"""Value checks of pingan.quality.checks on synthetic tidy submissions."""

import numpy as np
import pandas as pd
import pytest

from pingan.exceptions import PinganError
from pingan.quality import (
    check_drops_to_zero,
    check_implausible_changes,
    check_impossible_values,
    check_repeated_values,
    check_unit_errors,
    structure_findings,
)
from pingan.quality._findings import FINDING_COLUMNS
from pingan.quality.synthetic import make_catalogue, make_submissions


def series(values, indicator="SO05", start="2022Q1", area="01", department="police"):
    quarters = pd.period_range(start, periods=len(values), freq="Q")
    return pd.DataFrame(
        {
            "quarter": quarters,
            "area_code": area,
            "indicator": indicator,
            "value": np.asarray(values, dtype=float),
            "department": department,
            "source_file": [f"{q}/{department}.csv" for q in quarters],
            "source_row": 3,
        }
    )


@pytest.fixture
def clean():
    return make_submissions(n_areas=16, seed=1)


ALL_CHECKS = [
    check_unit_errors,
    check_implausible_changes,
    check_repeated_values,
    check_drops_to_zero,
]


@pytest.mark.parametrize(
    "check", [c for c in ALL_CHECKS if c is not check_implausible_changes]
)
def test_check_clean_data_no_findings(check, clean):
    found = check(clean)
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert found.empty


def test_implausible_change_clean_data_rare(clean):
    # Robust scores from 6-12 values are noisy: a clean series still crosses
    # the threshold now and then, but in well under 1 % of the values.
    found = check_implausible_changes(clean)
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert len(found) <= 0.005 * len(clean)


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_check_does_not_mutate_input(check, clean):
    before = clean.copy()
    check(clean)
    pd.testing.assert_frame_equal(clean, before)


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_check_short_series_no_findings(check):
    assert check(series([5.0, 0.0])).empty


def test_impossible_values_found():
    data = pd.concat(
        [
            series([-2.0], "SO04"),
            series([101.0], "DP01"),
            series([-0.5], "SO05"),
            series([99.0], "DP01"),
        ]
    )
    found = check_impossible_values(data, make_catalogue())
    assert found["rule"].tolist() == [
        "negative_value",
        "percent_out_of_range",
        "negative_value",
    ]
    assert (found["severity"] == "error").all()
    assert found["value"].tolist() == [-2.0, 101.0, -0.5]


@pytest.mark.parametrize(
    ("factor", "value"), [(10_000, 392_000.0), (100, 3_900.0), (10, 380.0)]
)
def test_unit_error_names_factor(factor, value):
    found = check_unit_errors(series([35, 41, 38, 36, 39, value]))
    assert len(found) == 1
    assert f"about {factor} times larger" in found["reason"].iloc[0]
    assert found["quarter"].iloc[0] == pd.Period("2023Q2", "Q")
    assert found["history"].iloc[0].startswith("2022Q1=35")


def test_unit_error_downward_factor():
    found = check_unit_errors(series([352000, 411000, 380000, 362000, 38.1]))
    assert len(found) == 1
    assert "10000 times smaller" in found["reason"].iloc[0]


def test_unit_error_ignores_small_counts():
    # A count moving from about 1 to 10 is no evidence of a unit error.
    assert check_unit_errors(series([1, 2, 1, 1, 10], "SO04")).empty


def test_unit_error_ignores_factor_three():
    assert check_unit_errors(series([35, 41, 38, 36, 110])).empty


def test_unit_error_tolerance_checked():
    with pytest.raises(PinganError, match="check_unit_errors: tolerance must be in"):
        check_unit_errors(series([1.0]), tolerance=0.9)


def test_implausible_change_spike_only_once():
    values = [20, 22, 19, 21, 20, 23, 21, 20, 95, 21]
    found = check_implausible_changes(series(values, "PO01"))
    assert found["quarter"].astype(str).tolist() == ["2024Q1"]
    assert found["value"].iloc[0] == 95.0


def test_implausible_change_constant_history_small_step():
    # A constant history has MAD 0; the Poisson floor keeps a step of 3 quiet.
    assert check_implausible_changes(series([10] * 8 + [13], "PO01")).empty


def test_implausible_change_county_adjusted(clean):
    # Every area's PO01 at the police triples in 2025Q1: a shared shock.
    shocked = clean.copy()
    mask = (
        (shocked["quarter"] == pd.Period("2025Q1", "Q"))
        & (shocked["indicator"] == "PO01")
        & (shocked["department"] == "police")
    )
    shocked.loc[mask, "value"] *= 3
    plain = check_implausible_changes(shocked, quarters=["2025Q1"])
    adjusted = check_implausible_changes(
        shocked, quarters=["2025Q1"], county_adjusted=True
    )
    assert len(plain) >= 8
    assert adjusted.empty


def test_implausible_change_county_adjusted_keeps_outlier(clean):
    single = clean.copy()
    mask = (
        (single["quarter"] == pd.Period("2025Q1", "Q"))
        & (single["indicator"] == "PO01")
        & (single["department"] == "police")
        & (single["area_code"] == "03")
    )
    single.loc[mask, "value"] *= 4
    found = check_implausible_changes(single, quarters=["2025Q1"], county_adjusted=True)
    assert found["area_code"].tolist() == ["03"]
    assert "county factor" in found["reason"].iloc[0]


def test_implausible_change_threshold_checked():
    with pytest.raises(PinganError, match="threshold must be in"):
        check_implausible_changes(series([1.0]), threshold=0)


def test_repeated_value_run_of_four():
    found = check_repeated_values(series([7, 12, 12, 12, 12, 12], "DP01"))
    assert found["quarter"].astype(str).tolist() == ["2023Q1", "2023Q2"]
    assert found["history"].iloc[0] == "2022Q2=12; 2022Q3=12; 2022Q4=12"


def test_repeated_value_zeros_and_gaps_ignored():
    assert check_repeated_values(series([0, 0, 0, 0, 0])).empty
    gapped = series([12, 12, 12, 12]).drop(index=1)
    assert check_repeated_values(gapped).empty


def test_repeated_value_small_counts_ignored():
    assert check_repeated_values(series([3, 3, 3, 3, 3])).empty
    assert len(check_repeated_values(series([3, 3, 3, 3]), min_value=1)) == 1


def test_repeated_value_min_run_configurable():
    assert len(check_repeated_values(series([15, 15, 15]), min_run=3)) == 1
    with pytest.raises(PinganError, match="min_run must be in"):
        check_repeated_values(series([5.0]), min_run=1)


def test_drop_to_zero_found():
    found = check_drops_to_zero(series([14, 11, 16, 12, 0], "SO04"))
    assert len(found) == 1
    assert found["deduction_type"].iloc[0] == "concealed"
    assert "median of 13" in found["reason"].iloc[0]


def test_drop_to_zero_low_level_ignored():
    assert check_drops_to_zero(series([2, 1, 3, 2, 0], "SO04")).empty


def test_check_quarters_restricts_output():
    data = series([35, 41, 38, 36, 392000, 41, 39, 380000])
    found = check_unit_errors(data, quarters=["2023Q4"])
    assert found["quarter"].astype(str).tolist() == ["2023Q4"]


def test_structure_findings_keep_reader_rules():
    rejected = pd.DataFrame(
        {
            "quarter": [pd.Period("2025Q1", "Q")] * 2,
            "department": ["police", "court"],
            "source_file": ["2025Q1/police.csv", "2025Q1/court.xlsx"],
            "source_row": [4, 7],
            "column": ["area", "value"],
            "value": ["Atlantis", "12"],
            "rule": ["unknown_area", "duplicate_conflict"],
            "reason": ["Unknown area.", "Conflicting duplicate."],
        }
    )
    problems = pd.DataFrame(
        {
            "source_file": ["2025Q1/justice.csv"],
            "rule": ["unreadable_encoding"],
            "reason": ["Bad bytes."],
        }
    )
    found = structure_findings(
        rejected, problems, departments=["police", "court", "justice"]
    )
    assert found["rule"].tolist() == [
        "unknown_area",
        "duplicate_conflict",
        "unreadable_encoding",
    ]
    assert found["department"].tolist() == ["police", "court", "justice"]
    assert found["quarter"].astype(str).tolist() == ["2025Q1"] * 3
    assert found["value"].iloc[1] == 12.0
    assert "'Atlantis'" in found["reason"].iloc[0]


def test_structure_findings_unknown_department_unattributed():
    problems = pd.DataFrame(
        {
            "source_file": ["2025Q1/stranger.csv"],
            "rule": ["unknown_department"],
            "reason": ["Who?"],
        }
    )
    found = structure_findings(problems=problems, departments=["police"])
    assert found["department"].isna().all()


def test_structure_findings_unknown_sender_unattributed():
    problems = pd.DataFrame(
        {
            "source_file": ["2025Q1/stranger.csv"],
            "department": ["stranger"],
            "rule": ["unknown_department"],
            "reason": ["Who?"],
        }
    )
    found = structure_findings(problems=problems, departments=["police"])
    assert found["department"].isna().all()
    assert found["quarter"].astype(str).tolist() == ["2025Q1"]


def test_structure_findings_empty_input():
    assert structure_findings(None, None).empty
