"""The network rules as a test runs them: what to ask decided by the check, asked by
`gathering` (live or replayed), and what came back judged by the check again.

Each rule's slice (`rules/slices/rtdr.py`, ...) only judges and `gathering` only calls; this is
where the two meet, once per rule, for `tests/test_network.py`.
"""

from __future__ import annotations

from conversion_qa import gathering
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment
from conversion_qa.recordings import Transport
from conversion_qa.recordings.browser import Views
from conversion_qa.rules import pages
from conversion_qa.rules.slices import custom_code, data_pump, iframe_lag, rtdr
from conversion_qa.rules.slices import token_login as token_login_rule
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem

__all__ = [
    "custom_code_present",
    "data_pump_acknowledges",
    "iframe_loads",
    "rtdr_answers",
    "token_login",
    "without_browser",
]


def rtdr_answers(
    transport: Transport, environment: Environment, configured: Configured, account: str | None
) -> Problem | Blocked | None:
    """ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts answers this one, and no other."""
    request = rtdr.rtdr_request(environment, configured, account, live=transport.live)
    if not isinstance(request, rtdr.RtdrRequest):
        return request
    exchange = gathering.rtdr_summaries(
        transport, request.cis, request.setting_131, request.operator, request.accounts
    )
    return rtdr.rtdr_answered(exchange, environment, request.account)


def data_pump_acknowledges(
    transport: Transport,
    biller: Biller,
    environment: Environment,
    configured: Configured,
    kind: str,
) -> Problem | Blocked | None:
    """One transmission of this kind, for a test account, is acknowledged as sent."""
    sent = data_pump.data_pump_transmission(
        biller, environment, configured, kind, live=transport.live
    )
    if not isinstance(sent, data_pump.Transmission):
        return sent
    exchange = gathering.data_pump_transmission(
        transport, sent.cis, kind, sent.operator, sent.account, sent.code, sent.transmission_id
    )
    return data_pump.data_pump_acknowledged(exchange, environment, sent)


def token_login(
    transport: Transport, environment: Environment, configured: Configured
) -> Problem | Blocked | None:
    """Login issues Token1 and Token2 (present, non-empty, different), and S&S accepts them back."""
    login = token_login_rule.login(environment, configured)
    if isinstance(login, Blocked):
        return login
    settings = (login.client, login.secret, login.mode, login.username, login.password)
    tokens = token_login_rule.tokens_issued(
        gathering.payconnect_login(transport, login.url, settings), environment
    )
    if isinstance(tokens, Problem):
        return tokens
    sync = token_login_rule.syncs_accounts(configured)
    exchange = gathering.payconnect_validation(transport, login.url, tokens, sync)
    return token_login_rule.tokens_accepted(exchange, environment, sync)


def custom_code_present(
    portal: Views | None,
    transport: Transport,
    biller: Biller,
    environment: Environment,
    item: str,
) -> Problem | NotChecked | None:
    """The custom code item shows on its page, as a signed-in customer's browser renders it
    (portal: live or recorded); with no browser (portal None, --no-browser) in the raw HTML."""
    missing = pages.no_portal(biller, environment)
    if missing:
        return missing
    code = custom_code.custom_code_item(biller, item)
    site = environment.portal or ""
    if portal is None:
        exchange = gathering.portal_page(transport, site, code.page)
        return custom_code.custom_code_in_html(exchange, environment, code)
    seen = gathering.custom_code_view(portal, custom_code.ID, site, code)
    return custom_code.custom_code_shown(seen, environment, code)


def iframe_loads(
    portal: Views | None,
    transport: Transport,
    biller: Biller,
    environment: Environment,
    item: str,
) -> tuple[Problem | NotChecked | None, bool]:
    """The iFrame's problem, and whether the problem is only that it was slow: timed by a
    browser (live or recorded), or with none (--no-browser) by one GET of the iFrame's URL."""
    missing = pages.no_portal(biller, environment)
    if missing:
        return missing, False
    frame = iframe_lag.iframe_item(biller, item)
    site = environment.portal or ""
    if portal is None:
        exchange = gathering.iframe_document(transport, site, frame)
        return iframe_lag.iframe_answered(exchange, environment, frame)
    seen = gathering.iframe_view(portal, iframe_lag.ID, site, frame)
    return iframe_lag.iframe_shown(seen, environment, frame)


def without_browser(rule: str) -> Problem:
    """The note a rule passed with under --no-browser: a warning, since a pass means less."""
    notes = {custom_code.ID: custom_code.without_browser, iframe_lag.ID: iframe_lag.without_browser}
    return notes[rule]()
