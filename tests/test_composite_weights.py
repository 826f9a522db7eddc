import numpy as np
import pandas as pd
import pytest

from pingan.composite import (
    combine_weights,
    effective_weights,
    equal_weights,
    hierarchy_weights,
    objective_weights,
    optimise_weights,
    points_weights,
)
from pingan.exceptions import ConstantIndicatorWarning, PinganError

# Elsayed, Dawood & Karthikeyan (2017), "Evaluating alternatives through the
# application of TOPSIS method with entropy weight", Int. J. Eng. Trends
# Technol. 46(2):60-66: 12 alternatives x 5 criteria and the published weights.
ELSAYED = pd.DataFrame(
    [
        [7, 312, 1891, 6613, 163],
        [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471],
        [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897],
        [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212],
        [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103],
        [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453],
        [1, 72, 530, 4333, 0.1048],
    ],
    columns=["c1", "c2", "c3", "c4", "c5"],
    dtype="float64",
)

# Tuş & Adalı (2019), Opsearch 56(2):528-538, CRITIC example (5 software
# alternatives x 6 criteria), weights as reproduced in the pymcdm test suite.
TUS_ADALI = pd.DataFrame(
    [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ],
    columns=[f"c{i}" for i in range(1, 7)],
    dtype="float64",
)


def test_entropy_elsayed_2017():
    w = objective_weights(ELSAYED, "entropy", preprocess="proportion")
    expected = [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]
    assert w.round(6).tolist() == expected


def test_entropy_preprocess_is_required():
    with pytest.raises(PinganError, match="preprocess must be one of"):
        objective_weights(ELSAYED, "entropy")


def test_entropy_zero_times_log_zero_is_zero():
    # With min-max preprocessing every column has a zero; 0 ln 0 = 0.
    data = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [0.0, 0.0, 1.0]})
    w = objective_weights(data, "entropy", preprocess="minmax")
    # a: p = (0, 1/3, 2/3); b: p = (0, 0, 1) -> e_b = 0, d_b = 1
    p = np.array([1 / 3, 2 / 3])
    e_a = -(p * np.log(p)).sum() / np.log(3)
    d = np.array([1 - e_a, 1.0])
    assert w.tolist() == pytest.approx((d / d.sum()).tolist())


def test_entropy_minmax_respects_direction():
    data = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [0.0, 0.0, 1.0]})
    up = objective_weights(data, "entropy", preprocess="minmax")
    down = objective_weights(
        data, "entropy", direction={"a": 1, "b": -1}, preprocess="minmax"
    )
    assert not np.allclose(up, down)


def test_entropy_proportion_rejects_negative():
    with pytest.raises(PinganError, match="non-negative"):
        objective_weights(
            pd.DataFrame({"a": [-1.0, 2.0], "b": [1.0, 2.0]}),
            "entropy",
            preprocess="proportion",
        )


def test_critic_tus_adali_2019():
    w = objective_weights(TUS_ADALI, "critic")
    assert w.round(3).tolist() == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def test_pca_weights_hand_calculation():
    rng = np.random.default_rng(1)
    base = rng.normal(size=50)
    data = pd.DataFrame(
        {
            "a": base + rng.normal(scale=0.1, size=50),
            "b": base,
            "c": rng.normal(size=50),
        }
    )
    w = objective_weights(data, "pca")
    corr = np.corrcoef(data.to_numpy(), rowvar=False)
    vec = np.linalg.eigh(corr)[1][:, -1]
    assert w.tolist() == pytest.approx((vec**2).tolist())
    assert w.sum() == pytest.approx(1.0)


def test_constant_indicator_gets_zero_weight():
    data = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    for method in ("critic", "pca"):
        with pytest.warns(ConstantIndicatorWarning, match="'b'"):
            w = objective_weights(data, method)
        assert w["b"] == 0.0
        assert w["a"] == pytest.approx(1.0)


