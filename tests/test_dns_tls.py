"""Public DNS and TLS: every endpoint host is in public DNS at a public address, and every https
endpoint presents a certificate that holds."""

from collections.abc import Callable

import pytest

from conversion_qa.clients.dns import Answer
from conversion_qa.clients.tls import TlsFacts
from conversion_qa.config.model import Biller, Environment
from conversion_qa.plugin import DnsTls, require, utc_now, warn
from conversion_qa.recordings import Sourced
from conversion_qa.rules.hosts import where_used
from conversion_qa.rules.slices.endpoint_tls import endpoint_tls, expiry_warning
from conversion_qa.rules.slices.public_dns import (
    host_name,
    public_dns,
    rehearsal_note,
    unanswered_note,
)


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
    require(host_name(item, where_used(biller, environment, item)))
    lookup = dns_lookup(item)
    rehearsal = dns_tls.accept_loopback
    require(public_dns(item, lookup.value, accept_loopback=rehearsal, source=lookup.source))
    for note in (
        unanswered_note(item, lookup.value, lookup.source),
        rehearsal_note(item, lookup.value, accept_loopback=rehearsal),
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
    require(endpoint_tls(facts, now, source))
    expiring = expiry_warning(facts, now, dns_tls.expiry_warning_days, source)
    if expiring is not None:
        warn(request.node, expiring)
