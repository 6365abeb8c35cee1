"""python -m conversion_qa.sandbox --biller demo: serve the contract on loopback for a rehearsal."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from conversion_qa.config import load_billers
from conversion_qa.errors import ConversionQAError
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.scenarios import SCENARIOS
from conversion_qa.sandbox.server import Sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conversion_qa.sandbox",
        description="Serve the S&S and portal contract of biller files on loopback (HTTPS).",
    )
    parser.add_argument("--biller", action="append", default=[], help="biller (repeatable)")
    parser.add_argument("--biller-dir", default="billers", help="folder of biller files")
    parser.add_argument(
        "--scenario", action="append", default=[], help="fault to inject (repeatable)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to answers")
    parser.add_argument("--list-scenarios", action="store_true", help="name the scenarios")
    args = parser.parse_args(argv)
    if args.list_scenarios:
        for scenario in SCENARIOS.values():
            said = [f"fails: {', '.join(scenario.fails)}"] * bool(scenario.fails) + [
                f"not checked: {', '.join(scenario.not_checked)}"
            ] * bool(scenario.not_checked)
            where = [f"rehearse with --env={scenario.environment}"] * (
                scenario.environment != "test"
            )
            outcome = "; ".join([*said, *where]) or "fails: nothing"
            print(f"{scenario.name:26} {scenario.description} ({outcome})")
        return 0
    names = [n.strip() for value in args.biller for n in value.split(",") if n.strip()]
    try:
        billers = load_billers(Path(args.biller_dir), tuple(names) or None)
        sandbox = Sandbox.start(billers, args.scenario, args.latency)
    except (ConversionQAError, ValueError) as error:
        print(f"sandbox: {error}", file=sys.stderr)
        return 2
    address = sandbox.address
    # the rehearsal's own DNS: public-dns asks it, and accepts its loopback answers as such
    dns = LocalDns({host: Host(addresses=(address.address,)) for host, _ in address.hosts})
    dns.start()
    print(f"sandbox serving {len(address.hosts)} hosts on https://{address.address}:{address.port}")
    print(f"CA bundle: {address.ca_bundle}")
    print(f"scenarios: {', '.join(args.scenario) or 'none (healthy)'}")
    print("Point a live run at it (in another shell):\n")
    print(f"DNS for those hosts: {dns.nameserver} (UDP and TCP)")
    print("  " + address.pytest_command([b.id for b in billers], dns.nameserver) + "\n")
    print("Ctrl-C stops the sandbox.", flush=True)
    # a process started in the background (a CI job, a test's worker) may inherit SIGINT ignored:
    # Ctrl-C stops the sandbox all the same
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        dns.stop()
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
