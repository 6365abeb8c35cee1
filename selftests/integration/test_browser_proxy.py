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
from cryptography.hazmat.primitives.asymmetric import ec

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
                secure.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                secure.recv(1)  # then closed, as a server closes an idle keep-alive connection
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
    key = ec.generate_private_key(ec.SECP256R1())
    proxy = VerifyingProxy(ca_bundle=bundle, resolve=resolve, connect_timeout=5, key=key)
    try:
        yield upstream, proxy
    finally:
        proxy.stop()
        upstream.listener.close()


def connected(proxy: VerifyingProxy) -> socket.socket:
    host, port = proxy.server.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def send(client: socket.socket, line: str, credentials: tuple[str, str] | None) -> str:
    """Send one request head to the proxy as a local process would; its status line."""
    head = f"{line}\r\nHost: {PORTAL}\r\n"
    if credentials is not None:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        head += f"Proxy-Authorization: Basic {token}\r\n"
    client.sendall((head + "\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = client.recv(1)  # the head only: what follows is the tunnel's
        if not chunk:
            break
        answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def ask(proxy: VerifyingProxy, line: str, credentials: tuple[str, str] | None) -> str:
    with connected(proxy) as client:
        return send(client, line, credentials)


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
    # the browser's own autofill asks from inside a context: refused, and no page's doing
    autofill = "CONNECT content-autofill.googleapis.com:443 HTTP/1.1"
    assert ask(proxy, autofill, given) == "HTTP/1.1 403 Forbidden"
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


def test_a_tunnel_the_server_closes_is_closed_towards_the_browser(
    upstream_and_proxy: tuple[Upstream, VerifyingProxy],
) -> None:
    """Else the browser sends its next request into a tunnel nobody reads, and waits for it
    until its deadline (a page that "did not answer")."""
    _, proxy = upstream_and_proxy
    admitted = proxy.admit([Origin("https", PORTAL, 443)])
    towards_proxy = ssl.create_default_context()
    towards_proxy.check_hostname = False  # the proxy's own per-run certificate, on loopback
    towards_proxy.verify_mode = ssl.CERT_NONE
    with connected(proxy) as client:
        connect = f"CONNECT {PORTAL}:443 HTTP/1.1"
        assert send(client, connect, credentials(admitted)) == "HTTP/1.1 200 Connection Established"
        with towards_proxy.wrap_socket(client, server_hostname=PORTAL) as tunnel:
            answer = b""
            while b"ok" not in answer:
                answer += tunnel.recv(4096)
            tunnel.sendall(b"x")  # the server reads one byte, then closes its connection
            try:
                ended = tunnel.recv(4096)  # within the socket's 10 s, or it times out
            except (ssl.SSLEOFError, ConnectionResetError):
                ended = b""
    assert ended == b""
