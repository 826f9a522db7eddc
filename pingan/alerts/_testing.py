"""Synthetic scoring outputs shaped like ``pingan.pipeline.run_quarter``, for tests.

The scoring here is a plain additive min-max scheme, not pingan's scoring.
It is enough to give the warning rules, the decompositions and the register
realistic tables.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

AREAS = ["530129001", "530129002", "530129003", "530129004", "530129005"]
CATALOGUE = pd.DataFrame(
    {
        "indicator": ["SO02", "SO04", "SO05", "PS01", "DI01", "RL01"],
        "name_zh": [
            "治安案件",
            "电信诈骗案件",
            "电信诈骗损失",
            "安全事故",
            "信访",
            "法治宣传",
        ],
        "name_en": [
            "Public order cases",
            "Fraud cases",
            "Fraud losses",
            "Serious accidents",
            "Petitions",
            "Law education",
        ],
        "value_type": ["count", "count", "amount", "count", "count", "percent"],
        "direction": [-1, -1, -1, -1, -1, 1],
        "method": ["minmax", "minmax", "minmax", "deduction", "minmax", "minmax"],
        "domain": ["SO", "SO", "SO", "PS", "DI", "RL"],
        "points": [20.0, 25.0, 15.0, 10.0, 20.0, 10.0],
        "core": [False, True, True, False, False, False],
    }
)
GRADE_CUTS = [(85, "green"), (75, "yellow"), (65, "orange"), (-1, "red")]


def grade_of(index: float) -> str:
    return next(g for cut, g in GRADE_CUTS if index >= cut)


def score_values(
    values: pd.DataFrame, catalogue: pd.DataFrame = CATALOGUE
) -> SimpleNamespace:
    """Score a values table additively (min-max per quarter), like the contract."""
    cat = catalogue.set_index("indicator")
    frame = values.merge(
        catalogue[["indicator", "direction", "method", "points"]], on="indicator"
    )
    grouped = frame.groupby(["quarter", "indicator"])["value"]
    low, high = grouped.transform("min"), grouped.transform("max")
    span = (high - low).where(high > low)
    scaled = ((frame["value"] - low) / span).fillna(0.5)
    scaled = scaled.where(frame["direction"] == 1, 1 - scaled)
    deduction = (1 - frame["value"] / 2).clip(lower=0)
    score = scaled.where(frame["method"] != "deduction", deduction)

    scores = frame.assign(
        points_max=frame["points"], score=score, points=score * frame["points"]
    )
    scores = scores[
        [
            "quarter",
            "area_code",
            "indicator",
            "value",
            "method",
            "points_max",
            "points",
            "score",
        ]
    ]
    with_domain = scores.assign(code=scores["indicator"].map(cat["domain"]))
    level_scores = (
        with_domain.groupby(["quarter", "area_code", "code"], as_index=False)[
            ["points_max", "points"]
        ]
        .sum()
        .assign(level="domain")
    )[["quarter", "area_code", "level", "code", "points_max", "points"]]

    index = scores.groupby(["quarter", "area_code"], as_index=False)["points"].sum()
    index = index.rename(columns={"points": "index"})
    index["grade"] = index["index"].map(grade_of)
    index["rank"] = (
        index.groupby("quarter")["index"]
        .rank(ascending=False, method="min")
        .astype(int)
    )
    index["county_mean"] = index.groupby("quarter")["index"].transform("mean")
    totals = values.groupby(["quarter", "indicator"], as_index=False)["raw_value"].sum()
    totals = totals.rename(columns={"raw_value": "total"})
    return SimpleNamespace(
        values=values,
        indicator_scores=scores,
        level_scores=level_scores,
        index=index,
        county_totals=totals,
    )


def make_values(
    seed: int = 7, first: str = "2023Q1", last: str = "2025Q4", n_areas: int = 5
) -> pd.DataFrame:
    """Simulate the values table; area 530129005 gets a rising DI01 trend.

    ``n_areas`` beyond the five named areas adds areas ``X000005`` and so on.
    """
    rng = np.random.default_rng(seed)
    quarters = pd.period_range(first, last, freq="Q-DEC")
    areas = (AREAS + [f"X{i:06d}" for i in range(len(AREAS), n_areas)])[:n_areas]
    rows = []
    for qi, q in enumerate(quarters):
        for ai, area in enumerate(areas):
            for ind in CATALOGUE["indicator"]:
                base = {
                    "SO02": 30,
                    "SO04": 12,
                    "SO05": 40,
                    "PS01": 0,
                    "DI01": 8,
                    "RL01": 60,
                }[ind]
                value = base * (1 + 0.1 * ai) + rng.normal(0, base * 0.05 + 0.1)
                if ind == "PS01":
                    value = float(rng.random() < 0.1)
                if ind == "DI01" and area == "530129005":
                    value = 5 + 1.5 * qi  # a steady worsening trend
                rows.append(
                    {
                        "quarter": q,
                        "area_code": area,
                        "indicator": ind,
                        "raw_value": round(max(value, 0), 2),
                    }
                )
    values = pd.DataFrame(rows)
    values["population"] = 10000.0
    values["value"] = values["raw_value"]
    values["quarter"] = values["quarter"].astype("period[Q-DEC]")
    return values
