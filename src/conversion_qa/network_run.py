"""A run's network state: the one HTTP session, the recorder, and the sandbox of a rehearsal."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from conversion_qa.clients.http import HttpOptions, make_session
from conversion_qa.clients.transport import Transport
from conversion_qa.network_options import NetworkOptions, read_network_options
from conversion_qa.recording import Recorder
from conversion_qa.replay import fixture_path
from conversion_qa.run import Run
from conversion_qa.targets import Case

if TYPE_CHECKING:  # the sandbox (and its TLS tooling) is imported only for a rehearsal
    from conversion_qa.localdns import LocalDns
    from conversion_qa.sandbox.server import Sandbox


@dataclass
class NetworkRun:
    options: NetworkOptions
    http: HttpOptions
    fixtures_dir: Path
    record: bool
    recorder: Recorder = field(default_factory=Recorder)
    sandbox: Sandbox | None = None
    dns: LocalDns | None = None  # the rehearsal's own DNS, answering the sandbox's host names
    _session: requests.Session | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = make_session(self.http)
            return self._session

    def transport(self, case: Case) -> Transport:
        return Transport(
            session=self.session(),
            options=self.http,
            live=case.live,
            fixture=fixture_path(self.fixtures_dir, case.biller.id, case.environment),
            recorder=self.recorder if case.live and self.record else None,
        )


NETWORK = pytest.StashKey[NetworkRun]()


def start(config: pytest.Config, run: Run) -> None:
    """Read the options; for a rehearsal, start the sandbox and point the run at it."""
    options = read_network_options(config)
    resolve = dict(options.resolve)
    ca_bundle = run.options.ca_bundle
    sandbox, dns = None, None
    if options.sandbox:
        if not run.options.live_variants:
            raise pytest.UsageError("--sandbox rehearses a live run: add -m live")
        sandbox, dns = _start_rehearsal(config, run, options)
        resolve |= sandbox.address.resolve()
        ca_bundle = sandbox.address.ca_bundle
    http = HttpOptions(
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        ca_bundle=ca_bundle,
        resolve=resolve,
    )
    config.stash[NETWORK] = NetworkRun(
        options=options,
        http=http,
        fixtures_dir=run.options.fixtures_dir,
        record=run.options.record_fixtures,
        sandbox=sandbox,
        dns=dns,
    )


def _start_rehearsal(
    config: pytest.Config, run: Run, options: NetworkOptions
) -> tuple[Sandbox, LocalDns]:
    """Start the sandbox and a DNS server for its host names, and point every rule at them
    through the options they already read: --resolve, --ca-bundle, --dns-nameserver and
    --accept-loopback-dns (so public-dns says loopback was accepted because it is a rehearsal)."""
    from conversion_qa.localdns import Host, LocalDns
    from conversion_qa.sandbox.server import Sandbox

    try:
        sandbox = Sandbox.start(run.billers, options.sandbox_scenarios, options.sandbox_latency)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    address = sandbox.address
    dns = LocalDns({host: Host(addresses=(address.address,)) for host, _ in address.hosts})
    dns.start()
    config.option.resolve = [*config.getoption("resolve"), *address.resolve_values()]
    config.option.ca_bundle = str(address.ca_bundle)
    config.option.dns_nameserver = [dns.nameserver]
    config.option.accept_loopback_dns = True
    return sandbox, dns


def finish(config: pytest.Config) -> None:
    """Write what was recorded; stop the sandbox."""
    network = config.stash.get(NETWORK, None)
    if network is None:
        return
    written = network.recorder.write()
    if written:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            for path in written:
                reporter.write_line(f"conversion-qa: recorded fixtures written to {path}")
    if network.sandbox is not None:
        network.sandbox.stop()
    if network.dns is not None:
        network.dns.stop()
    if network._session is not None:
        network._session.close()


def rehearsal_note(config: pytest.Config) -> str:
    """Said in the run's header: a rehearsal's results cannot sign off a conversion."""
    network = config.stash.get(NETWORK, None)
    if network is None or network.sandbox is None:
        return ""
    address = network.sandbox.address
    faults = ", ".join(network.options.sandbox_scenarios) or "none"
    return (
        f"; REHEARSAL against the local sandbox at {address.address}:{address.port} "
        f"(faults: {faults}), not a sign-off"
    )


def network_run(config: pytest.Config) -> NetworkRun:
    return config.stash[NETWORK]
