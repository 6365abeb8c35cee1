"""token-login: Token login works: S&S receives Token1 and Token2.

login decides the login to make, `gathering` makes it (live or replayed), tokens_issued and
tokens_accepted judge the answers; plugin/network_rules.py runs them in turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import Service
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Environment, SettingValue
from conversion_qa.contract import payconnect
from conversion_qa.contract.schemas import (
    PAYCONNECT_LOGIN,
    PAYCONNECT_VALIDATE,
)
from conversion_qa.rules import answers, sending
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import HTTP, Slice
from conversion_qa.rules.slices import settings_24_27
from conversion_qa.rules.urls import is_url
from conversion_qa.rules.values import is_blank
from conversion_qa.rules.verdict import Blocked, Problem

ID = "token-login"


@dataclass(frozen=True)
class Login:
    """The PayConnect login to make: its URL, and the settings and credentials it is made with
    (secrets until they are sent)."""

    url: str
    client: SettingValue | None
    secret: SettingValue | None
    mode: SettingValue | None
    username: SettingValue | None
    password: SettingValue | None


def login(environment: Environment, configured: Configured) -> Login | Blocked:
    """The PayConnect login to make, or why none can be made."""
    url = configured.setting(payconnect.URL_SETTING)
    crm = (payconnect.CLIENT_SETTING, payconnect.SECRET_SETTING, payconnect.MODE_SETTING)
    blank = [n for n in crm if is_blank(configured.setting(n))]
    if not (isinstance(url, str) and is_url(url)) or blank:
        return Blocked(f"the login is made with Advanced Settings 24-27 (see {settings_24_27.ID})")
    unsendable = sending.unsendable_url(payconnect.URL_SETTING, url, configured)
    if unsendable is not None:
        return unsendable
    credentials = environment.credentials
    return Login(
        url.strip(),  # as endpoint-settings compares it
        configured.setting(payconnect.CLIENT_SETTING),
        configured.setting(payconnect.SECRET_SETTING),
        configured.setting(payconnect.MODE_SETTING),
        credentials.get("username"),
        credentials.get("password"),
    )


def tokens_issued(exchange: Exchange, environment: Environment) -> tuple[str, str] | Problem:
    """Token1 and Token2 as the login issued them (present, non-empty, different), or the
    problem with them."""
    document = answers.answer(
        exchange,
        _payconnect("PayConnect login", environment),
        PAYCONNECT_LOGIN,
        "HTTP 200 with Token1 and Token2",
    )
    if isinstance(document, Problem):
        return document
    tokens = [document.get(name) for name in payconnect.TOKEN_FIELDS]
    where = f"{exchange.method} {exchange.url}"
    for name, token in zip(payconnect.TOKEN_FIELDS, tokens, strict=True):
        if token is None or not token.strip():
            state = "missing" if token is None else "empty"
            return Problem(
                summary=f"PayConnect login issued no usable {name}: it is {state}.",
                expected="Token1 and Token2, both non-empty",
                found=f"{name} {state}",
                where=where,
            )
    if tokens[0] == tokens[1]:
        return Problem(
            summary="PayConnect login issued Token1 and Token2 with the same value.",
            expected="two different tokens",
            found="Token1 equals Token2",
            where=where,
        )
    return str(tokens[0]), str(tokens[1])


def syncs_accounts(configured: Configured) -> bool:
    """Whether the token validation asks S&S to sync the registered accounts (Option 127)."""
    return configured.options.get("127") is True


def tokens_accepted(exchange: Exchange, environment: Environment, sync: bool) -> Problem | None:
    """S&S accepted Token1 and Token2 back (and synced the registered accounts, if asked)."""
    document = answers.answer(
        exchange,
        _payconnect("PayConnect token validation", environment),
        PAYCONNECT_VALIDATE,
        '{"Accepted": true}',
    )
    if isinstance(document, Problem):
        return document
    if document["Accepted"] is not True:
        return Problem(
            summary="S&S did not accept Token1/Token2 back: "
            f"{document.get('Reason', 'no reason given')}.",
            expected='{"Accepted": true}',
            found='{"Accepted": false}',
            where=f"{exchange.method} {exchange.url}",
        )
    if sync and "RegisteredAccounts" not in document:
        return Problem(
            summary="S&S accepted Token1/Token2 but did not sync the registered accounts "
            "that Option 127 "
            "asks for.",
            expected="RegisteredAccounts in the answer",
            found="no RegisteredAccounts",
            fix="ask S&S to enable the registered-account sync for this client",
            where=f"{exchange.method} {exchange.url}",
        )
    return None


def _payconnect(name: str, environment: Environment) -> Service:
    return Service(
        name=name,
        system="PayConnect",
        owner="S&S",
        credentials="the PayConnect client id and secret in Advanced Settings 25 and 26, and "
        f"the test user in environments.{environment.name}.credentials",
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail token-login first."""
    return (
        Fault(
            "token2-missing",
            "PayConnect login issues Token1 only",
            (ID,),
            "PayConnect login issued no usable Token2: it is missing",
        ),
        Fault(
            "tokens-equal",
            "PayConnect login issues the same value as Token1 and Token2",
            (ID,),
            "Token1 and Token2 with the same value",
        ),
        Fault(
            "tokens-not-accepted",
            "S&S does not accept Token1/Token2 back",
            (ID,),
            "S&S did not accept Token1/Token2 back",
        ),
        Fault(
            "accounts-not-synced",
            "S&S accepts the tokens but does not sync the registered accounts (Option 127)",
            (ID,),
            "did not sync the registered accounts that Option 127 asks for",
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Token login works: S&S receives Token1 and Token2",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.MULTI_USER,
        live_source=Source.NETWORK,
        checklist="QA: validate token-based login for multi-user billers; post-go-live: confirm "
        "Token1/Token2 are returned correctly to S&S",
        troubleshooting="If S&S does not receive Token1/Token2, verify Advanced Settings 24-27 "
        "and retest.",
        see_also=(settings_24_27.ID,),
    ),
    replays=(HTTP,),
    faults=_faults,
)
