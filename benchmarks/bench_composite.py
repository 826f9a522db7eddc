"""Benchmark Monte Carlo rank uncertainty against a per-draw loop.

Run from the repository root:

    PYTHONPATH=$PWD python benchmarks/bench_composite.py

For each problem size it times ``rank_uncertainty`` (weight draws evaluated
as batched matrix products) and a baseline loop that, for each draw, forms
the effective weights and calls the public ``aggregate`` once, then ranks
the areas. Both use the same normalised matrix and the same arithmetic
scheme; the loop runs fewer draws and is extrapolated per draw. Peak memory
of the batched run is measured with tracemalloc in a separate run.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from pingan.composite import aggregate, rank_uncertainty
from pingan.composite.examples import make_example
from pingan.composite.scheme import prepare, rank_scores
from pingan.composite.uncertainty import _noise_multipliers

NOISE = {"indicator": 0.25, "dimension": 0.25, "domain": 0.25}


def loop_baseline(data, catalogue, n_draws: int, seed: int) -> np.ndarray:
    """Rank areas with one public aggregate() call per weight draw."""
    plan = prepare(data, catalogue, "points")
    rng = np.random.default_rng(seed)
    mult = _noise_multipliers(plan, NOISE, n_draws, rng)
    table = plan.weights
    ind = table[table["level"] == "indicator"]
    dim = table[table["level"] == "dimension"]
    dom = table[table["level"] == "domain"]
    ranks = np.empty((n_draws, len(data)))
    for d in range(n_draws):
        w_ind = pd.Series(
            ind["weight"].to_numpy() * mult["indicator"][d], index=ind["code"]
        )
        w_dim = pd.Series(
            dim["weight"].to_numpy() * mult["dimension"][d], index=dim["code"]
        )
        w_dom = pd.Series(
            dom["weight"].to_numpy() * mult["domain"][d], index=dom["code"]
        )
        w_ind = (
            w_ind / w_ind.groupby(ind["parent"].to_numpy()).transform("sum").to_numpy()
        )
        w_dim = (
            w_dim / w_dim.groupby(dim["parent"].to_numpy()).transform("sum").to_numpy()
        )
        w_dom = w_dom / w_dom.sum()
        effective = (
            w_ind
            * w_dim.reindex(ind["parent"]).to_numpy()
            * w_dom.reindex(
                dim.set_index("code")["parent"].reindex(ind["parent"])
            ).to_numpy()
        )
        score = aggregate(plan.normalised, effective, "arithmetic")
        ranks[d] = rank_scores(score.to_numpy())
    return ranks


def run_case(n_areas: int, n_indicators: int, n_draws: int, n_loop: int) -> dict:
    data, catalogue = make_example(n_areas, n_indicators, n_domains=5, seed=1)

    start, cpu = time.perf_counter(), time.process_time()
    batched = rank_uncertainty(
        data, catalogue, n_draws=n_draws, noise=NOISE, seed=0, progress=False
    )
    t_batched = time.perf_counter() - start
    cpu_batched = time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    looped = loop_baseline(data, catalogue, n_loop, seed=0)
    t_loop = time.perf_counter() - start
    cpu_loop = time.process_time() - cpu

    # Same seed and noise: the loop's draws are the first draws of the batch.
    check = rank_uncertainty(
        data, catalogue, n_draws=n_loop, noise=NOISE, seed=0, progress=False
    )
    same = bool(np.array_equal(check.ranks, looped.astype("float32")))

    tracemalloc.start()
    rank_uncertainty(
        data, catalogue, n_draws=n_draws, noise=NOISE, seed=0, progress=False
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    per_draw_batched = t_batched / n_draws
    per_draw_loop = t_loop / n_loop
    return {
        "areas": n_areas,
        "indicators": n_indicators,
        "draws": n_draws,
        "batched_s": round(t_batched, 3),
        "batched_draws_per_s": round(n_draws / t_batched),
        "loop_draws": n_loop,
        "loop_s": round(t_loop, 3),
        "loop_draws_per_s": round(n_loop / t_loop),
        "speedup": round(per_draw_loop / per_draw_batched, 1),
        "cpu_speedup": round((cpu_loop / n_loop) / (cpu_batched / n_draws), 1),
        "peak_traced_mb": round(peak / 2**20, 1),
        "same_ranks": same,
        "summary_rows": len(batched.summary),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws")
    parser.add_argument("--loop-draws", type=int, default=200, help="draws of the loop")
    args = parser.parse_args()
    rows = [
        run_case(16, 21, args.draws, args.loop_draws),
        run_case(2000, 50, args.draws, args.loop_draws),
    ]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {rss:.0f} MB (ru_maxrss)")


if __name__ == "__main__":
    main()
