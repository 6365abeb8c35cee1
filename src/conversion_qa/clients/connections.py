"""Where the suite's connections really went: the host and peer address of each one it used.

A live run proves the conversion only if it reached the real systems as the public does; a host
answered from a loopback or private address (a sandbox, a hosts-file entry, split DNS) makes it a
rehearsal. The address is the connected socket's own peer (`getpeername`), never a second lookup
that could answer otherwise.

Connections are used deep in urllib3, in the TLS check and in the browser proxy's threads, so
the log is one per process: the plugin takes what each test used when the test ends (a process
runs one test at a time; each xdist worker keeps its own log).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Connection:
    """One host the suite connected to, and the address the connection reached."""

    host: str  # the name asked for (a URL's host, the TLS check's host, the browser's CONNECT)
    address: str  # the peer's IP address, from the socket


class Connections:
    """The connections used since the log was last taken, each once."""

    def __init__(self) -> None:
        self._used: set[Connection] = set()
        self._lock = threading.Lock()

    def record(self, host: str, address: str) -> None:
        with self._lock:
            self._used.add(Connection(host.lower().removesuffix("."), address))

    def record_peer(self, host: str, connected: socket.socket) -> None:
        """Note where a connected socket reached (one that is not connected is not noted)."""
        address = peer_address(connected)
        if address is not None:
            self.record(host, address)

    def take(self) -> tuple[Connection, ...]:
        """The connections noted since the last take, sorted; the log starts empty again."""
        with self._lock:
            used, self._used = self._used, set()
        return tuple(sorted(used))


def peer_address(connected: socket.socket) -> str | None:
    """The IP address a socket is connected to, from the socket itself; None if it is not."""
    try:
        peer = connected.getpeername()
    except OSError:
        return None
    if not isinstance(peer, tuple):  # a Unix socket: no network address
        return None
    return str(peer[0]).partition("%")[0]  # an IPv6 link-local's zone is no part of the address


CONNECTIONS = Connections()
