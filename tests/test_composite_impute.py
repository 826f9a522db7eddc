import numpy as np
import pandas as pd
import pytest

from pingan.composite import IMPUTE_METHODS, impute
from pingan.exceptions import DataQualityWarning, PinganError


@pytest.fixture
def data():
    return pd.DataFrame(
        {
            "a": [1.0, np.nan, 3.0, 5.0],
            "b": [10.0, 20.0, np.nan, 40.0],
            "c": [0.0, 1.0, 1.0, np.nan],
        },
        index=pd.Index(["n1", "n2", "s1", "s2"], name="area_code"),
    )


GROUPS = {"n1": "north", "n2": "north", "s1": "south", "s2": "south"}
DOMAINS = {"a": "X", "b": "X", "c": "Y"}


def test_mean(data):
    result = impute(data, "mean")
    assert result.data.loc["n2", "a"] == pytest.approx(3.0)
    assert result.data.loc["s1", "b"] == pytest.approx(70 / 3)
    assert len(result.log) == 3
    assert set(result.log["method"]) == {"mean"}


def test_median(data):
    result = impute(data, "median")
    assert result.data.loc["n2", "a"] == 3.0
    assert result.data.loc["s2", "c"] == 1.0


def test_group_mean(data):
    result = impute(data, "group_mean", groups=GROUPS)
    assert result.data.loc["n2", "a"] == 1.0
    assert result.data.loc["s1", "b"] == 40.0
    log = result.log.set_index(["row", "indicator"])
    assert log.loc[("n2", "a"), "source"] == "group north"


def test_group_median_empty_group_warns():
    data = pd.DataFrame({"a": [np.nan, np.nan, 3.0]}, index=["x", "y", "z"])
    with pytest.warns(DataQualityWarning, match="2 value"):
        result = impute(data, "group_median", groups={"x": "g1", "y": "g1", "z": "g2"})
    assert result.data["a"].isna().sum() == 2
    assert result.log.empty


def test_row_mean_hand_calculation(data):
    with pytest.warns(DataQualityWarning, match="1 value"):
        result = impute(data, "row_mean", groups=DOMAINS)
    # Area n2, domain X: b scaled = (20 - 10) / 30 = 1/3 -> a = 1 + 1/3 * (5 - 1)
    assert result.data.loc["n2", "a"] == pytest.approx(1 + 4 / 3)
    # Area s1: a scaled = (3 - 1) / 4 = 0.5 -> b = 10 + 0.5 * 30
    assert result.data.loc["s1", "b"] == pytest.approx(25.0)
    # c is alone in its domain: nothing to impute from
    assert np.isnan(result.data.loc["s2", "c"])
    assert result.log.set_index(["row", "indicator"]).loc[("n2", "a"), "source"] == (
        "row mean of domain X"
    )


def test_observed_values_never_change(data):
    for method in ("mean", "median", "group_mean", "row_mean"):
        groups = GROUPS if method == "group_mean" else DOMAINS
        with pytest.warns(DataQualityWarning) if method == "row_mean" else _nothing():
            result = impute(data, method, groups=groups)
        observed = data.notna()
        assert (
            result.data[observed] == data[observed]
        ).sum().sum() == observed.sum().sum()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


@pytest.fixture
def panel():
    index = pd.MultiIndex.from_product(
        [pd.period_range("2025Q1", periods=4, freq="Q"), ["x", "y"]],
        names=["quarter", "area_code"],
    )
    return pd.DataFrame(
        {"a": [1.0, 5.0, np.nan, 6.0, np.nan, np.nan, 4.0, np.nan]}, index=index
    )


def test_carry_forward(panel):
    result = impute(panel, "carry_forward")
    q = pd.Period("2025Q3", freq="Q")
    assert result.data.loc[(q, "x"), "a"] == 1.0
    assert result.data.loc[(pd.Period("2025Q4", freq="Q"), "y"), "a"] == 6.0
    log = result.log
    assert len(log) == 4
    assert set(log["source"]) == {"quarter 2025Q1", "quarter 2025Q2"}


def test_carry_forward_age_limit(panel):
    with pytest.warns(DataQualityWarning):
        result = impute(panel, "carry_forward", max_quarters=1)
    q3 = pd.Period("2025Q3", freq="Q")
    assert np.isnan(result.data.loc[(q3, "x"), "a"])
    assert result.data.loc[(pd.Period("2025Q2", freq="Q"), "x"), "a"] == 1.0


def test_carry_forward_needs_panel(data):
    with pytest.raises(PinganError, match="MultiIndex"):
        impute(data, "carry_forward")


@pytest.mark.parametrize("method", ["group_mean", "row_mean"])
def test_groups_required(data, method):
    with pytest.raises(PinganError, match="need"):
        impute(data, method)


def test_unknown_method(data):
    with pytest.raises(PinganError, match="method must be one of"):
        impute(data, "knn")


@pytest.mark.parametrize("method", [m for m in IMPUTE_METHODS if m != "carry_forward"])
def test_impute_contract(data, method):
    groups = DOMAINS if method == "row_mean" else GROUPS
    with pytest.warns(DataQualityWarning) if method == "row_mean" else _nothing():
        result = impute(data, method, groups=groups)
    assert result.data.index.equals(data.index)
    assert result.data.columns.equals(data.columns)
    assert list(result.log.columns) == [
        "row",
        "indicator",
        "imputed_value",
        "method",
        "source",
    ]
    assert len(result.log) == int((data.isna() & result.data.notna()).sum().sum())
