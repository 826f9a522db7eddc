"""The trend-methods notebook runs end to end with papermill on small parameters."""

from pathlib import Path

import nbformat
import papermill
import pytest

from pingan.detect import check_study_parameters
from pingan.exceptions import PinganError
from pingan.i18n import label

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03-trend-methods.ipynb"


def test_notebook_parameters_cell_holds_literals():
    cell = nbformat.read(NOTEBOOK, as_version=4).cells[0]
    assert cell.metadata["tags"] == ["parameters"]
    for line in cell.source.splitlines():
        assert ": " in line.split("=")[0]
        assert "#" in line


def _execute(language, out_dir, notebook_text):
    out = out_dir / "03-trend-methods.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={
            "n_sim": 5,
            "effects": [0.0, 1.0],
            "methods": ["mann_kendall", "ears_c1", "cusum"],
            "last_quarters": 8,
            "language": language,
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(out_dir),
    )
    return notebook_text(nbformat.read(out, as_version=4))


@pytest.fixture(scope="module")
def runs(tmp_path_factory, notebook_text):
    return {
        language: _execute(language, tmp_path_factory.mktemp(language), notebook_text)
        for language in ("en", "zh")
    }


@pytest.mark.parametrize("language", ["en", "zh"])
def test_notebook_executes_on_small_parameters(runs, language):
    executed = runs[language].notebook
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == []
    assert len(runs[language].figures) == 3


@pytest.mark.parametrize("language", ["en", "zh"])
def test_figures_titled_in_language(runs, language):
    titles = [label(k, language) for k in ("fig_power", "fig_delay", "fig_alarms")]
    assert runs[language].figure_titles() == titles
    assert label("fig_power_y", language) in runs[language].figures[0]


def test_english_notebook_has_no_chinese(runs):
    assert runs["en"].cjk_lines() == []
    # Tables name the Garda divisions beside their codes.
    assert ">Area</th>" in runs["en"].all


@pytest.mark.parametrize("language", ["en", "zh"])
def test_tables_read_like_a_report(runs, language):
    assert runs[language].html_tables()
    assert runs[language].raw_cells() == []


def test_chinese_notebook_headings(runs, text_heading):
    headings = runs["zh"].headings()
    for key in ("detect_title", "detect_power", "detect_real", "detect_changes"):
        assert text_heading(key, "zh") in headings
    assert "检测方法" in runs["zh"].all
    assert "missing from font" not in runs["zh"].all


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_sim": 1}, "n_sim must be an integer >= 2"),
        ({"effects": [0.5]}, "effects must be non-negative and include 0"),
        ({"change": "jump"}, "change must be one of 'step', 'trend', 'outbreak'"),
        ({"methods": ["arima"]}, "methods must be one of 'mann_kendall'"),
    ],
)
def test_study_parameters_rejected(kwargs, message):
    args = {
        "n_sim": 10,
        "effects": [0, 1],
        "n_quarters": 16,
        "change": "step",
        "methods": ["mann_kendall"],
    } | kwargs
    with pytest.raises(PinganError, match=message):
        check_study_parameters(**args)
