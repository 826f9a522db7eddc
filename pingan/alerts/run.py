"""Run the warning loop and the year-end review on a dataset.

:func:`run_warnings` scores the quarter with :func:`pingan.pipeline.run_quarter`,
checks the rules, updates the warnings register in
``data/processed/<dataset>/warnings_register.csv`` and writes the letters to
``reports/<dataset>/<quarter>/letters/``. :func:`annual_review` builds the
year-end review from the fourth quarter's scoring run.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from pingan._validation import check_option
from pingan.alerts.annual import AnnualResult, review_year
from pingan.alerts.drivers import county_contributions, index_contributions
from pingan.alerts.letters import letter_names, write_letters
from pingan.alerts.register import (
    read_register,
    summarise_register,
    update_register,
    write_register,
)
from pingan.alerts.rules import (
    RuleInputs,
    anomaly_flags,
    department_quality,
    evaluate_rules,
    load_rules,
    select_warnings,
)
from pingan.alerts.watchlist import split_letters
from pingan.config import processed_dir, reports_dir
from pingan.datasets import Dataset, load_dataset
from pingan.detect import DETECTORS
from pingan.exceptions import DataQualityWarning, PinganError
from pingan.io import write_table
from pingan.periods import parse_quarter, quarter_label
from pingan.pipeline import QuarterResult, check_quarter, run_quarter
from pingan.quality import validate_quarter
from pingan.report import localised_name

__all__ = [
    "WarningsResult",
    "run_warnings",
    "annual_review",
    "register_path",
    "check_warning_parameters",
    "check_review_parameters",
]


@dataclass(frozen=True)
class WarningsResult:
    """Everything one run of the warning loop produced.

    Attributes
    ----------
    dataset : str
        Dataset name.
    quarter : pandas.Period
        Reporting quarter.
    checks : pandas.DataFrame
        Every rule and candidate of the quarter
        (:func:`pingan.alerts.rules.evaluate_rules`).
    warnings : pandas.DataFrame
        The triggered checks, with ``tracking_id`` (the register id: the
        warning's own id when new, else the id of the quarter it was first
        raised in), ``quarter_raised`` and ``status`` from the register.
    drivers : pandas.DataFrame
        :func:`pingan.alerts.drivers.index_contributions` on the previous
        quarter (``lag`` 1) and a year earlier (``lag`` 4), stacked.
    county_drivers : pandas.DataFrame
        :func:`pingan.alerts.drivers.county_contributions` of the core
        indicators on a year earlier.
    register : pandas.DataFrame
        The whole register after the update.
    summary : pandas.DataFrame
        :func:`pingan.alerts.register.summarise_register`.
    letters : pandas.DataFrame
        :func:`pingan.alerts.letters.write_letters` (empty when letters were
        not written). Only recipients with a warning at ``letters.min_level``
        of the rules or above get a letter.
    register_file : pathlib.Path
        Where the register was written.
    watch_list : pandas.DataFrame
        The warnings of the recipients without a letter
        (:func:`pingan.alerts.watchlist.split_letters`), also written to
        ``watch_list.csv`` (``watch_list.en.csv`` in English) in the letters
        folder.
    """

    dataset: str
    quarter: pd.Period
    checks: pd.DataFrame
    warnings: pd.DataFrame
    drivers: pd.DataFrame
    county_drivers: pd.DataFrame
    register: pd.DataFrame
    summary: pd.DataFrame
    letters: pd.DataFrame
    register_file: Path
    watch_list: pd.DataFrame = field(default_factory=pd.DataFrame)


def register_path(dataset: str, root: Path | None = None) -> Path:
    """Return the warnings register path of a dataset.

    Parameters
    ----------
    dataset : str
        Dataset name.
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    pathlib.Path
        ``data/processed/<dataset>/warnings_register.csv`` under ``root``.

    Examples
    --------
    >>> register_path("london", Path("/srv/pingan")).as_posix()
    '/srv/pingan/data/processed/london/warnings_register.csv'
    """
    return processed_dir(dataset, root) / "warnings_register.csv"


def _inputs(result: QuarterResult, flags, trends, quality) -> RuleInputs:
    """Bundle the scoring tables, warning if the index is not the sum of points."""
    points = result.indicator_scores.groupby(["quarter", "area_code"])["points"].sum()
    index = result.index.set_index(["quarter", "area_code"])["index"]
    gap = (points.reindex(index.index) - index).abs().max()
    if gap > 1e-6:
        warnings.warn(
            f"run_warnings: the index differs from the sum of indicator points by up "
            f"to {gap:.3g}; the indicator contributions explain only the sum.",
            DataQualityWarning,
            stacklevel=3,
        )
    return RuleInputs(
        index=result.index,
        level_scores=result.level_scores,
        values=result.values,
        indicator_scores=result.indicator_scores,
        catalogue=result.dataset.catalogue,
        flags=flags,
        trends=trends,
        quality=quality,
    )


def _quarters_to_check(register: pd.DataFrame, quarter: pd.Period, start) -> list:
    """Quarters after the register's last one up to ``quarter`` (or from ``start``)."""
    if register.empty:
        first = quarter if start is None else min(parse_quarter(start), quarter)
    else:
        last = max(register["quarter_checked"].map(parse_quarter))
        first = min(last + 1, quarter)
    return list(pd.period_range(first, quarter, freq="Q-DEC"))


