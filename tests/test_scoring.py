"""Scoring methods, levels, grades, ranks and changes, against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pingan.changes import period_change
from pingan.exceptions import ConstantIndicatorWarning, PinganError
from pingan.scoring import (
    aggregate_levels,
    annual_index,
    annual_totals,
    benchmark_score,
    county_totals,
    deduction_score,
    goalpost_score,
    grade,
    index_table,
    minmax_score,
    rank_areas,
    ratio_score,
    score_indicators,
    target_score,
)
from pingan.scoring.engine import _own_history


class TestMethods:
    def test_goalpost_negative_direction(self):
        # s = (high - x) / (high - low), truncated: x = 2.5 of [0, 10] -> 0.75.
        got = goalpost_score(np.array([-1.0, 2.5, 10.0, 11.0, np.nan]), 0, 10, -1)
        np.testing.assert_allclose(got, [1.0, 0.75, 0.0, 0.0, np.nan])

    def test_goalpost_positive_direction(self):
        got = goalpost_score(np.array([2.5, 12.0]), 0, 10, 1)
        np.testing.assert_allclose(got, [0.25, 1.0])

    def test_goalpost_equal_posts(self):
        got = goalpost_score(np.array([4.0, 5.0, 6.0]), 5, 5, -1)
        np.testing.assert_allclose(got, [1.0, 1.0, 0.0])

    def test_goalpost_rejects_reversed_posts(self):
        with pytest.raises(PinganError, match=r"low \(10\) must not exceed high"):
            goalpost_score(np.array([1.0]), 10, 0)

    def test_minmax_within_each_quarter(self):
        x = np.array([[2.0, 4.0, 6.0], [1.0, 1.0, 3.0]])
        np.testing.assert_allclose(minmax_score(x, -1), [[1, 0.5, 0], [1, 1, 0]])
        np.testing.assert_allclose(minmax_score(x, 1), [[0, 0.5, 1], [0, 0, 1]])

    def test_minmax_constant_indicator(self):
        # Rule: every area gets the full score, with a warning; never NaN.
        with pytest.warns(ConstantIndicatorWarning, match="same value for every area"):
            got = minmax_score(np.array([[3.0, 3.0, np.nan]]))
        np.testing.assert_allclose(got, [[1.0, 1.0, np.nan]])

    def test_ratio_score_formula(self):
        # r = 1.25 -> 1 - 0.25 / 0.5 = 0.5 with tolerance 0.5.
        got = ratio_score(np.array([12.5, 10.0, 20.0]), 10.0, -1, tolerance=0.5)
        np.testing.assert_allclose(got, [0.5, 1.0, 0.0])

    def test_ratio_score_zero_benchmark_is_finite(self):
        got = ratio_score(np.array([0.0, 3.0]), 0.0, -1)
        np.testing.assert_allclose(got, [1.0, 0.0])

    def test_ratio_score_positive_direction(self):
        # Higher is better: r = benchmark / x = 100 / 80 = 1.25 -> 0.75.
        np.testing.assert_allclose(ratio_score(np.array([80.0]), 100.0, 1), [0.75])

    def test_benchmark_blends_county_and_own(self):
        # county ratio 1.5 -> 0.5; own ratio 1.2 -> 0.8; 0.3 * 0.5 + 0.7 * 0.8.
        got = benchmark_score(np.array([12.0]), 8.0, np.array([10.0]), -1, 0.3)
        np.testing.assert_allclose(got, [0.71])

    def test_benchmark_falls_back_to_county_alone(self):
        got = benchmark_score(np.array([12.0]), 8.0, np.array([np.nan]), -1, 0.3)
        np.testing.assert_allclose(got, [0.5])

    def test_deduction_floored_at_zero(self):
        got = deduction_score(np.array([0.0, 1.0, 4.0]), points=5, per_event=2)
        np.testing.assert_allclose(got, [1.0, 0.6, 0.0])

    def test_target_linear_shortfall(self):
        got = target_score(np.array([100.0, 95.0, 90.0, 75.0, 60.0]), 95, 20)
        np.testing.assert_allclose(got, [1.0, 1.0, 0.75, 0.0, 0.0])

    def test_own_history_same_quarter_previous_three_years(self):
        x = np.arange(16, dtype=float).reshape(16, 1)
        own = _own_history(x)
        assert np.isnan(own[3, 0])
        assert own[4, 0] == 0.0  # only one year back
        assert own[12, 0] == np.mean([8.0, 4.0, 0.0])
        assert own[15, 0] == np.mean([11.0, 7.0, 3.0])


CATALOGUE = pd.DataFrame(
    {
        "indicator": ["A", "B"],
        "dimension": ["dA", "dB"],
        "domain": ["D1", "D2"],
        "points": [60.0, 40.0],
        "direction": [-1, -1],
        "denominator": ["none", "none"],
        "scale": [1.0, 1.0],
        "method": ["goalpost", "deduction"],
        "params": [{"low": 0.0, "high": 10.0}, {"per_event": 10.0}],
    }
)


def values(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["quarter", "area_code", "indicator", "value"])
    frame["quarter"] = pd.PeriodIndex(frame["quarter"], freq="Q")
    return frame


class TestLevels:
    def test_points_sum_to_index(self):
        v = values(
            [
                ("2025Q1", "X", "A", 5.0),
                ("2025Q1", "X", "B", 1.0),
                ("2025Q1", "Y", "A", 0.0),
                ("2025Q1", "Y", "B", 0.0),
            ]
        )
        scores, _ = score_indicators(v, CATALOGUE, with_county=False)
        levels = aggregate_levels(scores, CATALOGUE)
        top = levels.query("level == 'index'").set_index("area_code")
        # X: 60 * 0.5 + 40 * (1 - 10 / 40) = 30 + 30 = 60.
        assert top.loc["X", "points"] == pytest.approx(60.0)
        assert top.loc["Y", "points"] == pytest.approx(100.0)
        domains = levels.query("level == 'domain' and area_code == 'X'")
        assert domains.set_index("code")["score_pct"].to_dict() == pytest.approx(
            {"D1": 50.0, "D2": 75.0}
        )

    def test_missing_value_rescales_index(self):
        v = values([("2025Q1", "X", "A", 5.0), ("2025Q1", "X", "B", np.nan)])
        scores, _ = score_indicators(v, CATALOGUE, with_county=False)
        top = aggregate_levels(scores, CATALOGUE).query("level == 'index'").iloc[0]
        assert top["points_max"] == 60.0
        assert top["score_pct"] == pytest.approx(50.0)

    def test_county_pooled_rate(self):
        cat = CATALOGUE.assign(denominator=["population", "none"], scale=[1000.0, 1.0])
        v = values([("2025Q1", "X", "A", 1.0), ("2025Q1", "Y", "A", 4.0)])
        v["raw_value"] = [10.0, 20.0]
        v["population"] = [10000.0, 5000.0]
        v = v.loc[v["indicator"] == "A"]
        scores, _ = score_indicators(v, cat)
        county = scores.query("area_code == 'county'").iloc[0]
        # (10 + 20) / 15000 * 1000 = 2 per 1,000 -> goalpost 1 - 2 / 10.
        assert county["value"] == pytest.approx(2.0)
        assert county["score"] == pytest.approx(0.8)


class TestGradesAndRanks:
    def test_grade_boundaries(self):
        got = grade(np.array([100, 90, 89.999, 80, 79.99, 70, 69.99, 0, np.nan]))
        assert got.tolist() == [
            "green",
            "green",
            "yellow",
            "yellow",
            "orange",
            "orange",
            "red",
            "red",
            np.nan,
        ]

    def test_custom_thresholds(self):
        got = grade(np.array([85.0, 60.0]), {"good": 80.0, "fair": 60.0})
        assert got.tolist() == ["good", "fair"]

    def test_thresholds_must_decrease(self):
        with pytest.raises(PinganError, match="must decrease"):
            grade(np.array([1.0]), {"a": 70.0, "b": 80.0})

    def test_ties_share_best_rank_on_unrounded_scores(self):
        d = pd.DataFrame({"quarter": "q", "index": [90.04, 90.01, 90.04, 95.0]})
        # 90.04 and 90.01 both print as 90.0 but do not tie.
        assert rank_areas(d).tolist() == [2, 4, 2, 1]

    def test_index_table_changes_and_county(self):
        rows = []
        for q, x in (("2024Q1", 80.0), ("2024Q2", 85.0), ("2025Q1", 70.0)):
            rows.append((q, "X", x))
            rows.append((q, "county", 75.0))
        lv = pd.DataFrame(rows, columns=["quarter", "area_code", "score_pct"])
        lv["quarter"] = pd.PeriodIndex(lv["quarter"], freq="Q")
        lv = lv.assign(
            level="index", code="index", points=lv["score_pct"], points_max=100.0
        )
        table = index_table(lv).set_index("quarter")
        assert table.loc[pd.Period("2024Q2", "Q"), "qoq_change"] == 5.0
        # 2025Q1's previous quarter 2024Q4 is missing: no change, with reason.
        assert np.isnan(table.loc[pd.Period("2025Q1", "Q"), "qoq_change"])
        assert table.loc[pd.Period("2025Q1", "Q"), "qoq_reason"] == "no base quarter"
        assert table.loc[pd.Period("2025Q1", "Q"), "yoy_change"] == -10.0
        assert table["county_index"].unique().tolist() == [75.0]


class TestChanges:
    def frame(self, quarters, values):
        return pd.DataFrame(
            {
                "area_code": "A",
                "quarter": pd.PeriodIndex(quarters, freq="Q"),
                "value": values,
            }
        )

    def test_year_on_year_aligned_by_calendar(self):
        df = self.frame(["2023Q4", "2024Q2", "2024Q3", "2024Q4"], [10, 1, 2, 15])
        out = period_change(df, lag=4)
        assert out["change_pct"].iloc[-1] == pytest.approx(50.0)
        # 2024Q3 has no 2023Q3 row: missing, not compared with 2023Q4.
        assert np.isnan(out["change_pct"].iloc[2])
        assert out["change_reason"].iloc[2] == "no base quarter"

    def test_zero_base_is_missing_not_inf(self):
        out = period_change(self.frame(["2024Q1", "2024Q2"], [0, 5]), lag=1)
        assert np.isnan(out["change_pct"].iloc[1])
        assert out["change"].iloc[1] == 5
        assert out["change_reason"].iloc[1] == "zero base"
        assert not np.isinf(out["change_pct"]).any()

    def test_missing_current_value(self):
        out = period_change(self.frame(["2024Q1", "2024Q2"], [3, np.nan]), lag=1)
        assert out["change_reason"].iloc[1] == "missing value"

    def test_row_order_does_not_matter(self):
        df = self.frame(["2024Q2", "2024Q1"], [6, 4])
        assert period_change(df)["change_pct"].tolist()[0] == pytest.approx(50.0)

    def test_duplicate_keys_rejected(self):
        with pytest.raises(PinganError, match="one row per quarter"):
            period_change(self.frame(["2024Q1", "2024Q1"], [1, 2]))


class TestAnnual:
    def test_annual_index_needs_four_quarters(self):
        q = pd.period_range("2025Q1", "2025Q4", freq="Q")
        ix = pd.DataFrame(
            {
                "quarter": list(q) + list(q[:3]),
                "area_code": ["A"] * 4 + ["B"] * 3,
                "index": [80.0, 84.0, 86.0, 90.0, 90.0, 90.0, 90.0],
            }
        )
        out = annual_index(ix, 2025).set_index("area_code")
        assert out.loc["A", "annual_index"] == 85.0
        assert np.isnan(out.loc["B", "annual_index"])
        assert out.loc["B", "reason"] == "only 3 of 4 quarters in 2025"

    def test_annual_totals_flag_incomplete_year(self):
        q = pd.period_range("2024Q1", "2025Q3", freq="Q")
        v = pd.DataFrame(
            {"quarter": q, "area_code": "A", "indicator": "F", "raw_value": 1.0}
        )
        out = annual_totals(v, 2025).iloc[0]
        assert np.isnan(out["change_pct"])
        assert out["reason"] == "a year without all four quarters"
        assert out["quarters"] == 3
        assert out["previous_quarters"] == 4

    def test_annual_totals_zero_base(self):
        q = pd.period_range("2024Q1", "2025Q4", freq="Q")
        v = pd.DataFrame(
            {
                "quarter": q,
                "area_code": "A",
                "indicator": "F",
                "raw_value": [0.0] * 4 + [1.0] * 4,
            }
        )
        out = annual_totals(v, 2025).iloc[0]
        assert out["total"] == 4.0
        assert out["change"] == 4.0
        assert np.isnan(out["change_pct"])
        assert out["reason"] == "zero base"

    def test_annual_totals_summed_matches_values(self):
        q = pd.period_range("2024Q1", "2025Q4", freq="Q")
        v = pd.DataFrame(
            {
                "quarter": q.repeat(2),
                "area_code": ["A", "B"] * 8,
                "indicator": "F",
                "raw_value": np.arange(16, dtype=float),
            }
        )
        from_values = annual_totals(v, 2025)
        from_totals = annual_totals(county_totals(v), 2025, summed=True)
        pd.testing.assert_frame_equal(from_totals, from_values)
        assert from_values.loc[0, "total"] == sum(range(8, 16))
        assert from_values.loc[0, "previous_total"] == sum(range(8))
        assert from_values.loc[0, "change_pct"] == pytest.approx(100 * 64 / 28)

    def test_annual_totals_summed_needs_total(self):
        v = pd.DataFrame({"quarter": [], "indicator": [], "raw_value": []})
        with pytest.raises(PinganError, match="missing the column.*total"):
            annual_totals(v, 2025, summed=True)
