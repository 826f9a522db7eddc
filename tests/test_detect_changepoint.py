"""Pettitt's test, CUSUM and segmentation against hand calculations and ruptures."""

import numpy as np
import pandas as pd
import pytest
import ruptures

from pingan.detect import cusum, pettitt, segment
from pingan.exceptions import PinganError


def quarterly(values, start="2020Q1"):
    q = pd.period_range(start, periods=len(values), freq="Q")
    return pd.Series(np.asarray(values, dtype=float), index=q)


def pettitt_by_hand(y):
    # Pettitt (1979): U_t = sum_{i<=t} sum_{j>t} sign(y_j - y_i).
    n = len(y)
    u = [
        sum(np.sign(y[j] - y[i]) for i in range(t + 1) for j in range(t + 1, n))
        for t in range(n - 1)
    ]
    t = int(np.argmax(np.abs(u)))
    k = abs(u[t])
    return k, t, min(1.0, 2 * np.exp(-6 * k**2 / (n**3 + n**2)))


def test_pettitt_matches_hand_formula():
    rng = np.random.default_rng(1)
    for _ in range(10):
        y = np.concatenate([rng.normal(0, 1, 9), rng.normal(1.5, 1, 7)])
        k, t, p = pettitt_by_hand(y)
        got = pettitt(quarterly(y)).iloc[0]
        assert got["statistic"] == k
        assert got["p_value"] == pytest.approx(p)
        assert got["change_quarter"] == quarterly(y).index[t + 1]


def test_pettitt_gap_places_change_after_gap():
    s = quarterly([1.0, 2, 1, 2, 1, 7, 8, 7, 8]).drop(pd.Period("2021Q2", "Q"))
    got = pettitt(s).iloc[0]
    assert got["change_quarter"] == pd.Period("2021Q3", "Q")
    assert got["n"] == 8


def test_pettitt_constant_series_reason():
    got = pettitt(quarterly([2.0] * 8)).iloc[0]
    assert got["reason"] == "constant series"
    assert np.isnan(got["p_value"])
    assert not got["is_anomaly"]


def test_cusum_hand_recursion():
    y = np.array([10.0, 11, 9, 10, 11, 9, 10, 10, 14, 15])
    center = y[:8].mean()
    sigma = np.mean(np.abs(np.diff(y[:8]))) / 1.128
    expected, c = [], 0.0
    for v in y:
        c = max(0.0, c + (v - center) / sigma - 0.5)
        expected.append(c)
    out = cusum(quarterly(y))
    np.testing.assert_allclose(out["statistic"], expected)
    assert out["in_control_start"].iloc[0] == pd.Period("2020Q1", "Q")
    assert out["in_control_end"].iloc[0] == pd.Period("2021Q4", "Q")
    assert out["is_anomaly"].tolist() == [c > 4 for c in expected]


def test_cusum_missing_quarter_carries_sum():
    y = [10.0, 11, 9, 10, 11, 9, 10, 10, 14, np.nan, 15]
    out = cusum(quarterly(y))
    assert np.isnan(out["statistic"].iloc[9])
    assert out["reason"].iloc[9] == "missing value"
    assert out["statistic"].iloc[10] > out["statistic"].iloc[8]


def test_cusum_baseline_pair_and_short_baseline():
    y = quarterly([5.0, 6, 5, 6, 5, 6, 20, 21])
    out = cusum(y, baseline=("2020Q2", "2021Q1"))
    assert out["center"].iloc[0] == pytest.approx(5.5)
    short = cusum(y, baseline=("2019Q1", "2020Q1"))
    assert (short["reason"] == "baseline too short").all()


def test_cusum_bad_baseline_raises():
    with pytest.raises(PinganError, match="baseline must be at least 2 quarters"):
        cusum(quarterly([1.0, 2, 3]), baseline=1)


def test_segment_matches_ruptures_and_finds_step():
    rng = np.random.default_rng(4)
    y = np.concatenate([rng.normal(10, 1, 10), rng.normal(15, 1, 6)])
    out = segment(quarterly(y))
    pen = out["threshold"].iloc[0]
    expected = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(y).predict(pen=pen)
    starts = [i for i, flag in enumerate(out["is_anomaly"]) if flag]
    assert starts == expected[:-1]
    assert starts == [10]
    assert out["statistic"].iloc[10] == pytest.approx(y[10:].mean() - y[:10].mean())


def test_segment_binseg_and_short_series():
    y = quarterly([1.0, 1, 1, 9, 9, 9, 9, 1])
    out = segment(y, algorithm="binseg", penalty=5.0)
    assert out["is_anomaly"].any()
    short = segment(quarterly([1.0, 2, 3]))
    assert short["reason"].iloc[0].startswith("too short")


def test_segment_unknown_algorithm_raises():
    with pytest.raises(PinganError, match="algorithm must be one of 'pelt', 'binseg'"):
        segment(quarterly([1.0, 2, 3, 4]), algorithm="window")
