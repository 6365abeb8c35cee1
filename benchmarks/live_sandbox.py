"""A live run against the sandbox with injected latency per call: serial against -n 4.

Run inside a loopback-only namespace, e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/live_sandbox.py'
The workload is a conversion weekend's worth of billers: --copies clones of the demo biller
(each with its own host names), every rule live against one sandbox per pytest process.
Prints each run's wall time, the medians and the speed-up. I/O-bound rules should scale past
the core count, because a worker waiting on an answer leaves its core free.
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
# As a user runs it: bytecode cached (a shell with PYTHONDONTWRITEBYTECODE would make every
# process, so every xdist worker, compile the suite and its plugins again).
ENVIRON = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def write_clones(folder: Path, copies: int) -> None:
    """demo1..demoN: the demo biller under other names and host names."""
    text = (REPO / "billers" / "demo.yaml").read_text()
    for n in range(1, copies + 1):
        (folder / f"demo{n}.yaml").write_text(text.replace("demo", f"demo{n}"))


def run(workers: int | None, latency: float, biller_dir: Path) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        f"--biller-dir={biller_dir}",
        f"--report-dir={biller_dir.parent / 'reports'}",
        "-m",
        "live",
        "--sandbox",
        f"--sandbox-latency={latency}",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(REPO),
        str(REPO / "tests"),
    ]
    if workers:
        command += ["-n", str(workers)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    if result.returncode != 0:
        raise SystemExit(f"the live run failed ({result.returncode}): {summary}")
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per call")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--copies", type=int, default=4, help="clones of the demo biller")
    parser.add_argument("--workers", type=int, nargs="+", default=[4])
    args = parser.parse_args()
    biller_dir = Path(tempfile.mkdtemp(prefix="conversion-qa-bench-")) / "billers"
    biller_dir.mkdir()
    write_clones(biller_dir, args.copies)
    print(
        f"live run of {args.copies} demo billers against the sandbox, {args.latency * 1000:g} ms "
        f"per call, {os.cpu_count()} cores, median of {args.repeat} runs"
    )
    medians: dict[int | None, float] = {}
    for workers in [None, *args.workers]:
        label = "serial" if workers is None else f"-n {workers}"
        times = []
        for _ in range(args.repeat):
            seconds, summary = run(workers, args.latency, biller_dir)
            times.append(seconds)
        medians[workers] = statistics.median(times)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {label:8} median {medians[workers]:6.2f} s  (runs: {runs}; {summary})")
    for workers in args.workers:
        print(f"  speed-up -n {workers} vs serial: {medians[None] / medians[workers]:.2f}x")


if __name__ == "__main__":
    main()
