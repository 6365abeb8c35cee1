"""HTTP for the network rules: one session per run, TLS always on, and every call bounded.

A call has a deadline for the whole of it (connect, TLS, headers and body: `--call-deadline`)
besides the connect and read timeouts, and a cap on the size of its answer
(`--max-answer-bytes`); the answer is streamed and the reading stops at either. Reads are
retried on 502/503/504 and a connection that failed before anything was sent is tried again,
but a call waits at most RETRY_WAIT_LIMIT seconds in all for its retries: a Retry-After longer
than that is not waited for, the answer is judged at once. A redirect is not taken as the
answer: GETs follow it on the same host only to name where it leads (a loop, a sign-in page),
and the rule says so. A host that timed out or refused a connection is remembered in the run's
`DeadHosts`, so that later calls to it fail at once (clients/hosts.py).
"""

from __future__ import annotations

import atexit
import json
import logging
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin

import certifi
import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError

from conversion_qa import __version__
from conversion_qa.clients.bounded import (
    BoundedHTTPConnectionPool,
    Budget,
    tls_context,
    within,
)
from conversion_qa.clients.connections import CONNECTIONS
from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import scrub
from conversion_qa.contract import bounded_json
from conversion_qa.errors import ServiceError, Unanswered, UnsendableURL
from conversion_qa.target import Target, target_of

USER_AGENT = f"conversion-qa/{__version__}"
EVIDENCE_LIMIT = 600  # characters of a body shown as evidence with a failure
# Keys whose values are never shown as evidence, whatever their value.
SECRET_KEYS = frozenset({"Token1", "Token2", "ClientSecret", "Password", "Authorization"})

MAX_REDIRECTS = 5  # hops a GET's redirect is followed (same host only) to name where it leads
RETRY_WAIT_LIMIT = 3.0  # seconds one call may wait in all before its retries
RETRY_STATUSES = frozenset({502, 503, 504})
READS = frozenset({"GET", "HEAD"})  # retried on RETRY_STATUSES; a write is never repeated
BACKOFF = 0.2  # seconds before the first retry, doubling
CHUNK = 64 * 1024
# Where a call that got no answer sends its reader: the network first, then the service.
REACH = (
    "check this machine is online (and on the VPN, if the service needs it) and that the "
    "service is up; public-dns and endpoint-tls tell whether its host can be reached"
)

HostPort = tuple[str, int]


@dataclass(frozen=True)
class HttpOptions:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    call_deadline: float = 30.0  # the whole call: connect, TLS, headers and body
    max_answer_bytes: int = 5 * 1024 * 1024
    ca_bundle: Path | None = None
    # curl --resolve: (host, port) -> (address, port); names, SNI and certificate checks stay
    resolve: Mapping[HostPort, HostPort] = field(default_factory=dict)
    retries: int = 2


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as evidence for a failure."""

    method: str
    url: str
    request_body: str | None
    status: int
    content_type: str
    body: str
    seconds: float
    location: str = ""  # a redirect's Location, as sent
    retry_after: str = ""  # the Retry-After header, as sent
    # a redirect's chain, absolute URLs, the Location first (GETs follow it on the same host)
    redirects: tuple[str, ...] = ()

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not, TooDeep when nested too deep."""
        return bounded_json.loads(self.body)

    def evidence(self) -> str:
        """The exchange trimmed, with token and secret fields redacted and known secrets
        scrubbed before trimming (a secret cut in two could no longer be recognised)."""
        sent = _redacted(self.request_body) if self.request_body else "(no body)"
        headers = "".join(
            f" ({name}: {value})"
            for name, value in (("Location", self.location), ("Retry-After", self.retry_after))
            if value
        )
        return (
            f"{self.method} {self.url}\n  sent:     {_trim(scrub(sent))}\n"
            f"  answered: HTTP {self.status}{headers} in {self.seconds:.2f} s: "
            f"{_trim(scrub(_redacted(self.body)))}"
        )


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_LIMIT else text[:EVIDENCE_LIMIT] + " …(trimmed)"


