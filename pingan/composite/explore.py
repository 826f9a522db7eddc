"""Inputs and parameter checks of the weighting-scheme exploration notebook."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pingan._validation import check_interval
from pingan.composite.scheme import SCHEMES, get_scheme, to_wide
from pingan.composite.weights import CATALOGUE_COLUMNS
from pingan.exceptions import PinganError

__all__ = [
    "ExplorationParameters",
    "check_exploration_parameters",
    "quarter_inputs",
    "scheme_table",
    "ranks_side_by_side",
    "published_ranks",
    "published_agreement",
    "effective_weights",
    "warnings_table",
]


@dataclass(frozen=True)
class ExplorationParameters:
    """Checked parameters of ``notebooks/02-weights-exploration.ipynb``.

    Attributes
    ----------
    dataset : str
        Dataset name.
    quarter : str
        Quarter, ``YYYYQn``.
    schemes : tuple of str
        Scheme names; the first is the reference.
    n_draws : int
        Monte Carlo draws.
    sobol_n : int
        Base sample of the Sobol analysis.
    seed : int
        Seed of every random draw.
    language : str
        Language of the report, ``'zh'`` or ``'en'``.
    """

    dataset: str
    quarter: str
    schemes: tuple[str, ...]
    n_draws: int
    sobol_n: int
    seed: int
    language: str = "zh"


def check_exploration_parameters(
    dataset: str,
    quarter: str,
    schemes: list[str],
    n_draws: int = 1000,
    sobol_n: int = 128,
    seed: int = 0,
    language: str = "zh",
) -> ExplorationParameters:
    """Check the notebook's parameters before anything is computed.

    Parameters
    ----------
    dataset : str
        A known dataset name.
    quarter : str
        ``YYYYQn``; the dataset must have submissions for it.
    schemes : list of str
        At least two keys of :data:`pingan.composite.SCHEMES`; the first is
        the reference.
    n_draws : int, default 1000
        Monte Carlo draws of the rank uncertainty analysis (>= 10).
    sobol_n : int, default 128
        Base sample of the Sobol analysis, a power of 2 (>= 8).
    seed : int, default 0
        Seed of every random draw.
    language : {'zh', 'en'}, default 'zh'
        Language of the report.

    Returns
    -------
    ExplorationParameters
        The checked values, quarter normalised to ``YYYYQn``.

    Raises
    ------
    PinganError
        Naming the parameter, the value and what is allowed.

    Examples
    --------
    >>> p = check_exploration_parameters(
    ...     "xundian-example", "2025q4", ["points", "equal"]
    ... )
    >>> p.quarter, p.schemes
    ('2025Q4', ('points', 'equal'))
    """
    from pingan.report import check_parameters

    checked = check_parameters(dataset, quarter, language)
    func = "check_exploration_parameters"
    if not isinstance(schemes, list | tuple) or len(schemes) < 2:
        raise PinganError(
            f"{func}: schemes must list at least two names; got {schemes!r}."
        )
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown:
        raise PinganError(
            f"{func}: unknown scheme(s) {unknown}; known schemes: {', '.join(SCHEMES)}."
        )
    check_interval("n_draws", n_draws, func, 10)
    if sobol_n < 8 or sobol_n & (sobol_n - 1):
        raise PinganError(
            f"{func}: sobol_n must be a power of 2, at least 8; got {sobol_n}."
        )
    return ExplorationParameters(
        checked.dataset,
        checked.quarter,
        tuple(schemes),
        int(n_draws),
        int(sobol_n),
        int(seed),
        checked.language,
    )


def quarter_inputs(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the wide indicator matrix and catalogue of a scored quarter.

    Parameters
    ----------
    result : pingan.pipeline.QuarterResult
        Output of :func:`pingan.pipeline.run_quarter`.

    Returns
    -------
    data : pandas.DataFrame
        Index ``area_code``, one column per indicator: the quarter's
        ``value`` (rate in catalogue units, after carrying forward).
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.

    Examples
    --------
    A stand-in for a ``QuarterResult`` with one area and one indicator:

    >>> from types import SimpleNamespace
    >>> values = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q4"], freq="Q"),
    ...                        "area_code": ["001"], "indicator": ["SO04"],
    ...                        "value": [3.5]})
    >>> catalogue = pd.DataFrame({"indicator": ["SO04"], "dimension": ["SO1"],
    ...                           "domain": ["SO"], "points": [6.0],
    ...                           "direction": [-1], "name_zh": ["电诈"]})
    >>> result = SimpleNamespace(values=values, quarter=pd.Period("2025Q4", "Q"),
    ...                          dataset=SimpleNamespace(catalogue=catalogue))
    >>> data, cat = quarter_inputs(result)
    >>> data
    indicator  SO04
    area_code
    001         3.5
    >>> list(cat.columns)
    ['indicator', 'dimension', 'domain', 'points', 'direction']
    """
    data = to_wide(result.values, quarter=result.quarter)
    catalogue = result.dataset.catalogue[CATALOGUE_COLUMNS].copy()
    return data, catalogue


