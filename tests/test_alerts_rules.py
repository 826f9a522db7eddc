import json

import pandas as pd
import pytest

from pingan.alerts._testing import CATALOGUE, make_values, score_values
from pingan.alerts.checks import _trend_tests
from pingan.alerts.rules import (
    CHECK_COLUMNS,
    RuleInputs,
    anomaly_flags,
    department_quality,
    evaluate_rules,
    load_rules,
    select_warnings,
)
from pingan.exceptions import PinganError


def index_frame(grades_by_quarter: dict[str, list[str]], indexes=None) -> pd.DataFrame:
    rows = []
    for quarter, grades in grades_by_quarter.items():
        for i, grade in enumerate(grades):
            value = {"green": 90.0, "yellow": 80.0, "orange": 70.0, "red": 50.0}[grade]
            rows.append(
                {
                    "quarter": quarter,
                    "area_code": f"A{i}",
                    "index": value - i,
                    "grade": grade,
                }
            )
    frame = pd.DataFrame(rows)
    frame["rank"] = frame.groupby("quarter")["index"].rank(
        ascending=False, method="min"
    )
    frame["county_mean"] = frame.groupby("quarter")["index"].transform("mean")
    return frame


@pytest.fixture
def results():
    return score_values(make_values())


def fired(checks: pd.DataFrame, rule: str) -> pd.DataFrame:
    return checks[(checks["rule"] == rule) & checks["triggered"]]


# --- rules file -------------------------------------------------------------


def test_load_rules_defaults():
    rules = load_rules()
    assert rules["indicator"]["yoy_rise"]["watch_pct"] == 10.0
    assert rules["indicator"]["yoy_rise"]["warning_pct"] == 30.0
    assert rules["grade"]["bottom"]["ranks"] == 3
    assert rules["trend"]["window"] == 8
    assert rules["trend"]["alpha"] == 0.05
    assert rules["escalation"]["ladder"] == ["warning", "interview", "notice"]
    assert rules["register"]["close_after"] == 2


def test_load_rules_dataset_override_merges(tmp_path):
    folder = tmp_path / "data" / "raw" / "demo" / "rules"
    folder.mkdir(parents=True)
    (folder / "warnings.yaml").write_text(
        "domain_drop:\n  points: 5\n", encoding="utf-8"
    )
    rules = load_rules("demo", root=tmp_path)
    assert rules["domain_drop"]["points"] == 5
    assert rules["domain_drop"]["level"] == "warning"
    assert rules["grade"]["bottom"]["ranks"] == 3


def test_load_rules_without_dataset_file(tmp_path):
    assert load_rules("absent", root=tmp_path) == load_rules()


