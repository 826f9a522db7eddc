import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from pingan.alerts.register import read_register
from pingan.config import project_root
from pingan.datasets import load_dataset
from pingan.i18n import label

DATASET = "xundian-example"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("home")
    shutil.copytree(
        project_root() / "data" / "raw" / DATASET, root / "data" / "raw" / DATASET
    )
    return root


def execute(name: str, home, monkeypatch, **parameters) -> nbformat.NotebookNode:
    # The kernel inherits PINGAN_HOME, so every file it writes lands in ``home``.
    monkeypatch.setenv("PINGAN_HOME", str(home))
    output = home / name
    papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(home),
    )
    return nbformat.read(output, as_version=4)


def tagged_text(notebook: nbformat.NotebookNode, tag: str) -> str:
    cell = next(c for c in notebook.cells if tag in c.metadata.get("tags", []))
    return "\n".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def tagged_html(notebook: nbformat.NotebookNode, tag: str) -> str:
    cell = next(c for c in notebook.cells if tag in c.metadata.get("tags", []))
    return "\n".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


@pytest.fixture(scope="module")
def reviews(home):
    with pytest.MonkeyPatch.context() as monkeypatch:
        return {
            language: execute(
                "06-annual-review.ipynb",
                home,
                monkeypatch,
                dataset=DATASET,
                year=2025,
                language=language,
            )
            for language in ("en", "zh")
        }


@pytest.fixture(scope="module")
def warning_runs(home):
    """Run the warnings notebook in Chinese, then again in English.

    Returns the two notebooks and the register's bytes after the first run.
    """
    register = home / "data" / "processed" / DATASET / "warnings_register.csv"
    with pytest.MonkeyPatch.context() as monkeypatch:
        parameters = {"dataset": DATASET, "quarter": "2025Q4", "start": "2025Q2"}
        zh = execute(
            "05-warnings.ipynb", home, monkeypatch, **parameters, language="zh"
        )
        before = register.read_bytes()
        en = execute(
            "05-warnings.ipynb", home, monkeypatch, **parameters, language="en"
        )
    return {"zh": zh, "en": en, "register": register, "before": before}


@pytest.mark.slow
def test_annual_review_notebook_xundian(reviews):
    notebook = reviews["en"]
    totals = tagged_text(notebook, "county-totals")
    assert "-5.19" in totals
    assert "-11.95" in totals
    targets = tagged_text(notebook, "key-targets")
    for indicator in ["SO02", "SO03", "DI01"]:
        assert indicator in targets
    for indicator in ["SO04", "SO05"]:
        assert indicator not in targets
    assert "Petitions per 10,000 residents" in targets


@pytest.mark.slow
def test_annual_review_english_has_no_chinese(reviews, notebook_text):
    text = notebook_text(reviews["en"])
    assert text.cjk_lines() == []
    assert "Qixing Town" in tagged_text(reviews["en"], "key-targets")
    assert text.figure_titles() == ["Annual index change, 2025 on 2024"]


@pytest.mark.slow
def test_annual_review_chinese_headings(reviews, notebook_text, text_heading):
    text = notebook_text(reviews["zh"])
    for key in ("review_title", "review_index", "review_totals", "review_targets"):
        assert text_heading(key, "zh") in text.headings()
    assert text.figure_titles() == [
        label("fig_annual_change", "zh", year=2025, previous=2024)
    ]
    assert "七星镇" in tagged_text(reviews["zh"], "key-targets")
    assert "missing from font" not in text.all


@pytest.mark.slow
def test_warnings_notebook_xundian(home, warning_runs):
    counts = tagged_text(warning_runs["zh"], "warning-counts")
    for rule in ["domain_drop", "anomaly"]:
        assert rule in counts
    assert "all" in tagged_text(warning_runs["zh"], "register-summary")
    statistics = tagged_text(warning_runs["en"], "yoy-statistics")
    for column in ["Count", "Count a year earlier", "Increase", "p-value"]:
        assert column in statistics
    # 七星镇's petitions, planted to rise 2.4-fold in 2025Q4: 9 -> 27.
    assert "530129108" in statistics
    assert label("base_count", "zh") in tagged_text(
        warning_runs["zh"], "yoy-statistics"
    )
    register = warning_runs["register"]
    assert register.is_file()
    # xundian-example plants a court file received 7 days late in 2025Q3.
    rows = read_register(register).set_index("warning_id")
    late = rows.loc["2025Q3-court-late_submission"]
    assert late["quarter_checked"].tolist() == ["2025Q3", "2025Q4"]
    assert late["status"].tolist() == ["open", "improved"]
    letters = home / "reports" / DATASET / "2025Q4" / "letters"
    assert list(letters.glob("*.zh.docx"))
    assert list(letters.glob("*.en.docx"))
    # The second run, in English, decides the same quarter again: no change.
    assert register.read_bytes() == warning_runs["before"]


