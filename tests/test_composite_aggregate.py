import numpy as np
import pandas as pd
import pytest

from pingan.composite import AGGREGATE_METHODS, aggregate
from pingan.exceptions import PinganError

PARAMS = {"generalised": {"p": 2.0}, "topsis": {"normalisation": "vector"}}


@pytest.fixture
def data():
    return pd.DataFrame(
        {
            "a": [2.0, 8.0, 5.0, 1.0],
            "b": [8.0, 2.0, 5.0, 1.0],
            "c": [4.0, 4.0, 5.0, 9.0],
        },
        index=pd.Index(["p", "q", "r", "s"], name="area_code"),
    )


W = {"a": 0.5, "b": 0.25, "c": 0.25}


# Contract: same index, no NaN introduced, bounded by the documented scale.
@pytest.mark.parametrize("method", AGGREGATE_METHODS)
def test_aggregate_contract(data, method):
    score = aggregate(data, W, method, **PARAMS.get(method, {}))
    assert score.index.equals(data.index)
    assert score.name == "score"
    assert score.notna().all()
    if method in ("arithmetic", "geometric", "harmonic", "generalised"):
        assert (score >= data.min(axis=1) - 1e-12).all()
        assert (score <= data.max(axis=1) + 1e-12).all()
    elif method == "topsis":
        assert score.between(0, 1).all()
    elif method == "copeland":
        assert score.abs().max() <= len(data) - 1


@pytest.mark.parametrize("method", AGGREGATE_METHODS)
def test_aggregate_skips_missing(data, method):
    gappy = data.copy()
    gappy.loc["p", "a"] = np.nan
    score = aggregate(gappy, W, method, **PARAMS.get(method, {}))
    assert score.notna().all()


@pytest.mark.parametrize("method", AGGREGATE_METHODS)
def test_aggregate_all_missing_row_is_nan(data, method):
    gappy = data.copy()
    gappy.loc["p"] = np.nan
    score = aggregate(gappy, W, method, **PARAMS.get(method, {}))
    assert np.isnan(score["p"])
    assert score.drop("p").notna().all()


def test_arithmetic_hand_calculation(data):
    score = aggregate(data, W)
    assert score["p"] == pytest.approx(0.5 * 2 + 0.25 * 8 + 0.25 * 4)


def test_arithmetic_renormalises_weights_for_missing(data):
    gappy = data.copy()
    gappy.loc["p", "a"] = np.nan
    # (0.25 * 8 + 0.25 * 4) / 0.5
    assert aggregate(gappy, W)["p"] == pytest.approx(6.0)


def test_geometric_hand_calculation(data):
    score = aggregate(data, W, "geometric")
    assert score["p"] == pytest.approx(2**0.5 * 8**0.25 * 4**0.25)


def test_geometric_zero_rule():
    data = pd.DataFrame({"a": [0.0, 1.0], "b": [5.0, 1.0]})
    assert aggregate(data, method="geometric").tolist() == [0.0, 1.0]
    assert aggregate(data, method="harmonic").tolist() == [0.0, 1.0]


def test_geometric_rejects_negative():
    data = pd.DataFrame({"a": [-1.0, 1.0], "b": [5.0, 1.0]})
    with pytest.raises(PinganError, match="non-negative values"):
        aggregate(data, method="geometric")


def test_harmonic_hand_calculation(data):
    score = aggregate(data, W, "harmonic")
    assert score["p"] == pytest.approx(1 / (0.5 / 2 + 0.25 / 8 + 0.25 / 4))


def test_generalised_mean(data):
    score = aggregate(data, W, "generalised", p=2)
    assert score["p"] == pytest.approx(np.sqrt(0.5 * 4 + 0.25 * 64 + 0.25 * 16))
    assert aggregate(data, W, "generalised", p=1).tolist() == pytest.approx(
        aggregate(data, W).tolist()
    )
    assert aggregate(data, W, "generalised", p=0).tolist() == pytest.approx(
        aggregate(data, W, "geometric").tolist()
    )


def test_generalised_needs_p(data):
    with pytest.raises(PinganError, match="needs the parameter p"):
        aggregate(data, method="generalised")


def test_power_mean_inequality(data):
    h = aggregate(data, W, "harmonic")
    g = aggregate(data, W, "geometric")
    a = aggregate(data, W)
    assert (h <= g + 1e-12).all()
    assert (g <= a + 1e-12).all()