def test_load_rules_unknown_key(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("domain_drop:\n  pionts: 5\n", encoding="utf-8")
    with pytest.raises(PinganError, match=r"unknown key domain_drop\.pionts.*allowed"):
        load_rules(path=path)


def test_load_rules_bad_level(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("trend:\n  level: red\n", encoding="utf-8")
    with pytest.raises(
        PinganError, match=r"trend\.level must be one of 'watch'.*'notice'; got 'red'"
    ):
        load_rules(path=path)


def test_load_rules_bad_ladder(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("escalation:\n  ladder: [warning, summons]\n", encoding="utf-8")
    with pytest.raises(PinganError, match="escalation.ladder must be one of"):
        load_rules(path=path)


def test_load_rules_mapping_expected(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("grade: 3\n", encoding="utf-8")
    with pytest.raises(PinganError, match="grade in .* must be a mapping"):
        load_rules(path=path)


# --- grade rules and escalation ---------------------------------------------


def test_grade_red_escalates_letter_interview_notice():
    index = index_frame(
        {
            "2025Q1": ["green", "yellow", "red"],
            "2025Q2": ["green", "yellow", "red"],
            "2025Q3": ["green", "yellow", "red"],
            "2025Q4": ["green", "yellow", "red"],
        }
    )
    levels = []
    for quarter in ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]:
        checks = evaluate_rules(RuleInputs(index=index), quarter, only=["grade_red"])
        red = fired(checks, "grade_red")
        assert red["recipient_id"].tolist() == ["A2"]
        levels.append((red["level"].iloc[0], int(red["run_length"].iloc[0])))
    assert levels == [("warning", 1), ("interview", 2), ("notice", 3), ("notice", 4)]


def test_grade_red_run_broken_resets_ladder():
    index = index_frame(
        {
            "2025Q1": ["green", "red"],
            "2025Q2": ["green", "orange"],
            "2025Q3": ["green", "red"],
        }
    )
    red = fired(
        evaluate_rules(RuleInputs(index=index), "2025Q3", only=["grade_red"]),
        "grade_red",
    )
    assert red["level"].tolist() == ["warning"]
    assert red["run_length"].tolist() == [1]


def test_grade_red_missing_quarter_breaks_run():
    index = index_frame({"2025Q1": ["green", "red"], "2025Q3": ["green", "red"]})
    red = fired(
        evaluate_rules(RuleInputs(index=index), "2025Q3", only=["grade_red"]),
        "grade_red",
    )
    assert red["run_length"].tolist() == [1]


def test_custom_ladder_from_rules():
    rules = load_rules()
    rules["escalation"]["ladder"] = ["watch", "notice"]
    index = index_frame({"2025Q1": ["green", "red"], "2025Q2": ["green", "red"]})
    red = fired(
        evaluate_rules(RuleInputs(index=index), "2025Q2", rules, only=["grade_red"]),
        "grade_red",
    )
    assert red["level"].tolist() == ["notice"]


def test_grade_bottom_needs_below_mean():
    # Five areas: the bottom three are A2, A3, A4; A2 (index 78) is above the
    # county mean (73.2), so only A3 and A4 are warned.
    index = index_frame({"2025Q1": ["green", "yellow", "yellow", "orange", "red"]})
    checks = evaluate_rules(RuleInputs(index=index), "2025Q1", only=["grade_bottom"])
    assert fired(checks, "grade_bottom")["recipient_id"].tolist() == ["A3", "A4"]
    assert (fired(checks, "grade_bottom")["level"] == "watch").all()


def test_grade_bottom_rank_count_configurable():
    rules = load_rules()
    rules["grade"]["bottom"]["ranks"] = 1
    index = index_frame({"2025Q1": ["green", "yellow", "yellow", "orange", "red"]})
    checks = evaluate_rules(
        RuleInputs(index=index), "2025Q1", rules, only=["grade_bottom"]
    )
    assert fired(checks, "grade_bottom")["recipient_id"].tolist() == ["A4"]


def test_grade_rule_disabled():
    rules = load_rules()
    rules["grade"]["red"]["enabled"] = False
    index = index_frame({"2025Q1": ["green", "red"]})
    checks = evaluate_rules(RuleInputs(index=index), "2025Q1", rules)
    assert "grade_red" not in set(checks["rule"])


# --- domain, indicator, trend and department rules --------------------------


def domain_inputs(change: float) -> RuleInputs:
    index = index_frame({"2025Q1": ["green"], "2025Q2": ["green"]})
    level_scores = pd.DataFrame(
        {
            "quarter": ["2025Q1", "2025Q2"],
            "area_code": ["A0", "A0"],
            "level": ["domain"] * 2,
            "code": ["SO", "SO"],
            "points_max": [40.0, 40.0],
            "points": [30.0, 30.0 + change],
        }
    )
    return RuleInputs(index=index, level_scores=level_scores)


@pytest.mark.parametrize(
    ("change", "expected"), [(-2.5, True), (-2.0, False), (1.0, False)]
)
def test_domain_drop_threshold(change, expected):
    checks = evaluate_rules(domain_inputs(change), "2025Q2", only=["domain_drop"])
    row = checks.iloc[0]
    assert row["reason"] == ""
    assert row["warning_id"] == "2025Q2-A0-domain_drop-SO"
    assert bool(row["triggered"]) is expected
    assert json.loads(row["evidence_json"])["change"] == pytest.approx(change)


def test_domain_drop_skips_county_row():
    inputs = domain_inputs(-5.0)
    county = inputs.level_scores.assign(area_code="county")
    inputs = RuleInputs(
        index=inputs.index, level_scores=pd.concat([inputs.level_scores, county])
    )
    checks = evaluate_rules(inputs, "2025Q2", only=["domain_drop"])
    assert checks["recipient_id"].tolist() == ["A0"]
    assert checks["triggered"].tolist() == [True]


def test_no_rule_has_county_recipient(results):
    # The pipeline adds a pooled "county" row to its scoring tables.
    def with_county(table):
        return pd.concat([table, table.assign(area_code="county")], ignore_index=True)

    flags = anomaly_flags(results.values, ["shewhart"], "2025Q4")
    inputs = RuleInputs(
        index=results.index,
        level_scores=with_county(results.level_scores),
        values=with_county(results.values),
        indicator_scores=with_county(results.indicator_scores),
        catalogue=CATALOGUE,
        flags=with_county(flags),
        trends=None,
    )
    checks = evaluate_rules(inputs, "2025Q4")
    assert len(checks) > 0
    assert "county" not in set(checks["recipient_id"])
    plain = evaluate_rules(
        RuleInputs(
            index=results.index,
            level_scores=results.level_scores,
            values=results.values,
            indicator_scores=results.indicator_scores,
            catalogue=CATALOGUE,
            flags=flags,
        ),
        "2025Q4",
    )
    assert checks["warning_id"].tolist() == plain["warning_id"].tolist()


def domain_history(past_changes: list[float], change: float) -> RuleInputs:
    """Domain SO of area A0: 30 points, then the past changes, then ``change``."""
    quarters = pd.period_range("2023Q1", periods=len(past_changes) + 2, freq="Q")
    points = [30.0]
    for step in [*past_changes, change]:
        points.append(points[-1] + step)
    level_scores = pd.DataFrame(
        {
            "quarter": quarters,
            "area_code": "A0",
            "level": "domain",
            "code": "SO",
            "points_max": 40.0,
            "points": points,
        }
    )
    index = index_frame({str(q): ["green"] for q in quarters})
    return RuleInputs(index=index, level_scores=level_scores), quarters[-1]


@pytest.mark.parametrize(
    ("past", "change", "expected"),
    [
        # Past changes +-1: sd 1.07, so -3 is beyond 2 sd and beyond 2 points.
        ([1.0, -1.0] * 4, -3.0, True),
        # Past changes +-3: sd 3.2, so a fall of 3 is within the area's own noise.
        ([3.0, -3.0] * 4, -3.0, False),
        # Only 3 past changes: the points threshold decides alone.
        ([3.0, -3.0, 3.0], -3.0, True),
    ],
)
def test_domain_drop_needs_unusual_fall(past, change, expected):
    inputs, quarter = domain_history(past, change)
    checks = evaluate_rules(inputs, quarter, only=["domain_drop"])
    row = checks.iloc[0]
    assert bool(row["triggered"]) is expected
    evidence = json.loads(row["evidence_json"])
    assert evidence["k"] == 2.0
    if len(past) >= 4:
        sd = pd.Series(past).std()
        assert evidence["past_change_sd"] == pytest.approx(sd, rel=1e-3)
    else:
        assert evidence["past_change_sd"] is None


def test_domain_drop_variability_off():
    rules = load_rules()
    rules["domain_drop"]["variability"]["enabled"] = False
    inputs, quarter = domain_history([3.0, -3.0] * 4, -3.0)
    checks = evaluate_rules(inputs, quarter, rules, only=["domain_drop"])
    assert checks["triggered"].tolist() == [True]
    assert "past_change_sd" not in json.loads(checks["evidence_json"].iloc[0])


def value_inputs(values: dict[tuple[str, str], float], **extra) -> RuleInputs:
    rows = [
        {"quarter": q, "area_code": "A0", "indicator": ind, "value": v, "raw_value": v}
        for (q, ind), v in values.items()
    ]
    index = index_frame({q: ["green"] for q in {q for q, _ in values}})
    return RuleInputs(
        index=index, values=pd.DataFrame(rows), catalogue=CATALOGUE, **extra
    )


@pytest.mark.parametrize(
    ("indicator", "base", "value", "level"),
    [
        # SO05 is an amount and RL01 a percent: the relative rule alone.
        ("SO05", 10.0, 10.9, None),  # +9 %: below the watch threshold
        ("SO05", 10.0, 11.0, "watch"),  # +10 %: watch (threshold included)
        ("SO05", 10.0, 13.0, "warning"),  # +30 %: warning
        ("RL01", 50.0, 40.0, "watch"),  # a 20 % fall of a higher-is-better indicator
        ("RL01", 50.0, 70.0, None),  # a rise of a higher-is-better indicator
        ("SO05", 0.5, 5.0, None),  # base below min_base: not judged
        # SO04 is a count: it also needs the Poisson test (alpha 0.05).
        ("SO04", 10.0, 25.0, "warning"),  # +150 %, p = 0.0083
        ("SO04", 3.0, 4.0, None),  # +33 %, p = 0.5
        ("SO04", 10.0, 13.0, None),  # +30 %, p = 0.34
        ("SO04", 0.0, 5.0, "warning"),  # from zero, p = 1/32 = 0.031
        ("SO04", 0.0, 4.0, None),  # from zero, p = 1/16 = 0.0625
        ("SO04", 1000.0, 1100.0, "watch"),  # +10 %, p = 0.015
    ],
)
def test_yoy_rise_levels(indicator, base, value, level):
    inputs = value_inputs({("2024Q2", indicator): base, ("2025Q2", indicator): value})
    checks = evaluate_rules(inputs, "2025Q2", only=["yoy_rise"])
    hit = fired(checks, "yoy_rise")
    if level is None:
        assert hit.empty
    else:
        assert hit["level"].tolist() == [level]
        assert hit["warning_id"].tolist() == [f"2025Q2-A0-yoy_rise-{indicator}"]


def test_yoy_rise_skips_event_indicators():
    # PS01 is scored by deduction: its rises are left to the serious_event rule.
    inputs = value_inputs({("2024Q2", "PS01"): 1.0, ("2025Q2", "PS01"): 9.0})
    assert evaluate_rules(inputs, "2025Q2", only=["yoy_rise"]).empty
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["skip_methods"] = []
    checks = evaluate_rules(inputs, "2025Q2", rules, only=["yoy_rise"])
    # 1 -> 9 events: p = P(X >= 9 | Binomial(10, 0.5)) = 11 / 1024.
    assert checks["level"].tolist() == ["warning"]
    assert checks["triggered"].tolist() == [True]


def test_yoy_rise_reasons():
    inputs = value_inputs(
        {
            ("2024Q2", "SO05"): 0.5,
            ("2025Q2", "SO05"): 5.0,
            ("2025Q2", "SO04"): 7.0,
            ("2024Q2", "SO02"): 0.0,
            ("2025Q2", "SO02"): 2.0,
        }
    )
    checks = evaluate_rules(inputs, "2025Q2", only=["yoy_rise"]).set_index("subject")
    assert checks.at["SO05", "reason"] == "base below min_base (1.0)"
    assert checks.at["SO04", "reason"] == "no base quarter"
    # min_base does not apply to counts; the test judges small counts itself.
    assert checks.at["SO02", "reason"] == ""
    assert not checks["triggered"].any()


def test_serious_event_from_deduction_indicators():
    inputs = value_inputs({("2025Q2", "PS01"): 1.0, ("2025Q2", "SO04"): 5.0})
    checks = evaluate_rules(inputs, "2025Q2", only=["serious_event"])
    assert checks["subject"].tolist() == ["PS01"]
    assert checks["triggered"].tolist() == [True]
    assert checks["level"].tolist() == ["warning"]


def test_serious_event_zero_value_not_triggered():
    inputs = value_inputs({("2025Q2", "PS01"): 0.0})
    checks = evaluate_rules(inputs, "2025Q2", only=["serious_event"])
    assert checks["triggered"].tolist() == [False]


def test_serious_event_missing_value_not_triggered():
    inputs = value_inputs({("2025Q2", "PS01"): float("nan")})
    checks = evaluate_rules(inputs, "2025Q2", only=["serious_event"])
    assert checks["triggered"].tolist() == [False]
    assert checks["reason"].tolist() == ["missing value"]


def test_anomaly_flags_min_methods():
    flags = pd.DataFrame(
        {
            "quarter": ["2025Q2"] * 4,
            "area_code": ["A0"] * 4,
            "indicator": ["SO04", "SO04", "SO05", "SO05"],
            "method": ["robust_z", "iqr", "robust_z", "iqr"],
            "is_anomaly": [True, True, True, False],
        }
    )
    inputs = value_inputs(
        {("2025Q2", "SO04"): 9.0, ("2025Q2", "SO05"): 3.0}, flags=flags
    )
    rules = load_rules()
    rules["indicator"]["anomaly"]["min_methods"] = 2
    checks = evaluate_rules(inputs, "2025Q2", rules, only=["anomaly"])
    hit = fired(checks, "anomaly")
    assert hit["subject"].tolist() == ["SO04"]
    assert json.loads(hit["evidence_json"].iloc[0])["methods"] == "iqr|robust_z"
    assert hit["metric"].tolist() == [9.0]


def anomaly_inputs(is_anomaly, p_values, methods=("ears_c2", "farrington")):
    """Flags of indicators SO02, SO04 and SO05 in area A0, 2025Q2."""
    indicators = ["SO02", "SO04", "SO05"]
    flags = pd.DataFrame(
        [
            {
                "quarter": "2025Q2",
                "area_code": "A0",
                "indicator": ind,
                "method": method,
                "is_anomaly": is_anomaly[i][j],
                "p_value": p_values[i][j],
            }
            for i, ind in enumerate(indicators)
            for j, method in enumerate(methods)
        ]
    )
    values = {("2025Q2", ind): 5.0 for ind in indicators}
    return value_inputs(values, flags=flags)


def test_anomaly_default_needs_both_detectors():
    inputs = anomaly_inputs(
        [[True, True], [True, False], [False, False]],
        [[0.001, 0.01], [0.0001, 0.3], [0.5, 0.6]],
    )
    checks = evaluate_rules(inputs, "2025Q2", only=["anomaly"])
    assert fired(checks, "anomaly")["subject"].tolist() == ["SO02"]
    evidence = json.loads(checks.set_index("subject").at["SO02", "evidence_json"])
    assert evidence["required"] == 2
    assert evidence["flagged_by"] == 2


def test_anomaly_min_methods_capped_at_detectors_run():
    inputs = anomaly_inputs([[True], [False], [False]], [[0.01], [0.5], [0.5]], ["x"])
    checks = evaluate_rules(inputs, "2025Q2", only=["anomaly"])
    assert fired(checks, "anomaly")["subject"].tolist() == ["SO02"]


def test_anomaly_fdr_benjamini_hochberg():
    rules = load_rules()
    rules["indicator"]["anomaly"].update(min_methods=1, fdr=0.05)
    # Series p-values (largest flagging p): SO02 0.01, SO04 0.03, SO05 1.
    # BH with m = 3: 0.01 * 3 / 1 = 0.03 and 0.03 * 3 / 2 = 0.045.
    inputs = anomaly_inputs(
        [[True, True], [True, False], [False, False]],
        [[0.001, 0.01], [0.03, 0.3], [0.5, 0.6]],
    )
    checks = evaluate_rules(inputs, "2025Q2", rules, only=["anomaly"])
    table = checks.set_index("subject")
    adjusted = {
        k: json.loads(v)["p_adjusted"] for k, v in table["evidence_json"].items()
    }
    assert adjusted["SO02"] == pytest.approx(0.03)
    assert adjusted["SO04"] == pytest.approx(0.045)
    assert adjusted["SO05"] == pytest.approx(1.0)
    assert fired(checks, "anomaly")["subject"].tolist() == ["SO02", "SO04"]
    rules["indicator"]["anomaly"]["fdr"] = 0.04
    checks = evaluate_rules(inputs, "2025Q2", rules, only=["anomaly"])
    assert fired(checks, "anomaly")["subject"].tolist() == ["SO02"]


def test_anomaly_fdr_needs_p_values():
    rules = load_rules()
    rules["indicator"]["anomaly"]["fdr"] = 0.05
    inputs = anomaly_inputs([[True, True]] * 3, [[0.01, 0.01]] * 3)
    flags = inputs.flags.drop(columns="p_value")
    inputs = RuleInputs(
        index=inputs.index, values=inputs.values, catalogue=CATALOGUE, flags=flags
    )
    with pytest.raises(PinganError, match="indicator.anomaly.fdr"):
        evaluate_rules(inputs, "2025Q2", rules, only=["anomaly"])


@pytest.mark.parametrize("value", [0, 1.5, "high"])
def test_load_rules_bad_fdr(tmp_path, value):
    path = tmp_path / "warnings.yaml"
    path.write_text(f"indicator:\n  anomaly:\n    fdr: {value}\n", encoding="utf-8")
    with pytest.raises(PinganError, match=r"indicator.anomaly.fdr in .*or null"):
        load_rules(path=path)


def test_trend_known_value():
    # Hand-computed from the Mann-Kendall formulas for the strictly increasing
    # series 1..8: S = 28, Var(S) = n(n-1)(2n+5)/18 = 65.33, z = (S - 1) /
    # sqrt(Var S) = 3.3403 and two-sided p = 2 * (1 - Phi(z)) = 0.000837.
    quarters = pd.period_range("2024Q1", "2025Q4", freq="Q")
    inputs = value_inputs(
        {(str(q), "DI01"): float(i) for i, q in enumerate(quarters, start=1)}
    )
    tests = _trend_tests(inputs, quarters[-1], load_rules()["trend"]).iloc[0]
    assert tests["p_value"] == pytest.approx(0.000837, abs=5e-6)
    assert tests["slope"] == pytest.approx(1.0)
    assert tests["n"] == 8
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    assert checks["triggered"].tolist() == [True]


def test_trend_detects_planted_rise(results):
    inputs = RuleInputs(index=results.index, values=results.values, catalogue=CATALOGUE)
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    hit = fired(checks, "trend")
    assert ("530129005", "DI01") in set(
        zip(hit["recipient_id"], hit["subject"], strict=True)
    )
    # RL01 is higher-is-better, so it is never tested for a worsening rise.
    assert "RL01" not in set(checks["subject"])


def test_trend_short_series_not_tested():
    inputs = value_inputs({(f"2025Q{q}", "DI01"): float(q) for q in range(1, 5)})
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    assert checks["triggered"].tolist() == [False]
    assert json.loads(checks["evidence_json"].iloc[0])["p_value"] is None
    # The text comes from pingan.detect when it is installed, else from pingan.alerts.
    assert checks["reason"].iloc[0] in {
        "fewer than 6 quarters",
        "too short (fewer than 6 values)",
    }


def test_trend_table_passed_in():
    trends = pd.DataFrame(
        {"area_code": ["A0"], "indicator": ["SO04"], "p_value": [0.01], "slope": [0.4]}
    )
    inputs = value_inputs({("2025Q2", "SO04"): 9.0}, trends=trends)
    checks = evaluate_rules(inputs, "2025Q2", only=["trend"])
    assert checks["triggered"].tolist() == [True]


def test_department_rules():
    quality = pd.DataFrame(
        {
            "quarter": ["2025Q2"] * 3,
            "department": ["court", "police", "civil"],
            "grade": ["red", "green", "yellow"],
            "late_days": [0, 3, 0],
        }
    )
    inputs = RuleInputs(index=index_frame({"2025Q2": ["green"]}), quality=quality)
    warnings = select_warnings(evaluate_rules(inputs, "2025Q2"))
    assert warnings["warning_id"].tolist() == [
        "2025Q2-court-quality_red",
        "2025Q2-police-late_submission",
    ]
    assert (warnings["recipient_type"] == "department").all()


# --- the checks table --------------------------------------------------------


def test_checks_columns_and_ids(results):
    inputs = RuleInputs(
        index=results.index,
        level_scores=results.level_scores,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
    )
    checks = evaluate_rules(inputs, "2025Q4")
    assert list(checks.columns) == CHECK_COLUMNS
    assert checks["warning_id"].is_unique
    assert (checks["warning_id"] == "2025Q4-" + checks["condition"]).all()
    for text in checks["evidence_json"]:
        assert isinstance(json.loads(text), dict)


def test_checks_deterministic(results):
    inputs = RuleInputs(
        index=results.index,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
    )
    first = evaluate_rules(inputs, "2025Q4")
    second = evaluate_rules(inputs, "2025Q4")
    pd.testing.assert_frame_equal(first, second)


def test_red_area_focus_names_falling_indicators():
    values = make_values()
    # Area 530129001 loses its SO04 points a year later: the focus must name SO04.
    bad = (
        (values["area_code"] == "530129001")
        & (values["indicator"] == "SO04")
        & (values["quarter"] == pd.Period("2025Q4", "Q-DEC"))
    )
    values.loc[bad, ["value", "raw_value"]] = 100.0
    results = score_values(values)
    inputs = RuleInputs(index=results.index, indicator_scores=results.indicator_scores)
    checks = evaluate_rules(inputs, "2025Q4", only=["grade_red", "grade_bottom"])
    row = checks[
        (checks["recipient_id"] == "530129001") & (checks["rule"] == "grade_red")
    ]
    assert row["focus"].iloc[0].split("|")[0] == "SO04"
    assert row["indicators"].iloc[0] == row["focus"].iloc[0]


def test_evaluate_rules_empty_quarter():
    checks = evaluate_rules(
        RuleInputs(index=index_frame({"2025Q1": ["red"]})), "2030Q1"
    )
    assert checks.empty
    assert list(checks.columns) == CHECK_COLUMNS


def test_evaluate_rules_unknown_rule():
    with pytest.raises(
        PinganError, match="evaluate_rules: only must be one of 'grade_red'"
    ):
        evaluate_rules(
            RuleInputs(index=index_frame({"2025Q1": ["red"]})),
            "2025Q1",
            only=["grade_blue"],
        )


def test_evaluate_rules_missing_column():
    with pytest.raises(PinganError, match="missing the column.*grade"):
        evaluate_rules(
            RuleInputs(
                index=pd.DataFrame(
                    {"quarter": [], "area_code": [], "index": [], "rank": []}
                )
            ),
            "2025Q1",
        )


def test_select_warnings_order():
    index = index_frame({"2025Q1": ["red", "red"], "2025Q2": ["red", "yellow"]})
    warnings = select_warnings(evaluate_rules(RuleInputs(index=index), "2025Q2"))
    assert warnings["level"].tolist()[0] == "interview"


def test_trend_calls_detect_on_window(monkeypatch):
    import pingan.alerts.checks as checks_module

    calls = []

    def fake_detect(panel, by, min_n):
        calls.append((sorted(panel.columns), by, min_n))
        return pd.DataFrame(
            {
                "area_code": ["A0"],
                "indicator": ["SO04"],
                "p_value": [0.01],
                "slope": [0.5],
                "n": [8],
            }
        )

    monkeypatch.setattr(checks_module, "mann_kendall", fake_detect)
    inputs = value_inputs({(f"2025Q{q}", "SO04"): float(q) for q in range(1, 5)})
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    assert calls == [
        (["area_code", "indicator", "quarter", "value"], ["area_code", "indicator"], 6)
    ]
    assert checks["triggered"].tolist() == [True]


def test_trend_agrees_with_pymannkendall(results):
    pmk = pytest.importorskip("pymannkendall")
    inputs = RuleInputs(index=results.index, values=results.values, catalogue=CATALOGUE)
    quarter = pd.Period("2025Q4", "Q-DEC")
    tests = _trend_tests(inputs, quarter, load_rules()["trend"])
    tests = tests.set_index(["area_code", "indicator"])
    checks = evaluate_rules(inputs, quarter, only=["trend"])
    checks = checks.set_index(["recipient_id", "subject"])
    window = results.values[results.values["quarter"] > quarter - 8]
    series = [
        ("530129005", "DI01"),  # the planted steady rise
        ("530129001", "SO04"),
        ("530129003", "SO05"),
        ("530129004", "SO02"),
    ]
    for area, indicator in series:
        part = window[
            (window["area_code"] == area) & (window["indicator"] == indicator)
        ]
        expected = pmk.original_test(part.sort_values("quarter")["value"].to_numpy())
        got = tests.loc[(area, indicator)]
        assert got["n"] == 8
        assert got["p_value"] == pytest.approx(expected.p, abs=1e-9)
        assert got["slope"] == pytest.approx(expected.slope, abs=1e-9)
        fires = bool(expected.p < 0.05 and expected.slope > 0)
        assert checks.loc[(area, indicator), "triggered"] == fires
    assert checks.loc[("530129005", "DI01"), "triggered"]


def test_trend_constant_series_has_reason():
    # pymannkendall 1.4.3 gives p = 1 here, but pingan.detect gives no p-value.
    quarters = pd.period_range("2024Q1", "2025Q4", freq="Q")
    inputs = value_inputs({(str(q), "DI01"): 5.0 for q in quarters})
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    assert checks["reason"].tolist() == ["constant series"]
    assert checks["triggered"].tolist() == [False]


def test_department_quality_from_grading_tables():
    scores = pd.DataFrame(
        {
            "quarter": ["2025Q2"] * 3,
            "department": ["court", "police", "civil"],
            "grade": ["red", "green", "yellow"],
        }
    )
    status = pd.DataFrame(
        {
            "quarter": ["2025Q2"] * 3,
            "department": ["police", "police", "civil"],
            "days_late": [2, 5, -3],
        }
    )
    quality = department_quality(scores, status).set_index("department")
    assert quality.at["police", "late_days"] == 5.0
    assert quality.at["civil", "late_days"] == 0.0
    assert quality.at["court", "late_days"] == 0.0
    inputs = RuleInputs(
        index=index_frame({"2025Q2": ["green"]}),
        quality=department_quality(scores, status),
    )
    found = select_warnings(evaluate_rules(inputs, "2025Q2"))
    assert found["warning_id"].tolist() == [
        "2025Q2-court-quality_red",
        "2025Q2-police-late_submission",
    ]


def test_department_quality_missing_column():
    with pytest.raises(
        PinganError, match="department_quality: scores is missing the column"
    ):
        department_quality(
            pd.DataFrame({"quarter": ["2025Q2"], "department": ["court"]})
        )


def test_trend_short_series_has_reason():
    inputs = value_inputs({(f"2025Q{q}", "DI01"): float(q) for q in range(1, 5)})
    checks = evaluate_rules(inputs, "2025Q4", only=["trend"])
    assert checks["reason"].tolist() == ["too short (fewer than 6 values)"]
    assert checks["triggered"].tolist() == [False]


def test_anomaly_flags_feed_the_anomaly_rule(results):
    flags = anomaly_flags(results.values, ["shewhart", "ewma"], "2025Q4")
    assert list(flags.columns) == [
        "quarter",
        "area_code",
        "indicator",
        "method",
        "is_anomaly",
        "p_value",
    ]
    assert set(flags["method"]) == {"shewhart", "ewma"}
    assert flags["quarter"].max() == pd.Period("2025Q4", "Q-DEC")
    assert flags["is_anomaly"].dtype == bool
    inputs = RuleInputs(
        index=results.index, values=results.values, catalogue=CATALOGUE, flags=flags
    )
    checks = evaluate_rules(inputs, "2025Q4", only=["anomaly"])
    last = flags[flags["quarter"] == pd.Period("2025Q4", "Q-DEC")]
    flagged = last[last["is_anomaly"]].groupby(["area_code", "indicator"]).size()
    assert int(checks["triggered"].sum()) == len(flagged)


def test_anomaly_flags_drop_later_quarters(results):
    flags = anomaly_flags(results.values, ["shewhart"], "2024Q4")
    assert flags["quarter"].max() == pd.Period("2024Q4", "Q-DEC")


def test_anomaly_flags_reject_series_tests(results):
    with pytest.raises(PinganError, match="mann_kendall test whole series"):
        anomaly_flags(results.values, ["mann_kendall"])


def test_anomaly_flags_unknown_detector(results):
    with pytest.raises(PinganError, match="methods must be one of"):
        anomaly_flags(results.values, ["crystal_ball"])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("indicator:\n  anomaly:\n    min_methods: 0\n", "anomaly.min_methods"),
        ("domain_drop:\n  variability:\n    k: -1\n", "variability.k"),
        ("domain_drop:\n  variability:\n    quarters: 1\n", "variability.quarters"),
    ],
)
def test_load_rules_bad_noise_settings(tmp_path, text, key):
    path = tmp_path / "warnings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PinganError, match=rf"{key} in .*warnings.yaml must be"):
        load_rules(path=path)
