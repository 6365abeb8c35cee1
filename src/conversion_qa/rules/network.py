"""The checks of the network rules: rtdr, data-pump, token-login, custom-code, iframe-lag.

They only judge: what to send is decided here from the settings (a request record), the calling
is done by `conversion_qa.gathering`, and what came back (an exchange, a browser's view) is judged
here again. `plugin/network_rules.py` runs the three in turn.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from conversion_qa.clients.browser import BOUND, SETTLE_SECONDS, FrameView, PageView
from conversion_qa.clients.browser_proxy import origin_of
from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import Service, asks_to_sign_in, phrase, status_error
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, CustomCode, Environment, Iframe, SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import bounded_json, datapump, payconnect, rtdr
from conversion_qa.contract import portal as portal_contract
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.contract.schemas import (
    DATAPUMP_ACK,
    PAYCONNECT_LOGIN,
    PAYCONNECT_VALIDATE,
    RTDR_RESPONSE,
    schema_problem,
)
from conversion_qa.errors import ConversionQAError
from conversion_qa.recordings import Sourced
from conversion_qa.rules import selectors
from conversion_qa.rules import settings as check
from conversion_qa.rules.slices import custom_code, iframe_lag
from conversion_qa.rules.urls import is_url, same_url, why_unsendable
from conversion_qa.rules.values import is_blank
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem


def _answer(
    exchange: Exchange, service: Service, schema: str, expected: str
) -> dict[str, Any] | Problem:
    """The JSON document of a 200 answer that fits its schema, or the problem with it."""
    what = service.name
    if exchange.status != 200:
        return _judged(status_error(exchange, service, expected))
    try:
        document = bounded_json.loads(exchange.body)
    except TooDeep as error:
        return Problem(
            summary=f"{what} answered HTTP 200 with JSON {error}, deeper than any answer of the "
            "contract; it was not read.",
            expected=expected,
            found=f"JSON {error} ({len(exchange.body):,} characters)",
            fix="compare the answer with docs/contract.md; ask the service's owner why it "
            "answers this",
            where=f"{exchange.method} {exchange.url}",
        )
    except ValueError as error:
        return Problem(
            summary=f"{what} answered HTTP 200 but its body is not valid JSON ({error}).",
            expected=expected,
            found=_short(exchange.body),
            where=f"{exchange.method} {exchange.url}",
        )
    problem = schema_problem(schema, document)
    if problem:
        return Problem(
            summary=f"{what} answered, but not in the contract's shape ({problem}).",
            expected=f"{expected} (contract/schemas/{schema}.json)",
            found=_short(exchange.body),
            fix="compare the answer with docs/contract.md; if S&S's real shape differs, update the "
            "contract",
            where=f"{exchange.method} {exchange.url}",
        )
    return document  # type: ignore[no-any-return]  # the schema says it is an object


def _judged(error: ConversionQAError) -> Problem:
    """An answer's error as the rule's problem; raised as it is when the answer says nothing
    that can be judged (a service down for maintenance: the rule is not checked)."""
    if error.not_checked:
        raise error
    return _problem(error)


def _problem(error: ConversionQAError) -> Problem:
    """A service's error, built with its parts as fields, as the rule's problem."""
    return Problem(
        summary=error.what,
        expected=error.expected or "",
        found=error.found or "",
        fix=error.fix,
        where=error.where,
    )


def _cis(name: str, environment: Environment) -> Service:
    return Service(
        name=name,
        system="CIS Service",
        owner="S&S",
        credentials=f"the operator number in Advanced Setting 12 (as the {environment.name} "
        "portal has it; the biller file's is environments."
        f"{environment.name}.advanced_settings.12)",
    )


def _portal(name: str, environment: Environment) -> Service:
    return Service(
        name=name,
        system="portal",
        owner="the portal's administrators",
        credentials=f"the portal credentials in environments.{environment.name}.credentials",
    )


def _payconnect(name: str, environment: Environment) -> Service:
    return Service(
        name=name,
        system="PayConnect",
        owner="S&S",
        credentials="the PayConnect client id and secret in Advanced Settings 25 and 26, and "
        f"the test user in environments.{environment.name}.credentials",
    )


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split()) or "(empty body)"
    return text if len(text) <= limit else text[:limit] + "…"


def _cis_endpoint(configured: Configured, environment: Environment, *, live: bool) -> str | Blocked:
    """The CIS Service URL as the Advanced Settings point at it: where production sends.

    Live, a wrong URL is called and fails as it would in production. Offline a recording can
    say nothing about a URL S&S did not provide, so the rule waits for endpoint-settings.
    """
    value = configured.setting(rtdr.CIS_SETTING)
    if not (isinstance(value, str) and is_url(value)):
        return Blocked(
            f"Advanced Setting {rtdr.CIS_SETTING} holds no CIS Service URL in "
            f"{configured.source}, so nothing can be called (see endpoint-settings)"
        )
    unsendable = _unsendable(rtdr.CIS_SETTING, value, configured)
    if unsendable is not None:
        return unsendable
    if not live and not same_url(value, environment.endpoints.get("cis_service")):
        return Blocked(
            f"offline, RTDR and the data pump are replayed for the CIS Service endpoint S&S "
            f"provided only; Advanced Setting {rtdr.CIS_SETTING} is {value} (see "
            "endpoint-settings; a live run calls it)"
        )
    return value.strip()  # as endpoint-settings compares it


def _unsendable(number: str, value: str, configured: Configured) -> Blocked | None:
    """A setting's URL that cannot be called as it reads (readers would take it to different
    hosts): never called; endpoint-settings fails it."""
    problem = why_unsendable(value)
    if problem is None:
        return None
    return Blocked(
        f"Advanced Setting {number} in {configured.source} {problem}, so nothing was sent to it "
        "(see endpoint-settings)"
    )


def _operator(configured: Configured) -> SettingValue | Blocked:
    value = configured.setting("12")
    if value is None or is_blank(value):
        return Blocked("there is no operator number to send (see operator-number)")
    return value


# rtdr ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RtdrRequest:
    """What RTDR is asked: the CIS Service URL, the settings the request is built from (a
    secret stays one until it is sent) and the test accounts; `account` is the one judged."""

    account: str
    cis: str
    setting_131: SettingValue | None
    operator: SettingValue
    accounts: tuple[str, ...]


def rtdr_request(
    environment: Environment, configured: Configured, account: str | None, *, live: bool
) -> RtdrRequest | Problem | Blocked:
    """The RTDR request to send for the test account, or why none can be sent (live: whether
    the run calls the services, rather than replaying their recordings)."""
    if account is None:
        return Problem(
            summary=f"No test accounts for {environment.name}: RTDR is tested with them only.",
            expected="test_accounts in the biller file",
            found="none",
            fix=f"add environments.{environment.name}.test_accounts",
        )
    cis = _cis_endpoint(configured, environment, live=live)
    if isinstance(cis, Blocked):
        return cis
    if check.setting_131(configured) is not None:
        return Blocked("the RTDR request is built from Advanced Setting 131 (see setting-131)")
    setting_131 = configured.setting("131")
    if isinstance(setting_131, Secret) and not live:
        return Blocked(
            "Advanced Setting 131 is kept in a ${VAR}, so offline the RTDR request cannot be "
            "built from it; a live run sends it"
        )
    operator = _operator(configured)
    if isinstance(operator, Blocked):
        return operator
    return RtdrRequest(account, cis, setting_131, operator, tuple(environment.test_accounts))


def rtdr_answered(exchange: Exchange, environment: Environment, account: str) -> Problem | None:
    """ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts answered this one, and no other."""
    asked = list(environment.test_accounts)
    expected = f"HTTP 200 with the account summaries of {', '.join(asked)}"
    document = _answer(exchange, _cis("RTDR", environment), RTDR_RESPONSE, expected)
    if isinstance(document, Problem):
        return document
    answered = [s["AccountId"] for s in document["AccountSummaries"]]
    others = sorted(set(answered) - set(asked))
    if others:
        return Problem(
            summary=f"RTDR answered accounts that were not asked for: {', '.join(others)}.",
            expected=f"exactly the test accounts asked for: {', '.join(asked)}",
            found=f"accounts {', '.join(answered)}",
            fix="S&S must answer the accounts in AccountIds only; check the operator number "
            "(Advanced Setting 12) maps to this biller",
            where=f"{exchange.method} {exchange.url}",
        )
    repeated = {a: n for a, n in Counter(answered).items() if n > 1}
    if repeated:
        return Problem(
            summary="RTDR answered "
            + ", ".join(f"account {a} {n} times" for a, n in repeated.items())
            + ": each account asked for must be answered once.",
            expected=f"one summary for each test account asked for: {', '.join(asked)}",
            found=f"accounts {', '.join(answered)}",
            fix="S&S must answer each account in AccountIds once; ask S&S why the account is "
            "duplicated in the converted CIS (which summary would the portal show?)",
            where=f"{exchange.method} {exchange.url}",
        )
    summaries = [s for s in document["AccountSummaries"] if s["AccountId"] == account]
    if not summaries:
        return Problem(
            summary=f"RTDR did not answer test account {account}.",
            expected=f"a summary for {account}",
            found=f"accounts {', '.join(answered) or 'none'}",
            fix="ask S&S whether the test account exists in the converted CIS",
            where=f"{exchange.method} {exchange.url}",
        )
    return _amount_problem(summaries[0], exchange)


def _amount_problem(summary: dict[str, Any], exchange: Exchange) -> Problem | None:
    # A negative amount is a credit: the payments side shows $0, which is not a failure here.
    try:
        Decimal(summary["AmountDue"])
    except InvalidOperation:
        return Problem(
            summary=f"RTDR's AmountDue for {summary['AccountId']} is not a decimal amount.",
            expected='a decimal string such as "42.10"',
            found=repr(summary["AmountDue"]),
            where=f"{exchange.method} {exchange.url}",
        )
    return None


# data-pump ----------------------------------------------------------------------------------------


def tender_code(biller: Biller, kind: str) -> str | None:
    """The code of the kind's payment method; the first code when the biller has no such method."""
    method = datapump.tender_method(kind)
    declared = {t.method: t.code for t in biller.tender_types}
    if method in declared:
        code = declared[method]  # None (or blank) when the method has no code: see tender-types
        return code if code and code.strip() else None
    return next((t.code for t in biller.tender_types if t.code and t.code.strip()), None)


