"""iframe-lag: Capricorn iFrames load within their limit.

iframe_shown judges the iFrame as a browser timed it (live or recorded), iframe_answered (with
--no-browser) one GET of its URL; plugin/network_rules.py gathers, then judges.
"""

from __future__ import annotations

from http import HTTPStatus

from conversion_qa.clients.browser import FrameView
from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import phrase
from conversion_qa.config.model import Biller, Environment, Iframe
from conversion_qa.contract import portal as portal_contract
from conversion_qa.recordings import Sourced
from conversion_qa.rules import pages
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import BROWSER, Slice
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "iframe-lag"


def iframe_item(biller: Biller, item: str) -> Iframe:
    """The biller's Capricorn iFrame of this name."""
    return next(f for f in biller.capricorn_iframes if f.name == item)


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
        return pages.with_refused(judged, view.refused), False
    if view.seconds is not None and view.seconds > frame.max_seconds:
        return pages.with_refused(
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
    moved = pages.sent_elsewhere(
        asked, view.landed, f"The portal page {page}", environment, where, view.refused
    )
    if moved is not None:
        return moved
    if view.status == HTTPStatus.SERVICE_UNAVAILABLE:
        return pages.unavailable(f"The page of the Capricorn iFrame {frame.name}", where)
    if view.status is not None and view.status != 200:
        subject = "The page of the Capricorn iFrame" if view.page_url else "The Capricorn iFrame"
        return Problem(
            summary=f"{subject} {frame.name} answered HTTP {phrase(view.status)} in the "
            f"browser{pages.error_page(view.status)}.",
            expected="HTTP 200",
            found=f"HTTP {phrase(view.status)} from {view.landed or asked}",
            fix=pages.status_fix(view.status),
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
        moved = pages.sent_elsewhere(
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
                fix=pages.status_fix(view.frame_status),
                where=where,
            )
    if view.seconds is None:
        bound = pages.bound(view.deadline)
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
    problem = pages.page_problem(exchange, environment, f"The Capricorn iFrame {frame.name}")
    if problem is not None:
        return pages.noted(problem), False
    where = f"{exchange.method} {exchange.url}"
    if exchange.seconds > frame.max_seconds:
        slow = Problem(
            summary=f"The Capricorn iFrame {frame.name} took {exchange.seconds:.2f} s to load.",
            expected=f"at most {frame.max_seconds:g} s (max_seconds)",
            found=f"{exchange.seconds:.2f} s",
            where=where,
        )
        return pages.noted(slow), True
    return None, False


def without_browser() -> Problem:
    """The warning a pass under --no-browser carries: what was checked instead."""
    return pages.without_browser(
        "the iFrame's own URL was timed with one GET, not loaded inside its page "
        "with its scripts, styles and sub-requests"
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail iframe-lag first."""
    return (
        Fault(
            "slow-iframe",
            "the first Capricorn iFrame answers later than its max_seconds",
            (ID,),
            "took",
            replayable=False,
        ),
        Fault(
            "iframe-404",
            "the first Capricorn iFrame's document answers 404 Not Found: an error page inside "
            "the portal page, whose load event still fires quickly",
            (ID,),
            "answered HTTP 404 Not Found inside /Billing: a customer sees an error page",
            message_without_browser="rejected the request (HTTP 404 Not Found)",
        ),
        Fault(
            "iframe-500",
            "the first Capricorn iFrame's document answers 500 with a Runtime Error page",
            (ID,),
            "answered HTTP 500 Internal Server Error inside /Billing: a customer sees an error "
            "page",
            message_without_browser="failed on its side (HTTP 500 Internal Server Error)",
        ),
        Fault(
            "iframe-hang",
            "the first Capricorn iFrame's host takes the request and never answers, so the "
            "iFrame (and its page's load event) never comes",
            (ID,),
            "did not load inside /Billing within",
            replayable=False,
            message_without_browser="(--read-timeout)",
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Capricorn iFrames load within their limit",
        impact="medium",
        kind=Kind.NETWORK,
        applies=Applies.IFRAMES,
        live_source=Source.NETWORK,
        checklist="Test portal + post-go-live: monitor for lag in Capricorn iFrames (expected in "
        "test, not in production)",
        troubleshooting="In test a slow iFrame is normal; in production raise it with IC IT.",
    ),
    items=lambda b, _e: [f.name for f in b.capricorn_iframes],
    replays=(BROWSER,),
    faults=_faults,
)
