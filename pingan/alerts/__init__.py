"""Early warnings, rectification tracking and the year-end review.

After each quarter the county warns the townships and departments whose
scores are low or whose indicators behave abnormally, follows up in later
quarters whether each problem improved, and at year end names the indicators
that got worse. :mod:`~pingan.alerts.rules` decides the warnings,
:mod:`~pingan.alerts.drivers` finds what drove a change,
:mod:`~pingan.alerts.register` tracks rectification,
:mod:`~pingan.alerts.letters` writes the letters and
:mod:`~pingan.alerts.annual` makes the year-end review.
"""

from pingan.alerts.drivers import (
    county_contributions,
    focus_indicators,
    index_contributions,
)
from pingan.alerts.rules import RuleInputs, evaluate_rules, load_rules, select_warnings

__all__ = [
    "RuleInputs",
    "county_contributions",
    "evaluate_rules",
    "focus_indicators",
    "index_contributions",
    "load_rules",
    "select_warnings",
]