@dataclass(frozen=True)
class Transmission:
    """One data pump transmission to send: where, of what kind, for which account; the
    operator number stays a secret until it is sent."""

    cis: str
    kind: str
    operator: SettingValue
    account: str
    code: str | None
    transmission_id: str


def data_pump_transmission(
    biller: Biller, environment: Environment, configured: Configured, kind: str, *, live: bool
) -> Transmission | Problem | Blocked:
    """The transmission of this kind to send for a test account, or why none can be sent."""
    cis = _cis_endpoint(configured, environment, live=live)
    if isinstance(cis, Blocked):
        return cis
    operator = _operator(configured)
    if isinstance(operator, Blocked):
        return operator
    if not environment.test_accounts:
        return Problem(
            summary=f"No test account for {environment.name}: the data pump is only ever "
            "tested with "
            "the biller's test accounts.",
            expected="at least one test account",
            found="none",
            where=biller.where("environments", environment.name, "test_accounts"),
        )
    account = environment.test_accounts[0]
    code = tender_code(biller, kind)
    if kind != "paperless" and code is None:
        return Blocked(f"there is no tender code to send with the {kind} (see tender-types)")
    transmission = datapump.transmission_id(biller.id, environment.name, kind, account)
    return Transmission(cis, kind, operator, account, code, transmission)


