"""Text of ``pingan validate``: rejected rows and remarks, and located problems."""

import pandas as pd

from pingan.exceptions import Problem
from pingan.validate import _grouped_rows


def notes(column, value):
    return pd.DataFrame(
        {
            "source_file": ["2025Q1/readme.txt"],
            "source_row": [float("nan")],
            "column": [column],
            "value": [value],
            "rule": ["ignored_file"],
            "reason": ["not a .csv or .xlsx file, so it was not read."],
        }
    )


def test_remark_without_column_leaves_it_out():
    assert _grouped_rows(notes(None, "readme.txt")) == [
        "  [ignored_file] 2025Q1/readme.txt, value 'readme.txt': not a .csv or "
        ".xlsx file, so it was not read."
    ]


def test_remark_with_column_and_value():
    lines = _grouped_rows(notes("area", "甲"))
    assert lines[0].startswith("  [ignored_file] 2025Q1/readme.txt, column 'area', ")
    assert "value '甲': " in lines[0]


def test_remark_without_column_or_value():
    assert _grouped_rows(notes(None, None)) == [
        "  [ignored_file] 2025Q1/readme.txt: not a .csv or .xlsx file, so it was "
        "not read."
    ]


def test_problem_leaves_out_empty_column():
    text = str(Problem("the file is empty.", file="a.csv", column="", hint="Fix it."))
    assert text == "file a.csv: the file is empty. Fix it."


def test_problem_keeps_empty_value():
    text = str(Problem("the cell is empty.", file="a.csv", row=3, value=""))
    assert text == "file a.csv, row 3, value '': the cell is empty."
