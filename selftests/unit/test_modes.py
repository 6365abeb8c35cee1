"""A test's mode is decided in one place, Run.mode: offline, rehearsal or live."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conversion_qa.clients.dns import Nameserver
from conversion_qa.plugin.options import selects_live
from conversion_qa.plugin.run import DnsTls, Network, Rehearsal, Run, Selection

LIVE_RUN = Run(
    selection=Selection(
        biller_dir=Path("billers"),
        biller_dir_given=False,
        billers=None,
        environments=("test",),
        live_variants=True,
        live_selected=True,
        fixtures_dir=Path("fixtures"),
        fixtures_dir_given=False,
    ),
    network=Network(
        connect_timeout=5,
        read_timeout=15,
        call_deadline=30,
        max_answer_bytes=5 * 2**20,
        allow_production_writes=False,
    ),
    dns_tls=DnsTls(
        nameservers=(Nameserver("1.1.1.1"),),
        nameservers_given=False,
        lifetime=5,
        expiry_warning_days=30,
        tls_timeout=10,
        accept_loopback=False,
    ),
    report_dir=None,
    ca_bundle=None,
    record_fixtures=False,
    rehearsal=None,
)
RESOLVED = {("cis.example.com", 443): ("127.0.0.1", 8443)}


def _with(
    *,
    resolve: dict[tuple[str, int], tuple[str, int]] | None = None,
    loopback: bool = False,
    rehearsal: Rehearsal | None = None,
    ca_bundle: Path | None = None,
) -> Run:
    return dataclasses.replace(
        LIVE_RUN,
        network=dataclasses.replace(LIVE_RUN.network, resolve=resolve or {}),
        dns_tls=dataclasses.replace(LIVE_RUN.dns_tls, accept_loopback=loopback),
        rehearsal=rehearsal,
        ca_bundle=ca_bundle,
    )


@pytest.mark.parametrize(
    ("run", "rehearsed_by"),
    [
        (_with(), ()),
        (_with(ca_bundle=Path("company-ca.pem")), ()),  # a company CA: still the real systems
        (_with(rehearsal=Rehearsal(scenarios=(), latency=0)), ("--sandbox",)),
        (_with(resolve=RESOLVED), ("--resolve",)),
        (_with(loopback=True), ("--accept-loopback-dns",)),
        (_with(resolve=RESOLVED, loopback=True), ("--resolve", "--accept-loopback-dns")),
        (  # the sandbox implies the others: it is named alone
            _with(rehearsal=Rehearsal(scenarios=(), latency=0), resolve=RESOLVED, loopback=True),
            ("--sandbox",),
        ),
    ],
    ids=["live", "ca-bundle", "sandbox", "resolve", "loopback-dns", "both", "sandbox-rehearsed"],
)
def test_a_live_test_is_a_rehearsal_when_anything_stood_in_for_the_real_systems(
    run: Run, rehearsed_by: tuple[str, ...]
) -> None:
    assert run.rehearsed_by == rehearsed_by
    assert run.mode(live=True) == ("rehearsal" if rehearsed_by else "live")
    assert run.mode(live=False) == "offline"  # recorded answers, whatever the options


@pytest.mark.parametrize(
    ("markexpr", "selected"),
    [
        ("", False),
        ("live", True),
        ("live and not browser", True),
        ("not live", False),
        ("not browser", False),  # live variants are collected only when -m names live
        ("not slow", False),
    ],
)
def test_only_a_marker_expression_naming_live_selects_the_live_tests(
    markexpr: str, selected: bool
) -> None:
    assert selects_live(markexpr) is selected
