import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from pingan.alerts.register import read_register
from pingan.config import project_root

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


@pytest.mark.slow
def test_annual_review_notebook_xundian(home, monkeypatch):
    notebook = execute(
        "06-annual-review.ipynb",
        home,
        monkeypatch,
        dataset=DATASET,
        year=2025,
        language="en",
    )
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
def test_warnings_notebook_xundian(home, monkeypatch):
    notebook = execute(
        "05-warnings.ipynb",
        home,
        monkeypatch,
        dataset=DATASET,
        quarter="2025Q4",
        language="zh",
        start="2025Q2",
    )
    counts = tagged_text(notebook, "warning-counts")
    for rule in ["domain_drop", "anomaly"]:
        assert rule in counts
    assert "all" in tagged_text(notebook, "register-summary")
    statistics = tagged_text(notebook, "yoy-statistics")
    for column in ["count", "base_count", "increase", "p_value"]:
        assert column in statistics
    # 七星镇's petitions, planted to rise 2.4-fold in 2025Q4: 9 -> 27.
    assert "530129108" in statistics
    register = home / "data" / "processed" / DATASET / "warnings_register.csv"
    assert register.is_file()
    # xundian-example plants a court file received 7 days late in 2025Q3.
    rows = read_register(register).set_index("warning_id")
    late = rows.loc["2025Q3-court-late_submission"]
    assert late["quarter_checked"].tolist() == ["2025Q3", "2025Q4"]
    assert late["status"].tolist() == ["open", "improved"]
    letters = list(
        (home / "reports" / DATASET / "2025Q4" / "letters").glob("*.zh.docx")
    )
    assert letters
    before = register.read_bytes()
    execute(
        "05-warnings.ipynb",
        home,
        monkeypatch,
        dataset=DATASET,
        quarter="2025Q4",
        language="zh",
        start="2025Q2",
    )
    assert register.read_bytes() == before


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
