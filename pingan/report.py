"""Run a report notebook with papermill and publish it as HTML with its tables.

Parameters are checked before papermill starts, so a bad value gets a clear
error and is never injected into a notebook. The executed notebook, a
self-contained HTML file (code hidden unless asked for), the result tables
(CSV and XLSX) and a run manifest go to ``reports/<dataset>/<quarter>/``.
"""

from __future__ import annotations

import json
import logging
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from pingan import __version__
from pingan.config import notebooks_dir, processed_dir, project_root, reports_dir
from pingan.datasets import dataset_names, load_dataset
from pingan.exceptions import PinganError
from pingan.i18n import check_language
from pingan.io import atomic_path, file_manifest, write_json, write_table
from pingan.periods import quarter_label

__all__ = [
    "QUARTERLY_NOTEBOOK",
    "ReportParameters",
    "check_parameters",
    "execute_notebook",
    "localised_name",
    "run_report",
    "latest_quarter",
]

log = logging.getLogger(__name__)

QUARTERLY_NOTEBOOK = "01-quarterly-report"
_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
)


@dataclass(frozen=True)
class ReportParameters:
    """Checked report parameters: dataset name, quarter label and language."""

    dataset: str
    quarter: str
    language: str = "zh"


def check_parameters(
    dataset: str, quarter: str, language: str = "zh", root: Path | None = None
) -> ReportParameters:
    """Check a report's parameters before anything runs.

    Parameters
    ----------
    dataset : str
        A known dataset name.
    quarter : str
        ``YYYYQn``; the dataset must have submissions for it.
    language : {'zh', 'en'}, default='zh'
        Report language.
    root : pathlib.Path, optional
        Project root.

    Returns
    -------
    ReportParameters
        With the quarter normalised to ``YYYYQn``.

    Raises
    ------
    PinganError
        Naming the bad parameter, the value and what is allowed.

    Examples
    --------
    >>> check_parameters("xundian-example", "2025q4", "en")
    ReportParameters(dataset='xundian-example', quarter='2025Q4', language='en')
    >>> check_parameters("nowhere", "2025Q4")
    Traceback (most recent call last):
    ...
    pingan.exceptions.PinganError: unknown dataset 'nowhere'...
    """
    from pingan.datasets import _unknown_dataset
    from pingan.pipeline import check_quarter

    if not isinstance(dataset, str) or dataset not in dataset_names(root):
        raise _unknown_dataset(dataset, root)
    check_language(language)
    q = check_quarter(load_dataset(dataset, root), quarter)
    return ReportParameters(dataset, quarter_label(q), language)


def latest_quarter(dataset: str, root: Path | None = None) -> str:
    """Return the dataset's last complete quarter (``last_quarter`` in its YAML).

    Examples
    --------
    >>> latest_quarter("xundian-example")
    '2025Q4'
    """
    ds = load_dataset(dataset, root)
    last = ds.meta.get("last_quarter")
    return str(last) if last else quarter_label(ds.quarters[-1])


def localised_name(name: str, language: str) -> str:
    """Name an output file of a report in ``language``.

    Chinese, the default language, keeps ``name``. Another language inserts
    ``.<language>`` before the extension, so that the Chinese and English
    outputs of a quarter sit side by side in one folder.

    Parameters
    ----------
    name : str
        File name or a path relative to the report folder, with or without
        an extension.
    language : {'zh', 'en'}
        Language of the file's content.

    Returns
    -------
    str
        The name to write, with ``/`` as the separator.

    Examples
    --------
    >>> localised_name("index.html", "zh"), localised_name("index.html", "en")
    ('index.html', 'index.en.html')
    >>> localised_name("tables/ranking.csv", "en")
    'tables/ranking.en.csv'
    >>> localised_name("01-quarterly-report", "en")
    '01-quarterly-report.en'
    """
    check_language(language)
    if language == "zh":
        return name
    path = PurePosixPath(name)
    return path.with_name(f"{path.stem}.{language}{path.suffix}").as_posix()


_REMOTE_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*"
)


