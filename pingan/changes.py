"""Quarter-on-quarter and year-on-year changes, aligned by calendar quarter.

A change compares each row with the row of the same series ``lag`` calendar
quarters earlier, found by its ``quarter`` label and never by row position.
A missing earlier quarter therefore gives a missing change, not a comparison
with whichever quarter happens to precede it in the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pingan._validation import check_columns, check_option

__all__ = ["period_change", "REASON_NO_BASE", "REASON_ZERO_BASE", "REASON_MISSING"]

REASON_NO_BASE = "no base quarter"
REASON_ZERO_BASE = "zero base"
REASON_MISSING = "missing value"


def period_change(
    data: pd.DataFrame,
    value: str = "value",
    by: Sequence[str] = ("area_code",),
    lag: int = 1,
) -> pd.DataFrame:
    """Add the change of ``value`` against ``lag`` calendar quarters earlier.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table with a ``quarter`` column of quarterly Periods, the ``by``
        key columns and the ``value`` column. One row per key and quarter.
    value : str, default="value"
        Column holding the measured quantity.
    by : sequence of str, default=("area_code",)
        Columns identifying one series (e.g. ``("area_code", "indicator")``).
        Use ``()`` for a single series.
    lag : {1, 4}, default=1
        1 for quarter on quarter, 4 for year on year (same quarter a year
        before). Any positive whole number is accepted.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` (same row order) with four columns added:

        - ``base``: float, the value ``lag`` quarters earlier (NaN if absent);
        - ``change``: float, ``value - base``, in the units of ``value``;
        - ``change_pct``: float, ``100 * (value - base) / |base|``, in percent;
        - ``change_reason``: str, why a change is missing (NaN when it is not):
          ``'no base quarter'``, ``'zero base'`` (percent only; ``change``
          is still given) or ``'missing value'``.

    Raises
    ------
    PinganError
        If a column is missing, ``lag`` is not positive, or a key and quarter
        appear twice.

    Notes
    -----
    ``change_pct`` is never infinite: a zero base gives NaN with the reason
    ``'zero base'``. The percentage divides by ``|base|`` so that a rise from
    a negative base (e.g. a net balance) is still positive.

    Examples
    --------
    >>> q = pd.PeriodIndex(["2024Q1", "2024Q2", "2024Q4", "2025Q1"], freq="Q")
    >>> df = pd.DataFrame({"area_code": "A", "quarter": q, "value": [10, 12, 0, 8]})
    >>> out = period_change(df, lag=1)
    >>> out[["quarter", "base", "change_pct", "change_reason"]]
      quarter  base  change_pct    change_reason
    0  2024Q1   NaN         NaN  no base quarter
    1  2024Q2  10.0        20.0              NaN
    2  2024Q4   NaN         NaN  no base quarter
    3  2025Q1   0.0         NaN        zero base
    >>> period_change(df, lag=4)["change_pct"].iloc[-1]
    np.float64(-20.0)
    """
    by = list(by)
    check_columns(data, ["quarter", value, *by], "period_change")
    if not isinstance(lag, (int, np.integer)) or lag < 1:
        check_option("lag", lag, [1, 4, "another positive integer"], "period_change")
    keys = [*by, "quarter"]
    if data.duplicated(keys).any():
        dup = data.loc[data.duplicated(keys, keep=False), keys].head(3)
        raise _duplicate_error(dup)

    earlier = data[keys + [value]].copy()
    earlier["quarter"] = earlier["quarter"] + lag
    earlier = earlier.rename(columns={value: "base"})
    out = data.merge(earlier, on=keys, how="left", validate="one_to_one")
    out.index = data.index
    out["base"] = out["base"].astype(float)
    current = out[value].astype(float)
    out["change"] = current - out["base"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * out["change"] / out["base"].abs()
    out["change_reason"] = _reasons(current, out["base"])
    out["change_pct"] = pct.where(out["change_reason"].isna())
    return out


def _reasons(current: pd.Series, base: pd.Series) -> pd.Series:
    """Return the reason a percentage change is missing, or None."""
    reason = pd.Series(None, index=current.index, dtype=object)
    reason[base.eq(0)] = REASON_ZERO_BASE
    reason[current.isna()] = REASON_MISSING
    reason[base.isna()] = REASON_NO_BASE
    return reason


def _duplicate_error(rows: pd.DataFrame) -> Exception:
    from pingan.exceptions import PinganError

    return PinganError(
        "period_change: each series must have one row per quarter; duplicated "
        f"keys include:\n{rows.to_string(index=False)}\nAggregate them first."
    )
