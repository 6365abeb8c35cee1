"""Offline run speed: one biller against bare pytest, and 500 generated billers with -n 2.

Prints medians of wall time over several runs and their ratio. Targets (issue #2): one biller at
most 1.5x a bare pytest run of as many trivial tests; 500 billers under 30 s with -n 2.
Run: python benchmarks/offline_run.py [--repeat N] [--billers N] [--no-pdf]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "billers" / "demo.yaml"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
SUITE_OPTIONS: list[str] = []  # what every run of the suite adds (--no-pdf)
# As a user's shell runs it: bytecode cached, output buffered. (Sandboxes often set these two;
# PYTHONUNBUFFERED makes every "." of the progress line a write to the pipe, and
# PYTHONDONTWRITEBYTECODE makes every xdist worker compile the suite again.)
ENVIRONMENT = {
    name: value
    for name, value in os.environ.items()
    if name not in ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE")
}


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time of one pytest run, archiving into a fresh folder, and the tests it passed."""
    with tempfile.TemporaryDirectory() as reports:
        started = time.perf_counter()
        done = subprocess.run(
            [*args, f"--report-dir={reports}"],
            cwd=cwd,
            env=ENVIRONMENT,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"run failed ({done.returncode}): {' '.join(args)}\n{done.stdout[-2000:]}")
    passed = re.search(r"(\d+) passed", done.stdout)
    return elapsed, int(passed.group(1)) if passed else 0


def median_of(repeat: int, args: list[str], cwd: Path) -> tuple[float, int]:
    runs = [timed(args, cwd) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), runs[0][1]


def write_billers(folder: Path, count: int) -> None:
    """Copies of the demo biller, each with the demo's recorded fixtures."""
    text = DEMO.read_text()
    billers = folder / "billers"
    billers.mkdir()
    for n in range(count):
        name = f"gen-{n:04d}"
        (billers / f"{name}.yaml").write_text(text.replace("biller: demo", f"biller: {name}", 1))
        fixtures = folder / "fixtures" / name
        fixtures.mkdir(parents=True)
        for recording in (REPO / "fixtures" / "demo").iterdir():
            if recording.is_dir():  # the browser's screenshots
                shutil.copytree(recording, fixtures / recording.name)
                continue
            # transmission ids name their biller: CQA-DEMO-TEST-PAYMENT-100234
            recorded = recording.read_text().replace("CQA-DEMO-", f"CQA-{name.upper()}-")
            (fixtures / recording.name).write_text(recorded)


def suite_command(billers: Path, *extra: str) -> list[str]:
    return [*PYTEST, f"--rootdir={REPO}", f"--biller-dir={billers}", *SUITE_OPTIONS, *extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--billers", type=int, default=500)
    parser.add_argument(
        "--no-pdf", action="store_true", help="runs without signoff.pdf (the suite's --no-pdf)"
    )
    options = parser.parse_args()
    if options.no_pdf:
        SUITE_OPTIONS.append("--no-pdf")
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one = root / "one"
        one.mkdir()
        write_billers(one, 1)
        command = suite_command(one / "billers", str(REPO / "tests"))
        suite_time, tests = median_of(options.repeat, command, REPO)

        bare = root / "bare"
        bare.mkdir()
        (bare / "test_bare.py").write_text(
            "import pytest\n\n"
            f"@pytest.mark.parametrize('n', range({tests}))\n"
            "def test_trivial(n):\n    assert n >= 0\n"
        )
        bare_time, bare_tests = median_of(options.repeat, [*PYTEST, str(bare)], bare)
        assert bare_tests == tests, (bare_tests, tests)
        lines += [
            f"one biller ({tests} tests), offline, archived:  median {suite_time:6.2f} s",
            f"bare pytest, {tests} trivial tests:             median {bare_time:6.2f} s",
            f"ratio suite / bare:                        {suite_time / bare_time:6.2f}x "
            "(target <= 1.5x)",
        ]

        many = root / "many"
        many.mkdir()
        write_billers(many, options.billers)
        repeat = max(1, options.repeat // 2)
        selections = {
            "configuration rules": str(REPO / "tests" / "test_configuration.py"),
            "whole suite": str(REPO / "tests"),
        }
        for label, path in selections.items():
            for workers in (["-n", "2"], []):
                command = suite_command(many / "billers", *workers, path)
                elapsed, count = median_of(repeat, command, REPO)
                how = "-n 2  " if workers else "serial"
                lines.append(
                    f"{options.billers} billers, {label} ({count} tests), {how}: "
                    f"median {elapsed:6.2f} s (target < 30 s with -n 2)"
                )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
