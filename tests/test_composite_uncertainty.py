import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as salib_sobol
from SALib.sample import sobol as salib_sample

from pingan.composite import (
    Scheme,
    build_composite,
    rank_uncertainty,
    scheme_sensitivity,
    sensitivity_indices,
)
from pingan.composite.examples import make_example
from pingan.composite.scheme import prepare
from pingan.composite.uncertainty import batch_index
from pingan.exceptions import PinganError


def ishigami(x, a=7.0, b=0.1):
    return (
        np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    )


PI_BOUNDS = [(-np.pi, np.pi)] * 3


def test_ishigami_analytic_indices():
    # Ishigami & Homma (1990) with a = 7, b = 0.1; analytic values as given
    # by Saltelli et al. (2008), Global Sensitivity Analysis: The Primer.
    table = sensitivity_indices(ishigami, PI_BOUNDS, n=2**13, n_bootstrap=50)
    assert table["s1"].tolist() == pytest.approx([0.3139, 0.4424, 0.0], abs=0.02)
    assert table["st"].tolist() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.02)
    assert (table["s1_low"] <= table["s1"]).all()
    assert (table["st_high"] >= table["st"]).all()


def test_sobol_matches_salib_on_same_samples():
    problem = {
        "num_vars": 3,
        "names": ["x1", "x2", "x3"],
        "bounds": [[-np.pi, np.pi]] * 3,
    }
    samples = salib_sample.sample(problem, 2**12, calc_second_order=False, seed=1)
    salib = salib_sobol.analyze(
        problem, ishigami(samples), calc_second_order=False, seed=1
    )
    ours = sensitivity_indices(ishigami, PI_BOUNDS, n=2**12, n_bootstrap=0, seed=1)
    # Different sample designs, same estimators: agreement within MC error.
    assert ours["s1"].to_numpy() == pytest.approx(salib["S1"], abs=0.03)
    assert ours["st"].to_numpy() == pytest.approx(salib["ST"], abs=0.03)


def test_sobol_requires_power_of_two():
    with pytest.raises(PinganError, match="power of 2"):
        sensitivity_indices(ishigami, PI_BOUNDS, n=1000)


def test_sobol_constant_model_gives_zero():
    table = sensitivity_indices(
        lambda x: np.ones(len(x)), [(0, 1)], n=64, n_bootstrap=0
    )
    assert table["s1"].tolist() == [0.0]
    assert table["st"].tolist() == [0.0]


@pytest.fixture(scope="module")
def example():
    return make_example(n_areas=16, n_indicators=21, seed=5)


def _local_weights(plan, mult, d):
    """Local weights of draw d as the dict that hierarchy_weights accepts."""
    out = {}
    for level in ("indicator", "dimension", "domain"):
        rows = plan.weights[plan.weights["level"] == level]
        out[level] = pd.Series(
            rows["weight"].to_numpy() * mult[level][d], index=rows["code"].to_numpy()
        )
    return out


@pytest.mark.parametrize(
    "aggregation",
    [
        "arithmetic",
        "geometric",
        {"dimension": "harmonic", "domain": "arithmetic", "index": "geometric"},
        {"dimension": "generalised", "index": "copeland"},
    ],
)
def test_batch_index_matches_build_composite(example, aggregation):
    data, catalogue = example
    params = {"dimension": {"p": 2.0}} if isinstance(aggregation, dict) else {}
    scheme = Scheme(
        "s",
        normalisation_params={"bounds": (1, 100)},
        aggregation=aggregation,
        aggregation_params=params,
    )
    plan = prepare(data, catalogue, scheme)
    rng = np.random.default_rng(0)
    mult = {
        level: rng.uniform(0.5, 1.5, (3, int((plan.weights["level"] == level).sum())))
        for level in ("indicator", "dimension", "domain")
    }
    weights = {
        level: plan.weights.loc[plan.weights["level"] == level, "weight"].to_numpy()
        * mult[level]
        for level in mult
    }
    batch = batch_index(plan, weights)
    for d in range(3):
        single = Scheme(
            "one",
            normalisation_params={"bounds": (1, 100)},
            weights=_local_weights(plan, mult, d),
            aggregation=aggregation,
            aggregation_params=params,
        )
        direct = build_composite(data, catalogue, single).index["score"].to_numpy()
        assert batch[d] == pytest.approx(direct)


def test_zero_noise_reproduces_nominal(example):
    data, catalogue = example
    noise = {"indicator": 0.0, "dimension": 0.0, "domain": 0.0}
    result = rank_uncertainty(data, catalogue, n_draws=20, noise=noise, progress=False)
    summary = result.summary
    assert (summary["median_rank"] == summary["nominal_rank"].astype(float)).all()
    assert (summary["q05_rank"] == summary["q95_rank"]).all()
    nominal = build_composite(data, catalogue).index.set_index("area_code")["rank"]
    assert summary.set_index("area_code")["nominal_rank"].equals(
        nominal.reindex(summary["area_code"])
    )


def test_rank_statistics_are_ordered(example):
    data, catalogue = example
    result = rank_uncertainty(data, catalogue, n_draws=300, seed=3, progress=False)
    s = result.summary
    assert (s["q05_rank"] <= s["median_rank"]).all()
    assert (s["median_rank"] <= s["q95_rank"]).all()
    assert result.ranks.shape == (300, 16)
    assert s["q95_rank"].max() <= 16


def test_chunking_does_not_change_results(example):
    data, catalogue = example
    a = rank_uncertainty(
        data, catalogue, n_draws=64, seed=9, chunk_size=7, progress=False
    )
    b = rank_uncertainty(data, catalogue, n_draws=64, seed=9, progress=False)
    np.testing.assert_array_equal(a.ranks, b.ranks)


