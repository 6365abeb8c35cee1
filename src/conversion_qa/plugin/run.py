"""What one pytest run checks and how: read once from the command line and ini, then frozen.

A rehearsal does not rewrite options: it makes a new Run (`dataclasses.replace`) that points the
network, DNS and TLS at the sandbox, and that Run is the one kept on the config's stash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conversion_qa.clients.dns import Nameserver
from conversion_qa.config.model import Biller

HostPort = tuple[str, int]


@dataclass(frozen=True)
class Selection:
    """Which billers, environments and variants the run checks."""

    biller_dir: Path
    biller_dir_given: bool  # --biller-dir or --biller given: a missing folder is then an error
    billers: tuple[str, ...] | None  # None: every biller in the folder
    environments: tuple[str, ...]
    live_variants: bool  # whether -m names `live`, so live tests are collected at all
    fixtures_dir: Path  # recorded answers: fixtures/<biller>/, beside the biller folder
    fixtures_dir_given: bool  # --fixtures-dir: recordings kept apart from the committed ones


@dataclass(frozen=True)
class Network:
    """How the network rules call services."""

    connect_timeout: float
    read_timeout: float
    allow_production_writes: bool
    # curl --resolve: (host, port) -> (address, port); names, SNI and certificate checks stay
    resolve: Mapping[HostPort, HostPort] = field(default_factory=dict)


def browser_deadline(network: Network) -> float:
    """Seconds one browser check may take as a whole: navigate, settle, look, screenshot (and
    the sign-in, once). The one place it is derived: when the Network record has a deadline for
    a whole call, this returns it instead."""
    return network.read_timeout


@dataclass(frozen=True)
class Browser:
    """How custom-code and iframe-lag see the portal in a live run."""

    use: bool  # False: --no-browser, the raw HTTP checks (and every message says so)
    path: Path | None  # --browser-path; None: the first Chromium, Chrome or Edge installed


@dataclass(frozen=True)
class DnsTls:
    """How public-dns and endpoint-tls ask."""

    nameservers: tuple[Nameserver, ...]
    nameservers_given: bool  # chosen by the user: then endpoint-tls connects where they answer
    lifetime: float
    expiry_warning_days: int
    tls_timeout: float
    accept_loopback: bool  # the rehearsal switch


@dataclass(frozen=True)
class Rehearsal:
    """--sandbox: the local sandbox stands in for the real systems."""

    scenarios: tuple[str, ...]
    latency: float


@dataclass(frozen=True)
class Run:
    selection: Selection
    network: Network
    dns_tls: DnsTls
    report_dir: Path | None  # None: --no-archive
    ca_bundle: Path | None  # extra CAs to trust; verification is always on
    record_fixtures: bool
    rehearsal: Rehearsal | None  # None: not a rehearsal
    billers: tuple[Biller, ...] = ()
    browser: Browser = Browser(use=True, path=None)

    @property
    def live_variants(self) -> bool:
        return self.selection.live_variants

    @property
    def environments(self) -> tuple[str, ...]:
        return self.selection.environments

    @property
    def fixtures_dir(self) -> Path:
        return self.selection.fixtures_dir

    def biller(self, biller_id: str) -> Biller | None:
        return next((b for b in self.billers if b.id == biller_id), None)


RUN = pytest.StashKey[Run]()


def current_run(config: pytest.Config) -> Run | None:
    """The run's record, or None when this pytest run is not a run of the suite."""
    return config.stash.get(RUN, None)
