"""``pingan publish``: the whole quarter, from validation to every report notebook.

The steps run in this order. The parameters are checked, data quality is
assessed, the quarter is scored and the detectors run over every area and
indicator. The warnings are decided, which updates the register and writes
the letters. Then each report notebook is executed into
``reports/<dataset>/<quarter>/`` and ``index.html`` links them. A failing
step or notebook is recorded with its error and the others still run, so
one broken notebook never loses the rest of the quarter's reports.

Every file written to the report folder is named by
:func:`pingan.report.localised_name`: a Chinese publication keeps the plain
names and an English one inserts ``.en`` before the extension
(``index.en.html``, ``steps.en.csv``, ``tables/ranking.en.csv``). The
letters carry their language in both cases (``<recipient>.zh.html``). So a
quarter published in both languages keeps two complete sets, and
publishing one language again replaces only that language's files.
"""

from __future__ import annotations

import html
import logging
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from pingan.config import reports_dir
from pingan.datasets import load_dataset
from pingan.exceptions import PinganError
from pingan.io import write_table, write_text
from pingan.report import check_parameters, execute_notebook, localised_name

__all__ = ["notebook_plan", "publish", "register_start", "STEP_COLUMNS"]

log = logging.getLogger(__name__)

STEP_COLUMNS = ["step", "kind", "status", "seconds", "output", "error"]


def notebook_plan(dataset: str, quarter: str, language: str) -> list[tuple[str, dict]]:
    """Return the notebooks a quarter publishes, each with its parameters.

    Every notebook gets ``language``. The annual review runs only for a
    fourth quarter. The trend-methods notebook uses the dataset's core
    indicators and a small simulation.

    Examples
    --------
    >>> [name for name, _ in notebook_plan("xundian-example", "2025Q4", "zh")]
    ['01-quarterly-report', '02-weights-exploration', '03-trend-methods', \
'04-data-quality', '05-warnings', '06-annual-review']
    >>> len(notebook_plan("xundian-example", "2025Q3", "zh"))
    5
    """
    ds = load_dataset(dataset)
    year, q = int(quarter[:4]), int(quarter[-1])
    start = register_start(ds.quarters, quarter)
    plan = [
        (
            "01-quarterly-report",
            {"dataset": dataset, "quarter": quarter, "language": language},
        ),
        (
            "02-weights-exploration",
            {
                "dataset": dataset,
                "quarter": quarter,
                "language": language,
                "n_draws": 1000,
                "sobol_n": 64,
            },
        ),
        (
            "03-trend-methods",
            {
                "dataset": dataset,
                "indicators": ds.core_indicators,
                "n_sim": 50,
                "last_quarters": 16,
                "language": language,
            },
        ),
        (
            "04-data-quality",
            {"dataset": dataset, "quarter": quarter, "language": language},
        ),
        (
            "05-warnings",
            {
                "dataset": dataset,
                "quarter": quarter,
                "language": language,
                "start": start,
            },
        ),
    ]
    if q == 4:
        plan.append(
            (
                "06-annual-review",
                {"dataset": dataset, "year": year, "language": language},
            )
        )
    return plan


def register_start(quarters: list[pd.Period], quarter: str, years: int = 2) -> str:
    """Return the first quarter the warnings register is built from.

    A first publication checks the ``years`` years up to ``quarter`` (or from
    the dataset's first quarter), so that statuses such as closed and
    escalated have a history to be decided from.

    Examples
    --------
    >>> qs = list(pd.period_range("2022Q1", "2025Q4", freq="Q"))
    >>> register_start(qs, "2025Q4"), register_start(qs, "2022Q3")
    ('2024Q1', '2022Q1')
    """
    first = pd.Period(quarter, freq="Q-DEC") - (4 * years - 1)
    earliest = min(quarters) if quarters else first
    return str(max(first, earliest))


def _name(state: dict, name: str) -> str:
    """Name an output of the publication in its language."""
    return localised_name(name, state["language"])


