"""Digit tests for falsification signals: last-digit preference and Benford's law.

Invented numbers betray themselves in their digits: people favour round last
digits (0 and 5), and figures made up by hand rarely follow Benford's
distribution of first digits. Both tests are weak evidence. They need many
values and do not point at any one value, so a finding is a reason to ask a
department for its records, not proof of falsification.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from pingan._validation import check_columns, check_interval
from pingan.quality._findings import make_findings

__all__ = [
    "BENFORD_FIRST_DIGIT",
    "last_digit_test",
    "first_digit_test",
    "digit_findings",
]

#: Benford's first-digit probabilities, log10(1 + 1/d) for d = 1..9.
BENFORD_FIRST_DIGIT = np.log10(1 + 1 / np.arange(1, 10))

# First-digit MAD conformity limits of M. J. Nigrini, "Benford's Law" (Wiley,
# 2012), as tabulated by the R package benford.analysis (MAD.conformity):
# close, acceptable, marginally acceptable, else nonconformity.
_NIGRINI_FIRST = ((0.006, "close"), (0.012, "acceptable"), (0.015, "marginal"))

TEST_COLUMNS = [
    "test",
    "department",
    "quarter_first",
    "quarter_last",
    "n",
    "orders_of_magnitude",
    "statistic",
    "p_value",
    "mad",
    "conformity",
    "top_digit",
    "top_share",
    "expected_share",
    "applied",
    "signal",
    "reason",
]


def _decimals(values: np.ndarray, max_decimals: int = 2) -> int:
    """Smallest number of decimals (0..max_decimals) that writes every value exactly."""
    for places in range(max_decimals + 1):
        scaled = values * 10**places
        if np.all(np.isclose(scaled, np.round(scaled), atol=1e-6)):
            return places
    return max_decimals


def _finite_abs(values: pd.Series) -> np.ndarray:
    """Return the absolute values that are finite; NaN and infinities are left out."""
    array = values.to_numpy(dtype=float)
    return np.abs(array[np.isfinite(array)])


def _infinite_note(group: pd.DataFrame) -> str:
    """Count the infinite values a test left out, for its reason."""
    count = int(np.isinf(group["value"].to_numpy(dtype=float)).sum())
    return f"; {count} infinite value(s) left out" if count else ""


def _scaled_integers(group: pd.DataFrame) -> np.ndarray:
    """Write each indicator's values as integers, scaling by its own decimals."""
    parts = []
    by_indicator = group.groupby("indicator") if "indicator" in group else [(0, group)]
    for _, part in by_indicator:
        values = _finite_abs(part["value"])
        if len(values):
            parts.append(np.round(values * 10 ** _decimals(values)))
    return np.concatenate(parts) if parts else np.array([])


def _base_row(test: str, department: object, group: pd.DataFrame) -> dict:
    row = dict.fromkeys(TEST_COLUMNS, np.nan)
    row.update(test=test, department=department, applied=False, signal=False)
    if len(group):
        row.update(
            quarter_first=group["quarter"].min(), quarter_last=group["quarter"].max()
        )
    return row


def _chi_square(
    observed: np.ndarray, expected_share: np.ndarray
) -> tuple[float, float]:
    result = stats.chisquare(observed, observed.sum() * expected_share)
    return float(result.statistic), float(result.pvalue)


def _last_digit_row(
    department: object, group: pd.DataFrame, min_n: int, alpha: float
) -> dict:
    row = _base_row("last_digit", department, group)
    scaled = _scaled_integers(group)
    scaled = scaled[scaled >= 10]
    row["n"] = len(scaled)
    if len(scaled) < min_n:
        row["reason"] = (
            f"not applied: no power ({len(scaled)} values >= 10, {min_n} needed)"
            f"{_infinite_note(group)}"
        )
        return row
    counts = np.bincount((scaled % 10).astype(int), minlength=10)
    expected = np.full(10, 0.1)
    shares = counts / counts.sum()
    row["statistic"], row["p_value"] = _chi_square(counts, expected)
    top = int(np.argmax(shares))
    row.update(
        mad=float(np.mean(np.abs(shares - expected))),
        top_digit=top,
        top_share=float(shares[top]),
        expected_share=0.1,
        applied=True,
        conformity="no published limits",
    )
    row["signal"] = bool(row["p_value"] < alpha)
    row["reason"] = (
        f"last digit {top} makes up {shares[top]:.0%} of {len(scaled)} values "
        f"against 10 % expected; chi-square p = {row['p_value']:.2g}"
        f"{_infinite_note(group)}"
    )
    return row


