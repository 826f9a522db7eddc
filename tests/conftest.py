"""Shared fixtures: a small dataset folder in a temporary project root, notebook text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]

CATALOGUE = """indicator,name_zh,name_en,unit,value_type,direction,department,dimension,domain,points,denominator,scale,method,params,core
FR,电诈立案数,Fraud cases,起,count,-1,police,D_FR,SO,40,population,10000,benchmark,weight_county=0.5; tolerance=1,true
LS,电诈损失,Fraud losses,万元,amount,-1,police,D_LS,SO,20,none,1,goalpost,low=0; high=100,true
DE,死亡人数,Deaths,人,count,-1,safety|police,D_DE,PU,20,none,1,deduction,per_event=5,false
MD,调解成功率,Mediation success,%,percent,1,justice,D_MD,DI,20,none,1,target,target=95; span=20,false
"""
FRAMEWORK = """code,level,parent,name_zh,name_en
SO,domain,,社会治安,Public order
PU,domain,,公共安全,Public safety
DI,domain,,矛盾纠纷,Disputes
D_FR,dimension,SO,电诈,Fraud
D_LS,dimension,SO,损失,Losses
D_DE,dimension,PU,死亡,Deaths
D_MD,dimension,DI,调解,Mediation
"""
AREAS = """area_code,name_zh,name_en,type,aliases
001,甲镇,Jia,镇,甲|甲　镇
002,乙乡,Yi,乡,
003,丙街道,Bing,街道,丙
"""
DEPARTMENTS = """department,name_zh,name_en
police,公安局,Police
safety,应急管理局,Emergency management
justice,司法局,Justice
"""
META = """name: tiny
title_zh: 测试数据
title_en: Tiny test data
kind: synthetic
source: written by tests/conftest.py
licence: CC0-1.0
first_quarter: 2023Q1
last_quarter: 2024Q4
core_indicators: [FR, LS]
"""


def quarters() -> list[str]:
    return [f"{y}Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)]


def write_tiny(root: Path, seed: int = 1) -> Path:
    """Write the dataset ``tiny`` under ``root/data/raw`` and return its folder."""
    folder = root / "data" / "raw" / "tiny"
    folder.mkdir(parents=True)
    for name, text in (
        ("catalogue.csv", CATALOGUE),
        ("framework.csv", FRAMEWORK),
        ("areas.csv", AREAS),
        ("departments.csv", DEPARTMENTS),
        ("dataset.yaml", META),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    pop = ["area_code,year,population,estimate"]
    pop += [
        f"{c},{y},{p},false"
        for y in (2023, 2024)
        for c, p in (("001", 20000), ("002", 10000), ("003", 40000))
    ]
    (folder / "population.csv").write_text("\n".join(pop) + "\n", encoding="utf-8")
    rng = np.random.default_rng(seed)
    for q in quarters():
        qdir = folder / q
        qdir.mkdir()
        police = ["area,indicator,value"]
        for code, size in (("001", 2), ("002", 1), ("003", 4)):
            police.append(f"{code},FR,{rng.poisson(3 * size)}")
            police.append(f"{code},LS,{rng.uniform(0, 60):.2f}")
            police.append(f"{code},DE,{rng.poisson(0.3)}")
        (qdir / "police.csv").write_text("\n".join(police) + "\n", encoding="utf-8")
        safety = ["乡镇,指标代码,数值"] + [
            f"{c},DE,{rng.poisson(0.2)}" for c in ("甲镇", "乙乡", "丙街道")
        ]
        (qdir / "safety.csv").write_bytes(("\n".join(safety) + "\n").encode("gbk"))
        justice = ["乡镇(街道),MD"] + [
            f"{c},{rng.uniform(80, 100):.1f}" for c in ("001", "002", "003")
        ]
        (qdir / "justice.csv").write_text(
            "\n".join(justice) + "\n", encoding="utf-8-sig"
        )
    return folder


@pytest.fixture
def tiny_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root holding the dataset ``tiny`` and the report notebooks."""
    write_tiny(tmp_path)
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    monkeypatch.setenv("PINGAN_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def tiny(tiny_root: Path):
    from pingan.datasets import load_dataset

    return load_dataset("tiny")


# Chinese, Japanese and Korean characters and full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


#: How pandas writes a missing value in a table.
RAW_MISSING = {"NaN", "nan", "None", "NaT", "<NA>", "&lt;NA&gt;"}


def html_table(html: str) -> list[dict[str, str]]:
    """Return the rows of a table's HTML as dicts from header to cell text."""
    headers = re.findall(r'<th[^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', html)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    found = []
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells:
            found.append(dict(zip(headers, (c.strip() for c in cells), strict=True)))
    return found


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class NotebookText:
    """What an executed notebook shows, read from its JSON."""

    def __init__(self, notebook) -> None:
        self.notebook = notebook
        self.markdown: list[str] = []  # Markdown outputs and Markdown cells
        self.tables: list[str] = []  # text/plain and text/html of other outputs
        self.figures: list[str] = []  # text of the figures (title, axes, legend)
        self.streams: list[str] = []  # standard output and standard error
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                self.markdown.append(cell.source)
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if out["output_type"] == "stream":
                    self.streams.append(_text(out.get("text", "")))
                elif "image/png" in data:
                    self.figures.append(_text(data.get("text/plain", "")))
                elif "text/markdown" in data:
                    self.markdown.append(_text(data["text/markdown"]))
                else:
                    for mime in ("text/plain", "text/html"):
                        self.tables.append(_text(data.get(mime, "")))

    def html_tables(self) -> list[str]:
        """The HTML of every table output."""
        return [
            _text(out["data"]["text/html"])
            for cell in self.notebook.cells
            for out in cell.get("outputs", [])
            if "text/html" in out.get("data", {})
        ]

    def raw_cells(self) -> list[str]:
        """Table cells and row headings that show raw pandas output.

        That is a missing value written ``NaN``, ``None`` or ``<NA>``, or a
        row heading that is a bare row number.
        """
        found = []
        for html in self.html_tables():
            cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
            found += [c for c in cells if c.strip() in RAW_MISSING]
            headings = re.findall(
                r'<th[^>]*class="row_heading[^"]*"[^>]*>(.*?)</th>', html
            )
            found += [h for h in headings if h.strip().isdigit()]
        return found

    @property
    def all(self) -> str:
        return "\n".join(self.markdown + self.tables + self.figures + self.streams)

    def cjk_lines(self) -> list[str]:
        """Every line of the outputs, Markdown and figures with a CJK character."""
        return [line for line in self.all.splitlines() if CJK.search(line)]

    def figure_titles(self) -> list[str]:
        return [
            line.removeprefix("title: ")
            for text in self.figures
            for line in text.splitlines()
            if line.startswith("title: ")
        ]

    def headings(self) -> list[str]:
        """The first line of every Markdown output, e.g. ``'## 部门评分'``."""
        return [text.splitlines()[0] for text in self.markdown if text.strip()]


def heading(key: str, language: str) -> str:
    """Return the first line of a notebook text label."""
    from pingan.i18n import label

    return label(key, language).splitlines()[0]


@pytest.fixture(scope="session")
def notebook_text():
    """Return the class that reads an executed notebook's outputs."""
    return NotebookText


@pytest.fixture(scope="session")
def text_heading():
    """Return :func:`heading`, the first line of a notebook text label."""
    return heading


@pytest.fixture(scope="session")
def table_rows():
    """Return :func:`html_table`, the rows of a table's HTML."""
    return html_table