def _timed(step: str, kind: str, func: Callable[[], str | None]) -> dict:
    """Run one step; return its row of the step table, never raising."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = func()
        status, error = "done", None
    except Exception as err:  # a failed step is reported; the others go on
        log.error("step %s failed: %s", step, err)
        output, status, error = None, "failed", f"{type(err).__name__}: {err}"
    return {
        "step": step,
        "kind": kind,
        "status": status,
        "seconds": round(time.perf_counter() - start, 1),
        "output": output,
        "error": error,
    }


def _quality_step(state: dict, out: Path) -> str:
    from pingan.quality import validate_quarter

    result = validate_quarter(state["dataset"], state["quarter"])
    state["quality"] = result
    for name in ("findings", "status", "scores", "actions"):
        path = out / _name(state, f"tables/quality_{name}.csv")
        write_table(getattr(result, name), path)
    return f"{len(result.findings)} finding(s); {_name(state, 'tables/quality_*.csv')}"


def _score_step(state: dict, out: Path) -> str:
    from pingan.pipeline import run_quarter
    from pingan.report import _write_tables

    state["result"] = run_quarter(state["dataset"], state["quarter"])
    _write_tables(state["result"], out, state["language"])
    current = state["result"].current
    return f"{len(current)} areas scored; mean index {current['index'].mean():.1f}"


def _detect_step(state: dict, out: Path) -> str:
    from pingan.detect import detect_all

    values = state["result"].values
    first = state["result"].quarter - 15
    panel = values.loc[
        values["quarter"] >= first, ["area_code", "indicator", "quarter", "value"]
    ]
    found = detect_all(
        panel,
        ["mann_kendall", "sens_slope", "ears_c2", "farrington"],
        by=["area_code", "indicator"],
    )
    state["flags"] = found.quarters
    write_table(found.series, out / _name(state, "tables/detection_series.csv"))
    write_table(found.quarters, out / _name(state, "tables/detection_flags.csv"))
    current = found.quarters["quarter"] == state["result"].quarter
    flagged = found.quarters.loc[current, "is_anomaly"].fillna(False).astype(bool)
    tables = _name(state, "tables/detection_*.csv")
    return f"{int(flagged.sum())} flag(s) in the quarter; {tables}"


def _warnings_step(state: dict, out: Path) -> str:
    from pingan.alerts import run_warnings
    from pingan.alerts.register import read_register
    from pingan.alerts.rules import department_quality
    from pingan.alerts.run import register_path

    register = read_register(register_path(state["dataset"]))
    if len(register):
        checked = register["quarter_checked"].astype(str)
        latest = max(pd.PeriodIndex(checked, freq="Q"))
        if latest > pd.Period(state["quarter"], freq="Q"):
            state["register_ahead"] = True
            raise PinganError(
                f"the warnings register already runs to {latest}, after "
                f"{state['quarter']}; it is append-only, so an earlier quarter is "
                "not decided again. Publish quarters in order, or delete "
                f"{register_path(state['dataset'])} to rebuild it from the start."
            )
    quality = state.get("quality")
    table = None
    if quality is not None:
        table = department_quality(quality.scores, quality.status)
    flags = state.get("flags")
    if flags is not None:
        columns = ["quarter", "area_code", "indicator", "method", "is_anomaly"]
        flags = flags[[*columns, "p_value"]]
    start = register_start(load_dataset(state["dataset"]).quarters, state["quarter"])
    found = run_warnings(
        state["dataset"],
        state["quarter"],
        state["language"],
        flags=flags,
        quality=table,
        start=start,
        result=state.get("result"),
    )
    write_table(found.warnings, out / _name(state, "tables/warnings.csv"))
    recipients = found.warnings["recipient_id"].nunique() if len(found.warnings) else 0
    return (
        f"{len(found.warnings)} warning(s) to {recipients} recipient(s); "
        "letters in letters/ (HTML and Word)"
    )


def _index_html(
    steps: pd.DataFrame, title: str, banner: str, out: Path, language: str = "zh"
) -> Path:
    """Write the index page linking the notebooks' HTML and listing every step.

    The page is ``index.html``, or ``index.en.html`` in English, and links
    only the notebooks of its own language.
    """
    rows = []
    for r in steps.itertuples():
        target = r.output if isinstance(r.output, str) else ""
        error = r.error if isinstance(r.error, str) else ""
        link = (
            f'<a href="{html.escape(target)}">{html.escape(r.step)}</a>'
            if r.kind == "notebook" and r.status == "done"
            else html.escape(r.step)
        )
        detail = html.escape(error or (target if r.kind != "notebook" else ""))
        colour = "#1e8449" if r.status == "done" else "#c0392b"
        rows.append(
            f"<tr><td>{link}</td><td>{r.kind}</td>"
            f'<td style="color:{colour}">{r.status}</td>'
            f"<td>{r.seconds}</td><td>{detail}</td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:4px 10px;
border-bottom:1px solid #ddd;text-align:left}}</style></head><body>
<h1>{html.escape(title)}</h1>
{f"<p><strong>{html.escape(banner)}</strong></p>" if banner else ""}
<table><tr><th>step</th><th>kind</th><th>status</th><th>seconds</th><th>output</th></tr>
{"".join(rows)}
</table>
<p><a href="letters/">letters/</a> · <a href="tables/">tables/</a></p>
</body></html>
"""
    return write_text(page, out / localised_name("index.html", language))


