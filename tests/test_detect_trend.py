"""Mann-Kendall, seasonal Kendall and Sen's slope against formulas and peers."""

import numpy as np
import pandas as pd
import pymannkendall as pmk
import pytest
from scipy import stats

from pingan.detect import mann_kendall, seasonal_mann_kendall, sens_slope
from pingan.exceptions import PinganError


def quarterly(values, start="2015Q1"):
    q = pd.period_range(start, periods=len(values), freq="Q")
    return pd.Series(np.asarray(values, dtype=float), index=q)


def panel_of(rows, start="2015Q1"):
    frames = []
    for i, row in enumerate(rows):
        s = quarterly(row, start)
        frames.append(pd.DataFrame({"sid": i, "quarter": s.index, "value": s.values}))
    return pd.concat(frames, ignore_index=True)


def test_mann_kendall_hand_values():
    # S = 4 for 1, 3, 2, 4 (five rising pairs, one falling);
    # var = n(n-1)(2n+5)/18 = 4*3*13/18 (Kendall 1975).
    out = mann_kendall(quarterly([1, 3, 2, 4])).iloc[0]
    assert out["s"] == 4
    assert out["var_s"] == pytest.approx(4 * 3 * 13 / 18)
    assert out["z"] == pytest.approx(3 / np.sqrt(4 * 3 * 13 / 18))
    assert out["p_value"] == pytest.approx(2 * stats.norm.sf(out["z"]))


def test_mann_kendall_tie_correction():
    # 1, 1, 2, 2, 3: two tie groups of size 2, each t(t-1)(2t+5) = 18.
    out = mann_kendall(quarterly([1, 1, 2, 2, 3])).iloc[0]
    assert out["s"] == 8
    assert out["var_s"] == pytest.approx((5 * 4 * 15 - 2 * 18) / 18)


def test_mann_kendall_matches_scipy_tau_b():
    rng = np.random.default_rng(5)
    for _ in range(20):
        y = rng.poisson(4, size=14).astype(float)
        out = mann_kendall(quarterly(y)).iloc[0]
        expected = stats.kendalltau(np.arange(14), y)
        assert out["tau"] == pytest.approx(expected.statistic, abs=1e-12)


def test_mann_kendall_matches_pymannkendall_original():
    rng = np.random.default_rng(6)
    rows = rng.normal(size=(30, 24)).cumsum(axis=1)
    out = mann_kendall(panel_of(rows), by=["sid"])
    for i, y in enumerate(rows):
        ref = pmk.original_test(y)
        got = out.iloc[i]
        assert got["s"] == ref.s
        assert got["var_s"] == pytest.approx(ref.var_s, rel=1e-12)
        assert got["p_value"] == pytest.approx(ref.p, rel=1e-9, abs=1e-15)
        assert got["slope"] == pytest.approx(ref.slope, rel=1e-12)
        assert got["intercept"] == pytest.approx(ref.intercept, rel=1e-12)


def hamed_rao_variance(y):
    """Hamed and Rao (1998) corrected var(S), one series, written as a loop."""
    n = len(y)
    slopes = [(y[j] - y[i]) / (j - i) for i in range(n) for j in range(i + 1, n)]
    detrended = y - np.median(slopes) * np.arange(n)
    ranks = stats.rankdata(np.round(detrended / np.abs(detrended).max(), 12))
    d = ranks - ranks.mean()
    bound = stats.norm.ppf(0.975) / np.sqrt(n)
    total = 0.0
    for k in range(1, n - 2):
        r = np.sum(d[:-k] * d[k:]) / np.sum(d**2)
        if abs(r) > bound:
            total += (n - k) * (n - k - 1) * (n - k - 2) * r
    return n * (n - 1) * (2 * n + 5) / 18 * (1 + 2 * total / (n * (n - 1) * (n - 2)))


def ar1_series(rng, n, rho, drift=0.0):
    e = np.zeros(n)
    for t in range(1, n):
        e[t] = rho * e[t - 1] + rng.normal()
    return e + drift * np.arange(n)


def test_hamed_rao_matches_formula_and_pymannkendall():
    rng = np.random.default_rng(7)
    for _ in range(15):
        y = ar1_series(rng, 30, 0.7, 0.05)
        got = mann_kendall(quarterly(y), variant="hamed_rao").iloc[0]
        assert got["var_s"] == pytest.approx(hamed_rao_variance(y), rel=1e-12)
        # pymannkendall 1.4.3 may break the tie of the Sen pair (see Notes).
        ref = pmk.hamed_rao_modification_test(y)
        assert got["var_s"] == pytest.approx(ref.var_s, rel=0.01)


