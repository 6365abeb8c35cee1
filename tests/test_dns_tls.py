"""Public DNS and TLS: every endpoint host is in public DNS at a public address, and every https
endpoint presents a certificate that holds."""

from collections.abc import Callable

import pytest

from conversion_qa.clients.dns import Answer
from conversion_qa.clients.tls import TlsFacts
from conversion_qa.config.model import Biller, Environment
from conversion_qa.plugin import DnsTls, require, utc_now, warn
from conversion_qa.recordings import Sourced
from conversion_qa.rules import dns as dns_check
from conversion_qa.rules import tls as tls_check
from conversion_qa.rules.hosts import where_used


@pytest.mark.rule("public-dns")
def test_public_dns(
    request: pytest.FixtureRequest,
    biller: Biller,
    environment: Environment,
    item: str,
    dns_lookup: Callable[[str], Sourced[list[Answer]]],
    dns_tls: DnsTls,
) -> None:
    """The host has a public DNS record, every nameserver agrees, every address is public
    (judged on the record types answered: a refused AAAA beside a public A warns)."""
    require(dns_check.host_name(item, where_used(biller, environment, item)))
    lookup = dns_lookup(item)
    rehearsal = dns_tls.accept_loopback
    require(
        dns_check.public_dns(item, lookup.value, accept_loopback=rehearsal, source=lookup.source)
    )
    for note in (
        dns_check.unanswered_note(item, lookup.value, lookup.source),
        dns_check.rehearsal_note(item, lookup.value, accept_loopback=rehearsal),
    ):
        if note is not None:
            warn(request.node, note)


@pytest.mark.rule("endpoint-tls")
def test_endpoint_tls(
    request: pytest.FixtureRequest, tls_lookup: Callable[[], Sourced[TlsFacts]], dns_tls: DnsTls
) -> None:
    """The certificate verifies, names the host, is valid today over TLS 1.2+; near expiry warns."""
    lookup = tls_lookup()
    now = utc_now()
    facts, source = lookup.value, lookup.source
    require(tls_check.endpoint_tls(facts, now, source))
    expiring = tls_check.expiry_warning(facts, now, dns_tls.expiry_warning_days, source)
    if expiring is not None:
        warn(request.node, expiring)
