"""Options of the network rules (group conversion-qa): timeouts, production writes, sandbox."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conversion_qa.options import GROUP

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP)
    group.addoption(
        "--connect-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"time allowed to connect to a service (default {DEFAULT_CONNECT_TIMEOUT:g}; "
        "ini: connect_timeout)",
    )
    group.addoption(
        "--read-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"time allowed for a service to answer (default {DEFAULT_READ_TIMEOUT:g}; "
        "ini: read_timeout)",
    )
    group.addoption(
        "--allow-production-writes",
        action="store_true",
        default=False,
        help="let data-pump send test transmissions to a PRODUCTION environment (without it "
        "those tests skip and say why)",
    )
    group.addoption(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDRESS:PORT",
        help="like curl --resolve: connect HOST:PORT to ADDRESS:PORT, keeping the host name for "
        "TLS and Host (repeatable); the sandbox prints these",
    )
    group.addoption(
        "--sandbox",
        action="store_true",
        default=False,
        help="rehearsal: serve the whole S&S and portal contract from the biller files on "
        "loopback for this run (with -m live)",
    )
    group.addoption(
        "--sandbox-scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="with --sandbox: a fault the sandbox injects (repeatable); "
        "python -m conversion_qa.sandbox --list-scenarios names them",
    )
    group.addoption(
        "--sandbox-latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --sandbox: delay added to every answer (benchmarks)",
    )
    parser.addini("connect_timeout", "seconds allowed to connect to a service", default="")
    parser.addini("read_timeout", "seconds allowed for a service to answer", default="")


@dataclass(frozen=True)
class NetworkOptions:
    connect_timeout: float
    read_timeout: float
    allow_production_writes: bool
    resolve: tuple[tuple[tuple[str, int], tuple[str, int]], ...]
    sandbox: bool
    sandbox_scenarios: tuple[str, ...]
    sandbox_latency: float


def read_network_options(config: pytest.Config) -> NetworkOptions:
    """Resolve the options; raises pytest.UsageError with the fix for a wrong value."""
    return NetworkOptions(
        connect_timeout=_seconds(config, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
        read_timeout=_seconds(config, "read_timeout", DEFAULT_READ_TIMEOUT),
        allow_production_writes=bool(config.getoption("allow_production_writes")),
        resolve=tuple(parse_resolve(value) for value in config.getoption("resolve")),
        sandbox=bool(config.getoption("sandbox")),
        sandbox_scenarios=tuple(config.getoption("sandbox_scenario")),
        sandbox_latency=float(config.getoption("sandbox_latency")),
    )


def _seconds(config: pytest.Config, name: str, default: float) -> float:
    value = config.getoption(name)
    if value is None:
        text = str(config.getini(name)).strip()
        value = float(text) if text else default
    if value <= 0:
        raise pytest.UsageError(f"--{name.replace('_', '-')} {value}: give a positive number")
    return float(value)


def parse_resolve(value: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """HOST:PORT:ADDRESS:PORT, as curl --resolve writes it (ADDRESS is IPv4 or [IPv6])."""
    host, _, rest = value.partition(":")
    port, _, target = rest.partition(":")
    address, _, target_port = target.rpartition(":")
    address = address.strip("[]")
    if not (host and port.isdigit() and address and target_port.isdigit()):
        raise pytest.UsageError(
            f"--resolve {value}: write HOST:PORT:ADDRESS:PORT, e.g. "
            "enquesta-test.demo.example.com:443:127.0.0.1:8443"
        )
    return (host.lower(), int(port)), (address, int(target_port))
