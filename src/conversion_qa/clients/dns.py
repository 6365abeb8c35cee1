"""Ask nameservers for a host's A and AAAA records, each nameserver on its own, within a lifetime.

Every query goes to exactly one nameserver (never the machine's resolver configuration), so that
answers can be compared across nameservers. The whole exchange with one nameserver (A, then
AAAA) is bounded by `lifetime` seconds, and nameservers are asked in parallel, so a run where no
nameserver answers ends within one lifetime instead of hanging. A record type the nameserver
refuses, fails or lets time out is kept as `Unanswered` beside the answer of the other type, so
that the rule judges on what was answered.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum

import dns.exception
import dns.message
import dns.name
import dns.query
import dns.rdatatype
import dns.resolver

DEFAULT_PORT = 53


class Status(Enum):
    """How a nameserver answered; each gets its own message in `public-dns`."""

    ANSWER = "answer"  # one or more A/AAAA records (perhaps behind CNAMEs)
    NXDOMAIN = "nxdomain"  # the name does not exist
    NO_ANSWER = "no-answer"  # the name exists but has no A or AAAA record
    NO_NAMESERVER = "no-nameserver"  # refused, failed (SERVFAIL) or unreachable
    TIMEOUT = "timeout"  # no answer within the lifetime


@dataclass(frozen=True, order=True)
class Nameserver:
    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """`1.1.1.1`, `127.0.0.1:5353`, `::1` or `[::1]:5353`; ValueError says what is wrong."""
    text = text.strip()
    host, port = text, DEFAULT_PORT
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{text!r}: write an IPv6 nameserver as [ADDRESS]:PORT")
            port = _port(text, rest[1:])
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        port = _port(text, port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"{text!r}: a nameserver is an IP address (optionally :PORT), not a name"
        ) from None
    return Nameserver(host, port)


def _port(text: str, port: str) -> int:
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
    return int(port)


RECORD_TYPES = ("A", "AAAA")


def record_type(address: str) -> str:
    """ "A" for an IPv4 address, "AAAA" for an IPv6 one."""
    return "A" if ipaddress.ip_address(address).version == 4 else "AAAA"


@dataclass(frozen=True)
class Unanswered:
    """A record type one nameserver did not answer: refused, failed or timed out."""

    record_type: str  # "A" or "AAAA"
    status: Status  # NO_NAMESERVER or TIMEOUT
    detail: str = ""  # the resolver's own words: "REFUSED", "no answer within 5 s"


@dataclass(frozen=True)
class Answer:
    """What one nameserver said about one host.

    ANSWER when at least one record type gave addresses; `unanswered` then names a type it did
    not answer, if any. Without addresses the status says why, and `unanswered` lists every type
    that was refused, failed or timed out (one only: the other type was answered, empty).
    """

    host: str
    nameserver: str
    status: Status
    cnames: tuple[str, ...] = ()  # the alias chain, in order, after the host itself
    addresses: tuple[str, ...] = ()  # A and AAAA, sorted
    detail: str = field(default="", compare=False)  # the resolver's own words, for the message
    unanswered: tuple[Unanswered, ...] = ()

    @property
    def answered_types(self) -> tuple[str, ...]:
        """The record types this nameserver answered (with records or with none)."""
        if self.status in (Status.NO_NAMESERVER, Status.TIMEOUT) and not self.unanswered:
            return ()  # as recorded before types were told apart: nothing answered
        failed = {u.record_type for u in self.unanswered}
        return tuple(t for t in RECORD_TYPES if t not in failed)

    @property
    def chain(self) -> str:
        """`host -> alias -> ... -> addresses` as a PM reads it."""
        names = " -> ".join((self.host, *self.cnames))
        return f"{names} -> {', '.join(self.addresses)}" if self.addresses else names


def resolve(host: str, nameserver: Nameserver, lifetime: float) -> Answer:
    """A and AAAA for host from one nameserver, within lifetime seconds in all."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [nameserver.host]
    resolver.port = nameserver.port
    resolver.cache = None
    deadline = time.monotonic() + lifetime
    cnames: tuple[str, ...] = ()
    addresses: list[str] = []
    unanswered: list[Unanswered] = []
    for name in RECORD_TYPES:
        if time.monotonic() >= deadline:  # the lifetime is spent: this type has no answer
            detail = f"no answer within {lifetime:g} s"
            unanswered.append(Unanswered(name, Status.TIMEOUT, detail))
            continue
        resolver.lifetime = resolver.timeout = deadline - time.monotonic()
        try:
            result = resolver.resolve(
                host, dns.rdatatype.from_text(name), raise_on_no_answer=False, search=False
            )
        except dns.resolver.NXDOMAIN as error:
            chain = cnames or _nxdomain_chain(error, host)
            return Answer(host, str(nameserver), Status.NXDOMAIN, chain)
        except dns.resolver.LifetimeTimeout:
            detail = f"no answer within {lifetime:g} s"
            unanswered.append(Unanswered(name, Status.TIMEOUT, detail))
            continue
        except dns.exception.DNSException as error:  # refused, SERVFAIL, unreachable, malformed
            unanswered.append(Unanswered(name, Status.NO_NAMESERVER, _why(error)))
            continue
        cnames = cnames or _cname_chain(result.response, host)
        if result.rrset is not None:
            addresses.extend(rdata.to_text() for rdata in result.rrset)
    found = tuple(sorted(set(addresses), key=_order))
    if found:
        return Answer(
            host, str(nameserver), Status.ANSWER, cnames, found, unanswered=tuple(unanswered)
        )
    if not unanswered:
        return Answer(host, str(nameserver), Status.NO_ANSWER, cnames)
    first = unanswered[0]  # why there is no address: the first type that was not answered
    detail = first.detail
    if len(unanswered) < len(RECORD_TYPES):
        answered = next(t for t in RECORD_TYPES if t != first.record_type)
        detail = f"{first.record_type}: {first.detail}; no {answered} record"
    return Answer(
        host, str(nameserver), first.status, cnames, detail=detail, unanswered=tuple(unanswered)
    )


