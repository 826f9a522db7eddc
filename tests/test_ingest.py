"""Reading submissions: layouts, encodings and every rejection with its message."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pingan.exceptions import InputError
from pingan.ingest import read_quarter, read_submission
from pingan.io import sha256_file


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def qdir(tiny) -> Path:
    folder = tiny.root / "2025Q1"
    folder.mkdir()
    return folder


def read_one(tiny, path: Path, quarter: str = "2025Q1"):
    return read_submission(path, quarter, tiny.catalogue, tiny.areas, tiny.departments)


class TestLayouts:
    def test_long_layout_english(self, tiny, qdir):
        path = _write(
            qdir, "police.csv", "area,indicator,value\n001,FR,3\n002,LS,1.5\n"
        )
        res = read_one(tiny, path)
        assert res.data["area_code"].tolist() == ["001", "002"]
        assert res.data["value"].tolist() == [3.0, 1.5]
        assert res.data["department"].unique().tolist() == ["police"]
        assert res.data["source_row"].tolist() == [2, 3]

    def test_codes_keep_leading_zeros(self, tiny, qdir):
        path = _write(qdir, "police.csv", "area,indicator,value\n001,FR,3\n")
        assert read_one(tiny, path).data["area_code"].iloc[0] == "001"

    def test_gbk_chinese_headers_and_names(self, tiny, qdir):
        path = _write(
            qdir, "police.csv", "乡镇,指标代码,数值\n甲镇,FR,4\n乙乡,FR,2\n", "gbk"
        )
        res = read_one(tiny, path)
        assert res.data["area_code"].tolist() == ["001", "002"]

    def test_utf8_bom(self, tiny, qdir):
        path = _write(
            qdir, "police.csv", "area,indicator,value\n丙街道,FR,1\n", "utf-8-sig"
        )
        assert read_one(tiny, path).data["area_code"].tolist() == ["003"]

    def test_wide_layout_by_indicator_id_and_name(self, tiny, qdir):
        path = _write(qdir, "police.csv", "乡镇(街道),FR,电诈损失\n甲镇,3,12.5\n")
        res = read_one(tiny, path)
        got = dict(zip(res.data["indicator"], res.data["value"], strict=True))
        assert got == {"FR": 3.0, "LS": 12.5}

    def test_xlsx_with_title_row(self, tiny, qdir):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["某县公安局2025年第一季度数据"])
        sheet.append(["乡镇", "指标", "数值"])
        sheet.append(["甲镇", "FR", 7])
        path = qdir / "police.xlsx"
        book.save(path)
        res = read_one(tiny, path)
        assert res.data["value"].tolist() == [7.0]
        assert res.data["source_row"].tolist() == [3]

    def test_full_width_space_matches_name(self, tiny, qdir):
        path = _write(qdir, "police.csv", "area,indicator,value\n甲　镇,FR,1\n")
        res = read_one(tiny, path)
        assert res.data["area_code"].tolist() == ["001"]
        assert res.notes.empty

    def test_alias_is_read_and_noted(self, tiny, qdir):
        path = _write(qdir, "police.csv", "area,indicator,value\n甲,FR,1\n")
        res = read_one(tiny, path)
        assert res.data["area_code"].tolist() == ["001"]
        assert res.notes["rule"].tolist() == ["area_alias"]
        assert res.notes["value"].tolist() == ["甲"]

    def test_thousands_separator_and_full_width_digits(self, tiny, qdir):
        path = _write(
            qdir, "police.csv", 'area,indicator,value\n001,LS,"1,234.5"\n002,FR,１２\n'
        )
        assert read_one(tiny, path).data["value"].tolist() == [1234.5, 12.0]


class TestRejectedRows:
    def rejected(self, tiny, qdir, body: str):
        path = _write(qdir, "police.csv", "area,indicator,value\n" + body)
        res = read_one(tiny, path)
        assert len(res.rejected) == 1, res.rejected
        return res.rejected.iloc[0]

    def test_unknown_area_names_nearest(self, tiny, qdir):
        row = self.rejected(tiny, qdir, "甲乡,FR,1\n")
        assert row["rule"] == "unknown_area"
        assert row["value"] == "甲乡"
        assert row["source_row"] == 2
        assert "nearest known" in row["reason"]
        assert "甲镇" in row["reason"] or "乙乡" in row["reason"]

    def test_unknown_indicator(self, tiny, qdir):
        row = self.rejected(tiny, qdir, "001,FX,1\n")
        assert row["rule"] == "unknown_indicator"
        assert row["column"] == "indicator"
        assert "FR" in row["reason"]

    def test_value_not_a_number(self, tiny, qdir):
        row = self.rejected(tiny, qdir, "001,FR,三\n")
        assert row["rule"] == "not_a_number"
        assert row["value"] == "三"
        assert row["column"] == "value"

    def test_missing_value(self, tiny, qdir):
        row = self.rejected(tiny, qdir, "001,FR,\n")
        assert row["rule"] == "missing_value"
        assert "enter 0" in row["reason"]

    def test_negative_count(self, tiny, qdir):
        row = self.rejected(tiny, qdir, "001,FR,-2\n")
        assert row["rule"] == "negative_value"
        assert row["value"] == "-2"
        assert "cannot be negative" in row["reason"]

    def test_percent_above_100(self, tiny, qdir):
        path = _write(qdir, "justice.csv", "area,indicator,value\n001,MD,130\n")
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "percent_out_of_range"

    def test_row_for_another_quarter(self, tiny, qdir):
        path = _write(
            qdir,
            "police.csv",
            "area,indicator,value,quarter\n001,FR,1,2025Q1\n002,FR,1,2024Q4\n",
        )
        res = read_one(tiny, path)
        assert res.rejected["rule"].tolist() == ["wrong_quarter"]
        assert res.rejected["source_row"].tolist() == [3]

    def test_rejected_message_names_file_row_column_value(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,abc\n")
        res = tiny.read_quarter("2025Q1")
        with pytest.raises(InputError) as err:
            res.raise_for_errors()
        text = str(err.value)
        assert "file 2025Q1/police.csv" in text
        assert "row 2" in text
        assert "column 'value'" in text
        assert "value 'abc'" in text
        assert "plain number" in text


class TestDuplicates:
    def test_identical_keeps_first(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,3\n001,FR,3\n")
        res = tiny.read_quarter("2025Q1")
        assert res.data["source_row"].tolist() == [2]
        assert res.rejected["rule"].tolist() == ["duplicate_identical"]
        assert "row 2" in res.rejected["reason"].iloc[0]

    def test_conflicting_rejects_all(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,3\n001,FR,4\n")
        res = tiny.read_quarter("2025Q1")
        assert res.data.empty
        assert res.rejected["rule"].tolist() == ["duplicate_conflict"] * 2
        assert "also has" in res.rejected["reason"].iloc[0]

    def test_across_files(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,3\n")
        _write(
            qdir,
            "police_extra.csv",
            "area,indicator,value,department\n001,FR,5,police\n",
        )
        res = tiny.read_quarter("2025Q1")
        assert sorted(res.rejected["source_file"]) == [
            "2025Q1/police.csv",
            "2025Q1/police_extra.csv",
        ]


class TestRejectedFiles:
    def problem(self, tiny, qdir, name: str, raw: bytes) -> pd.Series:
        (qdir / name).write_bytes(raw)
        res = tiny.read_quarter("2025Q1")
        assert len(res.problems) == 1, res.problems
        return res.problems.iloc[0]

    def test_empty_file(self, tiny, qdir):
        p = self.problem(tiny, qdir, "police.csv", b"")
        assert p["rule"] == "empty_file"
        assert "2025Q1/police.csv" in p["reason"]

    def test_header_without_rows(self, tiny, qdir):
        p = self.problem(tiny, qdir, "police.csv", b"area,indicator,value\n")
        assert p["rule"] == "empty_file"
        assert "no data rows" in p["reason"]

    def test_missing_area_column(self, tiny, qdir):
        p = self.problem(tiny, qdir, "police.csv", b"name,indicator,value\nx,FR,1\n")
        assert p["rule"] == "missing_column"
        assert p["reason"] == (
            "file 2025Q1/police.csv: missing required column 'area' (no header "
            "row names the area). Head the area column with one of area, "
            "area_code, area_name, 乡镇, 乡镇(街道), 乡镇（街道）, 乡镇街道, 街道, "
            "区域, 地区, 区划代码, 单位, township, borough, division. The first "
            "row has 'name', 'indicator', 'value'."
        )

    @pytest.mark.parametrize(
        ("separator", "name"), [(";", "semicolons"), ("\t", "tabs")]
    )
    def test_header_with_other_separator(self, tiny, qdir, separator, name):
        text = (
            f"area{separator}indicator{separator}value\n001{separator}FR{separator}1\n"
        )
        p = self.problem(tiny, qdir, "police.csv", text.encode())
        assert p["rule"] == "missing_column"
        assert p["reason"].endswith(
            f"The first row has {f'area{separator}indicator{separator}value'!r}. "
            f"The row is one column that looks separated by {name}, so save the "
            "file as comma-separated CSV (CSV UTF-8 in Excel or WPS)."
        )

    def test_missing_value_column(self, tiny, qdir):
        p = self.problem(tiny, qdir, "police.csv", b"area,indicator,count\n001,FR,1\n")
        assert p["rule"] == "missing_column"
        assert "'value'" in p["reason"]

    def test_unreadable_encoding(self, tiny, qdir):
        p = self.problem(
            tiny, qdir, "police.csv", "area,indicator,value\n".encode("utf-16")
        )
        assert p["rule"] == "unreadable_encoding"
        assert "UTF-8" in p["reason"]

    def test_whole_file_for_another_quarter(self, tiny, qdir):
        p = self.problem(
            tiny, qdir, "police.csv", b"area,indicator,value,quarter\n001,FR,1,2024Q4\n"
        )
        assert p["rule"] == "wrong_quarter"
        assert "2024Q4" in p["reason"]
        assert "2025Q1" in p["reason"]

    def test_file_name_names_another_quarter(self, tiny, qdir):
        p = self.problem(
            tiny,
            qdir,
            "police_2024Q4.csv",
            b"area,indicator,value,department\n001,FR,1,police\n",
        )
        assert p["rule"] == "wrong_quarter"

    def test_unknown_department(self, tiny, qdir):
        p = self.problem(tiny, qdir, "fire.csv", b"area,indicator,value\n001,FR,1\n")
        assert p["rule"] == "unknown_department"
        assert "police" in p["reason"]

    def test_broken_xlsx(self, tiny, qdir):
        p = self.problem(tiny, qdir, "police.xlsx", b"not a zip file")
        assert p["rule"] == "unreadable_file"

    def test_other_files_still_read(self, tiny, qdir):
        (qdir / "police.csv").write_bytes(b"")
        _write(qdir, "justice.csv", "area,indicator,value\n001,MD,90\n")
        res = tiny.read_quarter("2025Q1")
        assert len(res.problems) == 1
        assert res.data["indicator"].tolist() == ["MD"]


def test_raw_files_unchanged_after_reading(tiny):
    files = sorted(p for p in tiny.root.rglob("*") if p.is_file())
    before = {p: sha256_file(p) for p in files}
    tiny.read_quarters()
    after = {p: sha256_file(p) for p in files}
    assert before == after


def test_read_quarter_of_missing_folder_is_empty(tiny):
    res = read_quarter(
        tiny.root / "2030Q1", "2030Q1", tiny.catalogue, tiny.areas, tiny.departments
    )
    assert res.data.empty
    assert res.ok


class TestFolderEntries:
    def test_old_excel_format_is_a_rejected_file(self, tiny, qdir):
        (qdir / "police.xls").write_bytes(b"\xd0\xcf\x11\xe0")
        res = tiny.read_quarter("2025Q1")
        assert res.problems["rule"].tolist() == ["unsupported_file"]
        assert "save it as .xlsx" in res.problems["reason"].iloc[0]

    def test_other_files_and_lock_files_are_noted(self, tiny, qdir):
        (qdir / "说明.txt").write_text("备注", encoding="utf-8")
        (qdir / "~$police.xlsx").write_bytes(b"lock")
        (qdir / "补报").mkdir()
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,1\n")
        res = tiny.read_quarter("2025Q1")
        assert res.ok
        assert sorted(res.notes["value"]) == ["~$police.xlsx", "补报", "说明.txt"]
        assert set(res.notes["rule"]) == {"ignored_file"}

    def test_total_row_is_noted_not_rejected(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,FR,1\n合计,FR,1\n")
        res = tiny.read_quarter("2025Q1")
        assert res.rejected.empty
        assert res.notes["rule"].tolist() == ["total_row"]

    def test_unquoted_thousands_separator_rejects_one_row(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\n001,LS,1,234\n002,FR,2\n")
        res = tiny.read_quarter("2025Q1")
        assert res.data["area_code"].tolist() == ["002"]
        assert res.rejected["rule"].tolist() == ["extra_fields"]
        assert "quote numbers" in res.rejected["reason"].iloc[0]

    def test_wide_unknown_header_names_the_column(self, tiny, qdir):
        _write(qdir, "justice.csv", "乡镇,MX\n001,90\n")
        row = tiny.read_quarter("2025Q1").rejected.iloc[0]
        assert row["rule"] == "unknown_indicator"
        assert row["column"] == "MX"


def _xlsx(folder: Path, name: str, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = folder / name
    book.save(path)
    return path


class TestValueCells:
    @pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "-INFINITY", "1e999"])
    def test_csv_infinite_not_a_number(self, tiny, qdir, text):
        path = _write(qdir, "police.csv", f"area,indicator,value\n001,FR,{text}\n")
        res = read_one(tiny, path)
        assert res.data.empty
        row = res.rejected.iloc[0]
        assert row["rule"] == "not_a_number"
        assert row["value"] == text
        assert row["reason"] == (
            f"{text!r} is infinite, not a number; enter a finite number."
        )

    def test_xlsx_infinite_not_a_number(self, tiny, qdir):
        path = _xlsx(qdir, "police.xlsx", [["乡镇", "FR"], ["甲镇", "INF"]])
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "not_a_number"
        assert row["value"] == "INF"
        assert row["source_row"] == 2

    @pytest.mark.parametrize(
        "marker", ["N/A", "NA", "nan", "—", "-", "/", "无", "NULL", "#N/A", "－"]
    )
    def test_csv_marker_not_a_number(self, tiny, qdir, marker):
        path = _write(qdir, "police.csv", f"area,indicator,value\n001,FR,{marker}\n")
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "not_a_number"
        assert row["value"] == marker
        assert row["reason"] == (
            f"{marker!r} marks a missing value and is not a number; "
            "enter the number, or 0 if nothing happened."
        )

    @pytest.mark.parametrize("marker", ["N/A", "NULL", "#N/A", "nan", "—"])
    def test_xlsx_marker_keeps_its_text(self, tiny, qdir, marker):
        path = _xlsx(qdir, "police.xlsx", [["乡镇", "FR"], ["甲镇", marker]])
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "not_a_number"
        assert row["value"] == marker
        assert row["reason"].startswith(f"{marker!r} marks a missing value")

    def test_empty_xlsx_cell_is_missing_value(self, tiny, qdir):
        path = _xlsx(qdir, "police.xlsx", [["乡镇", "FR", "LS"], ["甲镇", None, 2]])
        res = read_one(tiny, path)
        assert res.data["indicator"].tolist() == ["LS"]
        row = res.rejected.iloc[0]
        assert row["rule"] == "missing_value"
        assert row["value"] == ""
        assert row["reason"] == "The cell is empty; enter 0 if nothing happened."

    def test_empty_csv_cell_is_missing_value(self, tiny, qdir):
        path = _write(qdir, "police.csv", "area,indicator,value\n001,FR,  \n")
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "missing_value"
        assert row["reason"] == "The cell is empty; enter 0 if nothing happened."


class TestWideRejections:
    def test_unknown_header_rejected_once(self, tiny, qdir):
        _write(qdir, "police.csv", "乡镇,FR,未知指标\n001,1,5\n002,2,6\n003,3,7\n")
        res = tiny.read_quarter("2025Q1")
        assert res.data["indicator"].tolist() == ["FR", "FR", "FR"]
        assert len(res.rejected) == 1
        row = res.rejected.iloc[0]
        assert row["rule"] == "unknown_indicator"
        assert row["source_row"] == 1
        assert row["column"] == "未知指标"
        assert row["value"] == "未知指标"
        assert row["reason"].endswith(
            "Use an id from catalogue.csv. The 3 cell(s) of this column were not read."
        )

    def test_xlsx_unknown_header_row_number(self, tiny, qdir):
        path = _xlsx(
            qdir, "police.xlsx", [["标题"], ["乡镇", "FR", "XX"], ["甲镇", 1, 2]]
        )
        row = read_one(tiny, path).rejected.iloc[0]
        assert row["rule"] == "unknown_indicator"
        assert row["source_row"] == 2

    def test_unknown_area_rejected_once_per_row(self, tiny, qdir):
        _write(qdir, "police.csv", "乡镇,FR,LS\n火星镇,1,5\n001,2,6\n")
        res = tiny.read_quarter("2025Q1")
        assert len(res.rejected) == 1
        row = res.rejected.iloc[0]
        assert row["rule"] == "unknown_area"
        assert row["source_row"] == 2
        assert row["value"] == "火星镇"
        assert row["reason"].endswith("The 2 cell(s) of this row were not read.")

    def test_bad_values_still_reported_per_cell(self, tiny, qdir):
        _write(qdir, "police.csv", "乡镇,FR,LS\n001,x,y\n")
        res = tiny.read_quarter("2025Q1")
        assert res.rejected["column"].tolist() == ["FR", "LS"]
        assert res.rejected["rule"].tolist() == ["not_a_number"] * 2

    def test_unknown_header_deducted_once(self, tiny, qdir):
        from pingan.quality import structure_findings

        _write(qdir, "police.csv", "乡镇,FR,未知指标\n001,1,5\n002,2,6\n")
        res = tiny.read_quarter("2025Q1")
        findings = structure_findings(res.rejected, res.problems, ["police"])
        assert findings["rule"].tolist() == ["unknown_indicator"]
        assert findings["n_items"].tolist() == [1]


class TestCsvLineEnds:
    def test_old_mac_line_ends(self, tiny, qdir):
        _write(qdir, "police.csv", "area,indicator,value\r001,FR,3\r002,FR,4\r")
        res = tiny.read_quarter("2025Q1")
        assert res.data["value"].tolist() == [3.0, 4.0]
        assert res.data["source_row"].tolist() == [2, 3]

    def test_csv_error_rejects_file(self, tiny, qdir):
        huge = "x" * 200_000
        _write(qdir, "police.csv", f'area,indicator,value\n001,FR,"{huge}"\n')
        res = tiny.read_quarter("2025Q1")
        assert res.problems["rule"].tolist() == ["unreadable_file"]
        assert (
            res.problems["reason"]
            .iloc[0]
            .startswith(
                "file 2025Q1/police.csv: unreadable file: it could not be read as CSV "
                "(field larger than field limit"
            )
        )
        assert (
            res.problems["reason"]
            .iloc[0]
            .endswith(
                "Open it in Excel or WPS, save it as CSV UTF-8 and submit it again."
            )
        )
