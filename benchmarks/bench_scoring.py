"""Benchmark the scoring engine: time and peak memory against the number of areas.

Scores 21 indicators (the xundian-example catalogue and its methods) over 40
quarters for 16, 1,000 and 40,000 synthetic areas, each size in its own
process so that peak resident memory is measured cleanly. The baseline,
measured in the same run, scores one area at a time with the same public
functions (a loop over areas). Also times the full London report for one
quarter. Run: ``python benchmarks/bench_scoring.py``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

N_QUARTERS = 40
SIZES = (16, 1_000, 40_000)
LOOP_SIZES = (16, 200)


def make_panel(n_areas: int, seed: int = 0):
    """Build a synthetic panel with the county slot filled in place (no copies)."""
    from pingan.datasets import load_dataset
    from pingan.scoring.engine import COUNTY, Panel, county_slices

    cat = load_dataset("xundian-example").catalogue
    rng = np.random.default_rng(seed)
    shape = (N_QUARTERS, n_areas + 1, len(cat))
    pop = np.empty(shape)
    pop[:] = rng.uniform(5_000, 80_000, size=(1, n_areas + 1, 1))
    raw = rng.poisson(5.0, size=shape).astype(float)
    rate = (cat["denominator"] == "population").to_numpy()
    value = raw * np.where(rate, cat["scale"].to_numpy(), 1.0)
    np.divide(value, pop, out=value, where=rate)
    value[..., (cat["method"] == "target").to_numpy()] = rng.uniform(80, 100)
    county = county_slices(value[:, :-1], raw[:, :-1], pop[:, :-1], cat)
    for array, part in zip((value, raw, pop), county, strict=True):
        array[:, -1] = part
    quarters = pd.period_range("2016Q1", periods=N_QUARTERS, freq="Q")
    areas = pd.Index([f"A{i:06d}" for i in range(n_areas)] + [COUNTY])
    return Panel(
        quarters, areas, pd.Index(cat["indicator"]), value, raw, pop, has_county=True
    ), cat


def score_vectorised(panel, cat) -> np.ndarray:
    from pingan.scoring.engine import panel_index, score_panel

    s, _ = score_panel(panel, cat, (panel.quarters[0], panel.quarters[11]))
    return panel_index(s, cat)


def score_loop(panel, cat) -> np.ndarray:
    """Baseline: the same public scoring called once per area."""
    from pingan.scoring.engine import Panel, panel_index, score_panel

    n = len(panel.areas) - 1
    out = np.empty((len(panel.quarters), n + 1))
    for a in range(n):
        keep = [a, n]  # the area and the county benchmark
        one = Panel(
            panel.quarters,
            panel.areas[keep],
            panel.indicators,
            panel.value[:, keep],
            panel.raw[:, keep],
            panel.population[:, keep],
            has_county=True,
        )
        s, _ = score_panel(one, cat, (panel.quarters[0], panel.quarters[11]))
        out[:, a] = panel_index(s, cat)[:, 0]
    return out


def child(kind: str, n_areas: int) -> None:
    warnings.simplefilter("ignore")
    panel, cat = make_panel(n_areas)
    start = time.perf_counter()
    if kind == "vectorised":
        score_vectorised(panel, cat)
    else:
        score_loop(panel, cat)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"kind": kind, "areas": n_areas, "seconds": seconds, "peak_mb": peak_mb}
        )
    )


def run_child(kind: str, n_areas: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n_areas)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_london_report() -> float:
    import tempfile

    from pingan.report import execute_notebook, latest_quarter

    quarter = latest_quarter("london")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        from pathlib import Path

        execute_notebook(
            "01-quarterly-report",
            {"dataset": "london", "quarter": quarter, "language": "zh"},
            Path(tmp),
            progress=False,
        )
    return time.perf_counter() - start


def main() -> None:
    print(f"scoring 21 indicators x {N_QUARTERS} quarters; one process per run")
    rows = [run_child("vectorised", n) for n in SIZES]
    rows += [run_child("loop", n) for n in LOOP_SIZES]
    table = pd.DataFrame(rows)
    table["ms_per_area"] = 1000 * table["seconds"] / table["areas"]
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    vec = table.query("kind == 'vectorised'").set_index("areas")
    loop = table.query("kind == 'loop'").set_index("areas")
    for n in LOOP_SIZES:
        per_area_loop = loop.loc[n, "ms_per_area"]
        nearest = 16 if n == 16 else 1_000
        ratio = per_area_loop / vec.loc[nearest, "ms_per_area"]
        print(
            f"loop over {n} areas vs vectorised {nearest}: {ratio:.1f}x slower per area"
        )
    growth = vec.loc[40_000, "seconds"] / vec.loc[1_000, "seconds"]
    print(f"time 40,000 / 1,000 areas: {growth:.1f} (40 would be linear)")
    print(
        f"peak memory at 40,000 areas: {vec.loc[40_000, 'peak_mb']:.0f} MB "
        "(target < 2048 MB)"
    )
    report = time_london_report()
    print(
        f"full London report, one quarter (papermill, fresh kernel): {report:.1f} s; "
        f"{report / vec.loc[16, 'seconds']:.0f}x the scoring of 16 areas"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
