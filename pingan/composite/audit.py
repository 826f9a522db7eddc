"""Statistical audit of a composite index built with :func:`build_composite`.

Correlations within and between levels, Cronbach's alpha, PCA variance
explained, the rank impact of removing each component, and comparisons of
schemes. Every function returns a tidy DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from pingan._validation import check_interval, check_option
from pingan.composite.scheme import CompositeResult, Scheme, build_composite, get_scheme
from pingan.exceptions import PinganError

__all__ = [
    "compare_schemes",
    "correlations",
    "cronbach_alpha",
    "pca_variance",
    "rank_table",
    "removal_impact",
]

_PARENT = {"indicator": "dimension", "dimension": "domain", "domain": "index"}


def _level_frames(result: CompositeResult) -> dict[str, pd.DataFrame]:
    """Wide score frames by level: indicator (normalised), dimension, domain, index."""
    frames = {"indicator": result.normalised}
    for level in ("dimension", "domain", "index"):
        part = result.scores[result.scores["level"] == level]
        frames[level] = part.pivot(
            index="area_code", columns="code", values="score"
        ).reindex(result.normalised.index)
    return frames


def correlations(
    result: CompositeResult,
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
    high: float = 0.9,
    low: float = 0.0,
) -> pd.DataFrame:
    """Correlate components within their group, with their parent and the index.

    Parameters
    ----------
    result : CompositeResult
        Output of :func:`pingan.composite.build_composite`.
    method : {"pearson", "spearman", "kendall"}, default "pearson"
        Correlation coefficient.
    high : float, default 0.9
        Pairs within a group above this are flagged ``'high'`` (possible
        double counting); a component above it with its parent is not
        flagged.
    low : float, default 0.0
        Correlations below this are flagged ``'low'`` (the component pulls
        against its group or parent).

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``level`` (str, the component's level),
        ``code`` (str), ``other`` (str), ``relation`` (str: ``'within'``
        for two children of the same parent, ``'parent'``, ``'index'``),
        ``correlation`` (float), ``flag`` (str: ``'high'``, ``'low'`` or
        ``''``).

    Notes
    -----
    Thresholds follow the JRC audit practice encoded in COINr's
    ``get_corr_flags`` (0.9 for redundancy; negative correlations as a
    warning sign). Constant components give NaN correlations, not flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> from pingan.composite import scheme
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "Y"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, 1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 2, 3, 5],
    ...                      "c": [4.0, 3, 2, 1]}, index=list("pqrs"))
    >>> table = correlations(scheme.build_composite(data, cat))
    >>> table[table["relation"] == "within"].round(3)
            level code other relation  correlation  flag
    0   indicator    a     b   within        0.983  high
    11     domain    X     Y   within       -0.994   low
    """
    func = "correlations"
    check_option("method", method, ["pearson", "spearman", "kendall"], func)
    frames = _level_frames(result)
    nodes = result.weights[["level", "code", "parent"]]
    rows = []
    for level in ("indicator", "dimension", "domain"):
        part = nodes[nodes["level"] == level]
        for parent, group in part.groupby("parent", sort=False):
            rows += _group_correlations(
                frames, level, parent, list(group["code"]), method
            )
    columns = ["level", "code", "other", "relation", "correlation"]
    table = pd.DataFrame(rows, columns=columns)
    flag = np.where(table["correlation"] < low, "low", "")
    too_high = (table["relation"] == "within") & (table["correlation"] > high)
    return table.assign(flag=np.where(too_high, "high", flag))


def _group_correlations(frames, level, parent, codes, method) -> list[tuple]:
    """Correlations of one group's children: pairwise, with parent and index."""
    wide = frames[level]
    parent_scores = frames[_PARENT[level]][parent]
    index_scores = frames["index"]["index"]
    rows = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            rows.append((level, a, b, "within", wide[a].corr(wide[b], method=method)))
        rows.append(
            (level, a, parent, "parent", wide[a].corr(parent_scores, method=method))
        )
        if _PARENT[level] != "index":
            rows.append(
                (level, a, "index", "index", wide[a].corr(index_scores, method=method))
            )
    return rows


def cronbach_alpha(
    result: CompositeResult, level: Literal["dimension", "domain", "index"] = "domain"
) -> pd.DataFrame:
    """Cronbach's alpha of the normalised indicators of each group.

    Parameters
    ----------
    result : CompositeResult
        Output of :func:`pingan.composite.build_composite`.
    level : {"dimension", "domain", "index"}, default "domain"
        Grouping of the indicators; ``"index"`` uses all of them.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``level`` (str), ``group`` (str), ``n_items``
        (int), ``alpha`` (float; NaN with fewer than 2 items or zero total
        variance), ``reason`` (str, why alpha is NaN, else ``''``).

    Notes
    -----
    alpha = k / (k - 1) * (1 - sum_i var(x_i) / var(sum_i x_i)) over
    areas with no missing value (Cronbach, 1951), sample variances.

    Examples
    --------
    >>> import pandas as pd
    >>> from pingan.composite import scheme
    >>> cat = pd.DataFrame({"indicator": ["a", "b"], "dimension": ["D", "D"],
    ...                     "domain": ["X", "X"], "points": [50.0, 50.0],
    ...                     "direction": [1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    >>> cronbach_alpha(scheme.build_composite(data, cat)).round(3)
        level group  n_items  alpha reason
    0  domain     X        2    0.8
    """
    check_option("level", level, ["dimension", "domain", "index"], "cronbach_alpha")
    groups = _indicator_groups(result, level)
    rows = []
    for group, codes in groups.items():
        x = result.normalised[codes].dropna()
        rows.append((level, group, len(codes), *_alpha(x)))
    return pd.DataFrame(rows, columns=["level", "group", "n_items", "alpha", "reason"])


