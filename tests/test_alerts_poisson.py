"""The conditional binomial test of two Poisson counts and its rules settings."""

import json
from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from pingan.alerts import poisson_rate_test
from pingan.alerts._testing import CATALOGUE
from pingan.alerts.poisson import POISSON_TEST_COLUMNS, pearson_dispersion
from pingan.alerts.rules import RuleInputs, evaluate_rules, load_rules
from pingan.exceptions import PinganError


def upper_tail(k: int, n: int) -> float:
    """P(X >= k) for X ~ Binomial(n, 1/2), summed exactly."""
    return sum(comb(n, i) for i in range(k, n + 1)) / 2**n


# --- the statistic ----------------------------------------------------------


def test_ten_to_twenty_five_by_hand():
    # Przyborowski and Wilenski (1940): given n = 35, n2 ~ Binomial(35, 1/2)
    # under equal rates; P(X >= 25) = 286454524 / 2**35.
    assert upper_tail(25, 35) == 286454524 / 2**35
    row = poisson_rate_test(10, 25).iloc[0]
    assert row["p_value"] == pytest.approx(286454524 / 2**35, rel=1e-12)
    assert row["p_value"] == pytest.approx(0.0083369, abs=1e-7)
    assert row["rate_ratio"] == 2.5
    assert row["null_share"] == 0.5


def test_three_to_four_by_hand():
    # P(X >= 4 | Binomial(7, 1/2)) = (35 + 21 + 7 + 1) / 128 = 1/2.
    assert poisson_rate_test(3, 4)["p_value"].iloc[0] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("base", "count", "e1", "e2", "alternative"),
    [
        (10, 25, 1.0, 1.0, "greater"),
        (7, 16, 2.0, 3.0, "greater"),
        (30, 10, 1.0, 1.0, "less"),
        (12, 12, 5.0, 4.0, "less"),
        (0, 5, 1.0, 1.0, "greater"),
    ],
)
def test_agrees_with_scipy_binomtest(base, count, e1, e2, alternative):
    expected = stats.binomtest(
        count, base + count, e2 / (e1 + e2), alternative=alternative
    ).pvalue
    got = poisson_rate_test(base, count, e1, e2, alternative)["p_value"].iloc[0]
    assert got == pytest.approx(expected, rel=1e-10)


def test_exposure_sets_null_share():
    # Twice the population, twice the count: the same rate, no evidence of a rise.
    row = poisson_rate_test(10, 20, 1000.0, 2000.0).iloc[0]
    assert row["null_share"] == pytest.approx(2 / 3)
    assert row["rate_ratio"] == pytest.approx(1.0)
    assert row["p_value"] > 0.5


def test_zero_counts_and_bad_rows():
    out = poisson_rate_test(
        [0, 0, np.nan, -1, 4, 4], [0, 5, 3, 2, 6, 6], [1, 1, 1, 1, np.nan, 0], 1.0
    )
    assert list(out.columns) == POISSON_TEST_COLUMNS
    assert out["p_value"].iloc[0] == 1.0  # two zero counts: no rise
    assert out["p_value"].iloc[1] == pytest.approx(1 / 32)
    assert np.isinf(out["rate_ratio"].iloc[1])
    assert out["reason"].tolist() == [
        "",
        "",
        "missing value",
        "negative count",
        "missing exposure",
        "exposure not positive",
    ]
    assert out["p_value"].iloc[2:].isna().all()


def test_counts_are_rounded():
    row = poisson_rate_test(9.6, 25.2).iloc[0]
    assert (row["base_count"], row["count"]) == (10.0, 25.0)
    assert row["p_value"] == pytest.approx(upper_tail(25, 35))


def test_unknown_alternative():
    with pytest.raises(PinganError, match="alternative must be one of 'greater'"):
        poisson_rate_test(1, 2, alternative="two-sided")


# --- the rule: direction, exposure and evidence ------------------------------


def count_inputs(catalogue_row: dict, base, value, populations=(1.0, 1.0)):
    catalogue = pd.DataFrame(
        [
            {
                "indicator": "X1",
                "method": "minmax",
                "domain": "SO",
                "value_type": "count",
                "denominator": "none",
                **catalogue_row,
            }
        ]
    )
    values = pd.DataFrame(
        {
            "quarter": ["2024Q3", "2025Q3"],
            "area_code": ["A0", "A0"],
            "indicator": ["X1", "X1"],
            "raw_value": [base, value],
            "population": list(populations),
        }
    )
    scale = 10000.0 if catalogue_row.get("denominator") == "population" else None
    values["value"] = (
        values["raw_value"] / values["population"] * scale
        if scale
        else values["raw_value"]
    )
    index = pd.DataFrame(
        {
            "quarter": ["2024Q3", "2025Q3"],
            "area_code": ["A0", "A0"],
            "index": [80.0, 80.0],
            "grade": ["green", "green"],
            "rank": [1, 1],
        }
    )
    return RuleInputs(index=index, values=values, catalogue=catalogue)