def _redacted(text: str) -> str:
    try:
        document = bounded_json.loads(text)
    except ValueError:
        return text
    return json.dumps(redact_keys(document, lambda key, _: f"«{key}»"), ensure_ascii=False)


def redact_keys(document: Any, replacement: Callable[[str, Any], str]) -> Any:
    """The JSON document with the value of every secret key replaced."""
    if isinstance(document, dict):
        return {
            k: replacement(k, v) if k in SECRET_KEYS and v else redact_keys(v, replacement)
            for k, v in document.items()
        }
    if isinstance(document, list):
        return [redact_keys(v, replacement) for v in document]
    return document


class Caller(Protocol):
    """What a service's client sends through: a live call, or a replay of a recorded one."""

    live: bool

    def send(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        auth: tuple[str, str] | None = None,
        write: bool = False,  # the contract marks the call as a write to S&S
    ) -> Exchange: ...

    def value(self, setting: SettingValue | None) -> str:
        """What goes on the wire for a setting: a secret's value live, a placeholder offline."""
        ...


class ResolvingAdapter(HTTPAdapter):
    """Connects (host, port) to another address, like curl --resolve, keeping SNI, Host and the
    certificate's host name check on the original name, so TLS is exercised for real.

    Its connections keep the call's deadline (clients/bounded.py): TLS ones through the run's
    one SSL context, which trusts the run's CA bundle, plain ones through their pool's class.
    """

    def __init__(
        self, resolve: Mapping[HostPort, HostPort], tls: ssl.SSLContext, **kwargs: Any
    ) -> None:
        self.resolve = dict(resolve)
        self.tls = tls
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": BoundedHTTPConnectionPool,
            "https": HTTPSConnectionPool,
        }

    def build_connection_pool_key_attributes(
        self,
        request: requests.PreparedRequest,
        verify: bool | str,
        cert: tuple[str, str] | str | None = None,
    ) -> tuple[Any, Any]:  # requests' own TypedDicts, extended
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if host_params["scheme"] == "https":  # the context already trusts the bundle
            pool_kwargs.pop("ca_certs", None)
            pool_kwargs.pop("ca_cert_dir", None)
            pool_kwargs["ssl_context"] = self.tls
            pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
        return host_params, pool_kwargs

    def cert_verify(
        self, conn: Any, url: str, verify: bool | str, cert: tuple[str, str] | str | None
    ) -> None:
        super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
        if url.lower().startswith("https"):  # verified against the context, never switched off
            conn.cert_reqs = "CERT_REQUIRED"
            conn.ca_certs = None
            conn.ca_cert_dir = None

    def _target(self, url: str) -> tuple[Target, HostPort] | None:
        try:
            target = target_of(url)
        except UnsendableURL as error:  # send() refuses these first; never connect one
            raise requests.exceptions.InvalidURL(error.what) from None
        mapped = self.resolve.get((target.host, target.port))
        return (target, mapped) if mapped else None

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: tuple[str, str] | str | None = None,
    ) -> HTTPConnectionPool:
        mapped = self._target(request.url or "")
        if mapped is None:
            return super().get_connection_with_tls_context(  # type: ignore[return-value]
                request, verify, proxies, cert
            )
        target, (address, port) = mapped
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(
            request, True if verify is None else verify, cert
        )
        extra: dict[str, Any] = dict(pool_kwargs)
        if host_params["scheme"] == "https":
            extra |= {"server_hostname": target.host, "assert_hostname": target.host}
        pool = self.poolmanager.connection_from_host(
            host=address, port=port, scheme=host_params["scheme"], pool_kwargs=extra
        )
        assert isinstance(pool, HTTPConnectionPool)
        return pool

    def add_headers(self, request: requests.PreparedRequest, **kwargs: Any) -> None:
        mapped = self._target(request.url or "")
        if mapped is not None:
            request.headers["Host"] = mapped[0].authority
        super().add_headers(request, **kwargs)


