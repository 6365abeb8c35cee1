"""HTTP for the network rules: one session per run, timeouts, retries for reads, TLS always on."""

from __future__ import annotations

import atexit
import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import certifi
import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError
from urllib3.util.retry import Retry

from conversion_qa import __version__
from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import scrub
from conversion_qa.errors import ServiceError

USER_AGENT = f"conversion-qa/{__version__}"
EVIDENCE_LIMIT = 600  # characters of a body shown as evidence with a failure
# Keys whose values are never shown as evidence, whatever their value.
SECRET_KEYS = frozenset({"Token1", "Token2", "ClientSecret", "Password", "Authorization"})

HostPort = tuple[str, int]


@dataclass(frozen=True)
class HttpOptions:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
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

    def json(self) -> Any:
        return json.loads(self.body)

    def evidence(self) -> str:
        """The exchange trimmed, with token and secret fields redacted and known secrets
        scrubbed before trimming (a secret cut in two could no longer be recognised)."""
        sent = _redacted(self.request_body) if self.request_body else "(no body)"
        answered = _trim(scrub(_redacted(self.body)))
        return (
            f"{self.method} {self.url}\n  sent:     {_trim(scrub(sent))}\n"
            f"  answered: HTTP {self.status} in {self.seconds:.2f} s: {answered}"
        )


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_LIMIT else text[:EVIDENCE_LIMIT] + " …(trimmed)"


def _redacted(text: str) -> str:
    try:
        document = json.loads(text)
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
    certificate's host name check on the original name, so TLS is exercised for real."""

    def __init__(self, resolve: Mapping[HostPort, HostPort], **kwargs: Any) -> None:
        self.resolve = dict(resolve)
        super().__init__(**kwargs)

    def _target(self, url: str) -> tuple[str, HostPort] | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = self.resolve.get((host, port))
        return (host, target) if target else None

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
        host, (address, port) = mapped
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(
            request, True if verify is None else verify, cert
        )
        extra: dict[str, Any] = dict(pool_kwargs)
        if host_params["scheme"] == "https":
            extra |= {"server_hostname": host, "assert_hostname": host}
        pool = self.poolmanager.connection_from_host(
            host=address, port=port, scheme=host_params["scheme"], pool_kwargs=extra
        )
        assert isinstance(pool, HTTPConnectionPool)
        return pool

    def add_headers(self, request: requests.PreparedRequest, **kwargs: Any) -> None:
        if self._target(request.url or "") is not None:
            request.headers["Host"] = urlsplit(request.url or "").netloc
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
    """The run's one session: user agent, TLS verification, retries for idempotent reads."""
    # each retry is told in the failure itself; urllib3's warnings would repeat it in every report
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.verify = trusted_bundle(options.ca_bundle)
    session.trust_env = False  # a proxy or REQUESTS_CA_BUNDLE from the shell must not reroute
    retry = Retry(
        total=options.retries,
        connect=options.retries,
        read=0,  # a read timeout already cost its full timeout: do not pay it again
        other=0,  # a TLS failure will not heal by retrying
        status=options.retries,
        backoff_factor=0.2,
        allowed_methods=frozenset({"GET", "HEAD"}),  # never repeat a write
        status_forcelist=(502, 503, 504),
        raise_on_status=False,
    )
    adapter = ResolvingAdapter(options.resolve, max_retries=retry)
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
) -> Exchange:
    """One call with the run's timeouts; unreachable or too slow becomes a ServiceError."""
    body = json.dumps(json_body) if json_body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    started = time.perf_counter()
    try:
        response = session.request(
            method,
            url,
            data=body,
            headers=headers,
            # UTF-8, as RFC 7617 recommends (requests would encode text as Latin-1 and fail on €)
            auth=HTTPBasicAuth(auth[0].encode("utf-8"), auth[1].encode("utf-8")) if auth else None,
            timeout=(options.connect_timeout, options.read_timeout),
            allow_redirects=False,
        )
    except requests.exceptions.ConnectTimeout:
        raise ServiceError(
            f"{method} {url}: no connection within {options.connect_timeout:g} s "
            "(--connect-timeout); check the host is reachable from here"
        ) from None
    except requests.exceptions.ReadTimeout:
        raise ServiceError(
            f"{method} {url}: no answer within {options.read_timeout:g} s (--read-timeout); "
            "the service accepted the connection but did not answer"
        ) from None
    except requests.exceptions.SSLError as error:
        raise ServiceError(
            f"{method} {url}: TLS failed ({_reason(error)}); see endpoint-tls, or give the CA "
            "with --ca-bundle"
        ) from None
    except requests.exceptions.ConnectionError as error:
        raise ServiceError(
            f"{method} {url}: could not connect ({_reason(error)}); check the URL, the public "
            "DNS record and that the service is up"
        ) from None
    except requests.exceptions.RequestException as error:  # a malformed URL, too many redirects
        raise ServiceError(f"{method} {url}: the request failed ({_reason(error)})") from None
    return Exchange(
        method=method,
        url=url,
        request_body=body,
        status=response.status_code,
        content_type=response.headers.get("Content-Type", ""),
        body=response.text,
        seconds=time.perf_counter() - started,
    )


def _reason(error: Exception) -> str:
    """The root cause in a few words, not urllib3's nested retry report."""
    cause: object = error.args[0] if error.args else error
    cause = getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps the last failure
    if isinstance(cause, NameResolutionError):
        return "the host name does not resolve"
    if isinstance(cause, NewConnectionError):
        return str(cause).rsplit(": ", 1)[-1]
    text = str(cause)
    return text if len(text) <= 200 else text[:200] + "…"
