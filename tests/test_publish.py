"""pingan publish: every step runs, a failing notebook keeps the others' outputs."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from pingan.cli import main
from pingan.publish import notebook_plan, publish
from pingan.report import localised_name


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


def written_files(folder) -> dict[str, int]:
    """Map every file under ``folder`` to its modification time in ns."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_both_languages_kept_side_by_side(tiny_root):
    out = tiny_root / "reports" / "tiny" / "2024Q4"
    run = {"progress": False, "notebooks": ["01-quarterly-report"]}
    publish("tiny", "2024Q4", "zh", **run)
    publish("tiny", "2024Q4", "en", **run)

    files = written_files(out)
    letters = {name for name in files if name.startswith("letters/")}
    english = {name for name in files if ".en." in name} - letters
    chinese = set(files) - english - letters
    for name in [
        "index.html",
        "steps.csv",
        "01-quarterly-report.html",
        "01-quarterly-report.ipynb",
        "tables/ranking.csv",
        "tables/ranking.xlsx",
        "tables/quality_findings.csv",
        "tables/detection_flags.csv",
        "tables/warnings.csv",
    ]:
        assert name in chinese
        assert localised_name(name, "en") in english
    # Every Chinese output has its English twin and the other way round.
    assert {localised_name(name, "en") for name in chinese} == english

    zh_index = (out / "index.html").read_text(encoding="utf-8")
    en_index = (out / "index.en.html").read_text(encoding="utf-8")
    assert 'href="01-quarterly-report.html"' in zh_index
    assert "01-quarterly-report.en.html" not in zh_index
    assert 'href="01-quarterly-report.en.html"' in en_index
    assert 'href="01-quarterly-report.html"' not in en_index
    assert '<html lang="en">' in en_index
    assert "测试数据" in zh_index
    assert "Tiny test data" in en_index

    zh_html = (out / "01-quarterly-report.html").read_text(encoding="utf-8")
    en_html = (out / "01-quarterly-report.en.html").read_text(encoding="utf-8")
    assert "平安指数" in zh_html
    assert "Safety index" in en_html
    assert "Safety index" not in zh_html
    steps = pd.read_csv(out / "steps.en.csv")
    assert "01-quarterly-report.en.html" in steps["output"].tolist()
    assert "tables/quality_*.en.csv" in steps.set_index("step").loc["quality", "output"]

    # The letters carry their language in both cases. The watch list is
    # named like the other outputs, so each language keeps its own.
    watch = {n for n in letters if n.startswith("letters/watch_list")}
    assert watch == {"letters/watch_list.csv", "letters/watch_list.en.csv"}
    assert {n for n in letters if ".zh." in n}
    assert {n.replace(".zh.", ".en.") for n in letters if ".zh." in n} == {
        n for n in letters - watch if ".en." in n
    }

    # Publishing Chinese again rewrites the Chinese files only.
    publish("tiny", "2024Q4", "zh", **run)
    again = written_files(out)
    assert set(again) == set(files)
    for name in english | {n for n in letters if ".en." in n}:
        assert again[name] == files[name], name
    for name in ["index.html", "steps.csv", "01-quarterly-report.html"]:
        assert again[name] > files[name], name
