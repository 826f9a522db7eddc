import numpy as np
import pandas as pd
import pytest

from pingan.composite import (
    SCHEMES,
    Scheme,
    aggregate,
    build_composite,
    get_scheme,
    normalise,
    to_wide,
)
from pingan.composite.examples import make_example
from pingan.exceptions import ConstantIndicatorWarning, PinganError


@pytest.fixture(scope="module")
def example():
    return make_example(n_areas=16, n_indicators=21, seed=7)


@pytest.mark.parametrize("name", list(SCHEMES))
def test_every_named_scheme_builds(example, name):
    data, catalogue = example
    result = build_composite(data, catalogue, name)
    assert result.index["score"].notna().all()
    assert sorted(result.index["rank"].tolist())[0] == 1
    assert set(result.scores["level"]) == {"dimension", "domain", "index"}
    assert result.scheme.name == name


def test_points_arithmetic_equals_effective_weights(example):
    data, catalogue = example
    result = build_composite(data, catalogue, "points")
    eff = catalogue.set_index("indicator")["points"] / 100
    expected = result.normalised @ eff
    assert result.index["score"].to_numpy() == pytest.approx(expected.to_numpy())


def test_levels_hand_calculation():
    catalogue = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "dimension": ["D1", "D1", "D2"],
            "domain": ["X", "X", "X"],
            "points": [20.0, 20.0, 60.0],
            "direction": [1, -1, 1],
        }
    )
    data = pd.DataFrame(
        {"a": [1.0, 3.0], "b": [1.0, 3.0], "c": [4.0, 6.0]}, index=["p", "q"]
    )
    scheme = Scheme(
        "mixed",
        normalisation_params={"bounds": (1, 2)},
        aggregation={"dimension": "geometric"},
    )
    result = build_composite(data, catalogue, scheme)
    scores = result.scores.set_index(["area_code", "code"])["score"]
    # p: a = 1, b = 2 (direction -1) -> D1 = sqrt(2); c = 1 -> D2 = 1
    assert scores[("p", "D1")] == pytest.approx(np.sqrt(2))
    # index = 0.4 D1 + 0.6 D2 (points shares)
    assert scores[("p", "index")] == pytest.approx(0.4 * np.sqrt(2) + 0.6)


def test_scheme_with_imputation_and_outliers(example):
    data, catalogue = example
    gappy = data.copy()
    gappy.iloc[0, 0] = np.nan
    gappy.iloc[3, 0] = 500.0
    scheme = Scheme("robust", imputation="median", treat_outliers=True)
    result = build_composite(gappy, catalogue, scheme)
    assert len(result.imputed) == 1
    assert result.imputed.iloc[0]["indicator"] == "I01"
    assert not result.treated.empty
    assert result.index["score"].notna().all()


def test_missing_values_are_skipped(example):
    data, catalogue = example
    gappy = data.copy()
    gappy.iloc[0, :3] = np.nan
    result = build_composite(gappy, catalogue)
    assert result.index["score"].notna().all()


def test_topsis_scheme_matches_direct_call(example):
    data, catalogue = example
    result = build_composite(data, catalogue, "topsis")
    domains = result.scores[result.scores["level"] == "domain"].pivot(
        index="area_code", columns="code", values="score"
    )
    weights = result.weights.query("level == 'domain'").set_index("code")["weight"]
    direct = aggregate(domains, weights, "topsis", normalisation="vector")
    assert result.index.set_index("area_code")["score"].to_numpy() == pytest.approx(
        direct.reindex(result.index["area_code"]).to_numpy()
    )


def test_mazziotta_pareto_scheme_uses_population_z(example):
    data, catalogue = example
    result = build_composite(data, catalogue, "mazziotta_pareto")
    direction = catalogue.set_index("indicator")["direction"]
    z = normalise(data, "zscore", direction, mean=100, sd=10, ddof=0)
    pd.testing.assert_frame_equal(result.normalised, z)


def test_missing_indicator_column(example):
    data, catalogue = example
    with pytest.raises(PinganError, match=r"no column for indicator\(s\) \['I01'\]"):
        build_composite(data.drop(columns="I01"), catalogue)