def _to_html(notebook: Path, html: Path, show_code: bool, title: str) -> None:
    """Export an executed notebook to one HTML file that needs no network.

    nbconvert's template links require.js and MathJax from a CDN; the reports
    use neither, so those script tags are removed and the page opens offline.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    quiet = logging.getLogger("traitlets")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # figures carry no alt text; nbconvert warns
    try:
        body, _ = exporter.from_notebook_node(
            nbformat.read(notebook, as_version=4),
            resources={"metadata": {"name": title}},
        )
    finally:
        quiet.setLevel(level)
    body = _REMOTE_SCRIPT.sub("", body)
    with atomic_path(html) as tmp:
        tmp.write_text(body, encoding="utf-8")


def execute_notebook(
    name: str,
    parameters: dict,
    out_dir: Path,
    show_code: bool = False,
    progress: bool = True,
    root: Path | None = None,
    output_name: str | None = None,
) -> tuple[Path, Path]:
    """Execute ``notebooks/<name>.ipynb`` with papermill into ``out_dir``.

    Parameters
    ----------
    name : str
        Notebook file name without ``.ipynb``.
    parameters : dict
        Values injected after the cell tagged ``parameters``; they must
        already be checked.
    out_dir : pathlib.Path
        Folder of the executed ``.ipynb`` and its ``.html``.
    show_code : bool, default=False
        Keep the code cells in the HTML.
    progress : bool, default=True
        Show papermill's progress bar over the cells.
    root : pathlib.Path, optional
        Project root holding ``notebooks/``.
    output_name : str, optional
        Stem of the executed notebook and HTML files (default: ``name``).

    Returns
    -------
    tuple of pathlib.Path
        The executed notebook and the HTML file.

    Raises
    ------
    PinganError
        If a cell fails: the message names the notebook, the cell number,
        its first line and the error. The failed notebook is kept in
        ``out_dir`` for inspection.
    """
    import papermill as pm

    source = notebooks_dir(root) / f"{name}.ipynb"
    if not source.is_file():
        raise PinganError(f"notebook {source} not found.")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = output_name or name
    executed = out_dir / f"{stem}.ipynb"
    html = out_dir / f"{stem}.html"
    try:
        with atomic_path(executed) as tmp:
            pm.execute_notebook(
                str(source),
                str(tmp),
                parameters=parameters,
                progress_bar=progress,
                cwd=str(source.parent),
                kernel_name="python3",
                language="python",
            )
    except pm.PapermillExecutionError as err:
        first = (err.source or "").strip().splitlines()[:1]
        raise PinganError(
            f"notebook {name} failed in cell {err.exec_count} (the cell starting "
            f"{first[0] if first else 'empty'!r}): {err.ename}: {err.evalue}"
        ) from err
    title = f"pingan {name} {' '.join(str(v) for v in parameters.values())}"
    _to_html(executed, html, show_code, title)
    return executed, html


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "pingan": __version__}
    for package in _PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def _write_tables(result, out_dir: Path, language: str = "zh") -> list[Path]:
    """Write the report's result tables as CSV and XLSX, named for ``language``."""
    q = result.quarter
    tables = {
        "ranking": result.current,
        "index_history": result.index,
        "level_scores": result.level_scores.loc[result.level_scores["quarter"] == q],
        "indicator_scores": result.indicator_scores.loc[
            result.indicator_scores["quarter"] == q
        ],
        "county_totals": result.county_totals,
    }
    from pingan.pipeline import data_notes

    tables["data_notes"] = data_notes(result)
    written = []
    for name, table in tables.items():
        for suffix in (".csv", ".xlsx"):
            path = out_dir / localised_name(f"tables/{name}{suffix}", language)
            written.append(write_table(table.reset_index(drop=True), path))
    return written


def run_report(
    dataset: str,
    quarter: str,
    language: str = "zh",
    show_code: bool = False,
    progress: bool = True,
    root: Path | None = None,
) -> dict[str, Path]:
    """Produce the quarterly report of a dataset.

    Checks the parameters, scores the quarter (writing
    ``data/processed/<dataset>/<quarter>/``), executes
    ``notebooks/01-quarterly-report.ipynb`` and writes, under
    ``reports/<dataset>/<quarter>/``: the executed notebook and its HTML,
    the result tables in ``tables/`` as CSV and XLSX, and
    ``run_manifest.json`` (parameters, package versions, input file hashes).
    Every file is named by :func:`localised_name`, so an English report
    (``01-quarterly-report.en.html``, ``tables/ranking.en.csv``, ...) does
    not replace the Chinese one.

    Parameters
    ----------
    dataset, quarter, language
        See :func:`check_parameters`.
    show_code : bool, default=False
        Keep code cells in the HTML.
    progress : bool, default=True
        Show a progress bar while the notebook runs.
    root : pathlib.Path, optional
        Project root.

    Returns
    -------
    dict of str to pathlib.Path
        ``html``, ``notebook``, ``tables`` (folder) and ``manifest``.

    Raises
    ------
    PinganError
        For invalid parameters (before anything runs) or a failing cell.
    """
    from pingan.pipeline import run_quarter

    params = check_parameters(dataset, quarter, language, root)
    out_dir = reports_dir(params.dataset, params.quarter, root)
    log.info("scoring %s %s", params.dataset, params.quarter)
    result = run_quarter(params.dataset, params.quarter, root=root)
    log.info("running the notebook %s", QUARTERLY_NOTEBOOK)
    notebook, html = execute_notebook(
        QUARTERLY_NOTEBOOK,
        dict(params.__dict__),
        out_dir,
        show_code,
        progress,
        root,
        output_name=localised_name(QUARTERLY_NOTEBOOK, params.language),
    )
    tables = _write_tables(result, out_dir, params.language)
    manifest = processed_dir(params.dataset, root) / params.quarter / "manifest.json"
    inputs = json.loads(manifest.read_text(encoding="utf-8"))["inputs"]
    outputs = file_manifest(tables, root=out_dir)
    run = {
        "parameters": params.__dict__,
        "versions": _versions(),
        "inputs": inputs,
        "tables": outputs.to_dict(orient="records"),
        "notebook": notebook.relative_to(out_dir).as_posix(),
        "html": html.relative_to(out_dir).as_posix(),
        "project_root": str(root or project_root()),
    }
    manifest_name = localised_name("run_manifest.json", params.language)
    path = write_json(run, out_dir / manifest_name)
    return {
        "html": html,
        "notebook": notebook,
        "tables": out_dir / "tables",
        "manifest": path,
    }
