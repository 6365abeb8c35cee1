"""A live run whose CIS Service host accepts connections and never answers: how long it takes.

Run inside a loopback-only namespace, e.g.
    unshare -n sh -c 'ip link set lo up && .venv/bin/python benchmarks/dead_host.py'
The demo biller, every live rule (-m live), serial. The sandbox serves the portal; the CIS host
(which the demo's PayConnect shares) is a "black hole" of this script: it completes the TLS
handshake, reads the request and never answers, as a hung host does. Nothing here depends on
a sandbox scenario, so the same script measures an older checkout too:
    PYTHONPATH=/path/to/old/src python benchmarks/dead_host.py
The target: the whole run within one read timeout plus 10 s (a dead host costs one timeout
per run, not one per test that asks it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import trustme

from conversion_qa.config import load_billers
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.server import Sandbox

REPO = Path(__file__).resolve().parent.parent
ENVIRON = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class BlackHole:
    """TLS on 127.0.0.1 for one host name: handshakes, reads, never answers."""

    def __init__(self, host: str, folder: Path) -> None:
        ca = trustme.CA(organization_name="conversion-qa benchmark black hole")
        self.ca_file = folder / "black-hole-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(host).configure_cert(self.context)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._hold, args=(connection,), daemon=True).start()

    def _hold(self, connection: socket.socket) -> None:
        try:
            with self.context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(65536)  # the request; the answer never comes
                self.stopping.wait()
        except OSError:
            return

    def stop(self) -> None:
        self.stopping.set()
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()


def run_once(biller_dir: Path, read_timeout: float) -> tuple[float, str]:
    billers = load_billers(biller_dir, ["demo"])
    environment = billers[0].environment("test")
    cis_host = str(urlsplit(str(environment.endpoints["cis_service"])).hostname or "")
    folder = Path(tempfile.mkdtemp(prefix="conversion-qa-dead-host-"))
    sandbox = Sandbox.start(billers)
    hole = BlackHole(cis_host, folder)
    address = sandbox.address
    dns = LocalDns({host: Host(addresses=(address.address,)) for host, _ in address.hosts})
    dns.start()
    try:
        bundle = folder / "ca.pem"
        bundle.write_text(address.ca_bundle.read_text() + hole.ca_file.read_text())
        resolve = [
            f"--resolve={host}:{port}:127.0.0.1:{hole.port if host == cis_host else address.port}"
            for host, port in address.hosts
        ]
        command = [
            sys.executable,
            "-m",
            "pytest",
            f"--biller-dir={biller_dir}",
            f"--report-dir={folder / 'reports'}",
            "-m",
            "live",
            f"--ca-bundle={bundle}",
            *resolve,
            f"--dns-nameserver={dns.nameserver}",
            "--accept-loopback-dns",
            f"--read-timeout={read_timeout:g}",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(REPO),
            str(REPO / "tests"),
        ]
        started = time.perf_counter()
        result = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False, env=ENVIRON
        )
        seconds = time.perf_counter() - started
    finally:
        dns.stop()
        hole.stop()
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)
    lines = result.stdout.strip().splitlines()
    summary = lines[-1] if lines else result.stderr.strip()[-300:]
    if result.returncode not in (0, 1):  # 1: tests failed, as they must
        raise SystemExit(f"the live run could not run ({result.returncode}): {summary}")
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--read-timeout", type=float, default=15.0, help="the run's read timeout")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of")
    args = parser.parse_args()
    biller_dir = Path(tempfile.mkdtemp(prefix="conversion-qa-bench-")) / "billers"
    biller_dir.mkdir()
    shutil.copy(REPO / "billers" / "demo.yaml", biller_dir / "demo.yaml")

    print(
        f"live run of the demo biller, every live rule, serial; its CIS host accepts and never "
        f"answers; --read-timeout {args.read_timeout:g}; conversion_qa from "
        f"{Path(load_billers.__code__.co_filename).parents[1]}"
    )
    times = []
    for _ in range(args.repeat):
        seconds, summary = run_once(biller_dir, args.read_timeout)
        times.append(seconds)
        print(f"  {seconds:6.2f} s  ({summary})", flush=True)
    median = statistics.median(times)
    bound = args.read_timeout + 10
    verdict = "within" if median <= bound else "OVER"
    print(f"  median {median:.2f} s; target: one read timeout plus 10 s = {bound:g} s ({verdict})")


if __name__ == "__main__":
    main()