def resolve_all(host: str, nameservers: Sequence[Nameserver], lifetime: float) -> list[Answer]:
    """Each nameserver's answer for host, asked in parallel, in the nameservers' order."""
    with ThreadPoolExecutor(max_workers=max(len(nameservers), 1)) as pool:
        return list(pool.map(lambda ns: resolve(host, ns, lifetime), nameservers))


def answers_at_all(nameserver: Nameserver, timeout: float) -> bool:
    """Whether the nameserver answers one query (any answer, a refusal too) within timeout: it
    can be reached from here."""
    query = dns.message.make_query(".", dns.rdatatype.NS)
    try:
        dns.query.udp(query, nameserver.host, timeout=timeout, port=nameserver.port)
    except (dns.exception.DNSException, OSError):
        return False
    return True


def first_address(answers: Sequence[Answer]) -> str | None:
    """The address a client would connect to: the first of the first answer that has one."""
    for answer in answers:
        if answer.addresses:
            return answer.addresses[0]
    return None


def _cname_chain(response: dns.message.Message, host: str) -> tuple[str, ...]:
    """The aliases the answer section walks through from host, in order."""
    by_owner = {
        rrset.name: rrset[0].target
        for rrset in response.answer
        if rrset.rdtype == dns.rdatatype.CNAME and len(rrset)
    }
    chain: list[str] = []
    name = dns.name.from_text(host)
    while name in by_owner and len(chain) < len(by_owner):
        name = by_owner[name]
        chain.append(name.to_text(omit_final_dot=True))
    return tuple(chain)


def _why(error: dns.exception.DNSException) -> str:
    """The nameserver's part of dnspython's message: `REFUSED`, `[Errno 101] Network is ...`."""
    text = str(error)
    return text.rsplit(" answered ", 1)[-1].strip() if " answered " in text else text


def _nxdomain_chain(error: dns.resolver.NXDOMAIN, host: str) -> tuple[str, ...]:
    """The aliases walked before the name that does not exist (a dangling CNAME)."""
    response = error.responses().get(dns.name.from_text(host))  # type: ignore[no-untyped-call]
    return _cname_chain(response, host) if response is not None else ()


def _order(address: str) -> tuple[int, int]:
    parsed = ipaddress.ip_address(address)
    return parsed.version, int(parsed)
