"""A portal page as the custom-code and iframe-lag rules judge it, seen by a browser or (with
--no-browser) fetched raw: redirected, unavailable, an error page, what the browser refused."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from conversion_qa.clients.browser import BOUND
from conversion_qa.clients.browser_proxy import origin_of
from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import Service, asks_to_sign_in, status_error
from conversion_qa.config.model import Biller, Environment
from conversion_qa.rules.answers import judged
from conversion_qa.rules.verdict import NotChecked, Problem

# What a check made without a browser says, in its message, the report and the sign-off sheet.
WITHOUT_BROWSER = "checked without a browser"


def without_browser(how: str) -> Problem:
    """The note a rule passed with under --no-browser (`how` it was checked): a warning, since a
    pass means less."""
    return Problem(
        summary=f"Passed, {WITHOUT_BROWSER} (--no-browser): {how}.",
        expected="the portal as a signed-in customer's browser shows it",
        found=f"{WITHOUT_BROWSER}: the raw HTTP answer only",
        fix="run without --no-browser on a machine with Chromium to see the portal as the "
        "biller sees it",
    )


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


def page_problem(exchange: Exchange, environment: Environment, what: str) -> Problem | None:
    """The problem with a portal page's answer: anything but HTTP 200."""
    if exchange.status == 200:
        return None
    return judged(status_error(exchange, portal_service(what, environment), "HTTP 200"))


def portal_service(name: str, environment: Environment) -> Service:
    """The portal as an error about one of its pages names it."""
    return Service(
        name=name,
        system="portal",
        owner="the portal's administrators",
        credentials=f"the portal credentials in environments.{environment.name}.credentials",
    )


def error_page(status: int) -> str:
    """What a customer sees at this status, as the end of a sentence."""
    return ": a customer sees an error page" if status >= 400 else ""


def status_fix(status: int) -> str:
    """What to do about a page that answered this status."""
    if status >= 500:
        return "ask the portal team what fails on this page (the screenshot shows what it said)"
    return "check the page: in the biller file, and ask the portal team whether the page is there"


def bound(deadline: float | None) -> str:
    """The browser's bound as a message says it: `30 s (--call-deadline)`."""
    return f"{deadline:g} s ({BOUND})" if deadline else f"the deadline ({BOUND})"


def with_refused(problem: Problem, refused: tuple[str, ...]) -> Problem:
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


def unavailable(what: str, where: str) -> NotChecked:
    """A page the browser was answered 503 for: the portal says it is down (in maintenance?)."""
    return NotChecked(
        reason="the portal says it is unavailable",
        detail=f"{what} answered HTTP 503 Service Unavailable in the browser: the portal says "
        "it is down (a maintenance window?)",
        fix="ask the portal's administrators whether maintenance is under way and until when; "
        "run the live rules again once it is up",
        where=where,
    )


def sent_elsewhere(
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
    service = portal_service(what, environment)
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


def noted(problem: Problem | None) -> Problem | None:
    """The problem, its summary saying it was checked without a browser."""
    if problem is None or WITHOUT_BROWSER in problem.summary:
        return problem
    said = problem.summary.removesuffix(".")
    return replace(problem, summary=f"{said} ({WITHOUT_BROWSER}).")
