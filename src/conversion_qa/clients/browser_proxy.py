"""The browser's way out: a CONNECT proxy on loopback that verifies TLS the way the run does.

Chromium trusts its own certificate store, not the run's `--ca-bundle`, and resolves names
itself, not through `--resolve`. So the browser is pointed at this proxy, which opens every
connection the way the run's HTTP clients do: `--resolve` routing, the connect timeout, and TLS
verified against the same trust (certifi's CAs plus `--ca-bundle`), host name checked, TLS 1.2
or newer. A connection that does not verify is refused (the browser sees a failed tunnel) and
the reason is kept for the failure message.

Towards the browser the proxy presents a certificate for the host, made on the fly with the key
the running browser was started with (`RunningChromium`, in memory); Chromium is told to accept
that one key only (`--ignore-certificate-errors-spki-list`). Nothing else is relaxed: a server's
certificate is never accepted unverified, and the key never leaves the process (its file is
private to the proxy and removed when the proxy stops).

Only the browser gets through, and only to where its portal is: each browser context is given
a pass (`admit`), a user name and a secret made for this run, which Chromium sends in
Proxy-Authorization after the proxy's 407 challenge; a request without a valid pass gets 407
and nothing is forwarded (another local process, the browser's own background services). A
pass allows the origins (scheme, host, port) it was made for, the portal's and its iFrames';
any other is refused (403) and kept on the pass, so that the check it spoiled can name it.
Plain `http://` is refused too: the portal is https. The browser's own background services
(updates, autofill, connectivity checks) are refused like anything else.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import hashlib
import hmac
import ipaddress
import secrets
import select
import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conversion_qa.clients.connections import CONNECTIONS
from conversion_qa.errors import UnsendableURL
from conversion_qa.target import target_of

HostPort = tuple[str, int]
LOOPBACK = "127.0.0.1"
HEAD_LIMIT = 16 * 1024  # a request's head; anything longer is not a browser's
CHALLENGES = 3  # 407s answered on one connection before it is closed (Chromium retries once)
IDLE_SECONDS = 120.0  # a tunnel with no traffic this long is closed (the browser reopens)
DEFAULT_PORTS = {"https": 443, "http": 80, "wss": 443, "ws": 80}
# What Chromium calls home for on its own, some of it from inside a page's context (autofill):
# refused like anything else, but not the page's doing, so never named in a check's failure.
BROWSER_SERVICES = frozenset(
    {
        "accounts.google.com",
        "android.clients.google.com",
        "clients2.google.com",
        "clientservices.googleapis.com",
        "connectivitycheck.gstatic.com",
        "content-autofill.googleapis.com",
        "optimizationguide-pa.googleapis.com",
        "safebrowsing.googleapis.com",
        "update.googleapis.com",
    }
)
REALM = "conversion-qa"


class Origin(NamedTuple):
    """Where a request goes, as a browser's same-origin rule has it: scheme, host, port."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def origin_of(url: str) -> Origin:
    """The origin a URL connects to: its target as the HTTP clients read it (conversion_qa.
    target, so that the allowlist and the write guard read a URL alike); ValueError for a URL
    with none, or one two readers would read differently."""
    try:
        target = target_of(url)
    except UnsendableURL as error:
        raise ValueError(error.what) from None
    return Origin(target.scheme, target.host, target.port)


