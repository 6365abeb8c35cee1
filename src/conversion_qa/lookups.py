"""Where public-dns and endpoint-tls get their facts: the network in a live run (recorded when
`--record-fixtures` is given), `fixtures/<biller>/dns.yaml` and `tls.yaml` offline.

In a live run with `--dns-nameserver`, endpoint-tls connects to the address those nameservers
give (a sandbox rehearsal's loopback DNS, say) while SNI and the host name check use the host
name; without it, the TCP connection goes where the machine's own resolver says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from conversion_qa.clients import dns as dns_client
from conversion_qa.clients import tls as tls_client
from conversion_qa.clients.dns import Answer
from conversion_qa.clients.tls import TlsFacts, TlsStatus
from conversion_qa.config.model import Biller, Environment
from conversion_qa.dns_tls_options import DnsTlsOptions
from conversion_qa.errors import ConversionQAError
from conversion_qa.recordings import dns as dns_recording
from conversion_qa.recordings import tls as tls_recording
from conversion_qa.rules import dns as dns_rule
from conversion_qa.rules.hosts import dns_hosts, is_ip_literal, split_endpoint, where_used


@dataclass(frozen=True)
class DnsLookup:
    answers: list[Answer]
    source: str  # which nameservers answered, or which recording, for the message's "where"


@dataclass(frozen=True)
class TlsLookup:
    facts: TlsFacts
    source: str


def look_up_dns(host: str, biller: Biller, live: bool, options: DnsTlsOptions) -> DnsLookup:
    """Each nameserver's answer for host: asked live, or read from the biller's recording."""
    path = dns_recording.path_for(options.fixtures_dir, biller.id)
    if not live:
        answers, recorded = dns_recording.recorded_answers(path, host)
        return DnsLookup(answers, f"recorded in {path} on {recorded}")
    answers = dns_client.resolve_all(host, options.nameservers, options.lifetime)
    if options.record_fixtures:
        dns_recording.record(path, host, answers)
    asked = ", ".join(str(n) for n in options.nameservers)
    return DnsLookup(answers, f"live: asked {asked} (lifetime {options.lifetime:g} s each)")


def look_up_tls(endpoint: str, biller: Biller, live: bool, options: DnsTlsOptions) -> TlsLookup:
    """The TLS facts of an endpoint (host or host:port): a live handshake, or the recording."""
    host, port = split_endpoint(endpoint)
    path = tls_recording.path_for(options.fixtures_dir, biller.id)
    if not live:
        facts, recorded = tls_recording.recorded_facts(path, endpoint, host, port)
        return TlsLookup(facts, f"recorded in {path} on {recorded}")
    connect_to, via = None, "the system resolver"
    if (host.lower(), port) in options.resolve:  # --resolve: where the HTTP clients connect too
        connect_to = options.resolve[(host.lower(), port)]
        via = f"{connect_to[0]}:{connect_to[1]} from --resolve"
    elif options.nameservers_given and not is_ip_literal(host):
        # The nameservers the user chose decide where to connect (a sandbox rehearsal's
        # loopback DNS, say); SNI and the host name check still use the real host.
        answers = dns_client.resolve_all(host, options.nameservers, options.lifetime)
        address = dns_client.first_address(answers)
        if address is None:
            error = f"--dns-nameserver {answers[0].nameserver} gives no address for {host}"
            return TlsLookup(TlsFacts(host, port, TlsStatus.CONNECT_FAILED, error=error), "live")
        connect_to, via = (address, port), f"{address} from --dns-nameserver"
    facts = tls_client.handshake(
        host, port, timeout=options.tls_timeout, ca_bundle=options.ca_bundle, connect_to=connect_to
    )
    if options.record_fixtures:
        tls_recording.record(path, endpoint, facts)
    bundle = f", CAs: system + {options.ca_bundle}" if options.ca_bundle else ", CAs: system"
    return TlsLookup(facts, f"live: {endpoint} via {via}{bundle}")


def public_dns_summary(
    biller: Biller, environment: Environment, options: DnsTlsOptions, *, live: bool = False
) -> list[str]:
    """One line per host of the environment: the public-dns result, for another rule's
    troubleshooting (rtdr and data-pump show it with their failure)."""
    lines = []
    for host in dns_hosts(biller, environment):
        if is_ip_literal(host):
            literal = dns_rule.ip_literal(host, where_used(biller, environment, host))
            lines.append(f"public-dns {host}: FAILED: {literal.summary}")
            continue
        try:
            lookup = look_up_dns(host, biller, live, options)
        except ConversionQAError as error:
            lines.append(f"public-dns {host}: not known: {error}")
            continue
        problem = dns_rule.public_dns(
            host, lookup.answers, accept_loopback=options.accept_loopback, source=lookup.source
        )
        if problem is None:
            lines.append(f"public-dns {host}: passed: {lookup.answers[0].chain}")
        else:
            lines.append(f"public-dns {host}: FAILED: {problem.summary}")
    return lines or [f"public-dns: no endpoint or portal host in {biller.id} / {environment.name}"]


def utc_now() -> datetime:
    return datetime.now(UTC)
