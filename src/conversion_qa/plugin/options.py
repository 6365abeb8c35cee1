"""Every option and ini key of the suite (group conversion-qa), read once into the run's record.

One reader serves them all: the command line, else the ini key of the same name, else the
default; a wrong value is a usage error (exit status 4) that names the option and the fix.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from _pytest.mark.expression import Expression

from conversion_qa.clients.dns import Nameserver, parse_nameserver
from conversion_qa.clients.tls import verifying_context
from conversion_qa.config.model import ENVIRONMENTS
from conversion_qa.plugin.run import (
    Browser,
    DnsTls,
    HostPort,
    Network,
    Rehearsal,
    Run,
    Selection,
)
from conversion_qa.report import store
from conversion_qa.report.store import Location

GROUP = "conversion-qa"
BILLER_NAME = re.compile(r"^[a-z0-9-]+$")
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0
DEFAULT_CALL_DEADLINE = 30.0
DEFAULT_MAX_ANSWER_BYTES = 5 * 1024 * 1024
# Live default only: two public resolvers of different operators, each asked on its own.
# Tests never use these: they always pass --dns-nameserver with a loopback server.
DEFAULT_NAMESERVERS = (Nameserver("1.1.1.1"), Nameserver("8.8.8.8"))
DEFAULT_LIFETIME = 5.0
DEFAULT_EXPIRY_WARNING_DAYS = 30
DEFAULT_TLS_TIMEOUT = 10.0
TODAY = "conversion_qa_today"  # the run's date, as xdist hands it to each worker

T = TypeVar("T")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "conversion-qa: enQuesta v4 to v6 acceptance rules")
    _add_selection(group, parser)
    _add_report(group, parser)
    _add_network(group, parser)
    _add_dns_tls(group, parser)


def _add_selection(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    group.addoption(
        "--biller",
        action="append",
        default=[],
        metavar="NAME",
        help="biller to check (repeatable or comma-separated); 'all' or none: every file in "
        "the biller folder",
    )
    group.addoption(
        "--env",
        action="append",
        default=[],
        dest="conversion_env",
        metavar="ENV",
        help="environment to check: test (default) or production for post-go-live; "
        "repeatable or comma-separated",
    )
    group.addoption(
        "--biller-dir",
        default=None,
        metavar="DIR",
        help="folder of biller files (default: billers/ beside the suite; ini: biller_dir)",
    )
    group.addoption(
        "--record-fixtures",
        action="store_true",
        default=False,
        help="with -m live: write the real answers (secrets and tokens replaced by placeholders) "
        "to fixtures/<biller>/ for offline runs",
    )
    group.addoption(
        "--fixtures-dir",
        default=None,
        metavar="DIR",
        help="folder of recorded answers, read offline and written by --record-fixtures "
        "(default: fixtures/ beside the biller folder)",
    )
    group.addoption(
        "--ca-bundle",
        default=None,
        metavar="PEM",
        help="extra CA certificates to trust for TLS (verification is always on; ini: ca_bundle)",
    )
    parser.addini("ca_bundle", "extra CA certificates (PEM) to trust for TLS", default="")
    parser.addini(
        "biller_dir", "folder of biller files, relative to the rootdir", default="billers"
    )
    parser.addini(
        "conversion_env", "default environment(s) to check", type="args", default=["test"]
    )


def _add_report(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    group.addoption(
        "--report-dir",
        default=None,
        metavar="DIR|URL",
        help="archive each biller's reports under DIR/<biller>/<conversion>/, a folder or the "
        "team's object storage: s3://bucket/prefix (S3, or S3-compatible with AWS_ENDPOINT_URL) "
        "or az://container/prefix (Azure Blob); credentials from the environment or the "
        "cloud's profile, never here (default: reports/ under the rootdir; ini: report_dir)",
    )
    group.addoption(
        "--no-archive",
        action="store_true",
        default=False,
        help="write no archived report, only the console output",
    )
    parser.addini(
        "report_dir",
        "folder (relative to the rootdir) or URL of the archived reports",
        default="reports",
    )


def _add_network(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
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
        "ini: read_timeout); the browser checks are bounded by --call-deadline",
    )
    group.addoption(
        "--call-deadline",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time allowed for the whole of one call: connect, TLS, headers and body; and for "
        "each browser check (custom-code, iframe-lag) and the browser's sign-in, each as a whole "
        f"(default {DEFAULT_CALL_DEADLINE:g}; ini: call_deadline)",
    )
    group.addoption(
        "--max-answer-bytes",
        type=int,
        default=None,
        metavar="BYTES",
        help=f"largest answer a service may send; a larger one fails its test (default "
        f"{DEFAULT_MAX_ANSWER_BYTES} = 5 MiB; ini: max_answer_bytes)",
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
        default=None,
        metavar="SECONDS",
        help="with --sandbox: delay added to every answer (benchmarks)",
    )
    group.addoption(
        "--no-browser",
        action="store_true",
        default=False,
        help="live custom-code and iframe-lag check the raw HTML and time a GET instead of "
        "looking at the portal in a browser; their messages, the report and the sign-off sheet "
        "say 'checked without a browser'",
    )
    group.addoption(
        "--no-pdf",
        action="store_true",
        default=False,
        help="archive no signoff.pdf (signoff.html prints by itself), so no browser is started "
        "to print it",
    )
    group.addoption(
        "--browser-path",
        default=None,
        metavar="PATH",
        help="the Chromium (or Chrome, Edge) that live runs drive; default: the first one "
        "installed (ini: browser_path)",
    )
    parser.addini("browser_path", "the Chromium-based browser live runs drive", default="")
    parser.addini("connect_timeout", "seconds allowed to connect to a service", default="")
    parser.addini("read_timeout", "seconds allowed for a service to answer", default="")
    parser.addini(
        "call_deadline",
        "seconds allowed for the whole of one call, and of each browser check and sign-in",
        default="",
    )
    parser.addini("max_answer_bytes", "largest answer a service may send, in bytes", default="")


def _add_dns_tls(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
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


# reading ---------------------------------------------------------------------------------------


def setting(config: pytest.Config, name: str, parse: Callable[[str], T], default: T) -> T:
    """The option `name`, else its ini key (when it has one), else the default."""
    value = config.getoption(name)
    if value is not None and value != []:
        return value  # type: ignore[no-any-return]  # argparse already parsed it
    try:
        written = config.getini(name)
    except ValueError:  # no ini key of that name
        return default
    if isinstance(written, list):
        written = ",".join(written)
    text = str(written).strip()
    if not text:
        return default
    try:
        return parse(text)
    except ValueError:
        raise pytest.UsageError(f"ini {name} = {text!r} is not a valid value") from None


def read_run(config: pytest.Config) -> Run:
    """The run's record, billers not loaded yet; pytest.UsageError names a wrong value."""
    ca_bundle = _ca_bundle(config)
    record = bool(config.getoption("record_fixtures"))
    selection = _selection(config)
    run = Run(
        selection=selection,
        network=_network(config),
        dns_tls=_dns_tls(config),
        report_dir=_report_dir(config),
        ca_bundle=ca_bundle,
        record_fixtures=record,
        rehearsal=_rehearsal(config),
        browser=_browser(config),
        today=_today(config),
    )
    if run.record_fixtures and run.rehearsed_by and not selection.fixtures_dir_given:
        raise pytest.UsageError(
            f"--record-fixtures records the real test portal into {selection.fixtures_dir} for "
            f"offline runs; this run is a rehearsal ({', '.join(run.rehearsed_by)}), whose "
            "answers (loopback addresses, its own nameserver and certificates) would overwrite "
            "it. Record from the real systems (pytest --biller=NAME -m live --record-fixtures), "
            "or keep a rehearsal's recording apart with --fixtures-dir=DIR"
        )
    return run


