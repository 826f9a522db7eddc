"""Competition ranks from packed integer keys must equal scipy's ranks exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import rankdata

from pingan.composite.ranking import _argsort_ranks, rank_scores


def expected_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks of each row (1 = highest), NaN for NaN scores."""
    scores = np.atleast_2d(scores)
    ranks = np.full(scores.shape, np.nan)
    for i, row in enumerate(scores):
        present = ~np.isnan(row)
        ranks[i, present] = rankdata(-row[present], method="min")
    return ranks


def test_ties_share_minimum_rank():
    # 9 > 7 = 7 > 5 = 5 = 5 > 1: ranks 1, 2, 2, 4, 4, 4, 7.
    scores = np.array([5.0, 7.0, 1.0, 9.0, 5.0, 7.0, 5.0])
    expected = [4.0, 2.0, 7.0, 1.0, 4.0, 2.0, 4.0]
    np.testing.assert_array_equal(rank_scores(scores), expected)


def test_scores_one_ulp_apart_are_not_tied():
    # Far below the fixed-point resolution of the packed keys, so only the
    # exact comparison of equal keys can order them.
    base = 50.0
    up = np.nextafter(base, np.inf)
    scores = np.array([[0.0, base, up, base, 100.0, up]])
    np.testing.assert_array_equal(rank_scores(scores), [[6.0, 4.0, 2.0, 4.0, 1.0, 2.0]])


def test_constant_row_is_one_tie():
    np.testing.assert_array_equal(rank_scores(np.full((2, 5), 3.5)), np.ones((2, 5)))


def test_nan_takes_no_place_and_infinity_ranks_first():
    scores = np.array([[3.0, np.nan, np.inf, 3.0, -np.inf]])
    np.testing.assert_array_equal(rank_scores(scores), [[2.0, np.nan, 1.0, 2.0, 4.0]])


def test_huge_range_falls_back_to_argsort():
    # max - min overflows to inf, which the fixed-point scale cannot use.
    scores = np.array([1e308, -1e308, 0.0, 1e308])
    np.testing.assert_array_equal(rank_scores(scores), [1.0, 4.0, 3.0, 1.0])


def test_subnormal_range_is_ranked_from_exact_values():
    tiny = np.nextafter(0.0, 1.0)
    scores = np.array([[0.0, tiny, 2 * tiny, tiny]])
    np.testing.assert_array_equal(rank_scores(scores), [[4.0, 2.0, 1.0, 2.0]])


@pytest.mark.parametrize("n_areas", [4096, 4097, 9000])
def test_wide_rows_stay_exact(n_areas):
    rng = np.random.default_rng(n_areas)
    scores = np.round(rng.normal(50, 10, size=(3, n_areas)), 2)
    np.testing.assert_array_equal(rank_scores(scores), expected_ranks(scores))


def test_float32_ranks_and_shape_kept():
    scores = np.arange(24.0).reshape(2, 3, 4)
    ranks = rank_scores(scores, dtype="float32")
    assert ranks.dtype == np.float32
    assert ranks.shape == (2, 3, 4)
    np.testing.assert_array_equal(ranks[1, 2], [4.0, 3.0, 2.0, 1.0])


def test_empty_input_gives_empty_ranks():
    assert rank_scores(np.empty((3, 0))).shape == (3, 0)


finite = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True)
few_values = st.sampled_from([0.0, -0.0, 1.0, 1.5, 2.0, -3.0, 1e-300, 7e300])
any_value = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2), elements=finite)
)
def test_matches_scipy_on_any_finite_scores(scores):
    np.testing.assert_array_equal(rank_scores(scores), expected_ranks(scores))


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=2, max_dims=2), elements=few_values
    )
)
def test_matches_scipy_with_many_ties(scores):
    np.testing.assert_array_equal(rank_scores(scores), expected_ranks(scores))


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2), elements=any_value)
)
def test_matches_scipy_with_nan_and_infinity(scores):
    np.testing.assert_array_equal(
        rank_scores(scores).reshape(-1, scores.shape[-1]), expected_ranks(scores)
    )


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(2, 300),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0, 2, 6, 12]),
)
def test_packed_matches_argsort_near_ties(n_rows, n_areas, seed, decimals):
    # Weighted sums rounded to few decimals give many equal fixed-point
    # keys, the case the exact rerank of equal keys exists for.
    rng = np.random.default_rng(seed)
    scores = rng.random((n_rows, n_areas)) * 100
    if decimals:
        scores = np.round(scores, decimals)
    np.testing.assert_array_equal(
        rank_scores(scores), _argsort_ranks(scores, "float64")
    )


def test_out_receives_the_ranks():
    out = np.full((2, 3), -1.0, dtype="float32")
    result = rank_scores(
        np.array([[1.0, 3.0, 2.0], [0.0, np.nan, 0.0]]), "float32", out
    )
    assert result is out
    np.testing.assert_array_equal(out, [[3.0, 1.0, 2.0], [1.0, np.nan, 1.0]])


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (np.empty((2, 3)), "dtype float64"),
        (np.empty((3, 2), dtype="float32"), r"shape \(3, 2\)"),
        (np.empty((3, 2), dtype="float32").T, "C-contiguous"),
    ],
)
def test_out_of_the_wrong_kind_is_rejected(out, message):
    with pytest.raises(ValueError, match=message):
        rank_scores(np.ones((2, 3)), "float32", out)
