"""What an HTTP status means, in one sentence per class, for a PM at 2 a.m.

A redirect names where it leads (a sign-in page, a loop, another host); 401 and 403 name the
credentials that were refused and the field that holds them; 503 with Retry-After says the
service is unavailable and for how long (a maintenance window?); other 4xx and 5xx say which
side failed. None of them says "no answer": the service answered, and this is what it said. All
are verdicts but 503, which is `Unanswered` (the rule is not checked): a service that says it
is unavailable says nothing about itself that could be judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from conversion_qa.clients.http import MAX_REDIRECTS, Exchange, retry_after_seconds
from conversion_qa.errors import ConversionQAError, ServiceError, Unanswered

_SIGN_IN = re.compile(r"log-?[io]n|sign-?in|sign-?on|sso|saml|oauth|auth", re.IGNORECASE)
_BODY_LIMIT = 200


@dataclass(frozen=True)
class Service:
    """Who answers a call, for the sentences: "{name} refused the credentials"."""

    name: str  # the subject of the sentence: "RTDR", "The portal page /Home"
    system: str  # what asks to sign in: "portal", "CIS Service", "PayConnect"
    owner: str  # who to ask: "S&S", "the portal's administrators"
    credentials: str  # which, and where they are written: "the portal credentials in …"


def asks_to_sign_in(url: str) -> bool:
    """Whether a URL a request was sent to looks like a sign-in page (its path)."""
    return _SIGN_IN.search(urlsplit(url).path) is not None


def phrase(status: int) -> str:
    """`401 Unauthorized`; the bare number for a status Python does not name."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def status_error(
    exchange: Exchange,
    service: Service,
    expected: str,
    kind: type[ConversionQAError] = ServiceError,
) -> ConversionQAError:
    """The error that an answer with an unexpected status is, told by its class."""
    status = exchange.status
    where = f"{exchange.method} {exchange.url}"
    found = f"HTTP {phrase(status)}: {_short(exchange.body)}"
    if 300 <= status < 400:
        what, fix, found = _redirect(exchange, service)
    elif status in (401, 403):
        what = (
            f"{service.name} refused the credentials (HTTP {phrase(status)}): "
            f"{service.credentials} were not accepted."
        )
        fix = f"check {service.credentials}"
    elif status == 503:
        what, fix, found = _unavailable(exchange, service)
        # the service says it is down (a short Retry-After was waited for already): nothing
        # about it can be judged while it is
        return Unanswered(
            what,
            url=exchange.url,
            expected=expected,
            found=found,
            where=where,
            fix=fix,
            unavailable=True,
        )
    elif 400 <= status < 500:
        what = f"{service.name} rejected the request (HTTP {phrase(status)}): {_rejected(status)}."
        fix = (
            "check the URL (see endpoint-settings) and compare the request with "
            "docs/contract.md; the evidence shows what was sent and answered"
        )
    elif 500 <= status < 600:
        what = (
            f"{service.name} failed on its side (HTTP {phrase(status)}): the request arrived, "
            "and the service could not answer it."
        )
        fix = f"ask {service.owner} what failed; the evidence shows the answer"
    else:
        what = f"{service.name} answered HTTP {phrase(status)} instead of 200."
        fix = f"ask {service.owner} why; the evidence shows the answer"
    return kind(what, expected=expected, found=found, where=where, fix=fix)


def _short(text: str) -> str:
    text = " ".join(text.split()) or "(empty body)"
    return text if len(text) <= _BODY_LIMIT else text[:_BODY_LIMIT] + "…"


def _rejected(status: int) -> str:
    if status in (404, 410):
        return "there is nothing at this URL"
    if status in (400, 422):
        return "the request is not what the service expects"
    if status == 405:
        return "the service does not take this method at this URL"
    if status == 429:
        return "too many requests; the service asks to slow down"
    return "the service will not answer this request as it was sent"


def _shown(url: str, origin: str) -> str:
    """A URL as a PM reads it: the path on the same host, the whole URL elsewhere."""
    parts, base = urlsplit(url), urlsplit(origin)
    if (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower()):
        return parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    return url


