"""The browser's proxy over real sockets, without a browser: nothing goes through it without the
run's secret, and a pass reaches only the origins it was made for.

Behind the proxy stands a loopback TLS server (its own CA, which the proxy is told to trust)
that counts every connection it receives: what the proxy refuses must never reach it.
"""

from __future__ import annotations

import base64
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme

from conversion_qa.clients.browser_proxy import Origin, ProxyPass, VerifyingProxy

PORTAL = "portal.example.test"
OTHER = "other.example.test"


@dataclass
class Upstream:
    """A TLS server on loopback that counts the connections it gets (and holds them open)."""

    context: ssl.SSLContext
    listener: socket.socket = field(init=False)
    _count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self._count += 1
            threading.Thread(target=self._handshake, args=(connection,), daemon=True).start()

    def _handshake(self, connection: socket.socket) -> None:
        try:
            with self.context.wrap_socket(connection, server_side=True) as secure:
                secure.recv(1)
        except (OSError, ssl.SSLError):
            return

    def connections(self) -> int:
        with self._lock:
            return self._count


@pytest.fixture
def upstream_and_proxy(tmp_path: Path) -> Iterator[tuple[Upstream, VerifyingProxy]]:
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(PORTAL, OTHER).configure_cert(context)
    upstream = Upstream(context)
    resolve = {(host, 443): ("127.0.0.1", upstream.port) for host in (PORTAL, OTHER)}
    resolve[(PORTAL, 8443)] = ("127.0.0.1", upstream.port)
    proxy = VerifyingProxy(ca_bundle=bundle, resolve=resolve, connect_timeout=5)
    try:
        yield upstream, proxy
    finally:
        proxy.stop()
        upstream.listener.close()


def ask(proxy: VerifyingProxy, line: str, credentials: tuple[str, str] | None) -> str:
    """Send one request head to the proxy as a local process would; its status line."""
    host, port = proxy.server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as client:
        head = f"{line}\r\nHost: {PORTAL}\r\n"
        if credentials is not None:
            token = base64.b64encode(":".join(credentials).encode()).decode()
            head += f"Proxy-Authorization: Basic {token}\r\n"
        client.sendall((head + "\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = client.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def credentials(admitted: ProxyPass) -> tuple[str, str]:
    return admitted.username, admitted.password


def test_a_local_client_without_the_runs_secret_gets_407_and_nothing_is_forwarded(
    upstream_and_proxy: tuple[Upstream, VerifyingProxy],
) -> None:
    upstream, proxy = upstream_and_proxy
    admitted = proxy.admit([Origin("https", PORTAL, 443)])
    other = proxy.admit([Origin("https", PORTAL, 443)])
    connect = f"CONNECT {PORTAL}:443 HTTP/1.1"
    refused = [
        ask(proxy, connect, None),  # no secret at all (the browser's own requests, too)
        ask(proxy, connect, (admitted.username, "a-guessed-secret")),
        ask(proxy, connect, (admitted.username, other.password)),  # another context's secret
        ask(proxy, connect, ("", "")),
    ]
    assert refused == ["HTTP/1.1 407 Proxy Authentication Required"] * 4
    assert upstream.connections() == 0  # nothing was forwarded
    # the same request with the pass goes through: the server counts what reaches it
    assert ask(proxy, connect, credentials(admitted)) == "HTTP/1.1 200 Connection Established"
    assert upstream.connections() == 1


def test_a_pass_reaches_only_its_origins_and_the_rest_is_refused_and_named(
    upstream_and_proxy: tuple[Upstream, VerifyingProxy],
) -> None:
    upstream, proxy = upstream_and_proxy
    admitted = proxy.admit([Origin("https", PORTAL, 443)])
    given = credentials(admitted)
    assert ask(proxy, f"CONNECT {OTHER}:443 HTTP/1.1", given) == "HTTP/1.1 403 Forbidden"
    assert ask(proxy, f"CONNECT {PORTAL}:8443 HTTP/1.1", given) == "HTTP/1.1 403 Forbidden"
    plain = f"GET http://{PORTAL}/Home HTTP/1.1"
    assert ask(proxy, plain, given) == "HTTP/1.1 405 Method Not Allowed"
    assert upstream.connections() == 0  # each was reachable (routed there), none was reached
    assert admitted.refused() == (
        Origin("https", OTHER, 443),
        Origin("https", PORTAL, 8443),
        Origin("http", PORTAL, 80),
    )
    assert admitted.refused() == ()  # each check hears of its own refusals once
    assert [str(o) for o in (Origin("https", PORTAL, 8443), Origin("http", PORTAL, 80))] == [
        f"https://{PORTAL}:8443",
        f"http://{PORTAL}",
    ]
