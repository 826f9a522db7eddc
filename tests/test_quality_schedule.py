"""Submission schedule and status: on time, late, missing, incomplete."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from pingan.exceptions import InputError, PinganError
from pingan.quality import (
    build_schedule,
    plot_submission_status,
    read_receipts,
    status_findings,
    submission_status,
)
from pingan.quality.schedule import STATUS_COLUMNS, submission_times
from pingan.quality.synthetic import make_catalogue, make_submissions

AREAS = pd.DataFrame({"area_code": ["01", "02", "03"]})


@pytest.fixture
def schedule():
    return build_schedule(make_catalogue(), AREAS, ["2025Q1"])


@pytest.fixture
def data():
    return make_submissions(n_areas=3, start="2025Q1", end="2025Q1")


def test_schedule_rows_and_deadline(schedule):
    # 4 indicators, PO01 owed by two departments: 5 owed values per area.
    assert len(schedule) == 5 * 3
    assert set(schedule["department"]) == {"police", "court", "justice"}
    assert (schedule["deadline"] == pd.Timestamp("2025-04-10")).all()


def test_schedule_deadline_days_configurable():
    schedule = build_schedule(make_catalogue(), AREAS, ["2024Q4"], deadline_days=15)
    assert schedule["deadline"].iloc[0] == pd.Timestamp("2025-01-15")


def test_schedule_bad_quarter_rejected():
    with pytest.raises(PinganError, match="quarter must be written YYYYQn"):
        build_schedule(make_catalogue(), AREAS, ["2025-13"])


def test_status_all_on_time(schedule, data):
    status = submission_status(schedule, data)
    assert list(status.columns) == STATUS_COLUMNS
    assert status["status"].tolist() == ["on_time"] * 3
    assert status["days_late"].tolist() == [-5, -5, -5]


def test_status_late_by_days(schedule, data):
    late = data.assign(
        submitted_at=data["submitted_at"].where(
            data["department"] != "court", pd.Timestamp("2025-04-13 16:00")
        )
    )
    status = submission_status(schedule, late).set_index("department")
    assert status.loc["court", "status"] == "late"
    assert status.loc["court", "days_late"] == 3
    assert status.loc["police", "status"] == "on_time"


def test_status_deadline_day_is_on_time(schedule, data):
    stamped = data.assign(submitted_at=pd.Timestamp("2025-04-10 23:59"))
    assert (submission_status(schedule, stamped)["status"] == "on_time").all()


def test_status_missing_and_incomplete(schedule, data):
    partial = data[
        (data["department"] != "justice")
        & ~((data["indicator"] == "SO05") & (data["area_code"] == "02"))
    ]
    status = submission_status(schedule, partial).set_index("department")
    assert status.loc["justice", "status"] == "missing"
    assert status.loc["police", "status"] == "incomplete"
    assert status.loc["police", "missing_indicators"] == "SO05"
    assert status.loc["police", "missing_areas"] == "02"
    assert status.loc["police", "n_missing"] == 1


def test_status_time_unknown_without_times(schedule, data):
    status = submission_status(schedule, data.drop(columns="submitted_at"))
    assert status["status"].tolist() == ["time_unknown"] * 3


def test_status_times_from_receipts(schedule, data):
    receipts = pd.DataFrame(
        {
            "quarter": [pd.Period("2025Q1", "Q")] * 2,
            "file": ["police.csv", "court.csv"],
            "submitted_at": pd.to_datetime(["2025-04-20", "2025-04-02"]),
        }
    )
    status = submission_status(schedule, data.drop(columns="submitted_at"), receipts)
    by_department = status.set_index("department")
    assert by_department.loc["police", "days_late"] == 10
    assert by_department.loc["court", "days_late"] == -8
    assert pd.isna(by_department.loc["justice", "days_late"])
    assert by_department.loc["police", "status"] == "late"
    assert by_department.loc["justice", "status"] == "time_unknown"


def test_submission_times_last_file(data):
    second = data[data["department"] == "police"].assign(
        source_file="2025Q1/police_extra.csv", submitted_at=pd.Timestamp("2025-04-12")
    )
    times = submission_times(pd.concat([data, second]))
    assert len(times) == 4
    status = submission_status(
        build_schedule(make_catalogue(), AREAS, ["2025Q1"]), pd.concat([data, second])
    )
    police = status.set_index("department").loc["police"]
    assert police["submitted_at"] == pd.Timestamp("2025-04-12")
    assert police["source_files"] == "2025Q1/police.csv|2025Q1/police_extra.csv"


def test_status_findings_items_and_types(schedule, data):
    partial = data[
        (data["department"] != "justice")
        & ~((data["indicator"] == "SO05") & (data["area_code"] == "02"))
    ]
    partial = partial.assign(
        submitted_at=partial["submitted_at"].where(
            partial["department"] != "court", pd.Timestamp("2025-04-13")
        )
    )
    status = submission_status(schedule, partial)
    found = status_findings(status, schedule, partial)
    by_rule = found.set_index("rule")
    assert sorted(found["rule"]) == [
        "incomplete_submission",
        "late_submission",
        "missing_submission",
    ]
    assert by_rule.loc["missing_submission", "n_items"] == 3
    assert by_rule.loc["missing_submission", "department"] == "justice"
    assert by_rule.loc["incomplete_submission", "n_items"] == 1
    assert by_rule.loc["late_submission", "deduction_type"] == "late"
    assert "3 day(s)" in by_rule.loc["late_submission", "reason"]


def test_read_receipts_gbk(tmp_path):
    (tmp_path / "2025Q1").mkdir()
    text = "file,department,submitted_at\n公安.csv,police,2025-04-09 10:00\n"
    (tmp_path / "2025Q1" / "_receipts.csv").write_bytes(text.encode("gb18030"))
    receipts = read_receipts(tmp_path, "2025Q1")
    assert receipts["file"].tolist() == ["公安.csv"]
    assert receipts["submitted_at"].iloc[0] == pd.Timestamp("2025-04-09 10:00")


def test_read_receipts_absent_is_empty(tmp_path):
    receipts = read_receipts(tmp_path, "2025Q1")
    assert receipts.empty
    assert list(receipts.columns) == [
        "quarter",
        "file",
        "department",
        "submitted_at",
        "problem",
    ]


def test_read_receipts_bad_time_rejects_row(tmp_path):
    (tmp_path / "2025Q1").mkdir()
    (tmp_path / "2025Q1" / "_receipts.csv").write_text(
        "file,department,submitted_at\na.csv,police,yesterday\n"
        "b.csv,court,2025-04-09 10:00\nc.csv,justice,\n",
        encoding="utf-8",
    )
    receipts = read_receipts(tmp_path, "2025Q1")
    assert receipts["file"].tolist() == ["a.csv", "b.csv", "c.csv"]
    assert pd.isna(receipts["submitted_at"].iloc[0])
    assert receipts["submitted_at"].iloc[1] == pd.Timestamp("2025-04-09 10:00")
    assert receipts["problem"].iloc[1] == ""
    assert (
        receipts["problem"]
        .iloc[0]
        .startswith(
            "file 2025Q1/_receipts.csv, row 2, column 'submitted_at', value "
            "'yesterday': the arrival time is not a date-time, so the arrival of "
            "a.csv is unknown. Write it year first, e.g. 2025-10-07T09:41"
        )
    )
    assert (
        "row 4, column 'submitted_at', value '': the arrival time is missing"
        in (receipts["problem"].iloc[2])
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-09T10:05:00", "2025-04-09 10:05"),
        ("2025/4/9 10:05", "2025-04-09 10:05"),
        ("2025年4月9日", "2025-04-09"),
        ("２０２５年４月９日 １０：０５", "2025-04-09 10:05"),
        ("2025.4.9", "2025-04-09"),
    ],
)
def test_read_receipts_chinese_date_formats(tmp_path, text, expected):
    (tmp_path / "2025Q1").mkdir()
    (tmp_path / "2025Q1" / "_receipts.csv").write_text(
        f"file,department,submitted_at\na.csv,police,{text}\n", encoding="utf-8"
    )
    receipts = read_receipts(tmp_path, "2025Q1")
    assert receipts["submitted_at"].iloc[0] == pd.Timestamp(expected)
    assert receipts["problem"].iloc[0] == ""


def test_read_receipts_missing_column_rejected(tmp_path):
    (tmp_path / "2025Q1").mkdir()
    (tmp_path / "2025Q1" / "_receipts.csv").write_text(
        "file\na.csv\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        read_receipts(tmp_path, "2025Q1")
    assert str(error.value) == (
        "file 2025Q1/_receipts.csv: the receipts file lacks column(s) "
        "department, submitted_at. Use the header file,department,submitted_at."
    )


def test_plot_submission_status_cells(schedule, data):
    late = data.assign(submitted_at=pd.Timestamp("2025-04-13"))
    status = submission_status(schedule, late)
    ax = plot_submission_status(status, labels={"police": "公安局"})
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("迟报 3天") == 3
    assert "公安局" in [t.get_text() for t in ax.get_yticklabels()]
