import pandas as pd
import pytest

from pingan.alerts._testing import CATALOGUE, make_values, score_values
from pingan.alerts.register import (
    REGISTER_COLUMNS,
    decide_status,
    latest_status,
    read_register,
    summarise_register,
    update_register,
    write_register,
)
from pingan.alerts.rules import RuleInputs, evaluate_rules
from pingan.exceptions import PinganError, PinganWarning


def checks_for(
    quarter: str,
    triggered: bool,
    metric: float,
    level: str = "warning",
    condition: str = "A-grade_red",
) -> pd.DataFrame:
    area, rule = condition.split("-", 1)
    return pd.DataFrame(
        {
            "warning_id": [f"{quarter}-{condition}"],
            "condition": [condition],
            "recipient_type": ["area"],
            "recipient_id": [area],
            "rule": [rule],
            "subject": [""],
            "level": [level],
            "triggered": [triggered],
            "metric": [metric],
            "better": [1],
        }
    )


def run(steps: list[tuple[str, bool, float, str]]) -> pd.DataFrame:
    register = read_register("/nonexistent/register.csv")
    for quarter, triggered, metric, level in steps:
        register = update_register(
            register, checks_for(quarter, triggered, metric, level), quarter
        )
    return register


def test_register_lifecycle():
    register = run(
        [
            ("2025Q1", True, 50.0, "warning"),
            ("2025Q2", True, 48.0, "interview"),  # red again: the ladder moved
            ("2025Q3", True, 47.0, "interview"),  # still red and lower
            ("2025Q4", True, 55.0, "interview"),  # still red but higher
            ("2026Q1", False, 70.0, "warning"),  # no longer red: first clear quarter
            ("2026Q2", False, 72.0, "warning"),  # second clear quarter: closed
            ("2026Q3", False, 72.0, "warning"),  # closed warnings are no longer checked
        ]
    )
    assert register["status"].tolist() == [
        "open",
        "escalated",
        "persisting",
        "improved",
        "improved",
        "closed",
    ]
    assert register["warning_id"].unique().tolist() == ["2025Q1-A-grade_red"]
    assert list(register.columns) == REGISTER_COLUMNS
    latest = latest_status(register)
    assert latest["quarters_to_close"].tolist() == [5.0]
    assert latest["checks"].tolist() == [5]


def test_register_recurrence_is_new_warning():
    register = run(
        [
            ("2025Q1", True, 50.0, "warning"),
            ("2025Q2", False, 70.0, "warning"),
            ("2025Q3", False, 70.0, "warning"),
            ("2025Q4", True, 50.0, "warning"),
        ]
    )
    assert register["warning_id"].tolist() == [
        "2025Q1-A-grade_red",
        "2025Q1-A-grade_red",
        "2025Q1-A-grade_red",
        "2025Q4-A-grade_red",
    ]
    assert register["status"].tolist() == ["open", "improved", "closed", "open"]


def test_register_clear_then_back_is_not_closed():
    register = run(
        [
            ("2025Q1", True, 50.0, "warning"),
            ("2025Q2", False, 70.0, "warning"),
            ("2025Q3", True, 50.0, "warning"),
            ("2025Q4", False, 70.0, "warning"),
        ]
    )
    assert register["status"].tolist() == ["open", "improved", "persisting", "improved"]


def test_register_missing_value_persists():
    register = run([("2025Q1", True, 50.0, "warning")])
    empty = checks_for("2025Q2", True, 1.0).iloc[0:0]
    register = update_register(register, empty, "2025Q2")
    assert register["status"].tolist() == ["open", "persisting"]
    assert register["condition_holds"].tolist() == [True, None]


def test_decide_status_close_after_three():
    history = pd.DataFrame(
        {
            "condition_holds": [True, False],
            "metric": [50.0, 70.0],
            "better": [1, 1],
            "level": ["warning", "warning"],
        }
    )
    assert decide_status(history, False, 71.0, "warning", close_after=3) == "improved"
    history = pd.concat([history, history.tail(1)], ignore_index=True)
    assert decide_status(history, False, 71.0, "warning", close_after=3) == "closed"


def test_decide_status_lower_is_better():
    history = pd.DataFrame(
        {"condition_holds": [True], "metric": [3.0], "better": [-1], "level": ["watch"]}
    )
    assert decide_status(history, True, 2.0, "watch") == "improved"
    assert decide_status(history, True, 3.0, "watch") == "persisting"
    assert decide_status(history, True, 4.0, "watch") == "persisting"


