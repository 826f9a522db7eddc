"""Early warnings, rectification tracking and the year-end review.

After each quarter the county warns the townships and departments whose
scores are low or whose indicators behave abnormally, follows up in later
quarters whether each problem improved, and at year end names the indicators
that got worse. :mod:`~pingan.alerts.rules` decides the warnings,
:mod:`~pingan.alerts.drivers` finds what drove a change,
:mod:`~pingan.alerts.register` tracks rectification,
:mod:`~pingan.alerts.letters` writes the letters,
:mod:`~pingan.alerts.annual` makes the year-end review and
:mod:`~pingan.alerts.run` runs them on a dataset.
"""

from pingan.alerts.annual import (
    AnnualResult,
    key_target_table,
    review_year,
    worsened_indicators,
)
from pingan.alerts.drivers import (
    county_contributions,
    focus_indicators,
    index_contributions,
    leading_contributions,
)
from pingan.alerts.evidence import describe_evidence, readable_evidence
from pingan.alerts.letters import letter_names, write_letters
from pingan.alerts.plots import plot_annual_change, plot_register_status
from pingan.alerts.poisson import poisson_rate_test
from pingan.alerts.register import (
    read_register,
    summarise_register,
    update_register,
    write_register,
)
from pingan.alerts.rules import (
    RuleInputs,
    anomaly_flags,
    department_quality,
    evaluate_rules,
    evidence_table,
    load_rules,
    select_warnings,
)
from pingan.alerts.run import (
    WarningsResult,
    annual_review,
    check_review_parameters,
    check_warning_parameters,
    run_warnings,
)
from pingan.alerts.watchlist import split_letters

__all__ = [
    "AnnualResult",
    "RuleInputs",
    "WarningsResult",
    "annual_review",
    "anomaly_flags",
    "check_review_parameters",
    "check_warning_parameters",
    "county_contributions",
    "department_quality",
    "describe_evidence",
    "evaluate_rules",
    "evidence_table",
    "focus_indicators",
    "index_contributions",
    "leading_contributions",
    "key_target_table",
    "letter_names",
    "load_rules",
    "plot_annual_change",
    "plot_register_status",
    "poisson_rate_test",
    "read_register",
    "readable_evidence",
    "review_year",
    "run_warnings",
    "select_warnings",
    "split_letters",
    "summarise_register",
    "update_register",
    "worsened_indicators",
    "write_letters",
    "write_register",
]
