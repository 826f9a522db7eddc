"""Digit tests of pingan.quality.digits: last-digit preference and Benford's law."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pingan.exceptions import PinganError
from pingan.quality import digit_findings, first_digit_test, last_digit_test
from pingan.quality.digits import BENFORD_FIRST_DIGIT, TEST_COLUMNS


def frame(values, department="police", indicator="SO04"):
    return pd.DataFrame(
        {
            "quarter": pd.Period("2025Q1", "Q"),
            "department": department,
            "indicator": indicator,
            "value": np.asarray(values, float),
        }
    )


def test_benford_shares_published_values():
    # log10(2) = 0.30103 and log10(10 / 9) = 0.04576, to five decimals.
    assert BENFORD_FIRST_DIGIT[0] == pytest.approx(0.30103, abs=1e-5)
    assert BENFORD_FIRST_DIGIT[8] == pytest.approx(0.04576, abs=1e-5)
    assert BENFORD_FIRST_DIGIT.sum() == pytest.approx(1.0)


def test_last_digit_uniform_no_signal():
    rng = np.random.default_rng(3)
    result = last_digit_test(frame(rng.integers(10, 1000, 500)))
    assert list(result.columns) == TEST_COLUMNS
    assert bool(result["applied"].iloc[0])
    assert not bool(result["signal"].iloc[0])


def test_last_digit_rounding_signal():
    rng = np.random.default_rng(4)
    values = rng.integers(10, 1000, 200)
    values[:80] = values[:80] // 10 * 10  # 40 % rounded to a multiple of ten
    result = last_digit_test(frame(values))
    assert bool(result["signal"].iloc[0])
    assert result["top_digit"].iloc[0] == 0
    assert result["top_share"].iloc[0] > 0.4


def test_last_digit_statistic_matches_hand_count():
    # 40 values end in 0 and 20 in each other digit; 22 are expected per digit.
    values = [10] * 40 + [d + 10 for d in range(1, 10) for _ in range(20)]
    result = last_digit_test(frame(values))
    expected = 220 / 10
    by_hand = (40 - expected) ** 2 / expected + 9 * (20 - expected) ** 2 / expected
    assert result["statistic"].iloc[0] == pytest.approx(by_hand)
    assert result["p_value"].iloc[0] == pytest.approx(stats.chi2.sf(by_hand, 9))


def test_last_digit_too_few_values_reported():
    result = last_digit_test(frame(range(10, 40)))
    assert not bool(result["applied"].iloc[0])
    assert result["reason"].iloc[0].startswith("not applied: no power (30 values")


def test_last_digit_small_values_left_out():
    result = last_digit_test(frame([1, 2, 3, 4, 5] * 20))
    assert result["n"].iloc[0] == 0


def test_last_digit_decimals_per_indicator():
    # Counts are taken as written; losses with one decimal use that decimal.
    counts = frame([11, 12, 13, 14, 15, 16, 17, 18, 19, 21] * 5)
    losses = frame([35.6, 12.3, 44.1, 27.8, 15.2] * 10, indicator="SO05")
    result = last_digit_test(pd.concat([counts, losses]))
    assert result["n"].iloc[0] == 100
    assert result["top_digit"].iloc[0] != 0


def test_first_digit_benford_data_conforms():
    rng = np.random.default_rng(5)
    result = first_digit_test(frame(10 ** rng.uniform(0, 4, 3000)))
    assert result["conformity"].iloc[0] in ("close", "acceptable")
    assert not bool(result["signal"].iloc[0])


def test_first_digit_invented_data_signal():
    # Invented figures: first digit equally likely 1-9, magnitude 1 to 1000.
    rng = np.random.default_rng(6)
    first = rng.integers(1, 10, 600) + rng.uniform(0, 1, 600)
    result = first_digit_test(frame(first * 10.0 ** rng.integers(0, 4, 600)))
    assert result["conformity"].iloc[0] == "nonconformity"
    assert bool(result["signal"].iloc[0])
    assert result["mad"].iloc[0] > 0.015


def test_first_digit_outlier_does_not_widen_range():
    rng = np.random.default_rng(10)
    values = np.append(rng.uniform(20, 90, 300), 380_000.0)
    result = first_digit_test(frame(values))
    assert not bool(result["applied"].iloc[0])
    assert result["orders_of_magnitude"].iloc[0] < 1


def test_first_digit_narrow_range_not_applied():
    rng = np.random.default_rng(7)
    result = first_digit_test(frame(rng.uniform(100, 900, 500)))
    assert not bool(result["applied"].iloc[0])
    assert "not applied: no power" in result["reason"].iloc[0]
    assert np.isnan(result["p_value"].iloc[0])


def test_first_digit_one_row_per_department():
    rng = np.random.default_rng(8)
    data = pd.concat(
        [
            frame(rng.integers(1, 5000, 200), "police"),
            frame(rng.integers(1, 50, 20), "court"),
        ]
    )
    result = first_digit_test(data)
    assert result["department"].tolist() == ["court", "police"]


def test_digit_alpha_checked():
    with pytest.raises(PinganError, match="last_digit_test: alpha must be in"):
        last_digit_test(frame([10]), alpha=1.5)
    with pytest.raises(PinganError, match="first_digit_test: alpha must be in"):
        first_digit_test(frame([10]), alpha=0)


def test_digit_findings_only_signals():
    rng = np.random.default_rng(9)
    values = rng.integers(10, 1000, 200)
    values[:100] = values[:100] // 10 * 10
    tests = pd.concat([last_digit_test(frame(values)), first_digit_test(frame(values))])
    found = digit_findings(tests)
    assert found["rule"].tolist() == ["last_digit"]
    assert found["deduction_type"].iloc[0] == "implausible"
    assert "not proof" in found["reason"].iloc[0]


@pytest.mark.parametrize(
    ("mad", "label"),
    [
        (0.0, "close"),
        (0.006, "close"),
        (0.0061, "acceptable"),
        (0.012, "acceptable"),
        (0.013, "marginal"),
        (0.015, "marginal"),
        (0.0151, "nonconformity"),
    ],
)
def test_nigrini_first_digit_limits(mad, label):
    # Limits 0.006, 0.012 and 0.015 of Nigrini (2012) as tabulated by the R
    # package benford.analysis, MAD.conformity.
    from pingan.quality.digits import _nigrini_class

    assert _nigrini_class(mad) == label


@pytest.mark.parametrize("test", [last_digit_test, first_digit_test])
def test_digits_skip_infinite_values(test):
    rng = np.random.default_rng(8)
    values = np.concatenate([10 ** rng.uniform(1, 4, 200), [np.inf, -np.inf]])
    row = test(frame(values)).iloc[0]
    assert row["n"] == 200
    assert bool(row["applied"])
    assert row["reason"].endswith("; 2 infinite value(s) left out")


def test_digits_finite_reason_unchanged():
    row = last_digit_test(frame(np.arange(10, 110))).iloc[0]
    assert "infinite" not in row["reason"]