@dataclass(frozen=True)
class ProxyPass:
    """One browser context's way out: a user name and secret made for this run, and the origins
    it may reach. What the proxy refused it is kept on it, for the check it spoiled to name."""

    username: str
    password: str
    allowed: frozenset[Origin]
    _refused: list[Origin] = field(default_factory=list, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def refuse(self, origin: Origin) -> None:
        if origin.host in BROWSER_SERVICES:
            return  # the browser's own, not the page's
        with self._lock:
            if origin not in self._refused:
                self._refused.append(origin)

    def refused(self) -> tuple[Origin, ...]:
        """What the proxy refused this pass since the last call, in the order asked; cleared."""
        with self._lock:
            found = tuple(self._refused)
            self._refused.clear()
            return found


def upstream_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The run's trust, as its HTTP session has it: certifi's CAs plus --ca-bundle."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle is not None:
        context.load_verify_locations(cafile=str(ca_bundle))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    return context


def spki_hash(key: ec.EllipticCurvePrivateKey) -> str:
    """base64(sha256(SubjectPublicKeyInfo)) of the key, as Chromium's flag takes it."""
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


class VerifyingProxy:
    """Start it with the key the browser accepts (`spki_hash`), point the browser at `server`;
    stop it at the end."""

    def __init__(
        self,
        *,
        ca_bundle: Path | None,
        resolve: Mapping[HostPort, HostPort],
        connect_timeout: float,
        key: ec.EllipticCurvePrivateKey,
    ) -> None:
        self._upstream = upstream_context(ca_bundle)
        self._resolve = {(host.lower(), port): target for (host, port), target in resolve.items()}
        self._connect_timeout = connect_timeout
        self._key = key
        self._folder = Path(tempfile.mkdtemp(prefix="conversion-qa-browser-"))
        self._key_file = self._folder / "key.pem"
        self._key_file.touch(mode=0o600)
        self._key_file.write_bytes(
            self._key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self._failures: dict[str, str] = {}
        self._passes: dict[str, ProxyPass] = {}
        self._open: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._listener = socket.create_server((LOOPBACK, 0))
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, name="browser-proxy", daemon=True)
        self._thread.start()

    @property
    def server(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def admit(self, origins: Iterable[Origin]) -> ProxyPass:
        """A new pass, allowing these origins only."""
        made = ProxyPass(
            username=f"context-{secrets.token_hex(8)}",
            password=secrets.token_urlsafe(24),
            allowed=frozenset(origins),
        )
        with self._lock:
            self._passes[made.username] = made
        return made

    def settings(self, admitted: ProxyPass | None = None) -> dict[str, str]:
        """Playwright's proxy settings: every request through here, loopback too; with a
        pass, its credentials (without one, nothing gets through)."""
        given = {"server": self.server, "bypass": "<-loopback>"}
        if admitted is not None:
            given |= {"username": admitted.username, "password": admitted.password}
        return given

    def failure(self, host: str) -> str | None:
        """Why the last connection to host was refused (TLS, connect), if it was."""
        with self._lock:
            return self._failures.get(host.lower())

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.close()
        self._thread.join(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)

    # serving ----------------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(connection,), daemon=True).start()

    def _track(self, connection: socket.socket, keep: bool) -> None:
        with self._lock:
            if keep:
                self._open.add(connection)
            else:
                self._open.discard(connection)

    def _tunnel(self, client: socket.socket) -> None:
        ends = [client]  # each closed at the end: the browser must see a tunnel that ended end
        self._track(client, True)
        try:
            client.settimeout(self._connect_timeout)
            target = self._admitted(client)
            if target is None:
                return
            upstream = self._open_upstream(target.host, target.port)
            if upstream is None:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            ends.append(upstream)
            self._track(upstream, True)
            client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            # the TLS socket takes over the client's connection: it is the one to close
            towards_browser = self._context_for(target.host).wrap_socket(client, server_side=True)
            ends.append(towards_browser)
            self._track(towards_browser, True)
            _pump(towards_browser, upstream, self._stopping)
        except (OSError, ssl.SSLError, ValueError):
            return  # the browser gave up on this connection; its page load says what it saw
        finally:
            for end in ends:
                self._track(end, False)
                with contextlib.suppress(OSError):
                    end.close()

    def _admitted(self, client: socket.socket) -> Origin | None:
        """The origin a request with a valid pass may tunnel to; None when it was answered
        here: 407 without a valid pass, 405 for plain http, 403 for an origin not allowed."""
        for _ in range(CHALLENGES):
            head = _head(client)
            if head is None:
                return None
            line, headers = head
            admitted = self._pass(headers.get("proxy-authorization", ""))
            if admitted is None:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="' + REALM.encode() + b'"\r\n'
                    b"Content-Length: 0\r\n\r\n"
                )
                continue  # Chromium asks again on this connection, with its credentials
            origin = _requested(line)
            if origin is None or origin.scheme != "https":
                if origin is not None:
                    admitted.refuse(origin)
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return None  # plain http is not loaded: the portal is https
            if origin not in admitted.allowed:
                admitted.refuse(origin)
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return None
            return origin
        return None

    def _pass(self, authorization: str) -> ProxyPass | None:
        """The pass whose credentials the header carries, compared in constant time."""
        scheme, _, encoded = authorization.strip().partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        with self._lock:
            admitted = self._passes.get(username)
        if admitted is None or not hmac.compare_digest(
            password.encode(), admitted.password.encode()
        ):
            return None
        return admitted

    def _open_upstream(self, host: str, port: int) -> ssl.SSLSocket | None:
        address = self._resolve.get((host, port), (host, port))
        try:
            raw = socket.create_connection(address, timeout=self._connect_timeout)
        except OSError as error:
            self._failed(host, f"could not connect to {host}:{port} ({_reason(error)})")
            return None
        CONNECTIONS.record_peer(host, raw)  # where the browser's page really came from
        try:
            secure = self._upstream.wrap_socket(raw, server_hostname=host)
        except ssl.SSLCertVerificationError as error:
            raw.close()
            reason = error.verify_message or error.reason
            self._failed(host, f"TLS failed (certificate verify failed: {reason})")
            return None
        except (ssl.SSLError, OSError) as error:
            raw.close()
            self._failed(host, f"TLS failed ({_reason(error)})")
            return None
        secure.settimeout(None)
        with self._lock:
            self._failures.pop(host, None)
        return secure

    def _failed(self, host: str, reason: str) -> None:
        with self._lock:
            self._failures[host] = reason

    def _context_for(self, host: str) -> ssl.SSLContext:
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                certificate = self._folder / f"host-{len(self._contexts)}.pem"
                certificate.write_bytes(_certificate(self._key, host))
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(str(certificate), str(self._key_file))
                context.set_alpn_protocols(["http/1.1"])
                self._contexts[host] = context
            return context


def _head(client: socket.socket) -> tuple[str, dict[str, str]] | None:
    """A request's first line and its headers (names in lower case); None when the client
    closed, or sent more than a browser's request head."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk or len(head) > HEAD_LIMIT:
            return None
        head += chunk
    line, *rest = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {}
    for field_line in rest:
        name, _, value = field_line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return line, headers


def _requested(line: str) -> Origin | None:
    """The origin a request line asks for: CONNECT host:port (https, tunnelled), or a plain
    http request's absolute URL; None when it is neither."""
    method, _, rest = line.partition(" ")
    target = rest.split(" ", 1)[0]
    if method != "CONNECT":
        try:
            return origin_of(target) if "://" in target else None
        except ValueError:
            return None
    host, _, port = target.rpartition(":")
    if not port.isdigit() or not host:
        return None
    return Origin("https", host.strip("[]").lower(), int(port))


def _certificate(key: ec.EllipticCurvePrivateKey, host: str) -> bytes:
    """A certificate for host with the run's key: what the browser is told to accept."""
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "conversion-qa browser proxy")])
    try:
        alternative: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alternative = x509.DNSName(host)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def _pump(browser: ssl.SSLSocket, server: ssl.SSLSocket, stopping: threading.Event) -> None:
    """Copy bytes both ways until either side closes, in one thread (an SSL socket is never read
    and written by two threads at once). Each side is read until OpenSSL has nothing left before
    waiting on the sockets: a record it already holds (one read with the handshake, say) would
    never wake a select()."""
    peers = {browser: server, server: browser}
    for end in peers:
        end.setblocking(False)
    while not stopping.is_set():
        moved = False
        for end, other in peers.items():
            while True:
                try:
                    data = end.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                    break
                if not data:
                    return
                _send(other, data)
                moved = True
        if not moved:
            ready, _, _ = select.select(list(peers), [], [], IDLE_SECONDS)
            if not ready:
                return  # idle: the browser opens a new tunnel when it needs one


def _send(end: ssl.SSLSocket, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[end.send(view) :]
        except (ssl.SSLWantWriteError, BlockingIOError):
            if not select.select([], [end], [], IDLE_SECONDS)[1]:
                raise TimeoutError("the other side stopped reading") from None
        except ssl.SSLWantReadError:
            select.select([end], [], [], IDLE_SECONDS)


def _reason(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
    return str(text)[:200]