def _alpha(x: pd.DataFrame) -> tuple[float, str]:
    k = x.shape[1]
    if k < 2:
        return np.nan, "fewer than 2 indicators"
    total = x.sum(axis=1).var(ddof=1)
    if not total > 0:
        return np.nan, "zero variance of the total"
    return float(k / (k - 1) * (1 - x.var(ddof=1).sum() / total)), ""


def _indicator_groups(result: CompositeResult, level: str) -> dict[str, list[str]]:
    weights = result.weights
    ind = weights[weights["level"] == "indicator"].set_index("code")["parent"]
    if level == "index":
        return {"index": list(ind.index)}
    if level == "dimension":
        return {d: list(g.index) for d, g in ind.groupby(ind, sort=False)}
    dim = weights[weights["level"] == "dimension"].set_index("code")["parent"]
    domain_of = ind.map(dim)
    return {d: list(g.index) for d, g in domain_of.groupby(domain_of, sort=False)}


def pca_variance(
    result: CompositeResult, level: Literal["dimension", "domain", "index"] = "domain"
) -> pd.DataFrame:
    """Variance explained by the principal components of each group.

    Parameters
    ----------
    result : CompositeResult
        Output of :func:`pingan.composite.build_composite`.
    level : {"dimension", "domain", "index"}, default "domain"
        Grouping of the indicators.

    Returns
    -------
    pandas.DataFrame
        One row per group and component: ``level``, ``group`` (str),
        ``component`` (int, 1 = largest), ``eigenvalue`` (float),
        ``variance_share`` (float in [0, 1]), ``cumulative_share`` (float).

    Notes
    -----
    Eigenvalues of the correlation matrix of the group's normalised
    indicators over complete areas; constant indicators are left out. A
    first component with a large share (and eigenvalue > 1) supports
    summing the group into one score.

    Examples
    --------
    >>> import pandas as pd
    >>> from pingan.composite import scheme
    >>> cat = pd.DataFrame({"indicator": ["a", "b"], "dimension": ["D", "D"],
    ...                     "domain": ["X", "X"], "points": [50.0, 50.0],
    ...                     "direction": [1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    >>> table = pca_variance(scheme.build_composite(data, cat))
    >>> table["variance_share"].round(2).tolist()
    [0.8, 0.2]
    """
    check_option("level", level, ["dimension", "domain", "index"], "pca_variance")
    rows = []
    for group, codes in _indicator_groups(result, level).items():
        x = result.normalised[codes].dropna()
        x = x.loc[:, x.std() > 0]
        if x.shape[1] == 0 or len(x) < 2:
            continue
        eig = np.sort(
            np.linalg.eigvalsh(np.atleast_2d(np.corrcoef(x.to_numpy(), rowvar=False)))
        )[::-1]
        eig = np.clip(eig, 0.0, None)
        share = eig / eig.sum()
        for i, (value, s, c) in enumerate(
            zip(eig, share, np.cumsum(share), strict=True)
        ):
            rows.append((level, group, i + 1, value, s, c))
    columns = [
        "level",
        "group",
        "component",
        "eigenvalue",
        "variance_share",
        "cumulative_share",
    ]
    return pd.DataFrame(rows, columns=columns)


