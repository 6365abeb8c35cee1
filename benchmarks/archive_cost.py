"""The cost of archiving one run and updating the board, against the history in the archive.

Two archives (local folders) are generated straight into the archive's layout: 10 runs of one
conversion, and 30,000 runs (40 billers, 750 runs each: a year of nightly history, as in issue
#20). Each has a record per run in the catalogue, a folder per run, each conversion's state,
page and board entry, and the board; the runs a board shows as current are real run folders with
their manifests (the others are never read when a run is archived). Then one new run at a time
is archived and published (reserve, write, commit with its manifest, record, the conversion's
state and page, the board) as the archiver does after the tests, and timed.

Prints medians over several repetitions and the difference. Target (issue #20): at most 0.5 s
more with 30,000 runs of history than with 10.
Run: python benchmarks/archive_cost.py [--repeat N] [--runs N] [--billers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from conversion_qa.report import board, catalogue
from conversion_qa.report.results import Mode, Summary
from conversion_qa.report.store import Store, location

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from selftests.archived import at, write_run
from selftests.summaries import NOW, clean_live

CURRENT = 2  # the latest runs of each conversion, written as real folders


def summary_of(biller: str, number: int) -> Summary:
    """The number-th run of a biller: nightly offline runs, every fifth one live."""
    base = dataclasses.replace(
        clean_live(),
        biller_id=biller,
        biller_name=biller.upper(),
        conversion=f"{biller.upper()}-2026-12",
        mode=Mode.LIVE if number % 5 == 0 else Mode.OFFLINE,
    )
    return at(base, NOW + timedelta(hours=12 * number))


def generate(root: Path, billers: int, runs: int) -> Store:
    """An archive of billers x runs, written straight into its layout."""
    store = Store.open(location(str(root), root))
    for b in range(billers):
        biller = f"biller{b:03d}"
        for number in range(runs):
            summary = summary_of(biller, number)
            conversion = f"{biller}/{summary.conversion}"
            if number >= runs - CURRENT:
                key, digest = write_run(store, summary)
            else:  # an old run: its folder, never read again when a run is archived
                stem = f"{summary.run.started:%Y%m%dT%H%M%SZ}-test-{summary.mode.value}"
                key, digest = f"{conversion}/{stem}", "0" * 64
                (root / key).mkdir(parents=True)
            record = catalogue.record_of(summary, key, digest)
            store.write(catalogue.record_key(key), catalogue.dumps(catalogue.record_json(record)))
        board.refresh(store, biller, summary.conversion)
    store.write(catalogue.MARKER, catalogue.dumps({"catalogue_version": catalogue.VERSION}))
    board.refresh_board(store)
    return store


def archive_one(store: Store, number: int) -> float:
    """Wall time of archiving one new run of the first biller and updating the board."""
    summary = summary_of("biller000", 100_000 + number)
    started = time.perf_counter()
    key, digest = write_run(store, summary)
    board.publish(store, [catalogue.record_of(summary, key, digest)])
    return time.perf_counter() - started


def measure(billers: int, runs: int, repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = generate(Path(folder), billers, runs)
        generated = time.perf_counter() - started
        archive_one(store, -1)  # warm: imports, the file system's caches
        costs = [archive_one(store, number) for number in range(repeat)]
    return statistics.median(costs), generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--runs", type=int, default=750, help="runs per biller in the large one")
    parser.add_argument("--billers", type=int, default=40)
    options = parser.parse_args()
    small, _ = measure(1, 10, options.repeat)
    print(f"history of 10 runs: archive + board update {small:.3f} s (median of {options.repeat})")
    total = options.billers * options.runs
    large, generated = measure(options.billers, options.runs, options.repeat)
    print(
        f"history of {total} runs ({options.billers} billers x {options.runs}, generated in "
        f"{generated:.0f} s): archive + board update {large:.3f} s (median of {options.repeat})"
    )
    print(f"difference: {large - small:+.3f} s (target: at most +0.5 s); ratio {large / small:.2f}")


if __name__ == "__main__":
    main()
