import numpy as np
import pandas as pd
import pytest

from pingan.alerts._testing import CATALOGUE, make_values, score_values
from pingan.alerts.annual import (
    annual_contributions,
    annual_county_totals,
    annual_index,
    annual_indicator_changes,
    county_values,
    key_target_table,
    review_year,
    worsened_indicators,
)
from pingan.exceptions import PinganError
from pingan.scoring import annual_totals


@pytest.fixture(scope="module")
def results():
    return score_values(make_values())


def index_rows(area: str, year: int, values: list[float]) -> list[dict]:
    return [
        {"quarter": f"{year}Q{q}", "area_code": area, "index": v}
        for q, v in enumerate(values, start=1)
    ]


def test_annual_index_mean_and_rank_change():
    index = pd.DataFrame(
        index_rows("A", 2024, [80, 80, 80, 80])
        + index_rows("B", 2024, [90, 90, 90, 90])
        + index_rows("A", 2025, [95, 93, 91, 89])
        + index_rows("B", 2025, [85, 85, 85, 85])
    )
    out = annual_index(index, 2025).set_index("area_code")
    assert out.at["A", "annual_index"] == 92.0
    assert out.at["A", "rank"] == 1
    assert out.at["A", "previous_rank"] == 2
    assert out.at["A", "rank_change"] == 1
    assert out.at["B", "rank_change"] == -1
    assert out.at["B", "index_change"] == -5.0


def test_annual_index_incomplete_year_flagged():
    index = pd.DataFrame(
        index_rows("A", 2025, [95, 93, 91]) + index_rows("B", 2025, [1, 2, 3, 4])
    )
    out = annual_index(index, 2025).set_index("area_code")
    assert np.isnan(out.at["A", "annual_index"])
    assert out.at["A", "reason"] == "only 3 of 4 quarters in 2025"
    assert pd.isna(out.at["A", "rank"])
    assert out.at["B", "rank"] == 1
    assert out.at["B", "quarters"] == 4


def test_annual_county_totals_change():
    totals = pd.DataFrame(
        {
            "quarter": [f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5)],
            "indicator": "SO05",
            "total": [10.0, 20, 30, 40, 9, 18, 27, 36],
        }
    )
    out = annual_county_totals(totals, 2025).iloc[0]
    assert out["total"] == 90.0
    assert out["previous_total"] == 100.0
    assert out["change_pct"] == pytest.approx(-10.0)
    assert out["reason"] == ""


def test_annual_county_totals_missing_quarter():
    totals = pd.DataFrame(
        {
            "quarter": ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"],
            "indicator": "SO05",
            "total": [1.0, 1, 1, 1, 1],
        }
    )
    out = annual_county_totals(totals, 2025).iloc[0]
    assert np.isnan(out["total"])
    assert out["reason"] == "only 1 of 4 quarters in 2025"


def test_annual_county_totals_use_scoring_sums(results):
    # The review's county year totals are pingan.scoring.annual_totals on the
    # quarterly county totals, with the reason naming the quarters present.
    review = annual_county_totals(results.county_totals, 2025)
    scoring = annual_totals(results.county_totals, 2025, summed=True)
    for column in ["indicator", "total", "previous_total", "change", "change_pct"]:
        pd.testing.assert_series_equal(review[column], scoring[column])
    assert (review["reason"] == "").all()


def test_annual_county_totals_reason_names_both_years():
    totals = pd.DataFrame(
        {"quarter": ["2024Q3", "2025Q1", "2025Q2"], "indicator": "SO05", "total": 1.0}
    )
    out = annual_county_totals(totals, 2025).iloc[0]
    assert np.isnan(out["change_pct"])
    assert out["reason"] == (
        "only 2 of 4 quarters in 2025 and only 1 of 4 quarters in 2024"
    )


def test_county_values_rate_is_county_rate():
    # The mean of the two areas' rates is (100 + 0.10) / 2 = 50.05 per 10,000,
    # but the county rate is 11 cases over 100,000 residents = 1.1 per 10,000.
    values = pd.DataFrame(
        {
            "quarter": ["2025Q1", "2025Q1"],
            "area_code": ["A", "B"],
            "indicator": "SO04",
            "raw_value": [10.0, 1.0],
            "population": [1000.0, 99000.0],
            "value": [100.0, 1 / 9.9],
        }
    )
    catalogue = pd.DataFrame(
        {
            "indicator": ["SO04"],
            "denominator": ["population"],
            "scale": [10000.0],
            "value_type": ["count"],
        }
    )
    assert county_values(values, catalogue)["value"].tolist() == [pytest.approx(1.1)]


