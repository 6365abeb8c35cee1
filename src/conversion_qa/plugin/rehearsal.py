"""--sandbox: the local sandbox and a DNS server for its host names stand in for the real
systems, and the run's record is remade to point every rule at them (a new Run, nothing
written back into the options)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from conversion_qa.clients.dns import parse_nameserver
from conversion_qa.plugin.run import Run
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.server import Sandbox


@dataclass
class Stage:
    """The running sandbox and its DNS server."""

    sandbox: Sandbox
    dns: LocalDns

    def stop(self) -> None:
        self.sandbox.stop()
        self.dns.stop()


def rehearse(run: Run) -> tuple[Run, Stage]:
    """Start the sandbox for the run's billers; the Run that connects there (like curl
    --resolve), trusts its CA, asks its DNS and accepts loopback answers as a rehearsal."""
    assert run.rehearsal is not None
    try:
        sandbox = Sandbox.start(run.billers, run.rehearsal.scenarios, run.rehearsal.latency)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    address = sandbox.address
    dns = LocalDns({host: Host(addresses=(address.address,)) for host, _ in address.hosts})
    dns.start()
    rehearsed = dataclasses.replace(
        run,
        ca_bundle=address.ca_bundle,
        network=dataclasses.replace(
            run.network, resolve={**run.network.resolve, **address.resolve()}
        ),
        dns_tls=dataclasses.replace(
            run.dns_tls,
            nameservers=(parse_nameserver(dns.nameserver),),
            nameservers_given=True,
            accept_loopback=True,
        ),
    )
    return rehearsed, Stage(sandbox, dns)


def note(run: Run, stage: Stage | None) -> str:
    """Said in the run's header before its verdict: what stood in for the real systems."""
    if stage is not None and run.rehearsal is not None:
        address = stage.sandbox.address
        faults = ", ".join(run.rehearsal.scenarios) or "none"
        return (
            f"REHEARSAL against the local sandbox at {address.address}:{address.port} "
            f"(faults: {faults}); "
        )
    if run.rehearsed_by and run.live_variants:
        return f"REHEARSAL ({', '.join(run.rehearsed_by)}); "
    return ""
