"""EARS and improved Farrington against R surveillance 1.20.3 reference values.

The reference files in tests/reference/ were made by the R scripts beside
them (Rscript tests/reference/surveillance_ears.R and
surveillance_farrington.R), so these tests do not need R.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pingan.detect import aberration, ears, farrington
from pingan.exceptions import PinganError

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def ears_reference():
    return pd.read_csv(REFERENCE / "surveillance_ears.csv")


@pytest.fixture(scope="module")
def series(ears_reference):
    q = pd.period_range("2015Q1", periods=len(ears_reference), freq="Q")
    return pd.Series(ears_reference["observed"].to_numpy(dtype=float), index=q)


@pytest.mark.parametrize("method", ["C1", "C2"])
def test_ears_matches_surveillance(series, ears_reference, method):
    out = ears(series, method=method, baseline=8, threshold=3.0)
    ref_upper = ears_reference[f"{method.lower()}_upper"]
    np.testing.assert_allclose(out["upper"], ref_upper, rtol=1e-12)
    ref_alarm = ears_reference[f"{method.lower()}_alarm"].fillna(False).astype(bool)
    assert out["is_anomaly"].tolist() == ref_alarm.tolist()


def test_ears_c3_is_sum_of_c2_excesses(series):
    c2 = ears(series, method="C2", baseline=8)["statistic"].to_numpy()
    c3 = ears(series, method="C3", baseline=8)["statistic"].to_numpy()
    part = np.maximum(0, c2 - 1)
    np.testing.assert_allclose(c3[12:], part[12:] + part[11:-1] + part[10:-2])
    assert np.isnan(c3[:12]).all()


def test_ears_c3_differs_from_surveillance_where_documented(series, ears_reference):
    # surveillance 1.20.3 alarms when the two lagged terms alone exceed the
    # threshold; the C3 definition adds the current quarter's term.
    c2 = ears(series, method="C2", baseline=8)["statistic"].to_numpy()
    part = np.maximum(0, c2 - 1)
    lagged = np.full(len(part), np.nan)
    lagged[2:] = part[1:-1] + part[:-2]
    r_alarm = ears_reference["c3_alarm"].to_numpy()
    rows = ~pd.isna(r_alarm)
    assert ((lagged[rows] > 2) == r_alarm[rows].astype(bool)).all()


def test_ears_hand_value():
    y = pd.Series(
        [4.0, 6, 5, 5, 4, 6, 5, 5, 5, 14],
        index=pd.period_range("2022Q1", periods=10, freq="Q"),
    )
    window = y.to_numpy()[1:9]
    expected = (14 - window.mean()) / window.std(ddof=1)
    assert ears(y)["statistic"].iloc[-1] == pytest.approx(expected)


def test_ears_zero_variation_and_min_sigma():
    y = pd.Series(
        [3.0] * 9 + [5.0], index=pd.period_range("2020Q1", periods=10, freq="Q")
    )
    out = ears(y)
    assert out["reason"].iloc[-1] == "window has no variation"
    floored = ears(y, min_sigma=0.5)
    assert floored["statistic"].iloc[-1] == pytest.approx(4.0)


def test_ears_invalid_baseline_raises():
    with pytest.raises(PinganError, match="baseline must be one of 'an integer >= 3'"):
        ears(
            pd.Series([1.0], index=pd.period_range("2020Q1", periods=1, freq="Q")),
            baseline=2,
        )


@pytest.fixture(scope="module")
def farrington_reference():
    return pd.read_csv(REFERENCE / "surveillance_farrington.csv")


def test_farrington_matches_surveillance_with_its_trend_test(
    series, farrington_reference, monkeypatch
):
    # Reproduce surveillance's trend-test dispersion (see
    # aberration._trend_test_dispersion) to show every other step agrees.
    monkeypatch.setattr(
        aberration,
        "_trend_test_dispersion",
        lambda y, mu, omega, df: float(np.sum(omega * ((y - mu) / mu) ** 2) / df),
    )
    ref = farrington_reference
    got = farrington(series).iloc[ref["position"] - 1].reset_index(drop=True)
    np.testing.assert_allclose(got["upper"], ref["upper"])
    np.testing.assert_allclose(got["expected"], ref["expected"], rtol=1e-8)
    np.testing.assert_allclose(got["phi"], ref["phi"], rtol=1e-3)
    np.testing.assert_allclose(got["p_value"], ref["p_value"], rtol=1e-3, atol=1e-9)
    assert got["trend"].tolist() == ref["trend"].astype(bool).tolist()
    assert got["is_anomaly"].tolist() == ref["alarm"].tolist()


def test_farrington_pearson_trend_test_agrees_without_trend(
    series, farrington_reference
):
    ref = farrington_reference
    got = farrington(series).iloc[ref["position"] - 1].reset_index(drop=True)
    no_trend = ref["trend"] == 0
    np.testing.assert_allclose(got.loc[no_trend, "upper"], ref.loc[no_trend, "upper"])
    assert not got.loc[no_trend, "trend"].any()


def test_farrington_min_cases_and_baseline_reasons():
    y = pd.Series([0.0, 1] * 8, index=pd.period_range("2020Q1", periods=16, freq="Q"))
    out = farrington(y)
    assert (out["reason"].iloc[:12] == "baseline too short").all()
    assert (out["reason"].iloc[12:] == "fewer than 5 cases in 4 quarters").all()
    assert not out["is_anomaly"].any()


def test_farrington_negative_counts_raise():
    y = pd.Series([-1.0] * 16, index=pd.period_range("2020Q1", periods=16, freq="Q"))
    with pytest.raises(PinganError, match="counts must not be negative"):
        farrington(y)
