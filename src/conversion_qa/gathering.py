"""Gathering the network rules' facts: the calls to the biller's services, live or replayed.

RTDR, the data pump, the PayConnect login and token validation, and the portal (its raw pages,
or what a browser shows of them) are asked here, through the run's `Transport` or `Views`; what
comes back (an `Exchange`, a `Sourced` view) is judged by each rule's check in its slice
(`rules/slices/rtdr.py`, ...), which calls nothing. A secret setting is revealed here, as it
is sent, and live only.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversion_qa.clients import datapump as datapump_client
from conversion_qa.clients import payconnect as payconnect_client
from conversion_qa.clients import portal as portal_client
from conversion_qa.clients import rtdr as rtdr_client
from conversion_qa.clients.browser import FrameView, PageView
from conversion_qa.clients.http import Exchange
from conversion_qa.config.model import CustomCode, Iframe, SettingValue
from conversion_qa.config.secrets import remember_secret
from conversion_qa.contract import bounded_json, datapump, payconnect
from conversion_qa.contract import portal as portal_contract
from conversion_qa.recordings import Sourced, Transport
from conversion_qa.recordings.browser import Views


def rtdr_summaries(
    transport: Transport,
    cis: str,
    setting_131: SettingValue | None,
    operator: SettingValue,
    accounts: Sequence[str],
) -> Exchange:
    """ACCOUNTSUMMARIESBYACCOUNTIDS asked of the CIS Service for the accounts."""
    request = bounded_json.loads(transport.value(setting_131))
    return rtdr_client.account_summaries(
        transport, cis, request, transport.value(operator), list(accounts)
    )


def data_pump_transmission(
    transport: Transport,
    cis: str,
    kind: str,
    operator: SettingValue,
    account: str,
    code: str | None,
    transmission_id: str,
) -> Exchange:
    """One transmission of this kind sent to the data pump."""
    record = datapump.record(kind, transport.value(operator), account, code, transmission_id)
    return datapump_client.transmit(transport, cis, kind, record)


def payconnect_login(
    transport: Transport, url: str, settings: Sequence[SettingValue | None]
) -> Exchange:
    """The PayConnect login, made with the client id, secret, mode, user name and password (in
    that order). Tokens issued live are secrets from then on, whatever the checks make of them."""
    client, secret, mode, username, password = (transport.value(s) for s in settings)
    exchange = payconnect_client.login(transport, url, client, secret, mode, username, password)
    if transport.live:  # offline tokens are the recording's placeholders
        _remember_tokens(exchange)
    return exchange


def _remember_tokens(exchange: Exchange) -> None:
    try:
        document = bounded_json.loads(exchange.body)
    except ValueError:  # TooDeep is one: nothing to remember in what cannot be read
        return
    if not isinstance(document, dict):
        return
    for name in payconnect.TOKEN_FIELDS:
        token = document.get(name)
        if isinstance(token, str) and token:
            remember_secret(token)


def payconnect_validation(
    transport: Transport, url: str, tokens: tuple[str, str], sync: bool
) -> Exchange:
    """Token1 and Token2 given back to S&S to validate (syncing registered accounts if asked)."""
    return payconnect_client.validate(transport, url, tokens[0], tokens[1], sync)


def portal_page(transport: Transport, portal: str, path: str) -> Exchange:
    """One anonymous GET of a portal page (no browser: --no-browser)."""
    return portal_client.page(transport, portal, path)


def iframe_document(transport: Transport, portal: str, frame: Iframe) -> Exchange:
    """One anonymous GET of the iFrame's own document, on the portal or its own host (no
    browser: --no-browser)."""
    return portal_client.iframe(transport, portal, frame)


def custom_code_view(views: Views, rule: str, portal: str, code: CustomCode) -> Sourced[PageView]:
    """The custom code's page as a signed-in customer's browser shows it (live or recorded),
    recorded under the rule's id."""
    url = portal_contract.page_url(portal, code.page)
    selectors = (code.selector,) if code.selector is not None else ()
    label = f"{rule} {code.id}: {code.page} as the browser showed it"
    return views.page(f"{rule}/{code.id}", url, selectors, label)


def iframe_view(views: Views, rule: str, portal: str, frame: Iframe) -> Sourced[FrameView]:
    """The Capricorn iFrame loaded in its page (or alone), timed by the browser, recorded under
    the rule's id."""
    page_url = portal_contract.page_url(portal, frame.page) if frame.page else None
    frame_url = frame.url(portal)
    label = f"{rule} {frame.name}: {frame.page or frame.path} as the browser showed it"
    return views.frame(f"{rule}/{frame.name}", page_url, frame_url, label)
