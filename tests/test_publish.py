"""pingan publish: every step runs, a failing notebook keeps the others' outputs."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from pingan.cli import main
from pingan.publish import notebook_plan, publish


def break_notebook(root, name: str) -> None:
    path = root / "notebooks" / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("planted failure")'))
    nbformat.write(nb, path)


def test_plan_passes_language_to_every_notebook():
    plan = notebook_plan("xundian-example", "2025Q4", "en")
    assert [p["language"] for _, p in plan] == ["en"] * 6


def test_plan_adds_annual_review_in_fourth_quarter():
    names = [n for n, _ in notebook_plan("xundian-example", "2025Q4", "en")]
    assert names[-1] == "06-annual-review"
    assert "06-annual-review" not in [
        n for n, _ in notebook_plan("xundian-example", "2025Q2", "en")
    ]


@pytest.mark.slow
def test_failing_notebook_keeps_the_others(tiny_root):
    break_notebook(tiny_root, "04-data-quality")
    steps = publish(
        "tiny",
        "2024Q4",
        "zh",
        progress=False,
        notebooks=["01-quarterly-report", "04-data-quality"],
    )
    status = steps.set_index("step")["status"]
    assert status["01-quarterly-report"] == "done"
    assert status["04-data-quality"] == "failed"
    assert status[["quality", "score", "detect"]].eq("done").all()
    error = steps.set_index("step").loc["04-data-quality", "error"]
    assert "planted failure" in error
    out = tiny_root / "reports" / "tiny" / "2024Q4"
    assert (out / "01-quarterly-report.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01-quarterly-report.html"' in index
    assert "planted failure" in index
    assert "SYNTHETIC" in index
    recorded = pd.read_csv(out / "steps.csv")
    assert recorded["status"].tolist() == steps["status"].tolist()


def test_publish_rejects_bad_parameters_before_running(tiny_root, capsys):
    assert main(["publish", "--dataset", "tiny", "--quarter", "2031Q1"]) == 2
    assert "no submissions for 2031Q1" in capsys.readouterr().err
    assert not (tiny_root / "reports").exists()