_bundles: dict[Path, str] = {}
_bundles_lock = threading.Lock()


def trusted_bundle(extra: Path | None) -> str | bool:
    """The system CAs plus an extra CA file, if given: verification is never switched off."""
    if extra is None:
        return True
    with _bundles_lock:
        if extra not in _bundles:
            combined = Path(certifi.where()).read_text() + "\n" + extra.read_text()
            with tempfile.NamedTemporaryFile(
                "w", prefix="conversion-qa-ca-", suffix=".pem", delete=False
            ) as handle:
                handle.write(combined)
            atexit.register(_remove, Path(handle.name))  # the run's own file: gone with it
            _bundles[extra] = handle.name
        return _bundles[extra]


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def make_session(options: HttpOptions) -> requests.Session:
    """The run's one session: user agent, TLS verification, connections that keep deadlines.

    urllib3 retries nothing (send() does, within its bounds) and follows no redirect."""
    # each retry is told in the failure itself; urllib3's warnings would repeat it in every report
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    bundle = trusted_bundle(options.ca_bundle)
    session.verify = bundle
    session.trust_env = False  # a proxy or REQUESTS_CA_BUNDLE from the shell must not reroute
    context = tls_context(bundle if isinstance(bundle, str) else certifi.where())
    adapter = ResolvingAdapter(options.resolve, context, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def send(
    session: requests.Session,
    options: HttpOptions,
    method: str,
    url: str,
    *,
    json_body: Any = None,
    auth: tuple[str, str] | None = None,
    hosts: DeadHosts | None = None,
    asking: str = "",
    follow: bool = True,
) -> Exchange:
    """One call within the run's bounds. No answer (a host that is down or too slow, TLS, the
    deadline) raises `Unanswered`, which leaves the rule not checked; an answer too large or
    one that breaks HTTP raises a ServiceError, which fails it; both have their parts as
    fields. Any HTTP status is an answer: the rule judges it (clients/status.py says what each
    class means).

    hosts: the run's dead hosts, asked first and told of a timeout or a refused connection;
    asking: the test that calls, cited when its failure is the host's first; follow: name
    where a GET's redirect leads (off when replaying a recording, which holds the chain).
    """
    try:
        target = target_of(url)  # where it would connect; a URL read two ways is never sent
    except UnsendableURL as error:
        where = f"{method} {url}"
        raise type(error)(url, f"{error.problem}; it was not sent", where) from None
    body = json.dumps(json_body) if json_body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if hosts is not None:
        hosts.check(method, url, target)
    call = _Call(session, options, method, url, target, body, headers, auth)
    started = time.perf_counter()
    try:
        answer = call.with_retries()
        redirects = call.redirects(answer) if follow else ()
    except _CallFailed as unanswered:
        if unanswered.host_dead and hosts is not None:
            hosts.remember(target, asking, unanswered.error.what)
        raise unanswered.error from None
    finally:  # where its requests went, answered or not (a replay's went nowhere)
        for address in call.budget.reached:
            CONNECTIONS.record(target.host, address)
    return Exchange(
        method=method,
        url=url,
        request_body=body,
        status=answer.status,
        content_type=answer.headers.get("Content-Type", ""),
        body=answer.text(),
        seconds=time.perf_counter() - started,
        location=answer.headers.get("Location", "") if _is_redirect(answer.status) else "",
        retry_after=answer.headers.get("Retry-After", ""),
        redirects=redirects,
    )


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Retry-After in seconds (delay-seconds or an HTTP date), None when it is not readable."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_redirect(status: int) -> bool:
    return 300 <= status < 400


def _same_origin(url: str, other: str) -> bool:
    try:
        return target_of(url) == target_of(other)
    except UnsendableURL:  # a Location read two ways (or no URL at all) is never followed
        return False


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Mapping[str, str]
    content: bytes
    encoding: str | None

    def text(self) -> str:
        try:
            return self.content.decode(self.encoding or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", errors="replace")


class _CallFailed(Exception):
    """A call that got no answer (or one too large to read): its error, and whether its host is
    to be taken as dead."""

    def __init__(self, error: ServiceError, *, host_dead: bool, retryable: bool = False) -> None:
        super().__init__(error.what)
        self.error = error
        self.host_dead = host_dead
        self.retryable = retryable  # nothing was sent: trying again repeats nothing


@dataclass
class _Call:
    """One call to a URL: its attempts, retries and redirect hops share one deadline."""

    session: requests.Session
    options: HttpOptions
    method: str
    url: str
    target: Target  # where url connects; a redirect is followed only to the same target
    body: str | None
    headers: dict[str, str]
    auth: tuple[str, str] | None
    budget: Budget = field(init=False)
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.budget = Budget(self.started + self.options.call_deadline)

    def with_retries(self) -> _Answer:
        attempt, waited = 0, 0.0
        while True:
            delay = BACKOFF * 2**attempt
            try:
                answer = self._attempt(self.url)
            except _CallFailed as unanswered:
                last_try = attempt >= self.options.retries
                if not unanswered.retryable or last_try or not self._may_wait(delay, waited):
                    raise
            else:
                retried = self.method in READS and answer.status in RETRY_STATUSES
                if not retried or attempt >= self.options.retries:
                    return answer
                asked = retry_after_seconds(answer.headers.get("Retry-After", ""))
                delay = delay if asked is None else asked
                if not self._may_wait(delay, waited):
                    return answer  # a long Retry-After is told at once, never waited for
            time.sleep(delay)
            waited += delay
            attempt += 1

    def _may_wait(self, delay: float, waited: float) -> bool:
        return waited + delay <= RETRY_WAIT_LIMIT and delay < self.budget.left()

    def redirects(self, answer: _Answer) -> tuple[str, ...]:
        """Where a redirect leads: its Location, then (GETs, same host) the hops after it,
        until an answer that is not a redirect, a loop, another host or MAX_REDIRECTS."""
        location = answer.headers.get("Location")
        if not (_is_redirect(answer.status) and location):
            return ()
        chain = [urljoin(self.url, location)]
        if self.method not in READS:
            return tuple(chain)
        seen = {self.url}
        while len(chain) <= MAX_REDIRECTS:
            here = chain[-1]
            if here in seen or not _same_origin(here, self.url):
                break
            seen.add(here)
            hop = self._attempt(here)
            following = hop.headers.get("Location")
            if not (_is_redirect(hop.status) and following):
                break
            chain.append(urljoin(here, following))
        return tuple(chain)

    def _attempt(self, url: str) -> _Answer:
        left = self.budget.left()
        if left <= 0:
            raise _CallFailed(self._deadline(url, "before it could be sent"), host_dead=False)
        timeout = (min(self.options.connect_timeout, left), min(self.options.read_timeout, left))
        with within(self.budget):
            try:
                response = self.session.request(
                    self.method,
                    url,
                    data=self.body,
                    headers=self.headers,
                    # UTF-8, as RFC 7617 recommends (requests would encode text as Latin-1,
                    # and fail on a character outside it such as €)
                    auth=_basic(self.auth),
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                )
            except requests.exceptions.RequestException as error:
                raise self._unanswered(error, url) from None
            try:
                content = self._read(response, url)
            finally:
                response.close()
        return _Answer(response.status_code, response.headers, content, response.encoding)

    def _read(self, response: requests.Response, url: str) -> bytes:
        """The body, streamed: stops at the cap on its size, and at the deadline."""
        cap = self.options.max_answer_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _CallFailed(self._too_large(url, 0, int(declared)), host_dead=False)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise _CallFailed(self._too_large(url, size, None), host_dead=False)
                chunks.append(chunk)
                if self.budget.passed():
                    raise _CallFailed(self._deadline(url, "while its body arrived"), host_dead=True)
        except requests.exceptions.RequestException as error:
            raise self._unanswered(error, url) from None
        return b"".join(chunks)

    # what went wrong, as a ServiceError ----------------------------------------------------

    def _unanswered(self, error: Exception, url: str) -> _CallFailed:
        if self.budget.passed():
            return _CallFailed(self._deadline(url, "before the whole answer"), host_dead=True)
        where = f"{self.method} {url}"
        options = self.options
        if isinstance(error, requests.exceptions.ConnectTimeout):
            return _CallFailed(
                Unanswered(
                    f"{where}: no connection within {options.connect_timeout:g} s "
                    "(--connect-timeout); check the host is reachable from here",
                    url=url,
                    expected=f"a connection within {options.connect_timeout:g} s "
                    "(--connect-timeout)",
                    found="no connection: the host did not accept one in time",
                    where=where,
                    fix=f"{REACH}; if the service is only slow, raise --connect-timeout",
                ),
                host_dead=True,
            )
        if _timed_out(error):
            return _CallFailed(
                Unanswered(
                    f"{where}: no answer within {options.read_timeout:g} s (--read-timeout); "
                    "the service accepted the connection but did not answer",
                    url=url,
                    expected=f"an answer within {options.read_timeout:g} s (--read-timeout)",
                    found=f"the connection was accepted; then nothing arrived for "
                    f"{options.read_timeout:g} s ({_arrived(self.budget.received)} in all)",
                    where=where,
                    fix="ask whoever runs the service whether it is hung; if it is only slow, "
                    "raise --read-timeout (ini read_timeout)",
                ),
                host_dead=True,
            )
        if isinstance(error, requests.exceptions.SSLError):
            return _CallFailed(
                Unanswered(
                    f"{where}: TLS failed ({_reason(error)}); see endpoint-tls, or give the CA "
                    "with --ca-bundle",
                    url=url,
                    expected="a TLS connection whose certificate verifies for the host",
                    found=f"TLS failed: {_reason(error)}",
                    where=where,
                    fix="see endpoint-tls for the certificate, or give the CA with --ca-bundle",
                ),
                host_dead=False,
            )
        if isinstance(error, requests.exceptions.ConnectionError):
            cause = _cause(error)
            retryable = isinstance(cause, NewConnectionError) and not isinstance(
                cause, NameResolutionError
            )
            if _no_such_name(error):  # the resolver answered: the name is not in DNS
                return _CallFailed(
                    ServiceError(
                        f"{where}: the host name does not exist in DNS; check the URL and the "
                        "public DNS record (see public-dns)",
                        expected="a host name with a DNS record",
                        found=f"could not connect: {_reason(error)}",
                        where=where,
                        fix="check the URL; if it is right, ask S&S for the public DNS record "
                        "(public-dns says what DNS answers)",
                    ),
                    host_dead=False,
                )
            return _CallFailed(
                Unanswered(
                    f"{where}: could not connect ({_reason(error)})",
                    url=url,
                    expected="a connection to the service",
                    found=f"could not connect: {_reason(error)}",
                    where=where,
                    fix=REACH,
                ),
                host_dead=_refused(error),
                retryable=retryable,
            )
        # a malformed URL, an answer that breaks HTTP
        return _CallFailed(
            ServiceError(
                f"{where}: the request failed ({_reason(error)})",
                expected="an HTTP answer",
                found=f"the request failed: {_reason(error)}",
                where=where,
                fix="check the URL; if it is right, the evidence shows what the service sent",
            ),
            host_dead=False,
        )

    def _deadline(self, url: str, when: str) -> Unanswered:
        where = f"{self.method} {url}"
        deadline = self.options.call_deadline
        elapsed = time.monotonic() - self.started
        return Unanswered(
            f"{where}: the answer did not arrive whole within the call deadline of "
            f"{deadline:g} s (--call-deadline); the call was cut off {when}",
            url=url,
            expected=f"the whole answer within {deadline:g} s (--call-deadline)",
            found=f"{_arrived(self.budget.received)} arrived in {elapsed:.1f} s, then the call "
            "was cut off",
            where=where,
            fix="a service this slow holds a weekend run: ask whoever runs it why it answers "
            "so slowly; if it is only slow, raise --call-deadline (ini call_deadline)",
        )

    def _too_large(self, url: str, read: int, declared: int | None) -> ServiceError:
        where = f"{self.method} {url}"
        cap = self.options.max_answer_bytes
        found = (
            f"the answer announced {declared:,} bytes (Content-Length); none of it was read"
            if declared is not None
            else f"more than {cap:,} bytes arrived ({read:,} read); the rest was not read"
        )
        return ServiceError(
            f"{where}: the answer is larger than {_size(cap)} (--max-answer-bytes)",
            expected=f"an answer of at most {cap:,} bytes (--max-answer-bytes)",
            found=found,
            where=where,
            fix="an answer this large is not what the contract describes (docs/contract.md); "
            "if the service really answers that much, raise --max-answer-bytes "
            "(ini max_answer_bytes)",
        )


def _arrived(received: int) -> str:
    return "nothing" if received == 0 else "1 byte" if received == 1 else f"{received:,} bytes"


def _size(count: int) -> str:
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count:,} bytes"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and what caused it, through urllib3's and requests' wrappers."""
    found: list[BaseException] = []
    todo: list[object] = [error]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or item in found:
            continue
        found.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None)]
        todo += list(item.args[:1])
    return found


