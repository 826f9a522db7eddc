"""Fill the suggested focus of each check from the index decomposition."""

from __future__ import annotations

import pandas as pd

from pingan.alerts.checks import RuleInputs
from pingan.alerts.drivers import as_period, focus_indicators, index_contributions

__all__ = ["add_focus"]

_AREA_RULES = ("grade_red", "grade_bottom")


def _shortfall(scores: pd.DataFrame, quarter: pd.Period, top: int) -> pd.DataFrame:
    """Name the indicators with the most points lost below their maximum."""
    now = scores[as_period(scores["quarter"]) == quarter]
    lost = now.assign(contribution=now["points"] - now["points_max"])
    return focus_indicators(lost[lost["contribution"] < 0], top=top)


def _area_focus(inputs: RuleInputs, quarter: pd.Period, top: int) -> pd.DataFrame:
    """Year-on-year falls first; where nothing fell, the largest shortfalls."""
    scores = inputs.indicator_scores
    falls = focus_indicators(index_contributions(scores, quarter, lag=4), top=top)
    if "points_max" not in scores:
        return falls
    fallback = _shortfall(scores, quarter, top).set_index("area_code")
    empty = falls["focus"] == ""
    for column in ("focus", "focus_detail"):
        replacement = falls.loc[empty, "area_code"].map(fallback[column]).fillna("")
        falls.loc[empty, column] = replacement
    return falls


def _domain_focus(inputs: RuleInputs, quarter: pd.Period, top: int) -> pd.DataFrame:
    """Name, per area and domain, the indicators that fell most on a quarter."""
    contributions = index_contributions(inputs.indicator_scores, quarter, lag=1)
    domains = inputs.catalogue.set_index("indicator")["domain"]
    contributions = contributions.assign(
        group=contributions["area_code"] + "-" + contributions["indicator"].map(domains)
    )
    # Group by "<area>-<domain>" so that one call names the indicators of each pair.
    grouped = contributions.drop(columns="area_code").rename(
        columns={"group": "area_code"}
    )
    return focus_indicators(grouped, top=top)


def add_focus(
    checks: pd.DataFrame, inputs: RuleInputs, quarter: pd.Period, rules: dict
) -> pd.DataFrame:
    """Return ``checks`` with ``focus``, ``focus_detail`` and area ``indicators`` set.

    Area rules name the indicators whose points fell most on a year earlier.
    Where none fell, they name those furthest below their maximum. Domain
    drops name the domain's indicators that fell most on the last quarter.
    Indicator rules name their own indicator, and department rules none.
    """
    top = rules["focus"]["top"]
    checks = checks.assign(focus="", focus_detail="")
    indicator_rule = checks["subject"].ne("") & checks["indicators"].ne("")
    checks.loc[indicator_rule, "focus"] = checks.loc[indicator_rule, "subject"]
    if inputs.indicator_scores is None or checks.empty:
        return checks
    area = checks["rule"].isin(_AREA_RULES)
    if area.any():
        found = _area_focus(inputs, quarter, top).set_index("area_code")
        for column in ("focus", "focus_detail"):
            checks.loc[area, column] = (
                checks.loc[area, "recipient_id"].map(found[column]).fillna("")
            )
    domain = checks["rule"].eq("domain_drop")
    if domain.any() and inputs.catalogue is not None:
        found = _domain_focus(inputs, quarter, top).set_index("area_code")
        keys = checks.loc[domain, "recipient_id"] + "-" + checks.loc[domain, "subject"]
        for column in ("focus", "focus_detail"):
            checks.loc[domain, column] = keys.map(found[column]).fillna("")
    involved = area | domain
    checks.loc[involved, "indicators"] = checks.loc[involved, "focus"]
    return checks