def last_digit_test(
    data: pd.DataFrame,
    by: Sequence[str] = ("department",),
    min_n: int = 50,
    alpha: float = 0.001,
) -> pd.DataFrame:
    """Test each department's last digits for preference and rounding (chi-square).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table (``quarter``, ``value`` and the ``by`` column).
    by : sequence of str, default=("department",)
        One grouping column; each group is tested once over all its rows.
    min_n : int, default=50
        Values >= 10 needed for the test to be applied.
    alpha : float, default=0.001
        Significance level of a signal.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns ``TEST_COLUMNS``: ``test`` (``last_digit``),
        ``department`` (the group), ``quarter_first``, ``quarter_last``,
        ``n`` (values tested), ``statistic`` and ``p_value`` (chi-square against
        a uniform last digit), ``mad`` (mean absolute deviation of the digit
        shares from 0.1), ``top_digit``, ``top_share``, ``expected_share``,
        ``applied`` (bool), ``signal`` (bool: ``p_value < alpha``), ``reason``
        (``not applied: no power ...`` when too few values).

    Raises
    ------
    PinganError
        If a column is missing or ``alpha`` is not in (0, 1).

    Notes
    -----
    Each indicator's values are scaled by the smallest power of ten (up to
    100) that makes all of them whole, so ``35.6`` contributes its last
    written digit 6 and a count is taken as it is. Values below 10 after
    scaling are left out, because their last digit is also their first and
    follows Benford rather than a uniform law.
    The chi-square test is ``scipy.stats.chisquare`` with 9 degrees of freedom.
    NaN and infinite values are left out, and ``reason`` counts the
    infinite ones.
    Counts of rare events cluster at small values, which also skews last
    digits, so a signal asks for records and does not prove falsification.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "department": "police", "value": rng.integers(10, 500, 200) * 1.0})
    >>> last_digit_test(data)[["n", "applied", "signal"]]
         n  applied  signal
    0  200     True   False
    """
    by = list(by)
    check_columns(data, ["quarter", "value", *by], "last_digit_test")
    check_interval("alpha", alpha, "last_digit_test", 0, 1, "neither")
    rows = [
        _last_digit_row(key[0], group, min_n, alpha)
        for key, group in data.groupby(by, sort=True)
    ]
    return pd.DataFrame(rows, columns=TEST_COLUMNS)


def _nigrini_class(mad: float) -> str:
    for limit, label in _NIGRINI_FIRST:
        if mad <= limit:
            return label
    return "nonconformity"


def _first_digit_row(
    department: object, group: pd.DataFrame, min_n: int, min_orders: float, alpha: float
) -> dict:
    row = _base_row("first_digit", department, group)
    values = _finite_abs(group["value"])
    values = values[values > 0]
    orders = 0.0
    if len(values):
        low, high = np.percentile(values, [5, 95])
        orders = float(np.log10(high / low))
    row.update(n=len(values), orders_of_magnitude=orders)
    if len(values) < min_n or orders < min_orders:
        row["reason"] = (
            f"not applied: no power ({len(values)} positive values "
            f"with a 5-95 % range of {orders:.1f} orders of magnitude; "
            f"{min_n} values and {min_orders:g} orders needed)"
            f"{_infinite_note(group)}"
        )
        return row
    digits = (values / 10 ** np.floor(np.log10(values))).astype(int).clip(1, 9)
    counts = np.bincount(digits, minlength=10)[1:]
    shares = counts / counts.sum()
    row["statistic"], row["p_value"] = _chi_square(counts, BENFORD_FIRST_DIGIT)
    row["mad"] = float(np.mean(np.abs(shares - BENFORD_FIRST_DIGIT)))
    worst = int(np.argmax(shares - BENFORD_FIRST_DIGIT))
    row.update(
        conformity=_nigrini_class(row["mad"]),
        top_digit=worst + 1,
        top_share=float(shares[worst]),
        expected_share=float(BENFORD_FIRST_DIGIT[worst]),
        applied=True,
    )
    row["signal"] = bool(
        row["p_value"] < alpha and row["conformity"] == "nonconformity"
    )
    row["reason"] = (
        f"first digit {worst + 1} makes up {shares[worst]:.0%} of {len(values)} values "
        f"against {BENFORD_FIRST_DIGIT[worst]:.0%} under Benford's law; chi-square "
        f"p = {row['p_value']:.2g}, MAD {row['mad']:.4f} ({row['conformity']})"
        f"{_infinite_note(group)}"
    )
    return row