def test_rerun_same_quarter_unchanged():
    register = run(
        [("2025Q1", True, 50.0, "warning"), ("2025Q2", True, 49.0, "warning")]
    )
    again = update_register(register, checks_for("2025Q2", True, 49.0), "2025Q2")
    pd.testing.assert_frame_equal(again, register)
    earlier = update_register(register, checks_for("2025Q1", True, 50.0), "2025Q1")
    pd.testing.assert_frame_equal(earlier, register)


def test_rerun_different_rows_raises():
    register = run(
        [("2025Q1", True, 50.0, "warning"), ("2025Q2", True, 49.0, "warning")]
    )
    with pytest.raises(
        PinganError, match="already has different rows for 2025Q2.*rerun='replace'"
    ):
        update_register(register, checks_for("2025Q2", True, 60.0), "2025Q2")


def test_rerun_replace_latest_warns():
    register = run(
        [("2025Q1", True, 50.0, "warning"), ("2025Q2", True, 49.0, "warning")]
    )
    with pytest.warns(PinganWarning, match="replaced the register rows of 2025Q2"):
        out = update_register(
            register, checks_for("2025Q2", True, 60.0), "2025Q2", rerun="replace"
        )
    assert out["metric"].tolist() == [50.0, 60.0]
    assert out["status"].tolist() == ["open", "improved"]


def test_rerun_earlier_quarter_cannot_replace():
    register = run(
        [("2025Q1", True, 50.0, "warning"), ("2025Q2", True, 49.0, "warning")]
    )
    with pytest.raises(PinganError, match="rows for later quarters"):
        update_register(
            register, checks_for("2025Q1", True, 40.0), "2025Q1", rerun="replace"
        )


def test_update_register_bad_rerun():
    with pytest.raises(
        PinganError, match="rerun must be one of 'error', 'replace'; got 'skip'"
    ):
        update_register(
            read_register("/x.csv"),
            checks_for("2025Q1", True, 1.0),
            "2025Q1",
            rerun="skip",
        )


def test_register_file_bytes_idempotent(tmp_path):
    results = score_values(make_values())
    inputs = RuleInputs(
        index=results.index,
        level_scores=results.level_scores,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
    )
    path = tmp_path / "warnings_register.csv"
    for quarter in ["2025Q1", "2025Q2", "2025Q3", "2025Q2", "2025Q3"]:
        checks = evaluate_rules(inputs, quarter)
        write_register(update_register(read_register(path), checks, quarter), path)
        if quarter == "2025Q3":
            digest = path.read_bytes()
    assert path.read_bytes() == digest
    register = read_register(path)
    assert set(register["quarter_checked"]) == {"2025Q1", "2025Q2", "2025Q3"}
    assert register.groupby(["warning_id", "quarter_checked"]).size().max() == 1


def test_register_keeps_earlier_rows(tmp_path):
    path = tmp_path / "warnings_register.csv"
    write_register(run([("2025Q1", True, 50.0, "warning")]), path)
    before = path.read_bytes()
    write_register(
        update_register(
            read_register(path), checks_for("2025Q2", True, 49.0), "2025Q2"
        ),
        path,
    )
    assert path.read_bytes().startswith(before)


def test_read_register_missing_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("warning_id,status\nw,open\n", encoding="utf-8")
    with pytest.raises(PinganError, match="r.csv is missing the column"):
        read_register(path)


def test_summarise_register_counts():
    register = pd.concat(
        [
            run(
                [
                    ("2025Q1", True, 50.0, "warning"),
                    ("2025Q2", False, 70.0, "warning"),
                    ("2025Q3", False, 70.0, "warning"),
                ]
            ),
            run([("2025Q2", True, 50.0, "warning")]).assign(
                warning_id="2025Q2-B-grade_red", rule="grade_bottom"
            ),
        ],
        ignore_index=True,
    )
    summary = summarise_register(register).set_index("rule")
    assert summary.at["all", "raised"] == 2
    assert summary.at["all", "closed"] == 1
    assert summary.at["grade_red", "mean_quarters_to_close"] == 2.0
    assert summary.at["grade_bottom", "open"] == 1
    assert pd.isna(summary.at["grade_bottom", "mean_quarters_to_close"])
