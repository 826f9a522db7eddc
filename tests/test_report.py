"""The quarterly report: parameter checks, notebook execution, CJK rendering."""

from __future__ import annotations

import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from pingan import figures  # noqa: E402
from pingan.cli import main  # noqa: E402
from pingan.exceptions import PinganError  # noqa: E402
from pingan.i18n import label  # noqa: E402
from pingan.plotting import use_cjk_font  # noqa: E402
from pingan.report import check_parameters, run_report  # noqa: E402


def outputs_text(path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


class TestParameters:
    def test_quarter_normalised(self):
        assert check_parameters("london", "2025q3").quarter == "2025Q3"

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"dataset": "paris", "quarter": "2025Q3"}, "unknown dataset 'paris'"),
            ({"dataset": "london", "quarter": "2025-3"}, "must be written YYYYQn"),
            ({"dataset": "london", "quarter": "2030Q1"}, "no submissions for 2030Q1"),
            (
                {"dataset": "london", "quarter": "2025Q3", "language": "fr"},
                "language must be one of 'zh', 'en'",
            ),
        ],
    )
    def test_bad_values_rejected(self, kwargs, message):
        with pytest.raises(PinganError, match=message):
            check_parameters(**kwargs)

    def test_cli_rejects_before_papermill(self, capsys, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert main(["report", "--dataset", "london", "--quarter", "'; import os"]) == 2
        assert "must be written YYYYQn" in capsys.readouterr().err
        assert not (tmp_path / "reports").exists()


def test_cjk_labels_have_glyphs():
    use_cjk_font()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        m = pd.DataFrame({"政治安全": [90.0], "矛盾纠纷": [70.0]}, index=["仁德街道"])
        fig = figures.domain_heatmap(m, "zh")
        fig.savefig(__import__("io").BytesIO(), format="png")
        plt.close(fig)


def test_missing_glyph_is_detected_without_cjk_font():
    # Guards the test above: DejaVu Sans alone must trigger the warning.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("平安")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(__import__("io").BytesIO(), format="png")
        plt.close(fig)


def test_report_on_fixture(tiny_root):
    paths = run_report("tiny", "2024Q4", "zh", progress=False)
    html = paths["html"].read_text(encoding="utf-8")
    assert "测试数据" in html
    assert "合成示例数据" in html  # synthetic data are labelled
    assert "import matplotlib" not in html  # code hidden by default
    assert "missing from font" not in outputs_text(paths["notebook"])
    ranking = pd.read_csv(paths["tables"] / "ranking.csv", dtype={"area_code": str})
    assert sorted(ranking["area_code"]) == ["001", "002", "003"]
    assert (paths["tables"] / "ranking.xlsx").is_file()
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert manifest["parameters"] == {
        "dataset": "tiny",
        "quarter": "2024Q4",
        "language": "zh",
    }
    assert "pandas" in manifest["versions"]
    assert any(i["path"] == "catalogue.csv" for i in manifest["inputs"])


def test_report_tables_reproducible(tiny_root):
    first = run_report("tiny", "2024Q4", "en", progress=False)
    tables = {p.name: p.read_bytes() for p in first["tables"].glob("*.csv")}
    second = run_report("tiny", "2024Q4", "en", progress=False)
    assert tables == {p.name: p.read_bytes() for p in second["tables"].glob("*.csv")}


def test_failing_cell_is_reported(tiny_root):
    (tiny_root / "data" / "raw" / "tiny" / "catalogue.csv").write_text(
        "indicator,direction\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match="missing required column"):
        run_report("tiny", "2024Q4", progress=False)


@pytest.mark.parametrize(
    ("dataset", "quarter", "language", "expected", "title"),
    [
        ("london", "2025Q3", "zh", "威斯敏斯特", "核心指标全市上报合计"),
        ("ireland", "2019Q3", "en", "Kilkenny/Carlow", "Core indicators, national"),
    ],
)
def test_report_on_bundled_datasets(
    dataset, quarter, language, expected, title, tmp_path, monkeypatch
):
    from pingan.report import execute_notebook

    nb, html = execute_notebook(
        "01-quarterly-report",
        {"dataset": dataset, "quarter": quarter, "language": language},
        tmp_path,
        progress=False,
    )
    text = outputs_text(nb)
    assert expected in text
    assert title in text  # the figure names the dataset's territory
    assert "{region}" not in text
    assert "missing from font" not in text
    assert html.stat().st_size > 50_000


def test_english_report_keeps_chinese_one(tiny_root):
    zh = run_report("tiny", "2024Q4", "zh", progress=False)
    en = run_report("tiny", "2024Q4", "en", progress=False)
    assert zh["html"].name == "01-quarterly-report.html"
    assert en["html"].name == "01-quarterly-report.en.html"
    assert zh["html"].is_file()
    assert "Safety index" in en["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def xundian_reports(tmp_path_factory):
    """Notebook 01 on xundian-example 2025Q4, executed in English and Chinese."""
    from pingan.report import execute_notebook

    out = tmp_path_factory.mktemp("reports")
    runs = {}
    for language in ("en", "zh"):
        notebook, _ = execute_notebook(
            "01-quarterly-report",
            {"dataset": "xundian-example", "quarter": "2025Q4", "language": language},
            out / language,
            progress=False,
        )
        runs[language] = nbformat.read(notebook, as_version=4)
    return runs


def tagged_html(notebook, tag: str) -> str:
    cell = next(c for c in notebook.cells if tag in c.metadata.get("tags", []))
    return "\n".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


def headers(html: str) -> list[str]:
    """The column headers of the first table in ``html``."""
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return re.findall(r"<th[^>]*>([^<]*)</th>", head)


FIGURE_TITLES = ["heatmap_title", "trend_title", "core_title", "watch_title"]


@pytest.mark.slow
def test_quarterly_report_english_has_no_chinese(xundian_reports, notebook_text):
    text = notebook_text(xundian_reports["en"])
    assert text.cjk_lines() == []
    headline = headers(tagged_html(xundian_reports["en"], "headline"))
    assert headline[-2:] == ["Item", "Value"]
    assert "Lianhe Township 96.1" in tagged_html(xundian_reports["en"], "headline")
    watch = headers(tagged_html(xundian_reports["en"], "watch"))
    assert "Flagged quarters" in watch
    assert text.figure_titles()[0] == label("heatmap_title", "en")
    for key in FIGURE_TITLES:
        assert label(key, "en") in text.figure_titles()
    assert "x: Domain" in text.figures[0]


@pytest.mark.slow
def test_quarterly_report_chinese_headers(xundian_reports, notebook_text):
    text = notebook_text(xundian_reports["zh"])
    headline = headers(tagged_html(xundian_reports["zh"], "headline"))
    assert headline[-2:] == ["项目", "数值"]
    assert "item" not in headline
    ranking = headers(tagged_html(xundian_reports["zh"], "ranking"))
    assert ["排名", "区域", "平安指数", "等级"] == ranking[0:4]
    core = tagged_html(xundian_reports["zh"], "core-changes")
    assert "全年同比(%)" in headers(core)
    assert "-5.19" in core  # SO04's whole-year change, 530 on 559 cases
    assert "报警季度" in headers(tagged_html(xundian_reports["zh"], "watch"))
    for key in FIGURE_TITLES:
        assert label(key, "zh") in text.figure_titles()
    for key in ("section_headline", "section_ranking", "section_watch"):
        assert label(key, "zh") in text.headings()
    assert "missing from font" not in text.all


def html_tables(notebook) -> list[str]:
    """The HTML of every table output of ``notebook``."""
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    pages = [o.get("data", {}).get("text/html", "") for o in outputs]
    return [page for page in pages if "<table" in page]


def table_cells(html: str) -> list[str]:
    """The text of every header and data cell of a table, stripped."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    return [cell.strip() for cell in cells]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_quarterly_report_tables_readable(xundian_reports, language):
    tables = html_tables(xundian_reports[language])
    # headline, ranking, core changes, watch and data notes
    assert len(tables) == 5
    for html in tables:
        cells = table_cells(html)
        for missing in ("NaN", "nan", "None", "<NA>", "&lt;NA&gt;"):
            assert missing not in cells
        assert not [cell for cell in cells if "..." in cell or "…" in cell]
        body = html.split("<tbody>", 1)[1]
        assert "<th" not in body  # no row-number (index) column
        assert "" not in headers(html)


@pytest.mark.slow
def test_quarterly_report_watch_cells_whole(xundian_reports):
    watch = table_cells(tagged_html(xundian_reports["en"], "watch"))
    flagged = [cell for cell in watch if cell.startswith("2025Q1 (")]
    assert flagged
    assert all(cell.count("(") == cell.count(")") for cell in flagged)
    core = table_cells(tagged_html(xundian_reports["en"], "core-changes"))
    assert "—" in core


@pytest.mark.slow
def test_headline_explains_pooled_index(xundian_reports, notebook_text):
    for language in ("en", "zh"):
        text = notebook_text(xundian_reports[language])
        assert label("headline_pooled_note", language) in text.all
