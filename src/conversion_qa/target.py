"""Where a URL really goes: the scheme, host and port the HTTP client connects to, read once, from
the URL as requests sends it, by urllib3 (the library that connects). Every decision about a host
(the write guard, dead hosts, endpoint-settings, the browser's allowlist) is made on this target.

Two readers can take one URL's host differently: `https://prod\\@test/` is host `test` to
urllib.parse and `prod` to requests and urllib3, which end the host at the backslash. A guard that
judged with one while the other sent would judge a URL it does not send. So a URL whose authority
two readers could read differently is refused as an `AmbiguousURL` saying why: a backslash
before the path, a control character anywhere, userinfo (`user@host`), a space, percent-encoding
or non-ASCII in the host, an IPv4 address not written as four decimal numbers (`0x7f.1`), or any
other URL on whose host or port urllib.parse and urllib3 disagree. A URL with no target at all
(not http or https, no host, a port that is not one) is an `UnsendableURL`.

It lives below every layer, beside errors.py, because every layer decides on hosts: the biller
file's loader refuses an ambiguous URL on its line, the clients refuse one before they connect.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from urllib3.util import parse_url

from conversion_qa.errors import AmbiguousURL, UnsendableURL

DEFAULT_PORTS = {"http": 80, "https": 443}

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_AUTHORITY_ENDS = re.compile(r"[/?#]")
_URL_LIKE = re.compile(r"\s*https?:[/\\]", re.IGNORECASE)
# a host a resolver may read as an IPv4 address: its last label a number (decimal, 0x, octal)
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Target:
    """Where a request connects: what the HTTP client's connection pool is keyed by."""

    scheme: str  # http or https
    host: str  # lower case, without a final dot; an IPv6 address without its brackets
    port: int  # always written out: 443 for https://host/

    @property
    def authority(self) -> str:
        """`host`, or `host:port` off the scheme's default port (an IPv6 address in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.authority}"


@dataclass(frozen=True)
class Sent:
    """A URL as requests sends it: the prepared URL, its target, and the path it asks for."""

    url: str
    target: Target
    path: str  # as sent: percent-encoded, dot segments resolved


def target_of(url: str) -> Target:
    """Where the HTTP client connects for url; AmbiguousURL (or UnsendableURL) if nowhere sure."""
    return as_sent(url).target


def targets_of(urls: Iterable[str | None]) -> frozenset[Target]:
    """The targets of those URLs that have one (an empty, ambiguous or unsendable URL has none)."""
    found = set()
    for url in urls:
        if url:
            try:
                found.add(target_of(url))
            except UnsendableURL:
                continue
    return frozenset(found)


def ambiguity(url: str) -> str | None:
    """Why readers could disagree on the URL's host or port, or None (a URL that is merely not
    usable, with no host say, is None: endpoints-received judges those)."""
    try:
        as_sent(url)
    except AmbiguousURL as error:
        return error.problem
    except UnsendableURL:
        return None
    return None


def looks_like_url(text: str) -> bool:
    """Whether a text is meant as a URL, usable or not (`https:\\\\host` too: browsers read it
    as one)."""
    return "://" in text or _URL_LIKE.match(text) is not None


def path_ambiguity(path: str) -> str | None:
    """Why a path, joined after a host and a /, could change the URL's host, or None: only a
    control character can (the / before it ends the authority for every reader)."""
    control = _CONTROL.search(path)
    return None if control is None else _control_problem(control[0])


@lru_cache(maxsize=4096)  # pure, and asked of the same few URLs by every test of a biller
def as_sent(url: str) -> Sent:
    """The URL as requests prepares it, with its target; AmbiguousURL when readers disagree."""
    problem = _written_ambiguity(url)
    if problem is not None:
        raise AmbiguousURL(url, problem)
    if url != url.strip():
        raise UnsendableURL(url, "starts or ends with a space")
    scheme_written = _SCHEME.match(url)
    if scheme_written is None or scheme_written[1].lower() not in DEFAULT_PORTS:
        raise UnsendableURL(url, "is not an https:// (or http://) URL")
    try:
        prepared = requests.Request("GET", url).prepare()
        sent = parse_url(prepared.url or "")
        split = urlsplit(url)
        split_port = split.port
    except (requests.exceptions.RequestException, ValueError) as error:
        raise UnsendableURL(url, f"is not a URL that can be sent ({error})") from None
    scheme = (sent.scheme or "").lower()
    host = _host(sent.host)
    if not host:
        raise UnsendableURL(url, "has no host")
    port = sent.port or DEFAULT_PORTS[scheme]
    other_host = _host(split.hostname)
    other_port = DEFAULT_PORTS[scheme] if split_port is None else split_port
    if (other_host, other_port) != (host, port):
        raise AmbiguousURL(
            url,
            f"is read as {Target(scheme, host, port).authority} by requests and urllib3 but as "
            f"{Target(scheme, other_host, other_port).authority} by urllib.parse",
        )
    if ":" not in host and any(not 0 < len(label) <= 63 for label in host.split(".")):
        # urllib3 would refuse it only when it connects, outside requests' own errors
        raise UnsendableURL(url, "has an empty label (..) or one over 63 characters in its host")
    numeric = _non_canonical_ipv4(host)
    if numeric is not None:
        raise AmbiguousURL(url, numeric)
    sent_url = prepared.url or ""
    return Sent(sent_url, Target(scheme, host, port), urlsplit(sent_url).path or "/")


def _written_ambiguity(url: str) -> str | None:
    """What in the text of the URL makes its host uncertain, before any parser reads it."""
    control = _CONTROL.search(url)
    if control is not None:
        return _control_problem(control[0])
    text = url.strip()
    scheme = _SCHEME.match(text)
    if scheme is None or scheme[1].lower() not in DEFAULT_PORTS:
        return None
    # the authority as the most generous reader takes it: browsers read \ as / after https:
    rest = text[scheme.end() :].lstrip("/\\")
    if "\\" in text[scheme.end() : len(text) - len(rest)]:
        return "has a backslash (\\) before its host, which browsers read as / and requests not"
    end = _AUTHORITY_ENDS.search(rest)
    authority = rest[: end.start()] if end else rest
    if "\\" in authority:
        return (
            "has a backslash (\\) before its path: requests and urllib3 end the host there, "
            "urllib.parse and browsers do not"
        )
    if "@" in authority:
        return "names a user before its host (user@host): readers disagree on which is the host"
    if any(character.isspace() for character in authority):
        return "has a space in its host"
    if "%" in authority:
        return "has percent-encoding (%) in its host, which requests decodes and urllib.parse not"
    if not authority.isascii():
        return (
            "has a host that is not plain ASCII; write an international name in its xn-- form, "
            "and its dots as '.'"
        )
    return None


def _control_problem(character: str) -> str:
    shown = character.encode("unicode_escape").decode("ascii")
    return f"contains the control character {shown}, which readers drop or keep differently"


def _host(host: str | None) -> str:
    """A host as compared: lower case, brackets and one final dot (the DNS root) taken off."""
    found = (host or "").lower().removeprefix("[").removesuffix("]")
    return found.removesuffix(".")


def _non_canonical_ipv4(host: str) -> str | None:
    """Why a host that a resolver reads as an IPv4 address is not written as one, or None."""
    last = host.rsplit(".", 1)[-1]
    if ":" in host or not _NUMERIC_LABEL.fullmatch(last):
        return None
    try:
        if str(ipaddress.IPv4Address(host)) == host:
            return None
    except ValueError:
        pass
    return (
        f"has the host {host}, which a resolver reads as an IPv4 address written otherwise "
        "than as four decimal numbers; write the address as a.b.c.d, or the host name"
    )
