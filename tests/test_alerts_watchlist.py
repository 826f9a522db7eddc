import pandas as pd
import pytest

from pingan.alerts.rules import load_rules
from pingan.alerts.watchlist import split_letters
from pingan.exceptions import PinganError


def found() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recipient_type": ["area", "area", "area", "department"],
            "recipient_id": ["A", "A", "B", "court"],
            "rule": ["anomaly", "domain_drop", "trend", "late_submission"],
            "subject": ["SO02", "SO", "DI01", ""],
            "level": ["watch", "warning", "watch", "interview"],
        }
    )


def test_split_letters_default_warning():
    letters, watch = split_letters(found())
    # A keeps its watch item in the letter, because it also has a warning.
    assert letters["recipient_id"].tolist() == ["A", "A", "court"]
    assert watch["recipient_id"].tolist() == ["B"]
    assert watch["rule"].tolist() == ["trend"]


def test_split_letters_levels():
    letters, watch = split_letters(found(), "watch")
    assert len(letters) == 4
    assert watch.empty
    letters, watch = split_letters(found(), "interview")
    assert letters["recipient_id"].tolist() == ["court"]
    assert watch["recipient_id"].tolist() == ["A", "A", "B"]


def test_split_letters_empty():
    letters, watch = split_letters(found().iloc[:0])
    assert letters.empty
    assert watch.empty


def test_split_letters_bad_level():
    with pytest.raises(PinganError, match="letters.min_level"):
        split_letters(found(), "urgent")


def test_load_rules_min_level(tmp_path):
    assert load_rules()["letters"]["min_level"] == "warning"
    path = tmp_path / "warnings.yaml"
    path.write_text("letters:\n  min_level: urgent\n", encoding="utf-8")
    with pytest.raises(PinganError, match="min_level"):
        load_rules(path=path)
