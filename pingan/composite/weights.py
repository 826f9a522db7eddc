"""Indicator weights and weights through the indicator hierarchy.

Methods: expert points, equal, entropy, CRITIC, PCA, correlation-optimised,
combined subjective-objective weights, and effective weights.

Flat weights are a ``pandas.Series`` named ``weight``, indexed by indicator
code, non-negative and summing to 1. Hierarchical weights are a tidy
*weights table* with one row per node of the framework (see
:func:`hierarchy_weights`).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize

from pingan._validation import check_columns, check_interval, check_option
from pingan.composite._common import check_wide, direction_vector
from pingan.exceptions import ConstantIndicatorWarning, PinganError

__all__ = [
    "CATALOGUE_COLUMNS",
    "LEVELS",
    "combine_weights",
    "effective_weights",
    "equal_weights",
    "hierarchy_weights",
    "objective_weights",
    "optimise_weights",
    "points_weights",
]

CATALOGUE_COLUMNS = ["indicator", "dimension", "domain", "points", "direction"]
LEVELS = ("indicator", "dimension", "domain")
ObjectiveMethod = Literal["entropy", "critic", "pca"]


def _as_weights(values: object, index: object) -> pd.Series:
    series = pd.Series(np.asarray(values, dtype="float64"), index=pd.Index(index))
    return (series / series.sum()).rename("weight")


def equal_weights(indicators: list | pd.Index) -> pd.Series:
    """Return equal weights 1/n for the given indicator codes.

    Parameters
    ----------
    indicators : list or pandas.Index
        Indicator codes.

    Returns
    -------
    pandas.Series
        ``weight`` (float, sums to 1) indexed by indicator code.

    Examples
    --------
    >>> equal_weights(["a", "b", "c", "d"]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    if len(indicators) == 0:
        raise PinganError("equal_weights: indicators must not be empty.")
    return _as_weights(np.ones(len(indicators)), indicators)


def points_weights(points: pd.Series | dict) -> pd.Series:
    """Turn expert points (e.g. out of 100) into weights summing to 1.

    Parameters
    ----------
    points : pandas.Series or dict
        Points per indicator code; non-negative, positive sum.

    Returns
    -------
    pandas.Series
        ``weight`` = points / sum(points), indexed by indicator code.

    Raises
    ------
    PinganError
        If a point value is negative or missing, or all are zero.

    Examples
    --------
    >>> points_weights({"a": 30, "b": 50, "c": 20}).tolist()
    [0.3, 0.5, 0.2]
    """
    series = pd.Series(points, dtype="float64")
    if series.isna().any() or (series < 0).any() or series.sum() <= 0:
        raise PinganError(
            "points_weights: points must be non-negative numbers with a positive "
            f"sum; got {series.to_dict()}."
        )
    return _as_weights(series.to_numpy(), series.index)


def objective_weights(
    data: pd.DataFrame,
    method: ObjectiveMethod,
    direction: object = None,
    preprocess: Literal["proportion", "minmax"] | None = None,
) -> pd.Series:
    """Derive weights from the data: entropy, CRITIC or PCA.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators, original units. Areas with a missing
        value are dropped for ``critic`` and ``pca``.
    method : {"entropy", "critic", "pca"}
        Weighting method (see Notes).
    direction : int, dict or pandas.Series, optional
        +1/-1 per indicator, used by every min-max step. Default +1.
    preprocess : {"proportion", "minmax"}
        Required for ``entropy``: ``"proportion"`` uses p = x / sum(x) on
        the raw, non-negative values; ``"minmax"`` first scales each
        indicator to [0, 1] (direction-aware). The two give very different
        weights, so the choice must be explicit.

    Returns
    -------
    pandas.Series
        ``weight`` (float, non-negative, sums to 1) indexed by indicator.

    Raises
    ------
    PinganError
        If ``method`` or ``preprocess`` is invalid, or ``proportion`` meets a
        negative value.

    Warns
    -----
    ConstantIndicatorWarning
        For constant indicators, which get weight 0 from every method.

    Notes
    -----
    - Entropy (Shannon): p_ij = x_ij / sum_i x_ij,
      e_j = -sum_i p_ij ln p_ij / ln n with 0 ln 0 = 0, d_j = 1 - e_j,
      w_j = d_j / sum d. Checked against Elsayed, Dawood & Karthikeyan
      (2017), Int. J. Eng. Trends Technol. 46(2):60-66.
    - CRITIC (Diakoulaki, Mavrotas & Papayannakis, 1995): on min-max
      scaled values, C_j = s_j * sum_k (1 - r_jk) with s_j the standard
      deviation and r the Pearson correlation; w_j = C_j / sum C.
    - PCA: w_j is the squared loading of indicator j on the first principal
      component of the correlation matrix. It is the share of the
      component's variance carried by the indicator, so the weights sum to
      1, and unlike raw loadings they cannot be negative.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 1, 1, 9]})
    >>> objective_weights(data, "entropy", preprocess="proportion").round(3)
    a    0.162
    b    0.838
    Name: weight, dtype: float64
    """
    func = "objective_weights"
    check_option("method", method, ["entropy", "critic", "pca"], func)
    values = check_wide(data, func)
    signs = direction_vector(direction, values.columns, func)
    _warn_constant(values, func)
    if method == "entropy":
        check_option("preprocess", preprocess, ["proportion", "minmax"], func)
        raw = _entropy(values, signs, preprocess)
    elif method == "critic":
        raw = _critic(values.dropna(), signs)
    else:
        raw = _pca(values.dropna())
    return _as_weights(raw, values.columns)


def _warn_constant(values: pd.DataFrame, func: str) -> None:
    constant = [c for c in values if values[c].nunique() <= 1]
    if constant:
        warnings.warn(
            f"{func}: indicator(s) {constant} are constant and get weight 0.",
            ConstantIndicatorWarning,
            stacklevel=3,
        )


def _scaled01(values: pd.DataFrame, signs: pd.Series) -> pd.DataFrame:
    """Min-max to [0, 1] with constant columns set to 0 (no information)."""
    span = values.max() - values.min()
    oriented = values.mul(signs)
    scaled = (oriented - oriented.min()) / span.replace(0.0, np.nan)
    return scaled.fillna(0.0).where(values.notna())


def _entropy(values, signs, preprocess) -> np.ndarray:
    if preprocess == "proportion":
        if (values < 0).any().any():
            raise PinganError(
                "objective_weights: entropy with preprocess='proportion' needs "
                "non-negative values; use preprocess='minmax'."
            )
        x = values
    else:
        x = _scaled01(values, signs)
    x = x.to_numpy()
    n = np.sum(~np.isnan(x), axis=0)
    total = np.nansum(x, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / total
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    entropy = -np.nansum(plogp, axis=0) / np.log(np.maximum(n, 2))
    d = np.where(total > 0, 1.0 - entropy, 0.0)
    return _fallback_equal(d)


def _critic(values, signs) -> np.ndarray:
    x = _scaled01(values, signs).to_numpy()
    sd = x.std(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.nan_to_num(np.corrcoef(x, rowvar=False), nan=0.0)
    corr = np.atleast_2d(corr)
    return _fallback_equal(sd * (1.0 - corr).sum(axis=0))


def _pca(values) -> np.ndarray:
    x = values.to_numpy()
    sd = x.std(axis=0, ddof=1)
    keep = sd > 0
    z = (x[:, keep] - x[:, keep].mean(axis=0)) / sd[keep]
    eigval, eigvec = np.linalg.eigh(np.atleast_2d(np.corrcoef(z, rowvar=False)))
    out = np.zeros(x.shape[1])
    out[keep] = eigvec[:, -1] ** 2
    return _fallback_equal(out)


def _fallback_equal(raw: np.ndarray) -> np.ndarray:
    """Return equal weights when no indicator carries information."""
    raw = np.clip(np.nan_to_num(raw, nan=0.0), 0.0, None)
    return raw if raw.sum() > 0 else np.ones_like(raw)


def optimise_weights(
    data: pd.DataFrame,
    target: float | pd.Series | dict | None = None,
    direction: object = None,
    seed: int = 0,
) -> pd.Series:
    """Find weights that bring indicator-index correlations to targets.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators; complete rows are used.
    target : float, dict or pandas.Series, optional
        Target Pearson correlation of each indicator with the weighted
        arithmetic index. None ("balance") targets equal correlations.
    direction : int, dict or pandas.Series, optional
        +1/-1 per indicator, applied by the min-max step. Default +1.
    seed : int, default 0
        Seed of the random start jitter (the optimisation is deterministic
        for a given seed).

    Returns
    -------
    pandas.Series
        ``weight`` (float, positive, sums to 1) indexed by indicator.

    Notes
    -----
    Indicators are min-max scaled, weights are written w = softmax(theta)
    so they stay positive and sum to 1, and L-BFGS-B minimises
    sum_j (r_j(w) - target_j)^2, or sum_j (r_j - mean r)^2 for balance,
    where r_j = corr(x_j, sum_k w_k x_k). This follows the idea of COINr's
    ``get_opt_weights`` (Becker et al., 2022). The optimum is local; the
    start is equal weights plus a small seeded jitter.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 5],
    ...                      "c": [5.0, 3, 4, 1, 2]})
    >>> w = optimise_weights(data)
    >>> round(float(w.sum()), 6)
    1.0
    """
    func = "optimise_weights"
    values = check_wide(data, func).dropna()
    signs = direction_vector(direction, values.columns, func)
    x = _scaled01(values, signs).to_numpy()
    goal = None if target is None else _target_vector(target, values.columns)
    rng = np.random.default_rng(seed)
    start = rng.normal(0.0, 0.01, x.shape[1])
    fit = optimize.minimize(_correlation_loss, start, args=(x, goal), method="L-BFGS-B")
    return _as_weights(_softmax(fit.x), values.columns)


def _target_vector(target, columns) -> np.ndarray:
    if np.isscalar(target):
        return np.full(len(columns), float(target))
    return pd.Series(target, dtype="float64").reindex(columns).to_numpy()


def _softmax(theta: np.ndarray) -> np.ndarray:
    e = np.exp(theta - theta.max())
    return e / e.sum()


def _correlation_loss(theta, x, goal) -> float:
    index = x @ _softmax(theta)
    xc, ic = x - x.mean(axis=0), index - index.mean()
    denom = np.sqrt((xc**2).sum(axis=0) * (ic**2).sum())
    r = np.divide(xc.T @ ic, denom, out=np.zeros(x.shape[1]), where=denom > 0)
    reference = r.mean() if goal is None else goal
    return float(((r - reference) ** 2).sum())


def combine_weights(
    subjective: pd.Series,
    objective: pd.Series,
    method: Literal["linear", "multiplicative", "game_theory"] = "linear",
    alpha: float = 0.5,
) -> pd.Series:
    """Combine subjective (e.g. AHP, points) and objective weights.

    Parameters
    ----------
    subjective, objective : pandas.Series
        Weights over the same indicator codes (each is renormalised).
    method : {"linear", "multiplicative", "game_theory"}, default "linear"
        Combination rule (see Notes).
    alpha : float, default 0.5
        Share of the subjective weights in the linear rule, in [0, 1].

    Returns
    -------
    pandas.Series
        ``weight`` (float, sums to 1) indexed by indicator.

    Raises
    ------
    PinganError
        If the two series cover different indicators or ``alpha`` is
        outside [0, 1].

    Notes
    -----
    With a the subjective and b the objective weights:

    - linear: w = alpha a + (1 - alpha) b;
    - multiplicative: w = a b / sum(a b);
    - game_theory: solve [[a.a, a.b], [b.a, b.b]] c = [a.a, b.b], take
      c* = |c| / sum |c| and w = c*_1 a + c*_2 b (the combination closest,
      in least squares, to both vectors).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series({"x": 0.6, "y": 0.4})
    >>> b = pd.Series({"x": 0.2, "y": 0.8})
    >>> combine_weights(a, b, "multiplicative").round(4).tolist()
    [0.2727, 0.7273]
    """
    func = "combine_weights"
    check_option("method", method, ["linear", "multiplicative", "game_theory"], func)
    check_interval("alpha", alpha, func, 0.0, 1.0)
    if set(subjective.index) != set(objective.index):
        raise PinganError(
            f"{func}: subjective and objective weights cover different indicators: "
            f"{sorted(set(subjective.index) ^ set(objective.index), key=str)}."
        )
    a = points_weights(subjective)
    b = points_weights(objective).reindex(a.index)
    if method == "linear":
        combined = alpha * a + (1 - alpha) * b
    elif method == "multiplicative":
        combined = a * b
    else:
        gram = np.array([[a @ a, a @ b], [b @ a, b @ b]])
        coef = np.abs(np.linalg.lstsq(gram, np.array([a @ a, b @ b]), rcond=None)[0])
        combined = coef[0] * a + coef[1] * b
    return _as_weights(combined.to_numpy(), a.index)


def check_catalogue(catalogue: pd.DataFrame, func: str) -> pd.DataFrame:
    """Check the indicator catalogue and return the hierarchy columns.

    Every problem found is listed: missing columns, duplicated indicators,
    directions other than +1/-1, negative points, and dimensions filed under
    more than one domain.
    """
    check_columns(catalogue, CATALOGUE_COLUMNS, func, "catalogue")
    cat = catalogue[CATALOGUE_COLUMNS].copy()
    cat["points"] = pd.to_numeric(cat["points"], errors="coerce")
    cat["direction"] = pd.to_numeric(cat["direction"], errors="coerce")
    problems = []
    dups = cat["indicator"][cat["indicator"].duplicated()].tolist()
    if dups:
        problems.append(f"duplicated indicators {dups}")
    bad_dir = cat.loc[~cat["direction"].isin([1, -1]), "indicator"].tolist()
    if bad_dir:
        problems.append(f"direction not in {{-1, 1}} for {bad_dir}")
    bad_pts = cat.loc[~(cat["points"] >= 0), "indicator"].tolist()
    if bad_pts:
        problems.append(f"missing or negative points for {bad_pts}")
    parents = cat.groupby("dimension")["domain"].nunique()
    if (parents > 1).any():
        problems.append(
            f"dimensions in several domains: {parents[parents > 1].index.tolist()}"
        )
    if problems:
        raise PinganError(f"{func}: invalid catalogue: " + "; ".join(problems) + ".")
    cat["direction"] = cat["direction"].astype(int)
    return cat.reset_index(drop=True)


def hierarchy_weights(
    catalogue: pd.DataFrame,
    weights: Literal["points", "equal"] | pd.Series | dict = "points",
) -> pd.DataFrame:
    """Build the weights table of the indicator -> dimension -> domain tree.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.
    weights : "points", "equal", pandas.Series or dict, default "points"
        ``"points"``: each node's weight is its share of its parent's points.
        ``"equal"``: equal weights among the children of each parent.
        A Series of indicator weights (e.g. from :func:`objective_weights`)
        is read as effective weights: parents get the sum of their
        children. A dict ``{level: Series}`` gives local weights for some
        levels (``'indicator'``, ``'dimension'``, ``'domain'``), e.g. from
        :func:`pingan.composite.ahp_hierarchy`; other levels use points.

    Returns
    -------
    pandas.DataFrame
        One row per node, with columns

        - ``level``: str, indicator, dimension or domain;
        - ``code``: str;
        - ``parent``: str, ``'index'`` for domains;
        - ``weight``: float, local weight, sums to 1 within each parent;
        - ``effective_weight``: float, product of local weights up to the
          index. The indicators' effective weights sum to 1.

    Raises
    ------
    PinganError
        If the catalogue is invalid or given weights miss a node.

    Notes
    -----
    A parent whose children all have weight 0 (e.g. a dimension holding one
    constant indicator under entropy weights) gets weight 0 itself and
    splits its local weights evenly, so that its score stays defined.
    Effective weights equal the indicator's weight in the index only when
    every level is aggregated with the arithmetic mean; see COINr's
    ``get_eff_weights`` (Becker et al., 2022) for the same definition.

    Examples
    --------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "X"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, -1, 1]})
    >>> hierarchy_weights(cat).round(2)
           level code parent  weight  effective_weight
    0  indicator    a     D1     0.4               0.2
    1  indicator    b     D1     0.6               0.3
    2  indicator    c     D2     1.0               0.5
    3  dimension   D1      X     0.5               0.5
    4  dimension   D2      X     0.5               0.5
    5     domain    X  index     1.0               1.0
    """
    func = "hierarchy_weights"
    cat = check_catalogue(catalogue, func)
    nodes = _nodes(cat)
    if isinstance(weights, str):
        check_option("weights", weights, ["points", "equal"], func)
        base = cat.set_index("indicator")["points"] if weights == "points" else None
        table = _from_effective(nodes, cat, base)
    elif isinstance(weights, pd.Series):
        base = weights.reindex(cat["indicator"])
        if base.isna().any():
            raise PinganError(
                f"{func}: weights has no value for {base[base.isna()].index.tolist()}."
            )
        table = _from_effective(nodes, cat, base.set_axis(cat["indicator"]))
    else:
        table = _from_local(nodes, cat, weights, func)
    return effective_weights(table)


def _nodes(cat: pd.DataFrame) -> pd.DataFrame:
    ind = cat[["indicator", "dimension"]].set_axis(["code", "parent"], axis=1)
    dim = (
        cat[["dimension", "domain"]]
        .drop_duplicates()
        .set_axis(["code", "parent"], axis=1)
    )
    dom = pd.DataFrame({"code": cat["domain"].unique(), "parent": "index"})
    parts = [
        ind.assign(level="indicator"),
        dim.assign(level="dimension"),
        dom.assign(level="domain"),
    ]
    return pd.concat(parts, ignore_index=True)[["level", "code", "parent"]]


def _from_effective(nodes, cat, base) -> pd.DataFrame:
    """Local weights from indicator weights (None: equal at each level)."""
    if base is None:
        sizes = nodes.groupby(["level", "parent"])["code"].transform("size")
        return nodes.assign(weight=1.0 / sizes)
    eff = base.astype("float64")
    mass = {("indicator", k): v for k, v in eff.items()}
    dim_mass = eff.groupby(cat.set_index("indicator")["dimension"]).sum()
    dom_mass = eff.groupby(cat.set_index("indicator")["domain"]).sum()
    mass |= {("dimension", k): v for k, v in dim_mass.items()}
    mass |= {("domain", k): v for k, v in dom_mass.items()}
    node_mass = pd.Series(
        [mass[(lv, c)] for lv, c in zip(nodes["level"], nodes["code"], strict=True)]
    )
    groups = [nodes["level"], nodes["parent"]]
    parent_mass = node_mass.groupby(groups).transform("sum")
    # A parent whose children all weigh 0 splits evenly; it weighs 0 itself.
    even = 1.0 / node_mass.groupby(groups).transform("size")
    local = (node_mass / parent_mass.replace(0.0, np.nan)).fillna(even)
    return nodes.assign(weight=local.to_numpy())


def _from_local(nodes, cat, local_weights: dict, func: str) -> pd.DataFrame:
    table = _from_effective(nodes, cat, cat.set_index("indicator")["points"])
    for level, series in local_weights.items():
        check_option("level", level, LEVELS, func)
        rows = table["level"] == level
        local = pd.Series(series, dtype="float64").reindex(table.loc[rows, "code"])
        if local.isna().any():
            raise PinganError(
                f"{func}: weights for level {level!r} miss "
                f"{local[local.isna()].index.tolist()}."
            )
        sums = local.groupby(table.loc[rows, "parent"].to_numpy()).transform("sum")
        table.loc[rows, "weight"] = (local / sums.to_numpy()).to_numpy()
    return table


def effective_weights(table: pd.DataFrame) -> pd.DataFrame:
    """Compute each node's effective weight through the hierarchy.

    Parameters
    ----------
    table : pandas.DataFrame
        Weights table with columns ``level, code, parent, weight`` (local
        weights), as built by :func:`hierarchy_weights`.

    Returns
    -------
    pandas.DataFrame
        The table with ``effective_weight`` (float) set to the product of
        the node's local weight and those of its ancestors.

    Examples
    --------
    >>> import pandas as pd
    >>> levels = ["indicator", "indicator", "dimension", "domain"]
    >>> table = pd.DataFrame({"level": levels, "code": ["a", "b", "D", "X"],
    ...                       "parent": ["D", "D", "X", "index"],
    ...                       "weight": [0.25, 0.75, 1.0, 1.0]})
    >>> effective_weights(table)["effective_weight"].tolist()
    [0.25, 0.75, 1.0, 1.0]
    """
    check_columns(
        table, ["level", "code", "parent", "weight"], "effective_weights", "table"
    )
    out = table[["level", "code", "parent", "weight"]].copy()
    local = dict(
        zip(zip(out["level"], out["code"], strict=True), out["weight"], strict=True)
    )
    parent_of = dict(
        zip(zip(out["level"], out["code"], strict=True), out["parent"], strict=True)
    )
    order = {"indicator": "dimension", "dimension": "domain", "domain": None}
    effective = []
    for level, code in zip(out["level"], out["code"], strict=True):
        value, node = 1.0, (level, code)
        while node[0] is not None:
            value *= local[node]
            node = (order[node[0]], parent_of[node])
        effective.append(value)
    return out.assign(effective_weight=effective)
