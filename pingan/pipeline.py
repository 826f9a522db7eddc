"""Run the quarterly index end to end: read, compute values, score, compare, write.

:func:`run_quarter` is what the report notebook, the command line and the
later stages (quality, detection, warnings) call. It reads every quarter of a
dataset up to the reporting quarter, because scores need history (goalposts,
own-history benchmarks) and comparisons need the previous quarter and year.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pingan import __version__
from pingan.config import processed_dir
from pingan.datasets import Dataset, load_dataset
from pingan.exceptions import DataQualityWarning, PinganError
from pingan.ingest import ReadResult
from pingan.io import file_manifest, write_json, write_table
from pingan.periods import parse_quarter, quarter_label
from pingan.scoring import (
    aggregate_levels,
    carry_forward,
    county_totals,
    index_table,
    indicator_values,
    score_indicators,
)

__all__ = ["QuarterResult", "run_quarter", "check_quarter", "data_notes"]


@dataclass
class QuarterResult:
    """The scored quarter and everything it was computed from.

    Attributes
    ----------
    dataset : Dataset
        The dataset.
    quarter : pandas.Period
        The reporting quarter.
    read : ReadResult
        Submissions of every quarter up to ``quarter``, with rejected rows,
        rejected files and notes.
    values : pandas.DataFrame
        See :func:`pingan.scoring.indicator_values`, after missing values
        were carried forward (``status`` shows which).
    indicator_scores, level_scores, index, county_totals : pandas.DataFrame
        See :func:`pingan.scoring.score_indicators`,
        :func:`pingan.scoring.aggregate_levels`,
        :func:`pingan.scoring.index_table` and
        :func:`pingan.scoring.county_totals`.
    parameters : pandas.DataFrame
        The parameters each scoring method used (goalposts and so on).
    quality_actions : pandas.DataFrame
        Values the data-quality rules excluded or imputed before scoring
        (see :func:`pingan.quality.actions.apply_actions`); empty when the
        rules were not applied.
    """

    dataset: Dataset
    quarter: pd.Period
    read: ReadResult
    values: pd.DataFrame
    indicator_scores: pd.DataFrame
    level_scores: pd.DataFrame
    index: pd.DataFrame
    county_totals: pd.DataFrame
    parameters: pd.DataFrame
    quality_actions: pd.DataFrame

    @property
    def rejected(self) -> pd.DataFrame:
        """Rejected rows of every quarter read."""
        return self.read.rejected

    @property
    def notes(self) -> pd.DataFrame:
        """Remarks on accepted rows (aliases and the like)."""
        return self.read.notes

    @property
    def current(self) -> pd.DataFrame:
        """The index table of the reporting quarter only."""
        return self.index.loc[self.index["quarter"] == self.quarter].reset_index(
            drop=True
        )


def check_quarter(dataset: Dataset, quarter: str | pd.Period) -> pd.Period:
    """Parse ``quarter`` and check that the dataset has data for it.

    Raises
    ------
    PinganError
        If the quarter is not written ``YYYYQn`` or has no submissions; the
        message gives the dataset's first and last quarter.

    Examples
    --------
    >>> check_quarter(load_dataset("xundian-example"), "2025Q4")
    Period('2025Q4', 'Q-DEC')
    """
    q = parse_quarter(quarter)
    available = dataset.quarters
    if q not in available:
        raise PinganError(
            f"dataset {dataset.name!r} has no submissions for {quarter_label(q)} "
            f"(no folder {quarter_label(q)}/ with a .csv or .xlsx file); it has "
            f"{_spans(available)}. Choose one of those quarters."
        )
    return q


def _spans(quarters: list[pd.Period]) -> str:
    """Describe sorted quarters as runs, e.g. ``2022Q1 to 2024Q1, 2024Q3``."""
    if not quarters:
        return "no quarters"
    runs, start, prev = [], quarters[0], quarters[0]
    for q in quarters[1:]:
        if q != prev + 1:
            runs.append((start, prev))
            start = q
        prev = q
    runs.append((start, prev))
    return ", ".join(f"{a}" if a == b else f"{a} to {b}" for a, b in runs)


def run_quarter(
    dataset: str | Dataset,
    quarter: str | pd.Period,
    *,
    carry_quarters: int = 4,
    grades: dict[str, float] | None = None,
    quality_actions: bool = True,
    write: bool = True,
    root: Path | None = None,
) -> QuarterResult:
    """Score a dataset's quarter, with the history it needs, and write the tables.

    Parameters
    ----------
    dataset : str or Dataset
        Dataset name (see :func:`pingan.datasets.list_datasets`) or a loaded
        dataset.
    quarter : str or pandas.Period
        Reporting quarter, ``YYYYQn``.
    carry_quarters : int, default=4
        How far back a missing value may be carried forward (quarters).
    grades : dict, optional
        Grade thresholds (default green >= 90, yellow >= 80, orange >= 70).
    quality_actions : bool, default=True
        Apply the data-quality rules whose action is ``exclude`` or
        ``impute`` (by default: a value off by a factor near 10, 100 or
        10,000 is replaced by its series' recent median) to every quarter
        before scoring. Each affected value is listed in
        ``QuarterResult.quality_actions`` and in the data notes.
    write : bool, default=True
        Write the tables to ``data/processed/<dataset>/<quarter>/``.
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    QuarterResult

    Raises
    ------
    PinganError
        If the dataset is unknown or has no data for the quarter.

    Examples
    --------
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> len(res.current), int(res.current["rank"].min())
    (16, 1)
    """
    ds = dataset if isinstance(dataset, Dataset) else load_dataset(dataset, root)
    q = check_quarter(ds, quarter)
    # Goalposts come from the reference period even when it lies after the
    # reporting quarter, so a quarter's score does not depend on when it is run.
    reference = ds.reference_period
    quarters = [
        p
        for p in ds.quarters
        if p <= q or (reference is not None and reference[0] <= p <= reference[1])
    ]
    read = ds.read_quarters(quarters)
    submitted, actions = read.data, _no_actions()
    if quality_actions:
        submitted, actions = _apply_quality(read.data, ds, quarters)
    codes = ds.areas["area_code"].tolist()
    full_range = list(pd.period_range(quarters[0], quarters[-1], freq="Q-DEC"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        values = indicator_values(
            submitted, ds.catalogue, codes, full_range, ds.population
        )
        empty = sorted(set(full_range) - set(read.data["quarter"]))
        values = values.loc[~values["quarter"].isin(empty)].reset_index(drop=True)
        values = carry_forward(values, carry_quarters)
    scores, parameters = score_indicators(values, ds.catalogue, ds.reference_period)
    values = values.loc[values["quarter"] <= q].reset_index(drop=True)
    scores = scores.loc[scores["quarter"] <= q].reset_index(drop=True)
    if len(actions):
        actions = actions.loc[actions["quarter"] <= q].reset_index(drop=True)
    levels = aggregate_levels(scores, ds.catalogue)
    result = QuarterResult(
        dataset=ds,
        quarter=q,
        read=read,
        values=values,
        indicator_scores=scores,
        level_scores=levels,
        index=index_table(levels, grades),
        county_totals=county_totals(values),
        parameters=parameters,
        quality_actions=actions,
    )
    if write:
        write_quarter(result, processed_dir(ds.name, root) / quarter_label(q))
    return result


def _no_actions() -> pd.DataFrame:
    from pingan.quality.actions import ACTION_COLUMNS

    return pd.DataFrame(columns=ACTION_COLUMNS)


def _apply_quality(
    data: pd.DataFrame, ds: Dataset, quarters: list[pd.Period]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the value checks whose action changes data, over every quarter."""
    from pingan.quality import checks
    from pingan.quality._findings import concat_findings
    from pingan.quality.actions import apply_actions, rule_actions
    from pingan.quality.rules import load_quality_rules

    rules = load_quality_rules(dataset_root=ds.root)
    series_checks = {
        "unit_error": checks.check_unit_errors,
        "implausible_change": checks.check_implausible_changes,
        "repeated_value": checks.check_repeated_values,
        "drop_to_zero": checks.check_drops_to_zero,
    }
    params = rules.get("checks") or {}
    found = [
        check(data, quarters=quarters, **(params.get(rule) or {}))
        for rule, check in series_checks.items()
        if rule_actions(rules).get(rule) in ("exclude", "impute")
    ]
    findings = concat_findings(found)
    if findings.empty:
        return data, _no_actions()
    result = apply_actions(data, findings, rules)
    cleaned = result.data.loc[:, list(data.columns)]
    return cleaned.reset_index(drop=True), result.actions


def data_notes(result: QuarterResult) -> pd.DataFrame:
    """Count what was rejected, missing, carried forward or estimated.

    Returns
    -------
    pandas.DataFrame
        One row per kind of note for the reporting quarter: ``topic``
        (``'rejected row'``, ``'rejected file'``, ``'value'``, ``'remark'``,
        ``'population'``), ``rule`` (the rule or status), ``count`` (int) and
        ``detail`` (an example).

    Examples
    --------
    >>> notes = data_notes(run_quarter("xundian-example", "2024Q4", write=False))
    >>> int(notes.loc[notes["rule"] == "duplicate_identical", "count"].iloc[0])
    1
    """
    q = result.quarter
    rows = []
    for topic, table, column in (
        ("rejected row", result.read.rejected, "rule"),
        ("rejected file", result.read.problems, "rule"),
        ("remark", result.read.notes, "rule"),
    ):
        part = table.loc[table["quarter"] == q]
        for rule, group in part.groupby(column, sort=True):
            rows.append(
                {
                    "topic": topic,
                    "rule": rule,
                    "count": len(group),
                    "detail": str(group["reason"].iloc[0]),
                }
            )
    current = result.values.loc[result.values["quarter"] == q]
    for status, group in current.groupby("status", sort=True):
        if status != "reported":
            first = group.iloc[0]
            rows.append(
                {
                    "topic": "value",
                    "rule": status,
                    "count": len(group),
                    "detail": f"{first['area_code']} {first['indicator']}: "
                    f"{first['note'] if isinstance(first['note'], str) else status}",
                }
            )
    rows += _population_notes(result)
    acted = result.quality_actions
    acted = acted.loc[acted["quarter"] == q] if len(acted) else acted
    for (rule, action), group in acted.groupby(["rule", "action"], sort=True):
        first = group.iloc[0]
        rows.append(
            {
                "topic": "data quality",
                "rule": f"{rule}: {action}",
                "count": len(group),
                "detail": f"{first['area_code']} {first['indicator']} "
                f"{first['old_value']:g} -> {first['new_value']:g}; "
                f"{first['reason']}",
            }
        )
    scored = set(result.values["quarter"])
    history = pd.period_range(min(scored), result.quarter, freq="Q-DEC")
    gaps = [quarter_label(p) for p in history if p not in scored]
    if gaps:
        rows.append(
            {
                "topic": "quarter",
                "rule": "no_submissions",
                "count": len(gaps),
                "detail": f"{', '.join(gaps)}: no accepted submissions, so not "
                "scored; changes against these quarters are missing.",
            }
        )
    return pd.DataFrame(rows, columns=["topic", "rule", "count", "detail"])


def _population_notes(result: QuarterResult) -> list[dict]:
    pop = result.dataset.population
    if pop.empty:
        return []
    rows = []
    q = result.quarter
    if q.year not in set(pop["year"]):
        nearest = int(pop["year"].iloc[(pop["year"] - q.year).abs().argmin()])
        rows.append(
            {
                "topic": "population",
                "rule": "nearest_year",
                "count": int(pop["area_code"].nunique()),
                "detail": f"no population for {q.year}; {nearest} used.",
            }
        )
    n_est = int(pop.loc[pop["year"] == q.year, "estimate"].sum())
    if n_est:
        rows.append(
            {
                "topic": "population",
                "rule": "estimate",
                "count": n_est,
                "detail": f"{n_est} area populations for {q.year} are estimates.",
            }
        )
    return rows


def _input_files(ds: Dataset, quarters: list[pd.Period]) -> list[Path]:
    meta = [
        ds.root / n
        for n in (
            "dataset.yaml",
            "catalogue.csv",
            "framework.csv",
            "areas.csv",
            "population.csv",
            "departments.csv",
        )
    ]
    files = [p for p in meta if p.is_file()]
    for q in quarters:
        files += sorted(p for p in ds.quarter_folder(q).glob("*") if p.is_file())
    return files


def write_quarter(result: QuarterResult, folder: Path) -> list[Path]:
    """Write a quarter's tables atomically as CSV, with a manifest of the inputs.

    Parameters
    ----------
    result : QuarterResult
        From :func:`run_quarter`.
    folder : pathlib.Path
        Destination, normally ``data/processed/<dataset>/<quarter>/``.

    Returns
    -------
    list of pathlib.Path
        The files written: ``submissions.csv``, ``rejected_rows.csv``,
        ``rejected_files.csv``, ``notes.csv``, ``values.csv``,
        ``indicator_scores.csv``, ``level_scores.csv``, ``index.csv``,
        ``county_totals.csv``, ``scoring_parameters.csv``,
        ``data_notes.csv`` and ``manifest.json`` (pingan version, dataset,
        quarter and the SHA-256 of every input file).
    """
    tables = {
        "submissions": result.read.data,
        "rejected_rows": result.read.rejected,
        "rejected_files": result.read.problems,
        "notes": result.read.notes,
        "values": result.values,
        "indicator_scores": result.indicator_scores,
        "level_scores": result.level_scores,
        "index": result.index,
        "county_totals": result.county_totals,
        "scoring_parameters": result.parameters,
        "quality_actions": result.quality_actions,
        "data_notes": data_notes(result),
    }
    written = [write_table(t, folder / f"{name}.csv") for name, t in tables.items()]
    quarters = sorted(set(result.values["quarter"]))
    inputs = file_manifest(
        _input_files(result.dataset, quarters), root=result.dataset.root
    )
    manifest = {
        "pingan_version": __version__,
        "dataset": result.dataset.name,
        "quarter": quarter_label(result.quarter),
        "inputs": inputs.to_dict(orient="records"),
        "outputs": sorted(p.name for p in written),
    }
    written.append(write_json(manifest, folder / "manifest.json"))
    return written