def _track(
    inputs: RuleInputs,
    quarter: pd.Period,
    rules: dict,
    path: Path,
    start: str | None,
    rerun: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check every quarter the register still needs; return the checks and register."""
    register = read_register(path)
    for checked in _quarters_to_check(register, quarter, start):
        checks = evaluate_rules(inputs, checked, rules)
        register = update_register(register, checks, checked, rules, rerun)
    write_register(register, path)
    return checks, register


def _grade_departments(dataset: str, quarters: list[pd.Period]) -> pd.DataFrame:
    """Grade each department's data in ``quarters`` with ``pingan.quality``."""
    tables = []
    for quarter in quarters:
        graded = validate_quarter(dataset, quarter)
        tables.append(department_quality(graded.scores, graded.status))
    return pd.concat(tables, ignore_index=True)


def _link(found: pd.DataFrame, register: pd.DataFrame, label: str) -> pd.DataFrame:
    """Add the register's tracking id, first quarter and status to each warning."""
    rows = register.loc[
        register["quarter_checked"] == label,
        ["condition", "warning_id", "quarter_raised", "status"],
    ]
    rows = rows.rename(columns={"warning_id": "tracking_id"})
    return found.merge(rows, on="condition", how="left")


def run_warnings(
    dataset_name: str | Dataset,
    quarter: str | pd.Period,
    language: Literal["zh", "en"] = "zh",
    *,
    flags: pd.DataFrame | None = None,
    trends: pd.DataFrame | None = None,
    quality: pd.DataFrame | None = None,
    start: str | None = None,
    rerun: Literal["error", "replace"] = "error",
    letters: bool = True,
    detectors: Sequence[str] = (),
    grade_departments: bool = False,
    result: QuarterResult | None = None,
    root: Path | None = None,
) -> WarningsResult:
    """Decide a quarter's warnings, update the register and write the letters.

    Parameters
    ----------
    dataset_name : str or Dataset
        Dataset name or a loaded dataset.
    quarter : str or pandas.Period
        Reporting quarter, ``YYYYQn``.
    language : {"zh", "en"}, default="zh"
        Language of the letters.
    flags : pandas.DataFrame, optional
        Anomaly flags (quarter, area_code, indicator, method, is_anomaly);
        without them the anomaly rule gives no warnings.
    trends : pandas.DataFrame, optional
        Trend tests (area_code, indicator, p_value, slope); by default the
        trend rule tests the last ``trend.window`` quarters itself.
    quality : pandas.DataFrame, optional
        Department data quality (quarter, department, grade, late_days);
        without it the department rules give no warnings.
    start : str, optional
        First quarter to check when the register is still empty, so that a
        first run can build the history (default: ``quarter`` only).
    rerun : {"error", "replace"}, default="error"
        What to do if the register already contains different rows for the
        quarter (see :func:`pingan.alerts.register.update_register`).
    letters : bool, default=True
        Write the letters, and the watch list of the recipients without one
        next to them as ``watch_list.csv`` (``watch_list.en.csv`` in English).
    detectors : sequence of str, default=()
        Without a ``flags`` table, flag anomalies with these quarter-level
        detectors of ``pingan.detect`` (see
        :func:`pingan.alerts.rules.anomaly_flags`), e.g.
        ``("ears_c2", "shewhart")``.
    grade_departments : bool, default=False
        Without a ``quality`` table, grade the departments of every quarter
        checked with :func:`pingan.quality.validate_quarter` (about 4 s a
        quarter on xundian-example) and warn on red grades and late files.
        It reads the dataset from the default project root.
    result : QuarterResult, optional
        An earlier :func:`pingan.pipeline.run_quarter` of the dataset at
        ``quarter`` or later, to avoid scoring again.
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    WarningsResult

    Raises
    ------
    PinganError
        If the dataset or quarter is unknown, an option is invalid, or the
        register disagrees with an earlier run (``rerun="error"``).

    Notes
    -----
    The register is checked for every quarter after the last one it holds,
    up to ``quarter``, so skipping a quarter's run does not skip its
    statuses. Re-running the latest quarter with unchanged data leaves the
    register file byte for byte as it was. The rules come from
    :func:`pingan.alerts.rules.load_rules` for the dataset.

    Examples
    --------
    >>> import tempfile, shutil
    >>> from pingan.config import project_root
    >>> home = Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(project_root() / "data" / "raw" / "xundian-example",
    ...     home / "data" / "raw" / "xundian-example")
    >>> out = run_warnings("xundian-example", "2022Q4", letters=False, root=home)
    >>> out.warnings["status"].unique().tolist()
    ['open']
    >>> out.register_file.relative_to(home).as_posix()
    'data/processed/xundian-example/warnings_register.csv'
    """
    check_option("language", language, ["zh", "en"], "run_warnings")
    check_option("rerun", rerun, ["error", "replace"], "run_warnings")
    dataset = (
        dataset_name
        if isinstance(dataset_name, Dataset)
        else load_dataset(dataset_name, root)
    )
    q = check_quarter(dataset, quarter)
    label = quarter_label(q)
    if result is None or result.quarter < q:
        result = run_quarter(dataset, q, write=False, root=root)
    rules = load_rules(dataset.name, root=root)
    path = register_path(dataset.name, root)
    if detectors and flags is None:
        flags = anomaly_flags(result.values, detectors, q)
    if grade_departments and quality is None:
        checked = _quarters_to_check(read_register(path), q, start)
        quality = _grade_departments(dataset.name, checked)
    inputs = _inputs(result, flags, trends, quality)
    checks, register = _track(inputs, q, rules, path, start, rerun)
    found = _link(select_warnings(checks), register, label)
    to_letter, watch = split_letters(found, rules["letters"]["min_level"])
    written = pd.DataFrame()
    if letters:
        names = letter_names(
            dataset.areas, dataset.departments, dataset.catalogue, dataset.framework
        )
        folder = reports_dir(dataset.name, label, root) / "letters"
        # A dataset without region_name_<language> covers a county, so its
        # letters keep the county's wording and signature.
        region = dataset.meta.get(f"region_name_{language}") or None
        written = write_letters(
            to_letter, inputs, q, folder, language, names, region=region
        )
        write_table(watch, folder / localised_name("watch_list.csv", language))
    return WarningsResult(
        dataset=dataset.name,
        quarter=q,
        checks=checks,
        warnings=found,
        drivers=_drivers(result, q),
        county_drivers=county_contributions(
            result.values, q, 4, dataset.core_indicators
        ),
        register=register,
        summary=summarise_register(register),
        letters=written,
        register_file=path,
        watch_list=watch,
    )


def _drivers(result: QuarterResult, quarter: pd.Period) -> pd.DataFrame:
    """Index contributions on the previous quarter and on a year earlier."""
    parts = [
        index_contributions(result.indicator_scores, quarter, lag).assign(lag=lag)
        for lag in (1, 4)
    ]
    return pd.concat(parts, ignore_index=True)


def annual_review(
    dataset_name: str | Dataset,
    year: int,
    result: QuarterResult | None = None,
    root: Path | None = None,
) -> AnnualResult:
    """Build the year-end review of a dataset's year.

    Parameters
    ----------
    dataset_name : str or Dataset
        Dataset name or a loaded dataset.
    year : int
        Calendar year reviewed; the dataset needs data for that year.
    result : QuarterResult, optional
        An earlier :func:`pingan.pipeline.run_quarter` of the dataset at the
        year's last quarter or later, to avoid scoring again.
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    AnnualResult
        See :func:`pingan.alerts.annual.review_year`; the county totals cover
        the dataset's core indicators.

    Raises
    ------
    PinganError
        If the dataset has no quarter in ``year``.

    Notes
    -----
    The year's last quarter with data is scored (with all earlier quarters).
    When it is not the fourth, every area's annual index is withheld with a
    reason, as is every county total.

    Examples
    --------
    >>> review = annual_review("xundian-example", 2025)
    >>> review.county_totals.set_index("indicator")["change_pct"].round(2)[
    ...     ["SO04", "SO05"]].tolist()
    [-5.19, -11.95]
    """
    dataset = (
        dataset_name
        if isinstance(dataset_name, Dataset)
        else load_dataset(dataset_name, root)
    )
    in_year = [q for q in dataset.quarters if q.year == year]
    if not in_year:
        raise PinganError(
            f"annual_review: dataset {dataset.name!r} has no quarter in {year}; it "
            f"covers {dataset.quarters[0]} to {dataset.quarters[-1]}."
        )
    if result is None or result.quarter < max(in_year):
        result = run_quarter(dataset, max(in_year), write=False, root=root)
    return review_year(
        result.index,
        result.values,
        result.indicator_scores,
        result.county_totals,
        dataset.catalogue,
        year,
        dataset.core_indicators,
    )


def check_warning_parameters(
    dataset: str,
    quarter: str,
    language: str,
    detectors: Sequence[str] = (),
    root: Path | None = None,
) -> pd.Period:
    """Check the parameters of the warnings notebook and return the quarter.

    Parameters
    ----------
    dataset : str
        Dataset name.
    quarter : str
        Reporting quarter, ``YYYYQn``; the dataset must have it.
    language : str
        ``"zh"`` or ``"en"``.
    detectors : sequence of str, default=()
        Detector names; each must be in ``pingan.detect.DETECTORS``.
    root : pathlib.Path, optional
        Project root.

    Returns
    -------
    pandas.Period
        The quarter.

    Raises
    ------
    PinganError
        If the dataset is unknown, the quarter is absent or the language is
        not supported.

    Examples
    --------
    >>> check_warning_parameters("xundian-example", "2025Q4", "zh")
    Period('2025Q4', 'Q-DEC')
    """
    func = "check_warning_parameters"
    check_option("language", language, ["zh", "en"], func)
    for name in detectors:
        check_option("detectors", name, list(DETECTORS), func)
    return check_quarter(load_dataset(dataset, root), quarter)


def check_review_parameters(
    dataset: str, year: int, language: str, root: Path | None = None
) -> int:
    """Check the parameters of the annual-review notebook and return the year.

    Parameters
    ----------
    dataset : str
        Dataset name.
    year : int
        Calendar year; the dataset must have its fourth quarter.
    language : str
        ``"zh"`` or ``"en"``.
    root : pathlib.Path, optional
        Project root.

    Returns
    -------
    int
        The year.

    Raises
    ------
    PinganError
        If the dataset is unknown, lacks the year's fourth quarter, or the
        language is not supported.

    Examples
    --------
    >>> check_review_parameters("xundian-example", 2025, "en")
    2025
    """
    check_option("language", language, ["zh", "en"], "check_review_parameters")
    check_quarter(load_dataset(dataset, root), f"{int(year)}Q4")
    return int(year)