def _today(config: pytest.Config) -> date:
    """The run's date: on an xdist worker, its controller's, so that all judge on one day."""
    given = getattr(config, "workerinput", {}).get(TODAY)
    return date.fromisoformat(given) if given else date.today()


def _browser(config: pytest.Config) -> Browser:
    text = setting(config, "browser_path", str, "")
    path = (config.invocation_params.dir / text) if text else None
    if path is not None and not path.is_file():
        raise pytest.UsageError(
            f"--browser-path {text}: no such file; give the Chromium, Chrome or Edge executable, "
            "or leave it out to use the one installed"
        )
    return Browser(
        use=not config.getoption("no_browser"), path=path, prints=not config.getoption("no_pdf")
    )


def _selection(config: pytest.Config) -> Selection:
    chosen = config.getoption("biller_dir")
    biller_dir = (
        config.invocation_params.dir / chosen
        if chosen
        else config.rootpath / str(config.getini("biller_dir"))
    )
    raw: list[str] = config.getoption("biller")
    if any(not value.strip(" ,") for value in raw):
        raise pytest.UsageError(
            "--biller= is empty (an unset shell variable?): name a biller, or --biller=all "
            "for every biller"
        )
    names = split_list(raw)
    wrong = [name for name in names if name != "all" and not BILLER_NAME.match(name)]
    if wrong:
        raise pytest.UsageError(
            f"--biller {wrong[0]!r} is not a biller name: a biller is the name of a file in "
            "the biller folder (lower-case letters, digits and -)"
        )
    environments = split_list(config.getoption("conversion_env")) or split_list(
        config.getini("conversion_env")
    )
    unknown = [e for e in environments if e not in ENVIRONMENTS]
    if unknown:
        raise pytest.UsageError(
            f"--env {unknown[0]} is not an environment; use one of: {', '.join(ENVIRONMENTS)}"
        )
    fixtures = config.getoption("fixtures_dir")
    return Selection(
        biller_dir=biller_dir,
        fixtures_dir=config.invocation_params.dir / fixtures
        if fixtures
        else biller_dir.parent / "fixtures",
        fixtures_dir_given=bool(fixtures),
        biller_dir_given=bool(chosen or names),
        billers=None if not names or "all" in names else tuple(dict.fromkeys(names)),
        environments=tuple(dict.fromkeys(environments)),
        live_variants=re.search(r"\blive\b", config.getoption("markexpr") or "") is not None,
        live_selected=selects_live(config.getoption("markexpr") or ""),
    )