def scheme_table(schemes: Sequence[str]) -> pd.DataFrame:
    """Return the normalisation, weighting and aggregations of each scheme.

    Parameters
    ----------
    schemes : sequence of str
        Keys of :data:`pingan.composite.SCHEMES`.

    Returns
    -------
    pandas.DataFrame
        One row per scheme: ``scheme``, ``normalisation``, ``weights`` and
        the aggregation at each level, ``aggregation_dimension``,
        ``aggregation_domain`` and ``aggregation_index``.

    Examples
    --------
    >>> scheme_table(["points"]).columns.tolist()[:3]
    ['scheme', 'normalisation', 'weights']
    """
    rows = []
    for scheme in map(get_scheme, schemes):
        rows.append(
            {
                "scheme": scheme.name,
                "normalisation": scheme.normalisation,
                "weights": scheme.weights,
                **{
                    f"aggregation_{level}": scheme.method_at(level)
                    for level in ("dimension", "domain", "index")
                },
            }
        )
    return pd.DataFrame(rows)


def ranks_side_by_side(
    ranks: pd.DataFrame,
    names: pd.Series,
    schemes: Sequence[str],
    published: pd.Series | None = None,
) -> pd.DataFrame:
    """Return each area's rank under each scheme, best under the first scheme first.

    Parameters
    ----------
    ranks : pandas.DataFrame
        From :func:`pingan.composite.rank_table` (``scheme``, ``area_code``,
        ``rank``).
    names : pandas.Series
        Area names indexed by area code.
    schemes : sequence of str
        The schemes in column order; the first sorts the rows.
    published : pandas.Series, optional
        Published ranks by area code (:func:`published_ranks`), shown as a
        first column ``published``.

    Returns
    -------
    pandas.DataFrame
        Index ``area`` (names), columns named ``scheme``.

    Examples
    --------
    >>> r = pd.DataFrame({"scheme": ["a", "a", "b", "b"], "area_code": ["x", "y"] * 2,
    ...                   "rank": [2, 1, 1, 2]})
    >>> ranks_side_by_side(r, pd.Series({"x": "X", "y": "Y"}), ["a", "b"])
    scheme  a  b
    area
    Y       1  2
    X       2  1
    """
    named = ranks.assign(area=ranks["area_code"].map(names).fillna(ranks["area_code"]))
    wide = named.pivot(index="area", columns="scheme", values="rank")[list(schemes)]
    if published is not None:
        codes = named.drop_duplicates("area").set_index("area")["area_code"]
        wide.insert(0, "published", codes.reindex(wide.index).map(published))
    return wide.sort_values(schemes[0])