def removal_impact(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    scheme: str | Scheme = "points",
    level: Literal["indicator", "dimension", "domain"] = "indicator",
) -> pd.DataFrame:
    """Rank shifts caused by removing each indicator, dimension or domain.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators.
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.
    scheme : str or Scheme, default "points"
        Scheme of the nominal index.
    level : {"indicator", "dimension", "domain"}, default "indicator"
        Which components to remove, one at a time.

    Returns
    -------
    pandas.DataFrame
        One row per removed component: ``level``, ``removed`` (str),
        ``mean_abs_rank_shift``, ``max_abs_rank_shift`` (float, over areas,
        against the nominal ranks), ``rank_correlation`` (float, Spearman).

    Notes
    -----
    The remaining weights are renormalised by the scheme's rule (points
    shares or equal weights within each parent). COINr's
    ``remove_elements`` reports the same mean absolute rank shift.

    Examples
    --------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "Y"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, 1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": [1.0, 2, 3]},
    ...                     index=["p", "q", "r"])
    >>> table = removal_impact(data, cat, level="domain")
    >>> table[["removed", "mean_abs_rank_shift"]].round(3)
      removed  mean_abs_rank_shift
    0       X                0.000
    1       Y                0.667
    """
    func = "removal_impact"
    check_option("level", level, ["indicator", "dimension", "domain"], func)
    scheme = get_scheme(scheme)
    nominal = build_composite(data, catalogue, scheme).index.set_index("area_code")[
        "rank"
    ]
    rows = []
    for code in pd.unique(catalogue[level]):
        reduced = catalogue[catalogue[level] != code]
        if reduced.empty:
            raise PinganError(f"{func}: removing {code!r} leaves no indicator.")
        ranks = build_composite(data, reduced, scheme).index.set_index("area_code")[
            "rank"
        ]
        shift = (ranks - nominal).abs().astype("float64")
        corr = ranks.astype("float64").corr(
            nominal.astype("float64"), method="spearman"
        )
        rows.append((level, code, shift.mean(), shift.max(), corr))
    columns = [
        "level",
        "removed",
        "mean_abs_rank_shift",
        "max_abs_rank_shift",
        "rank_correlation",
    ]
    return pd.DataFrame(rows, columns=columns)


def compare_schemes(a: CompositeResult, b: CompositeResult) -> pd.DataFrame:
    """Set two schemes side by side: scores, ranks and rank shifts per area.

    Parameters
    ----------
    a, b : CompositeResult
        Results of :func:`pingan.composite.build_composite` on the same
        areas; ``a`` is the reference.

    Returns
    -------
    pandas.DataFrame
        One row per area: ``area_code``, ``score_a``, ``score_b``,
        ``score_diff`` (b - a; meaningful only on the same scale),
        ``rank_a``, ``rank_b`` (Int64), ``rank_shift`` (Int64, rank_a -
        rank_b, positive = b ranks the area higher), ``abs_rank_shift``.

    Examples
    --------
    >>> import pandas as pd
    >>> from pingan.composite import scheme
    >>> cat = pd.DataFrame({"indicator": ["a", "b"], "dimension": ["D1", "D2"],
    ...                     "domain": ["X", "X"], "points": [80.0, 20.0],
    ...                     "direction": [1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2], "b": [3.0, 0]}, index=["p", "q"])
    >>> one = scheme.build_composite(data, cat, "points")
    >>> two = scheme.build_composite(data, cat, "equal")
    >>> compare_schemes(one, two)[["area_code", "rank_a", "rank_b", "rank_shift"]]
      area_code  rank_a  rank_b  rank_shift
    0         p       2       1           1
    1         q       1       1           0
    """
    left = a.index.set_index("area_code")
    right = b.index.set_index("area_code").reindex(left.index)
    table = pd.DataFrame(
        {
            "score_a": left["score"],
            "score_b": right["score"],
            "score_diff": right["score"] - left["score"],
            "rank_a": left["rank"],
            "rank_b": right["rank"],
            "rank_shift": left["rank"] - right["rank"],
        }
    )
    table["abs_rank_shift"] = table["rank_shift"].abs()
    return table.reset_index()


def rank_table(results: Sequence[CompositeResult], reference: int = 0) -> pd.DataFrame:
    """Stack the index of several schemes into one tidy table.

    Parameters
    ----------
    results : sequence of CompositeResult
        Results on the same areas, e.g. one per scheme.
    reference : int, default 0
        Position of the reference scheme in ``results``.

    Returns
    -------
    pandas.DataFrame
        One row per scheme and area: ``scheme`` (str), ``area_code``,
        ``score`` (float), ``rank`` (Int64), ``reference_rank`` (Int64),
        ``rank_shift`` (Int64, reference_rank - rank; positive = the scheme
        ranks the area higher).

    Examples
    --------
    >>> import pandas as pd
    >>> from pingan.composite import scheme
    >>> cat = pd.DataFrame({"indicator": ["a", "b"], "dimension": ["D1", "D2"],
    ...                     "domain": ["X", "X"], "points": [80.0, 20.0],
    ...                     "direction": [1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2], "b": [3.0, 0]}, index=["p", "q"])
    >>> runs = [scheme.build_composite(data, cat, s) for s in ("points", "equal")]
    >>> rank_table(runs)["rank_shift"].tolist()
    [0, 0, 1, 0]
    """
    check_interval("reference", reference, "rank_table", 0, len(results) - 1)
    base = results[reference].index.set_index("area_code")["rank"]
    frames = []
    for result in results:
        frame = result.index.assign(scheme=result.scheme.name)
        frame["reference_rank"] = frame["area_code"].map(base).astype("Int64")
        frame["rank_shift"] = frame["reference_rank"] - frame["rank"]
        frames.append(frame)
    columns = ["scheme", "area_code", "score", "rank", "reference_rank", "rank_shift"]
    return pd.concat(frames, ignore_index=True)[columns]