def selects_live(markexpr: str) -> bool:
    """Whether `-m` selects a live rule test (marked `rule` and `live`): `-m live` does,
    `-m "not live"` does not, nor an expression that does not name `live` (`-m "not slow"`):
    live variants are collected only when it does."""
    if not re.search(r"\blive\b", markexpr):
        return False
    try:
        expression = Expression.compile(markexpr)
    except SyntaxError:  # pytest itself says what is wrong with it
        return False
    return expression.evaluate(lambda name, /, **kwargs: name in ("live", "rule") and not kwargs)


def _ca_bundle(config: pytest.Config) -> Path | None:
    text = setting(config, "ca_bundle", str, "")
    if not text:
        return None
    path = Path(text)
    if not path.is_file():
        raise pytest.UsageError(f"--ca-bundle {text}: no such file; give a PEM file of CAs")
    try:
        verifying_context(path)
    except ssl.SSLError as error:
        raise pytest.UsageError(
            f"--ca-bundle {text}: not a PEM file of CA certificates ({error})"
        ) from None
    return path


def _report_dir(config: pytest.Config) -> Location | None:
    """Where the run archives, or None when it archives nothing."""
    if config.getoption("no_archive"):
        return None
    chosen: str | None = config.getoption("report_dir")
    try:
        if chosen:
            return store.location(chosen, config.invocation_params.dir)
        return store.location(str(config.getini("report_dir")), config.rootpath)
    except store.BadLocation as error:
        raise pytest.UsageError(str(error)) from None