@pytest.mark.slow
def test_warnings_english_has_no_chinese(warning_runs, notebook_text):
    text = notebook_text(warning_runs["en"])
    assert text.cjk_lines() == []
    assert "Warning status by quarter checked" in text.figure_titles()
    names = load_dataset(DATASET).area_names("en")
    assert any(name in text.all for name in names)


@pytest.mark.slow
def test_warnings_chinese_headings(warning_runs, notebook_text, text_heading):
    text = notebook_text(warning_runs["zh"])
    keys = ("warnings_title", "warnings_quarter", "warnings_register")
    for key in (*keys, "warnings_watch_list"):
        assert text_heading(key, "zh") in text.headings()
    assert text.figure_titles() == [label("fig_register", "zh")]
    assert "预警" in tagged_text(warning_runs["zh"], "warning-counts")
    assert "missing from font" not in text.all


def test_notebook_parameters_are_literals():
    for name in ["05-warnings.ipynb", "06-annual-review.ipynb"]:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        cells = [
            c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])
        ]
        assert len(cells) == 1
        for line in cells[0].source.splitlines():
            assert ": " in line.split("=")[0]
            assert "  # " in line
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert "def " not in cell.source
                assert "class " not in cell.source
                assert not cell.get("outputs")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_warnings_tables_read_like_a_report(warning_runs, notebook_text, language):
    text = notebook_text(warning_runs[language])
    assert text.html_tables()
    assert text.raw_cells() == []


@pytest.mark.slow
def test_warnings_counts_have_no_decimals(warning_runs, table_rows):
    rows = table_rows(tagged_html(warning_runs["en"], "yoy-statistics"))
    assert rows
    for column in ["Count", "Count a year earlier", "Increase"]:
        cells = [row[column] for row in rows]
        assert all(re.fullmatch(r"\d+|—", cell) for cell in cells), cells
    assert "—" in [row["Count"] for row in rows]  # amounts and rates have none
    assert "Qixing Town" in [row["Recipient"] for row in rows]


@pytest.mark.slow
def test_letters_table_relative_paths(warning_runs, table_rows):
    rows = table_rows(tagged_html(warning_runs["en"], "letters"))
    assert rows
    for row in rows:
        assert row["Letter"].startswith("letters/"), row
        assert row["Letter"].endswith(".en.html"), row
    names = {row["Recipient code"]: row["Recipient"] for row in rows}
    assert names["530129108"] == "Qixing Town"


@pytest.mark.slow
def test_warnings_short_columns_do_not_wrap(warning_runs):
    html = tagged_html(warning_runs["zh"], "letters")
    levels = html.index(">级别</th>")
    column = html[:levels].rsplit('class="col_heading level0 ', 1)[1].split('"')[0]
    assert f"td.{column} {{\n  white-space: nowrap;" in html


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_annual_review_tables_read_like_a_report(reviews, notebook_text, language):
    assert notebook_text(reviews[language]).raw_cells() == []


@pytest.mark.slow
def test_annual_review_totals_without_decimals(reviews, table_rows):
    rows = table_rows(tagged_html(reviews["en"], "county-totals"))
    totals = [row["Total"] for row in rows] + [
        row["Previous year total"] for row in rows
    ]
    assert totals
    assert not [t for t in totals if t.endswith(".0")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "value", "mean"),
    [("en", "this quarter ", "county mean "), ("zh", "本季度 ", "全县均值 ")],
)
def test_warnings_evidence_for_readers(warning_runs, table_rows, language, value, mean):
    column = label("evidence", language)
    # The watch list of xundian-example 2025Q4 is empty: every recipient with
    # a warning gets a letter, so only the warnings table is checked here.
    rows = table_rows(tagged_html(warning_runs[language], "warnings"))
    shown = [row[column] for row in rows]
    assert shown
    assert not [cell for cell in shown if re.search(r"[a-z_]+=", cell)]
    assert any(cell.startswith(value) for cell in shown)
    assert any(mean in cell for cell in shown)
    # Counts have no decimals: "count 27", never "count 27.00".
    counts = [c for cell in shown for c in re.findall(r"(?:count|计数) [\d.]+", cell)]
    assert counts
    assert not [c for c in counts if "." in c]
