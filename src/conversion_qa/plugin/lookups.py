"""Where public-dns and endpoint-tls get their facts: the network in a live run (recorded when
`--record-fixtures` is given), `fixtures/<biller>/dns.yaml` and `tls.yaml` offline.

In a live run with `--dns-nameserver`, endpoint-tls connects to the address those nameservers
give (a sandbox rehearsal's loopback DNS, say) while SNI and the host name check use the host
name; without it, the TCP connection goes where the machine's own resolver says.
"""

from __future__ import annotations

from datetime import UTC, datetime

from conversion_qa.clients import dns as dns_client
from conversion_qa.clients import tls as tls_client
from conversion_qa.clients.dns import Answer
from conversion_qa.clients.tls import TlsFacts, TlsStatus
from conversion_qa.plugin.run import Run
from conversion_qa.recordings import Recordings, Sourced
from conversion_qa.rules.hosts import is_ip_literal, split_endpoint


def look_up_dns(
    run: Run, recordings: Recordings, biller: str, host: str, *, live: bool
) -> Sourced[list[Answer]]:
    """Each nameserver's answer for host: asked live, or read from the biller's recording."""
    options = run.dns_tls
    if not live:
        return recordings.dns_answers(biller, host, None)
    asked = ", ".join(str(n) for n in options.nameservers)
    return recordings.dns_answers(
        biller,
        host,
        lambda: dns_client.resolve_all(host, options.nameservers, options.lifetime),
        f"live: asked {asked} (lifetime {options.lifetime:g} s each)",
    )


def look_up_tls(
    run: Run, recordings: Recordings, biller: str, endpoint: str, *, live: bool
) -> Sourced[TlsFacts]:
    """The TLS facts of an endpoint (host or host:port): a live handshake, or the recording."""
    host, port = split_endpoint(endpoint)
    if not live:
        return recordings.tls_facts(biller, endpoint, host, port, None)
    options = run.dns_tls
    connect_to, via = None, "the system resolver"
    resolve = run.network.resolve
    if (host.lower(), port) in resolve:  # --resolve: where the HTTP clients connect too
        connect_to = resolve[(host.lower(), port)]
        via = f"{connect_to[0]}:{connect_to[1]} from --resolve"
    elif options.nameservers_given and not is_ip_literal(host):
        # The nameservers the user chose decide where to connect (a sandbox rehearsal's
        # loopback DNS, say); SNI and the host name check still use the real host.
        answers = dns_client.resolve_all(host, options.nameservers, options.lifetime)
        address = dns_client.first_address(answers)
        if address is None:
            error = f"--dns-nameserver {answers[0].nameserver} gives no address for {host}"
            return Sourced(TlsFacts(host, port, TlsStatus.CONNECT_FAILED, error=error), "live")
        connect_to, via = (address, port), f"{address} from --dns-nameserver"
    bundle = f", CAs: system + {run.ca_bundle}" if run.ca_bundle else ", CAs: system"
    return recordings.tls_facts(
        biller,
        endpoint,
        host,
        port,
        lambda: tls_client.handshake(
            host, port, timeout=options.tls_timeout, ca_bundle=run.ca_bundle, connect_to=connect_to
        ),
        f"live: {endpoint} via {via}{bundle}",
    )


def utc_now() -> datetime:
    return datetime.now(UTC)
