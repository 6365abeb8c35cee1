"""The fixtures of the public-dns and endpoint-tls tests: their options and their facts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conversion_qa.dns_tls_options import DnsTlsOptions, dns_tls_options
from conversion_qa.lookups import DnsLookup, TlsLookup, look_up_dns, look_up_tls
from conversion_qa.run import current_run
from conversion_qa.targets import Case


@pytest.fixture
def dns_tls(request: pytest.FixtureRequest) -> DnsTlsOptions:
    """--dns-nameserver, --dns-lifetime, --tls-expiry-warning-days and the rehearsal switch."""
    return dns_tls_options(request.config)


@pytest.fixture
def dns_lookup(case: Case, item: str | None, dns_tls: DnsTlsOptions) -> Callable[[str], DnsLookup]:
    """Look a host up: ask the nameservers (live), or read what they answered (offline)."""
    if item is None:
        pytest.skip(
            "no endpoint or portal URL with a host in this environment; see endpoints-received"
        )
    return lambda host: look_up_dns(host, case.biller, case.live, dns_tls)


@pytest.fixture
def tls_lookup(case: Case, item: str | None, dns_tls: DnsTlsOptions) -> Callable[[], TlsLookup]:
    """The handshake with the item's endpoint (live), or its recorded facts (offline).

    Called by the test, so that a missing recording fails that test instead of erroring in setup.
    """
    if item is None:
        pytest.skip("no https endpoint or portal in this environment; see endpoints-received")
    return lambda: look_up_tls(item, case.biller, case.live, dns_tls)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """A wrong --dns-nameserver or --dns-lifetime stops the run before any test (status 4)."""
    if current_run(config) is not None:
        dns_tls_options(config)