def data_pump_acknowledged(
    exchange: Exchange, environment: Environment, sent_one: Transmission
) -> Problem | None:
    """The transmission sent was acknowledged as sent, for itself."""
    kind, account, transmission = sent_one.kind, sent_one.account, sent_one.transmission_id
    service = _cis(f"The data pump ({kind})", environment)
    document = _answer(exchange, service, DATAPUMP_ACK, "HTTP 200 with an acknowledgement")
    if isinstance(document, Problem):
        return document
    if document["Status"] != datapump.ACCEPTED:
        return Problem(
            summary=f"The data pump rejected the {kind} transmission: "
            f"{document.get('Reason', 'no reason given')}.",
            expected=f"Status {datapump.ACCEPTED}",
            found=f"Status {document['Status']}",
            fix="ask S&S why the transmission was rejected",
            where=f"{exchange.method} {exchange.url}",
        )
    sent = {"TransmissionId": transmission, "Kind": datapump.KINDS[kind], "AccountId": account}
    wrong = {key: document[key] for key, value in sent.items() if document[key] != value}
    if wrong:
        return Problem(
            summary=f"The data pump's acknowledgement does not match the {kind} transmission sent.",
            expected=", ".join(f"{k} {v}" for k, v in sent.items()),
            found=", ".join(f"{k} {v}" for k, v in wrong.items()),
            where=f"{exchange.method} {exchange.url}",
        )
    # No balance change is expected right after a payment: RTDR is not re-asked here (DOMAIN.md).
    return None


