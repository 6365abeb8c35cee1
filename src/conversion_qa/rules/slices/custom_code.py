"""custom-code: No custom code is missing from the test portal.

custom_code_shown judges the page as a browser showed it (live or recorded), custom_code_in_html
(with --no-browser) its raw HTML; plugin/network_rules.py gathers, then judges.
"""

from __future__ import annotations

from http import HTTPStatus

from conversion_qa.clients.browser import SETTLE_SECONDS, PageView
from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import phrase
from conversion_qa.config.model import Biller, CustomCode, Environment
from conversion_qa.contract import portal as portal_contract
from conversion_qa.recordings import Sourced
from conversion_qa.rules import answers, pages, selectors
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import BROWSER, Slice
from conversion_qa.rules.slices import iframe_lag
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "custom-code"


def custom_code_item(biller: Biller, item: str) -> CustomCode:
    """The biller's custom code item of this id."""
    return next(c for c in biller.custom_code if c.id == item)


def custom_code_shown(
    seen: Sourced[PageView], environment: Environment, code: CustomCode
) -> Problem | NotChecked | None:
    """The custom code item shows on its page, as a signed-in customer's browser rendered it
    (live or recorded)."""
    url = portal_contract.page_url(environment.portal or "", code.page)
    view = seen.value
    where = f"{url}, {seen.source}"
    moved = pages.sent_elsewhere(
        url, view.url, f"The portal page {code.page}", environment, where, view.refused
    )
    if moved is not None:
        return pages.with_refused(moved, view.refused)
    if view.status == HTTPStatus.SERVICE_UNAVAILABLE:
        return pages.unavailable(f"The portal page {code.page}", where)
    if view.status is not None and view.status != 200:
        return pages.with_refused(
            Problem(
                summary=f"The portal page {code.page} answered HTTP {phrase(view.status)} in the "
                f"browser{pages.error_page(view.status)}.",
                expected="HTTP 200",
                found=f"HTTP {phrase(view.status)} from {view.url}: {_showed(view)}",
                fix=pages.status_fix(view.status),
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
    return pages.with_refused(
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


def _unsettled(view: PageView) -> str:
    """What the page was still doing when it was judged, if anything."""
    bound = pages.bound(view.deadline)
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


def _normal(text: str) -> str:
    """Text compared as a reader sees it: any run of spaces and line breaks is one space, and
    case does not count (styles such as text-transform change innerText's case)."""
    return " ".join(text.split()).casefold()


def _showed(view: PageView) -> str:
    """What the page showed: its title and a few visible lines."""
    lines = " / ".join(answers.short(line, 80) for line in view.lines()) or "no visible text"
    return f"the title {view.title or '(none)'!r} and: {lines}"


def custom_code_in_html(
    exchange: Exchange, environment: Environment, code: CustomCode
) -> Problem | None:
    """With no browser (--no-browser): the expect text, or an element matching a simple
    selector, in the raw HTML of an anonymous GET (no scripts run, comments count)."""
    problem = pages.page_problem(exchange, environment, f"The portal page {code.page}")
    if problem is not None:
        return pages.noted(problem)
    if code.selector is not None:
        compound = selectors.parse(code.selector)
        if compound is None:
            return Problem(
                summary=f"Custom code '{code.id}' cannot be looked for in raw HTML "
                f"({pages.WITHOUT_BROWSER}): its selector needs a browser.",
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
        f"({pages.WITHOUT_BROWSER}).",
        expected=f"the page's raw HTML has {code.searched.removeprefix('the visible text ')}",
        found=f"not found in the page's {len(exchange.body)} characters",
        where=f"{exchange.method} {exchange.url}",
    )


def without_browser() -> Problem:
    """The warning a pass under --no-browser carries: what was checked instead."""
    return pages.without_browser(
        "the page's raw HTML was searched, fetched without signing in: code a "
        "script adds after load cannot be seen, and text in a comment or a hidden template "
        "counts"
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail custom-code first."""
    return (
        Fault(
            "signin-redirect",
            "the portal's pages and iFrames answer 302 to /login (a visitor not signed in)",
            (ID, iframe_lag.ID),
            "redirected to /login: the portal asked to sign in",
        ),
        Fault(
            "custom-code-missing",
            "the portal page lacks the first custom code item",
            (ID,),
            "is not on the portal page /Home as a signed-in customer's browser shows it",
            message_without_browser="is missing from the portal page",
        ),
        Fault(
            "custom-code-by-script",
            "the custom code is added by a script after the page loads (a browser sees it; the "
            "raw HTML does not)",
            (),
            "is missing from the portal page",
            fails_without_browser=(ID,),
        ),
        Fault(
            "custom-code-in-comment",
            "the custom code's expected text is only inside an HTML comment (the raw HTML has "
            "it; a browser shows nothing)",
            (ID,),
            "as a signed-in customer's browser shows it",
            fails_without_browser=(),
        ),
        Fault(
            "page-500",
            "the custom code's portal pages answer 500 with a Runtime Error page",
            (ID,),
            "answered HTTP 500 Internal Server Error in the browser: a customer sees an error page",
            message_without_browser="failed on its side (HTTP 500 Internal Server Error)",
        ),
        Fault(
            "custom-code-off-portal",
            "the custom code is added by a script the page loads from another host, neither the "
            "portal nor an iFrame host of the biller file (the browser does not load it)",
            (ID,),
            "the browser did not load https://collector.evil.example",
            message_without_browser="is missing from the portal page",
        ),
        Fault(
            "page-off-portal",
            "the portal's pages redirect to the same path on another host, neither the portal nor "
            "an iFrame host of the biller file (the browser does not follow)",
            (ID, iframe_lag.ID),
            "redirected to https://collector.evil.example/",
            fails_without_browser=(ID,),  # the raw check GETs the iFrame's URL alone
            message_without_browser="redirected off its host, to https://collector.evil.example/",
        ),
        Fault(
            "sign-in-formaction",
            "the sign-in form's submit button has a formaction to another host",
            (ID, iframe_lag.ID),
            "the sign-in would have sent the user name and the password to "
            "https://collector.evil.example: aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Fault(
            "sign-in-action-changed",
            "a script on the sign-in page points the form's action at another host while the "
            "password is typed",
            (ID, iframe_lag.ID),
            "the sign-in would have sent the user name and the password to "
            "https://collector.evil.example: aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Fault(
            "sign-in-fetch",
            "a script on the sign-in page fetch()es the typed password to another host",
            (ID, iframe_lag.ID),
            "the sign-in would have sent the password to https://collector.evil.example: "
            "aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Fault(
            "sign-in-refused",
            "the portal's sign-in form refuses the test user",
            (ID, iframe_lag.ID),
            "the portal did not accept the test user's sign-in",
            replayable=False,
            fails_without_browser=(),
        ),
        Fault(
            "sign-in-off-host",
            "the portal's sign-in page sends the browser to a form on another host",
            (ID, iframe_lag.ID),
            "the credentials were not typed",
            replayable=False,
            fails_without_browser=(),
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="No custom code is missing from the test portal",
        impact="high",
        kind=Kind.NETWORK,
        applies=Applies.CUSTOM_CODE,
        live_source=Source.NETWORK,
        checklist="QA: ensure no custom code is missing from the test portal",
        troubleshooting="Ask IC IT to deploy the biller's custom code to this portal.",
    ),
    items=lambda b, _e: [c.id for c in b.custom_code],
    replays=(BROWSER,),
    faults=_faults,
)
