"""Helpers of the trend-methods notebook: parameters, comparisons, real panels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from pingan._validation import check_option
from pingan.detect.evaluate import evaluate
from pingan.detect.runner import DETECTORS
from pingan.exceptions import PinganError
from pingan.i18n import check_language

__all__ = [
    "StudyParameters",
    "check_study_parameters",
    "compare",
    "dataset_panel",
    "flag_counts",
    "alarm_counts",
]

_CHANGES = ("step", "trend", "outbreak")


@dataclass(frozen=True)
class StudyParameters:
    """Checked parameters of a simulation study.

    Attributes
    ----------
    n_sim : int
        Simulated series per effect size.
    effects : tuple of float
        Effect sizes, including 0.
    n_quarters : int
        Length of each simulated series.
    change : str
        ``"step"``, ``"trend"`` or ``"outbreak"``.
    methods : tuple of str
        Detector names from :data:`pingan.detect.DETECTORS`.
    last_quarters : int
        Quarters of real data analysed.
    language : str
        Language of the report, ``'zh'`` or ``'en'``.
    """

    n_sim: int
    effects: tuple[float, ...]
    n_quarters: int
    change: str
    methods: tuple[str, ...]
    last_quarters: int
    language: str = "zh"


def check_study_parameters(
    n_sim: int,
    effects: Sequence[float],
    n_quarters: int,
    change: str,
    methods: Sequence[str],
    last_quarters: int = 16,
    language: str = "zh",
) -> StudyParameters:
    """Check the parameters of the trend-methods notebook and return them typed.

    Parameters
    ----------
    n_sim : int
        Simulated series per effect size, at least 2.
    effects : sequence of float
        Effect sizes; must include 0 (the false-alarm rate) and be
        non-negative.
    n_quarters : int
        Length of each simulated series, at least 8.
    change : {"step", "trend", "outbreak"}
        Kind of planted change.
    methods : sequence of str
        Names from :data:`pingan.detect.DETECTORS`.
    last_quarters : int, default=16
        Quarters of real data analysed, at least 8.
    language : {'zh', 'en'}, default='zh'
        Language of the report.

    Returns
    -------
    StudyParameters
        The same values, with tuples for the sequences.

    Raises
    ------
    PinganError
        Naming the first invalid parameter, what is allowed and the value.

    Examples
    --------
    >>> p = check_study_parameters(10, [0, 0.5], 16, "step", ["mann_kendall"])
    >>> p.effects
    (0.0, 0.5)
    """
    func = "check_study_parameters"
    for name, value, low in (
        ("n_sim", n_sim, 2),
        ("n_quarters", n_quarters, 8),
        ("last_quarters", last_quarters, 8),
    ):
        if not isinstance(value, int) or value < low:
            raise PinganError(
                f"{func}: {name} must be an integer >= {low}; got {value!r}."
            )
    effects = tuple(float(e) for e in effects)
    if 0.0 not in effects or min(effects) < 0:
        raise PinganError(
            f"{func}: effects must be non-negative and include 0 (no change, for "
            f"the false-alarm rate); got {list(effects)!r}."
        )
    check_option("change", change, _CHANGES, func)
    for method in methods:
        check_option("methods", method, DETECTORS, func)
    check_language(language)
    return StudyParameters(
        n_sim, effects, n_quarters, change, tuple(methods), last_quarters, language
    )


def compare(
    methods: Sequence[str],
    *,
    options: Mapping[str, Mapping[str, object]] | None = None,
    **settings: object,
) -> pd.DataFrame:
    """Evaluate several named detectors on the same simulated series.

    Parameters
    ----------
    methods : sequence of str
        Names from :data:`pingan.detect.DETECTORS`.
    options : mapping, optional
        Keyword arguments per detector name.
    **settings
        Passed to :func:`pingan.detect.evaluate` (``effects``, ``n_sim``,
        ``change``, ``seed``, and simulation settings). Every detector is
        run on the same series because the seed is shared.

    Returns
    -------
    pandas.DataFrame
        The concatenated outcomes of :func:`pingan.detect.evaluate`, one row
        per detector, effect and simulated series.

    Examples
    --------
    >>> out = compare(["ears_c1", "cusum"], effects=[0], n_sim=5)
    >>> sorted(out["detector"].unique())
    ['cusum', 'ears_c1']
    """
    options = dict(options or {})
    frames = [evaluate(name, options=options.get(name), **settings) for name in methods]
    return pd.concat(frames, ignore_index=True)


def dataset_panel(
    name: str,
    indicators: Sequence[str] | None = None,
    last_quarters: int | None = None,
) -> pd.DataFrame:
    """Read a bundled dataset into a tidy panel for the detectors.

    Parameters
    ----------
    name : str
        Dataset name, e.g. ``"ireland"``.
    indicators : sequence of str, optional
        Indicator ids to keep; default the dataset's ``core_indicators``.
    last_quarters : int, optional
        Read only the last this many quarters (reading is the slow part).

    Returns
    -------
    pandas.DataFrame
        ``area_code`` (str), ``indicator`` (str), ``quarter`` (Period) and
        ``value`` (float, the submitted value summed over departments), one
        row per area, indicator and quarter present in the files.

    Examples
    --------
    >>> panel = dataset_panel("ireland", ["09"], last_quarters=4)
    >>> panel["quarter"].astype(str).unique().tolist()
    ['2018Q4', '2019Q1', '2019Q2', '2019Q3']
    """
    from pingan.datasets import load_dataset

    dataset = load_dataset(name)
    chosen = indicators or [str(i) for i in dataset.meta.get("core_indicators", [])]
    quarters = dataset.quarters[-last_quarters:] if last_quarters else dataset.quarters
    data = dataset.read_quarters(quarters).data
    data = data[data["indicator"].astype(str).isin([str(i) for i in chosen])]
    return (
        data.groupby(["area_code", "indicator", "quarter"], as_index=False)["value"]
        .sum()
        .astype({"value": float})
    )


def flag_counts(flags: pd.DataFrame) -> pd.DataFrame:
    """Count the flags of each detector per indicator.

    Parameters
    ----------
    flags : pandas.DataFrame
        ``DetectionResult.series`` or ``DetectionResult.quarters`` of
        :func:`pingan.detect.detect_all`, with ``detector``, ``indicator``
        and ``is_anomaly``.

    Returns
    -------
    pandas.DataFrame
        Index ``detector``, one column per indicator (columns named
        ``indicator``): the number of flagged rows.

    Examples
    --------
    >>> f = pd.DataFrame({"detector": ["cusum"] * 3, "indicator": ["09", "09", "13"],
    ...                   "is_anomaly": [True, True, False]})
    >>> flag_counts(f)
    indicator  09  13
    detector
    cusum       2   0
    """
    flagged = flags.assign(is_anomaly=flags["is_anomaly"].fillna(False).astype(bool))
    return flagged.groupby(["detector", "indicator"])["is_anomaly"].sum().unstack()


def alarm_counts(quarters: pd.DataFrame) -> pd.DataFrame:
    """Count the series each detector flags in each quarter.

    Parameters
    ----------
    quarters : pandas.DataFrame
        ``DetectionResult.quarters`` of :func:`pingan.detect.detect_all`.

    Returns
    -------
    pandas.DataFrame
        Columns ``quarter`` (str), ``detector`` and ``alarms`` (int), only
        quarters with at least one alarm.

    Examples
    --------
    >>> q = pd.DataFrame({"quarter": pd.PeriodIndex(["2019Q1", "2019Q1"], freq="Q"),
    ...                   "detector": "cusum", "is_anomaly": [True, True]})
    >>> alarm_counts(q)
      quarter detector  alarms
    0  2019Q1    cusum       2
    """
    alarms = quarters.loc[quarters["is_anomaly"].fillna(False).astype(bool)]
    alarms = alarms.assign(quarter=alarms["quarter"].astype(str))
    counts = alarms.groupby(["quarter", "detector"]).size().rename("alarms")
    return counts.reset_index()
