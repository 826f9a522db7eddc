"""Simulator, evaluator, runner, and the contract every detector keeps."""

import numpy as np
import pandas as pd
import pytest

from pingan.detect import (
    DETECTORS,
    detect_all,
    evaluate,
    get_detector,
    per_series,
    simulate,
    summarise,
)
from pingan.detect._panel import QUARTER_COLUMNS, SERIES_COLUMNS
from pingan.exceptions import PinganError


def test_simulate_is_seeded():
    a = simulate(3, change="step", effect=0.5, seed=11, family="negbin")
    b = simulate(3, change="step", effect=0.5, seed=11, family="negbin")
    pd.testing.assert_frame_equal(a.data, b.data)
    c = simulate(3, change="step", effect=0.5, seed=12, family="negbin")
    assert not a.data["value"].equals(c.data["value"])


def test_simulate_truth_and_step_mean():
    sim = simulate(
        2000, n_quarters=8, level=50, change="step", effect=0.5, change_at=4, seed=1
    )
    truth = sim.truth.iloc[0]
    assert truth["change_quarter"] == pd.Period("2023Q1", "Q")
    assert truth["expected_after"] == pytest.approx(75)
    wide = sim.data.pivot(index="series_id", columns="quarter", values="value")
    assert wide.iloc[:, :4].to_numpy().mean() == pytest.approx(50, rel=0.01)
    assert wide.iloc[:, 4:].to_numpy().mean() == pytest.approx(75, rel=0.01)


def test_simulate_drift_without_change():
    sim = simulate(3000, n_quarters=9, level=40, drift=0.05, seed=4)
    wide = sim.data.pivot(index="series_id", columns="quarter", values="value")
    assert wide.iloc[:, -1].mean() == pytest.approx(40 * 1.05**8, rel=0.02)
    assert sim.truth["change"].eq("none").all()


def test_simulate_outbreak_size_in_sd():
    sim = simulate(1, level=25, change="outbreak", effect=2, change_at=3, seed=0)
    truth = sim.truth.iloc[0]
    assert truth["expected_after"] - truth["expected_before"] == pytest.approx(10)


def test_simulate_missing_and_rates():
    sim = simulate(50, n_quarters=12, missing=0.3, population=20000, seed=2)
    counts = sim.data.groupby("series_id").size()
    assert counts.max() <= 12
    assert counts.mean() < 11
    first = sim.data.iloc[0]
    assert first["value"] == pytest.approx(first["count"] / 20000 * 10000)


def test_simulate_negbin_overdispersion():
    sim = simulate(4000, n_quarters=2, level=20, family="negbin", size=5, seed=3)
    assert sim.data["value"].var() == pytest.approx(20 + 400 / 5, rel=0.08)


def test_simulate_invalid_change_raises():
    with pytest.raises(PinganError, match="change must be one of 'none', 'step'"):
        simulate(change="jump")


def oracle(panel):
    # Flags exactly the quarters from 2024Q3 on.
    out = panel[["series_id", "quarter"]].copy()
    out["is_anomaly"] = out["quarter"] >= pd.Period("2024Q3", "Q")
    return out


def test_evaluate_delay_and_rates_with_oracle():
    out = evaluate(oracle, effects=[0, 1], n_sim=5, change_at=10)
    table = summarise(out)
    # An alarm at 2024Q3 (index 10) is delay 0 from change_at=10.
    assert table["alarm_rate"].tolist() == [1.0, 1.0]
    assert table["mean_delay"].tolist() == [0.0, 0.0]
    assert table["measure"].tolist() == ["false alarm rate", "power"]


def test_evaluate_user_series_function_with_p_value():
    def last_jump(series):
        p = 0.01 if series.iloc[-1] > 2 * series.iloc[:-1].mean() else 0.5
        return pd.DataFrame({"p_value": [p]})

    out = evaluate(
        per_series(last_jump),
        effects=[0, 3],
        n_sim=30,
        change="step",
        change_at=15,
        sequential=False,
        level=10,
    )
    table = summarise(out)
    assert table["alarm_rate"].iloc[0] < 0.1
    assert table["alarm_rate"].iloc[1] > 0.9
    assert table["detector"].iloc[0] == "detector"


def test_evaluate_power_rises_with_effect():
    out = evaluate(
        "mann_kendall",
        effects=[0, 0.01, 0.04],
        n_sim=60,
        change="trend",
        change_at=0,
        sequential=False,
        options={"alternative": "increasing"},
    )
    rates = summarise(out)["alarm_rate"].to_numpy()
    assert rates[0] < 0.15
    assert rates[1] < rates[2]
    assert rates[2] > 0.9


def test_evaluate_sequential_series_test_reports_delay():
    out = evaluate(
        "pettitt", effects=[1.0], n_sim=20, change="step", change_at=8, level=20
    )
    detected = out[out["detected"]]
    assert len(detected) > 10
    assert detected["delay"].between(0, 7).all()
    assert detected["delay"].min() >= 1