def test_seed_reproducible(example):
    data, catalogue = example
    a = rank_uncertainty(data, catalogue, n_draws=50, seed=1, progress=False)
    b = rank_uncertainty(data, catalogue, n_draws=50, seed=1, progress=False)
    np.testing.assert_array_equal(a.ranks, b.ranks)


def test_method_alternatives(example):
    data, catalogue = example
    alternatives = {
        "normalisation": ["minmax", "percentile_rank"],
        "aggregation": [
            "arithmetic",
            {"aggregation": "geometric", "normalisation_params": {"bounds": (1, 100)}},
        ],
    }
    result = rank_uncertainty(
        data, catalogue, n_draws=200, alternatives=alternatives, seed=2, progress=False
    )
    assert list(result.choices.columns) == ["draw", "normalisation", "aggregation"]
    assert set(result.choices["normalisation"]) == {0, 1}
    assert not np.isnan(result.ranks).any()


def test_invalid_alternative_combination(example):
    data, catalogue = example
    alternatives = {"normalisation": ["zscore"], "aggregation": ["geometric"]}
    with pytest.raises(PinganError, match="non-negative"):
        rank_uncertainty(
            data, catalogue, n_draws=5, alternatives=alternatives, progress=False
        )


def test_bad_noise_level(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="noise level must be one of"):
        rank_uncertainty(
            data, catalogue, n_draws=5, noise={"pillar": 0.1}, progress=False
        )


def test_scheme_sensitivity_weights_and_methods(example):
    data, catalogue = example
    table = scheme_sensitivity(
        data,
        catalogue,
        noise={"domain": 0.5, "indicator": 0.0},
        alternatives={"normalisation": ["minmax", "rank"]},
        n=64,
        n_weight_sets=20,
        n_bootstrap=20,
    )
    assert table["factor"].tolist() == ["weights_domain", "normalisation"]
    assert (table["st"] >= -0.05).all()
    assert table["st"].max() > 0


def test_scheme_sensitivity_needs_inputs(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="no input varies"):
        scheme_sensitivity(data, catalogue, noise={"domain": 0.0}, n=8)


@pytest.mark.parametrize("block", [128, 4, 1])
def test_rank_summary_matches_numpy_quantiles(block, monkeypatch):
    from pingan.composite import uncertainty
    from pingan.composite.uncertainty import _add_rank_counts, _rank_summary

    monkeypatch.setattr(uncertainty, "_COUNT_BLOCK", block)

    rng = np.random.default_rng(0)
    ranks = rng.integers(1, 7, size=(101, 6)).astype("float32")
    ranks[3, 2] = np.nan
    counts = np.zeros((6, 6), dtype=np.int64)
    _add_rank_counts(counts, ranks[:50])
    _add_rank_counts(counts, ranks[50:])
    summary = _rank_summary(pd.Index(list("abcdef")), np.arange(1, 7), counts)
    summary = summary.set_index("area_code").loc[list("abcdef")]
    for q, col in ((0.05, "q05_rank"), (0.5, "median_rank"), (0.95, "q95_rank")):
        assert summary[col].to_numpy() == pytest.approx(
            np.nanquantile(ranks, q, axis=0)
        )
    assert summary["mean_rank"].to_numpy() == pytest.approx(np.nanmean(ranks, axis=0))


def test_threads_do_not_change_results(example):
    data, catalogue = example
    serial = rank_uncertainty(
        data, catalogue, n_draws=64, seed=4, chunk_size=8, progress=False
    )
    threaded = rank_uncertainty(
        data, catalogue, n_draws=64, seed=4, chunk_size=8, progress=False, n_jobs=2
    )
    np.testing.assert_array_equal(serial.ranks, threaded.ranks)
    pd.testing.assert_frame_equal(serial.summary, threaded.summary)


def test_n_jobs_must_be_positive(example):
    data, catalogue = example
    with pytest.raises(PinganError, match="n_jobs must be in"):
        rank_uncertainty(data, catalogue, n_draws=5, n_jobs=0, progress=False)


def test_sobol_confidence_range():
    with pytest.raises(PinganError, match="confidence must be in"):
        sensitivity_indices(ishigami, PI_BOUNDS, n=64, confidence=1.0)


def test_mazziotta_pareto_levels_use_fallback(example):
    data, catalogue = example
    result = rank_uncertainty(
        data, catalogue, "mazziotta_pareto", n_draws=20, progress=False
    )
    nominal = build_composite(data, catalogue, "mazziotta_pareto").index
    assert result.summary.set_index("area_code")["nominal_rank"].to_dict() == (
        nominal.set_index("area_code")["rank"].to_dict()
    )
    assert not np.isnan(result.ranks).any()


def test_imputation_alternatives(example):
    data, catalogue = example
    gappy = data.copy()
    gappy.iloc[0, 0] = np.nan
    gappy.iloc[5, 3] = np.nan
    result = rank_uncertainty(
        gappy,
        catalogue,
        Scheme("imputed", imputation="mean"),
        n_draws=40,
        alternatives={"imputation": ["mean", "median"]},
        progress=False,
    )
    assert set(result.choices["imputation"]) == {0, 1}
    assert not np.isnan(result.ranks).any()


def test_empty_alternatives_rejected(example):
    data, catalogue = example
    with pytest.raises(
        PinganError, match=r"alternatives \['aggregation'\] list no choice"
    ):
        rank_uncertainty(data, catalogue, n_draws=5, alternatives={"aggregation": []})