def test_county_values_percent_and_count():
    values = pd.DataFrame(
        {
            "quarter": ["2025Q1"] * 4,
            "area_code": ["A", "B"] * 2,
            "indicator": ["DI03", "DI03", "PS01", "PS01"],
            "raw_value": [90.0, 80.0, 1.0, 2.0],
            "population": np.nan,
            "value": [90.0, 80.0, 1.0, 2.0],
        }
    )
    catalogue = pd.DataFrame(
        {
            "indicator": ["DI03", "PS01"],
            "denominator": ["none", "none"],
            "scale": [1.0, 1.0],
            "value_type": ["percent", "count"],
        }
    )
    out = county_values(values, catalogue).set_index("indicator")["value"]
    assert out["DI03"] == 85.0
    assert out["PS01"] == 3.0


def test_annual_indicator_changes_direction():
    values = pd.DataFrame(
        {
            "quarter": ["2024Q1", "2025Q1"] * 2,
            "area_code": "A",
            "indicator": ["SO02", "SO02", "RL01", "RL01"],
            "value": [10.0, 12.0, 60.0, 66.0],
        }
    )
    out = annual_indicator_changes(values, CATALOGUE, 2025).set_index("indicator")
    assert bool(out.at["SO02", "worse"]) is True
    assert bool(out.at["RL01", "worse"]) is False
    assert out.at["RL01", "change_pct"] == pytest.approx(10.0)


def test_worsened_indicators_order_and_areas(results):
    out = worsened_indicators(results.values, CATALOGUE, 2025)
    worse = out[out["worse"]]
    assert out["worse"].iloc[: len(worse)].all()
    assert worse["change_pct"].abs().is_monotonic_decreasing
    di01 = out.set_index("indicator").loc["DI01"]
    assert bool(di01["worse"]) is True
    assert "530129005" in di01["areas_worse"].split("|")
    assert di01["n_areas_worse"] == len(di01["areas_worse"].split("|"))


def test_annual_contributions_sum_to_index_change(results):
    out = annual_contributions(results.indicator_scores, 2025)
    index = annual_index(results.index, 2025).set_index("area_code")
    sums = out.groupby("area_code")["contribution"].sum()
    np.testing.assert_allclose(
        sums.sort_index(), index["index_change"].sort_index(), atol=1e-9
    )


def test_annual_contributions_bad_year(results):
    with pytest.raises(PinganError, match="year must be in"):
        annual_contributions(results.indicator_scores, 20250)


def test_review_year_core_from_catalogue(results):
    review = review_year(
        results.index,
        results.values,
        results.indicator_scores,
        results.county_totals,
        CATALOGUE,
        2025,
    )
    assert review.county_totals["indicator"].tolist() == ["SO04", "SO05"]
    assert set(review.key_targets["indicator"]) == set(
        review.indicators.loc[review.indicators["worse"], "indicator"]
    )


def test_key_target_table_names(results):
    review = review_year(
        results.index,
        results.values,
        results.indicator_scores,
        results.county_totals,
        CATALOGUE,
        2025,
    )
    areas = pd.DataFrame(
        {"area_code": ["530129005"], "name_zh": ["金所街道"], "name_en": ["Jinsuo"]}
    )
    table = key_target_table(review, areas, CATALOGUE, "zh").set_index("indicator")
    assert table.at["DI01", "name"] == "信访"
    assert "金所街道" in table.at["DI01", "areas"].split("、")


def test_key_target_table_bad_language(results):
    review = review_year(
        results.index,
        results.values,
        results.indicator_scores,
        results.county_totals,
        CATALOGUE,
        2025,
    )
    with pytest.raises(
        PinganError, match="language must be one of 'zh', 'en'; got 'fr'"
    ):
        key_target_table(
            review, pd.DataFrame(columns=["area_code", "name_fr"]), CATALOGUE, "fr"
        )
