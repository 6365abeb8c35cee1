"""Every connection the suite uses is noted with the address it really reached (its socket's
peer): the HTTP client's (each call, on a new connection or a kept one), the TLS check's, and the
browser proxy's upstream ones. Over real sockets on loopback."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conversion_qa.clients import tls
from conversion_qa.clients.browser_proxy import VerifyingProxy, origin_of
from conversion_qa.clients.connections import CONNECTIONS, Connection
from conversion_qa.clients.http import HttpOptions, make_session, send
from selftests.loopback import Behaviour, LoopbackServer
from selftests.tls_server import TlsServer, write_self_signed

HOST = "enquesta-test.demo.example.com"


@pytest.fixture(autouse=True)
def _empty_log() -> Iterator[None]:
    CONNECTIONS.take()
    yield
    CONNECTIONS.take()


def test_each_http_call_notes_the_address_it_reached_even_on_a_kept_connection() -> None:
    routes = {"/rtdr": Behaviour(headers=(("Connection", "keep-alive"),))}
    with LoopbackServer(routes) as server, make_session(HttpOptions()) as session:
        send(session, HttpOptions(), "POST", server.url("/rtdr"), json_body={})
        first = CONNECTIONS.take()
        send(session, HttpOptions(), "POST", server.url("/rtdr"), json_body={})
        second = CONNECTIONS.take()
        assert server.connections == 1  # the second call went over the first one's connection
    assert first == second == (Connection("127.0.0.1", "127.0.0.1"),)


def test_an_http_call_through_resolve_notes_the_host_asked_and_where_it_went() -> None:
    with LoopbackServer({"/x": Behaviour()}) as server:
        options = HttpOptions(resolve={(HOST, 80): ("127.0.0.1", server.port)})
        with make_session(options) as session:
            send(session, options, "GET", f"http://{HOST}/x")
    assert CONNECTIONS.take() == (Connection(HOST, "127.0.0.1"),)


def test_a_call_that_connects_nowhere_notes_nothing() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    with make_session(HttpOptions()) as session, pytest.raises(Exception, match="connect"):
        send(session, HttpOptions(retries=0), "GET", f"http://127.0.0.1:{port}/x")
    assert CONNECTIONS.take() == ()


def test_the_tls_check_notes_where_its_handshake_went(tmp_path: Path) -> None:
    with TlsServer(*write_self_signed(tmp_path, HOST)) as server:
        facts = tls.handshake(HOST, timeout=5, connect_to=("127.0.0.1", server.port))
    assert facts.status is tls.TlsStatus.UNVERIFIED  # not trusted: noted all the same
    assert CONNECTIONS.take() == (Connection(HOST, "127.0.0.1"),)


def test_the_browser_proxy_notes_where_each_tunnel_went(tmp_path: Path) -> None:
    with TlsServer(*write_self_signed(tmp_path, HOST)) as server:
        proxy = VerifyingProxy(
            ca_bundle=None,
            resolve={(HOST, 443): ("127.0.0.1", server.port)},
            connect_timeout=5,
            key=ec.generate_private_key(ec.SECP256R1()),
        )
        admitted = proxy.admit([origin_of(f"https://{HOST}/")])
        key = base64.b64encode(f"{admitted.username}:{admitted.password}".encode()).decode()
        try:
            _, _, address = proxy.server.rpartition("/")
            host, _, port = address.rpartition(":")
            with socket.create_connection((host, int(port)), timeout=5) as browser:
                browser.sendall(
                    f"CONNECT {HOST}:443 HTTP/1.1\r\nHost: {HOST}:443\r\n"
                    f"Proxy-Authorization: Basic {key}\r\n\r\n".encode()
                )
                browser.recv(1024)  # the proxy's answer: the tunnel was tried
        finally:
            proxy.stop()
    assert CONNECTIONS.take() == (Connection(HOST, "127.0.0.1"),)