# token-login --------------------------------------------------------------------------------------


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
        return Blocked("the login is made with Advanced Settings 24-27 (see settings-24-27)")
    unsendable = _unsendable(payconnect.URL_SETTING, url, configured)
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
    document = _answer(
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
    document = _answer(
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


# custom-code, iframe-lag --------------------------------------------------------------------------


def no_portal(biller: Biller, environment: Environment) -> Problem | None:
    """The problem when the biller file gives no portal URL: nothing of the portal can be seen."""
    if environment.portal:
        return None
    return Problem(
        summary=f"No portal URL for {environment.name} in the biller file.",
        expected="the portal's https URL",
        found="nothing",
        fix=f"write environments.{environment.name}.portal",
        where=biller.where("environments", environment.name),
    )


def _page_problem(exchange: Exchange, environment: Environment, what: str) -> Problem | None:
    """The problem with a portal page's answer: anything but HTTP 200."""
    if exchange.status == 200:
        return None
    return _judged(status_error(exchange, _portal(what, environment), "HTTP 200"))


def custom_code_item(biller: Biller, item: str) -> CustomCode:
    """The biller's custom code item of this id."""
    return next(c for c in biller.custom_code if c.id == item)


def iframe_item(biller: Biller, item: str) -> Iframe:
    """The biller's Capricorn iFrame of this name."""
    return next(f for f in biller.capricorn_iframes if f.name == item)


# What a check made without a browser says, in its message, the report and the sign-off sheet.
WITHOUT_BROWSER = "checked without a browser"


def without_browser(rule: str) -> Problem:
    """The note a rule passed with under --no-browser: a warning, since a pass means less."""
    how = {
        custom_code.ID: "the page's raw HTML was searched, fetched without signing in: code a "
        "script adds after load cannot be seen, and text in a comment or a hidden template "
        "counts",
        iframe_lag.ID: "the iFrame's own URL was timed with one GET, not loaded inside its page "
        "with its scripts, styles and sub-requests",
    }[rule]
    return Problem(
        summary=f"Passed, {WITHOUT_BROWSER} (--no-browser): {how}.",
        expected="the portal as a signed-in customer's browser shows it",
        found=f"{WITHOUT_BROWSER}: the raw HTTP answer only",
        fix="run without --no-browser on a machine with Chromium to see the portal as the "
        "biller sees it",
    )


def custom_code_shown(
    seen: Sourced[PageView], environment: Environment, code: CustomCode
) -> Problem | NotChecked | None:
    """The custom code item shows on its page, as a signed-in customer's browser rendered it
    (live or recorded)."""
    url = portal_contract.page_url(environment.portal or "", code.page)
    view = seen.value
    where = f"{url}, {seen.source}"
    moved = _sent_elsewhere(
        url, view.url, f"The portal page {code.page}", environment, where, view.refused
    )
    if moved is not None:
        return _with_refused(moved, view.refused)
    if view.status == HTTPStatus.SERVICE_UNAVAILABLE:
        return _unavailable(f"The portal page {code.page}", where)
    if view.status is not None and view.status != 200:
        return _with_refused(
            Problem(
                summary=f"The portal page {code.page} answered HTTP {phrase(view.status)} in the "
                f"browser{_error_page(view.status)}.",
                expected="HTTP 200",
                found=f"HTTP {phrase(view.status)} from {view.url}: {_showed(view)}",
                fix=_status_fix(view.status),
                where=where,
            ),
            view.refused,
        )
    if code.selector is not None:
        shown = view.selectors.get(code.selector, False)
    else:
        shown = _normal(code.expect or "") in _normal(view.text)
    if shown:
        return None
    return _with_refused(
        Problem(
            summary=f"Custom code '{code.id}' is not on the portal page {code.page} as a "
            "signed-in customer's browser shows it.",
            expected=f"{code.searched} on {code.page}",
            found=f"not shown; the page showed {_showed(view)}{_unsettled(view)}",
            fix="ask the portal team whether the custom code was carried over to this portal",
            where=where,
        ),
        view.refused,
    )


def _error_page(status: int) -> str:
    return ": a customer sees an error page" if status >= 400 else ""


def _status_fix(status: int) -> str:
    if status >= 500:
        return "ask the portal team what fails on this page (the screenshot shows what it said)"
    return "check the page: in the biller file, and ask the portal team whether the page is there"


def _unsettled(view: PageView) -> str:
    """What the page was still doing when it was judged, if anything."""
    bound = _bound(view.deadline)
    if not view.loaded:
        return (
            f"; the page had not finished loading (no load event) within {bound}, judged as it "
            "was then"
        )
    if not view.settled:
        return (
            "; the page never went quiet on the network (a widget polling, say): judged "
            f"{SETTLE_SECONDS:g} s after its load event"
        )
    return ""


def _bound(deadline: float | None) -> str:
    """The browser's bound as a message says it: `30 s (--call-deadline)`."""
    return f"{deadline:g} s ({BOUND})" if deadline else f"the deadline ({BOUND})"


def _with_refused(problem: Problem, refused: tuple[str, ...]) -> Problem:
    """The problem, naming what the browser was not let load (it may be why), unless said."""
    unsaid = [origin for origin in refused if origin not in problem.found]
    if not unsaid:
        return problem
    named = ", ".join(unsaid)
    return replace(
        problem,
        found=f"{problem.found}; the browser did not load {named}: it loads only the portal's "
        "own origin and its iFrames'",
        fix=f"{problem.fix + '; ' if problem.fix else ''}ask the portal team why the page needs "
        f"{named}",
    )


def _unavailable(what: str, where: str) -> NotChecked:
    """A page the browser was answered 503 for: the portal says it is down (in maintenance?)."""
    return NotChecked(
        reason="the portal says it is unavailable",
        detail=f"{what} answered HTTP 503 Service Unavailable in the browser: the portal says "
        "it is down (a maintenance window?)",
        fix="ask the portal's administrators whether maintenance is under way and until when; "
        "run the live rules again once it is up",
        where=where,
    )


def _sent_elsewhere(
    asked: str,
    landed: str,
    what: str,
    environment: Environment,
    where: str,
    refused: tuple[str, ...] = (),
) -> Problem | None:
    """The problem when the browser ended on another page than the one it opened: the portal
    redirected it (to its sign-in page, say); None when it stayed, or where it ended is unknown.
    A redirect to an origin the browser may not load is said, and that it was not followed."""
    if not landed or _page_of(landed) == _page_of(asked):
        return None
    shown = urlsplit(landed).path or "/"
    if urlsplit(landed).netloc.lower() != urlsplit(asked).netloc.lower():
        shown = landed
    service = _portal(what, environment)
    if asks_to_sign_in(landed):
        summary = f"{what} redirected to {shown}: the portal asked to sign in."
        fix = f"check {service.credentials}"
    else:
        summary = f"{what} redirected to {shown}: the page has moved."
        fix = "point the biller file's page: where it now leads, if the portal team confirms it"
    ended = f"the browser ended on {landed}"
    if _origin_text(landed) in refused:
        ended = f"sent to {landed}, which the browser did not follow (not the portal's origin)"
    return Problem(
        summary=summary,
        expected=f"{_page_of(asked)} itself, signed in",
        found=ended,
        fix=fix,
        where=where,
    )


def _origin_text(url: str) -> str:
    """The URL's origin as the browser's refusals name it ("" when it has none)."""
    try:
        return str(origin_of(url))
    except ValueError:
        return ""


def _page_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/') or '/'}"


def _normal(text: str) -> str:
    """Text compared as a reader sees it: any run of spaces and line breaks is one space, and
    case does not count (styles such as text-transform change innerText's case)."""
    return " ".join(text.split()).casefold()


def _showed(view: PageView) -> str:
    """What the page showed: its title and a few visible lines."""
    lines = " / ".join(_short(line, 80) for line in view.lines()) or "no visible text"
    return f"the title {view.title or '(none)'!r} and: {lines}"


def custom_code_in_html(
    exchange: Exchange, environment: Environment, code: CustomCode
) -> Problem | None:
    """With no browser (--no-browser): the expect text, or an element matching a simple
    selector, in the raw HTML of an anonymous GET (no scripts run, comments count)."""
    problem = _page_problem(exchange, environment, f"The portal page {code.page}")
    if problem is not None:
        return _noted(problem)
    if code.selector is not None:
        compound = selectors.parse(code.selector)
        if compound is None:
            return Problem(
                summary=f"Custom code '{code.id}' cannot be looked for in raw HTML "
                f"({WITHOUT_BROWSER}): its selector needs a browser.",
                expected=f"{code.searched} on {code.page}",
                found="a selector with combinators or pseudo-classes, which only a browser "
                "can match",
                fix="run without --no-browser on a machine with Chromium",
                where=f"{exchange.method} {exchange.url}",
            )
        present = selectors.in_html(exchange.body, compound)
    else:
        present = (code.expect or "") in exchange.body
    if present:
        return None
    return Problem(
        summary=f"Custom code '{code.id}' is missing from the portal page {code.page} "
        f"({WITHOUT_BROWSER}).",
        expected=f"the page's raw HTML has {code.searched.removeprefix('the visible text ')}",
        found=f"not found in the page's {len(exchange.body)} characters",
        where=f"{exchange.method} {exchange.url}",
    )


def _noted(problem: Problem | None) -> Problem | None:
    if problem is None or WITHOUT_BROWSER in problem.summary:
        return problem
    said = problem.summary.removesuffix(".")
    return replace(problem, summary=f"{said} ({WITHOUT_BROWSER}).")


def iframe_shown(
    seen: Sourced[FrameView], environment: Environment, frame: Iframe
) -> tuple[Problem | NotChecked | None, bool]:
    """The iFrame's problem, and whether the problem is only that it was slow, as a browser
    saw it (live or recorded): the time from navigating to its page (`page:`; without one, to
    the iFrame's own URL) to the iFrame's own load event."""
    site = environment.portal or ""
    page_url = portal_contract.page_url(site, frame.page) if frame.page else None
    frame_url = frame.url(site)
    inside = f" inside {frame.page}" if frame.page else " on its own (no page: in the file)"
    view = seen.value
    where = f"{page_url or frame_url}, {seen.source}"
    judged = _frame_problem(view, frame, environment, where)
    if isinstance(judged, NotChecked):
        return judged, False
    if judged is not None:
        return _with_refused(judged, view.refused), False
    if view.seconds is not None and view.seconds > frame.max_seconds:
        return _with_refused(
            Problem(
                summary=f"The Capricorn iFrame {frame.name} took {view.seconds:.2f} s to load"
                f"{inside} (from navigation to the iFrame's load event, measured by the browser).",
                expected=f"at most {frame.max_seconds:g} s (max_seconds)",
                found=f"{view.seconds:.2f} s",
                where=where,
            ),
            view.refused,
        ), True
    return None, False


def _frame_problem(
    view: FrameView, frame: Iframe, environment: Environment, where: str
) -> Problem | NotChecked | None:
    """What keeps the iFrame from being timed: its page or its own document redirected or
    answered an error, the page has no such iFrame, or it never loaded."""
    inside = f" inside {frame.page}" if frame.page else ""
    page = frame.page or frame.path
    asked = view.page_url or view.frame_url
    moved = _sent_elsewhere(
        asked, view.landed, f"The portal page {page}", environment, where, view.refused
    )
    if moved is not None:
        return moved
    if view.status == HTTPStatus.SERVICE_UNAVAILABLE:
        return _unavailable(f"The page of the Capricorn iFrame {frame.name}", where)
    if view.status is not None and view.status != 200:
        subject = "The page of the Capricorn iFrame" if view.page_url else "The Capricorn iFrame"
        return Problem(
            summary=f"{subject} {frame.name} answered HTTP {phrase(view.status)} in the "
            f"browser{_error_page(view.status)}.",
            expected="HTTP 200",
            found=f"HTTP {phrase(view.status)} from {view.landed or asked}",
            fix=_status_fix(view.status),
            where=where,
        )
    if not view.found:
        return Problem(
            summary=f"The portal page {frame.page} has no Capricorn iFrame {frame.name} "
            f"({frame.path}).",
            expected=f"an iFrame loading {frame.path} on {frame.page}",
            found="no such iFrame on the page, after it settled (its scripts ran)",
            fix="check the page: and path: of the iFrame in the biller file, and that the portal "
            "page embeds it",
            where=where,
        )
    if view.page_url is not None:
        moved = _sent_elsewhere(
            view.frame_url,
            view.frame_landed,
            f"The Capricorn iFrame {frame.name}",
            environment,
            where,
            view.refused,
        )
        if moved is not None:
            return moved
        if view.frame_status is not None and view.frame_status >= 400:
            return Problem(
                summary=f"The Capricorn iFrame {frame.name} answered HTTP "
                f"{phrase(view.frame_status)}{inside}: a customer sees an error page in its "
                "place.",
                expected="the iFrame's document answered HTTP 200",
                found=f"HTTP {phrase(view.frame_status)} from "
                f"{view.frame_landed or view.frame_url}",
                fix=_status_fix(view.frame_status),
                where=where,
            )
    if view.seconds is None:
        bound = _bound(view.deadline)
        on_its_own = inside or " on its own (no page: in the file)"
        return Problem(
            summary=f"The Capricorn iFrame {frame.name} did not load{on_its_own} within {bound}.",
            expected=f"its load event within {frame.max_seconds:g} s (max_seconds)",
            found=f"no load event within {bound}",
            fix="ask the portal team why the iFrame does not load (the screenshot shows the "
            "page at the deadline)",
            where=where,
        )
    return None


def iframe_answered(
    exchange: Exchange, environment: Environment, frame: Iframe
) -> tuple[Problem | None, bool]:
    """With no browser (--no-browser): one GET of the iFrame's own URL, timed; its problem,
    and whether the problem is only that it was slow."""
    problem = _page_problem(exchange, environment, f"The Capricorn iFrame {frame.name}")
    if problem is not None:
        return _noted(problem), False
    where = f"{exchange.method} {exchange.url}"
    if exchange.seconds > frame.max_seconds:
        slow = Problem(
            summary=f"The Capricorn iFrame {frame.name} took {exchange.seconds:.2f} s to load.",
            expected=f"at most {frame.max_seconds:g} s (max_seconds)",
            found=f"{exchange.seconds:.2f} s",
            where=where,
        )
        return _noted(slow), True
    return None, False
