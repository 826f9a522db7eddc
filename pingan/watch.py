"""The core-indicator watch of the quarterly report: trends, breaks and aberrations.

Each core indicator's county total is tested over the recent quarters with
pingan's detectors. A Mann-Kendall test with Sen's slope looks for a trend
and Pettitt's test for a change point. EARS C2, the improved Farrington
method and robust STL residuals flag aberrant counts in the latest quarters.
"""

from __future__ import annotations

import warnings

import pandas as pd

from pingan.detect import detect_all
from pingan.pipeline import QuarterResult

__all__ = ["WATCH_SERIES", "WATCH_FLAGS", "core_series", "core_watch", "core_flags"]

#: Series-level detectors run by the watch.
WATCH_SERIES = ("mann_kendall", "sens_slope", "pettitt")
#: Quarter-level detectors whose flags the watch reports.
WATCH_FLAGS = ("ears_c2", "farrington", "stl")
#: Minimum number of quarters of history before the watch runs the detectors.
MIN_QUARTERS = 4


def core_series(result: QuarterResult, quarters: int = 16) -> pd.DataFrame:
    """Return the county totals of the core indicators over the last quarters.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``quarter`` (Period) and ``value`` (county total
        in the catalogue's unit), for at most ``quarters`` quarters ending
        with the reporting quarter.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> core_series(res, 8).groupby("indicator").size().tolist()
    [8, 8, 8, 8]
    """
    totals = result.county_totals
    first = result.quarter - (quarters - 1)
    keep = (
        totals["indicator"].isin(result.dataset.core_indicators)
        & (totals["quarter"] >= first)
        & (totals["quarter"] <= result.quarter)
    )
    part = totals.loc[keep, ["indicator", "quarter", "total"]]
    return part.rename(columns={"total": "value"}).reset_index(drop=True)


def core_watch(
    result: QuarterResult, quarters: int = 16, recent: int = 4, alpha: float = 0.05
) -> pd.DataFrame:
    """Test each core indicator's county series for trends, breaks and aberrations.

    Parameters
    ----------
    result : QuarterResult
        From :func:`pingan.pipeline.run_quarter`.
    quarters : int, default=16
        Length of the series tested, in quarters, ending with the reporting
        quarter.
    recent : int, default=4
        How many of the latest quarters are searched for aberration flags.
    alpha : float, default=0.05
        Significance level of the trend and change-point tests.

    Returns
    -------
    pandas.DataFrame
        One row per core indicator:

        - ``indicator``; ``n_quarters``: int, quarters with a total;
        - ``trend``: ``'rising'``, ``'falling'`` or ``'none'`` (Mann-Kendall
          p < ``alpha``); ``trend_p``: float, its p-value;
        - ``sen_slope``: float, change per quarter in the indicator's unit;
        - ``change_quarter``: str, the first quarter after Pettitt's change
          point when p < ``alpha``, else NaN; ``change_p``: float;
        - ``flagged``: str, the recent quarters flagged by EARS C2, the
          Farrington method or STL residuals, with the methods, e.g.
          ``"2025Q2 (ears_c2, farrington)"``; empty when none;
        - ``reason``: str, why a test could not run (short series), else NaN.

    Notes
    -----
    The series are county totals, so a rise confined to a few areas may not
    show; the report's driver tables look at areas. On 16 quarters the
    Mann-Kendall test has little power against a change in the last two or
    three quarters, which is what the aberration detectors are for.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> core_watch(res)["indicator"].tolist()
    ['DI01', 'SO02', 'SO04', 'SO05']
    """
    series = core_series(result, quarters)
    if series["quarter"].nunique() < MIN_QUARTERS:
        return _too_short(series)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = detect_all(series, [*WATCH_SERIES, *WATCH_FLAGS], by=["indicator"])
    tests = found.series.set_index(["method", "indicator"])
    rows = []
    for ident in sorted(series["indicator"].unique()):
        mk = tests.loc[("mann_kendall", ident)]
        sen = tests.loc[("sens_slope", ident)]
        pet = tests.loc[("pettitt", ident)]
        trend = "none"
        if mk["p_value"] < alpha:
            trend = "rising" if mk["statistic"] > 0 else "falling"
        change = pet["change_quarter"] if pet["p_value"] < alpha else None
        rows.append(
            {
                "indicator": ident,
                "n_quarters": int(series["indicator"].eq(ident).sum()),
                "trend": trend,
                "trend_p": mk["p_value"],
                "sen_slope": sen["statistic"],
                "change_quarter": None if change is None else str(change),
                "change_p": pet["p_value"],
                "flagged": _recent_flags(found.quarters, ident, result, recent),
                "reason": mk["reason"],
            }
        )
    return pd.DataFrame(rows)


def _too_short(series: pd.DataFrame) -> pd.DataFrame:
    """Return watch rows with no test results, saying the series is too short."""
    idents = sorted(series["indicator"].unique())
    counts = series.groupby("indicator")["quarter"].nunique()
    return pd.DataFrame(
        {
            "indicator": idents,
            "n_quarters": [int(counts.get(i, 0)) for i in idents],
            "trend": "none",
            "trend_p": float("nan"),
            "sen_slope": float("nan"),
            "change_quarter": None,
            "change_p": float("nan"),
            "flagged": "",
            "reason": f"fewer than {MIN_QUARTERS} quarters of history",
        }
    )


def _recent_flags(
    flags: pd.DataFrame, ident: str, result: QuarterResult, recent: int
) -> str:
    """List the recent quarters an aberration detector flagged, with the methods."""
    first = result.quarter - (recent - 1)
    hits = flags.loc[
        flags["indicator"].eq(ident)
        & flags["is_anomaly"].fillna(False).astype(bool)
        & (flags["quarter"] >= first)
    ]
    parts = []
    for quarter, group in hits.groupby("quarter", sort=True):
        parts.append(f"{quarter} ({', '.join(sorted(set(group['method'])))})")
    return "; ".join(parts)


def core_flags(result: QuarterResult, quarters: int = 16) -> pd.DataFrame:
    """Return each core series quarter by quarter with the detectors that flag it.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``quarter`` (Period), ``value`` (county total)
        and ``methods`` (str: the aberration detectors flagging the quarter,
        joined by ``", "``; empty when none).

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> flags = core_flags(res)
    >>> flags.loc[flags["indicator"].eq("SO02") & flags["methods"].ne(""),
    ...           "quarter"].astype(str).tolist()[-2:]
    ['2025Q3', '2025Q4']
    """
    series = core_series(result, quarters)
    if series["quarter"].nunique() < MIN_QUARTERS:
        return series.assign(methods="")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = detect_all(series, list(WATCH_FLAGS), by=["indicator"]).quarters
    hits = found.loc[found["is_anomaly"].fillna(False).astype(bool)]
    methods = hits.groupby(["indicator", "quarter"])["method"].agg(
        lambda m: ", ".join(sorted(set(m)))
    )
    out = series.set_index(["indicator", "quarter"])
    out["methods"] = methods.reindex(out.index).fillna("")
    return out.reset_index()
