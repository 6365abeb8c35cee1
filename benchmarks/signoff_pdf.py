"""What signoff.pdf adds to a run: the demo biller's offline run, serial, archived with the PDF
(headless Chromium started once to print the sheet) and with --no-pdf.

Run inside a loopback-only namespace, e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/signoff_pdf.py'
Each run is a whole pytest process, as a PM runs it. Prints each run's wall time, the medians
and the difference: the browser's start and one page printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENVIRON = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(report_dir: Path, *extra: str) -> float:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--biller=demo",
        f"--report-dir={report_dir}",
        "-q",
        "-p",
        "no:cacheprovider",
        *extra,
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=False, env=ENVIRON
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the run failed ({result.returncode}): {result.stdout[-300:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per configuration")
    args = parser.parse_args()
    report_dir = Path(tempfile.mkdtemp(prefix="conversion-qa-bench-")) / "reports"
    print(f"offline run of the demo biller, {os.cpu_count()} cores, median of {args.repeat}")
    medians = {}
    for name, extra in (("with signoff.pdf", ()), ("--no-pdf", ("--no-pdf",))):
        times = [run(report_dir, *extra) for _ in range(args.repeat)]
        medians[name] = statistics.median(times)
        shown = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:>17}: median {medians[name]:.2f} s ({shown})")
    added = medians["with signoff.pdf"] - medians["--no-pdf"]
    print(f"signoff.pdf adds {added:.2f} s per run")


if __name__ == "__main__":
    main()