def test_equal_and_points():
    assert equal_weights(["a", "b"]).tolist() == [0.5, 0.5]
    assert points_weights(pd.Series({"a": 1.0, "b": 3.0})).tolist() == [0.25, 0.75]


def test_points_reject_negative():
    with pytest.raises(PinganError, match="non-negative"):
        points_weights({"a": -1.0, "b": 2.0})


def test_equal_rejects_empty():
    with pytest.raises(PinganError, match="must not be empty"):
        equal_weights([])


def test_combine_linear_and_multiplicative():
    a = pd.Series({"x": 0.6, "y": 0.4})
    b = pd.Series({"x": 0.2, "y": 0.8})
    assert combine_weights(a, b, "linear", alpha=0.25).tolist() == pytest.approx(
        [0.3, 0.7]
    )
    # 0.12 / (0.12 + 0.32)
    assert combine_weights(a, b, "multiplicative")["x"] == pytest.approx(0.12 / 0.44)


def test_combine_game_theory_hand_calculation():
    a = pd.Series({"x": 0.5, "y": 0.3, "z": 0.2})
    b = pd.Series({"x": 0.2, "y": 0.3, "z": 0.5})
    gram = np.array([[a @ a, a @ b], [b @ a, b @ b]])
    coef = np.linalg.solve(gram, [a @ a, b @ b])
    coef = np.abs(coef) / np.abs(coef).sum()
    expected = coef[0] * a + coef[1] * b
    assert combine_weights(a, b, "game_theory").tolist() == pytest.approx(
        (expected / expected.sum()).tolist()
    )


def test_combine_rejects_mismatched_indicators():
    with pytest.raises(PinganError, match="different indicators"):
        combine_weights(pd.Series({"x": 1.0}), pd.Series({"y": 1.0}))


def test_combine_alpha_range():
    a = pd.Series({"x": 1.0})
    with pytest.raises(PinganError, match="alpha must be in"):
        combine_weights(a, a, alpha=1.5)


def test_optimise_weights_balances_correlations():
    rng = np.random.default_rng(3)
    base = rng.normal(size=60)
    data = pd.DataFrame(
        {
            "a": base + rng.normal(scale=0.2, size=60),
            "b": base + rng.normal(scale=0.2, size=60),
            "c": base + rng.normal(scale=1.5, size=60),
        }
    )
    w = optimise_weights(data)
    scaled = (data - data.min()) / (data.max() - data.min())
    index = scaled @ w
    r = scaled.corrwith(index)
    r_equal = scaled.corrwith(scaled.mean(axis=1))
    # The noisy indicator c needs more weight to be as correlated as a and b.
    assert w["c"] > w["a"]
    assert r.std() < r_equal.std()


def test_optimise_weights_towards_target():
    rng = np.random.default_rng(4)
    data = pd.DataFrame(rng.normal(size=(80, 3)), columns=["a", "b", "c"])
    w = optimise_weights(data, target={"a": 0.9, "b": 0.3, "c": 0.3})
    assert w["a"] > w["b"]
    assert w["a"] > w["c"]


@pytest.fixture
def catalogue():
    return pd.DataFrame(
        {
            "indicator": ["i1", "i2", "i3", "i4"],
            "dimension": ["d1", "d1", "d2", "d3"],
            "domain": ["X", "X", "X", "Y"],
            "points": [10.0, 30.0, 20.0, 40.0],
            "direction": [1, -1, 1, 1],
        }
    )


def test_hierarchy_points(catalogue):
    table = hierarchy_weights(catalogue).set_index(["level", "code"])
    assert table.loc[("indicator", "i1"), "weight"] == pytest.approx(0.25)
    assert table.loc[("dimension", "d1"), "weight"] == pytest.approx(40 / 60)
    assert table.loc[("domain", "Y"), "weight"] == pytest.approx(0.4)
    eff = table.loc["indicator", "effective_weight"]
    assert eff.tolist() == pytest.approx([0.1, 0.3, 0.2, 0.4])