def test_mazziotta_pareto_hand_calculation():
    # De Muro, Mazziotta & Pareto (2011): MPI- = M - S cv, S the population
    # standard deviation over the m indicators, cv = S / M.
    z = pd.DataFrame({"a": [110.0, 100.0], "b": [90.0, 100.0], "c": [106.0, 100.0]})
    m = (110 + 90 + 106) / 3
    s = np.sqrt(((110 - m) ** 2 + (90 - m) ** 2 + (106 - m) ** 2) / 3)
    negative = aggregate(z, method="mazziotta_pareto")
    positive = aggregate(z, method="mazziotta_pareto", penalty="positive")
    assert negative[0] == pytest.approx(m - s * s / m)
    assert positive[0] == pytest.approx(m + s * s / m)
    assert negative[1] == pytest.approx(100.0)


def test_mazziotta_pareto_not_sample_sd():
    z = pd.DataFrame({"a": [120.0], "b": [80.0]})
    # population sd = 20, cv = 0.2 -> 100 - 4; the n - 1 sd would give 100 - 8
    assert aggregate(z, method="mazziotta_pareto")[0] == pytest.approx(96.0)


def test_mazziotta_pareto_needs_positive_mean():
    z = pd.DataFrame({"a": [-1.0], "b": [0.5]})
    with pytest.raises(PinganError, match="positive mean"):
        aggregate(z, method="mazziotta_pareto")


def test_mazziotta_pareto_penalty_option(data):
    with pytest.raises(PinganError, match="penalty must be one of"):
        aggregate(data, method="mazziotta_pareto", penalty="both")


def test_topsis_vector_hand_calculation():
    x = pd.DataFrame({"a": [3.0, 4.0, 0.0], "b": [4.0, 3.0, 5.0]})
    w = {"a": 0.5, "b": 0.5}
    r = x / np.sqrt((x**2).sum())
    v = r * 0.5
    d_plus = np.sqrt(((v - v.max()) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min()) ** 2).sum(axis=1))
    expected = d_minus / (d_plus + d_minus)
    score = aggregate(x, w, "topsis", normalisation="vector")
    assert score.tolist() == pytest.approx(expected.tolist())


def test_topsis_normalisation_changes_result():
    x = pd.DataFrame({"a": [3.0, 4.0, 0.0], "b": [4.0, 3.0, 5.0]})
    vector = aggregate(x, method="topsis", normalisation="vector")
    minmax = aggregate(x, method="topsis", normalisation="minmax")
    assert not np.allclose(vector, minmax)


def test_topsis_requires_normalisation(data):
    with pytest.raises(PinganError, match="normalisation must be one of 'vector'"):
        aggregate(data, method="topsis")


def test_copeland_hand_calculation(data):
    score = aggregate(data, W, "copeland")
    # O_qp = 0.5 + 0.125 > 0.5; O_qr = 0.5 exactly, a tie; O_rp = 0.75;
    # s loses every pair (only c, weight 0.25, goes its way).
    assert score.tolist() == [-1.0, 2.0, 2.0, -3.0]


def test_weights_must_cover_columns(data):
    with pytest.raises(PinganError, match="no value for indicator"):
        aggregate(data, {"a": 1.0})


def test_weights_non_negative(data):
    with pytest.raises(PinganError, match="non-negative"):
        aggregate(data, {"a": 1.0, "b": -1.0, "c": 1.0})


def test_unknown_method(data):
    with pytest.raises(PinganError, match="method must be one of 'arithmetic'"):
        aggregate(data, method="median")


def test_hdi_worked_example():
    # UNDP Human Development Report 2020, Technical notes, worked example:
    # income index = (ln 3,829 - ln 100) / (ln 75,000 - ln 100) = 0.5506 and
    # HDI = (0.6971 * 0.3447 * 0.5506)^(1/3) = 0.510.
    from pingan.composite import normalise

    gni = pd.DataFrame({"log_gni": [np.log(3829.0), np.log(100.0), np.log(75000.0)]})
    income = normalise(gni, "goalposts", low=np.log(100), high=np.log(75000), scale=1.0)
    assert round(income.loc[0, "log_gni"], 4) == 0.5506
    dims = pd.DataFrame({"health": [0.6971], "education": [0.3447], "income": [0.5506]})
    assert round(aggregate(dims, method="geometric")[0], 3) == 0.510