def publish(
    dataset: str,
    quarter: str,
    language: str = "zh",
    progress: bool = True,
    notebooks: list[str] | None = None,
) -> pd.DataFrame:
    """Publish a quarter: validation, scoring, detection, warnings and notebooks.

    Parameters
    ----------
    dataset : str
        Dataset name.
    quarter : str
        Reporting quarter, ``YYYYQn``.
    language : {'zh', 'en'}, default='zh'
        Language of the report, the letters and the annual review.
    progress : bool, default=True
        Show a progress bar over the steps (on standard error).
    notebooks : list of str, optional
        Names of the notebooks to run (default: all of
        :func:`notebook_plan`).

    Returns
    -------
    pandas.DataFrame
        One row per step, columns :data:`STEP_COLUMNS`: ``step``, ``kind``
        (``'data'`` or ``'notebook'``), ``status`` (``'done'``, ``'failed'``
        or ``'skipped'``), ``seconds``, ``output`` (a summary, or the HTML file
        relative to the report folder) and ``error`` (the failure, if any).
        The same table is written to ``steps.csv`` beside ``index.html``
        (``steps.en.csv`` and ``index.en.html`` in English; see
        :func:`pingan.report.localised_name`).

    Raises
    ------
    PinganError
        If a parameter is invalid; nothing runs then. Failures of later
        steps are reported in the table, not raised.
    """
    params = check_parameters(dataset, quarter, language)
    out = reports_dir(params.dataset, params.quarter)
    state = {
        "dataset": params.dataset,
        "quarter": params.quarter,
        "language": params.language,
    }
    data_steps = [
        ("quality", _quality_step),
        ("score", _score_step),
        ("detect", _detect_step),
        ("warnings", _warnings_step),
    ]
    plan = notebook_plan(params.dataset, params.quarter, params.language)
    if notebooks is not None:
        plan = [(name, p) for name, p in plan if name in notebooks]
    bar = tqdm(
        total=len(data_steps) + len(plan),
        disable=not progress,
        desc="publish",
        unit="step",
    )
    rows = []
    for name, func in data_steps:
        bar.set_postfix_str(name)
        rows.append(_timed(name, "data", lambda f=func: f(state, out)))
        bar.update()
    for name, nb_params in plan:
        bar.set_postfix_str(name)
        if name == "05-warnings" and state.get("register_ahead"):
            rows.append(
                {
                    "step": name,
                    "kind": "notebook",
                    "status": "skipped",
                    "seconds": 0.0,
                    "output": None,
                    "error": "not run: the warnings register is ahead of "
                    "this quarter (see the warnings step).",
                }
            )
            bar.update()
            continue
        rows.append(
            _timed(
                name,
                "notebook",
                lambda n=name, p=nb_params: _notebook(n, p, out, params.language),
            )
        )
        bar.update()
    bar.close()
    steps = pd.DataFrame(rows, columns=STEP_COLUMNS)
    write_table(steps, out / localised_name("steps.csv", params.language))
    ds = load_dataset(params.dataset)
    banner = ds.meta.get("title_zh", "") if ds.kind == "synthetic" else ""
    if banner:
        banner = f"合成示例数据 / SYNTHETIC example data: {ds.title('en')}"
    title = f"pingan · {ds.title(params.language)} · {params.quarter}"
    _index_html(steps, title, banner, out, params.language)
    return steps


def _notebook(name: str, params: dict, out: Path, language: str) -> str:
    stem = localised_name(name, language)
    _, page = execute_notebook(name, params, out, progress=False, output_name=stem)
    return page.relative_to(out).as_posix()
