"""The hosts behind an environment's endpoints and portal, and the iFrames served from hosts of
their own: the items of public-dns and endpoint-tls."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from conversion_qa.config.model import ENDPOINT_NAMES, Biller, Environment
from conversion_qa.config.yaml_source import FieldPath, dotted
from conversion_qa.errors import UnsendableURL
from conversion_qa.target import DEFAULT_PORTS, target_of


@dataclass(frozen=True)
class Use:
    """One URL of the file that names a host."""

    field: FieldPath  # the field path in the file
    shown: str  # the field as a message names it: endpoints.cis_service, capricorn_iframes[0].path
    url: str
    host: str
    port: int | None
    https: bool


def uses(biller: Biller, environment: Environment) -> list[Use]:
    """Every URL of the endpoints, the portal and the iFrames on hosts of their own that has a
    target (endpoints-received judges the rest)."""
    at: FieldPath = ("environments", environment.name)
    named: list[tuple[FieldPath, str, str | None]] = [
        ((*at, "endpoints", name), f"endpoints.{name}", environment.endpoints.get(name))
        for name in ENDPOINT_NAMES
    ]
    named.append(((*at, "portal"), "portal", environment.portal))
    for index, frame in enumerate(biller.capricorn_iframes):
        if frame.has_own_host:  # a path on the portal is the portal's host
            field: FieldPath = ("capricorn_iframes", index, "path")
            named.append((field, dotted(field), frame.path))
    found = []
    for field, shown, url in named:
        if not url:
            continue
        try:
            target = target_of(url)  # the host and port the HTTP client connects to
        except UnsendableURL:
            continue
        port = None if target.port == DEFAULT_PORTS[target.scheme] else target.port
        found.append(Use(field, shown, url, target.host, port, target.scheme == "https"))
    return found


def dns_hosts(biller: Biller, environment: Environment) -> list[str]:
    """Each host once, sorted: the items of public-dns."""
    return sorted({use.host for use in uses(biller, environment)})


def tls_endpoints(biller: Biller, environment: Environment) -> list[str]:
    """Each https `host` (or `host:port` off 443) once, sorted: the items of endpoint-tls."""
    return sorted({endpoint_id(u.host, u.port) for u in uses(biller, environment) if u.https})


def endpoint_id(host: str, port: int | None) -> str:
    if port in (None, 443):
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def split_endpoint(endpoint: str) -> tuple[str, int]:
    """`host` or `host:port` (IPv6 in brackets) back into host and port."""
    if endpoint.startswith("["):
        host, _, rest = endpoint[1:].partition("]")
        return host, int(rest[1:]) if rest else 443
    if endpoint.count(":") == 1:
        host, port = endpoint.split(":")
        return host, int(port)
    return endpoint, 443


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def where_used(biller: Biller, environment: Environment, host: str) -> str:
    """`billers/x.yaml:24 (endpoints.cis_service)` for each field naming host."""
    places = [
        f"{biller.where(*use.field)} ({use.shown})"
        for use in uses(biller, environment)
        if use.host == host
    ]
    return "; ".join(places) or str(biller.path)