def test_evaluate_rejects_output_without_decision():
    def no_decision(panel):
        return panel[["series_id"]].drop_duplicates().assign(score=1.0)

    with pytest.raises(PinganError, match="is_anomaly or a p_value"):
        evaluate(no_decision, effects=[0], n_sim=3, sequential=False)


def degenerate_panel():
    q = pd.period_range("2021Q1", periods=16, freq="Q")
    rng = np.random.default_rng(0)
    series = {
        ("A", "SO04"): rng.poisson(12, 16).astype(float),
        ("A", "SO05"): np.full(16, 7.0),
        ("B", "SO04"): np.full(16, np.nan),
        ("B", "SO05"): np.r_[rng.poisson(5, 3).astype(float), np.full(13, np.nan)],
    }
    frames = [
        pd.DataFrame({"area_code": a, "indicator": i, "quarter": q, "value": v})
        for (a, i), v in series.items()
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("name", list(DETECTORS))
def test_detector_contract(name):
    panel = degenerate_panel()
    before = panel.copy()
    out = get_detector(name)(panel, by=["area_code", "indicator"])
    pd.testing.assert_frame_equal(panel, before)
    per_quarter = "quarter" in out.columns
    expected = QUARTER_COLUMNS if per_quarter else SERIES_COLUMNS
    assert set(expected) <= set(out.columns)
    assert out["is_anomaly"].dtype == bool
    keys = out[["area_code", "indicator"]].drop_duplicates()
    assert len(keys) == 4
    if not per_quarter:
        nan_rows = out["statistic"].isna()
        assert out.loc[nan_rows, "reason"].notna().all()
        assert not out.loc[nan_rows, "is_anomaly"].any()
    else:
        flagged_nan = out["is_anomaly"] & out["statistic"].isna()
        assert not flagged_nan.any() or name.startswith("segment")


def test_detect_all_tables_and_changes():
    panel = degenerate_panel()
    out = detect_all(
        panel,
        ["mann_kendall", "ears_c1", "pettitt"],
        by=["area_code", "indicator"],
        options={"ears_c1": {"baseline": 4}},
    )
    assert set(out.series["detector"]) == {"mann_kendall", "pettitt"}
    assert len(out.quarters) == 16 * 4
    assert {"qoq_change_pct", "yoy_change_pct", "yoy_reason"} <= set(out.changes)
    first = out.changes.iloc[4]
    value = panel.iloc[4]["value"]
    assert first["yoy_change"] == pytest.approx(value - panel.iloc[0]["value"])


def test_detect_all_unknown_method_raises():
    with pytest.raises(PinganError, match="methods must be one of 'mann_kendall'"):
        detect_all(degenerate_panel(), ["holt_winters"])


def test_sequential_segmentation_has_no_hindsight():
    # With min_size=2 a new segment can start only one quarter before the
    # end of the data seen so far, so a monitor flags a step a quarter late.
    kwargs = {"effects": [3.0], "n_sim": 20, "change": "step", "level": 20}
    online = evaluate("segment_pelt", **kwargs)
    hindsight = evaluate("segment_pelt", sequential=False, **kwargs)
    assert online.loc[online["detected"], "delay"].min() >= 1
    assert hindsight.loc[hindsight["detected"], "delay"].min() == 0


def test_causal_detector_same_either_way():
    kwargs = {"effects": [0.0, 1.0], "n_sim": 20, "change": "step"}
    a = evaluate("ewma", **kwargs)
    b = evaluate("ewma", sequential=False, **kwargs)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("name", list(DETECTORS))
def test_panel_result_equals_single_series(name):
    sim = simulate(4, n_quarters=16, level=12, change="step", effect=0.8, seed=9)
    together = get_detector(name)(sim.data, by=["series_id"])
    alone = get_detector(name)(sim.series(2))
    part = together[together["series_id"] == 2].drop(columns="series_id")
    part = part.reset_index(drop=True)
    numeric = part.select_dtypes("number").columns
    pd.testing.assert_frame_equal(part[numeric], alone[numeric], check_dtype=False)
    assert part["is_anomaly"].tolist() == alone["is_anomaly"].tolist()


def test_series_rows_sorted_by_keys():
    # Rows follow the sorted keys, as pandas groupby does, whatever the input
    # order, so results line up with a groupby over the same panel.
    panel = degenerate_panel().iloc[::-1].reset_index(drop=True)
    out = get_detector("mann_kendall")(panel, by=["area_code", "indicator"])
    keys = list(zip(out["area_code"], out["indicator"], strict=True))
    assert keys == sorted(keys)
    flags = get_detector("ears_c1")(panel, by=["area_code", "indicator"])
    assert flags["area_code"].is_monotonic_increasing