def test_yue_wang_uses_ar1_effective_size():
    y = np.array([3.0, 5, 4, 6, 8, 7, 9, 12, 10, 13, 15, 14])
    got = mann_kendall(quarterly(y), variant="yue_wang").iloc[0]
    base = mann_kendall(quarterly(y)).iloc[0]
    n = 12
    r1 = got["lag1_autocorrelation"]
    factor = 1 + 2 * sum((1 - k / n) * r1**k for k in range(1, n))
    assert got["variance_factor"] == pytest.approx(factor)
    assert got["var_s"] == pytest.approx(base["var_s"] * factor)


def test_tfpw_matches_pymannkendall_when_whitened():
    rng = np.random.default_rng(8)
    checked = 0
    for _ in range(40):
        e = np.zeros(32)
        for t in range(1, 32):
            e[t] = 0.8 * e[t - 1] + rng.normal()
        got = mann_kendall(quarterly(e), variant="tfpw").iloc[0]
        if not got["whitened"]:
            continue
        ref = pmk.trend_free_pre_whitening_modification_test(e)
        assert got["s"] == ref.s
        assert got["var_s"] == pytest.approx(ref.var_s)
        checked += 1
    assert checked > 10


def test_tfpw_skips_whitening_when_not_significant():
    y = ar1_series(np.random.default_rng(3), 24, 0.0, 0.1)
    got = mann_kendall(quarterly(y), variant="tfpw").iloc[0]
    base = mann_kendall(quarterly(y)).iloc[0]
    assert not got["whitened"]
    assert got["s"] == base["s"]


def test_sens_slope_counts_gap_as_time():
    # Without 2024Q3 the slope from 2024Q2 to 2024Q4 spans two quarters.
    q = pd.PeriodIndex(["2024Q1", "2024Q2", "2024Q4", "2025Q1"], freq="Q")
    out = sens_slope(pd.Series([1.0, 2, 4, 5], index=q)).iloc[0]
    assert out["slope"] == 1.0
    assert out["intercept"] == 1.0
    ref = pmk.sens_slope(np.array([1.0, 2, np.nan, 4, 5]))
    assert out["slope"] == pytest.approx(ref.slope)


def test_sens_slope_interval_hand_ranks():
    # Sen interval as in Gilbert (1987): N = 10 slopes, C = 1.96 sqrt(var_s), lower rank
    # (N - C)/2, upper rank (N + C)/2 + 1, interpolated.
    y = np.array([2.0, 5, 3, 8, 7])
    slopes = sorted((y[j] - y[i]) / (j - i) for i in range(5) for j in range(i + 1, 5))
    c = stats.norm.ppf(0.975) * np.sqrt(5 * 4 * 15 / 18)
    low_rank, high_rank = (10 - c) / 2, (10 + c) / 2 + 1

    def at(rank):
        rank = min(max(rank, 1), 10)
        lo = int(np.floor(rank))
        hi = min(lo + 1, 10)
        return slopes[lo - 1] + (rank - lo) * (slopes[hi - 1] - slopes[lo - 1])

    out = sens_slope(quarterly(y)).iloc[0]
    assert out["slope"] == pytest.approx(np.median(slopes))
    assert out["slope_low"] == pytest.approx(at(low_rank))
    assert out["slope_high"] == pytest.approx(at(high_rank))


def test_mann_kendall_gap_keeps_s():
    y = np.array([4.0, 6, np.nan, 5, 8, 9, 7, 11])
    s = quarterly(y)
    got = mann_kendall(s).iloc[0]
    ref = pmk.original_test(y[~np.isnan(y)])
    assert got["n"] == 7
    assert got["s"] == ref.s


def test_seasonal_matches_pymannkendall():
    rng = np.random.default_rng(9)
    for _ in range(10):
        y = rng.poisson(10, size=20).astype(float) + np.tile([0, 5, 2, -3], 5)
        got = seasonal_mann_kendall(quarterly(y)).iloc[0]
        ref = pmk.seasonal_test(y, period=4)
        assert got["s"] == ref.s
        assert got["var_s"] == pytest.approx(ref.var_s)
        assert got["p_value"] == pytest.approx(ref.p, abs=1e-12)
        assert got["slope"] * 4 == pytest.approx(ref.slope)


def test_seasonal_missing_quarter_keeps_other_years():
    y = np.array([5.0, 9, 7, 3, 6, 10, 8, 4, 7, 12, 9, 5])
    q = pd.period_range("2021Q1", periods=12, freq="Q")
    series = pd.Series(y, index=q).drop(q[5])
    got = seasonal_mann_kendall(series).iloc[0]
    # Q2 keeps 2021 and 2023 (one pair, S = 1); Q1, Q3, Q4 have S = 3 each.
    assert got["s"] == 10
    assert got["var_s"] == pytest.approx(3 * (3 * 2 * 11 / 18) + 2 * 1 * 9 / 18)
    assert got["seasons"] == 4


