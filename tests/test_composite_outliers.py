import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pingan.composite import skew_kurtosis, treat_outliers
from pingan.exceptions import PinganError


@pytest.fixture
def skewed():
    values = [1.0, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 40]
    normal = np.linspace(0.0, 10.0, 16)
    return pd.DataFrame(
        {"skewed": values, "normal": normal}, index=[f"a{i}" for i in range(16)]
    )


def test_skew_kurtosis_uses_sample_estimators(skewed):
    table = skew_kurtosis(skewed).set_index("indicator")
    x = skewed["skewed"]
    assert table.loc["skewed", "skew"] == pytest.approx(stats.skew(x, bias=False))
    assert table.loc["skewed", "kurtosis"] == pytest.approx(
        stats.kurtosis(x, bias=False)
    )
    assert bool(table.loc["skewed", "fails"])
    assert not bool(table.loc["normal", "fails"])


def test_rule_needs_both_skew_and_kurtosis():
    # Skewed (|skew| > 2) but the kurtosis threshold is raised above it: no failure.
    data = pd.DataFrame({"a": [1.0] * 9 + [50.0]})
    result = treat_outliers(data, kurtosis_max=100.0)
    assert result.treated.empty
    assert result.summary.loc[0, "treatment"] == "none"


def test_winsorise_replaces_top_value_by_next(skewed):
    result = treat_outliers(skewed)
    assert result.data.loc["a15", "skewed"] == 3.0
    treated = result.treated
    assert treated["area_code"].tolist() == ["a15"]
    assert treated["treatment"].tolist() == ["winsorised_high"]
    assert treated["original_value"].tolist() == [40.0]
    assert result.summary.set_index("indicator").loc["skewed", "n_winsorised"] == 1


def test_untouched_indicator_is_identical(skewed):
    result = treat_outliers(skewed)
    pd.testing.assert_series_equal(result.data["normal"], skewed["normal"])


def test_negative_skew_winsorises_low_side():
    values = [10.0, 9, 8, 9, 10, 9, 8, 9, 10, 9, 8, 9, 10, 9, 8, -30]
    result = treat_outliers(pd.DataFrame({"a": values}))
    assert result.treated["treatment"].tolist() == ["winsorised_low"]
    assert result.data["a"].min() == 8.0


def test_log_fallback_when_winmax_not_enough():
    # Two extreme values and winmax = 1: winsorising one point is not enough.
    values = [1.0] * 30 + [100.0, 1000.0]
    data = pd.DataFrame({"a": values})
    result = treat_outliers(data, winmax=1)
    row = result.summary.iloc[0]
    assert row["treatment"] == "log_ct"
    x = np.array(values)
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    assert result.data["a"].to_numpy() == pytest.approx(expected)
    assert set(result.treated["treatment"]) == {"log_ct"}


def test_fallback_none_keeps_winsorised():
    values = [1.0] * 30 + [100.0, 1000.0]
    result = treat_outliers(pd.DataFrame({"a": values}), winmax=1, fallback="none")
    assert result.data["a"].max() == 100.0
    assert result.summary.iloc[0]["treatment"] == "winsorise"


def test_missing_values_untouched():
    values = [1.0, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, np.nan, 40]
    result = treat_outliers(pd.DataFrame({"a": values}))
    assert np.isnan(result.data["a"].iloc[14])


def test_constant_column_not_treated():
    result = treat_outliers(pd.DataFrame({"a": [2.0] * 8}))
    assert result.treated.empty
    assert np.isnan(result.summary.loc[0, "skew_before"])


def test_bad_fallback():
    with pytest.raises(PinganError, match="fallback must be one of"):
        treat_outliers(pd.DataFrame({"a": [1.0, 2.0]}), fallback="sqrt")


def test_negative_winmax():
    with pytest.raises(PinganError, match="winmax must be in"):
        treat_outliers(pd.DataFrame({"a": [1.0, 2.0]}), winmax=-1)


def test_short_series_not_tested():
    table = skew_kurtosis(pd.DataFrame({"a": [1.0, 2.0, 30.0]}))
    assert np.isnan(table.loc[0, "skew"])
    assert not table.loc[0, "fails"]
    assert table.loc[0, "n"] == 3
