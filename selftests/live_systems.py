"""A live run that is not a rehearsal, without a packet leaving loopback.

A self-test cannot reach a biller's real portal and S&S endpoints, and a run pointed at the
sandbox with --sandbox, --resolve or --accept-loopback-dns is (rightly) a rehearsal. So this
stands in for the internet itself, below the suite, for an in-process run only:

- a LocalDns answers every host of the billers with a public address (PUBLIC), so public-dns,
  asked with --dns-nameserver, sees what a real record looks like;
- socket.getaddrinfo, patched for the test (monkeypatch), sends those host names and PUBLIC to
  the sandbox on loopback, as the internet would route them to the real servers;
- the sandbox's CA is given with --ca-bundle, as a company CA would be.

The suite's options are those of a real sign-off run, so Run.mode says live: what the self-test
proves is that such a run, clean, is VALID FOR SIGN-OFF, and that each way it falls short says so.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.config import load_billers
from conversion_qa.sandbox.address import LOOPBACK
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.server import Sandbox

PUBLIC = "93.184.215.14"  # globally routable, so public-dns accepts it; never dialled


@contextmanager
def real_systems(
    monkeypatch: pytest.MonkeyPatch,
    biller_dir: Path,
    scenarios: Sequence[str] = (),
    billers: Sequence[str] | None = None,
) -> Iterator[tuple[str, ...]]:
    """Serve the billers of biller_dir (or those named) as if on the internet; yield the live
    run's options."""
    sandbox = Sandbox.start(
        load_billers(biller_dir, tuple(billers) if billers else None), scenarios
    )
    hosts = sandbox.address.hosts
    dns = LocalDns({host: Host(addresses=(PUBLIC,)) for host, _ in hosts})
    dns.start()
    routed = {*hosts, *((PUBLIC, port) for _, port in hosts)}
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        try:
            key = (name.lower(), int(port or 0))
        except ValueError:  # a service name
            key = (name.lower(), -1)
        if key in routed:
            return original(LOOPBACK, sandbox.address.port, *args, **kwargs)
        return original(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    try:
        yield (
            "-m",
            "live",
            f"--ca-bundle={sandbox.address.ca_bundle}",
            f"--dns-nameserver={dns.nameserver}",
            "--connect-timeout=5",
            "--read-timeout=5",
        )
    finally:
        monkeypatch.setattr(socket, "getaddrinfo", original)
        dns.stop()
        sandbox.stop()
