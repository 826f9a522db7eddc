"""Benchmark Monte Carlo rank uncertainty against a per-draw loop.

Run from the repository root:

    PYTHONPATH=$PWD python benchmarks/bench_composite.py

For each problem size it times ``rank_uncertainty`` (weight draws evaluated
as batched matrix products) and a baseline loop that, for each draw, forms
the effective weights and calls the public ``aggregate`` once, then ranks
the areas. Both use the same normalised matrix and the same arithmetic
scheme; the loop runs fewer draws and is extrapolated per draw. The large
case is also timed with one thread per CPU (``n_jobs``). The contenders run
in turn, three rounds, and each timing is the best of its three runs, in
wall-clock and in CPU seconds. Peak memory of the
batched run is measured with tracemalloc in a separate, single-thread run.

A last table times ``rank_scores`` (sorting packed integer keys) against
ranking with ``numpy.argsort`` on the scores of 10,000 draws x 2,000 areas,
in chunks of 1,000 draws as ``rank_uncertainty`` ranks them.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from pingan.composite import aggregate, rank_uncertainty
from pingan.composite.examples import make_example
from pingan.composite.ranking import _argsort_ranks, rank_scores
from pingan.composite.scheme import prepare
from pingan.composite.uncertainty import (
    _effective_draws,
    _noise_multipliers,
    _noisy_weights,
)

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


def interleaved(runs: dict, repeat: int = 3) -> dict:
    """Time each of ``runs`` (name -> function) ``repeat`` times, in turn.

    Running the contenders one after the other in every round exposes them
    to the same load from other processes, and the best of the rounds is kept.
    Returns name -> (last result, best wall seconds, best CPU seconds).
    """
    walls = {name: [] for name in runs}
    cpus = {name: [] for name in runs}
    results = {}
    for _ in range(repeat):
        for name, func in runs.items():
            start, cpu = time.perf_counter(), time.process_time()
            results[name] = func()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    return {name: (results[name], min(walls[name]), min(cpus[name])) for name in runs}


def run_case(n_areas, n_indicators, n_draws, n_loop, n_jobs) -> list[dict]:
    data, catalogue = make_example(n_areas, n_indicators, n_domains=5, seed=1)
    options = {"noise": NOISE, "seed": 0, "progress": False}

    tracemalloc.start()
    rank_uncertainty(data, catalogue, n_draws=n_draws, **options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    runs = {"loop": lambda: loop_baseline(data, catalogue, n_loop, seed=0)}
    for jobs in sorted({1, n_jobs}):
        runs[jobs] = lambda jobs=jobs: rank_uncertainty(
            data, catalogue, n_draws=n_draws, n_jobs=jobs, **options
        )
    timings = interleaved(runs)
    looped, t_loop, cpu_loop = timings.pop("loop")
    # Same seed and noise: the loop's draws are the first draws of the batch.
    check = rank_uncertainty(data, catalogue, n_draws=n_loop, **options)
    same = bool(np.array_equal(check.ranks, looped.astype("float32")))

    rows = []
    for jobs, (_, t_batched, cpu_batched) in timings.items():
        rows.append(
            {
                "areas": n_areas,
                "indicators": n_indicators,
                "n_jobs": jobs,
                "draws": n_draws,
                "batched_s": round(t_batched, 3),
                "batched_draws_per_s": round(n_draws / t_batched),
                "loop_draws": n_loop,
                "loop_s": round(t_loop, 3),
                "loop_draws_per_s": round(n_loop / t_loop),
                "speedup": round((t_loop / n_loop) / (t_batched / n_draws), 1),
                "cpu_speedup": round((cpu_loop / n_loop) / (cpu_batched / n_draws), 1),
                "peak_traced_mb": round(peak / 2**20, 1),
                "same_ranks": same,
            }
        )
    return rows


def ranking_case(n_draws: int, chunk: int = 1000) -> dict:
    """Time rank_scores against argsort ranking on 2,000 areas' draw scores."""
    data, catalogue = make_example(2000, 50, n_domains=5, seed=1)
    plan = prepare(data, catalogue, "points")
    mult = _noise_multipliers(plan, NOISE, n_draws, np.random.default_rng(0))
    scores = _effective_draws(plan, _noisy_weights(plan, mult)) @ plan.normalised.T
    chunks = [scores[i : i + chunk].to_numpy() for i in range(0, n_draws, chunk)]
    timings = interleaved(
        {
            "packed": lambda: [rank_scores(c, "float32") for c in chunks],
            "argsort": lambda: [_argsort_ranks(c, "float32") for c in chunks],
        }
    )
    (packed, t_packed, _), (sorted_, t_argsort, _) = timings.values()
    return {
        "draws": n_draws,
        "areas": 2000,
        "packed_keys_s": round(t_packed, 3),
        "argsort_s": round(t_argsort, 3),
        "speedup": round(t_argsort / t_packed, 2),
        "same_ranks": all(map(np.array_equal, packed, sorted_)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws")
    parser.add_argument("--loop-draws", type=int, default=200, help="draws of the loop")
    args = parser.parse_args()
    threads = os.cpu_count() or 1
    rows = [
        *run_case(16, 21, args.draws, args.loop_draws, 1),
        *run_case(2000, 50, args.draws, args.loop_draws, threads),
    ]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
        print()
        print(pd.DataFrame([ranking_case(args.draws)]).to_string(index=False))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {rss:.0f} MB (ru_maxrss)")


if __name__ == "__main__":
    main()
