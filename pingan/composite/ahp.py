"""Analytic Hierarchy Process: weights and consistency of judgement matrices.

A judgement matrix is a square ``pandas.DataFrame`` with the same labels on
rows and columns, a_ij = how much more important i is than j on Saaty's
1-9 scale, and a_ji = 1 / a_ij.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_option
from pingan.exceptions import PinganError

__all__ = ["RANDOM_INDEX", "AhpResult", "ahp_hierarchy", "ahp_weights"]

# Random consistency index by matrix size n (n = 1, 2, ...).
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    # Saaty (1980), The Analytic Hierarchy Process, extended to n = 11 as in
    # Chinese textbooks; the table most often used in practice.
    "saaty1980": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51),
    # Saaty (2005), Theory and Applications of the Analytic Network Process;
    # the table behind the published CR 0.022 of the drinks example.
    "saaty2005": (0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52,
                  1.54, 1.56, 1.58, 1.59),
    # Tummala & Ling (1998), J. Global Optimization.
    "tummala_ling": (0, 0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952,
                     1.4537, 1.4882),
}  # fmt: skip

AhpMethod = Literal["eigenvector", "geometric_mean", "arithmetic_mean"]


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one judgement matrix.

    Attributes
    ----------
    weights : pandas.Series
        ``weight`` per label (float, sums to 1).
    lambda_max : float
        Principal eigenvalue estimate.
    ci : float
        Consistency index (lambda_max - n) / (n - 1).
    ri : float
        Random index of the chosen table for size n.
    cr : float
        Consistency ratio ci / ri (0 when n <= 2).
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float


def ahp_weights(
    matrix: pd.DataFrame,
    method: AhpMethod = "eigenvector",
    random_index: Literal["saaty1980", "saaty2005", "tummala_ling"] = "saaty1980",
    max_cr: float = 0.1,
    allow_inconsistent: bool = False,
) -> AhpResult:
    """Derive weights from a pairwise judgement matrix and check consistency.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Square, positive, reciprocal matrix with identical row and column
        labels.
    method : {"eigenvector", "geometric_mean", "arithmetic_mean"}
        Principal right eigenvector (Saaty); normalised row geometric means
        (方根法); mean of the column-normalised rows (和积法).
    random_index : {"saaty1980", "saaty2005", "tummala_ling"}
        Table of random indices (see ``RANDOM_INDEX``). CR depends on it.
    max_cr : float, default 0.1
        Largest acceptable consistency ratio.
    allow_inconsistent : bool, default False
        Return the result even when CR >= ``max_cr``.

    Returns
    -------
    AhpResult
        ``weights`` (Series ``weight`` by label), ``lambda_max``, ``ci``,
        ``ri`` and ``cr`` (floats).

    Raises
    ------
    PinganError
        If the matrix is not square, positive and reciprocal, n exceeds the
        random-index table, or CR >= ``max_cr`` and ``allow_inconsistent``
        is False.

    Notes
    -----
    lambda_max = mean_i((A w)_i / w_i) (for the eigenvector method this is
    the principal eigenvalue), CI = (lambda_max - n) / (n - 1), CR = CI / RI.
    Checked against Saaty's drinks-consumption example (Saaty 2008, Int. J.
    Services Sciences 1(1):83-98): weights 0.177, 0.019, 0.042, 0.116,
    0.190, 0.129, 0.327 and CR 0.022 with the Saaty (2005) table.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
    ...                  index=list("abc"), columns=list("abc"))
    >>> result = ahp_weights(m)
    >>> result.weights.round(3).tolist()
    [0.637, 0.258, 0.105]
    >>> round(result.cr, 3)
    0.033
    """
    func = "ahp_weights"
    check_option(
        "method", method, ["eigenvector", "geometric_mean", "arithmetic_mean"], func
    )
    check_option("random_index", random_index, list(RANDOM_INDEX), func)
    a = _check_matrix(matrix, func)
    n = a.shape[0]
    table = RANDOM_INDEX[random_index]
    if n > len(table):
        raise PinganError(
            f"{func}: the {random_index!r} random-index table stops at n = "
            f"{len(table)}; the matrix has n = {n}."
        )
    w = _priority(a, method)
    lambda_max = float(np.mean((a @ w) / w))
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = float(table[n - 1])
    cr = ci / ri if ri > 0 else 0.0
    if cr >= max_cr and not allow_inconsistent:
        raise PinganError(
            f"{func}: consistency ratio {cr:.3f} >= {max_cr} (random index "
            f"{random_index!r}); revise the judgements or pass "
            "allow_inconsistent=True."
        )
    weights = pd.Series(w, index=matrix.index, name="weight")
    return AhpResult(weights, lambda_max, ci, ri, cr)


def _check_matrix(matrix: pd.DataFrame, func: str) -> np.ndarray:
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(
            f"{func}: matrix must be a pandas DataFrame; got {type(matrix)}."
        )
    if matrix.shape[0] != matrix.shape[1] or list(matrix.index) != list(matrix.columns):
        raise PinganError(
            f"{func}: matrix must be square with the same labels on rows and "
            f"columns; got rows {list(matrix.index)} "
            f"and columns {list(matrix.columns)}."
        )
    a = matrix.to_numpy(dtype="float64")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise PinganError(f"{func}: matrix entries must be positive and finite.")
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-3))
    if len(bad):
        i, j = bad[0]
        raise PinganError(
            f"{func}: matrix is not reciprocal: a[{matrix.index[i]!r}, "
            f"{matrix.columns[j]!r}] = {a[i, j]:.4g} but the transposed entry "
            f"is {a[j, i]:.4g}; set one to 1 / the other."
        )
    return a


def _priority(a: np.ndarray, method: str) -> np.ndarray:
    if method == "eigenvector":
        values, vectors = np.linalg.eig(a)
        w = np.abs(vectors[:, np.argmax(values.real)].real)
    elif method == "geometric_mean":
        w = np.exp(np.log(a).mean(axis=1))
    else:
        w = (a / a.sum(axis=0)).mean(axis=1)
    return w / w.sum()


def ahp_hierarchy(
    matrices: dict[str, pd.DataFrame],
    root: str = "index",
    method: AhpMethod = "eigenvector",
    random_index: Literal["saaty1980", "saaty2005", "tummala_ling"] = "saaty1980",
    max_cr: float = 0.1,
    allow_inconsistent: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Combine judgement matrices of a hierarchy into global weights.

    Parameters
    ----------
    matrices : dict of str to pandas.DataFrame
        Parent code -> judgement matrix over its children. The root's
        matrix compares the top-level nodes; a child without a matrix is a
        leaf.
    root : str, default "index"
        Code of the top node.
    method : {"eigenvector", "geometric_mean", "arithmetic_mean"}
        As in :func:`ahp_weights`, for every matrix.
    random_index : {"saaty1980", "saaty2005", "tummala_ling"}
        As in :func:`ahp_weights`.
    max_cr : float, default 0.1
        Largest acceptable consistency ratio, of each matrix and of the
        whole hierarchy.
    allow_inconsistent : bool, default False
        Return the result even when a consistency ratio is too large.

    Returns
    -------
    nodes : pandas.DataFrame
        One row per non-root node: ``code``, ``parent`` (str), ``depth``
        (int, 1 = children of the root), ``local_weight``,
        ``global_weight`` (float; the leaves' global weights sum to 1).
    consistency : pandas.DataFrame
        One row per matrix: ``parent`` (str), ``n`` (int), ``lambda_max``,
        ``ci``, ``ri``, ``cr`` (float), plus a last row with ``parent`` =
        ``'total'`` and the hierarchy's total CR.

    Raises
    ------
    PinganError
        If a matrix is invalid or inconsistent (see :func:`ahp_weights`),
        or the matrices do not form a tree under ``root``.

    Notes
    -----
    Global weight = local weight times the parent's global weight. Total
    CR = sum_j g_j CI_j / sum_j g_j RI_j over the non-root matrices, with
    g_j the global weight of matrix j's parent, added to the root's CR
    (Saaty's hierarchical consistency ratio as used in Chinese textbooks).

    Examples
    --------
    >>> import pandas as pd
    >>> top = pd.DataFrame([[1, 2], [0.5, 1]], index=["A", "B"], columns=["A", "B"])
    >>> sub = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["a1", "a2"],
    ...                    columns=["a1", "a2"])
    >>> nodes, cons = ahp_hierarchy({"index": top, "A": sub})
    >>> nodes.round(3)
      code parent  depth  local_weight  global_weight
    0    A  index      1         0.667          0.667
    1    B  index      1         0.333          0.333
    2   a1      A      2         0.750          0.500
    3   a2      A      2         0.250          0.167
    """
    func = "ahp_hierarchy"
    if root not in matrices:
        raise PinganError(
            f"{func}: no matrix for the root {root!r}; got {list(matrices)}."
        )
    options = dict(method=method, random_index=random_index, max_cr=max_cr,
                   allow_inconsistent=allow_inconsistent)  # fmt: skip
    rows, cons = [], []
    queue = [(root, 1.0, 1)]
    seen = set()
    while queue:
        parent, parent_weight, depth = queue.pop(0)
        result = ahp_weights(matrices[parent], **options)
        cons.append((parent, len(result.weights), result.lambda_max, result.ci,
                     result.ri, result.cr, parent_weight))  # fmt: skip
        for code, w in result.weights.items():
            if code in seen:
                raise PinganError(f"{func}: node {code!r} appears under two parents.")
            seen.add(code)
            rows.append((code, parent, depth, w, w * parent_weight))
            if code in matrices:
                queue.append((code, w * parent_weight, depth + 1))
    unused = set(matrices) - seen - {root}
    if unused:
        raise PinganError(f"{func}: matrices {sorted(unused)} are not under {root!r}.")
    nodes = pd.DataFrame(
        rows, columns=["code", "parent", "depth", "local_weight", "global_weight"]
    )
    return nodes, _consistency_table(cons, max_cr, allow_inconsistent, func)


def _consistency_table(cons, max_cr, allow_inconsistent, func) -> pd.DataFrame:
    table = pd.DataFrame(
        cons, columns=["parent", "n", "lambda_max", "ci", "ri", "cr", "g"]
    )
    below = table.iloc[1:]
    extra = (below["g"] * below["ci"]).sum() / max(
        (below["g"] * below["ri"]).sum(), 1e-12
    )
    total_cr = float(table["cr"].iloc[0] + (extra if len(below) else 0.0))
    if total_cr >= max_cr and not allow_inconsistent:
        raise PinganError(
            f"{func}: total consistency ratio {total_cr:.3f} >= {max_cr}; revise the "
            "judgements or pass allow_inconsistent=True."
        )
    total_row = ("total", int(table["n"].sum()), np.nan, np.nan, np.nan, total_cr, 0.0)
    total = pd.DataFrame([total_row], columns=table.columns)
    return pd.concat([table, total], ignore_index=True).drop(columns="g")
