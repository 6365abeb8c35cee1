"""The network rules of the checklist: replayed from fixtures offline, real under -m live."""

import pytest

from conversion_qa.clients.transport import Transport
from conversion_qa.config.model import Biller, Environment
from conversion_qa.network_run import network_run
from conversion_qa.rules import network as check
from conversion_qa.rules.configured import Configured
from conversion_qa.rules.troubleshooting import explained
from conversion_qa.targets import Case
from conversion_qa.verdict import Problem, require, warn


@pytest.mark.rule("rtdr")
def test_rtdr(
    request: pytest.FixtureRequest,
    case: Case,
    environment: Environment,
    configured: Configured,
    transport: Transport,
    item: str | None,
) -> None:
    """RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for this test account, and no account not asked."""
    with explained(case, configured, transport, request.config):
        if item is None:
            require(
                Problem(
                    f"No test accounts for {environment.name}: RTDR is tested with them only.",
                    "test_accounts in the biller file",
                    "none",
                    None,
                    case.biller.where("environments", environment.name, "test_accounts"),
                )
            )
            return
        require(check.rtdr_answers(transport, environment, configured, item))


@pytest.mark.rule("data-pump")
def test_data_pump(
    request: pytest.FixtureRequest,
    case: Case,
    biller: Biller,
    environment: Environment,
    configured: Configured,
    transport: Transport,
    item: str,
) -> None:
    """The data pump acknowledges a payment, paperless or autopay transmission as sent."""
    allowed = network_run(request.config).options.allow_production_writes
    if case.live and environment.name == "production" and not allowed:
        pytest.skip(
            "data-pump writes to S&S: a live run sends transmissions to production only "
            "with --allow-production-writes (test accounts only)"
        )
    with explained(case, configured, transport, request.config):
        require(check.data_pump_acknowledges(transport, biller, environment, configured, item))


@pytest.mark.rule("token-login")
def test_token_login(
    request: pytest.FixtureRequest,
    case: Case,
    environment: Environment,
    configured: Configured,
    transport: Transport,
) -> None:
    """Login issues Token1 and Token2, present, non-empty and different; S&S accepts them back."""
    with explained(case, configured, transport, request.config):
        require(check.token_login(transport, environment, configured))


@pytest.mark.rule("custom-code")
def test_custom_code(
    request: pytest.FixtureRequest,
    case: Case,
    biller: Biller,
    environment: Environment,
    configured: Configured,
    transport: Transport,
    item: str,
) -> None:
    """The biller's custom code item is on its portal page."""
    with explained(case, configured, transport, request.config):
        require(check.custom_code_present(transport, biller, environment, item))


@pytest.mark.rule("iframe-lag")
def test_iframe_lag(
    request: pytest.FixtureRequest,
    case: Case,
    biller: Biller,
    environment: Environment,
    configured: Configured,
    transport: Transport,
    item: str,
) -> None:
    """The Capricorn iFrame loads within its limit (slow in test: a warning, in production: a
    failure)."""
    with explained(case, configured, transport, request.config):
        problem, only_slow = check.iframe_loads(transport, biller, environment, item)
        if problem is not None and only_slow and environment.name != "production":
            warn(request.node, problem)
            return
        require(problem)
