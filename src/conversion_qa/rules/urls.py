"""Endpoint URLs as the configuration rules read them: usable, a URL at all, the same target."""

from __future__ import annotations

from urllib.parse import urlsplit

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import SettingValue
from conversion_qa.errors import AmbiguousURL, UnsendableURL
from conversion_qa.target import Target, as_sent, looks_like_url, target_of


def url_problem(url: str) -> str | None:
    """Why a text is not a usable https URL, or None."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "contains spaces"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"is not https (scheme {parts.scheme or 'missing'!r})"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "has a port that is not a number"
    try:
        host = target_of(url).host  # as the HTTP client would connect
    except AmbiguousURL as error:
        return error.problem
    except UnsendableURL:
        return "has no valid host name"
    if "." not in host and host != "localhost":
        return "has no valid host name"
    return None


# endpoint-settings -----------------------------------------------------------------------------


def is_url(value: SettingValue | None) -> bool:
    """Whether a setting's value is meant as a URL, usable or not."""
    return isinstance(value, str) and looks_like_url(value)


def url_settings(configured: Configured) -> list[str]:
    """Numbers of the settings whose value is a URL, in numeric order."""
    return sorted((n for n, v in configured.settings.items() if is_url(v)), key=int)


def normalised(url: str) -> tuple[Target, str] | None:
    """A URL as endpoints are compared: where the HTTP client connects (scheme, host and port,
    https://h/x being https://h:443/x) and the path it asks for, with no trailing slash; None
    for a URL with no such target (ambiguous or unsendable), which equals nothing. Spaces around
    it are not part of it: the network rules send it without them."""
    try:
        sent = as_sent(url.strip())
    except UnsendableURL:
        return None
    return sent.target, sent.path.rstrip("/")


def same_url(value: SettingValue | None, url: str | None) -> bool:
    """Whether a setting's value is the URL, as the HTTP client would send each."""
    if not (isinstance(value, str) and url):
        return False
    mine = normalised(value)
    return mine is not None and mine == normalised(url)


def why_unsendable(value: SettingValue | None) -> str | None:
    """Why a setting's URL cannot be sent as it reads (ambiguous or unsendable), or None."""
    if not (isinstance(value, str) and is_url(value)):
        return None
    try:
        as_sent(value.strip())
    except UnsendableURL as error:
        return error.problem
    return None
