"""One function per warning rule, each giving a row per candidate in a quarter.

Every function takes the :class:`RuleInputs`, the quarter and the rules dict
and returns a frame with the columns of :data:`ROW_COLUMNS`, where
``evidence`` is still a dict. :func:`pingan.alerts.rules.evaluate_rules`
turns the rows into the checks table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pingan.alerts.drivers import as_period
from pingan.detect.trend import mann_kendall

__all__ = ["RuleInputs", "CHECKS", "ROW_COLUMNS", "quarter_rows"]

ROW_COLUMNS = [
    "recipient_type",
    "recipient_id",
    "rule",
    "subject",
    "level",
    "triggered",
    "metric",
    "better",
    "indicators",
    "evidence",
    "reason",
]
GRADE_NUMBER = {"green": 0, "yellow": 1, "orange": 2, "red": 3}


@dataclass(frozen=True)
class RuleInputs:
    """The tables the warning rules read, all tidy with a ``quarter`` column.

    Attributes
    ----------
    index : pandas.DataFrame
        quarter, area_code, index, grade, rank and optionally county_mean.
    level_scores : pandas.DataFrame, optional
        quarter, area_code, level, code, points_max, points.
    values : pandas.DataFrame, optional
        quarter, area_code, indicator, value (and raw_value).
    indicator_scores : pandas.DataFrame, optional
        quarter, area_code, indicator, points_max, points.
    catalogue : pandas.DataFrame, optional
        indicator, direction (+1/-1), method, domain.
    flags : pandas.DataFrame, optional
        quarter, area_code, indicator, method, is_anomaly (anomaly detectors).
    trends : pandas.DataFrame, optional
        area_code, indicator, p_value, slope, optionally quarter: trend tests
        to use instead of the built-in Mann-Kendall test.
    quality : pandas.DataFrame, optional
        quarter, department, grade, late_days (data-quality grades).
    """

    index: pd.DataFrame
    level_scores: pd.DataFrame | None = None
    values: pd.DataFrame | None = None
    indicator_scores: pd.DataFrame | None = None
    catalogue: pd.DataFrame | None = None
    flags: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    quality: pd.DataFrame | None = None


def quarter_rows(rows: list[dict]) -> pd.DataFrame:
    """Build a rows frame with the documented columns, also when empty.

    A row without a ``reason`` gets ``''`` (the rule could be judged).
    """
    return pd.DataFrame([{"reason": "", **row} for row in rows], columns=ROW_COLUMNS)


def _at(table: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    return table[as_period(table["quarter"]) == quarter]


def _county_means(inputs: RuleInputs, quarter: pd.Period) -> pd.Series:
    """Mean value of each indicator over the areas in ``quarter``, the benchmark."""
    return _at(inputs.values, quarter).groupby("indicator")["value"].mean()


def _directions(inputs: RuleInputs) -> pd.Series:
    return inputs.catalogue.set_index("indicator")["direction"].astype(int)


def _check_grade_red(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for an area whose grade is one of the red grades."""
    cfg = rules["grade"]["red"]
    if not cfg["enabled"]:
        return quarter_rows([])
    now = _at(inputs.index, quarter)
    mean = (
        now["county_mean"]
        if "county_mean" in now
        else pd.Series(now["index"].mean(), now.index)
    )
    rows = [
        {
            "recipient_type": "area",
            "recipient_id": str(r.area_code),
            "rule": "grade_red",
            "subject": "",
            "level": rules["escalation"]["ladder"][0],
            "triggered": r.grade in cfg["grades"],
            "metric": float(r.index),
            "better": 1,
            "indicators": "",
            "evidence": {
                "index": float(r.index),
                "grade": r.grade,
                "rank": int(r.rank),
                "areas": len(now),
                "county_mean": float(m),
            },
        }
        for r, m in zip(now.itertuples(), mean, strict=True)
    ]
    return quarter_rows(rows)


