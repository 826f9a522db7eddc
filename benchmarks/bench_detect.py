"""Time the vectorised Mann-Kendall and Sen's slope against a pymannkendall loop.

Run from the repository root:

    PYTHONPATH=$PWD python benchmarks/bench_detect.py [--series 10000] [--subset 500]

Part 1 tests ``--series`` simulated Poisson series of 40 quarters with
``pingan.detect.mann_kendall`` in one call (best of three runs), then loops
``pymannkendall.original_test`` over the first ``--subset`` of them and
extrapolates the loop time to all series. It checks that S, var(S), z, the
p-value, Sen's slope and the intercept agree to 1e-9 (relative) and prints
the speed ratio. Part 2 times every built-in detector on the xundian-example
panel (16 townships x 21 indicators x 16 quarters), or on simulated counts of
that shape when the dataset cannot be loaded.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pymannkendall

from pingan.detect import DETECTORS, get_detector, mann_kendall, simulate


def long_panel(values: np.ndarray, start: str = "2015Q1") -> pd.DataFrame:
    n_series, n_quarters = values.shape
    quarters = pd.period_range(start, periods=n_quarters, freq="Q")
    return pd.DataFrame(
        {
            "series_id": np.repeat(np.arange(n_series), n_quarters),
            "quarter": np.tile(quarters, n_series),
            "value": values.ravel(),
        }
    )


def bench_mann_kendall(n_series: int, subset: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    trend = rng.normal(0, 0.05, size=(n_series, 1)) * np.arange(40)
    values = rng.poisson(20 * np.exp(trend)).astype(float)
    panel = long_panel(values)

    ours_seconds = np.inf
    for _ in range(3):
        start = time.perf_counter()
        ours = mann_kendall(panel, by=["series_id"])
        ours_seconds = min(ours_seconds, time.perf_counter() - start)

    start = time.perf_counter()
    reference = [pymannkendall.original_test(row) for row in values[:subset]]
    loop_seconds = (time.perf_counter() - start) * n_series / subset

    fields = {"s": "s", "var_s": "var_s", "z": "z", "p_value": "p"}
    fields |= {"slope": "slope", "intercept": "intercept"}
    worst = 0.0
    for column, attribute in fields.items():
        got = ours[column].to_numpy()[:subset]
        want = np.array([getattr(r, attribute) for r in reference], dtype=float)
        usable = np.ones(len(want), dtype=bool)
        if column == "p_value":
            # pymannkendall computes 2 * (1 - cdf(|z|)), which rounds to 0
            # below about 1e-16; pingan uses the survival function.
            usable = want > 1e-6
        scale = np.maximum(np.abs(want[usable]), 1e-12)
        diff = np.abs(got[usable] - want[usable]) / scale
        worst = max(worst, float(np.max(diff, initial=0)))
    print(f"Mann-Kendall + Sen's slope, {n_series} series x 40 quarters")
    print(f"  pingan (one call, best of 3) {ours_seconds:6.3f} s")
    print(
        f"  pymannkendall loop         {loop_seconds:8.3f} s "
        f"(measured on {subset}, extrapolated)"
    )
    print(f"  speed ratio                {loop_seconds / ours_seconds:8.1f} x")
    print(f"  max relative difference    {worst:.2e} (required <= 1e-9)")
    if worst > 1e-9:
        raise SystemExit("pingan and pymannkendall disagree beyond 1e-9")


def detector_panel(seed: int) -> tuple[pd.DataFrame, str]:
    """Return the Xundian example panel, or a simulated one of the same shape."""
    try:
        from pingan.datasets import load_dataset
        from pingan.detect import dataset_panel

        indicators = load_dataset("xundian-example").catalogue["indicator"].tolist()
        return dataset_panel("xundian-example", indicators), "xundian-example"
    except (ImportError, FileNotFoundError, ValueError):
        sim = simulate(16 * 21, n_quarters=16, level=15, seed=seed)
        data = sim.data.assign(
            area_code=lambda d: (d["series_id"] // 21).astype(str).str.zfill(2),
            indicator=lambda d: "I" + (d["series_id"] % 21).astype(str).str.zfill(2),
        ).drop(columns="series_id")
        return data, "simulated"


def bench_detectors(seed: int) -> None:
    data, source = detector_panel(seed)
    shape = data.groupby(["area_code", "indicator"]).ngroups
    print(
        f"\nAll detectors on {shape} series x {data['quarter'].nunique()} quarters "
        f"({source}, {len(data)} rows)"
    )
    total = 0.0
    for name in DETECTORS:
        detector = get_detector(name)
        start = time.perf_counter()
        detector(data, by=["area_code", "indicator"])
        seconds = time.perf_counter() - start
        total += seconds
        print(f"  {name:24s} {seconds:8.3f} s")
    print(f"  {'total':24s} {total:8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000, help="series in part 1")
    parser.add_argument("--subset", type=int, default=500, help="series looped over")
    parser.add_argument("--seed", type=int, default=20250101, help="random seed")
    args = parser.parse_args()
    bench_mann_kendall(args.series, args.subset, args.seed)
    bench_detectors(args.seed)


if __name__ == "__main__":
    main()