def _redirect(exchange: Exchange, service: Service) -> tuple[str, str, str]:
    """(what, fix, found) of a 3xx."""
    status = f"HTTP {phrase(exchange.status)}"
    location = urljoin(exchange.url, exchange.location) if exchange.location else ""
    chain = exchange.redirects or ((location,) if location else ())
    if not chain:
        return (
            f"{service.name} answered a redirect ({status}) without saying where to.",
            f"ask {service.owner} why it redirects",
            f"{status} with no Location",
        )
    origin = exchange.url
    hops = [_shown(url, origin) for url in chain]
    found = f"{status}, Location: {exchange.location or chain[0]}"
    if len(chain) > 1:
        found += "; then " + " -> ".join(hops[1:])
    visited = [exchange.url, *chain]
    looped = next((url for i, url in enumerate(chain) if url in visited[: i + 1]), None)
    if looped is not None:
        loop = " -> ".join([_shown(exchange.url, origin), *hops])
        return (
            f"{service.name} redirects in a loop ({loop}): it never answers.",
            f"ask {service.owner}: the {service.system} sends every request back where it came "
            f"from (a sign-in that does not hold? check {service.credentials})",
            found,
        )
    last = chain[-1]
    if urlsplit(last).netloc.lower() != urlsplit(origin).netloc.lower():
        return (
            f"{service.name} redirected off its host, to {last} (not followed).",
            "the URL may have moved to another host, or the service sends its callers to a "
            f"sign-in elsewhere: ask {service.owner} which URL is right, and check "
            f"{service.credentials}",
            found,
        )
    if len(chain) > MAX_REDIRECTS:
        return (
            f"{service.name} redirected more than {MAX_REDIRECTS} times "
            f"({' -> '.join(hops)}), and no answer came.",
            f"ask {service.owner} where this URL should lead",
            found,
        )
    if any(asks_to_sign_in(url) for url in chain):
        return (
            f"{service.name} redirected to {hops[-1]}: the {service.system} asked to sign in.",
            f"check {service.credentials}",
            found,
        )
    return (
        f"{service.name} redirected to {hops[-1]} ({status}): the URL has moved.",
        f"point the URL where it now leads, if {service.owner} confirms that is right",
        found,
    )


def _unavailable(exchange: Exchange, service: Service) -> tuple[str, str, str]:
    """(what, fix, found) of a 503, with the Retry-After it gave, if any."""
    status = f"HTTP {phrase(exchange.status)}"
    if not exchange.retry_after:
        return (
            f"{service.name} says it is unavailable ({status}), without saying for how long.",
            f"ask {service.owner} whether the service is down or in maintenance; run the "
            "live rules again once it is up",
            f"{status}: {_short(exchange.body)}",
        )
    seconds = retry_after_seconds(exchange.retry_after)
    found = f"{status}, Retry-After: {exchange.retry_after}"
    if seconds is None:
        return (
            f"{service.name} says it is unavailable ({status}), for a time it does not state "
            f"clearly (Retry-After: {exchange.retry_after}).",
            f"ask {service.owner} whether maintenance is under way and until when",
            found,
        )
    until = datetime.now(UTC) + timedelta(seconds=seconds)
    return (
        f"{service.name} says it is unavailable for {duration(seconds)} ({status}, "
        f"Retry-After: {exchange.retry_after}): a maintenance window?",
        f"ask {service.owner} whether maintenance is under way and until when; run the live "
        f"rules again after it (the service says about {until:%H:%M} UTC)",
        f"{found} ({duration(seconds)}, until about {until:%H:%M} UTC)",
    )


def duration(seconds: float) -> str:
    """`45 seconds`, `15 minutes`, `1 hour`, `2.5 hours`."""
    if seconds < 120:
        count = round(seconds)
        return "1 second" if count == 1 else f"{count} seconds"
    if seconds < 7200 and seconds % 3600:
        return f"{round(seconds / 60)} minutes"
    hours = round(seconds / 3600, 1)
    return "1 hour" if hours == 1 else f"{hours:g} hours"