def test_unknown_scheme_name(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="name must be one of 'points'"):
        build_composite(data, catalogue, "fancy")


def test_invalid_scheme_choice(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="aggregation must be one of"):
        build_composite(
            data, catalogue, Scheme("bad", aggregation={"domain": "median"})
        )


def test_get_scheme_returns_scheme_unchanged():
    scheme = Scheme("mine")
    assert get_scheme(scheme) is scheme


def test_build_does_not_mutate_inputs(example):
    data, catalogue = example
    before_d, before_c = data.copy(), catalogue.copy()
    build_composite(data, catalogue, "entropy")
    pd.testing.assert_frame_equal(data, before_d)
    pd.testing.assert_frame_equal(catalogue, before_c)


def test_to_wide_filters_quarter():
    tidy = pd.DataFrame(
        {
            "quarter": pd.PeriodIndex(["2025Q1", "2025Q2", "2025Q2"], freq="Q"),
            "area_code": ["a", "a", "b"],
            "indicator": ["x", "x", "x"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    wide = to_wide(tidy, quarter="2025Q2")
    assert wide["x"].tolist() == [2.0, 3.0]
    with pytest.raises(PinganError, match="no rows for quarter"):
        to_wide(tidy, quarter="2024Q4")


def test_rank_scores_matches_scipy_min_ties():
    from scipy.stats import rankdata

    from pingan.composite.ranking import rank_scores

    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, size=(50, 12)).astype(float)
    expected = rankdata(-scores, method="min", axis=1)
    np.testing.assert_array_equal(rank_scores(scores), expected)


def test_rank_scores_nan_takes_no_place():
    from pingan.composite.ranking import rank_scores

    ranks = rank_scores(np.array([3.0, np.nan, 5.0, 3.0]))
    assert ranks[0] == 2.0
    assert np.isnan(ranks[1])
    assert ranks[2] == 1.0
    assert ranks[3] == 2.0


@pytest.mark.parametrize("name", ["entropy", "critic", "pca"])
def test_constant_indicator_alone_in_dimension(name):
    catalogue = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "dimension": ["D1", "D1", "D2"],
            "domain": ["X", "X", "Y"],
            "points": [30.0, 30.0, 40.0],
            "direction": [1, -1, 1],
        }
    )
    data = pd.DataFrame(
        {"a": [1.0, 2, 3, 4], "b": [4.0, 1, 3, 2], "c": [5.0, 5, 5, 5]},
        index=list("pqrs"),
    )
    with pytest.warns(ConstantIndicatorWarning):
        result = build_composite(data, catalogue, name)
    assert result.index["score"].notna().all()
    weights = result.weights.set_index(["level", "code"])["effective_weight"]
    assert weights[("indicator", "c")] == 0.0


def test_ahp_domain_weights_in_a_scheme(example):
    from pingan.composite import ahp_weights

    data, catalogue = example
    domains = sorted(catalogue["domain"].unique())
    matrix = pd.DataFrame(1.0, index=domains, columns=domains)
    matrix.loc["D1", "D2"], matrix.loc["D2", "D1"] = 3.0, 1 / 3
    weights = ahp_weights(matrix, allow_inconsistent=True).weights
    result = build_composite(
        data, catalogue, Scheme("ahp", weights={"domain": weights})
    )
    table = result.weights.query("level == 'domain'").set_index("code")["weight"]
    assert table.to_dict() == pytest.approx(weights.to_dict())


def test_group_mapping_missing_area_named():
    from pingan.composite import impute

    data = pd.DataFrame({"a": [1.0, np.nan]}, index=["x", "y"])
    with pytest.raises(PinganError, match=r"no value for area\(s\) \['y'\]"):
        impute(data, "group_mean", groups={"x": "g"})


def test_unknown_imputation(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="imputation must be one of"):
        build_composite(data, catalogue, Scheme("bad", imputation="knn"))


def test_to_wide_needs_columns():
    with pytest.raises(PinganError, match="missing the column"):
        to_wide(pd.DataFrame({"area_code": ["a"], "value": [1.0]}))
