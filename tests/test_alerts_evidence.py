import pandas as pd
import pytest

from pingan.alerts.evidence import describe_evidence, readable_evidence
from pingan.exceptions import PinganError

YOY = "value=20.80; base=11.18; change_pct=86.06; county_mean=26.88; count=177.00"


def test_describe_evidence_zh():
    assert describe_evidence(YOY, "zh") == (
        "本季度 20.80，上年同期 11.18，变化 +86.06%，全县均值 26.88，计数 177"
    )


def test_describe_evidence_en_region():
    assert describe_evidence(YOY, "en", region="London") == (
        "this quarter 20.80, a year earlier 11.18, change +86.06%, "
        "London mean 26.88, count 177"
    )


def test_describe_evidence_zh_region():
    assert "全市均值 26.88" in describe_evidence(YOY, "zh", region="全市")


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ("p_value=4e-05", "p < 0.001"),
        ("p_value=0.0083", "p = 0.008"),
        ("change=-3.50", "change -3.50"),
        ("change_pct=-12.00", "change -12.00%"),
        ("late_days=4.00", "days late 4"),
        ("late_days=2.50", "days late 2.50"),
        ("grade=red; late_days=0.00", "grade red, days late 0"),
        ("base=NA", "a year earlier —"),
        ("methods=ears_c2, farrington", "detectors ears_c2, farrington"),
        ("new_key=1.50", "new_key 1.50"),
    ],
)
def test_describe_evidence_formats(evidence, expected):
    assert describe_evidence(evidence, "en") == expected


def test_describe_evidence_grade_zh():
    assert describe_evidence("grade=red", "zh") == "等级 红"


def test_describe_evidence_bad_language():
    with pytest.raises(PinganError, match="language must be one of"):
        describe_evidence(YOY, "fr")


def test_readable_evidence_keeps_input():
    table = pd.DataFrame({"warning_id": ["a", "b"], "evidence": [YOY, None]})
    before = table.copy()
    shown = readable_evidence(table, "en")
    assert table.equals(before)
    assert shown["evidence"].iloc[0].startswith("this quarter 20.80")
    assert pd.isna(shown["evidence"].iloc[1])
    assert shown["warning_id"].tolist() == ["a", "b"]


def test_readable_evidence_without_column():
    table = pd.DataFrame({"warning_id": ["a"]})
    assert readable_evidence(table, "zh").equals(table)
