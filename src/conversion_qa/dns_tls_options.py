"""Options of the `public-dns` and `endpoint-tls` rules (group conversion-qa).

`--accept-loopback-dns` is the rehearsal switch: a sandbox rehearsal of a live run serves its
host names from a local DNS server (`conversion_qa.localdns`) at 127.0.0.1, which is not
globally routable; with the switch, loopback answers pass and each such test says "loopback
address accepted because this is a rehearsal". Never use it for a sign-off run.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from conversion_qa.clients.dns import Nameserver, parse_nameserver
from conversion_qa.clients.tls import verifying_context
from conversion_qa.network_options import parse_resolve
from conversion_qa.options import GROUP, read_options

# Live default only: two public resolvers of different operators, each asked on its own.
# Tests never use these: they always pass --dns-nameserver with a loopback server.
DEFAULT_NAMESERVERS = (Nameserver("1.1.1.1"), Nameserver("8.8.8.8"))
DEFAULT_LIFETIME = 5.0
DEFAULT_EXPIRY_WARNING_DAYS = 30
DEFAULT_TLS_TIMEOUT = 10.0


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP)
    group.addoption(
        "--dns-nameserver",
        action="append",
        default=[],
        metavar="IP[:PORT]",
        help="nameserver public-dns asks in a live run, each on its own (repeatable); default "
        f"{', '.join(str(n) for n in DEFAULT_NAMESERVERS)}. When given, endpoint-tls also "
        "connects to the address these nameservers answer",
    )
    group.addoption(
        "--dns-lifetime",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"time allowed for one nameserver's answers for one host (default "
        f"{DEFAULT_LIFETIME:g}; ini: dns_lifetime)",
    )
    group.addoption(
        "--tls-expiry-warning-days",
        type=int,
        default=None,
        metavar="DAYS",
        help=f"endpoint-tls warns about a certificate expiring within DAYS (default "
        f"{DEFAULT_EXPIRY_WARNING_DAYS}; ini: tls_expiry_warning_days)",
    )
    group.addoption(
        "--tls-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"connect and handshake timeout of endpoint-tls (default {DEFAULT_TLS_TIMEOUT:g})",
    )
    group.addoption(
        "--accept-loopback-dns",
        action="store_true",
        default=False,
        help="REHEARSAL ONLY: public-dns accepts loopback answers (a local sandbox), and says so "
        "in each result; never for a sign-off run",
    )
    parser.addini("dns_nameserver", "nameservers for live public-dns runs", type="args")
    parser.addini("dns_lifetime", "seconds allowed per nameserver and host", default="")
    parser.addini("tls_expiry_warning_days", "warn about certificates expiring within", default="")


@dataclass(frozen=True)
class DnsTlsOptions:
    nameservers: tuple[Nameserver, ...]
    nameservers_given: bool  # chosen by the user: then TLS connects where they answer
    lifetime: float
    expiry_warning_days: int
    tls_timeout: float
    accept_loopback: bool  # the rehearsal switch
    ca_bundle: Path | None
    record_fixtures: bool
    fixtures_dir: Path  # fixtures/ beside the biller folder: fixtures/<biller>/dns.yaml
    # --resolve (a sandbox rehearsal): (host, port) -> (address, port), as the HTTP clients use
    resolve: Mapping[tuple[str, int], tuple[str, int]] = field(default_factory=dict)


N = TypeVar("N", int, float)

_OPTIONS = pytest.StashKey[DnsTlsOptions]()


def dns_tls_options(config: pytest.Config) -> DnsTlsOptions:
    """The options, read once per run; pytest.UsageError names a wrong value."""
    if _OPTIONS not in config.stash:
        config.stash[_OPTIONS] = read_dns_tls_options(config)
    return config.stash[_OPTIONS]


def read_dns_tls_options(config: pytest.Config) -> DnsTlsOptions:
    run = read_options(config)
    given = config.getoption("dns_nameserver") or list(config.getini("dns_nameserver"))
    try:
        nameservers = tuple(
            parse_nameserver(part) for value in given for part in value.split(",") if part
        )
    except ValueError as error:
        raise pytest.UsageError(f"--dns-nameserver {error}") from None
    lifetime = _number(config, "dns_lifetime", DEFAULT_LIFETIME, float)
    days = _number(config, "tls_expiry_warning_days", DEFAULT_EXPIRY_WARNING_DAYS, int)
    timeout = config.getoption("tls_timeout") or DEFAULT_TLS_TIMEOUT
    if lifetime <= 0 or timeout <= 0 or days < 0:
        raise pytest.UsageError(
            "--dns-lifetime and --tls-timeout must be positive, --tls-expiry-warning-days 0 or more"
        )
    if run.ca_bundle is not None:
        try:
            verifying_context(run.ca_bundle)
        except ssl.SSLError as error:
            raise pytest.UsageError(
                f"--ca-bundle {run.ca_bundle}: not a PEM file of CA certificates ({error})"
            ) from None
    return DnsTlsOptions(
        nameservers=tuple(dict.fromkeys(nameservers)) or DEFAULT_NAMESERVERS,
        nameservers_given=bool(nameservers),
        lifetime=lifetime,
        expiry_warning_days=days,
        tls_timeout=float(timeout),
        accept_loopback=bool(config.getoption("accept_loopback_dns")),
        ca_bundle=run.ca_bundle,
        record_fixtures=run.record_fixtures,
        fixtures_dir=run.fixtures_dir,
        resolve=dict(parse_resolve(value) for value in config.getoption("resolve") or ()),
    )


def _number(config: pytest.Config, name: str, default: N, kind: type[N]) -> N:
    value = config.getoption(name)
    if value is not None:
        return kind(value)
    text = str(config.getini(name)).strip()
    try:
        return kind(text) if text else default
    except ValueError:
        raise pytest.UsageError(f"ini {name} = {text!r} is not a number") from None