def first_digit_test(
    data: pd.DataFrame,
    by: Sequence[str] = ("department",),
    min_n: int = 100,
    min_orders: float = 2.0,
    alpha: float = 0.001,
) -> pd.DataFrame:
    """Test each department's first digits against Benford's law.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy submissions table (``quarter``, ``value`` and the ``by`` column).
    by : sequence of str, default=("department",)
        One grouping column.
    min_n : int, default=100
        Positive values needed for the test to be applied.
    min_orders : float, default=2.0
        Orders of magnitude the central 90 % of the positive values must
        span, ``log10(P95 / P5)``. Benford's law does not hold for data
        confined to a narrow range. Percentiles keep one outlier (such as a
        unit error) from making a narrow range look wide.
    alpha : float, default=0.001
        Significance level of the chi-square test.

    Returns
    -------
    pandas.DataFrame
        One row per group with the columns of :func:`last_digit_test`;
        ``test`` is ``first_digit``, ``orders_of_magnitude`` is
        ``log10(P95 / P5)`` of the positive values,
        ``mad`` is the mean absolute deviation of the nine digit shares from
        Benford's and ``conformity`` is Nigrini's class (``close``,
        ``acceptable``, ``marginal``, ``nonconformity``). ``top_digit`` is the
        digit most in excess of its expected share.

    Raises
    ------
    PinganError
        If a column is missing or ``alpha`` is not in (0, 1).

    Notes
    -----
    Benford's share of first digit ``d`` is ``log10(1 + 1/d)``. A signal needs
    both ``p_value < alpha`` (``scipy.stats.chisquare``, 8 degrees of freedom)
    and a MAD above Nigrini's limit of 0.015, because with many values the
    chi-square test rejects deviations too small to matter. A test that
    cannot be applied is reported as
    ``not applied: no power`` with the counts, never dropped.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> values = 10 ** rng.uniform(0, 4, 3000)
    >>> data = pd.DataFrame({"quarter": pd.Period("2025Q1", "Q"),
    ...     "department": "court", "value": values})
    >>> first_digit_test(data)[["n", "conformity", "signal"]]
         n conformity  signal
    0  3000      close   False
    """
    by = list(by)
    check_columns(data, ["quarter", "value", *by], "first_digit_test")
    check_interval("alpha", alpha, "first_digit_test", 0, 1, "neither")
    rows = [
        _first_digit_row(key[0], group, min_n, min_orders, alpha)
        for key, group in data.groupby(by, sort=True)
    ]
    return pd.DataFrame(rows, columns=TEST_COLUMNS)


def digit_findings(tests: pd.DataFrame, quarter: object | None = None) -> pd.DataFrame:
    """Turn the signals of the digit tests into findings.

    Parameters
    ----------
    tests : pandas.DataFrame
        Rows of the digit tests (columns ``TEST_COLUMNS``).
    quarter : quarter label or Period, optional
        Quarter the findings are filed under; default each test's
        ``quarter_last``.

    Returns
    -------
    pandas.DataFrame
        Findings table: one finding per test with ``signal`` true, rule
        ``last_digit`` or ``first_digit``, check ``falsification``, severity
        ``warning``, deduction type ``implausible``, ``area_code`` and
        ``indicator`` missing (the test covers all the department's values).

    Notes
    -----
    A digit signal concerns a department's numbers as a whole, not any one
    value, and has innocent causes (small counts, a mixture of indicators),
    so it counts as ``implausible`` by default. A reviewer who confirms
    falsification can count it as ``falsified`` through the rules file's
    ``deduction_types`` map.

    Examples
    --------
    >>> tests = pd.DataFrame([{"test": "last_digit", "department": "police",
    ...     "quarter_last": pd.Period("2025Q1", "Q"), "signal": True,
    ...     "reason": "last digit 0 makes up 40 % of 120 values", "n": 120,
    ...     "quarter_first": pd.Period("2024Q2", "Q")}])
    >>> digit_findings(tests)[["rule", "department", "deduction_type"]]
             rule department deduction_type
    0  last_digit     police    implausible
    """
    records = []
    for _, test in tests[tests["signal"].astype(bool)].iterrows():
        what = "last digits" if test["test"] == "last_digit" else "first digits"
        records.append(
            {
                "rule": test["test"],
                "check": "falsification",
                "severity": "warning",
                "deduction_type": "implausible",
                "department": test["department"],
                "quarter": quarter if quarter is not None else test["quarter_last"],
                "history": f"{test['quarter_first']}..{test['quarter_last']}",
                "reason": (
                    f"The {what} of {int(test['n'])} values deviate from the "
                    f"expected shares: {test['reason']}. This is a statistical "
                    f"signal, not proof; ask for the records behind the values."
                ),
            }
        )
    return make_findings(records)
