"""Synthetic submissions with known values, for tests and examples of the checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pingan.periods import parse_quarter

__all__ = ["make_catalogue", "make_submissions"]


def make_catalogue() -> pd.DataFrame:
    """Return a four-indicator catalogue: fraud cases and losses, a count, a percent.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``value_type``, ``department``, ``unit``:
        ``SO04`` (fraud cases, police), ``SO05`` (fraud losses in 万元,
        police), ``PO01`` (public-order cases, police|court), ``DP01``
        (mediation success percent, justice).

    Examples
    --------
    >>> make_catalogue()["indicator"].tolist()
    ['SO04', 'SO05', 'PO01', 'DP01']
    """
    return pd.DataFrame(
        {
            "indicator": ["SO04", "SO05", "PO01", "DP01"],
            "value_type": ["count", "amount", "count", "percent"],
            "department": ["police", "police", "police|court", "justice"],
            "unit": ["起", "万元", "起", "%"],
        }
    )


def make_submissions(
    n_areas: int = 6, start: str = "2022Q1", end: str = "2025Q1", seed: int = 0
) -> pd.DataFrame:
    """Generate clean tidy submissions for :func:`make_catalogue`'s indicators.

    Parameters
    ----------
    n_areas : int, default=6
        Areas, coded ``"01"``, ``"02"``, ...
    start, end : str, default="2022Q1", "2025Q1"
        First and last quarter.
    seed : int, default=0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        Tidy submissions (``quarter``, ``area_code``, ``indicator``, ``value``,
        ``department``, ``source_file``, ``source_row``, ``submitted_at``):
        Poisson counts with area means 20 to 60, losses of about 0.8 万元 per
        case written with one decimal, mediation success between 80 and 99 %,
        every file arriving on the 5th day after the quarter ends.

    Examples
    --------
    >>> data = make_submissions(n_areas=2, start="2025Q1", end="2025Q1")
    >>> len(data), sorted(data["department"].unique())
    (10, ['court', 'justice', 'police'])
    """
    rng = np.random.default_rng(seed)
    quarters = pd.period_range(parse_quarter(start), parse_quarter(end), freq="Q-DEC")
    areas = [f"{i + 1:02d}" for i in range(n_areas)]
    level = dict(zip(areas, rng.uniform(20, 60, n_areas), strict=True))
    rows = []
    for quarter in quarters:
        for row_number, area in enumerate(areas, start=2):
            cases = rng.poisson(level[area] / 2)
            values = [
                ("SO04", "police", float(cases)),
                ("SO05", "police", round(cases * rng.uniform(0.5, 1.1), 1)),
                ("PO01", "police", float(rng.poisson(level[area]))),
                ("PO01", "court", float(rng.poisson(level[area] / 4))),
                ("DP01", "justice", round(rng.uniform(80, 99), 1)),
            ]
            for indicator, department, value in values:
                rows.append(
                    {
                        "quarter": quarter,
                        "area_code": area,
                        "indicator": indicator,
                        "value": value,
                        "department": department,
                        "source_file": f"{quarter}/{department}.csv",
                        "source_row": row_number,
                        "submitted_at": quarter.end_time.normalize()
                        + pd.Timedelta(days=5),
                    }
                )
    return pd.DataFrame(rows)
