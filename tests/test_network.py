"""The network rules of the checklist: replayed from fixtures offline, real under -m live.
custom-code and iframe-lag look at the portal in a real browser, signed in (offline: at what the
browser saw when it was recorded).

`with troubleshooting:` adds to a failure the results of the rules the checklist says to check,
and the request and answer behind it (redacted).
"""

from contextlib import AbstractContextManager

import pytest

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment
from conversion_qa.plugin import network_rules as check
from conversion_qa.plugin import require, warn
from conversion_qa.recordings import PortalViews, Transport
from conversion_qa.rules.verdict import Problem

Troubleshooting = AbstractContextManager[None]


@pytest.mark.rule("rtdr")
def test_rtdr(
    environment: Environment,
    configured: Configured,
    transport: Transport,
    troubleshooting: Troubleshooting,
    item: str | None,
) -> None:
    """RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for this test account, and no account not asked."""
    with troubleshooting:
        require(check.rtdr_answers(transport, environment, configured, item))


@pytest.mark.rule("data-pump")
def test_data_pump(
    biller: Biller,
    environment: Environment,
    configured: Configured,
    transport: Transport,
    troubleshooting: Troubleshooting,
    item: str,
) -> None:
    """The data pump acknowledges a payment, paperless or autopay transmission as sent."""
    with troubleshooting:
        require(check.data_pump_acknowledges(transport, biller, environment, configured, item))


@pytest.mark.rule("token-login")
def test_token_login(
    environment: Environment,
    configured: Configured,
    transport: Transport,
    troubleshooting: Troubleshooting,
) -> None:
    """Login issues Token1 and Token2, present, non-empty and different; S&S accepts them back."""
    with troubleshooting:
        require(check.token_login(transport, environment, configured))


@pytest.mark.rule("custom-code")
def test_custom_code(
    request: pytest.FixtureRequest,
    biller: Biller,
    environment: Environment,
    portal_views: PortalViews | None,
    transport: Transport,
    troubleshooting: Troubleshooting,
    item: str,
) -> None:
    """The biller's custom code item is on its portal page, as a signed-in customer's browser
    shows it (--no-browser: in the page's raw HTML, and it says so)."""
    with troubleshooting:
        require(check.custom_code_present(portal_views, transport, biller, environment, item))
        if portal_views is None:
            warn(request.node, check.without_browser("custom-code"))


@pytest.mark.rule("iframe-lag")
def test_iframe_lag(
    request: pytest.FixtureRequest,
    biller: Biller,
    environment: Environment,
    portal_views: PortalViews | None,
    transport: Transport,
    troubleshooting: Troubleshooting,
    item: str,
) -> None:
    """The Capricorn iFrame, loaded by a browser inside its portal page, loads within its limit
    (slow in test: a warning; in production: a failure)."""
    with troubleshooting:
        problem, only_slow = check.iframe_loads(portal_views, transport, biller, environment, item)
        if isinstance(problem, Problem) and only_slow and environment.name != "production":
            warn(request.node, problem)
            return
        require(problem)
        if portal_views is None:
            warn(request.node, check.without_browser("iframe-lag"))
