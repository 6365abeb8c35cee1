"""The fixtures a rule's test asks for: its case, biller, environment, what is configured, and
the way to the services (replayed offline, real live). No I/O happens in a fixture: a service
problem is the asking test's own failure, never a setup error."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager

import pytest

from conversion_qa.clients import portal
from conversion_qa.clients.dns import Answer
from conversion_qa.clients.tls import TlsFacts
from conversion_qa.config.configured import Configured, from_file
from conversion_qa.config.model import ENVIRONMENTS, Biller, Environment
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin import screenshots
from conversion_qa.plugin.collector import WITHOUT_BROWSER
from conversion_qa.plugin.explained import explained
from conversion_qa.plugin.lookups import look_up_dns, look_up_tls
from conversion_qa.plugin.run import DnsTls
from conversion_qa.plugin.services import services
from conversion_qa.plugin.targets import Case
from conversion_qa.recordings import PortalViews, Sourced, Transport
from conversion_qa.report import drift
from conversion_qa.rules.catalogue import Kind
from conversion_qa.rules.drift import AGAINST_FILE, AGAINST_TEST, compared
from conversion_qa.rules.slices import endpoints_received
from conversion_qa.rules.slices.production_matches_test import compare_environments
from conversion_qa.rules.troubleshooting import Subject


@pytest.fixture
def case(request: pytest.FixtureRequest) -> Case:
    """Parametrized by the plugin for every test that carries a rule marker."""
    raise pytest.UsageError(
        f"{request.node.nodeid} asks for 'case' but has no @pytest.mark.rule(...) marker"
    )


@pytest.fixture
def biller(case: Case) -> Biller:
    return case.biller


@pytest.fixture
def environment(case: Case) -> Environment:
    return case.biller.environment(case.environment)


@pytest.fixture
def item(case: Case) -> str | None:
    return case.item


@pytest.fixture
def transport(request: pytest.FixtureRequest, case: Case) -> Transport:
    return services(request.config).transport(case, asking=request.node.name)


def reads_portal(case: Case) -> bool:
    """Whether the case reads the portal's settings: a live run of a rule that uses them."""
    return case.reaches_network


@pytest.fixture
def portal_views(
    request: pytest.FixtureRequest, case: Case, transport: Transport
) -> PortalViews | None:
    """The portal as a signed-in customer's browser shows it: live (one browser per run, one
    signed-in context per biller and environment), or the recording offline; None with
    --no-browser. Nothing is loaded here: the test's first look signs in, so a problem is the
    test's own failure. Its screenshots go on the test's row of the report."""
    views = services(request.config).portal_views(case, transport)
    if views is not None:
        screenshots.keep(request.node, views)
    elif case.live:  # the raw HTTP checks: a pass means less, and the run cannot sign off
        request.node.user_properties.append((WITHOUT_BROWSER, "true"))
    return views


@pytest.fixture
def configured(
    request: pytest.FixtureRequest, case: Case, environment: Environment, transport: Transport
) -> Configured:
    """The biller file's settings offline; the portal's, as configured, in a live run: read
    through the contract on first use, so a portal problem is the asking test's failure, and
    once per run for the biller and environment, shared by every test that reads them (the
    read joins the evidence of each test that uses it)."""
    if reads_portal(case):
        shared = services(request.config).portal_settings(case, case.environment)
        return portal.configured(shared, transport.exchanges)
    return from_file(environment, case.biller.where)


@pytest.fixture
def agreed(
    request: pytest.FixtureRequest, case: Case, environment: Environment, configured: Configured
) -> Iterator[Configured | None]:
    """What the biller file agreed, when `configured` is the portal's (a live run): the checks
    then fail a value that drifted from it. None offline, where the file is what is checked.

    After a live configuration test, the values it compared become rows of the drift table."""
    if not reads_portal(case):
        yield None
        return
    file = from_file(environment, case.biller.where)
    yield file
    shared = services(request.config).portal_settings(case, case.environment)
    if case.rule.kind is Kind.CONFIG and shared.asked:  # never asked: the test could not look
        try:  # the portal was read by the test (cached); a read that failed is its failure
            rows = compared(configured, file, case.rule.id, case.item)
        except ConversionQAError:
            return
        if rows:
            request.node.user_properties.append((drift.DRIFT, drift.encoded(AGAINST_FILE, rows)))


@pytest.fixture
def portals(request: pytest.FixtureRequest, case: Case) -> Iterator[Mapping[str, Configured]]:
    """Each environment's portal settings and options as configured: live, or their recorded
    answers offline (production-matches-test reads both in the same run).

    After a live run, the comparison becomes the drift table's production-against-test rows."""
    found = services(request.config)
    shared = {name: found.portal_settings(case, name) for name in ENVIRONMENTS}
    read = {name: portal.configured(settings) for name, settings in shared.items()}
    yield read
    if case.live and all(settings.asked for settings in shared.values()):
        try:
            rows = compare_environments(read["production"], read["test"], case.biller)
        except ConversionQAError:
            return
        request.node.user_properties.append((drift.DRIFT, drift.encoded(AGAINST_TEST, rows)))


@pytest.fixture
def troubleshooting(
    request: pytest.FixtureRequest,
    case: Case,
    environment: Environment,
    configured: Configured,
    agreed: Configured | None,
    transport: Transport,
) -> AbstractContextManager[None]:
    """`with troubleshooting:` a failure comes with the checklist's troubleshooting answered
    (the see_also rules evaluated now) and the exchange behind it, redacted."""
    found = services(request.config)
    subject = Subject(
        biller=case.biller,
        environment=environment,
        configured=configured,
        agreed=agreed,
        look_up_dns=lambda host: look_up_dns(
            found.run, found.recordings, case.biller.id, host, live=case.live
        ),
        accept_loopback=found.run.dns_tls.accept_loopback,
    )
    return explained(case, subject, transport)


@pytest.fixture
def dns_tls(request: pytest.FixtureRequest) -> DnsTls:
    """--dns-nameserver, --dns-lifetime, --tls-expiry-warning-days and the rehearsal switch."""
    return services(request.config).run.dns_tls


@pytest.fixture
def dns_lookup(
    request: pytest.FixtureRequest, case: Case, item: str | None
) -> Callable[[str], Sourced[list[Answer]]]:
    """Look a host up: ask the nameservers (live), or read what they answered (offline)."""
    if item is None:
        pytest.skip(
            "no endpoint or portal URL with a host in this environment; "
            f"see {endpoints_received.ID}"
        )
    found = services(request.config)
    return lambda host: look_up_dns(
        found.run, found.recordings, case.biller.id, host, live=case.live
    )


@pytest.fixture
def tls_lookup(
    request: pytest.FixtureRequest, case: Case, item: str | None
) -> Callable[[], Sourced[TlsFacts]]:
    """The handshake with the item's endpoint (live), or its recorded facts (offline).

    Called by the test, so that a missing recording fails that test instead of erroring in setup.
    """
    if item is None:
        pytest.skip(f"no https endpoint or portal in this environment; see {endpoints_received.ID}")
    found = services(request.config)
    return lambda: look_up_tls(found.run, found.recordings, case.biller.id, item, live=case.live)
