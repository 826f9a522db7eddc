"""Inputs and parameter checks of the weighting-scheme exploration notebook."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pingan._validation import check_interval
from pingan.composite.scheme import SCHEMES, to_wide
from pingan.composite.weights import CATALOGUE_COLUMNS
from pingan.exceptions import PinganError

__all__ = ["ExplorationParameters", "check_exploration_parameters", "quarter_inputs"]


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
    """

    dataset: str
    quarter: str
    schemes: tuple[str, ...]
    n_draws: int
    sobol_n: int
    seed: int


def check_exploration_parameters(
    dataset: str,
    quarter: str,
    schemes: list[str],
    n_draws: int = 1000,
    sobol_n: int = 128,
    seed: int = 0,
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

    checked = check_parameters(dataset, quarter)
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