def test_hierarchy_equal(catalogue):
    table = hierarchy_weights(catalogue, "equal").set_index(["level", "code"])
    # i1: 1/2 within d1, d1: 1/2 within X, X: 1/2 of the index
    assert table.loc[("indicator", "i1"), "effective_weight"] == pytest.approx(0.125)
    assert table.loc[("indicator", "i4"), "effective_weight"] == pytest.approx(0.5)


def test_hierarchy_from_flat_weights(catalogue):
    flat = pd.Series({"i1": 0.1, "i2": 0.1, "i3": 0.3, "i4": 0.5})
    table = hierarchy_weights(catalogue, flat)
    eff = table[table["level"] == "indicator"].set_index("code")["effective_weight"]
    assert eff.tolist() == pytest.approx(flat.tolist())


def test_hierarchy_local_weights_for_a_level(catalogue):
    table = hierarchy_weights(catalogue, {"domain": pd.Series({"X": 1.0, "Y": 3.0})})
    table = table.set_index(["level", "code"])
    assert table.loc[("domain", "Y"), "weight"] == pytest.approx(0.75)
    # i4 is alone in d3 and Y: effective = 0.75
    assert table.loc[("indicator", "i4"), "effective_weight"] == pytest.approx(0.75)


def test_hierarchy_rejects_bad_catalogue(catalogue):
    bad = catalogue.assign(direction=[1, 0, 1, 2])
    with pytest.raises(
        PinganError, match=r"direction not in \{-1, 1\} for \['i2', 'i4'\]"
    ):
        hierarchy_weights(bad)


def test_hierarchy_rejects_dimension_in_two_domains(catalogue):
    bad = catalogue.assign(domain=["X", "Y", "X", "Y"])
    with pytest.raises(PinganError, match="dimensions in several domains"):
        hierarchy_weights(bad)


def test_effective_weights_product():
    table = pd.DataFrame(
        {
            "level": ["indicator", "indicator", "dimension", "domain", "domain"],
            "code": ["a", "b", "D", "X", "Y"],
            "parent": ["D", "D", "X", "index", "index"],
            "weight": [0.2, 0.8, 1.0, 0.5, 0.5],
        }
    )
    eff = effective_weights(table)["effective_weight"].tolist()
    assert eff == pytest.approx([0.1, 0.4, 0.5, 0.5, 0.5])


def test_hierarchy_zero_weight_dimension_stays_defined(catalogue):
    flat = pd.Series({"i1": 0.3, "i2": 0.3, "i3": 0.0, "i4": 0.4})
    table = hierarchy_weights(catalogue, flat).set_index(["level", "code"])
    # i3 is alone in d2 and weighs 0: d2 weighs 0, i3 keeps local weight 1.
    assert table.loc[("indicator", "i3"), "weight"] == 1.0
    assert table.loc[("dimension", "d2"), "weight"] == 0.0
    assert table.loc[("indicator", "i3"), "effective_weight"] == 0.0


def test_objective_unknown_method():
    with pytest.raises(PinganError, match="method must be one of 'entropy'"):
        objective_weights(ELSAYED, "variance")


def test_catalogue_missing_columns(catalogue):
    with pytest.raises(PinganError, match="missing the column"):
        hierarchy_weights(catalogue.drop(columns="points"))


def test_hierarchy_flat_weights_must_cover_indicators(catalogue):
    with pytest.raises(PinganError, match=r"no value for \['i4'\]"):
        hierarchy_weights(catalogue, pd.Series({"i1": 1.0, "i2": 1.0, "i3": 1.0}))


def test_hierarchy_local_weights_unknown_level(catalogue):
    with pytest.raises(PinganError, match="level must be one of"):
        hierarchy_weights(catalogue, {"pillar": pd.Series({"X": 1.0})})
