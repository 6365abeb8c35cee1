"""A live sign-off run with the network down: how long until the PM reads the one sentence.

Run inside a network namespace of its own (as root), e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/network_down.py'
Two networks, each the bundled semco biller, every live rule (-m live), serial, the default
bounds (--connect-timeout 5):
- no route: only loopback; every connection and every look-up fails at once (a laptop offline);
- silent: `--silent` adds a default route into a TUN device that swallows every packet, so
  each connection and look-up waits until its timeout (off the VPN, behind a firewall that
  drops).
The target: the whole run within one connect timeout plus a few seconds, and no rule failed.
For scale on a loaded machine, it also times the same biller's offline run (the same tests,
replayed): the difference is what the network being down costs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRETS = {
    "SEMCO_TEST_USER": "benchmark-user",
    "SEMCO_TEST_PASSWORD": "benchmark-password",
    "SEMCO_PAYCONNECT_SECRET": "benchmark-secret",
}


def swallow_everything() -> None:
    """A default route into a TUN device no program reads: packets leave, nothing comes back."""
    for command in (
        "ip tuntap add dev cqa-black mode tun",
        "ip link set cqa-black up",
        "ip addr add 10.200.0.1/16 dev cqa-black",
        "ip route add default dev cqa-black",
    ):
        subprocess.run(command.split(), check=True)


def one_run(report_dir: Path, mode: str) -> tuple[float, dict[str, int]]:
    """Seconds of one whole pytest run (-m live, or -m "not live"), and its summary's counts."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--biller=semco",
        "-m",
        mode,
        "-p",
        "no:cacheprovider",
        "-q",
        f"--report-dir={report_dir}",
    ]
    started = time.perf_counter()
    subprocess.run(
        command, cwd=REPO, env={**os.environ, **SECRETS}, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    (summary,) = report_dir.glob("semco/*/*/summary.json")
    counts: dict[str, int] = json.loads(summary.read_text(encoding="utf-8"))["counts"]
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--silent", action="store_true", help="packets swallowed, not refused")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.silent:
        swallow_everything()
    medians = {}
    for mode in ("live", "not live"):
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                elapsed, counts = one_run(Path(folder), mode)
            times.append(elapsed)
            print(
                f"-m {mode!r}: {elapsed:.2f} s: {counts['not-checked']} not checked, "
                f"{counts['failed']} failed, {counts['passed']} passed"
            )
        medians[mode] = statistics.median(times)
    network = "silent (packets swallowed)" if args.silent else "no route"
    print(
        f"network down, {network}: the live run {medians['live']:.2f} s, the same biller "
        f"offline {medians['not live']:.2f} s (medians of {args.runs})"
    )


if __name__ == "__main__":
    main()
