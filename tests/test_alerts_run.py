import shutil

import numpy as np
import pandas as pd
import pytest

from pingan.alerts.register import STATUSES, read_register
from pingan.alerts.rules import (
    RuleInputs,
    evaluate_rules,
    load_rules,
    select_warnings,
)
from pingan.alerts.run import (
    annual_review,
    check_warning_parameters,
    register_path,
    run_warnings,
)
from pingan.config import project_root
from pingan.datasets import _xundian_model as model
from pingan.exceptions import PinganError
from pingan.pipeline import QuarterResult, run_quarter

DATASET = "xundian-example"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("home")
    shutil.copytree(
        project_root() / "data" / "raw" / DATASET, root / "data" / "raw" / DATASET
    )
    return root


# 2022Q4 is the fourth quarter of the dataset: scoring it reads four quarters
# only, which keeps these tests fast. The 2025 tests below are marked slow.
@pytest.fixture(scope="module")
def scored(home):
    return run_quarter(DATASET, "2022Q4", write=False, root=home)


@pytest.fixture(scope="module")
def first_run(home, scored):
    return run_warnings(DATASET, "2022Q4", start="2022Q2", result=scored, root=home)


@pytest.fixture(scope="module")
def scored_2025(home):
    return run_quarter(DATASET, "2025Q4", write=False, root=home)


def test_run_warnings_builds_history(first_run):
    quarters = sorted(set(first_run.register["quarter_checked"]))
    assert quarters == ["2022Q2", "2022Q3", "2022Q4"]
    assert set(first_run.register["status"]) <= set(STATUSES)
    assert len(first_run.warnings) > 0
    assert first_run.warnings["tracking_id"].notna().all()
    assert set(first_run.warnings["status"]) <= set(STATUSES) - {"closed"}
    raised_earlier = first_run.warnings["quarter_raised"] < "2022Q4"
    assert raised_earlier.any()


def test_run_warnings_writes_letters(first_run, home):
    folder = home / "reports" / DATASET / "2022Q4" / "letters"
    found = first_run.warnings
    mild = found["level"].eq("watch").groupby(found["recipient_id"]).all()
    with_letter = sorted(mild.index[~mild])
    assert len(with_letter) > 0
    assert sorted(first_run.letters["recipient_id"]) == with_letter
    assert len(list(folder.glob("*.zh.html"))) == len(with_letter)
    assert len(list(folder.glob("*.zh.docx"))) == len(with_letter)
    page = (folder / f"area-{with_letter[0]}.zh.html").read_text("utf-8")
    assert "平安建设预警函" in page


def test_run_warnings_writes_watch_list(tmp_path, scored):
    # No warning of 2022Q4 reaches "notice": every recipient is only watched.
    raw = tmp_path / "data" / "raw" / DATASET
    shutil.copytree(project_root() / "data" / "raw" / DATASET, raw)
    (raw / "rules").mkdir(exist_ok=True)
    (raw / "rules" / "warnings.yaml").write_text(
        "letters:\n  min_level: notice\n", encoding="utf-8"
    )
    out = run_warnings(DATASET, "2022Q4", result=scored, root=tmp_path)
    assert len(out.warnings) > 0
    assert out.letters.empty
    assert len(out.watch_list) == len(out.warnings)
    folder = tmp_path / "reports" / DATASET / "2022Q4" / "letters"
    assert not list(folder.glob("*.html"))
    written = pd.read_csv(folder / "watch_list.csv", dtype={"recipient_id": str})
    assert sorted(written["warning_id"]) == sorted(out.warnings["warning_id"])
    english = run_warnings(
        DATASET, "2022Q4", "en", result=scored, rerun="replace", root=tmp_path
    )
    assert sorted(path.name for path in folder.iterdir()) == [
        "watch_list.csv",
        "watch_list.en.csv",
    ]
    written_en = pd.read_csv(folder / "watch_list.en.csv", dtype={"recipient_id": str})
    assert sorted(written_en["warning_id"]) == sorted(english.warnings["warning_id"])


def test_run_warnings_rerun_identical_bytes(first_run, home, scored):
    path = register_path(DATASET, home)
    before = path.read_bytes()
    again = run_warnings(DATASET, "2022Q4", result=scored, letters=False, root=home)
    assert path.read_bytes() == before
    pd.testing.assert_frame_equal(again.register, read_register(path))


def test_run_warnings_english(home, scored):
    out = run_warnings(DATASET, "2022Q4", "en", result=scored, root=home)
    assert all(p.endswith(".en.html") for p in out.letters["html"])


def test_run_warnings_drivers_sum_to_changes(first_run, scored):
    index = scored.index[scored.index["quarter"] == pd.Period("2022Q4", "Q-DEC")]
    index = index.set_index("area_code")
    drivers = first_run.drivers[first_run.drivers["lag"] == 1]
    # The drivers also decompose the county row ("county"); compare the areas.
    sums = drivers.groupby("area_code")["contribution"].sum().reindex(index.index)
    np.testing.assert_allclose(sums, index["qoq_change"], atol=1e-9)


@pytest.mark.slow
def test_drivers_2025_sum_to_changes(home, scored_2025):
    out = run_warnings(DATASET, "2025Q4", result=scored_2025, letters=False, root=home)
    index = scored_2025.index
    index = index[index["quarter"] == pd.Period("2025Q4", "Q-DEC")].set_index(
        "area_code"
    )
    for lag, column in [(1, "qoq_change"), (4, "yoy_change")]:
        part = out.drivers[out.drivers["lag"] == lag]
        sums = part.groupby("area_code")["contribution"].sum().reindex(index.index)
        np.testing.assert_allclose(sums, index[column], atol=1e-9)
    totals = scored_2025.county_totals.set_index(["quarter", "indicator"])[
        "yoy_change_pct"
    ]
    assert set(out.county_drivers["indicator"]) == {"SO02", "SO04", "SO05", "DI01"}
    for indicator, group in out.county_drivers.groupby("indicator"):
        expected = totals[(pd.Period("2025Q4", "Q-DEC"), indicator)]
        assert group["contribution_pct"].sum() == pytest.approx(expected)


