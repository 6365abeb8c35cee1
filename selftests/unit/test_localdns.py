"""The loopback DNS server the self-tests and the sandbox rehearsal use, over UDP and TCP."""

from __future__ import annotations

from collections.abc import Callable

import dns.exception
import dns.message
import dns.query
import dns.rcode
import pytest

from conversion_qa.sandbox.dns import Host, LocalDns

ZONE = {"a.zone.test": Host(("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"))}


@pytest.mark.parametrize("transport", [dns.query.udp, dns.query.tcp])
def test_answers_over_udp_and_tcp(transport: Callable[..., dns.message.Message]) -> None:
    with LocalDns(ZONE) as server:
        reply = transport(
            dns.message.make_query("a.zone.test", "AAAA"), "127.0.0.1", 2, server.port
        )
    assert [r.to_text() for r in reply.answer[0]] == ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"]


def test_unknown_name_is_nxdomain() -> None:
    with LocalDns(ZONE) as server:
        reply = dns.query.udp(
            dns.message.make_query("b.zone.test", "A"), "127.0.0.1", 2, server.port
        )
    assert reply.rcode() == dns.rcode.NXDOMAIN


def test_silent_server_never_answers() -> None:
    with LocalDns(ZONE, silent=True) as server, pytest.raises(dns.exception.Timeout):
        dns.query.udp(dns.message.make_query("a.zone.test", "A"), "127.0.0.1", 0.3, server.port)


def test_a_server_refusing_one_record_type_answers_the_other() -> None:
    with LocalDns(ZONE, refuse=("AAAA",)) as server:
        refused = dns.query.udp(
            dns.message.make_query("a.zone.test", "AAAA"), "127.0.0.1", 2, server.port
        )
        answered = dns.query.udp(
            dns.message.make_query("a.zone.test", "A"), "127.0.0.1", 2, server.port
        )
    assert refused.rcode() == dns.rcode.REFUSED
    assert [r.to_text() for r in answered.answer[0]] == ["93.184.215.14"]
