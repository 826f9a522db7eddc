"""Robust STL scores and the median fallback for short series."""

import numpy as np
import pandas as pd
import pytest

from pingan.detect import stl_anomaly
from pingan.exceptions import PinganError


def quarterly(values, start="2019Q1"):
    q = pd.period_range(start, periods=len(values), freq="Q")
    return pd.Series(np.asarray(values, dtype=float), index=q)


def test_stl_flags_planted_spike_only():
    rng = np.random.default_rng(0)
    y = rng.poisson([10.0, 14, 12, 8] * 5).astype(float)
    y[9] += 20
    out = stl_anomaly(quarterly(y))
    assert out["model"].iloc[0] == "stl"
    assert out.index[out["is_anomaly"]].tolist() == [9]


def test_stl_score_is_residual_over_scaled_mad():
    rng = np.random.default_rng(1)
    y = rng.poisson([10.0, 14, 12, 8] * 4).astype(float)
    out = stl_anomaly(quarterly(y))
    resid = out["resid"].to_numpy()
    mad = np.median(np.abs(resid - np.median(resid)))
    np.testing.assert_allclose(out["statistic"], resid / (1.4826 * mad))


def test_stl_short_series_falls_back_to_median():
    y = quarterly([10.0, 14, 12, 8, 11, 30])
    out = stl_anomaly(y)
    assert (out["model"] == "median").all()
    mad = np.median(np.abs(y - y.median()))
    assert out["statistic"].iloc[-1] == pytest.approx(
        (30 - y.median()) / (1.4826 * mad)
    )
    assert out["is_anomaly"].iloc[-1]


def test_stl_gap_is_interpolated_and_scored_nan():
    y = quarterly([10.0, 14, 12, 8, 11, np.nan, 13, 9, 12, 15, 14, 10])
    out = stl_anomaly(y)
    assert np.isnan(out["statistic"].iloc[5])
    assert out["reason"].iloc[5] == "missing value"
    assert out["statistic"].drop(5).notna().all()


def test_stl_degenerate_series():
    too_short = stl_anomaly(quarterly([1.0, 2, 3]))
    assert too_short["reason"].iloc[0] == "too short (fewer than 4 values)"
    constant = stl_anomaly(quarterly([5.0] * 12))
    assert constant["reason"].iloc[0] == "no variation in the residuals (MAD is 0)"


def test_stl_invalid_min_years_raises():
    with pytest.raises(PinganError, match="min_years must be one of 'an integer >= 2'"):
        stl_anomaly(quarterly([1.0] * 8), min_years=1)