def _check_grade_bottom(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for an area in the bottom ranks with an index below the county mean."""
    cfg = rules["grade"]["bottom"]
    if not cfg["enabled"]:
        return quarter_rows([])
    now = _at(inputs.index, quarter)
    mean = (
        now["county_mean"]
        if "county_mean" in now
        else pd.Series(now["index"].mean(), now.index)
    )
    cutoff = len(now) - cfg["ranks"]
    rows = [
        {
            "recipient_type": "area",
            "recipient_id": str(r.area_code),
            "rule": "grade_bottom",
            "subject": "",
            "level": cfg["level"],
            "triggered": bool(r.rank > cutoff and r.index < m),
            "metric": float(r.index),
            "better": 1,
            "indicators": "",
            "evidence": {
                "index": float(r.index),
                "rank": int(r.rank),
                "areas": len(now),
                "bottom_ranks": int(cfg["ranks"]),
                "county_mean": float(m),
            },
        }
        for r, m in zip(now.itertuples(), mean, strict=True)
    ]
    return quarter_rows(rows)


def _check_domain_drop(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for a domain score that fell by more than the set points on a quarter."""
    cfg = rules["domain_drop"]
    if not cfg["enabled"] or inputs.level_scores is None:
        return quarter_rows([])
    domains = inputs.level_scores[inputs.level_scores["level"] == "domain"]
    now = _at(domains, quarter).set_index(["area_code", "code"])["points"]
    base = _at(domains, quarter - 1).set_index(["area_code", "code"])["points"]
    base = base.reindex(now.index)
    change = now - base
    rows = [
        {
            "recipient_type": "area",
            "recipient_id": str(area),
            "rule": "domain_drop",
            "subject": str(code),
            "level": cfg["level"],
            "triggered": bool(delta < -cfg["points"]),
            "metric": float(points),
            "better": 1,
            "indicators": "",
            "evidence": {
                "points": float(points),
                "base_points": float(prior),
                "change": float(delta),
                "threshold": -float(cfg["points"]),
            },
            "reason": "no base quarter" if np.isnan(delta) else "",
        }
        for (area, code), points, prior, delta in zip(
            now.index, now.to_numpy(), base.to_numpy(), change.to_numpy(), strict=True
        )
    ]
    return quarter_rows(rows)


def _indicator_row(
    area, indicator, rule, level, triggered, metric, direction, evidence, reason=""
):
    return {
        "recipient_type": "area",
        "recipient_id": str(area),
        "rule": rule,
        "subject": str(indicator),
        "level": level,
        "triggered": bool(triggered),
        "metric": float(metric),
        "better": int(direction),
        "indicators": str(indicator),
        "evidence": evidence,
        "reason": reason if reason else ("missing value" if np.isnan(metric) else ""),
    }


def _check_anomaly(inputs: RuleInputs, quarter: pd.Period, rules: dict) -> pd.DataFrame:
    """Check for a value flagged by at least the set number of detectors."""
    cfg = rules["indicator"]["anomaly"]
    if not cfg["enabled"] or inputs.flags is None or inputs.values is None:
        return quarter_rows([])
    flags = _at(inputs.flags, quarter)
    flagged = flags[flags["is_anomaly"].astype(bool)]
    methods = flagged.groupby(["area_code", "indicator"])["method"].agg(
        lambda m: "|".join(sorted(set(map(str, m))))
    )
    values = _at(inputs.values, quarter).set_index(["area_code", "indicator"])["value"]
    directions = _directions(inputs)
    means = _county_means(inputs, quarter)
    rows = []
    for (area, indicator), _ in flags.groupby(["area_code", "indicator"]):
        found = methods.get((area, indicator), "")
        count = len(found.split("|")) if found else 0
        value = values.get((area, indicator), np.nan)
        evidence = {
            "value": float(value),
            "county_mean": float(means.get(indicator, np.nan)),
            "methods": found,
            "flagged_by": count,
        }
        rows.append(
            _indicator_row(
                area,
                indicator,
                "anomaly",
                cfg["level"],
                count >= cfg["min_methods"],
                value,
                directions.get(indicator, -1),
                evidence,
            )
        )
    return quarter_rows(rows)


def _check_yoy_rise(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for an indicator that worsened by the set percent on a year earlier."""
    cfg = rules["indicator"]["yoy_rise"]
    if not cfg["enabled"] or inputs.values is None or inputs.catalogue is None:
        return quarter_rows([])
    catalogue = inputs.catalogue
    skipped = catalogue.loc[catalogue["method"].isin(cfg["skip_methods"]), "indicator"]
    values = inputs.values[~inputs.values["indicator"].isin(skipped)]
    now = _at(values, quarter).set_index(["area_code", "indicator"])["value"]
    # Plain dicts: a lookup per row in a MultiIndex Series is far slower.
    base = (
        _at(values, quarter - 4)
        .set_index(["area_code", "indicator"])["value"]
        .to_dict()
    )
    directions = _directions(inputs).to_dict()
    means = _county_means(inputs, quarter).to_dict()

    rows = []
    for (area, indicator), value in now.items():
        direction = int(directions.get(indicator, -1))
        prior = base.get((area, indicator), np.nan)
        usable = bool(prior >= cfg["min_base"])
        change = 100 * (value - prior) / prior if usable else np.nan
        reason = "" if usable else "no base quarter"
        if not usable and not np.isnan(prior):
            reason = f"base below min_base ({cfg['min_base']})"
        worse = -direction * change
        level = "warning" if worse >= cfg["warning_pct"] else "watch"

        evidence = {
            "value": float(value),
            "base": float(prior),
            "change_pct": float(change),
            "county_mean": float(means.get(indicator, np.nan)),
        }
        rows.append(
            _indicator_row(
                area,
                indicator,
                "yoy_rise",
                level,
                worse >= cfg["watch_pct"],
                value,
                direction,
                evidence,
                reason,
            )
        )
    return quarter_rows(rows)


def _check_serious_event(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for a rare serious event: an event indicator above the set minimum."""
    cfg = rules["indicator"]["serious_event"]
    if not cfg["enabled"] or inputs.values is None or inputs.catalogue is None:
        return quarter_rows([])
    catalogue = inputs.catalogue
    events = set(catalogue.loc[catalogue["method"].isin(cfg["methods"]), "indicator"])
    now = _at(inputs.values, quarter)
    now = now[now["indicator"].isin(events)]
    means = _county_means(inputs, quarter)
    rows = [
        _indicator_row(
            r.area_code,
            r.indicator,
            "serious_event",
            cfg["level"],
            r.value > cfg["min_value"],
            r.value,
            -1,
            {"value": float(r.value), "county_mean": float(means[r.indicator])},
        )
        for r in now.itertuples()
    ]
    return quarter_rows(rows)


def _trend_tests(inputs: RuleInputs, quarter: pd.Period, cfg: dict) -> pd.DataFrame:
    """Test each area and indicator for a trend, or take the tests given.

    Returns area_code, indicator, p_value, slope, n and reason (why the test
    gave no p-value, else ``''``).
    """
    columns = ["area_code", "indicator", "p_value", "slope", "n", "reason"]
    if inputs.trends is not None:
        trends = inputs.trends
        if "quarter" in trends:
            trends = _at(trends, quarter)
        return trends.assign(n=np.nan, reason="")[columns]
    values = inputs.values.assign(quarter=as_period(inputs.values["quarter"]))
    window = values[
        (values["quarter"] > quarter - cfg["window"]) & (values["quarter"] <= quarter)
    ]
    panel = window[["quarter", "area_code", "indicator", "value"]]
    tests = mann_kendall(
        panel, by=["area_code", "indicator"], min_n=cfg["min_quarters"]
    )
    reason = tests.get("reason", pd.Series("", index=tests.index)).astype(object)
    return tests.assign(reason=reason.where(reason.notna(), ""))[columns]


def _check_trend(inputs: RuleInputs, quarter: pd.Period, rules: dict) -> pd.DataFrame:
    """Check for a significant rise of an indicator for which higher is worse."""
    cfg = rules["trend"]
    if not cfg["enabled"] or inputs.values is None or inputs.catalogue is None:
        return quarter_rows([])
    directions = _directions(inputs)
    tests = _trend_tests(inputs, quarter, cfg)
    tests = tests[tests["indicator"].map(directions).eq(-1)]
    values = _at(inputs.values, quarter).set_index(["area_code", "indicator"])["value"]
    values = values.to_dict()
    rows = []
    for r in tests.itertuples():
        value = values.get((r.area_code, r.indicator), np.nan)
        evidence = {
            "value": float(value),
            "p_value": float(r.p_value),
            "sen_slope": float(r.slope),
            "window": int(cfg["window"]),
            "n": int(r.n) if pd.notna(r.n) else None,
        }
        fired = bool(r.p_value < cfg["alpha"] and r.slope > 0)
        reason = r.reason if r.reason or not np.isnan(r.p_value) else "no p-value"
        rows.append(
            _indicator_row(
                r.area_code,
                r.indicator,
                "trend",
                cfg["level"],
                fired,
                value,
                -1,
                evidence,
                reason,
            )
        )
    return quarter_rows(rows)


def _department_rows(
    inputs: RuleInputs,
    quarter: pd.Period,
    rule: str,
    cfg: dict,
    fired: Callable,
    metric: Callable,
) -> pd.DataFrame:
    if not cfg["enabled"] or inputs.quality is None:
        return quarter_rows([])
    rows = [
        {
            "recipient_type": "department",
            "recipient_id": str(r.department),
            "rule": rule,
            "subject": "",
            "level": cfg["level"],
            "triggered": bool(fired(r)),
            "metric": float(metric(r)),
            "better": -1,
            "indicators": "",
            "evidence": {"grade": str(r.grade), "late_days": float(r.late_days)},
        }
        for r in _at(inputs.quality, quarter).itertuples()
    ]
    return quarter_rows(rows)


def _check_quality_red(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for a department whose data-quality grade is red."""
    cfg = rules["department"]["quality_red"]
    return _department_rows(
        inputs,
        quarter,
        "quality_red",
        cfg,
        lambda r: r.grade in cfg["grades"],
        lambda r: GRADE_NUMBER.get(r.grade, np.nan),
    )


def _check_late(inputs: RuleInputs, quarter: pd.Period, rules: dict) -> pd.DataFrame:
    """Check for a department that submitted after the deadline."""
    cfg = rules["department"]["late"]
    return _department_rows(
        inputs,
        quarter,
        "late_submission",
        cfg,
        lambda r: r.late_days > cfg["days"],
        lambda r: r.late_days,
    )


CHECKS: dict[str, Callable[[RuleInputs, pd.Period, dict], pd.DataFrame]] = {
    "grade_red": _check_grade_red,
    "grade_bottom": _check_grade_bottom,
    "domain_drop": _check_domain_drop,
    "anomaly": _check_anomaly,
    "yoy_rise": _check_yoy_rise,
    "serious_event": _check_serious_event,
    "trend": _check_trend,
    "quality_red": _check_quality_red,
    "late_submission": _check_late,
}
