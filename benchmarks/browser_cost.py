"""What the browser adds to a live run: the demo biller's rehearsal, serial, with the browser
(custom-code and iframe-lag seen in headless Chromium, signed in) and with --no-browser.

Run inside a loopback-only namespace, e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/browser_cost.py'
Each run is a whole pytest process (start, the sandbox, every rule live, the archive), as a PM
runs it. Prints each run's wall time, the medians, and the difference: the browser's start,
the sign-in and each page it looks at (network idle adds half a second per page by definition).
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


def run(report_dir: Path, *extra: str) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--biller=demo",
        f"--report-dir={report_dir}",
        "-m",
        "live",
        "--sandbox",
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
    lines = [line for line in result.stdout.splitlines() if " in " in line and "passed" in line]
    summary = lines[-1] if lines else (result.stdout + result.stderr).strip()[-300:]
    if result.returncode != 0:
        raise SystemExit(f"the live run failed ({result.returncode}): {summary}")
    return seconds, summary.strip("= ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per configuration")
    args = parser.parse_args()
    report_dir = Path(tempfile.mkdtemp(prefix="conversion-qa-bench-")) / "reports"
    print(
        f"live rehearsal of the demo biller, serial, {os.cpu_count()} cores, median of "
        f"{args.repeat} runs"
    )
    medians: dict[str, float] = {}
    for label, extra in (("--no-browser", ("--no-browser",)), ("browser", ())):
        times = []
        summary = ""
        for _ in range(args.repeat):
            seconds, summary = run(report_dir, *extra)
            times.append(seconds)
        medians[label] = statistics.median(times)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {label:13} median {medians[label]:6.2f} s  (runs: {runs}; {summary})")
    added = medians["browser"] - medians["--no-browser"]
    print(f"  the browser adds {added:.2f} s to the demo's live run (target: under 5 s)")


if __name__ == "__main__":
    main()