def yoy_row(inputs: RuleInputs, rules: dict | None = None) -> pd.Series:
    checks = evaluate_rules(inputs, "2025Q3", rules, only=["yoy_rise"])
    return checks.iloc[0]


def test_rule_records_statistic():
    row = yoy_row(count_inputs({"direction": -1}, 10.0, 25.0))
    evidence = json.loads(row["evidence_json"])
    assert bool(row["triggered"]) is True
    assert row["level"] == "warning"
    assert evidence["count"] == 25.0
    assert evidence["base_count"] == 10.0
    assert evidence["increase"] == 15.0
    assert evidence["p_value"] == pytest.approx(0.008337, rel=1e-4)
    assert "p_value=0.0083" in row["evidence"]


def test_rule_falling_good_count():
    # Direction +1: a fall is the worsening; 30 -> 10 gives
    # P(X <= 10 | Binomial(40, 1/2)) = 0.0011 and an increase of 20.
    row = yoy_row(count_inputs({"direction": 1}, 30.0, 10.0))
    evidence = json.loads(row["evidence_json"])
    assert bool(row["triggered"]) is True
    assert evidence["increase"] == 20.0
    expected = stats.binomtest(10, 40, 0.5, alternative="less").pvalue
    assert evidence["p_value"] == pytest.approx(expected, rel=1e-3)


def test_rule_population_exposure():
    # 10 -> 20 cases while the population doubled: the rate is unchanged.
    inputs = count_inputs(
        {"direction": -1, "denominator": "population"}, 10.0, 20.0, (5000.0, 10000.0)
    )
    row = yoy_row(inputs)
    evidence = json.loads(row["evidence_json"])
    assert bool(row["triggered"]) is False
    assert evidence["change_pct"] == pytest.approx(0.0)
    expected = stats.binomtest(20, 30, 2 / 3, alternative="greater").pvalue
    assert evidence["p_value"] == pytest.approx(expected, rel=1e-3)


def test_rule_min_increase_binds_at_loose_alpha():
    # 0 -> 4: p = 1/16. With alpha 0.1 it passes the test; min_increase 5 stops it.
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["count_test"]["alpha"] = 0.1
    inputs = count_inputs({"direction": -1}, 0.0, 4.0)
    assert bool(yoy_row(inputs, rules)["triggered"]) is True
    rules["indicator"]["yoy_rise"]["count_test"]["min_increase"] = 5
    assert bool(yoy_row(inputs, rules)["triggered"]) is False


def test_rule_count_test_switched_off():
    # Without the test a count is judged like an amount: 3 -> 4 is +33 %.
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["count_test"]["enabled"] = False
    row = yoy_row(count_inputs({"direction": -1}, 3.0, 4.0), rules)
    assert bool(row["triggered"]) is True
    assert "p_value" not in json.loads(row["evidence_json"])


# --- settings in the rules file ---------------------------------------------


def write_rules(tmp_path, text: str):
    path = tmp_path / "warnings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_rules_count_test_defaults():
    test = load_rules()["indicator"]["yoy_rise"]["count_test"]
    assert test == {
        "enabled": True,
        "value_types": ["count"],
        "alpha": 0.05,
        "min_increase": 3,
        "dispersion": True,
    }


def test_load_rules_count_test_override(tmp_path):
    path = write_rules(
        tmp_path, "indicator:\n  yoy_rise:\n    count_test:\n      alpha: 0.01\n"
    )
    test = load_rules(path=path)["indicator"]["yoy_rise"]["count_test"]
    assert test["alpha"] == 0.01
    assert test["min_increase"] == 3


@pytest.mark.parametrize("alpha", ["1.5", "0", "1", "-0.1", "high", "true"])
def test_load_rules_bad_alpha(tmp_path, alpha):
    path = write_rules(
        tmp_path, f"indicator:\n  yoy_rise:\n    count_test:\n      alpha: {alpha}\n"
    )
    pattern = (
        r"indicator\.yoy_rise\.count_test\.alpha in .*warnings\.yaml must be a "
        r"number strictly between 0 and 1; got "
    )
    with pytest.raises(PinganError, match=pattern):
        load_rules(path=path)


def test_load_rules_negative_min_increase(tmp_path):
    path = write_rules(
        tmp_path, "indicator:\n  yoy_rise:\n    count_test:\n      min_increase: -2\n"
    )
    pattern = (
        r"indicator\.yoy_rise\.count_test\.min_increase in .*warnings\.yaml must be "
        r"a number of at least 0; got -2\."
    )
    with pytest.raises(PinganError, match=pattern):
        load_rules(path=path)