def test_panel_equals_one_series_at_a_time():
    rng = np.random.default_rng(10)
    rows = rng.poisson(8, size=(12, 16)).astype(float)
    rows[3, 5] = np.nan
    together = mann_kendall(panel_of(rows), by=["sid"], variant="hamed_rao")
    for i, row in enumerate(rows):
        alone = mann_kendall(quarterly(row).dropna(), variant="hamed_rao").iloc[0]
        for column in ("s", "var_s", "p_value", "slope", "intercept"):
            assert together.iloc[i][column] == pytest.approx(alone[column], nan_ok=True)


def test_degenerate_series_give_reasons():
    data = panel_of([[3.0] * 8, [np.nan] * 8, [1.0, 2] + [np.nan] * 6, range(8)])
    out = mann_kendall(data, by=["sid"])
    assert out["reason"].tolist()[:3] == [
        "constant series",
        "all values missing",
        "too short (fewer than 4 values)",
    ]
    assert pd.isna(out["reason"].iloc[3])
    assert out["p_value"].iloc[:3].isna().all()
    assert not out["is_anomaly"].iloc[:3].any()
    assert out["is_anomaly"].iloc[3]


def test_one_sided_alternative():
    y = quarterly([1.0, 2, 3, 4, 5, 6, 7, 8])
    up = mann_kendall(y, alternative="increasing").iloc[0]
    down = mann_kendall(y, alternative="decreasing").iloc[0]
    assert up["p_value"] == pytest.approx(stats.norm.sf(up["z"]))
    assert down["p_value"] == pytest.approx(1 - up["p_value"])


def test_invalid_variant_raises():
    with pytest.raises(PinganError, match="variant must be one of 'original'"):
        mann_kendall(quarterly([1, 2, 3, 4]), variant="sen")


def test_series_without_period_index_raises():
    with pytest.raises(PinganError, match="indexed by quarterly Periods"):
        mann_kendall(pd.Series([1.0, 2, 3, 4]))


def test_duplicate_quarter_raises():
    data = pd.DataFrame({"quarter": ["2024Q1", "2024Q1"], "value": [1.0, 2.0]})
    with pytest.raises(PinganError, match="at most one row per quarter"):
        mann_kendall(data)


def test_text_quarters_are_parsed():
    data = pd.DataFrame(
        {"quarter": ["2024Q1", "2024Q2", "2024Q3", "2024Q4"], "value": [1.0, 2, 3, 5]}
    )
    assert mann_kendall(data).iloc[0]["s"] == 6


def test_input_not_mutated():
    data = panel_of([[1.0, 3, 2, 5, 4, 6]])
    before = data.copy()
    mann_kendall(data, by=["sid"], variant="tfpw")
    pd.testing.assert_frame_equal(data, before)


def test_seasonal_covariance_matches_pymannkendall():
    # Complete series without ties: Hirsch and Slack (1984) var_s equals
    # pymannkendall 1.4.3 correlated_seasonal_test.
    rng = np.random.default_rng(3)
    for _ in range(5):
        y = rng.normal(size=24).cumsum()
        got = seasonal_mann_kendall(quarterly(y), covariance=True).iloc[0]
        ref = pmk.correlated_seasonal_test(y, period=4)
        assert got["s"] == ref.s
        assert got["var_s"] == pytest.approx(ref.var_s)


def test_seasonal_covariance_with_gap_and_offset_start():
    rng = np.random.default_rng(4)
    series = quarterly(rng.normal(size=22).cumsum(), start="2015Q3")
    series = series.drop(series.index[7])
    plain = seasonal_mann_kendall(series).iloc[0]
    corrected = seasonal_mann_kendall(series, covariance=True).iloc[0]
    assert corrected["s"] == plain["s"]
    assert corrected["var_s"] > 0
    assert corrected["var_s"] != plain["var_s"]


def test_tfpw_gap_drops_quarter_after_gap():
    # Whitening pairs each quarter with the calendar quarter before it, so
    # the first quarter and the quarter after a gap have no partner.
    y = ar1_series(np.random.default_rng(8), 32, 0.9, 0.0)
    series = quarterly(y).drop(pd.Period("2017Q3", "Q"))
    got = mann_kendall(series, variant="tfpw").iloc[0]
    assert got["whitened"]
    assert got["n"] == 31 - 2


def test_mann_kendall_single_quarter_panel():
    # One quarter gives no pairs: the series is reported short, not an IndexError.
    panel = panel_of([[5.0], [7.0]])
    out = mann_kendall(panel, by=["sid"])
    assert len(out) == 2
    assert out["p_value"].isna().all()
    assert out["slope"].isna().all()
