"""EWMA and Shewhart charts against the textbook formulas."""

import numpy as np
import pandas as pd
import pytest

from pingan.detect import ewma_chart, shewhart_chart
from pingan.exceptions import PinganError


def quarterly(values, start="2020Q1"):
    q = pd.period_range(start, periods=len(values), freq="Q")
    return pd.Series(np.asarray(values, dtype=float), index=q)


def test_ewma_hand_recursion():
    # EWMA chart: E_t = l y_t + (1 - l) E_{t-1}, E_0 = mu_0, standard
    # error sigma sqrt(l/(2-l) (1 - (1-l)^(2t))).
    y = np.array([10.0, 12, 9, 11, 10, 12, 9, 11, 13, 16, 17])
    mu, sigma, lam = y[:8].mean(), np.mean(np.abs(np.diff(y[:8]))) / 1.128, 0.2
    e, expected = mu, []
    for t, v in enumerate(y, start=1):
        e = lam * v + (1 - lam) * e
        se = sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        expected.append((e - mu) / se)
    out = ewma_chart(quarterly(y))
    np.testing.assert_allclose(out["statistic"], expected)
    assert out["is_anomaly"].tolist() == [z > 3 for z in expected]
    assert out["in_control_end"].iloc[0] == pd.Period("2021Q4", "Q")


def test_ewma_lower_side_flags_drop():
    y = quarterly([10.0, 12, 9, 11, 10, 12, 9, 11, 3, 2, 2])
    assert ewma_chart(y, side="lower")["is_anomaly"].iloc[-1]
    assert not ewma_chart(y, side="upper")["is_anomaly"].iloc[-1]


def test_shewhart_u_chart_limits():
    q = pd.period_range("2023Q1", periods=6, freq="Q")
    data = pd.DataFrame(
        {
            "quarter": q,
            "value": [2.0, 3, 2, 3, 2, 9],
            "exposure": [10.0, 10, 20, 20, 5, 5],
        }
    )
    out = shewhart_chart(data, exposure="exposure", baseline=4)
    center = (20 + 30 + 40 + 60) / 60
    assert out["center"].iloc[0] == pytest.approx(center)
    np.testing.assert_allclose(out["sigma"], np.sqrt(center / data["exposure"]))
    assert out["method"].iloc[0] == "shewhart_u"
    assert out["is_anomaly"].tolist() == [False] * 5 + [True]


def test_shewhart_individuals_moving_range():
    y = np.array([5.0, 7, 6, 8, 5, 7, 6, 8, 15])
    out = shewhart_chart(quarterly(y))
    sigma = np.mean(np.abs(np.diff(y[:8]))) / 1.128
    assert out["sigma"].iloc[0] == pytest.approx(sigma)
    assert out["statistic"].iloc[-1] == pytest.approx((15 - y[:8].mean()) / sigma)
    assert out["method"].iloc[0] == "shewhart_individuals"


def test_control_constant_baseline_reason():
    out = ewma_chart(quarterly([4.0] * 8 + [9.0]))
    assert (out["reason"] == "no variation in the baseline").all()
    assert not out["is_anomaly"].any()


def test_control_invalid_side_raises():
    with pytest.raises(PinganError, match="side must be one of 'upper', 'lower'"):
        ewma_chart(quarterly([1.0, 2, 3]), side="up")
