"""Build a composite index from a catalogue, a wide matrix and a scheme.

A :class:`Scheme` names the choices that make an index: imputation, outlier
treatment, normalisation, weights and the aggregation at each level. The
index is built bottom-up: indicators -> dimensions -> domains -> index.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from pingan._validation import check_columns, check_option
from pingan.composite.aggregate import AGGREGATE_METHODS, aggregate
from pingan.composite.impute import IMPUTE_METHODS, LOG_COLUMNS, impute
from pingan.composite.normalise import NORMALISE_METHODS, normalise
from pingan.composite.outliers import TREATED_COLUMNS, treat_outliers
from pingan.composite.ranking import rank_scores
from pingan.composite.weights import (
    check_catalogue,
    hierarchy_weights,
    objective_weights,
    optimise_weights,
)
from pingan.exceptions import PinganError

__all__ = [
    "AGGREGATION_LEVELS",
    "SCHEMES",
    "CompositeResult",
    "Scheme",
    "build_composite",
    "get_scheme",
    "to_wide",
]

AGGREGATION_LEVELS = ("dimension", "domain", "index")
_POWER_OF = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}
WEIGHT_METHODS = ("points", "equal", "entropy", "critic", "pca", "balance")


@dataclass(frozen=True)
class Scheme:
    """The method choices that define one composite index.

    Attributes
    ----------
    name : str
        Label used in tables and charts.
    normalisation : str
        A method of :func:`pingan.composite.normalise`.
    normalisation_params : dict
        Its parameters (e.g. ``{"bounds": (1, 100)}``).
    weights : str, pandas.Series or dict
        ``"points"``, ``"equal"``, ``"entropy"``, ``"critic"``, ``"pca"``
        (computed from the data with the catalogue's directions; entropy
        uses min-max preprocessing), ``"balance"`` (correlation-optimised),
        or anything :func:`pingan.composite.hierarchy_weights` accepts.
    aggregation : str or dict
        A method of :func:`pingan.composite.aggregate` for every level, or
        a dict ``{level: method}`` over ``'dimension'``, ``'domain'``,
        ``'index'`` (missing levels use ``'arithmetic'``).
    aggregation_params : dict
        Parameters per level, ``{level: {param: value}}``.
    imputation : str or None
        A method of :func:`pingan.composite.impute` applied first, or None.
        ``row_mean`` imputes within each domain.
    treat_outliers : bool
        Apply :func:`pingan.composite.treat_outliers` before normalising.
    """

    name: str = "points"
    normalisation: str = "minmax"
    normalisation_params: dict = field(default_factory=dict)
    weights: object = "points"
    aggregation: str | dict = "arithmetic"
    aggregation_params: dict = field(default_factory=dict)
    imputation: str | None = None
    treat_outliers: bool = False

    def method_at(self, level: str) -> str:
        """Return the aggregation method used at ``level``."""
        if isinstance(self.aggregation, str):
            return self.aggregation
        return self.aggregation.get(level, "arithmetic")

    def params_at(self, level: str) -> dict:
        """Return the aggregation parameters used at ``level``."""
        return dict(self.aggregation_params.get(level, {}))


_POSITIVE = {"bounds": (1.0, 100.0)}
_Z100 = {"mean": 100.0, "sd": 10.0, "ddof": 0}
SCHEMES: dict[str, Scheme] = {
    "points": Scheme("points"),
    "equal": Scheme("equal", weights="equal"),
    "entropy": Scheme("entropy", weights="entropy"),
    "critic": Scheme("critic", weights="critic"),
    "pca": Scheme("pca", weights="pca"),
    "balance": Scheme("balance", weights="balance"),
    "points_geometric": Scheme(
        "points_geometric", normalisation_params=_POSITIVE, aggregation="geometric"
    ),
    "points_domain_geometric": Scheme(
        "points_domain_geometric",
        normalisation_params=_POSITIVE,
        aggregation={"index": "geometric"},
    ),
    "points_zscore": Scheme("points_zscore", normalisation="zscore"),
    "points_rank": Scheme("points_rank", normalisation="percentile_rank"),
    "mazziotta_pareto": Scheme(
        "mazziotta_pareto",
        normalisation="zscore",
        normalisation_params=_Z100,
        aggregation="mazziotta_pareto",
    ),
    "topsis": Scheme(
        "topsis",
        normalisation="minmax",
        aggregation={"index": "topsis"},
        aggregation_params={"index": {"normalisation": "vector"}},
    ),
    "copeland": Scheme("copeland", aggregation={"index": "copeland"}),
}


def get_scheme(name: str | Scheme) -> Scheme:
    """Return a named scheme from ``SCHEMES`` (a Scheme is returned as is).

    Parameters
    ----------
    name : str or Scheme
        Key of ``SCHEMES``.

    Returns
    -------
    Scheme
        The scheme.

    Raises
    ------
    PinganError
        If the name is unknown; the message lists the known names.

    Examples
    --------
    >>> get_scheme("equal").weights
    'equal'
    """
    if isinstance(name, Scheme):
        return name
    check_option("name", name, list(SCHEMES), "get_scheme")
    return SCHEMES[name]


@dataclass(frozen=True)
class CompositeResult:
    """Everything computed by :func:`build_composite`.

    Attributes
    ----------
    scheme : Scheme
        The scheme used.
    normalised : pandas.DataFrame
        Wide frame of normalised indicators (higher is better).
    weights : pandas.DataFrame
        Weights table (``level, code, parent, weight, effective_weight``).
    scores : pandas.DataFrame
        Tidy scores: ``area_code`` (str), ``level`` (str: dimension, domain,
        index), ``code`` (str; ``'index'`` for the index), ``score``
        (float, on the scale of the aggregation method).
    index : pandas.DataFrame
        ``area_code``, ``score`` (float), ``rank`` (Int64, 1 = best,
        ties share the minimum rank, missing for a NaN score).
    imputed : pandas.DataFrame
        Imputation log (empty without imputation).
    treated : pandas.DataFrame
        Outlier-treatment log (empty without treatment).
    """

    scheme: Scheme
    normalised: pd.DataFrame
    weights: pd.DataFrame
    scores: pd.DataFrame
    index: pd.DataFrame
    imputed: pd.DataFrame
    treated: pd.DataFrame


def to_wide(
    values: pd.DataFrame, quarter: object = None, value: str = "value"
) -> pd.DataFrame:
    """Pivot a tidy frame of indicator values to a wide area x indicator frame.

    Parameters
    ----------
    values : pandas.DataFrame
        Columns ``area_code``, ``indicator``, ``value`` (or the column named
        by ``value``) and, if ``quarter`` is given, ``quarter``.
    quarter : str or pandas.Period, optional
        Keep only this quarter.
    value : str, default "value"
        Column holding the values.

    Returns
    -------
    pandas.DataFrame
        Index ``area_code``, one float column per indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> tidy = pd.DataFrame({"area_code": ["a", "a", "b"],
    ...                      "indicator": ["x", "y", "x"], "value": [1.0, 2.0, 3.0]})
    >>> to_wide(tidy)
    indicator    x    y
    area_code
    a          1.0  2.0
    b          3.0  NaN
    """
    check_columns(values, ["area_code", "indicator", value], "to_wide", "values")
    data = values
    if quarter is not None:
        check_columns(values, ["quarter"], "to_wide", "values")
        data = values[values["quarter"].astype(str) == str(quarter)]
        if data.empty:
            raise PinganError(f"to_wide: no rows for quarter {quarter!r}.")
    wide = data.pivot_table(
        index="area_code", columns="indicator", values=value, aggfunc="sum"
    )
    return wide.astype("float64")


def build_composite(
    data: pd.DataFrame, catalogue: pd.DataFrame, scheme: str | Scheme = "points"
) -> CompositeResult:
    """Build the composite index of every area with one scheme.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators, in the indicators' units. Columns
        not in the catalogue are ignored.
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.
    scheme : str or Scheme, default "points"
        A :class:`Scheme` or a key of ``SCHEMES``.

    Returns
    -------
    CompositeResult
        Normalised indicators, weights table, tidy level scores and the
        index with ranks; see :class:`CompositeResult`.

    Raises
    ------
    PinganError
        If the catalogue is invalid, an indicator is missing from
        ``data``, or a scheme choice is unknown.

    Notes
    -----
    Steps: imputation -> outlier treatment -> normalisation (directions
    from the catalogue) -> weights table -> aggregation of indicators into
    dimensions, dimensions into domains and domains into the index, with
    the scheme's method at each level. Missing values left after
    imputation are skipped by the aggregation, which renormalises the
    weights of the values present. With min-max normalisation, points
    weights and arithmetic means everywhere, the index equals the
    points-weighted mean of the normalised indicators.

    Examples
    --------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "Y"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, -1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3], "b": [5.0, 1, 3], "c": [0.0, 1, 1]},
    ...                     index=["p", "q", "r"])
    >>> build_composite(data, cat, "points").index.round(1)
      area_code  score  rank
    0         p    0.0     3
    1         q   90.0     1
    2         r   85.0     2
    """
    plan = prepare(data, catalogue, scheme)
    return _assemble(plan, plan.normalised, plan.weights)


@dataclass(frozen=True)
class _Plan:
    """A scheme applied up to normalisation and weights, ready to aggregate."""

    scheme: Scheme
    catalogue: pd.DataFrame
    normalised: pd.DataFrame
    weights: pd.DataFrame
    imputed: pd.DataFrame
    treated: pd.DataFrame


def prepare(data: pd.DataFrame, catalogue: pd.DataFrame, scheme: str | Scheme) -> _Plan:
    """Run imputation, treatment, normalisation and weighting of a scheme."""
    func = "build_composite"
    scheme = _check_scheme(get_scheme(scheme), func)
    cat = check_catalogue(catalogue, func)
    missing = [c for c in cat["indicator"] if c not in data.columns]
    if missing:
        raise PinganError(f"{func}: data has no column for indicator(s) {missing}.")
    values = data[list(cat["indicator"])].astype("float64")

    imputed = pd.DataFrame(columns=LOG_COLUMNS)
    if scheme.imputation is not None:
        domains = cat.set_index("indicator")["domain"]
        groups = domains if scheme.imputation == "row_mean" else None
        result = impute(values, scheme.imputation, groups=groups)
        values, imputed = result.data, result.log

    treated = pd.DataFrame(columns=TREATED_COLUMNS)
    if scheme.treat_outliers:
        outcome = treat_outliers(values)
        values, treated = outcome.data, outcome.treated

    direction = cat.set_index("indicator")["direction"]
    params = scheme.normalisation_params
    normalised = normalise(values, scheme.normalisation, direction, **params)
    weights = hierarchy_weights(cat, _indicator_weights(values, cat, scheme.weights))
    return _Plan(scheme, cat, normalised, weights, imputed, treated)


def _check_scheme(scheme: Scheme, func: str) -> Scheme:
    check_option("normalisation", scheme.normalisation, NORMALISE_METHODS, func)
    for level in AGGREGATION_LEVELS:
        check_option("aggregation", scheme.method_at(level), AGGREGATE_METHODS, func)
    if scheme.imputation is not None:
        check_option("imputation", scheme.imputation, IMPUTE_METHODS, func)
    if isinstance(scheme.weights, str):
        check_option("weights", scheme.weights, WEIGHT_METHODS, func)
    return scheme


def _indicator_weights(
    values: pd.DataFrame, cat: pd.DataFrame, weights: object
) -> object:
    if not isinstance(weights, str) or weights in ("points", "equal"):
        return weights
    direction = cat.set_index("indicator")["direction"]
    complete = values.fillna(values.mean())
    if weights == "balance":
        return optimise_weights(complete, direction=direction)
    preprocess = "minmax" if weights == "entropy" else None
    return objective_weights(
        complete, weights, direction=direction, preprocess=preprocess
    )


def level_structure(
    cat: pd.DataFrame,
) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """Return, per aggregation level, the parent codes and their children."""
    dims = {d: list(g["indicator"]) for d, g in cat.groupby("dimension", sort=False)}
    doms = {
        d: list(pd.unique(g["dimension"])) for d, g in cat.groupby("domain", sort=False)
    }
    return [
        ("dimension", list(dims), dims),
        ("domain", list(doms), doms),
        ("index", ["index"], {"index": list(doms)}),
    ]


def _assemble(
    plan: _Plan, normalised: pd.DataFrame, weights: pd.DataFrame
) -> CompositeResult:
    local = weights.set_index(["level", "code"])["weight"]
    child_level = {"dimension": "indicator", "domain": "dimension", "index": "domain"}
    current = normalised
    frames = []
    for level, parents, children in level_structure(plan.catalogue):
        method, params = plan.scheme.method_at(level), plan.scheme.params_at(level)
        scores = {}
        for parent in parents:
            kids = children[parent]
            w = local.loc[child_level[level]].reindex(kids)
            scores[parent] = aggregate(current[kids], w, method, **params)
        current = pd.DataFrame(scores, index=normalised.index)
        frames.append(_tidy(current, level))
    index = current["index"]
    table = pd.DataFrame(
        {
            "area_code": index.index.to_numpy(),
            "score": index.to_numpy(),
            "rank": pd.array(rank_scores(index.to_numpy()), dtype="Int64"),
        }
    )
    scores = pd.concat(frames, ignore_index=True)
    return CompositeResult(
        plan.scheme, normalised, weights, scores, table, plan.imputed, plan.treated
    )


def _tidy(wide: pd.DataFrame, level: str) -> pd.DataFrame:
    long = wide.rename_axis(index="area_code", columns="code").stack().rename("score")
    return long.reset_index().assign(level=level)[
        ["area_code", "level", "code", "score"]
    ]


def with_choice(scheme: Scheme, **changes: object) -> Scheme:
    """Return a copy of ``scheme`` with some fields changed."""
    return replace(scheme, **changes)
