"""A live run against the sandbox with injected latency per call: serial against -n 4, and the
calls one biller's run makes.

Run inside a loopback-only namespace, e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/live_sandbox.py'
The workload is a conversion weekend's worth of billers: --copies clones of the demo biller
(each with its own host names), every rule live against one sandbox per pytest process.
Prints each run's wall time, the medians and the speed-up. I/O-bound rules should scale past
the core count, because a worker waiting on an answer leaves its core free.

Then the bundled demo biller alone, live against one sandbox started here (so that its calls
can be counted): the calls the run made per resource against the calls the contract needs
(one settings read per portal, one call per check), and the demo's in-test time (the sum of
its tests' durations, from pytest's JUnit XML), serial and with -n 2.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from conversion_qa.config import load_billers
from conversion_qa.config.model import Biller
from conversion_qa.contract import datapump, payconnect, portal, rtdr
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.server import Call, Sandbox

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


def _call(method: str, url: str) -> Call:
    parts = urlsplit(url)
    return Call(method, parts.netloc.lower().removesuffix(":443"), parts.path.rstrip("/") or "/")


def needed_calls(biller: Biller, environment: str) -> Counter[Call]:
    """The calls the contract needs for a live run of every rule: the portal's settings once,
    then one call per check (an RTDR call per test account, a data pump transmission per kind,
    login and token validation for a multi-user biller, a page per custom code item and iFrame)."""
    env = biller.environment(environment)
    needed: Counter[Call] = Counter()
    if env.portal:
        needed[_call("GET", portal.settings_url(env.portal))] += 1
        for code in biller.custom_code:
            needed[_call("GET", portal.page_url(env.portal, code.page))] += 1
        for frame in biller.capricorn_iframes:
            needed[_call("GET", portal.page_url(env.portal, frame.path))] += 1
    cis = env.endpoints.get("cis_service")
    if cis:
        needed[_call("POST", rtdr.url(cis))] += len(env.test_accounts)
        for kind in datapump.KINDS:
            needed[_call("POST", datapump.url(cis, kind))] += 1
    pay = env.endpoints.get("payconnect_service")
    if pay and biller.multi_user:
        needed[_call("POST", payconnect.login_url(pay))] += 1
        needed[_call("POST", payconnect.validate_url(pay))] += 1
    return needed


def demo_run(
    sandbox: Sandbox, nameserver: str, workers: int | None, folder: Path
) -> tuple[Counter[Call], float]:
    """One live run of the demo biller against the sandbox: its calls and its in-test time."""
    before = sandbox.calls()
    junit = folder / "junit.xml"
    options = shlex.split(sandbox.address.pytest_command(["demo"], nameserver))[1:]
    command = [
        sys.executable,
        "-m",
        "pytest",
        *options,
        f"--biller-dir={REPO / 'billers'}",
        f"--report-dir={folder / 'reports'}",
        f"--junitxml={junit}",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(REPO),
        str(REPO / "tests"),
    ]
    if workers:
        command += ["-n", str(workers)]
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=False, env=ENVIRON
    )
    if result.returncode != 0:
        tail = result.stdout.strip().splitlines()[-1:] or [result.stderr]
        raise SystemExit(f"the demo's live run failed ({result.returncode}): {tail[0]}")
    calls = sandbox.calls()
    calls.subtract(before)
    in_test = sum(float(case.get("time", 0)) for case in ET.parse(junit).iter("testcase"))
    return +calls, in_test


def report_calls(latency: float, repeat: int) -> None:
    """The demo biller's calls per resource and in-test time, serial and with -n 2."""
    (demo,) = load_billers(REPO / "billers", ["demo"])
    needed = needed_calls(demo, "test")
    sandbox = Sandbox.start([demo], latency=latency)
    dns = LocalDns(
        {host: Host(addresses=(sandbox.address.address,)) for host, _ in sandbox.address.hosts}
    )
    dns.start()
    print(
        f"\nthe demo biller alone (test environment, every rule live), {latency * 1000:g} ms per "
        f"call, median of {repeat} runs"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="conversion-qa-bench-demo-") as folder:
            for workers in (None, 2):
                label = "serial" if workers is None else f"-n {workers}"
                runs = [
                    demo_run(sandbox, dns.nameserver, workers, Path(folder)) for _ in range(repeat)
                ]
                times = [seconds for _, seconds in runs]
                calls = runs[-1][0]
                made = sum(calls.values())
                print(
                    f"  {label:8} in-test time median {statistics.median(times):5.2f} s  (runs: "
                    f"{', '.join(f'{t:.2f}' for t in times)}); {made} calls, the contract needs "
                    f"{sum(needed.values())}"
                )
                for call in sorted(set(calls) | set(needed)):
                    print(
                        f"    {call.method:4} {call.host}{call.path}: {calls[call]} made, "
                        f"{needed[call]} needed"
                    )
    finally:
        dns.stop()
        sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per call")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--copies", type=int, default=4, help="clones of the demo biller")
    parser.add_argument("--workers", type=int, nargs="+", default=[4])
    parser.add_argument(
        "--calls-only", action="store_true", help="only the demo biller's calls and in-test time"
    )
    args = parser.parse_args()
    if args.calls_only:
        report_calls(args.latency, args.repeat)
        return
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
    report_calls(args.latency, args.repeat)


if __name__ == "__main__":
    main()
