"""The sandbox's HTTPS server: routes by Host and path to the assumed contract of each biller."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import secrets
import select
import shutil
import socket
import ssl
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

from conversion_qa.config.model import Biller, CustomCode, Environment, Iframe, SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import datapump, payconnect, portal, rtdr
from conversion_qa.sandbox import pages
from conversion_qa.sandbox.address import LOOPBACK, SandboxAddress
from conversion_qa.sandbox.scenarios import SCENARIOS, unknown

HANG_LIMIT = 60.0  # a hung answer is released at the latest when the sandbox stops, or after this
MISPRINT_ACCOUNT = "999001"
DRIP_INTERVAL = 0.25  # slow-drip: seconds between two bytes of an answer
OVERSIZED_BYTES = 6 * 1024 * 1024  # oversized-answer: more than the default cap of 5 MiB
MAINTENANCE_SECONDS = 3600  # maintenance-503: the Retry-After of the maintenance page
SIGN_IN_PATH = "/login"  # signin-redirect: where the portal sends a visitor not signed in
# A host that is neither a portal nor an iFrame host of any biller file: where a hostile page
# sends what it takes, and where custom-code-off-portal loads its script from. Served (and
# logged, as every request is) only under the scenarios that use it.
COLLECTOR = "collector.evil.example"
COLLECTOR_SCENARIOS = frozenset(
    {*pages.HOSTILE_SIGN_INS, "custom-code-off-portal", "page-off-portal"}
)
Answer = tuple[int, str, str]  # status, content type, body
Headed = tuple[int, str, str, dict[str, str]]  # and headers (Location, Set-Cookie)
Route = Callable[["Context", dict[str, Any]], Answer | Headed]
SESSION_COOKIE = "cqa-session"


@dataclass(frozen=True)
class Reply:
    """What the sandbox sends: an answer, its extra headers, and how it is delivered."""

    status: int
    content_type: str
    body: str
    headers: tuple[tuple[str, str], ...] = ()
    drip: bool = False  # every byte, status line first, DRIP_INTERVAL apart (slow-drip)
    unsized: bool = False  # no Content-Length: the body ends when the connection closes
    hang: bool = False  # nothing is sent: held until the client gives up (or HANG_LIMIT)

    @classmethod
    def of(cls, answer: Answer | Headed) -> Reply:
        status, content_type, body, *headers = answer
        return cls(status, content_type, body, tuple(headers[0].items()) if headers else ())


@dataclass(frozen=True)
class Seen:
    """A request the sandbox received, kept so self-tests can check what the suite sends."""

    method: str
    host: str
    path: str
    user_agent: str
    body: dict[str, Any]
    signed_in: bool = False  # the request carried a session of the sandbox portal's sign-in


@dataclass(frozen=True, order=True)
class Call:
    """A resource the sandbox was asked for: counted per run, so self-tests and the benchmark
    can say how many calls a run made of each (one settings read per portal, say)."""

    method: str
    host: str  # as routed: lower case, without the default port
    path: str


@dataclass(frozen=True)
class Context:
    """What a route knows: the biller and environment its host belongs to, and the sandbox."""

    biller: Biller
    environment: Environment
    sandbox: Sandbox
    authorization: str
    path: str
    signed_in: bool = False
    host: str = ""  # as routed (_netloc): an iFrame may be served from a host of its own


def _netloc(netloc: str) -> str:
    """Routes are keyed by the URL's host (and port, when it is not the default 443)."""
    return netloc.lower().removesuffix(":443")


def _json(status: int, document: Any) -> Answer:
    return status, "application/json", json.dumps(document)


def _value(value: SettingValue | None) -> str | None:
    """What S&S holds for a setting: a secret's value (None when its variable is unset)."""
    if isinstance(value, Secret):
        return value.reveal() if value.is_set else None
    return value


def _matches(expected: SettingValue | None, given: Any) -> bool:
    known = _value(expected)
    return known is None or known == given  # an unset secret: the sandbox accepts any value


