"""Sockets that keep a call's deadline: no read, write or TLS handshake waits past it.

A socket timeout bounds one wait; a server that sends one byte a second never trips it. So
while a call runs (`within(budget)`), every wait on its socket is cut to the time the call has
left: the TLS handshake, the status line and headers (read by http.client, out of the caller's
reach), and each chunk of the body. When the deadline passes, the wait raises `TimeoutError`
as any socket timeout does, and the call reports it as the call deadline. No thread is started.

TLS sockets get it through `SSLContext.sslsocket_class`, plain ones through the connection
class of the pool; both count the bytes that arrived, so a cut-off call can say how much did.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.util.ssl_ import create_urllib3_context

from conversion_qa.clients.connections import peer_address


@dataclass
class Budget:
    """One call's deadline (time.monotonic()), the bytes that arrived so far, and the addresses
    its requests were sent to (each socket's own peer: clients/connections.py)."""

    deadline: float
    received: int = 0
    reached: set[str] = field(default_factory=set)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0.01  # a wait cut at the deadline wakes a hair before it


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "conversion_qa_call_budget", default=None
)


@contextmanager
def within(budget: Budget) -> Iterator[Budget]:
    """Every socket wait of the calls made inside ends by the budget's deadline."""
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


@contextmanager
def _bounded(sock: socket.socket) -> Iterator[Budget | None]:
    budget = _BUDGET.get()
    if budget is None:
        yield None
        return
    left = budget.left()
    if left <= 0:
        raise TimeoutError("the call deadline passed")
    before = sock.gettimeout()
    sock.settimeout(left if before is None else min(before, left))
    try:
        yield budget
    finally:
        with contextlib.suppress(OSError):  # closed meanwhile
            sock.settimeout(before)


def _reached(budget: Budget | None, sent_on: socket.socket) -> None:
    if budget is not None:
        address = peer_address(sent_on)
        if address is not None:
            budget.reached.add(address)


def _count(budget: Budget | None, received: int | bytes) -> None:
    if budget is not None:
        budget.received += received if isinstance(received, int) else len(received)


class BoundedSSLSocket(ssl.SSLSocket):
    """An SSLSocket whose handshake, reads and writes end by the call's deadline."""

    def do_handshake(self, block: bool = False) -> None:
        with _bounded(self):
            super().do_handshake(block)

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        with _bounded(self) as budget:
            data = super().recv(buflen, flags)
        _count(budget, data)
        return data

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        with _bounded(self) as budget:
            received = super().recv_into(buffer, nbytes, flags)
        _count(budget, received)
        return received

    def sendall(self, data: Any, flags: int = 0) -> None:
        with _bounded(self) as budget:
            _reached(budget, self)
            super().sendall(data, flags)


class BoundedSocket(socket.socket):
    """A plain socket whose reads and writes end by the call's deadline."""

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        with _bounded(self) as budget:
            data = super().recv(bufsize, flags)
        _count(budget, data)
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        with _bounded(self) as budget:
            received = super().recv_into(buffer, nbytes, flags)
        _count(budget, received)
        return received

    def sendall(self, data: Any, flags: int = 0) -> None:
        with _bounded(self) as budget:
            _reached(budget, self)
            super().sendall(data, flags)


class BoundedHTTPConnection(HTTPConnection):
    """A plain-HTTP connection on a BoundedSocket."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        timeout = sock.gettimeout()
        bounded = BoundedSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())
        bounded.settimeout(timeout)
        return bounded


class BoundedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = BoundedHTTPConnection


def tls_context(ca_file: str) -> ssl.SSLContext:
    """urllib3's client context (TLS 1.2+, verification required) trusting ca_file, whose
    sockets keep the call's deadline."""
    context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
    context.load_verify_locations(cafile=ca_file)
    context.sslsocket_class = BoundedSSLSocket
    return context
