"""A small DNS server on loopback that answers from a zone given as data.

Built on dnspython; serves UDP and TCP on one ephemeral port of 127.0.0.1 from a background
thread. The self-tests of `public-dns` run the real resolver against it, and the sandbox
rehearsal of a live run can serve its own host names with it (they resolve to loopback, which
`--accept-loopback-dns` then accepts):

    zone = {"cis.biller.test": Host(addresses=("127.0.0.1",))}
    with LocalDns(zone) as dns_server:
        pytest_args = ["--dns-nameserver", dns_server.nameserver]   # "127.0.0.1:PORT"

A name not in the zone answers NXDOMAIN; `Host()` with no address is an empty NOERROR answer;
`Host(silent=True)` never answers (the resolver times out); `Host(cname=...)` answers the alias
and, like a recursive resolver, follows it through the zone. `LocalDns(zone, rcode="REFUSED")`
refuses every query, `LocalDns(zone, refuse=("AAAA",))` refuses the queries of that record type
only (a nameserver that will not answer AAAA), `LocalDns(zone, silent=True)` answers none.
"""

from __future__ import annotations

import ipaddress
import socketserver
import struct
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType

import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

TTL = 60
_MAX_CHAIN = 16  # a CNAME loop in the zone must not loop the server


@dataclass(frozen=True)
class Host:
    """What the zone holds for one name."""

    addresses: tuple[str, ...] = ()  # IPv4 answer A queries, IPv6 answer AAAA
    cname: str | None = None  # an alias: answered instead of addresses
    silent: bool = False  # never answer queries for this name


Zone = Mapping[str, Host]


def answer(zone: Zone, query: dns.message.Message, rcode: str | None = None) -> bytes | None:
    """The wire response to a query, or None when the zone says to stay silent."""
    response = dns.message.make_response(query)
    if rcode is not None:
        response.set_rcode(dns.rcode.from_text(rcode))
        return response.to_wire()
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True).lower()
    for _ in range(_MAX_CHAIN):
        host = zone.get(name)
        if host is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
            break
        if host.silent:
            return None
        owner = dns.name.from_text(name)
        if host.cname is not None:
            response.answer.append(
                dns.rrset.from_text(owner, TTL, "IN", "CNAME", host.cname.rstrip(".") + ".")
            )
            name = host.cname.rstrip(".").lower()
            continue
        wanted = [a for a in host.addresses if _type_of(a) == question.rdtype]
        if wanted:
            rtype = dns.rdatatype.to_text(question.rdtype)
            response.answer.append(dns.rrset.from_text_list(owner, TTL, "IN", rtype, wanted))
        break
    return response.to_wire()


def _type_of(address: str) -> dns.rdatatype.RdataType:
    version = ipaddress.ip_address(address).version
    return dns.rdatatype.A if version == 4 else dns.rdatatype.AAAA


class LocalDns:
    """A DNS server on 127.0.0.1 (UDP and TCP, one ephemeral port), run in a thread."""

    def __init__(
        self,
        zone: Zone,
        *,
        rcode: str | None = None,
        silent: bool = False,
        refuse: tuple[str, ...] = (),
    ) -> None:
        self.zone = {name.rstrip(".").lower(): host for name, host in zone.items()}
        self.rcode = rcode
        self.silent = silent
        self.refuse = frozenset(dns.rdatatype.from_text(t) for t in refuse)  # "A", "AAAA"
        self._servers: list[socketserver.BaseServer] = []
        self._threads: list[threading.Thread] = []
        self.port = 0

    @property
    def nameserver(self) -> str:
        """The server as `--dns-nameserver` takes it: `127.0.0.1:PORT`."""
        return f"127.0.0.1:{self.port}"

    def respond(self, wire: bytes) -> bytes | None:
        if self.silent:
            return None
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None  # not DNS: a real server drops it too
        if query.question and query.question[0].rdtype in self.refuse:
            return answer(self.zone, query, "REFUSED")
        return answer(self.zone, query, self.rcode)

    def start(self) -> LocalDns:
        # UDP takes an ephemeral port; TCP binds the same number (retried if another process
        # holds it for TCP), since a resolver uses one port for both.
        for _ in range(20):
            udp = _UdpServer(("127.0.0.1", 0), _UdpHandler, self)
            try:
                tcp = _TcpServer(("127.0.0.1", udp.server_address[1]), _TcpHandler, self)
            except OSError:
                udp.server_close()
                continue
            self._servers = [udp, tcp]
            self.port = udp.server_address[1]
            break
        else:
            raise OSError("no free port on 127.0.0.1 for both UDP and TCP")
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, args=(0.05,), daemon=True, name="localdns"
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers, self._threads = [], []

    def __enter__(self) -> LocalDns:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _Answering:
    """What the UDP and TCP servers share: the zone they answer from."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[socketserver.BaseRequestHandler],
        dns_server: LocalDns,
    ) -> None:
        self.dns_server = dns_server
        super().__init__(address, handler)  # type: ignore[call-arg]


class _UdpServer(_Answering, socketserver.ThreadingUDPServer):
    pass


class _TcpServer(_Answering, socketserver.ThreadingTCPServer):
    allow_reuse_address = True


class _UdpHandler(socketserver.BaseRequestHandler):
    server: _UdpServer

    def handle(self) -> None:
        wire, sock = self.request
        reply = self.server.dns_server.respond(wire)
        if reply is not None:
            sock.sendto(reply, self.client_address)


class _TcpHandler(socketserver.StreamRequestHandler):
    server: _TcpServer

    def handle(self) -> None:
        # DNS over TCP: each message is preceded by its length in two bytes.
        while (prefix := self.rfile.read(2)) and len(prefix) == 2:
            wire = self.rfile.read(struct.unpack("!H", prefix)[0])
            reply = self.server.dns_server.respond(wire)
            if reply is None:
                return
            try:
                self.wfile.write(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return
