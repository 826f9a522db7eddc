"""Benchmark the warning rules and the letters against the number of areas.

Evaluates every warning rule for the last of 12 quarters on synthetic tables
(6 indicators, ``pingan.alerts._testing``) with 16, 200 and 1,000 areas. The
baseline, measured in the same run on the same tables, is one pass over the
values table (a group-by mean per area and indicator), so the ratio gives how
many such passes the rules cost. Also times the trend rule alone, which runs
one Mann-Kendall test per area and indicator, and writing one letter (HTML,
Word and chart). Run: ``python benchmarks/bench_alerts.py``.
"""

from __future__ import annotations

import platform
import tempfile
import time
import warnings

from pingan.alerts._testing import CATALOGUE, make_values, score_values
from pingan.alerts.letters import write_letters
from pingan.alerts.rules import RuleInputs, evaluate_rules, select_warnings

SIZES = (16, 200, 1_000)
QUARTER = "2025Q4"
KEYS = ["area_code", "indicator"]


def best_of(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def inputs_for(n_areas: int) -> RuleInputs:
    results = score_values(make_values(n_areas=n_areas))
    return RuleInputs(
        index=results.index,
        level_scores=results.level_scores,
        values=results.values,
        indicator_scores=results.indicator_scores,
        catalogue=CATALOGUE,
    )


def main() -> None:
    warnings.simplefilter("ignore")
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(
        f"{'areas':>6} {'baseline s':>11} {'all rules s':>12} {'ratio':>7} "
        f"{'trend s':>8} {'trend ratio':>12}"
    )
    for n_areas in SIZES:
        inputs = inputs_for(n_areas)
        baseline = best_of(lambda i=inputs: i.values.groupby(KEYS)["value"].mean())
        rules = best_of(lambda i=inputs: evaluate_rules(i, QUARTER), repeat=1)
        trend = best_of(
            lambda i=inputs: evaluate_rules(i, QUARTER, only=["trend"]), repeat=1
        )
        print(
            f"{n_areas:>6} {baseline:>11.4f} {rules:>12.3f} {rules / baseline:>7.0f} "
            f"{trend:>8.3f} {trend / baseline:>12.0f}"
        )

    inputs = inputs_for(16)
    found = select_warnings(evaluate_rules(inputs, QUARTER))
    first_recipient = found[found["recipient_id"] == found["recipient_id"].iloc[0]]
    with tempfile.TemporaryDirectory() as folder:
        letter = best_of(
            lambda: write_letters(first_recipient, inputs, QUARTER, folder), repeat=3
        )
    print(f"one letter (HTML, Word, chart): {letter:.3f} s")


if __name__ == "__main__":
    main()