class Sandbox:
    """A running sandbox; start() it, stop() it."""

    def __init__(
        self,
        billers: Sequence[Biller],
        scenarios: Sequence[str],
        latency: float,
        address: str = LOOPBACK,
    ) -> None:
        wrong = unknown(list(scenarios))
        if wrong:
            raise ValueError(f"no sandbox scenario {wrong[0]!r}; known: {', '.join(SCENARIOS)}")
        self.billers = tuple(billers)
        self.scenarios = frozenset(scenarios)
        self.latency = latency
        self.stopping = threading.Event()
        self.routes: dict[tuple[str, str, str], tuple[Route, Biller, Environment]] = {}
        self.tokens: dict[str, str] = {}  # Token1 -> Token2 issued
        self.tokens_lock = threading.Lock()
        self.sessions: dict[str, tuple[str, str]] = {}  # portal session -> (biller, environment)
        self.sign_ins: list[tuple[str, str]] = []  # each accepted portal sign-in
        self.seen: deque[Seen] = deque(maxlen=10_000)  # bounded: a standalone sandbox runs long
        # each hung answer: its path and how long its client waited before giving up
        self.held: list[tuple[str, float]] = []
        self.released = threading.Event()  # set when a hung answer's client has given up
        self.collector = COLLECTOR if self.scenarios & COLLECTOR_SCENARIOS else None
        # every request counted, unbounded in time but not in size: one entry per resource
        self._calls: Counter[Call] = Counter()
        hosts = self._build_routes()
        if not hosts:
            raise ValueError("the sandbox has nothing to serve: no biller declares a URL")
        self._folder = Path(tempfile.mkdtemp(prefix="conversion-qa-sandbox-"))
        ca = trustme.CA(organization_name="conversion-qa sandbox")
        ca_bundle = self._folder / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_bundle))
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(*sorted({host for host, _ in hosts})).configure_cert(self._tls)
        self._server = _Server((address, 0), _Handler, self)
        self.address = SandboxAddress(
            hosts=tuple(sorted(hosts)),
            port=self._server.server_address[1],
            ca_bundle=ca_bundle,
            address=address,
        )
        (self._folder / "sandbox.json").write_text(
            json.dumps(
                {
                    "address": self.address.address,
                    "port": self.address.port,
                    "hosts": [list(h) for h in self.address.hosts],
                    "ca_bundle": str(ca_bundle),
                }
            )
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @classmethod
    def start(
        cls,
        billers: Sequence[Biller],
        scenarios: Sequence[str] = (),
        latency: float = 0.0,
        address: str = LOOPBACK,
    ) -> Sandbox:
        """Serve the billers on address (loopback unless told: a self-test may give it an
        address of its own network namespace)."""
        sandbox = cls(billers, scenarios, latency, address)
        sandbox._thread.start()
        return sandbox

    def stop(self) -> None:
        self.stopping.set()  # releases hung answers and latency first
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)

    def calls(self) -> Counter[Call]:
        """How many requests the sandbox received for each resource (method, host, path), a
        copy: every request counts, the contract's or not, whatever it was answered."""
        with self.tokens_lock:
            return Counter(self._calls)

    def wrap(self, connection: socket.socket) -> ssl.SSLSocket:
        return self._tls.wrap_socket(connection, server_side=True)

    # routes ----------------------------------------------------------------------------------

    def _build_routes(self) -> set[tuple[str, int]]:
        hosts: set[tuple[str, int]] = set()
        for biller in self.billers:
            for environment in biller.environments.values():
                urls = [environment.portal, *environment.endpoints.values()]
                urls += [v for v in environment.advanced_settings.values() if isinstance(v, str)]
                # an iFrame on a host of its own is served under that name, with the sandbox CA
                urls += [f.path for f in biller.capricorn_iframes if f.has_own_host]
                for url in urls:
                    if url and "://" in url and urlsplit(url).hostname:
                        parts = urlsplit(url)
                        hosts.add((parts.hostname or "", parts.port or 443))
                self._environment_routes(biller, environment)
        if self.collector:
            hosts.add((self.collector, 443))
        return hosts

    def _add(self, method: str, url: str, route: Route, biller: Biller, env: Environment) -> None:
        parts = urlsplit(url)
        key = (method, _netloc(parts.netloc), parts.path.rstrip("/"))
        self.routes[key] = (route, biller, env)

    def _environment_routes(self, biller: Biller, environment: Environment) -> None:
        cis = environment.endpoints.get("cis_service")
        if cis:
            self._add("POST", rtdr.url(cis), _rtdr, biller, environment)
            for kind in datapump.KINDS:
                self._add("POST", datapump.url(cis, kind), _datapump, biller, environment)
        pay = environment.endpoints.get("payconnect_service")
        if pay:
            self._add("POST", payconnect.login_url(pay), _login, biller, environment)
            self._add("POST", payconnect.validate_url(pay), _validate, biller, environment)
        if environment.portal:
            site = environment.portal
            self._add("GET", portal.settings_url(site), _settings, biller, environment)
            self._add("GET", portal.page_url(site, SIGN_IN_PATH), _login_page, biller, environment)
            self._add("GET", portal.sign_in_url(site), _sign_in_form, biller, environment)
            self._add("POST", portal.sign_in_url(site), _sign_in, biller, environment)
            self._add("GET", portal.page_url(site, "/"), _landing, biller, environment)
            self._add("GET", portal.page_url(site, pages.POLL), _poll, biller, environment)
            for page in {c.page for c in biller.custom_code} | {
                f.page for f in biller.capricorn_iframes if f.page
            }:
                self._add("GET", portal.page_url(site, page), _page, biller, environment)
                assets = portal.page_url(site, pages.ASSETS + page)
                self._add("GET", assets, _injected, biller, environment)
            for frame in biller.capricorn_iframes:
                self._add("GET", frame.url(site), _iframe, biller, environment)
            if self.collector:
                script = collector_script(self.collector, biller.id, environment.name)
                self._add("GET", script, _elsewhere, biller, environment)
            if cis:  # sign-in-off-host sends the browser to a form on another host: this one
                self._add("GET", portal.sign_in_url(cis), _foreign_form, biller, environment)
                self._add("POST", portal.sign_in_url(cis), _sign_in, biller, environment)

    def answer(
        self, method: str, host: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        with self.tokens_lock:
            self._calls[Call(method, _netloc(host), path.rstrip("/") or "/")] += 1
        if self.latency:
            self.stopping.wait(self.latency)
        form = headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        try:
            if form:  # the portal's sign-in form
                fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
                document: Any = {name: values[-1] for name, values in fields.items()}
            else:
                document = json.loads(body) if body else {}
        except (ValueError, UnicodeDecodeError):
            return Reply.of(_json(400, {"Error": "the request body is not JSON"}))
        document = document if isinstance(document, dict) else {}
        found = self.routes.get((method, _netloc(host), path.rstrip("/")))
        with self.tokens_lock:
            user_agent = headers.get("User-Agent", "")
            session = _cookie(headers.get("Cookie", ""), SESSION_COOKIE)
            owner = self.sessions.get(session) if session else None
            signed_in = found is not None and owner == (found[1].id, found[2].name)
            self.seen.append(Seen(method, host, path, user_agent, document, signed_in))
        if found is None:
            return Reply.of(_json(404, {"Error": f"no such resource: {method} {path} on {host}"}))
        route, biller, environment = found
        authorization = headers.get("Authorization", "")
        context = Context(
            biller,
            environment,
            self,
            authorization,
            path.rstrip("/") or "/",
            signed_in,
            _netloc(host),
        )
        fault = self._fault(route, context, host)
        if fault is not None:
            return fault
        reply = Reply.of(route(context, document))
        if route is _rtdr and "slow-drip" in self.scenarios:
            return dataclasses.replace(reply, drip=True)
        return reply

    def _fault(self, route: Route, context: Context, host: str) -> Reply | None:
        """The answer of a scenario that replaces a route's own: a maintenance page, a hung
        CIS host, a sign-in redirect, an answer larger than the cap."""
        scenarios = self.scenarios
        if "maintenance-503" in scenarios and route is not _login_page:
            page = "<html><body><h1>Down for maintenance</h1>Back in an hour.</body></html>"
            return Reply(503, "text/html", page, (("Retry-After", str(MAINTENANCE_SECONDS)),))
        cis = context.environment.endpoints.get("cis_service")
        if "cis-hang" in scenarios and cis and _netloc(host) == _netloc(urlsplit(cis).netloc):
            self.stopping.wait(HANG_LIMIT)
            return Reply(503, "text/plain", "gave up")
        first = context.biller.capricorn_iframes[:1]
        hung = "iframe-hang" in scenarios and route is _iframe
        if hung and first and _is_frame(context, first[0]):
            return Reply(503, "text/plain", "", hang=True)
        if "page-off-portal" in scenarios and route is _page and self.collector:
            elsewhere = f"https://{self.collector}{context.path}"  # the page "moved" off the portal
            return Reply(302, "text/html", "", (("Location", elsewhere),))
        if "signin-redirect" in scenarios and route in (_page, _iframe):
            return Reply(302, "text/html", "", (("Location", SIGN_IN_PATH),))
        if "oversized-answer" in scenarios and route is _rtdr:
            padding = "x" * OVERSIZED_BYTES
            body = json.dumps({"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "Padding": padding})
            return Reply(200, "application/json", body, unsized=True)
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that hung up (a timed-out test) is not the sandbox's problem to print

    def finish_request(self, request: Any, client_address: Any) -> None:
        # the handshake runs in the connection's own thread: a slow client blocks no other
        request.settimeout(10)
        # answers go out at once: without this, delayed ACKs add ~40 ms to each small answer
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            wrapped = self.sandbox.wrap(request)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(wrapped, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the run's output is the report
        return

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host", "")
        path = urlsplit(self.path).path
        names = ("Authorization", "User-Agent", "Cookie", "Content-Type")
        headers = {name: self.headers.get(name, "") for name in names}
        reply = self.server.sandbox.answer(method, host, path, headers, body)
        data = reply.body.encode()
        if reply.drip:
            self._drip(reply, data)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.hang:
            self._hold(path)
            return
        if reply.unsized:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _hold(self, path: str) -> None:
        """Send nothing until the client closes the connection (or the sandbox stops, or
        HANG_LIMIT), and note how long the client waited."""
        self.close_connection = True
        sandbox = self.server.sandbox
        started = time.monotonic()
        while not sandbox.stopping.is_set() and time.monotonic() - started < HANG_LIMIT:
            if select.select([self.connection], [], [], 0.1)[0]:
                try:
                    if not self.connection.recv(1):
                        break  # the client gave up
                except (OSError, ssl.SSLError):
                    break
        with sandbox.tokens_lock:
            sandbox.held.append((path, time.monotonic() - started))
        sandbox.released.set()

    def _drip(self, reply: Reply, data: bytes) -> None:
        """The whole answer, status line and headers too, one byte at a time (slow-drip)."""
        head = (
            f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        self.close_connection = True
        stopping = self.server.sandbox.stopping
        whole = head + data
        for index in range(len(whole)):
            byte = whole[index : index + 1]
            if stopping.is_set():
                return
            try:
                self.wfile.write(byte)
            except OSError:  # the client gave up: what slow-drip is for
                return
            stopping.wait(DRIP_INTERVAL)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


# the contract's answers ------------------------------------------------------------------------


def _setting(context: Context, number: str) -> SettingValue | None:
    return context.environment.advanced_settings.get(number)


def _unknown_operator(request: dict[str, Any]) -> str:
    """S&S's words for an operator number it does not know (that of the file is the one it has)."""
    return f"Operator '{request.get('OperatorNumber')}' not found"


def _rtdr(context: Context, request: dict[str, Any]) -> Answer:
    scenarios = context.sandbox.scenarios
    if "rtdr-hang" in scenarios:
        context.sandbox.stopping.wait(HANG_LIMIT)
        return 503, "text/plain", "gave up"
    if "rtdr-500" in scenarios:
        return 500, "text/html", "<html><body>Internal Server Error</body></html>"
    if rtdr.request_type(request) != "ACCOUNTSUMMARIESBYACCOUNTIDS":
        return _json(400, {"Error": "unknown or missing SystemsAndSoftware.RTDRRequest"})
    if not _matches(_setting(context, "12"), request.get("OperatorNumber")):
        return _json(403, {"Error": _unknown_operator(request)})
    asked = [a for a in request.get("AccountIds", []) if isinstance(a, str)]
    known = [a for a in asked if a in context.environment.test_accounts]
    summaries: list[dict[str, Any]] = [
        {
            "AccountId": account,
            "CustomerName": f"Test customer {account}",
            "AmountDue": f"{int(account) % 9000 / 100 + 10:.2f}" if account.isdigit() else "10.00",
            "DueDate": "2026-12-15",
            "LastPaymentDate": None,
        }
        for account in known
    ]
    if "rtdr-other-accounts" in scenarios:
        summaries.append(
            {"AccountId": MISPRINT_ACCOUNT, "AmountDue": "5.00", "DueDate": "2026-12-15"}
        )
    if "rtdr-duplicate-account" in scenarios and summaries:
        summaries.append(dict(summaries[0]))
    if "rtdr-float-amounts" in scenarios:
        for summary in summaries:
            summary["AmountDue"] = float(summary["AmountDue"])
    body = json.dumps(
        {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "AccountSummaries": summaries}
    )
    if "rtdr-malformed-json" in scenarios:
        body = body[: len(body) // 2]
    return 200, "application/json", body


def _datapump(context: Context, request: dict[str, Any]) -> Answer:
    kind = request.get("Kind")
    ack = {
        "TransmissionId": request.get("TransmissionId", ""),
        "Kind": kind,
        "AccountId": request.get("AccountId", ""),
        "Status": "ACCEPTED",
    }
    codes = {t.code for t in context.biller.tender_types if t.code}
    reason = None
    if not _matches(_setting(context, "12"), request.get("OperatorNumber")):
        reason = _unknown_operator(request)
    elif request.get("AccountId") not in context.environment.test_accounts:
        reason = f"account {request.get('AccountId')} is not a test account of this environment"
    elif kind in ("Payment", "Autopay") and request.get("TenderCode") not in codes:
        reason = f"tender code {request.get('TenderCode')} is not configured"
    elif kind == "Autopay" and "datapump-rejects-autopay" in context.sandbox.scenarios:
        reason = "autopay enrollment is not enabled for this operator"
    if reason:
        ack |= {"Status": "REJECTED", "Reason": reason}
    if "datapump-ack-mismatch" in context.sandbox.scenarios:
        ack["TransmissionId"] = "SNS-000000"
    return _json(200, ack)


def _login(context: Context, request: dict[str, Any]) -> Answer:
    credentials = context.environment.credentials
    expected = {
        "ClientId": _setting(context, payconnect.CLIENT_SETTING),
        "ClientSecret": _setting(context, payconnect.SECRET_SETTING),
        "AuthMode": _setting(context, payconnect.MODE_SETTING),
        "Username": credentials.get("username"),
        "Password": credentials.get("password"),
    }
    wrong = [field for field, value in expected.items() if not _matches(value, request.get(field))]
    if wrong:
        return _json(401, {"Error": f"login refused: {', '.join(wrong)} not accepted"})
    scenarios = context.sandbox.scenarios
    token1 = secrets.token_urlsafe(18)
    token2 = token1 if "tokens-equal" in scenarios else secrets.token_urlsafe(18)
    with context.sandbox.tokens_lock:
        context.sandbox.tokens[token1] = token2
    answer: dict[str, Any] = {"Token1": token1, "Token2": token2}
    if "token2-missing" in scenarios:
        del answer["Token2"]
    return _json(200, answer)


def _validate(context: Context, request: dict[str, Any]) -> Answer:
    with context.sandbox.tokens_lock:
        issued = context.sandbox.tokens.get(str(request.get("Token1")))
    scenarios = context.sandbox.scenarios
    if "tokens-not-accepted" in scenarios or issued != request.get("Token2"):
        return _json(200, {"Accepted": False, "Reason": "Token1/Token2 not recognised"})
    answer: dict[str, Any] = {"Accepted": True}
    if request.get("SyncRegisteredAccounts") and "accounts-not-synced" not in scenarios:
        answer["RegisteredAccounts"] = list(context.environment.test_accounts)
    return _json(200, answer)


def _authorized(context: Context) -> bool:
    credentials = context.environment.credentials
    username = _value(credentials.get("username"))
    password = _value(credentials.get("password"))
    if username is None or password is None:
        return True
    scheme, _, encoded = context.authorization.partition(" ")
    try:
        given = base64.b64decode(encoded, validate=True)
    except ValueError:
        return False
    # RFC 7617 sends UTF-8; requests sends text credentials as ISO-8859-1: accept either
    expected = f"{username}:{password}"
    accepted = {expected.encode()}
    with contextlib.suppress(UnicodeEncodeError):
        accepted.add(expected.encode("latin-1"))
    return scheme.lower() == "basic" and given in accepted


def _settings(context: Context, _: dict[str, Any]) -> Answer:
    if not _authorized(context):
        return _json(401, {"Error": "portal login refused"})
    settings = {
        n: _value(v) if _value(v) is not None else "sandbox-unset-secret"
        for n, v in context.environment.advanced_settings.items()
    }
    options = dict(context.environment.options)
    scenarios = context.sandbox.scenarios
    if "setting-drift" in scenarios and "127" in options:
        options["127"] = False
    if "endpoint-drift" in scenarios and rtdr.CIS_SETTING in settings:
        other = "production" if context.environment.name == "test" else "test"
        elsewhere = context.biller.environment(other).endpoints.get("cis_service")
        if elsewhere:
            settings[rtdr.CIS_SETTING] = elsewhere
    if "operator-drift" in scenarios and isinstance(settings.get("12"), str):
        settings["12"] = _next_operator(str(settings["12"]))
    secret = payconnect.SECRET_SETTING
    if "secret-drift" in scenarios and isinstance(settings.get(secret), str):
        settings[secret] = (
            "rotated-" + hashlib.sha256(str(settings[secret]).encode()).hexdigest()[:16]
        )
    if "setting-131-spacing" in scenarios and isinstance(settings.get("131"), str):
        settings["131"] = _respaced(str(settings["131"]))
    if context.environment.name == "production":
        if "production-option-127" in scenarios and "127" in options:
            options["127"] = False
        test_cis = context.biller.environment("test").endpoints.get("cis_service")
        if "production-cis-is-test" in scenarios and test_cis and rtdr.CIS_SETTING in settings:
            settings[rtdr.CIS_SETTING] = test_cis
    return _json(200, {"AdvancedSettings": settings, "Options": options})


def _next_operator(number: str) -> str:
    """Another operator number of the same width: 0417 -> 0418."""
    return str(int(number) + 1).zfill(len(number)) if number.isdigit() else number + "1"


def _respaced(text: str) -> str:
    """The same JSON written without spaces (the text unchanged when it is not JSON)."""
    try:
        return json.dumps(json.loads(text), separators=(",", ":"))
    except ValueError:
        return text


def _login_page(context: Context, _: dict[str, Any]) -> Answer:
    """Where signin-redirect sends a visitor: a page that asks to sign in."""
    return _html(f"<html><body><h1>{context.biller.name}</h1>Sign in</body></html>")


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _html(text: str) -> Answer:
    return 200, "text/html; charset=utf-8", text


def _sign_in_form(context: Context, _: dict[str, Any]) -> Answer | Headed:
    scenarios = context.sandbox.scenarios
    if "sign-in-off-host" in scenarios:
        cis = context.environment.endpoints.get("cis_service") or ""
        return 302, "text/plain", "", {"Location": portal.sign_in_url(cis)}
    hostile = next((name for name in pages.HOSTILE_SIGN_INS if name in scenarios), "")
    collector = f"https://{context.sandbox.collector}" if context.sandbox.collector else ""
    return _html(pages.sign_in_form(context.biller, hostile=hostile, collector=collector))


def _foreign_form(context: Context, _: dict[str, Any]) -> Answer:
    """A sign-in form on a host that is not the portal's: the browser must not type into it."""
    return _html(pages.sign_in_form(context.biller, "(not the portal's own host)"))


def _sign_in(context: Context, form: dict[str, Any]) -> Answer | Headed:
    credentials = context.environment.credentials
    accepted = _matches(credentials.get("username"), form.get("username")) and _matches(
        credentials.get("password"), form.get("password")
    )
    if not accepted or "sign-in-refused" in context.sandbox.scenarios:
        return _html(pages.sign_in_form(context.biller, "The user name or password is wrong."))
    session = secrets.token_urlsafe(18)
    with context.sandbox.tokens_lock:
        context.sandbox.sessions[session] = (context.biller.id, context.environment.name)
        context.sandbox.sign_ins.append((context.biller.id, context.environment.name))
    cookie = f"{SESSION_COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Lax"
    return 303, "text/plain", "", {"Location": "/", "Set-Cookie": cookie}


def _landing(context: Context, _: dict[str, Any]) -> Answer:
    return _html(pages.landing(context.biller, context.signed_in))


def _codes_on(context: Context) -> list[CustomCode]:
    codes = list(context.biller.custom_code)
    if "custom-code-missing" in context.sandbox.scenarios:
        codes = codes[1:]
    return [c for c in codes if "/" + c.page.strip("/") == context.path]


def _page(context: Context, _: dict[str, Any]) -> Answer:
    scenarios = context.sandbox.scenarios
    how = (
        "script"
        if "custom-code-by-script" in scenarios
        else "comment"
        if "custom-code-in-comment" in scenarios
        else "elsewhere"
        if "custom-code-off-portal" in scenarios
        else "markup"
    )
    frames = [
        f
        for f in context.biller.capricorn_iframes
        if f.page and "/" + f.page.strip("/") == context.path
    ]
    codes = _codes_on(context)
    if "page-500" in scenarios and codes:
        return 500, "text/html", pages.error_page(500, "Runtime Error")
    collector = context.sandbox.collector
    page = pages.portal_page(
        context.biller,
        context.path,
        codes,
        frames,
        how=how,
        signed_in=context.signed_in,
        frames_by_script="iframe-by-script" in scenarios,
        polling="never-idle" in scenarios,
        elsewhere=collector_script(collector, context.biller.id, context.environment.name)
        if collector
        else "",
    )
    return _html(page)


def collector_script(collector: str, biller: str, environment: str) -> str:
    """The URL of the script custom-code-off-portal loads from the collector's host."""
    return f"https://{collector}/{biller}/{environment}/custom-code.js"


def _elsewhere(context: Context, _: dict[str, Any]) -> Answer:
    """The script another host serves that adds the custom code (custom-code-off-portal)."""
    codes = [c for c in context.biller.custom_code]
    return 200, "text/javascript", pages.elsewhere_script(codes)


def _poll(context: Context, _: dict[str, Any]) -> Answer:
    """What the never-idle chat widget asks, again and again."""
    return _json(200, {"Messages": []})


def _injected(context: Context, _: dict[str, Any]) -> Answer:
    """What a page's script fetches after load (custom-code-by-script)."""
    page = context.path.removeprefix(pages.ASSETS)
    codes = [c for c in _codes_on(dataclasses.replace(context, path=page))]
    return _html(pages.injected(codes))


def _iframe(context: Context, _: dict[str, Any]) -> Answer:
    frames = context.biller.capricorn_iframes
    scenarios = context.sandbox.scenarios
    first = frames[0] if frames and _is_frame(context, frames[0]) else None
    if first is not None and "slow-iframe" in scenarios:
        context.sandbox.stopping.wait(first.max_seconds + 0.25)
    if first is not None and "iframe-404" in scenarios:
        return 404, "text/html", pages.error_page(404, "Not Found")
    if first is not None and "iframe-500" in scenarios:
        return 500, "text/html", pages.error_page(500, "Runtime Error")
    frame = next((f for f in frames if _is_frame(context, f)), None)
    if frame is None:
        return _html("<html><body>Capricorn</body></html>")
    return _html(pages.frame_document(frame))


def _is_frame(context: Context, frame: Iframe) -> bool:
    """Whether the request is for this iFrame: its host (the portal's, or its own) and path."""
    url = urlsplit(frame.url(context.environment.portal or ""))
    return (_netloc(url.netloc), url.path.rstrip("/") or "/") == (context.host, context.path)