def _timed_out(error: Exception) -> bool:
    if isinstance(error, requests.exceptions.Timeout):
        return True
    return any(isinstance(e, TimeoutError) for e in _chain(error)) or "timed out" in str(error)


def _refused(error: Exception) -> bool:
    return any(isinstance(e, ConnectionRefusedError) for e in _chain(error))


# getaddrinfo's "the name does not exist": the resolver answered. Any other failure to look a
# name up (EAI_AGAIN: no resolver answered in time) says nothing about the name.
_NO_SUCH_NAME = {
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
}


def _no_such_name(error: Exception) -> bool:
    return any(isinstance(e, socket.gaierror) and e.errno in _NO_SUCH_NAME for e in _chain(error))


def _cause(error: Exception) -> object:
    cause: object = error.args[0] if error.args else error
    return getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps the last failure


def prepared(method: str, url: str) -> requests.PreparedRequest:
    """The request as it would go out; a URL no client could send is the biller file's problem,
    a ServiceError that says so (never a traceback)."""
    try:
        return requests.Request(method, url).prepare()
    except (requests.exceptions.RequestException, ValueError) as error:
        raise ServiceError(
            f"{method} {url}: not a valid URL ({error})",
            fix="correct the URL in the biller file",
            expected="a valid https URL",
            found=url,
            where=f"{method} {url}",
        ) from None


def _basic(auth: tuple[str, str] | None) -> HTTPBasicAuth | None:
    return HTTPBasicAuth(auth[0].encode("utf-8"), auth[1].encode("utf-8")) if auth else None


def _reason(error: Exception) -> str:
    """The root cause in a few words, not urllib3's nested retry report."""
    cause = _cause(error)
    if isinstance(cause, NameResolutionError):
        if _no_such_name(error):
            return "the host name does not exist in DNS"
        return "the host name could not be looked up: no resolver answered"
    if isinstance(cause, NewConnectionError):
        return str(cause).rsplit(": ", 1)[-1]
    text = str(cause)
    return text if len(text) <= 200 else text[:200] + "…"
