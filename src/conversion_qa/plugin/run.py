"""What one pytest run checks and how: read once from the command line and ini, then frozen.

A rehearsal does not rewrite options: it makes a new Run (`dataclasses.replace`) that points the
network, DNS and TLS at the sandbox, and that Run is the one kept on the config's stash.

A test's mode is decided here, and only here (`Run.mode`): `offline` when it replays recorded
answers; `rehearsal` when it ran live but the run stood something in for the real systems as the
public reaches them: the sandbox (`--sandbox`), connections rerouted (`--resolve`, as the
standalone sandbox prints) or loopback DNS answers accepted (`--accept-loopback-dns`); `live`
otherwise. `--ca-bundle` and `--dns-nameserver` alone keep a run live: a company CA or resolver
is part of many real networks, and public-dns still refuses any answer that is not public.
What the options cannot tell, the connections do: a live folder whose tests reached a host at an
address that is not public is archived as a rehearsal (report/connections.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from conversion_qa.clients.dns import Nameserver
from conversion_qa.config.model import Biller
from conversion_qa.report.results import Mode
from conversion_qa.report.store import Location

HostPort = tuple[str, int]


@dataclass(frozen=True)
class Selection:
    """Which billers, environments and variants the run checks."""

    biller_dir: Path
    biller_dir_given: bool  # --biller-dir or --biller given: a missing folder is then an error
    billers: tuple[str, ...] | None  # None: every biller in the folder
    environments: tuple[str, ...]
    live_variants: bool  # whether -m names `live`, so live tests are collected at all
    live_selected: bool  # whether -m selects the live tests (not `-m "not live"`)
    fixtures_dir: Path  # recorded answers: fixtures/<biller>/, beside the biller folder
    fixtures_dir_given: bool  # --fixtures-dir: recordings kept apart from the committed ones


@dataclass(frozen=True)
class Network:
    """How the network rules call services."""

    connect_timeout: float
    read_timeout: float
    call_deadline: float  # the whole of one call: connect, TLS, headers and body
    max_answer_bytes: int  # the largest answer read; a larger one fails its test
    allow_production_writes: bool
    # curl --resolve: (host, port) -> (address, port); names, SNI and certificate checks stay
    resolve: Mapping[HostPort, HostPort] = field(default_factory=dict)


def browser_deadline(network: Network) -> float:
    """Seconds one browser check may take as a whole: navigate, settle, look, screenshot (and
    the sign-in, once, on its own): the deadline of one call (--call-deadline), as for every
    other call, and the one option the browser's messages name (clients/browser.py's BOUND)."""
    return network.call_deadline


@dataclass(frozen=True)
class Browser:
    """How custom-code and iframe-lag see the portal in a live run."""

    use: bool  # False: --no-browser, the raw HTTP checks (and every message says so)
    path: Path | None  # --browser-path; None: the first Chromium, Chrome or Edge installed
    prints: bool = True  # False: --no-pdf, no signoff.pdf (and no browser started for it)


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
    report_dir: Location | None  # a folder or a URL; None: --no-archive
    ca_bundle: Path | None  # extra CAs to trust; verification is always on
    record_fixtures: bool
    rehearsal: Rehearsal | None  # None: not a rehearsal
    billers: tuple[Biller, ...] = ()
    browser: Browser = Browser(use=True, path=None)
    today: date = field(default_factory=date.today)  # the run's date: waivers are judged on it

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

    @property
    def rehearsed_by(self) -> tuple[str, ...]:
        """The options that make this run's live tests a rehearsal ((): none, a live run)."""
        if self.rehearsal is not None:
            return ("--sandbox",)  # it implies --resolve and --accept-loopback-dns
        given = (
            ("--resolve", bool(self.network.resolve)),
            ("--accept-loopback-dns", self.dns_tls.accept_loopback),
        )
        return tuple(option for option, present in given if present)

    def mode(self, live: bool) -> Mode:
        """offline, rehearsal or live: the one rule deciding what a test's result can prove."""
        if not live:
            return Mode.OFFLINE
        return Mode.REHEARSAL if self.rehearsed_by else Mode.LIVE


RUN = pytest.StashKey[Run]()


def current_run(config: pytest.Config) -> Run | None:
    """The run's record, or None when this pytest run is not a run of the suite."""
    return config.stash.get(RUN, None)
