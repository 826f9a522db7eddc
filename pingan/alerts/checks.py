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
from scipy import stats

from pingan.alerts.drivers import as_period
from pingan.alerts.poisson import pearson_dispersion, poisson_rate_test
from pingan.detect.trend import mann_kendall
from pingan.exceptions import PinganError
from pingan.scoring.engine import COUNTY

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
        indicator, direction (+1/-1), method, domain, and optionally
        value_type (default ``count``) and denominator (``population`` makes
        the population the exposure of the year-on-year count test).
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


def _areas(table: pd.DataFrame) -> pd.DataFrame:
    """Drop the pooled county row that the pipeline adds to its scoring tables.

    ``pingan.scoring`` scores all areas pooled as ``area_code = 'county'``.
    That row is a benchmark, so it is never a recipient of a warning.
    """
    if "area_code" not in table:
        return table
    return table[table["area_code"].astype(str) != COUNTY]


def _at(table: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    """Return the rows of ``quarter``, without the county row."""
    table = _areas(table)
    return table[as_period(table["quarter"]) == quarter]


def _county_means(inputs: RuleInputs, quarter: pd.Period) -> pd.Series:
    """Mean value of each indicator over the areas in ``quarter``, the benchmark."""
    return _at(inputs.values, quarter).groupby("indicator")["value"].mean()


def _directions(inputs: RuleInputs) -> pd.Series:
    return inputs.catalogue.set_index("indicator")["direction"].astype(int)


def _index_and_mean(
    inputs: RuleInputs, quarter: pd.Period
) -> tuple[pd.DataFrame, pd.Series]:
    """Return the quarter's index rows and the mean each area is compared with."""
    now = _at(inputs.index, quarter)
    if "county_mean" in now:
        return now, now["county_mean"]
    return now, pd.Series(now["index"].mean(), now.index)


def _check_grade_red(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for an area whose grade is one of the red grades."""
    cfg = rules["grade"]["red"]
    if not cfg["enabled"]:
        return quarter_rows([])
    now, mean = _index_and_mean(inputs, quarter)
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
    now, mean = _index_and_mean(inputs, quarter)
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


def _past_change_sd(domains: pd.DataFrame, quarter: pd.Period, cfg: dict) -> pd.Series:
    """Compute the SD of each area and domain's past quarter-on-quarter changes.

    Uses the changes of the ``quarters`` quarters before ``quarter``, without
    the current change. The SD is NaN with fewer than ``min_quarters`` changes.
    """
    window = cfg["quarters"]
    past = _areas(domains)
    past = past.assign(quarter=as_period(past["quarter"]).to_numpy())
    past = past[(past["quarter"] >= quarter - window - 1) & (past["quarter"] < quarter)]
    wide = past.pivot_table(
        index=["area_code", "code"], columns="quarter", values="points"
    )
    full = pd.period_range(quarter - window - 1, quarter - 1, freq=quarter.freq)
    changes = wide.reindex(columns=full).diff(axis=1).iloc[:, 1:]
    sd = changes.std(axis=1, ddof=1)
    return sd.where(changes.notna().sum(axis=1) >= cfg["min_quarters"])


def _check_domain_drop(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for a domain score that fell by more than the set points on a quarter.

    With ``variability.enabled`` the fall must also exceed ``k`` standard
    deviations of the area's own past changes of that domain.
    """
    cfg = rules["domain_drop"]
    if not cfg["enabled"] or inputs.level_scores is None:
        return quarter_rows([])
    spread = cfg["variability"]
    domains = inputs.level_scores[inputs.level_scores["level"] == "domain"]
    now = _at(domains, quarter).set_index(["area_code", "code"])["points"]
    base = _at(domains, quarter - 1).set_index(["area_code", "code"])["points"]
    base = base.reindex(now.index)
    change = now - base
    sd = (
        _past_change_sd(domains, quarter, spread).reindex(now.index)
        if spread["enabled"]
        else pd.Series(np.nan, index=now.index)
    )
    rows = []
    for (area, code), points, prior, delta, past_sd in zip(
        now.index,
        now.to_numpy(),
        base.to_numpy(),
        change.to_numpy(),
        sd.to_numpy(),
        strict=True,
    ):
        # Without enough history the points threshold decides alone.
        unusual = np.isnan(past_sd) or delta < -spread["k"] * past_sd
        evidence = {
            "points": float(points),
            "base_points": float(prior),
            "change": float(delta),
            "threshold": -float(cfg["points"]),
        }
        if spread["enabled"]:
            evidence.update(past_change_sd=float(past_sd), k=float(spread["k"]))
        rows.append(
            {
                "recipient_type": "area",
                "recipient_id": str(area),
                "rule": "domain_drop",
                "subject": str(code),
                "level": cfg["level"],
                "triggered": bool(delta < -cfg["points"] and unusual),
                "metric": float(points),
                "better": 1,
                "indicators": "",
                "evidence": evidence,
                "reason": "no base quarter" if np.isnan(delta) else "",
            }
        )
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


def _series_p_values(flags: pd.DataFrame) -> pd.Series:
    """Return each series' p-value: the largest of the detectors that flagged it.

    A series counts as anomalous only when every flagging detector rejects,
    so the largest p-value is the intersection-union test's p-value (Berger
    1982). Unflagged series get 1, and a flagging detector without a p-value
    gives NaN.
    """
    p_values = pd.to_numeric(flags["p_value"], errors="coerce")
    flagged = flags["is_anomaly"].astype(bool)
    # A NaN p-value of a flagging detector must stay NaN, so fill it with inf.
    per_detector = p_values.where(flagged, 0.0).fillna(np.inf)
    keys = [flags["area_code"], flags["indicator"]]
    largest = per_detector.groupby(keys).max()
    any_flag = flagged.groupby(keys).any()
    return largest.where(any_flag, 1.0).replace(np.inf, np.nan)


def _bh_adjust(p_values: pd.Series) -> pd.Series:
    """Adjust p-values with Benjamini-Hochberg over all series (NaN stays NaN)."""
    adjusted = pd.Series(np.nan, index=p_values.index)
    known = p_values.notna()
    if known.any():
        adjusted[known] = stats.false_discovery_control(p_values[known].to_numpy())
    return adjusted


def _anomaly_evidence(flags: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Tabulate per series the flagging detectors, their count and adjusted p."""
    flagged = flags[flags["is_anomaly"].astype(bool)]
    keys = ["area_code", "indicator"]
    table = pd.DataFrame(index=flags.groupby(keys).size().index)
    table["methods"] = (
        flagged.groupby(keys)["method"]
        .agg(lambda m: "|".join(sorted(set(map(str, m)))))
        .reindex(table.index)
        .fillna("")
    )
    table["flagged_by"] = table["methods"].map(lambda m: len(m.split("|")) if m else 0)
    table["p_value"] = np.nan
    table["p_adjusted"] = np.nan
    if cfg["fdr"] is not None:
        table["p_value"] = _series_p_values(flags).reindex(table.index)
        table["p_adjusted"] = _bh_adjust(table["p_value"])
    return table


def _check_anomaly(inputs: RuleInputs, quarter: pd.Period, rules: dict) -> pd.DataFrame:
    """Check for a value flagged by enough detectors, and by the FDR if set."""
    cfg = rules["indicator"]["anomaly"]
    if not cfg["enabled"] or inputs.flags is None or inputs.values is None:
        return quarter_rows([])
    flags = _at(inputs.flags, quarter)
    if cfg["fdr"] is not None and "p_value" not in flags:
        raise PinganError(
            "evaluate_rules: indicator.anomaly.fdr is set, but the flags table has "
            "no p_value column. Build the flags with anomaly_flags, add the "
            "detectors' p-values, or set indicator.anomaly.fdr: null."
        )
    # Agreement cannot ask for more detectors than the quarter's flags hold.
    required = min(int(cfg["min_methods"]), flags["method"].nunique())
    table = _anomaly_evidence(flags, cfg)
    values = _at(inputs.values, quarter).set_index(["area_code", "indicator"])["value"]
    directions = _directions(inputs)
    means = _county_means(inputs, quarter)
    rows = []
    for (area, indicator), r in table.iterrows():
        value = values.get((area, indicator), np.nan)
        fired = r.flagged_by >= max(required, 1)
        evidence = {
            "value": float(value),
            "county_mean": float(means.get(indicator, np.nan)),
            "methods": r.methods,
            "flagged_by": int(r.flagged_by),
            "required": int(required),
        }
        if cfg["fdr"] is not None:
            fired = fired and bool(r.p_adjusted <= cfg["fdr"])
            evidence.update(p_value=float(r.p_value), p_adjusted=float(r.p_adjusted))
        rows.append(
            _indicator_row(
                area,
                indicator,
                "anomaly",
                cfg["level"],
                fired,
                value,
                directions.get(indicator, -1),
                evidence,
            )
        )
    return quarter_rows(rows)


def _yoy_table(inputs: RuleInputs, quarter: pd.Period, cfg: dict) -> pd.DataFrame:
    """Pair each area and indicator of ``quarter`` with the same quarter a year earlier.

    Returns the values and counts (``raw_value``, else ``value``) of both
    quarters, the exposures of the count test and the catalogue fields used.
    """
    catalogue = inputs.catalogue
    skipped = catalogue.loc[catalogue["method"].isin(cfg["skip_methods"]), "indicator"]
    values = inputs.values[~inputs.values["indicator"].isin(skipped)]
    keys = ["area_code", "indicator"]

    def side(q: pd.Period) -> pd.DataFrame:
        part = _at(values, q)
        return pd.DataFrame(
            {
                "area_code": part["area_code"],
                "indicator": part["indicator"],
                "value": part["value"].astype(float),
                "count": part.get("raw_value", part["value"]).astype(float),
                "exposure": part.get("population", pd.Series(1.0, part.index)),
            }
        )

    table = side(quarter).merge(
        side(quarter - 4), on=keys, how="left", suffixes=("", "_base")
    )
    fields = catalogue.set_index("indicator")
    per_head = fields.get("denominator", pd.Series(dtype=object)).eq("population")
    value_type = fields.get("value_type", pd.Series("count", index=fields.index))
    table["direction"] = table["indicator"].map(_directions(inputs)).fillna(-1)
    table["counted"] = cfg["count_test"]["enabled"] & table["indicator"].map(
        value_type
    ).fillna("count").isin(cfg["count_test"]["value_types"])
    # Populations matter only for indicators scored per head.
    per_head_rows = table["indicator"].map(per_head).eq(True)
    for column in ("exposure", "exposure_base"):
        table[column] = table[column].astype(float).where(per_head_rows, 1.0)
    return table


def _leave_one_out(pairs: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Dispersion of each row's indicator, estimated from the other areas' pairs."""
    return pd.Series(
        [
            pearson_dispersion(*(pairs.drop(index=i)[c] for c in columns))
            for i in pairs.index
        ],
        index=pairs.index,
    )


def _dispersions(table: pd.DataFrame, cfg: dict) -> pd.Series:
    """Estimate each row's dispersion from its indicator's area pairs (1 if off).

    The row's own pair is left out, so that a real rise in the area tested
    does not widen its own null distribution.
    """
    if not cfg["count_test"]["dispersion"] or table.empty:
        return pd.Series(1.0, index=table.index)
    columns = ["count_base", "count", "exposure_base", "exposure"]
    parts = [_leave_one_out(g, columns) for _, g in table.groupby("indicator")]
    return pd.concat(parts).reindex(table.index).fillna(1.0).astype(float)


def _count_tests(table: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Run the Poisson test of worsening on every row (rises for direction -1)."""
    pairs = [table["count_base"], table["count"]]
    exposures = [table["exposure_base"], table["exposure"]]
    dispersion = _dispersions(table, cfg)
    rises = poisson_rate_test(*pairs, *exposures, dispersion=dispersion)
    falls = poisson_rate_test(
        *pairs, *exposures, alternative="less", dispersion=dispersion
    )
    worse_is_rise = table["direction"].le(0).to_numpy()
    keep = pd.DataFrame({column: worse_is_rise for column in rises.columns})
    return rises.where(keep, falls).assign(dispersion=dispersion.to_numpy())


def _yoy_count_row(r, cfg: dict, test) -> tuple[bool, str, dict]:
    """Judge a count indicator: relative rise, absolute increase and p-value."""
    test_cfg = cfg["count_test"]
    increase = -r.direction * (test.count - test.base_count)
    worse = -r.direction * r.change_pct
    # A rise from a zero base is an unbounded relative rise.
    relative = worse >= cfg["watch_pct"] or (r.value_base == 0 and increase > 0)
    fired = bool(
        relative
        and increase >= test_cfg["min_increase"]
        and test.p_value < test_cfg["alpha"]
    )
    reason = test.reason if not np.isnan(r.value_base) else "no base quarter"
    evidence = {
        "count": float(test.count),
        "base_count": float(test.base_count),
        "increase": float(increase),
        "p_value": float(test.p_value),
        "dispersion": float(test.dispersion),
    }
    return fired, reason, evidence


def _yoy_other_row(r, cfg: dict) -> tuple[bool, str, dict]:
    """Judge an amount, percent or ratio by its relative worsening alone."""
    reason = "" if r.value_base >= cfg["min_base"] else "no base quarter"
    if not np.isnan(r.value_base) and reason:
        reason = f"base below min_base ({cfg['min_base']})"
    worse = -r.direction * r.change_pct
    return bool(worse >= cfg["watch_pct"]), reason, {}


def _check_yoy_rise(
    inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Check for an indicator that worsened on a year earlier beyond noise."""
    cfg = rules["indicator"]["yoy_rise"]
    if not cfg["enabled"] or inputs.values is None or inputs.catalogue is None:
        return quarter_rows([])
    table = _yoy_table(inputs, quarter, cfg)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = 100 * (table["value"] - table["value_base"]) / table["value_base"]
    usable = table["counted"] | (table["value_base"] >= cfg["min_base"])
    table["change_pct"] = change.where(usable & (table["value_base"] != 0))
    tests = _count_tests(table, cfg)
    means = _county_means(inputs, quarter).to_dict()

    rows = []
    for r, test in zip(table.itertuples(), tests.itertuples(), strict=True):
        if r.counted:
            fired, reason, extra = _yoy_count_row(r, cfg, test)
        else:
            fired, reason, extra = _yoy_other_row(r, cfg)
        worse = -r.direction * r.change_pct
        big = worse >= cfg["warning_pct"] or (r.counted and r.value_base == 0)
        evidence = {
            "value": float(r.value),
            "base": float(r.value_base),
            "change_pct": float(r.change_pct),
            "county_mean": float(means.get(r.indicator, np.nan)),
            **extra,
        }
        rows.append(
            _indicator_row(
                r.area_code,
                r.indicator,
                "yoy_rise",
                "warning" if big else "watch",
                fired,
                r.value,
                int(r.direction),
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
        trends = _areas(inputs.trends)
        if "quarter" in trends:
            trends = _at(trends, quarter)
        return trends.assign(n=np.nan, reason="")[columns]
    values = _areas(inputs.values)
    values = values.assign(quarter=as_period(values["quarter"]))
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
