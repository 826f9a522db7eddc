"""The data-quality notebook runs end to end under papermill, in zh and en."""

import nbformat
import papermill as pm
import pytest

from pingan.config import notebooks_dir
from pingan.i18n import label


@pytest.fixture(scope="module")
def runs(tmp_path_factory, notebook_text):
    found = {}
    for language in ("en", "zh"):
        output = tmp_path_factory.mktemp(language) / "04-data-quality.ipynb"
        pm.execute_notebook(
            str(notebooks_dir() / "04-data-quality.ipynb"),
            str(output),
            parameters={
                "dataset": "xundian-example",
                "quarter": "2025Q3",
                "language": language,
            },
            kernel_name="python3",
            progress_bar=False,
        )
        found[language] = notebook_text(nbformat.read(output, as_version=4))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_data_quality_notebook_runs(runs, language):
    text = runs[language].all
    assert "late_submission" in text
    assert "not applied: no power" in text
    assert "Traceback" not in text
    assert "missing from font" not in text


@pytest.mark.slow
def test_english_notebook_has_no_chinese(runs):
    assert runs["en"].cjk_lines() == []
    assert "County people's court" in runs["en"].all
    assert runs["en"].figure_titles() == [
        "Data-quality score of each department",
        "Submission status",
    ]


@pytest.mark.slow
def test_chinese_notebook_headings(runs, text_heading):
    headings = runs["zh"].headings()
    for key in ("quality_title", "quality_scores", "quality_submissions"):
        assert text_heading(key, "zh") in headings
    assert runs["zh"].figure_titles() == [
        label("fig_scorecards", "zh"),
        label("fig_submissions", "zh"),
    ]
    assert "迟报" in runs["zh"].all  # the late court file, labelled


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_quality_tables_read_like_a_report(runs, language):
    assert runs[language].html_tables()
    assert runs[language].raw_cells() == []