def test_run_warnings_with_detectors(home, scored):
    out = run_warnings(
        DATASET,
        "2022Q4",
        result=scored,
        letters=False,
        root=home,
        detectors=["shewhart"],
        rerun="replace",
    )
    assert "anomaly" in set(out.checks["rule"])


def test_check_warning_parameters_detectors(home):
    with pytest.raises(PinganError, match="detectors must be one of"):
        check_warning_parameters(DATASET, "2022Q4", "zh", ["crystal_ball"], root=home)


def test_run_warnings_bad_language(home):
    with pytest.raises(
        PinganError, match="language must be one of 'zh', 'en'; got 'de'"
    ):
        run_warnings(DATASET, "2022Q4", "de", root=home)


def test_run_warnings_unknown_quarter(home):
    with pytest.raises(PinganError, match="has no submissions for 2030Q1"):
        run_warnings(DATASET, "2030Q1", root=home)


def test_annual_review_needs_year(home, scored):
    with pytest.raises(PinganError, match="no quarter in 2031"):
        annual_review(DATASET, 2031, result=scored, root=home)


def test_annual_review_without_previous_year(home, scored):
    review = annual_review(DATASET, 2022, result=scored, root=home)
    assert review.index["annual_index"].notna().all()
    # 2021 is absent, so last year's index and the changes are missing.
    assert review.index["previous_index"].isna().all()
    assert review.county_totals["change_pct"].isna().all()
    assert (review.county_totals["reason"] == "only 0 of 4 quarters in 2021").all()


@pytest.mark.slow
def test_annual_review_xundian_2025(home, scored_2025):
    # dataset.yaml of xundian-example: the 2025 county totals of telecom
    # fraud cases (SO04) and losses (SO05) change by -5.19 % and -11.95 %,
    # and public-order incidents (SO02, SO03) and petitions (DI01) rise.
    review = annual_review(DATASET, 2025, result=scored_2025, root=home)
    change = review.county_totals.set_index("indicator")["change_pct"]
    assert change["SO04"] == pytest.approx(-5.19, abs=0.005)
    assert change["SO05"] == pytest.approx(-11.95, abs=0.005)
    worse = set(review.key_targets["indicator"])
    assert {"SO02", "SO03", "DI01"} <= worse
    assert not {"SO04", "SO05"} & worse
    assert review.index["annual_index"].notna().all()
    assert review.index["rank"].tolist() == list(range(1, 17))


def yoy_warnings(scored: QuarterResult, quarters, rules=None) -> pd.DataFrame:
    inputs = RuleInputs(
        index=scored.index,
        values=scored.values,
        catalogue=scored.dataset.catalogue,
    )
    found = [
        select_warnings(evaluate_rules(inputs, q, rules, only=["yoy_rise"]))
        for q in quarters
    ]
    return pd.concat(found, ignore_index=True)


@pytest.mark.slow
def test_planted_rises_still_warned(scored_2025):
    # pingan.datasets._xundian_model plants these 2025 rises: petitions (DI01)
    # in two townships, public-order incidents and cases (SO02, SO03) in every
    # township, and telecom fraud cases (SO04) in the county total of Q1-Q2.
    found = yoy_warnings(scored_2025, pd.period_range("2025Q1", "2025Q4", freq="Q"))
    by_subject = found.groupby("subject")
    petitions = by_subject.get_group("DI01")
    for area in model.PETITION_RISE_AREAS:
        assert area in set(petitions["recipient_id"]), area
    assert np.allclose(model.PETITION_RISE_2025, (1.5, 1.8, 2.1, 2.4))
    for indicator in ("SO02", "SO03"):
        assert len(by_subject.get_group(indicator)) >= 4, indicator
    assert np.allclose(model.ORDER_RISE_2025, (1.10, 1.18, 1.26, 1.34))
    fraud = by_subject.get_group("SO04")
    assert (fraud["quarter"].dt.quarter <= 2).any()
    assert model.FRAUD_EARLY_RISE["cases"] == (1.10, 1.06)


@pytest.mark.slow
def test_count_test_cuts_noise(scored_2025):
    # 2023-2024 hold no planted rise: count warnings there are noise.
    quarters = pd.period_range("2023Q1", "2024Q4", freq="Q")
    counts = ["SO01", "SO02", "SO03", "SO04", "PU03", "DI01", "DI02", "RL04"]
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["count_test"]["enabled"] = False
    before = yoy_warnings(scored_2025, quarters, rules)
    after = yoy_warnings(scored_2025, quarters)
    per_quarter_before = before["subject"].isin(counts).sum() / len(quarters)
    per_quarter_after = after["subject"].isin(counts).sum() / len(quarters)
    assert per_quarter_before == pytest.approx(49.0)
    assert per_quarter_after == pytest.approx(5.125)
    # Without the overdispersion factor the Poisson test alone leaves 12.25.
    rules = load_rules()
    rules["indicator"]["yoy_rise"]["count_test"]["dispersion"] = False
    poisson = yoy_warnings(scored_2025, quarters, rules)
    assert poisson["subject"].isin(counts).sum() / len(quarters) == pytest.approx(12.25)
