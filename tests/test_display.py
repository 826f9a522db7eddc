"""Notebook tables and figures in one language: headers, codes, names, glyphs."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from pingan import i18n  # noqa: E402
from pingan.alerts import plot_annual_change, plot_register_status  # noqa: E402
from pingan.composite.plots import plot_rank_shifts, plot_sensitivity  # noqa: E402
from pingan.datasets import load_dataset  # noqa: E402
from pingan.detect import plot_alarm_counts, plot_delay, plot_power  # noqa: E402
from pingan.display import display_table, figure_text  # noqa: E402
from pingan.quality import plot_scorecards, plot_submission_status  # noqa: E402

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def test_english_labels_have_no_chinese():
    for key, (zh, en) in i18n._ALL.items():
        assert zh, key
        assert en, key
        assert not CJK.search(en), key


def test_label_fills_fields():
    assert i18n.label("fig_days", "en", days=3) == "3 d"
    assert i18n.label("fig_annual_change", "zh", year=2025, previous=2024) == (
        "年度指数变化：2025年与2024年比较"
    )


def test_display_table_names_areas_and_departments():
    data = load_dataset("xundian-example")
    table = pd.DataFrame(
        {"area_code": ["530129208"], "department": ["court"], "grade": ["red"]}
    )
    en = display_table(table, "en", data)
    assert en.columns.tolist() == ["Area code", "Area", "Department", "Grade"]
    assert en.iloc[0].tolist() == [
        "530129208",
        "Lianhe Township",
        "County people's court",
        "red",
    ]
    zh = display_table(table, "zh", data)
    assert zh.iloc[0].tolist() == ["530129208", "联合乡", "县人民法院", "红"]


def test_display_table_pivot_keeps_column_values():
    counts = pd.DataFrame(
        {"warning": [2], "watch": [1]},
        index=pd.Index(["anomaly"], name="rule"),
    )
    counts.columns.name = "level"
    zh = display_table(counts, "zh", keys={"level": "warning_level"})
    assert zh.columns.tolist() == ["预警", "关注"]
    assert zh.columns.name == "级别"
    assert zh.index.name == "规则"
    assert zh.index.tolist() == ["anomaly"]


def test_display_table_keeps_unknown_columns():
    table = pd.DataFrame({"no_such_column": [1]})
    assert display_table(table, "zh").columns.tolist() == ["no_such_column"]


@pytest.mark.parametrize("name", ["london", "ireland", "xundian-example"])
def test_units_in_english(name):
    units = load_dataset(name).units("en")
    assert not units.str.contains(CJK).any()
    assert load_dataset(name).units("zh").str.contains(CJK).any()


def test_london_unit_is_offences():
    assert set(load_dataset("london").units("en")) == {"offences"}


def _figures(language: str) -> list:
    summary = pd.DataFrame(
        {"detector": ["cusum"] * 2, "effect": [0.0, 1.0], "alarm_rate": [0.1, 0.8]}
    )
    outcomes = pd.DataFrame(
        {
            "detector": ["cusum"] * 2,
            "effect": [1.0, 1.0],
            "detected": [True, True],
            "delay": [1.0, 2.0],
        }
    )
    counts = pd.DataFrame({"quarter": ["2019Q1"], "detector": "cusum", "alarms": [2]})
    ranks = pd.DataFrame(
        {
            "scheme": ["points", "points", "equal", "equal"],
            "area_code": ["a", "b"] * 2,
            "rank": [1, 2, 2, 1],
            "rank_shift": [0, 0, 1, -1],
        }
    )
    names = pd.Series({"a": "仁德街道", "b": "塘子街道"})
    sobol = pd.DataFrame({"factor": ["weights_domain"], "s1": [0.4], "st": [0.6]})
    register = pd.DataFrame(
        {"quarter_checked": ["2025Q4", "2025Q4"], "status": ["open", "closed"]}
    )
    index = pd.DataFrame({"area_code": ["a", "b"], "index_change": [1.0, -2.0]})
    scores = pd.DataFrame(
        {"department": ["court"], "score": [92.0], "grade": ["yellow"]}
    )
    status = pd.DataFrame(
        {
            "quarter": [pd.Period("2025Q3", "Q")],
            "department": ["court"],
            "status": ["late"],
            "days_late": [7],
        }
    )
    return [
        plot_power(summary, "step", language),
        plot_delay(outcomes, language),
        plot_alarm_counts(counts, language),
        plot_rank_shifts(ranks, names, language),
        plot_sensitivity(sobol, language),
        plot_register_status(register, language),
        plot_annual_change(index, names, 2025, language),
        plot_scorecards(scores, {"court": "县人民法院"}, language=language).figure,
        plot_submission_status(
            status, {"court": "县人民法院"}, language=language
        ).figure,
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_figures_titled_and_drawn_with_glyphs(language):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        for fig in _figures(language):
            fig.savefig(io.BytesIO(), format="png")
            text = figure_text(fig)
            assert "title: " in text
            assert "\nx: " in text
            assert "\ny: " in text
            if language == "en":
                assert not CJK.search(text), text
            else:
                assert CJK.search(text), text
            plt.close(fig)


def test_display_table_hides_row_numbers():
    table = pd.DataFrame({"rank": [1, 2], "score": [90.5, 80.25]})
    shown = display_table(table.sort_values("score"), "en")
    assert shown.show_index is False
    assert "row_heading" not in shown._repr_html_()
    assert repr(shown).splitlines()[0].split() == ["Rank", "Score"]


def test_display_table_keeps_named_index():
    table = pd.DataFrame({"n": [3]}, index=pd.Index(["anomaly"], name="rule"))
    shown = display_table(table, "en")
    assert shown.show_index is True
    assert ">anomaly</th>" in shown._repr_html_()
    assert display_table(table, "en", index=False).show_index is False


def test_display_table_marks_missing_apart_from_zero():
    table = pd.DataFrame(
        {"value": [0.0, None], "reason": [None, "late"], "count": [0, 0]}
    )
    shown = display_table(table, "en")
    assert shown["Value"].tolist() == ["0", "—"]
    assert shown["Reason"].tolist() == ["—", "late"]
    assert shown["Count"].tolist() == ["0", "0"]


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("total", [11818.0, None], ["11818", "—"]),
        ("score", [92.55, 100.0], ["92.5", "100.0"]),
        ("yoy_change_pct", [-5.1949, 12.0], ["-5.19", "12.00"]),
        ("p_value", [0.0004, 0.04321], ["<0.001", "0.043"]),
        ("trend_p", [0.5, 0.0], ["0.500", "<0.001"]),
        ("variance_share", [0.41234, 0.5], ["0.412", "0.500"]),
        ("mean_rank", [2.25, 3.0], ["2.2", "3.0"]),
        ("eigenvalue", [1.23456, 2.0], ["1.23", "2"]),
        ("index_change", [-0.04, 1.5], ["0.0", "1.5"]),
    ],
)
def test_display_table_decimals_by_column(column, values, expected):
    shown = display_table(pd.DataFrame({column: values}), "en")
    assert shown.iloc[:, 0].tolist() == expected


def test_display_table_decimals_override():
    table = pd.DataFrame({"score": [92.555]})
    assert display_table(table, "en", decimals={"score": 2})["Score"].tolist() == [
        "92.56"
    ]


def test_display_table_paths_relative_to_folder(tmp_path):
    letter = tmp_path / "letters" / "2025Q4-area-001.zh.html"
    table = pd.DataFrame({"html": [str(letter), "/elsewhere/b.html", None]})
    shown = display_table(table, "en", folder=tmp_path)
    assert shown["Letter"].tolist() == [
        "letters/2025Q4-area-001.zh.html",
        "b.html",
        "—",
    ]
    assert display_table(table, "en")["Letter"].tolist()[0] == letter.name


def test_display_table_names_recipients():
    data = load_dataset("xundian-example")
    table = pd.DataFrame(
        {
            "recipient_type": ["area", "department"],
            "recipient_id": ["530129208", "court"],
        }
    )
    shown = display_table(table, "en", data)
    assert shown.columns.tolist() == ["Recipient type", "Recipient code", "Recipient"]
    assert shown["Recipient"].tolist() == ["Lianhe Township", "County people's court"]


def test_display_table_html_escape_nowrap():
    table = pd.DataFrame({"level": ["watch"], "evidence": ["a < b " * 10]})
    html = display_table(table, "zh", keys={"level": "warning_level"})._repr_html_()
    assert "a &lt; b" in html
    assert "td.col0 {\n  white-space: nowrap;" in html
    assert "td.col1" not in html


def test_region_name_in_labels():
    london = load_dataset("london")
    assert london.region_name("en") == "London"
    assert load_dataset("ireland").region_name("zh") == "全国"
    table = pd.DataFrame({"vs_county_mean": [1.0], "county_change_pct": [2.5]})
    assert display_table(table, "en", london).columns.tolist() == [
        "Difference from London mean",
        "London change (%)",
    ]
    assert display_table(table, "zh", london).columns.tolist() == [
        "与全市均值之差",
        "全市变化(%)",
    ]
    assert display_table(table, "en").columns.tolist() == [
        "Difference from county mean",
        "County change (%)",
    ]


def test_display_table_names_pooled_row_by_region():
    table = pd.DataFrame({"area_code": ["county"], "points": [3.2]})
    london = load_dataset("london")
    xundian = load_dataset("xundian-example")
    assert display_table(table, "en", london)["Area"].tolist() == ["London"]
    assert display_table(table, "zh", london)["区域"].tolist() == ["全市"]
    assert display_table(table, "en", xundian)["Area"].tolist() == ["County"]
    assert display_table(table, "zh", xundian)["区域"].tolist() == ["全县"]


def test_display_table_labelled_headers_decimals():
    table = pd.DataFrame(
        {
            "Safety index": [75.5, 80.0],
            "Difference from London mean": [1.26, 2.0],
            "Trend test p": [0.0004, 0.2],
        }
    )
    shown = display_table(table, "en", load_dataset("london"))
    assert shown["Safety index"].tolist() == ["75.5", "80.0"]
    assert shown["Difference from London mean"].tolist() == ["1.3", "2.0"]
    assert shown["Trend test p"].tolist() == ["<0.001", "0.200"]


def test_display_table_mixed_units_column():
    table = pd.DataFrame({"total": [2964.951, 595.0, None]})
    assert display_table(table, "en")["Total"].tolist() == ["2964.95", "595", "—"]


def test_core_figures_name_the_region():
    from pingan.figures import core_change_bars

    table = pd.DataFrame({"name": ["Burglary"], "yoy_change_pct": [-5.19]})
    fig = core_change_bars(table, "en", region="London")
    assert fig.axes[0].get_title().startswith("Core indicators, London totals")
    plt.close(fig)
    fig = core_change_bars(table, "en")
    assert fig.axes[0].get_title().startswith("Core indicators, county totals")
    plt.close(fig)


@pytest.mark.parametrize(
    ("language", "note"), [("zh", "（无记录）"), ("en", "(No rows.)")]
)
def test_empty_table_shows_note(language, note):
    shown = display_table(pd.DataFrame({"grade": [], "score": []}), language)
    assert repr(shown) == note
    assert shown._repr_html_() == f"<p><em>{note}</em></p>"


def test_boolean_cells_read_yes_or_no():
    frame = pd.DataFrame({"signal": [True, False], "flag": [True, None]})
    shown = display_table(frame, "zh")
    assert shown.iloc[:, 0].tolist() == ["是", "否"]
    assert shown.iloc[:, 1].tolist() == ["是", "—"]
    assert display_table(frame, "en").iloc[:, 0].tolist() == ["yes", "no"]
