import numpy as np
import pandas as pd
import pytest

from pingan.alerts._testing import make_values, score_values
from pingan.alerts.drivers import (
    county_contributions,
    focus_indicators,
    index_contributions,
)
from pingan.exceptions import PinganError


@pytest.fixture
def results():
    return score_values(make_values())


@pytest.mark.parametrize("lag", [1, 4])
def test_index_contributions_sum_to_index_change(results, lag):
    out = index_contributions(results.indicator_scores, "2025Q3", lag=lag)
    index = results.index.set_index(["quarter", "area_code"])["index"]
    now = index.xs(pd.Period("2025Q3", "Q-DEC"))
    base = index.xs(pd.Period("2025Q3", "Q-DEC") - lag)
    sums = out.groupby("area_code")["contribution"].sum()
    np.testing.assert_allclose(sums.sort_index(), (now - base).sort_index(), atol=1e-10)
    np.testing.assert_allclose(
        out.groupby("area_code")["index_change"].first().sort_index(),
        (now - base).sort_index(),
        atol=1e-10,
    )


def test_index_contributions_ranks_and_shares(results):
    out = index_contributions(results.indicator_scores, "2025Q4", lag=4)
    for _, group in out.groupby("area_code"):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert group["contribution"].is_monotonic_increasing
        if group["index_change"].iloc[0] != 0:
            assert group["share"].sum() == pytest.approx(1.0)
    assert out["base_quarter"].eq(pd.Period("2024Q4", "Q-DEC")).all()


def test_index_contributions_missing_base():
    scores = pd.DataFrame(
        {
            "quarter": ["2025Q1", "2025Q2", "2025Q2"],
            "area_code": ["A"] * 3,
            "indicator": ["X", "X", "Y"],
            "points": [5.0, 4.0, 3.0],
        }
    )
    out = index_contributions(scores, "2025Q2").set_index("indicator")
    assert out.at["Y", "reason"] == "no base value"
    assert np.isnan(out.at["Y", "contribution"])
    assert np.isnan(out.at["X", "index_change"])


def test_index_contributions_bad_lag(results):
    with pytest.raises(
        PinganError, match="index_contributions: lag must be one of 1, 4; got 2"
    ):
        index_contributions(results.indicator_scores, "2025Q4", lag=2)


def test_county_contributions_sum_to_total_change(results):
    out = county_contributions(results.values, "2025Q4", indicators=["SO04", "SO05"])
    totals = results.county_totals.set_index(["quarter", "indicator"])["total"]
    for indicator, group in out.groupby("indicator"):
        now = totals[(pd.Period("2025Q4", "Q-DEC"), indicator)]
        base = totals[(pd.Period("2024Q4", "Q-DEC"), indicator)]
        assert group["contribution"].sum() == pytest.approx(now - base, abs=1e-9)
        assert group["county_change"].iloc[0] == pytest.approx(now - base, abs=1e-9)
        assert group["county_change_pct"].iloc[0] == pytest.approx(
            100 * (now - base) / base
        )
        assert group["contribution_pct"].sum() == pytest.approx(
            100 * (now - base) / base
        )
    assert set(out["indicator"]) == {"SO04", "SO05"}


def test_county_contributions_zero_base():
    values = pd.DataFrame(
        {
            "quarter": ["2024Q1", "2025Q1"],
            "area_code": ["A", "A"],
            "indicator": ["PS01", "PS01"],
            "raw_value": [0.0, 2.0],
        }
    )
    out = county_contributions(values, "2025Q1")
    assert out["contribution"].tolist() == [2.0]
    assert np.isnan(out["county_change_pct"].iloc[0])


def test_focus_indicators_only_negative():
    contrib = pd.DataFrame(
        {
            "area_code": ["A", "A", "B"],
            "indicator": ["X", "Y", "X"],
            "contribution": [0.5, 0.0, -0.25],
        }
    )
    out = focus_indicators(contrib).set_index("area_code")
    assert out.at["A", "focus"] == ""
    assert out.at["B", "focus"] == "X"
    assert out.at["B", "focus_detail"] == "X (-0.25)"


def test_focus_indicators_by_indicator(results):
    out = county_contributions(results.values, "2025Q4", indicators=["SO04"])
    focus = focus_indicators(out, top=2, by="indicator")
    assert focus.columns.tolist() == ["indicator", "focus", "focus_detail"]
    assert len(focus.at[0, "focus"].split("|")) <= 2


def test_focus_indicators_bad_top():
    contrib = pd.DataFrame(
        {"area_code": ["A"], "indicator": ["X"], "contribution": [-1.0]}
    )
    with pytest.raises(PinganError, match="top must be in"):
        focus_indicators(contrib, top=0)


def test_leading_contributions_follow_county_change():
    from pingan.alerts.drivers import leading_contributions

    rows = pd.DataFrame(
        {
            "indicator": ["SO04"] * 4 + ["SO05"] * 3 + ["DI01"] * 2,
            "area_code": ["A", "B", "C", "D", "A", "B", "C", "A", "B"],
            "contribution": [-5.0, 3.0, -2.0, 1.0, 4.0, -6.0, 1.0, 2.0, -2.0],
            "county_change": [-3.0] * 4 + [-1.0] * 3 + [0.0] * 2,
        }
    )
    leading = leading_contributions(rows, n=2)
    by_indicator = leading.groupby("indicator")["area_code"].apply(list).to_dict()
    # SO04 fell: the falls lead, the rises (B, D) are not drivers of a fall.
    assert by_indicator["SO04"] == ["A", "C"]
    # SO05 fell by 1: only B fell, so it is the one driver.
    assert by_indicator["SO05"] == ["B"]
    # DI01 did not change: the largest moves either way are shown.
    assert sorted(by_indicator["DI01"]) == ["A", "B"]
