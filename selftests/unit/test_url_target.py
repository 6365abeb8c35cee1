"""One URL, parsed once: the target the suite judges is where urllib3 really connects.

Each spelling of the corpus is judged by `target_of` (and by the write guard), then really sent
with requests, the library that sends: name resolution is patched to log the name and port
urllib3 dials and to route every one to a loopback listener, which counts the connections it
accepts. The guard's target must be exactly what was dialled, and the guard must never let a
write through that urllib3 would connect to a production host.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InsecureRequestWarning

from conversion_qa.clients.writes import WriteTargets
from conversion_qa.errors import AmbiguousURL, UnsendableURL
from conversion_qa.target import Target, target_of

TEST = "enquesta-test.demo.example.com"
PRODUCTION = "enquesta.demo.example.com"

# (id, URL): each spelling that could make two readers disagree, and plain ones that must not
CORPUS = [
    ("plain", f"https://{TEST}/CISService"),
    ("backslash-at", f"https://{PRODUCTION}\\@{TEST}/CISService"),
    ("backslash-at-dots", f"https://{PRODUCTION}\\@{TEST}/CISService/../../CISService"),
    ("dot-segments", f"https://{TEST}/CISService/../CISService"),
    ("userinfo", f"https://user@{TEST}/CISService"),
    ("userinfo-production", f"https://{TEST}@{PRODUCTION}/CISService"),
    ("userinfo-password", f"https://{TEST}:443@{PRODUCTION}/CISService"),
    ("encoded-backslash-at", f"https://{PRODUCTION}%5C@{TEST}/CISService"),
    ("semicolon-at", f"https://{TEST};@{PRODUCTION}/CISService"),
    ("fragment-at", f"https://{TEST}#@{PRODUCTION}/CISService"),
    ("query-at", f"https://{TEST}?@{PRODUCTION}/CISService"),
    ("backslash-in-path", f"https://{TEST}/CISService\\@{PRODUCTION}"),
    ("mixed-case", "https://EnQuesta-Test.Demo.Example.COM/CISService"),
    ("scheme-case", f"HTTPS://{TEST}/CISService"),
    ("trailing-dot", f"https://{TEST}./CISService"),
    ("two-trailing-dots", f"https://{TEST}../CISService"),
    ("default-port", f"https://{TEST}:443/CISService"),
    ("explicit-port", f"https://{TEST}:8443/CISService"),
    ("empty-port", f"https://{TEST}:/CISService"),
    ("zero-padded-port", f"https://{TEST}:0443/CISService"),
    ("port-zero", f"https://{TEST}:0/CISService"),
    ("port-too-large", f"https://{TEST}:99999/CISService"),
    ("http-default-port", f"http://{TEST}/CISService"),
    ("ipv6", "https://[::1]/CISService"),
    ("ipv6-port", "https://[::1]:8443/CISService"),
    ("ipv6-zone", "https://[fe80::1%25lo]/CISService"),
    ("ipv4", "https://93.184.215.14/CISService"),
    ("ipv4-hex", "https://0x5d.0xb8.0xd7.0x0e/CISService"),
    ("ipv4-short", "https://0x7f.1/CISService"),
    ("ipv4-decimal", "https://2130706433/CISService"),
    ("ipv4-octal", "https://0135.184.215.14/CISService"),
    ("percent-encoded-host", "https://enquesta%2Dtest.demo.example.com/CISService"),
    ("percent-encoded-dot", f"https://{PRODUCTION.replace('.', '%2e', 1)}/CISService"),
    ("tab", f"https://{TEST}\t/CISService"),
    ("tab-in-host", "https://enquesta-\ttest.demo.example.com/CISService"),
    ("newline", f"https://{PRODUCTION}\n.{TEST}/CISService"),
    ("carriage-return", f"https://{TEST}\r/CISService"),
    ("nul", f"https://{TEST}\x00/CISService"),
    ("fullwidth-dots", "https://enquesta-test\uff0edemo\uff0eexample\uff0ecom/CISService"),
    ("ideographic-dot", "https://enquesta-test\u3002demo.example.com/CISService"),
    ("idn", "https://\u0435nquesta-test.demo.example.com/CISService"),  # Cyrillic e
    ("space-in-host", f"https://{TEST} /CISService"),
    ("leading-space", f" https://{TEST}/CISService"),
    ("one-slash", f"https:/{TEST}/CISService"),
    ("backslashes", f"https:\\\\{TEST}/CISService"),
    ("slash-backslash", f"https:/\\{TEST}/CISService"),
    ("three-slashes", f"https:///{TEST}/CISService"),
    ("no-scheme", f"//{TEST}/CISService"),
    ("other-scheme", f"ftp://{TEST}/CISService"),
]


@dataclass
class Dialled:
    """Loopback stand-in for the internet: every name urllib3 resolves is logged, then routed
    to one listener that accepts (and counts) the connection and closes it."""

    names: list[tuple[str, int]] = field(default_factory=list)
    accepted: int = 0

    @contextlib.contextmanager
    def routing(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dialled]:
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                self.accepted += 1
                connection.close()

        original = socket.getaddrinfo

        def getaddrinfo(host: Any, dialled_port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            self.names.append((name, int(dialled_port)))
            return original("127.0.0.1", port, *args, **kwargs)

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        try:
            yield self
        finally:
            monkeypatch.setattr(socket, "getaddrinfo", original)
            stop.set()
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            thread.join(timeout=5)


@dataclass(frozen=True)
class Sent:
    """Where requests really connected for a URL: (name, port) dialled, or none."""

    dialled: tuple[tuple[str, int], ...]
    accepted: int


def really_sent(url: str, monkeypatch: pytest.MonkeyPatch) -> Sent:
    dialled = Dialled()
    with dialled.routing(monkeypatch), requests.Session() as session, warnings.catch_warnings():
        session.trust_env = False
        # Where urllib3 connects does not depend on verification, and the handshake fails on
        # the listener anyway: a context that loads no CAs keeps each spelling fast.
        session.verify = False
        session.mount("https://", _NoCertificates())
        warnings.simplefilter("ignore", InsecureRequestWarning)
        with contextlib.suppress(requests.exceptions.RequestException, ValueError):
            session.post(url, json={}, timeout=5, allow_redirects=False)
    return Sent(tuple(dialled.names), dialled.accepted)


class _NoCertificates(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        super().init_poolmanager(*args, ssl_context=context, **kwargs)


def verdict(url: str) -> Target | UnsendableURL:
    try:
        return target_of(url)
    except UnsendableURL as error:
        return error


def as_dialled(target: Target) -> tuple[str, int]:
    return target.host, target.port


def dialled_host(name: str) -> str:
    """A dialled name as the guard compares hosts (one final dot is the DNS root)."""
    return name.lower().removesuffix(".")


@pytest.mark.parametrize("url", [url for _, url in CORPUS], ids=[name for name, _ in CORPUS])
def test_the_target_is_where_urllib3_really_connects(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    judged = verdict(url)
    sent = really_sent(url, monkeypatch)
    if isinstance(judged, Target):
        assert [(dialled_host(name), port) for name, port in sent.dialled] == [as_dialled(judged)]
        assert sent.accepted == 1  # a real connection, to the port the target names
    else:
        assert judged.problem  # refused, saying why; where it would have gone does not matter


GUARD = WriteTargets(
    environment="test",
    own=frozenset({Target("https", TEST, 443)}),
    production_hosts=frozenset({PRODUCTION}),
    allow_production=False,
)


@pytest.mark.parametrize("url", [url for _, url in CORPUS], ids=[name for name, _ in CORPUS])
def test_the_write_guard_never_lets_through_a_write_that_connects_to_production(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = GUARD.refusal("POST", url)
    sent = really_sent(url, monkeypatch)
    if refused is None:
        assert {dialled_host(name) for name, _ in sent.dialled} == {TEST}
        assert sent.accepted == 1
    else:
        assert "nothing was sent" in refused.what


def test_the_corpus_holds_spellings_that_urllib_parse_reads_as_another_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The attack is real in the installed urllib3: urllib.parse reads the test host where
    requests connects to production; every such spelling is refused."""
    fooled = []
    for name, url in CORPUS:
        try:
            parsed = dialled_host(urlsplit(url).hostname or "")
        except ValueError:
            continue
        sent = really_sent(url, monkeypatch)
        dialled = {dialled_host(host) for host, _ in sent.dialled}
        if dialled and dialled != {parsed}:
            fooled.append(name)
            assert isinstance(verdict(url), AmbiguousURL), name
    assert {"backslash-at", "backslash-at-dots"} <= set(fooled)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"https://{PRODUCTION}\\@{TEST}/CISService", "has a backslash (\\) before its path"),
        (f"https://user@{TEST}/CISService", "names a user before its host"),
        ("https://enquesta%2Dtest.demo.example.com/X", "has percent-encoding (%) in its host"),
        (f"https://{TEST}\t/X", "contains the control character \\t"),
        ("https://enquesta-test\uff0edemo.example.com/X", "is not plain ASCII"),
        (f"https:\\\\{TEST}/X", "has a backslash (\\) before its host"),
        ("https://0x7f.1/X", "an IPv4 address written otherwise"),
        (f"https://{TEST}:0/X", f"is read as {TEST} by requests and urllib3 but as {TEST}:0"),
    ],
)
def test_an_ambiguous_url_is_refused_saying_why(url: str, problem: str) -> None:
    with pytest.raises(AmbiguousURL) as refused:
        target_of(url)
    assert problem in refused.value.problem


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("HTTPS://EnQuesta-Test.demo.example.com./X", Target("https", TEST, 443)),
        (f"https://{TEST}:443/X", Target("https", TEST, 443)),
        (f"https://{TEST}:8443/X", Target("https", TEST, 8443)),
        (f"http://{TEST}/X", Target("http", TEST, 80)),
        ("https://[::1]:8443/X", Target("https", "::1", 8443)),
    ],
)
def test_one_target_however_it_is_spelt(url: str, target: Target) -> None:
    assert target_of(url) == target


def test_a_target_is_shown_as_the_pool_keys_it() -> None:
    assert str(Target("https", TEST, 443)) == f"https://{TEST}"
    assert Target("https", TEST, 8443).authority == f"{TEST}:8443"
    assert Target("http", "::1", 8080).authority == "[::1]:8080"
