import numpy as np
import pandas as pd
import pytest

from pingan.composite import (
    build_composite,
    compare_schemes,
    correlations,
    cronbach_alpha,
    pca_variance,
    rank_table,
    removal_impact,
)
from pingan.composite.examples import make_example
from pingan.exceptions import PinganError


@pytest.fixture(scope="module")
def example():
    return make_example(n_areas=16, n_indicators=12, n_domains=3, seed=11)


@pytest.fixture(scope="module")
def result(example):
    return build_composite(*example)


def test_correlations_relations(result):
    table = correlations(result)
    assert set(table["relation"]) == {"within", "parent", "index"}
    assert list(table.columns) == [
        "level",
        "code",
        "other",
        "relation",
        "correlation",
        "flag",
    ]
    n_ind = 12
    parent_rows = table[
        (table["level"] == "indicator") & (table["relation"] == "parent")
    ]
    assert len(parent_rows) == n_ind


def test_correlation_value_and_flags(result):
    table = correlations(result, high=0.0, low=-2.0)
    row = table[(table["code"] == "I01") & (table["other"] == "I02")].iloc[0]
    expected = result.normalised["I01"].corr(result.normalised["I02"])
    assert row["correlation"] == pytest.approx(expected)
    within = table[table["relation"] == "within"]
    assert (within.loc[within["correlation"] > 0, "flag"] == "high").all()
    assert (table.loc[table["relation"] != "within", "flag"] == "").all()


def test_cronbach_alpha_hand_calculation():
    catalogue = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "dimension": ["D", "D", "D"],
            "domain": ["X", "X", "X"],
            "points": [1.0, 1.0, 1.0],
            "direction": [1, 1, 1],
        }
    )
    data = pd.DataFrame(
        {"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 5], "c": [1.0, 3, 2, 5, 4]}
    )
    result = build_composite(data, catalogue)
    x = result.normalised
    k = 3
    expected = k / (k - 1) * (1 - x.var().sum() / x.sum(axis=1).var())
    table = cronbach_alpha(result, "dimension")
    assert table.loc[0, "alpha"] == pytest.approx(expected)
    assert table.loc[0, "n_items"] == 3


def test_cronbach_single_item_has_reason():
    catalogue = pd.DataFrame(
        {
            "indicator": ["a"],
            "dimension": ["D"],
            "domain": ["X"],
            "points": [1.0],
            "direction": [1],
        }
    )
    result = build_composite(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), catalogue)
    table = cronbach_alpha(result)
    assert np.isnan(table.loc[0, "alpha"])
    assert table.loc[0, "reason"] == "fewer than 2 indicators"


def test_pca_variance_shares(result):
    table = pca_variance(result, "index")
    assert table["variance_share"].sum() == pytest.approx(1.0)
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert table["eigenvalue"].is_monotonic_decreasing
    assert table["eigenvalue"].sum() == pytest.approx(12.0)


def test_removal_impact_levels(example):
    data, catalogue = example
    table = removal_impact(data, catalogue, level="domain")
    assert table["removed"].tolist() == ["D1", "D2", "D3"]
    assert (table["mean_abs_rank_shift"] >= 0).all()
    assert (table["rank_correlation"] <= 1).all()


def test_removal_impact_hand_check(example):
    data, catalogue = example
    table = removal_impact(data, catalogue, level="indicator").set_index("removed")
    nominal = build_composite(data, catalogue).index.set_index("area_code")["rank"]
    reduced = build_composite(data, catalogue[catalogue["indicator"] != "I05"])
    shift = (reduced.index.set_index("area_code")["rank"] - nominal).abs().astype(float)
    assert table.loc["I05", "mean_abs_rank_shift"] == pytest.approx(shift.mean())


def test_removal_impact_level_option(example):
    with pytest.raises(PinganError, match="level must be one of"):
        removal_impact(*example, level="index")


def test_compare_schemes(example):
    a = build_composite(*example, "points")
    b = build_composite(*example, "equal")
    table = compare_schemes(a, b)
    assert len(table) == 16
    assert (table["rank_shift"] == table["rank_a"] - table["rank_b"]).all()
    assert table["score_diff"].to_numpy() == pytest.approx(
        (table["score_b"] - table["score_a"]).to_numpy()
    )
    same = compare_schemes(a, a)
    assert (same["rank_shift"] == 0).all()


def test_rank_table(example):
    runs = [build_composite(*example, s) for s in ("points", "equal", "entropy")]
    table = rank_table(runs, reference=1)
    assert table["scheme"].unique().tolist() == ["points", "equal", "entropy"]
    assert (table.loc[table["scheme"] == "equal", "rank_shift"] == 0).all()
    with pytest.raises(PinganError, match="reference must be in"):
        rank_table(runs, reference=3)
