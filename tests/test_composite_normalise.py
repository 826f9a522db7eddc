import warnings

import numpy as np
import pandas as pd
import pytest

from pingan.composite import NORMALISE_METHODS, normalise
from pingan.exceptions import ConstantIndicatorWarning, PinganError


@pytest.fixture
def data():
    return pd.DataFrame(
        {"a": [1.0, 2.0, 4.0, 9.0], "b": [10.0, 5.0, 0.0, 5.0]},
        index=pd.Index(["w", "x", "y", "z"], name="area_code"),
    )


PARAMS = {
    "goalposts": {"low": 0.0, "high": 10.0},
    "dist_to_ref": {"reference": "x"},
    "dist_to_target": {"target": 8.0},
}


# Contract: every method keeps labels, adds no NaN and stays finite.
@pytest.mark.parametrize("method", NORMALISE_METHODS)
def test_normalise_contract(data, method):
    out = normalise(data, method, direction={"a": 1, "b": -1}, **PARAMS.get(method, {}))
    assert out.index.equals(data.index)
    assert out.columns.equals(data.columns)
    assert not out.isna().any().any()
    assert np.isfinite(out.to_numpy()).all()


@pytest.mark.parametrize("method", NORMALISE_METHODS)
def test_normalise_keeps_missing_values(data, method):
    gappy = data.copy()
    gappy.loc["w", "a"] = np.nan
    out = normalise(gappy, method, **PARAMS.get(method, {}))
    assert np.isnan(out.loc["w", "a"])
    assert out.drop(index="w").notna().all().all()


@pytest.mark.parametrize("method", NORMALISE_METHODS)
def test_normalise_constant_indicator(data, method):
    constant = data.assign(a=3.0)
    with pytest.warns(ConstantIndicatorWarning, match="'a' has the same value"):
        out = normalise(constant, method, **PARAMS.get(method, {}))
    assert out["a"].nunique() == 1
    assert out["a"].notna().all()


def test_normalise_does_not_mutate_input(data):
    before = data.copy()
    normalise(data, "zscore", direction=-1)
    pd.testing.assert_frame_equal(data, before)


def test_minmax_hand_calculation(data):
    out = normalise(data, "minmax", bounds=(0, 1))
    # (x - 1) / (9 - 1)
    assert out["a"].tolist() == pytest.approx([0.0, 0.125, 0.375, 1.0])


def test_minmax_negative_direction(data):
    out = normalise(data, "minmax", direction={"a": 1, "b": -1})
    # b: (10 - x) / 10 * 100
    assert out["b"].tolist() == pytest.approx([0.0, 50.0, 100.0, 50.0])


def test_minmax_constant_gets_midpoint(data):
    with pytest.warns(ConstantIndicatorWarning):
        out = normalise(data.assign(a=7.0), "minmax", bounds=(20, 80))
    assert out["a"].tolist() == [50.0] * 4


def test_zscore_hand_calculation(data):
    out = normalise(data, "zscore", mean=100, sd=10, ddof=0)
    x = data["a"]
    expected = 100 + 10 * (x - x.mean()) / x.std(ddof=0)
    assert out["a"].tolist() == pytest.approx(expected.tolist())


def test_zscore_sample_sd_by_default(data):
    out = normalise(data, "zscore")
    assert out["a"].std(ddof=1) == pytest.approx(1.0)


def test_goalposts_truncate(data):
    out = normalise(data, "goalposts", low=2.0, high=6.0, scale=1.0)
    assert out["a"].tolist() == pytest.approx([0.0, 0.0, 0.5, 1.0])


def test_goalposts_without_truncation(data):
    out = normalise(data, "goalposts", low=2.0, high=6.0, scale=1.0, truncate=False)
    assert out["a"].tolist() == pytest.approx([-0.25, 0.0, 0.5, 1.75])


def test_goalposts_negative_direction(data):
    out = normalise(data, "goalposts", direction=-1, low=0.0, high=10.0, scale=1.0)
    # (high - x) / (high - low)
    assert out["b"].tolist() == pytest.approx([0.0, 0.5, 1.0, 0.5])


def test_goalposts_per_indicator(data):
    out = normalise(
        data, "goalposts", low={"a": 0.0, "b": 0.0}, high={"a": 10.0, "b": 20.0}
    )
    assert out.loc["w", "a"] == pytest.approx(10.0)
    assert out.loc["w", "b"] == pytest.approx(50.0)


def test_dist_to_max_equals_minmax(data):
    a = normalise(data, "dist_to_max")
    b = normalise(data, "minmax", bounds=(0, 1))
    pd.testing.assert_frame_equal(a, b)


def test_dist_to_ref(data):
    out = normalise(data, "dist_to_ref", reference="y")
    # 1 - (4 - x) / 8
    assert out["a"].tolist() == pytest.approx([0.625, 0.75, 1.0, 1.625])
    capped = normalise(data, "dist_to_ref", reference="y", cap=True)
    assert capped["a"].max() == 1.0


