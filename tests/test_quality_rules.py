"""Rules file loading and cross-source consistency rules."""

import pandas as pd
import pytest

from pingan.exceptions import InputError, PinganError
from pingan.quality import check_consistency, consistency_status, load_quality_rules
from pingan.quality.rules import default_rules, expression_names, merge_rules


def area_rows(values, quarter="2025Q1", department="police"):
    """Tidy rows from {area: {indicator: value}}."""
    rows = []
    for area, indicators in values.items():
        for row, (indicator, value) in enumerate(indicators.items(), start=2):
            rows.append(
                {
                    "quarter": pd.Period(quarter, "Q"),
                    "area_code": area,
                    "indicator": indicator,
                    "value": float(value),
                    "department": department,
                    "source_file": f"{quarter}/{department}.csv",
                    "source_row": row,
                }
            )
    return pd.DataFrame(rows)


def test_defaults_deduction_table():
    rules = load_quality_rules()
    assert rules["deductions"]["points"] == {
        "falsified": 5,
        "concealed": 3,
        "omitted": 1,
        "late": 0.5,
        "implausible": 0.5,
    }
    assert rules["deductions"]["cap"] == 10
    assert rules["grades"] == {
        "green": 95,
        "yellow": 85,
        "red_if": ["missing_submission"],
    }
    assert rules["deadline_days"] == 10


def test_dataset_override_merges(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "quality.yaml").write_text(
        "deadline_days: 15\n"
        "actions: {repeated_value: exclude}\n"
        "consistency:\n"
        "  - id: fraud_loss_without_case\n    enabled: false\n"
        "  - id: court_above_police\n    when: 'CT01 > 2 * SO04'\n    flag: CT01\n",
        encoding="utf-8",
    )
    rules = load_quality_rules(dataset_root=tmp_path)
    assert rules["deadline_days"] == 15
    assert rules["actions"]["repeated_value"] == "exclude"
    assert rules["actions"]["unit_error"] == "impute"
    assert [r["id"] for r in rules["consistency"]] == ["court_above_police"]


def test_missing_dataset_override_uses_defaults(tmp_path):
    assert load_quality_rules(dataset_root=tmp_path) == load_quality_rules()


def test_invalid_action_rejected(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("actions: {unit_error: delete}\n", encoding="utf-8")
    with pytest.raises(InputError, match="action of rule 'unit_error' must be one of"):
        load_quality_rules(path)


def test_invalid_yaml_rejected(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("actions: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_quality_rules(path)


def test_consistency_rule_missing_keys_rejected(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(
        "consistency:\n  - id: broken\n    when: 'A > 0'\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="consistency rule lacks flag"):
        load_quality_rules(path)


@pytest.mark.parametrize(
    "expression",
    [
        "SO05.__class__",
        "__import__('os')",
        "SO05 > 0; SO04",
        "@x > 1",
        "SO05[0] > 1",
        "SO05 if SO04 else 1 ==",
    ],
)
def test_expression_unsafe_tokens_rejected(expression):
    with pytest.raises(PinganError, match="is not allowed"):
        expression_names(expression)


def test_expression_names_backticks():
    assert expression_names("`Theft - Burglary` >= 2 * SO04 or not (X1 != 0)") == [
        "Theft - Burglary",
        "SO04",
        "X1",
    ]


def test_unsafe_when_in_file_rejected(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(
        "consistency:\n  - id: bad\n    when: 'SO05.sum() > 0'\n    flag: SO05\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="is not allowed"):
        load_quality_rules(path)


def test_fraud_loss_without_case_found():
    data = area_rows(
        {
            "01": {"SO04": 0, "SO05": 12.5},
            "02": {"SO04": 3, "SO05": 4},
            "03": {"SO04": 0, "SO05": 0},
        }
    )
    found = check_consistency(data, load_quality_rules())
    assert found["area_code"].tolist() == ["01"]
    assert found["indicator"].tolist() == ["SO05"]
    assert found["rule"].tolist() == ["fraud_loss_without_case"]
    assert found["deduction_type"].tolist() == ["concealed"]
    assert found["history"].iloc[0] == "SO05=12.5; SO04=0"
    assert found["source_row"].iloc[0] == 3


def test_consistency_sums_departments():
    # SO04 is zero at the police but the bank reports a case: no finding.
    police = area_rows({"01": {"SO04": 0, "SO05": 12.5}})
    bank = area_rows({"01": {"SO04": 1}}, department="bank")
    assert check_consistency(pd.concat([police, bank]), load_quality_rules()).empty


def test_consistency_missing_indicator_no_finding():
    data = area_rows({"01": {"SO05": 12.5}, "02": {"SO04": 0, "SO05": 1}})
    found = check_consistency(data, load_quality_rules())
    assert found["area_code"].tolist() == ["02"]


def test_consistency_rule_not_applied_reported():
    data = area_rows({"01": {"PO01": 3}})
    status = consistency_status(data, load_quality_rules())
    assert not bool(status["applied"].iloc[0])
    assert (
        status["reason"].iloc[0]
        == "not applied: indicator(s) SO04, SO05 not in the data"
    )
    assert check_consistency(data, load_quality_rules()).empty


def test_custom_rule_arithmetic():
    rules = merge_rules(
        default_rules(),
        {
            "consistency": [
                {
                    "id": "court_above_police",
                    "when": "CT01 > 2 * SO04",
                    "flag": "CT01",
                    "severity": "warning",
                    "deduction": "implausible",
                }
            ]
        },
    )
    data = pd.concat(
        [
            area_rows({"01": {"SO04": 2}, "02": {"SO04": 5}}),
            area_rows({"01": {"CT01": 9}, "02": {"CT01": 6}}, department="court"),
        ]
    )
    found = check_consistency(data, rules)
    assert found["area_code"].tolist() == ["01"]
    assert found["department"].tolist() == ["court"]
