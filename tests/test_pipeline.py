"""The quarterly pipeline on the fixture and on the bundled datasets."""

from __future__ import annotations

import pandas as pd
import pytest

from pingan.exceptions import PinganError
from pingan.pipeline import data_notes, run_quarter
from pingan.scoring import annual_totals


def test_tiny_quarter_scores(tiny_root):
    res = run_quarter("tiny", "2024Q4")
    cur = res.current
    assert len(cur) == 3
    assert cur["index"].between(0, 100).all()
    assert cur["coverage"].eq(1.0).all()
    assert sorted(cur["rank"].tolist()) == [1, 2, 3]
    out = tiny_root / "data" / "processed" / "tiny" / "2024Q4"
    assert (out / "index.csv").is_file()
    assert (out / "manifest.json").is_file()


def test_index_is_sum_of_indicator_points(tiny_root):
    res = run_quarter("tiny", "2024Q4", write=False)
    scores = res.indicator_scores
    areas = scores.loc[scores["area_code"] != "county"]
    summed = areas.groupby(["quarter", "area_code"])["points"].sum()
    table = res.index.set_index(["quarter", "area_code"])["index"]
    pd.testing.assert_series_equal(
        summed.sort_index(), table.sort_index(), check_names=False
    )


def test_rerun_gives_identical_tables(tiny_root):
    run_quarter("tiny", "2024Q4")
    out = tiny_root / "data" / "processed" / "tiny" / "2024Q4"
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    run_quarter("tiny", "2024Q4")
    second = {p.name: p.read_bytes() for p in out.iterdir()}
    assert first == second


def test_missing_department_file_is_carried_forward(tiny_root):
    (tiny_root / "data" / "raw" / "tiny" / "2024Q4" / "justice.csv").unlink()
    res = run_quarter("tiny", "2024Q4", write=False)
    md = res.values.query("quarter == '2024Q4' and indicator == 'MD'")
    assert md["status"].eq("carried_forward").all()
    assert md["note"].str.contains("2024Q3").all()
    notes = data_notes(res)
    assert notes.query("rule == 'carried_forward'")["count"].iloc[0] == 3


def test_unknown_quarter_rejected_with_range(tiny_root):
    with pytest.raises(PinganError, match="has 2023Q1 to 2024Q4"):
        run_quarter("tiny", "2025Q1")


def test_bad_quarter_text_rejected(tiny_root):
    with pytest.raises(PinganError, match="must be written YYYYQn"):
        run_quarter("tiny", "2024-13")


def test_unknown_dataset_lists_known(tiny_root):
    with pytest.raises(PinganError, match="Known datasets: tiny"):
        run_quarter("nowhere", "2024Q4")


def test_xundian_fraud_changes_2025():
    # The example's published figures: cases -5.19 %, losses -11.95 % on 2024.
    res = run_quarter("xundian-example", "2025Q4", write=False)
    got = annual_totals(res.values, 2025, ["SO04", "SO05"]).set_index("indicator")
    assert round(got.loc["SO04", "change_pct"], 2) == -5.19
    assert round(got.loc["SO05", "change_pct"], 2) == -11.95
    assert got.loc["SO04", "total"] == 530
    assert got.loc["SO05", "previous_total"] == pytest.approx(2964.95)


def test_xundian_planted_row_problems_are_reported():
    res = run_quarter("xundian-example", "2025Q4", write=False)
    rules = set(res.rejected["rule"]) | set(res.notes["rule"])
    assert {"negative_value", "duplicate_identical", "area_alias"} <= rules


@pytest.mark.parametrize(
    ("dataset", "quarter", "n_areas"),
    [
        ("london", "2025Q3", 32),
        ("ireland", "2019Q3", 28),
        ("xundian-example", "2022Q1", 16),
    ],
)
def test_bundled_datasets_score(dataset, quarter, n_areas):
    res = run_quarter(dataset, quarter, write=False)
    assert len(res.current) == n_areas
    assert res.current["index"].notna().all()
    assert res.current["grade"].isin(["green", "yellow", "orange", "red"]).all()


def test_missing_quarter_is_a_gap_not_a_copy(tiny_root):
    import shutil

    shutil.rmtree(tiny_root / "data" / "raw" / "tiny" / "2024Q2")
    res = run_quarter("tiny", "2024Q3", write=False)
    assert pd.Period("2024Q2", "Q") not in set(res.index["quarter"])
    q3 = res.index.loc[res.index["quarter"] == pd.Period("2024Q3", "Q")]
    assert q3["qoq_change"].isna().all()
    assert q3["qoq_reason"].eq("no base quarter").all()
    notes = data_notes(res)
    assert "2024Q2" in notes.query("rule == 'no_submissions'")["detail"].iloc[0]
    with pytest.raises(PinganError, match="2023Q1 to 2024Q1, 2024Q3 to 2024Q4"):
        run_quarter("tiny", "2024Q2")


def test_dataset_name_must_not_be_a_path(tiny_root):
    with pytest.raises(PinganError, match="not a path"):
        run_quarter("../raw/tiny", "2024Q4")


def test_population_must_cover_every_area(tiny_root):
    pop = tiny_root / "data" / "raw" / "tiny" / "population.csv"
    lines = pop.read_text(encoding="utf-8").splitlines()
    pop.write_text(
        "\n".join(ln for ln in lines if not ln.startswith("003")) + "\n",
        encoding="utf-8",
    )
    from pingan.exceptions import InputError

    with pytest.raises(InputError, match="no population for area"):
        run_quarter("tiny", "2024Q4")


@pytest.mark.parametrize(
    ("dataset", "quarter"), [("london", "2010Q2"), ("xundian-example", "2022Q1")]
)
def test_first_quarter_scores_with_later_goalposts(dataset, quarter):
    from pingan.watch import core_watch

    res = run_quarter(dataset, quarter, write=False)
    assert res.current["index"].notna().all()
    assert res.index["quarter"].max() == pd.Period(quarter, "Q")
    assert res.current["qoq_reason"].eq("no base quarter").all()
    watch = core_watch(res)
    assert watch["reason"].str.startswith("fewer than").all()


def test_goalposts_do_not_depend_on_reporting_quarter():
    early = run_quarter("london", "2015Q1", write=False).parameters
    late = run_quarter("london", "2025Q3", write=False).parameters
    pd.testing.assert_frame_equal(early, late)
