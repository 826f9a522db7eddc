import json
import re

import docx
import pandas as pd
import pytest

from pingan.alerts._testing import CATALOGUE, make_values, score_values
from pingan.alerts.letters import (
    LETTER_COLUMNS,
    evidence_chart,
    letter_context,
    letter_names,
    render_letter_html,
    write_letters,
)
from pingan.alerts.rules import RuleInputs, evaluate_rules, select_warnings
from pingan.exceptions import PinganError

AREAS = pd.DataFrame(
    {
        "area_code": ["530129004", "530129005"],
        "name_zh": ["七星镇", "金所街道"],
        "name_en": ["Qixing", "Jinsuo"],
    }
)


@pytest.fixture(scope="module")
def setup():
    results = score_values(make_values())
    quality = pd.DataFrame(
        {
            "quarter": ["2025Q4"] * 2,
            "department": ["court", "police"],
            "grade": ["red", "green"],
            "late_days": [4.0, 0.0],
        }
    )
    inputs = RuleInputs(
        index=results.index,
        level_scores=results.level_scores,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
        quality=quality,
    )
    found = select_warnings(evaluate_rules(inputs, "2025Q4"))
    names = letter_names(areas=AREAS, catalogue=CATALOGUE)
    return inputs, found, names


def test_letter_context_zh(setup):
    inputs, found, names = setup
    context = letter_context(found, "area", "530129005", inputs, "2025Q4", "zh", names)
    assert context["name"] == "金所街道"
    assert context["reference"] == "2025Q4-530129005"
    assert context["level"] == "notice"
    assert context["items"][0]["level_name"] == "通报"
    assert "已连续 12 个季度为红色" in context["items"][0]["sentence"]
    assert context["items"][0]["follow_up"] == "本季度新发"
    assert "约谈" in context["requests"][1]
    mine = found[found["recipient_id"] == "530129005"]
    assert len(context["items"]) == len(mine)


def test_letter_context_en_sentences(setup):
    inputs, found, names = setup
    context = letter_context(found, "area", "530129005", inputs, "2025Q4", "en", names)
    sentences = " ".join(i["sentence"] for i in context["items"])
    assert "grade red" in sentences
    # Petitions rose from 15.5 to 21.5 on a year earlier (+38.71 %), but as a
    # count 16 -> 22 is within Poisson noise (p = 0.21): no year-on-year item.
    assert "a change of +38.71 %" not in sentences
    assert "Mann-Kendall p < 0.001" in sentences
    index_row = context["comparison"][0]
    assert index_row["item"] == "Safety index"
    assert index_row["own"] == "14.93"


def test_letter_context_follow_up_status(setup):
    inputs, found, names = setup
    tracked = found.assign(status="persisting", quarter_raised="2025Q2")
    context = letter_context(
        tracked, "area", "530129004", inputs, "2025Q4", "zh", names
    )
    assert context["items"][0]["follow_up"] == "2025Q2首次列入预警台账，未见改善"


def test_letter_context_department(setup):
    inputs, found, names = setup
    context = letter_context(found, "department", "court", inputs, "2025Q4", "en")
    assert [i["sentence"] for i in context["items"]] == [
        "The data-quality grade of the submissions is red.",
        "The data were submitted 4 days late.",
    ]
    assert context["comparison"][1]["county"] == "2"


def test_letter_context_bad_language(setup):
    inputs, found, _ = setup
    with pytest.raises(
        PinganError, match="language must be one of 'zh', 'en'; got 'fr'"
    ):
        letter_context(found, "area", "530129005", inputs, "2025Q4", "fr")


def test_render_html_escapes_names(setup):
    inputs, found, _ = setup
    names = letter_names(areas=AREAS.assign(name_en=["<b>Qixing</b>", "Jinsuo"]))
    context = letter_context(found, "area", "530129004", inputs, "2025Q4", "en", names)
    html = render_letter_html(context, "en", b"\x89PNG")
    assert "&lt;b&gt;Qixing&lt;/b&gt;" in html
    assert "data:image/png;base64,iVBORw==" in html


def test_evidence_chart_png_deterministic(setup):
    inputs, _, _ = setup
    first = evidence_chart("area", "530129005", inputs, "2025Q4", ["DI01"])
    second = evidence_chart("area", "530129005", inputs, "2025Q4", ["DI01"])
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second


