"""Scoring: indicator values, methods, points, levels, index and annual figures."""

from pingan.scoring.annual import annual_index, annual_totals, county_totals
from pingan.scoring.engine import (
    COUNTY,
    Panel,
    panel_points,
    score_indicators,
    score_panel,
    to_panel,
)
from pingan.scoring.levels import (
    DEFAULT_GRADES,
    aggregate_levels,
    grade,
    index_table,
    rank_areas,
)
from pingan.scoring.methods import (
    benchmark_score,
    deduction_score,
    goalpost_score,
    minmax_score,
    ratio_score,
    target_score,
)
from pingan.scoring.values import carry_forward, indicator_values

__all__ = [
    "COUNTY",
    "DEFAULT_GRADES",
    "Panel",
    "aggregate_levels",
    "annual_index",
    "annual_totals",
    "benchmark_score",
    "carry_forward",
    "county_totals",
    "deduction_score",
    "goalpost_score",
    "grade",
    "index_table",
    "indicator_values",
    "minmax_score",
    "panel_points",
    "rank_areas",
    "ratio_score",
    "score_indicators",
    "score_panel",
    "target_score",
    "to_panel",
]