def published_ranks(result) -> pd.Series:
    """Return the published index rank of each area in the result's quarter.

    Parameters
    ----------
    result : pingan.pipeline.QuarterResult
        Output of :func:`pingan.pipeline.run_quarter`.

    Returns
    -------
    pandas.Series
        Integer ranks (1 = best) named ``published``, indexed by
        ``area_code``; the pooled county row is left out.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> index = pd.DataFrame({"quarter": pd.PeriodIndex(["2025Q4"] * 3, freq="Q"),
    ...                       "area_code": ["a", "b", "county"],
    ...                       "rank": [2, 1, None]})
    >>> result = SimpleNamespace(index=index, quarter=pd.Period("2025Q4", "Q"))
    >>> published_ranks(result).to_dict()
    {'a': 2, 'b': 1}
    """
    rows = result.index[
        (result.index["quarter"] == result.quarter)
        & (result.index["area_code"] != "county")
    ]
    ranks = rows.set_index("area_code")["rank"].astype("Int64")
    return ranks.rename("published")


def published_agreement(ranks: pd.DataFrame, published: pd.Series) -> pd.DataFrame:
    """Compare each scheme's ranking with the published index ranking.

    The schemes rescale every indicator with one normalisation, while the
    published index scores each indicator by its own method (goalposts from
    a reference period, deductions for events, targets), so their ranks can
    differ even with the same weights.

    Parameters
    ----------
    ranks : pandas.DataFrame
        From :func:`pingan.composite.rank_table` (``scheme``, ``area_code``,
        ``rank``).
    published : pandas.Series
        From :func:`published_ranks`.

    Returns
    -------
    pandas.DataFrame
        One row per scheme: ``scheme``, ``spearman`` (rank correlation with
        the published ranking), ``areas_moved`` (areas whose rank differs)
        and ``max_abs_rank_shift`` (places).

    Examples
    --------
    >>> r = pd.DataFrame({"scheme": ["a"] * 3, "area_code": ["x", "y", "z"],
    ...                   "rank": [1, 2, 3]})
    >>> published = pd.Series({"x": 1, "y": 3, "z": 2}, name="published")
    >>> published_agreement(r, published)
      scheme  spearman  areas_moved  max_abs_rank_shift
    0      a       0.5            2                   1
    """
    rows = []
    for scheme, group in ranks.groupby("scheme", sort=False):
        ours = group.set_index("area_code")["rank"].astype(float)
        theirs = published.reindex(ours.index).astype(float)
        shift = (ours - theirs).abs()
        rows.append(
            {
                "scheme": scheme,
                "spearman": float(ours.corr(theirs, method="spearman")),
                "areas_moved": int((shift > 0).sum()),
                "max_abs_rank_shift": int(shift.max()),
            }
        )
    return pd.DataFrame(rows)


def effective_weights(runs: Sequence) -> pd.DataFrame:
    """Return each indicator's effective weight (%) under each scheme.

    Parameters
    ----------
    runs : sequence of CompositeResult
        From :func:`pingan.composite.build_composite`.

    Returns
    -------
    pandas.DataFrame
        Index ``indicator``, one column per scheme (columns named
        ``scheme``), percent of the index rounded to 0.1.
    """
    table = pd.concat(
        [
            run.weights.query("level == 'indicator'")
            .set_index("code")["effective_weight"]
            .rename(run.scheme.name)
            for run in runs
        ],
        axis=1,
    )
    table.index.name = "indicator"
    table.columns.name = "scheme"
    return (table * 100).round(1)


def warnings_table(caught: Sequence[warnings.WarningMessage]) -> pd.DataFrame:
    """Return the distinct warnings caught while building the schemes.

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("weights do not sum to 1", UserWarning)
    >>> warnings_table(caught)
          category                  message
    0  UserWarning  weights do not sum to 1
    """
    return pd.DataFrame(
        {
            "category": [w.category.__name__ for w in caught],
            "message": [str(w.message) for w in caught],
        },
        columns=["category", "message"],
    ).drop_duplicates(ignore_index=True)