def _network(config: pytest.Config) -> Network:
    return Network(
        connect_timeout=_positive(config, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
        read_timeout=_positive(config, "read_timeout", DEFAULT_READ_TIMEOUT),
        call_deadline=_positive(config, "call_deadline", DEFAULT_CALL_DEADLINE),
        max_answer_bytes=_positive_int(config, "max_answer_bytes", DEFAULT_MAX_ANSWER_BYTES),
        allow_production_writes=bool(config.getoption("allow_production_writes")),
        resolve=dict(parse_resolve(value) for value in config.getoption("resolve")),
    )


def _rehearsal(config: pytest.Config) -> Rehearsal | None:
    scenarios = tuple(config.getoption("sandbox_scenario"))
    given = config.getoption("sandbox_latency")
    latency = 0.0 if given is None else float(given)
    if latency < 0:
        raise pytest.UsageError(
            f"--sandbox-latency {latency:g}: give 0 or more seconds added to each answer"
        )
    if not config.getoption("sandbox"):
        # without the sandbox, a scenario would be dropped and the run go to the real systems
        options = [
            option
            for option, present in (
                (f"--sandbox-scenario {' '.join(scenarios)}", bool(scenarios)),
                ("--sandbox-latency", given is not None),
            )
            if present
        ]
        if options:
            raise pytest.UsageError(
                f"{' and '.join(options)} {'need' if len(options) > 1 else 'needs'} --sandbox: "
                "a fault or a delay is the local sandbox's, in a rehearsal (add --sandbox, "
                "with -m live); without it the run goes to the real systems"
            )
        return None
    if not re.search(r"\blive\b", config.getoption("markexpr") or ""):
        raise pytest.UsageError("--sandbox rehearses a live run: add -m live")
    return Rehearsal(scenarios=scenarios, latency=latency)


def _dns_tls(config: pytest.Config) -> DnsTls:
    given = config.getoption("dns_nameserver") or list(config.getini("dns_nameserver"))
    try:
        nameservers = tuple(parse_nameserver(part) for part in split_list(given))
    except ValueError as error:
        raise pytest.UsageError(f"--dns-nameserver {error}") from None
    lifetime = setting(config, "dns_lifetime", float, DEFAULT_LIFETIME)
    days = setting(config, "tls_expiry_warning_days", int, DEFAULT_EXPIRY_WARNING_DAYS)
    timeout = setting(config, "tls_timeout", float, DEFAULT_TLS_TIMEOUT)
    if lifetime <= 0 or timeout <= 0 or days < 0:
        raise pytest.UsageError(
            "--dns-lifetime and --tls-timeout must be positive, --tls-expiry-warning-days 0 or more"
        )
    return DnsTls(
        nameservers=tuple(dict.fromkeys(nameservers)) or DEFAULT_NAMESERVERS,
        nameservers_given=bool(nameservers),
        lifetime=lifetime,
        expiry_warning_days=days,
        tls_timeout=timeout,
        accept_loopback=bool(config.getoption("accept_loopback_dns")),
    )


def _positive(config: pytest.Config, name: str, default: float) -> float:
    value = setting(config, name, float, default)
    if value <= 0:
        raise pytest.UsageError(f"--{name.replace('_', '-')} {value}: give a positive number")
    return float(value)


def _positive_int(config: pytest.Config, name: str, default: int) -> int:
    value = setting(config, name, int, default)
    if value <= 0:
        raise pytest.UsageError(f"--{name.replace('_', '-')} {value}: give a positive number")
    return int(value)


def parse_resolve(value: str) -> tuple[HostPort, HostPort]:
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


def split_list(values: list[str]) -> list[str]:
    """Repeatable, comma-separated values as one list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
