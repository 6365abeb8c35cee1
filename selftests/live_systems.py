"""A live run that is not a rehearsal, without a packet leaving this machine.

A self-test cannot reach a biller's real portal and S&S endpoints, and a run pointed at the
sandbox with --sandbox, --resolve or --accept-loopback-dns is (rightly) a rehearsal. So is a live
run whose connections reached an address that is not public (127.0.0.1, say): the suite notes
each connection's peer. So this stands in for the internet itself, below the suite, for an
in-process run only:

- the self-tests run in a network namespace of their own with only `lo` (`unshare -n`, as
  .ci/run does), where they are root: `lo` is given a globally routable address (PUBLIC) and
  the sandbox listens there, as a real server does on its public address;
- a LocalDns answers every host of the billers with PUBLIC, so public-dns, asked with
  --dns-nameserver, sees what a real record looks like;
- socket.getaddrinfo, patched for the test (monkeypatch), sends those host names and PUBLIC to
  the sandbox's port, as the internet would route them to the real servers;
- the sandbox's CA is given with --ca-bundle, as a company CA would be.

The suite's options are those of a real sign-off run, so Run.mode says live and every connection
reaches a public address: what the self-test proves is that such a run, clean, is VALID FOR
SIGN-OFF, and that each way it falls short says so. Where lo cannot be given the address (not
Linux, not root, a namespace shared with real interfaces) those self-tests skip, saying why.
`address="127.0.0.1"` serves the sandbox on loopback instead: the same run, connecting there.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.config import load_billers
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.server import Sandbox

# Globally routable (not documentation, private or shared space), so public-dns accepts it and a
# connection there is a live run's; given to lo only inside the self-tests' own namespace.
PUBLIC = "11.22.33.44"
assert ipaddress.ip_address(PUBLIC).is_global


def public_address_on_lo() -> str | None:
    """Give lo the address PUBLIC, once per namespace; why it cannot be done, or None.

    Left in place: the namespace is the self-tests' own and goes with them (two xdist workers
    share it, so one must not take the address from under the other)."""
    if not sys.platform.startswith("linux"):
        return "needs Linux: lo is given a public address inside a network namespace"
    if os.geteuid() != 0:
        return "needs root in a network namespace of its own (unshare -n, as .ci/run does)"
    others = sorted(name for _, name in socket.if_nameindex() if name != "lo")
    if others:
        return (
            f"needs a network namespace with only lo (run inside unshare -n, as .ci/run does): "
            f"giving lo the address {PUBLIC} here, beside {', '.join(others)}, would reroute "
            "that address for the whole machine"
        )
    ip = shutil.which("ip")
    if ip is None:
        return "needs the ip command (iproute2) to give lo a public address"
    shown = subprocess.run(
        [ip, "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True, check=False
    )
    if f" {PUBLIC}/" in shown.stdout:
        return None
    added = subprocess.run(
        [ip, "addr", "add", f"{PUBLIC}/32", "dev", "lo"],
        capture_output=True,
        text=True,
        check=False,
    )
    if added.returncode != 0 and "File exists" not in added.stderr:
        return f"could not give lo the address {PUBLIC}: {added.stderr.strip()}"
    return None


@contextmanager
def real_systems(
    monkeypatch: pytest.MonkeyPatch,
    biller_dir: Path,
    scenarios: Sequence[str] = (),
    billers: Sequence[str] | None = None,
    *,
    address: str = PUBLIC,
) -> Iterator[tuple[str, ...]]:
    """Serve the billers of biller_dir (or those named) as if on the internet, at address; yield
    the live run's options. At PUBLIC (the default) a self-test skips where lo cannot have it."""
    if address == PUBLIC:
        why_not = public_address_on_lo()
        if why_not is not None:
            pytest.skip(f"a live run against public addresses {why_not}")
    sandbox = Sandbox.start(
        load_billers(biller_dir, tuple(billers) if billers else None), scenarios, address=address
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
            return original(address, sandbox.address.port, *args, **kwargs)
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