def test_load_rules_bad_trend_alpha(tmp_path):
    path = write_rules(tmp_path, "trend:\n  alpha: 5\n")
    with pytest.raises(PinganError, match=r"trend\.alpha in .*warnings\.yaml"):
        load_rules(path=path)


def test_load_rules_bad_value_type(tmp_path):
    path = write_rules(
        tmp_path,
        "indicator:\n  yoy_rise:\n    count_test:\n      value_types: [counts]\n",
    )
    with pytest.raises(
        PinganError, match=r"value_types must be one of 'count', .*; got 'counts'"
    ):
        load_rules(path=path)


def test_load_rules_names_dataset_file(tmp_path):
    folder = tmp_path / "data" / "raw" / "demo" / "rules"
    folder.mkdir(parents=True)
    (folder / "warnings.yaml").write_text(
        "indicator:\n  yoy_rise:\n    watch_pct: -5\n", encoding="utf-8"
    )
    with pytest.raises(PinganError, match=r"watch_pct in .*demo.rules.warnings\.yaml"):
        load_rules("demo", root=tmp_path)


def test_scalar_and_array_broadcast():
    out = poisson_rate_test(3, [4, 10])
    assert out["base_count"].tolist() == [3.0, 3.0]
    assert out["p_value"].iloc[0] == pytest.approx(0.5)
    assert out["p_value"].iloc[1] == pytest.approx(upper_tail(10, 13))


# --- overdispersion ---------------------------------------------------------


def test_pearson_dispersion_hand_value():
    # Common ratio 40 / 40 = 1, so p_i = 1/2 and
    # X2 = 16/3 + 16/7 + 6.25/3.75 + 6.25/6.25 = 10.2857 on 3 df.
    phi = pearson_dispersion([10, 10, 10, 10], [2, 18, 5, 15])
    assert phi == pytest.approx(10.285714 / 3, rel=1e-6)


def test_pearson_dispersion_floor_and_too_few():
    assert pearson_dispersion([10, 20, 30], [10, 20, 30]) == 1.0
    assert np.isnan(pearson_dispersion([10], [12]))
    assert np.isnan(pearson_dispersion([0, 0], [0, 0]))


def test_dispersion_scales_counts():
    # phi = 2 tests 5 -> 12.5 events: P(X >= 12.5 | Binomial(17.5, 1/2)).
    scaled = poisson_rate_test([10], [25], dispersion=2.0)["p_value"].iloc[0]
    assert scaled == pytest.approx(special.betainc(12.5, 6.0, 0.5))
    assert scaled > poisson_rate_test([10], [25])["p_value"].iloc[0]
    # phi below 1 is treated as 1: the exact Poisson test.
    same = poisson_rate_test([10], [25], dispersion=0.5)["p_value"].iloc[0]
    assert same == pytest.approx(stats.binomtest(25, 35, 0.5, "greater").pvalue)


def test_yoy_rise_records_dispersion():
    areas = ["A0", "A1", "A2", "A3"]
    rows = [
        {"quarter": q, "area_code": a, "indicator": "SO04", "value": v, "raw_value": v}
        for a, base, now in zip(areas, [10, 10, 10, 10], [25, 2, 18, 10], strict=True)
        for q, v in (("2024Q2", float(base)), ("2025Q2", float(now)))
    ]
    index = pd.DataFrame(
        {
            "quarter": ["2025Q2"] * 4,
            "area_code": areas,
            "index": [80.0, 70.0, 60.0, 50.0],
            "grade": ["green"] * 4,
            "rank": [1, 2, 3, 4],
        }
    )
    inputs = RuleInputs(index=index, values=pd.DataFrame(rows), catalogue=CATALOGUE)
    checks = evaluate_rules(inputs, "2025Q2", only=["yoy_rise"]).set_index(
        "recipient_id"
    )
    evidence = json.loads(checks.at["A0", "evidence_json"])
    # A0's own pair is left out of its dispersion estimate.
    expected = pearson_dispersion([10] * 3, [2, 18, 10])
    assert expected == pytest.approx((16 / 3 + 16 / 7) / 2)
    assert evidence["dispersion"] == pytest.approx(expected, rel=1e-3)
    # 10 -> 25 passes the Poisson test (p = 0.008) but not once scaled.
    assert not checks.at["A0", "triggered"]
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["count_test"]["dispersion"] = False
    plain = evaluate_rules(inputs, "2025Q2", rules, only=["yoy_rise"])
    plain = plain.set_index("recipient_id")
    assert plain.at["A0", "triggered"]
    assert json.loads(plain.at["A0", "evidence_json"])["dispersion"] == 1.0


def test_load_rules_bad_dispersion(tmp_path):
    path = write_rules(
        tmp_path, "indicator:\n  yoy_rise:\n    count_test:\n      dispersion: 2\n"
    )
    with pytest.raises(PinganError, match="count_test.dispersion in .*true or false"):
        load_rules(path=path)