def test_dist_to_target(data):
    out = normalise(data, "dist_to_target", target=5.0)
    # 1 - (5 - x) / (5 - 1)
    assert out["a"].tolist() == pytest.approx([0.0, 0.25, 0.75, 2.0])
    capped = normalise(data, "dist_to_target", target=5.0, cap=True)
    assert capped.loc["z", "a"] == 1.0


def test_fraction_of_max_both_directions(data):
    out = normalise(data, "fraction_of_max", direction={"a": 1, "b": -1})
    assert out["a"].tolist() == pytest.approx([1 / 9, 2 / 9, 4 / 9, 1.0])
    # min / x with min = 0; 0 / 0 counts as the best value
    assert out["b"].tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0])


def test_fraction_of_max_rejects_negative():
    with pytest.raises(PinganError, match="non-negative"):
        normalise(pd.DataFrame({"a": [-1.0, 2.0]}), "fraction_of_max")


def test_rank_methods_with_ties(data):
    rank = normalise(data, "rank")
    assert rank["b"].tolist() == [4.0, 2.0, 1.0, 2.0]
    pct = normalise(data, "percentile_rank")
    assert pct["b"].tolist() == pytest.approx([1.0, 1 / 3, 0.0, 1 / 3])
    borda = normalise(data, "borda")
    assert borda["b"].tolist() == [3.0, 1.0, 0.0, 1.0]


def test_rank_negative_direction(data):
    out = normalise(data, "rank", direction=-1)
    assert out["a"].tolist() == [4.0, 3.0, 2.0, 1.0]


def test_log_transforms(data):
    x = data["a"]
    assert normalise(data, "log_ct")["a"].tolist() == pytest.approx(
        np.log(x - 1 + 0.08).tolist()
    )
    assert normalise(data, "log_ct_orig")["a"].tolist() == pytest.approx(
        np.log(x).tolist()
    )


def test_log_transform_keeps_order_for_negative_direction(data):
    out = normalise(data, "log_ct", direction=-1)
    assert out["a"].is_monotonic_decreasing


def test_log_ct_plus_mirrors_negative_skew():
    data = pd.DataFrame({"a": [1.0, 9.0, 9.5, 10.0, 10.0]})
    out = normalise(data, "log_ct_plus")
    assert out["a"].is_monotonic_increasing
    assert out["a"].iloc[0] < out["a"].iloc[1]


def test_boxcox_fixed_lambda(data):
    out = normalise(data, "boxcox", lmbda=0.5)
    assert out["a"].tolist() == pytest.approx(((data["a"] ** 0.5 - 1) / 0.5).tolist())
    logged = normalise(data, "boxcox", lmbda=0)
    assert logged["a"].tolist() == pytest.approx(np.log(data["a"]).tolist())


def test_boxcox_shifts_non_positive(data):
    out = normalise(data, "boxcox", lmbda=0)
    # b has a zero: y = x - min + 1
    assert out["b"].tolist() == pytest.approx(np.log(data["b"] + 1).tolist())


def test_unknown_method(data):
    with pytest.raises(PinganError, match="method must be one of 'minmax'"):
        normalise(data, "softmax")


def test_bad_direction(data):
    with pytest.raises(PinganError, match="direction must be 1 or -1"):
        normalise(data, direction={"a": 1, "b": 0})


def test_missing_required_parameter(data):
    with pytest.raises(PinganError, match="'low' is required"):
        normalise(data, "goalposts", high=3.0)


def test_unknown_reference_area(data):
    with pytest.raises(PinganError, match="reference area 'nowhere'"):
        normalise(data, "dist_to_ref", reference="nowhere")


def test_non_numeric_column():
    with pytest.raises(PinganError, match="must be numeric"):
        normalise(pd.DataFrame({"a": ["x", "y"]}))


def test_duplicated_area():
    with pytest.raises(PinganError, match="duplicated areas"):
        normalise(pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]))


def test_no_warning_for_varying_data(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        normalise(data, "minmax")


def test_dist_to_target_at_or_below_minimum(data):
    # Every area is at or beyond a target of 0.5 (the minimum of a is 1).
    out = normalise(data, "dist_to_target", target=0.5)
    assert out["a"].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_goalposts_equal_rejected(data):
    with pytest.raises(PinganError, match="goalposts of 'a' are equal"):
        normalise(data, "goalposts", low=1.0, high=1.0)


def test_all_missing_column_stays_missing():
    data = pd.DataFrame({"a": [np.nan, np.nan], "b": [1.0, 2.0]})
    out = normalise(data, "minmax")
    assert out["a"].isna().all()
    assert out["b"].tolist() == [0.0, 100.0]
