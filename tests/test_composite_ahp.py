import numpy as np
import pandas as pd
import pytest

from pingan.composite import RANDOM_INDEX, ahp_hierarchy, ahp_weights
from pingan.exceptions import PinganError

# Saaty, T.L. (2008), "Decision making with the analytic hierarchy process",
# Int. J. Services Sciences 1(1):83-98: relative consumption of drinks in the
# United States. Published eigenvector weights and CR 0.022.
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS_MATRIX = pd.DataFrame(
    [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ],
    index=DRINKS,
    columns=DRINKS,
)


def test_saaty_drinks_eigenvector():
    result = ahp_weights(DRINKS_MATRIX, "eigenvector", random_index="saaty2005")
    expected = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    assert result.weights.round(3).tolist() == expected
    assert result.ri == 1.35
    assert round(result.cr, 3) == 0.022


def test_saaty_drinks_cr_depends_on_table():
    cr = {
        name: ahp_weights(DRINKS_MATRIX, random_index=name).cr for name in RANDOM_INDEX
    }
    # Same CI, different random index for n = 7: 1.32, 1.35, 1.3322.
    assert cr["saaty1980"] == pytest.approx(cr["saaty2005"] * 1.35 / 1.32)
    assert cr["tummala_ling"] == pytest.approx(cr["saaty2005"] * 1.35 / 1.3322)


def test_eigenvalue_matches_numpy():
    result = ahp_weights(DRINKS_MATRIX)
    assert result.lambda_max == pytest.approx(
        np.linalg.eigvals(DRINKS_MATRIX).real.max()
    )
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)


def test_geometric_mean_hand_calculation():
    m = pd.DataFrame(
        [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]],
        index=list("abc"),
        columns=list("abc"),
    )
    result = ahp_weights(m, "geometric_mean")
    # Consistent matrix: weights 4:2:1, CR = 0 for every method.
    assert result.weights.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_arithmetic_mean_hand_calculation():
    m = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["a", "b"], columns=["a", "b"])
    result = ahp_weights(m, "arithmetic_mean")
    # Columns normalised: (0.75, 0.25) and (0.75, 0.25)
    assert result.weights.tolist() == pytest.approx([0.75, 0.25])


def test_methods_agree_roughly_on_drinks():
    eig = ahp_weights(DRINKS_MATRIX, "eigenvector").weights
    geo = ahp_weights(DRINKS_MATRIX, "geometric_mean").weights
    ari = ahp_weights(DRINKS_MATRIX, "arithmetic_mean").weights
    assert np.abs(eig - geo).max() < 0.01
    assert np.abs(eig - ari).max() < 0.02


def test_inconsistent_matrix_rejected():
    m = pd.DataFrame(
        [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
        index=list("abc"),
        columns=list("abc"),
    )
    with pytest.raises(PinganError, match="consistency ratio .* >= 0.1"):
        ahp_weights(m)
    result = ahp_weights(m, allow_inconsistent=True)
    assert result.cr > 0.1


def test_not_reciprocal():
    m = pd.DataFrame([[1, 3], [3, 1]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(PinganError, match="not reciprocal"):
        ahp_weights(m)


def test_labels_must_match():
    m = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["a", "b"], columns=["a", "c"])
    with pytest.raises(PinganError, match="same labels"):
        ahp_weights(m)


def test_matrix_too_large_for_table():
    n = 11
    m = pd.DataFrame(np.ones((n, n)), index=range(n), columns=range(n))
    with pytest.raises(PinganError, match="stops at n = 10"):
        ahp_weights(m, random_index="tummala_ling")


def test_unknown_random_index():
    with pytest.raises(PinganError, match="random_index must be one of"):
        ahp_weights(DRINKS_MATRIX, random_index="donegan")


def test_hierarchy_global_weights_and_total_cr():
    top = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["A", "B"], columns=["A", "B"])
    sub_a = DRINKS_MATRIX.iloc[:3, :3]
    sub_b = pd.DataFrame([[1, 1], [1, 1]], index=["b1", "b2"], columns=["b1", "b2"])
    nodes, cons = ahp_hierarchy(
        {"index": top, "A": sub_a, "B": sub_b}, allow_inconsistent=True
    )
    leaves = nodes[nodes["depth"] == 2].set_index("code")["global_weight"]
    assert leaves.sum() == pytest.approx(1.0)
    wa = ahp_weights(sub_a, allow_inconsistent=True)
    assert leaves["coffee"] == pytest.approx(0.75 * wa.weights["coffee"])
    assert leaves["b1"] == pytest.approx(0.125)
    # total CR = CR_top + (0.75 CI_A + 0.25 CI_B) / (0.75 RI_A + 0.25 RI_B)
    expected = 0.0 + (0.75 * wa.ci + 0.25 * 0.0) / (0.75 * 0.58 + 0.25 * 0.0)
    assert cons.iloc[-1]["cr"] == pytest.approx(expected)


def test_hierarchy_rejects_inconsistent_total():
    top = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["A", "B"], columns=["A", "B"])
    bad = pd.DataFrame(
        [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
        index=list("abc"),
        columns=list("abc"),
    )
    with pytest.raises(PinganError, match="consistency ratio"):
        ahp_hierarchy({"index": top, "A": bad})


def test_hierarchy_needs_root():
    with pytest.raises(PinganError, match="no matrix for the root"):
        ahp_hierarchy({"A": DRINKS_MATRIX})


def test_hierarchy_rejects_orphan_matrix():
    top = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(PinganError, match="not under 'index'"):
        ahp_hierarchy({"index": top, "Z": top})
