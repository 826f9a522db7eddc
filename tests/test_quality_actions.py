"""Actions on flagged values: exclude, flag, impute, with the log."""

import numpy as np
import pandas as pd
import pytest

from pingan.exceptions import PinganError
from pingan.quality import apply_actions, rule_actions
from pingan.quality.actions import ACTION_COLUMNS
from pingan.quality.rules import default_rules, merge_rules


def series(values, indicator="SO05"):
    quarters = pd.period_range("2024Q1", periods=len(values), freq="Q")
    return pd.DataFrame(
        {
            "quarter": quarters,
            "area_code": "01",
            "indicator": indicator,
            "value": np.asarray(values, float),
            "department": "police",
            "source_file": [f"{q}/police.csv" for q in quarters],
            "source_row": 2,
        }
    )


def finding(data, position, rule, finding_id="F0001"):
    row = data.iloc[position]
    return {
        "finding_id": finding_id,
        "rule": rule,
        "quarter": row["quarter"],
        "area_code": row["area_code"],
        "indicator": row["indicator"],
        "department": row["department"],
        "source_file": row["source_file"],
        "source_row": row["source_row"],
    }


def test_default_actions():
    actions = rule_actions()
    assert actions["negative_value"] == "exclude"
    assert actions["unit_error"] == "impute"
    assert actions["implausible_change"] == "flag"


def test_impute_median_of_last_four():
    data = series([10, 30, 35, 41, 38, 392000])
    result = apply_actions(data, pd.DataFrame([finding(data, 5, "unit_error")]))
    log = result.actions
    assert list(log.columns) == ACTION_COLUMNS
    assert log["new_value"].tolist() == [36.5]  # median of 30, 35, 41, 38
    assert log["old_value"].tolist() == [392000.0]
    assert "2024Q2=30; 2024Q3=35; 2024Q4=41; 2025Q1=38" in log["reason"].iloc[0]
    assert result.data["value"].iloc[5] == 36.5
    assert result.data["quality_action"].iloc[5] == "impute"


def test_exclude_drops_row():
    data = series([10, 12, -3])
    result = apply_actions(data, pd.DataFrame([finding(data, 2, "negative_value")]))
    assert len(result.data) == 2
    assert result.actions["action"].tolist() == ["exclude"]
    assert np.isnan(result.actions["new_value"].iloc[0])


def test_flag_keeps_value():
    data = series([10, 12, 95])
    result = apply_actions(data, pd.DataFrame([finding(data, 2, "implausible_change")]))
    assert result.data["value"].tolist() == [10.0, 12.0, 95.0]
    assert result.data["quality_action"].iloc[2] == "flag"
    assert result.data["quality_action"].isna().sum() == 2
    assert result.actions["new_value"].tolist() == [95.0]


def test_strongest_action_wins():
    data = series([10, 12, 14, 13, 0])
    found = pd.DataFrame(
        [
            finding(data, 4, "drop_to_zero", "F0001"),
            finding(data, 4, "negative_value", "F0002"),
        ]
    )
    result = apply_actions(data, found)
    assert result.actions["action"].tolist() == ["exclude"]
    assert result.actions["rule"].tolist() == ["drop_to_zero|negative_value"]
    assert result.actions["finding_ids"].tolist() == ["F0001|F0002"]


def test_impute_without_history_excludes():
    data = series([392000])
    result = apply_actions(data, pd.DataFrame([finding(data, 0, "unit_error")]))
    assert result.actions["action"].tolist() == ["exclude"]
    assert result.actions["reason"].iloc[0].startswith("not imputed")
    assert result.data.empty


def test_impute_skips_other_bad_values():
    data = series([30, 35, 410000, 38, 392000])
    found = pd.DataFrame(
        [
            finding(data, 2, "unit_error", "F0001"),
            finding(data, 4, "unit_error", "F0002"),
        ]
    )
    result = apply_actions(data, found)
    assert result.actions["new_value"].tolist() == [32.5, 35.0]


def test_configured_action_used():
    rules = merge_rules(default_rules(), {"actions": {"implausible_change": "exclude"}})
    data = series([10, 12, 95])
    result = apply_actions(
        data, pd.DataFrame([finding(data, 2, "implausible_change")]), rules
    )
    assert result.actions["action"].tolist() == ["exclude"]


def test_findings_without_value_ignored():
    data = series([10, 12])
    found = pd.DataFrame([{**finding(data, 1, "last_digit"), "area_code": np.nan}])
    result = apply_actions(data, found)
    assert result.actions.empty
    assert len(result.data) == 2


def test_input_not_mutated():
    data = series([30, 35, 41, 38, 392000])
    before = data.copy()
    apply_actions(data, pd.DataFrame([finding(data, 4, "unit_error")]))
    pd.testing.assert_frame_equal(data, before)


def test_impute_quarters_checked():
    data = series([1.0])
    with pytest.raises(PinganError, match="apply_actions: impute_quarters must be in"):
        apply_actions(
            data, pd.DataFrame([finding(data, 0, "unit_error")]), impute_quarters=0
        )
