"""Time validate_quarter against reading the same quarters' files.

Run from the project root:

    python benchmarks/bench_quality.py

For each dataset the baseline is ``Dataset.read_quarters`` over the quarters
validate_quarter reads (the quarter and the 12 before it), measured first so
that validate_quarter then finds them in the reader's cache. The printed
ratio is the time of the checks, schedule, actions and scores per unit of
reading time.
"""

import time

from pingan.datasets import load_dataset
from pingan.quality import validate_quarter

CASES = [("xundian-example", "2025Q4"), ("london", "2025Q3"), ("ireland", "2019Q3")]


def main() -> None:
    header = f"{'dataset':<16} {'quarter':<8} {'read s':>8} {'validate s':>11}"
    print(f"{header} {'ratio':>6}")
    for name, quarter in CASES:
        dataset = load_dataset(name)
        wanted = [q for q in dataset.quarters if str(q) <= quarter][-13:]
        start = time.perf_counter()
        dataset.read_quarters(wanted)
        read = time.perf_counter() - start
        start = time.perf_counter()
        validate_quarter(name, quarter)
        checks = time.perf_counter() - start
        ratio = checks / read
        print(f"{name:<16} {quarter:<8} {read:8.2f} {checks:11.2f} {ratio:6.2f}")


if __name__ == "__main__":
    main()