def test_write_letters_files(setup, tmp_path):
    inputs, found, names = setup
    written = write_letters(found, inputs, "2025Q4", tmp_path, "zh", names)
    assert list(written.columns) == LETTER_COLUMNS
    recipients = found[["recipient_type", "recipient_id"]].drop_duplicates()
    assert len(written) == len(recipients)
    assert written["warnings"].sum() == len(found)
    row = written[written["recipient_id"] == "530129005"].iloc[0]
    html = open(row["html"], encoding="utf-8").read()
    assert row["html"].endswith("area-530129005.zh.html")
    assert "金所街道" in html
    assert re.search(r"data:image/png;base64,[A-Za-z0-9+/]{100}", html)
    document = docx.Document(row["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "平安建设预警函" in text
    assert "金所街道" in text
    assert len(document.inline_shapes) == 1
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "通报" in cells


def test_write_letters_english(setup, tmp_path):
    inputs, found, names = setup
    written = write_letters(found, inputs, "2025Q4", tmp_path, "en", names)
    page = open(written["html"].iloc[0], encoding="utf-8").read()
    assert '<html lang="en">' in page
    assert all(p.endswith(".en.docx") for p in written["docx"])


def _letter_texts(path_html, path_docx) -> tuple[str, str]:
    html = open(path_html, encoding="utf-8").read()
    document = docx.Document(path_docx)
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return html, "\n".join(paragraphs + cells)


def test_write_letters_region_en(setup, tmp_path):
    inputs, found, names = setup
    written = write_letters(
        found, inputs, "2025Q4", tmp_path, "en", names, region="London"
    )
    row = written[written["recipient_id"] == "530129005"].iloc[0]
    for text in _letter_texts(row["html"], row["docx"]):
        assert "county" not in text.lower()
        assert "(London mean " in text
        assert "Results of the quarter beside the London figures" in text
        assert "London public-safety leading group office" in text
        assert "This will be circulated to every area." in text


def test_write_letters_region_zh(setup, tmp_path):
    inputs, found, names = setup
    written = write_letters(
        found, inputs, "2025Q4", tmp_path, "zh", names, region="全市"
    )
    row = written[written["recipient_id"] == "530129005"].iloc[0]
    for text in _letter_texts(row["html"], row["docx"]):
        assert "县" not in text
        assert "（全市平均 " in text
        assert "本季度结果与全市比较" in text
        assert "全市平安建设领导小组办公室" in text
        assert "本情况将在全市范围内通报。" in text


def test_letter_context_county_default(setup):
    inputs, found, names = setup
    context = letter_context(found, "area", "530129005", inputs, "2025Q4", "en", names)
    assert context["issuer"] == "County public-safety leading group office"
    assert context["text"]["column_county"] == "County"
    assert "(county mean " in context["items"][0]["sentence"]


def test_write_letters_no_warnings(setup, tmp_path):
    inputs, found, _ = setup
    written = write_letters(found.iloc[0:0], inputs, "2025Q4", tmp_path)
    assert written.empty
    assert list(written.columns) == LETTER_COLUMNS


def test_evidence_json_in_letter_matches(setup):
    _, found, _ = setup
    yoy = found[found["rule"] == "yoy_rise"]
    # SO05 is an amount (relative rule only); the others are counts.
    amount = json.loads(yoy[yoy["subject"] == "SO05"].iloc[0]["evidence_json"])
    assert set(amount) == {"value", "base", "change_pct", "county_mean"}


@pytest.fixture(scope="module")
def count_rise():
    # Petitions of 530129005 jump to 40 in 2025Q4 (15.5 a year earlier).
    values = make_values()
    jump = (values["area_code"] == "530129005") & (values["indicator"] == "DI01")
    jump &= values["quarter"] == pd.Period("2025Q4", freq="Q-DEC")
    values.loc[jump, ["raw_value", "value"]] = 40.0
    results = score_values(values)
    inputs = RuleInputs(
        index=results.index,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
    )
    found = select_warnings(evaluate_rules(inputs, "2025Q4", only=["yoy_rise"]))
    return inputs, found[found["subject"] == "DI01"]


def test_count_rise_letter_states_statistic(count_rise):
    inputs, found = count_rise
    names = letter_names(areas=AREAS, catalogue=CATALOGUE)
    en = letter_context(found, "area", "530129005", inputs, "2025Q4", "en", names)
    zh = letter_context(found, "area", "530129005", inputs, "2025Q4", "zh", names)
    # 16 -> 40 (15.5 rounded half to even): P(X >= 40 | Binomial(56, 0.5)).
    assert (
        "(count 40 against 16, 24 more; one-sided Poisson test p < 0.001)"
        in en["items"][0]["sentence"]
    )
    assert "增加 24；泊松单侧检验 p < 0.001" in zh["items"][0]["sentence"]
    evidence = json.loads(found.iloc[0]["evidence_json"])
    assert evidence["increase"] == 24.0
    assert evidence["p_value"] == pytest.approx(0.0009208, rel=1e-3)
