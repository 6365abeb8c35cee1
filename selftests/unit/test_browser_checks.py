"""custom-code and iframe-lag judged on what a browser showed (live or recorded), with a fake
browser: what each check asks for, and each way the page can be wrong."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from conversion_qa.clients.browser import FrameView, PageView
from conversion_qa.config.model import CustomCode, Iframe
from conversion_qa.contract import portal
from conversion_qa.plugin import network_rules as check
from conversion_qa.recordings import Sourced
from selftests.unit.builders import NotChecked, Problem, demo, environment
from selftests.unit.fakes import FakeTransport

PORTAL = "https://demo-test.portal.example.com"
HOME = portal.page_url(PORTAL, "/Home")
BILLING = portal.page_url(PORTAL, "/Billing")
BILL_VIEW = portal.page_url(PORTAL, "/Capricorn/BillView")
SELECTOR = '[data-demo="budget-banner"]'
SOURCE = "seen by Chromium 156, signed in as the test user"


def page(
    text: str = "Signed in\nDemo Gas & Water\nGo paperless",
    shown: bool = True,
    status: int | None = 200,
    settled: bool = True,
    loaded: bool = True,
    refused: tuple[str, ...] = (),
    url: str = HOME,
) -> PageView:
    return PageView(
        url=url,
        status=status,
        title="Demo: /Home",
        text=text,
        selectors={SELECTOR: shown},
        settled=settled,
        loaded=loaded,
        refused=refused,
        deadline=30.0,
    )


def frame(
    seconds: float | None = 0.4,
    found: bool = True,
    status: int | None = 200,
    frame_status: int | None = 200,
    frame_landed: str = BILL_VIEW,
    refused: tuple[str, ...] = (),
) -> FrameView:
    return FrameView(
        BILLING,
        BILL_VIEW,
        status,
        found,
        seconds,
        frame_status=frame_status,
        frame_landed=frame_landed,
        refused=refused,
        deadline=4.0,
    )


@dataclass
class FakeViews:
    """A browser that shows what it is given, and keeps what it was asked."""

    shows: PageView = field(default_factory=page)
    frame_shows: FrameView = field(default_factory=frame)
    asked: list[tuple[str, str | None, str, tuple[str, ...]]] = field(default_factory=list)

    def page(self, key: str, url: str, selectors: Sequence[str], label: str) -> Sourced[PageView]:
        self.asked.append((key, None, url, tuple(selectors)))
        return Sourced(self.shows, SOURCE)

    def frame(
        self, key: str, page_url: str | None, frame_url: str, label: str
    ) -> Sourced[FrameView]:
        self.asked.append((key, page_url, frame_url, ()))
        return Sourced(self.frame_shows, SOURCE)


def nothing_sent() -> FakeTransport:
    return FakeTransport({}, live=True)


def custom_code(
    views: FakeViews, item: str = "budget-billing-banner"
) -> Problem | NotChecked | None:
    transport = nothing_sent()
    problem = check.custom_code_present(
        views, transport.as_transport(), demo(), environment(), item
    )
    assert transport.sent == []  # the browser looks; no raw HTTP request is made
    return problem


# custom-code ------------------------------------------------------------------------------------


def test_a_visible_element_matching_the_selector_passes_and_the_browser_is_asked_for_it() -> None:
    views = FakeViews()
    assert custom_code(views) is None
    assert views.asked == [("custom-code/budget-billing-banner", None, HOME, (SELECTOR,))]


def test_no_visible_element_is_a_problem_naming_the_search_the_page_and_what_it_showed() -> None:
    problem = custom_code(FakeViews(shows=page(shown=False)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "Custom code 'budget-billing-banner' is not on the portal page /Home as a signed-in "
        "customer's browser shows it."
    )
    assert problem.expected == (f"a visible element matching the CSS selector {SELECTOR} on /Home")
    assert problem.found == (
        "not shown; the page showed the title 'Demo: /Home' and: Signed in / Demo Gas & Water "
        "/ Go paperless"
    )
    assert problem.where == f"{HOME}, {SOURCE}"


@pytest.mark.parametrize(
    "text", ["Go paperless", "GO PAPERLESS today", "Please\n  go   paperless"], ids=str
)
def test_expected_text_is_found_as_a_reader_sees_it(text: str) -> None:
    views = FakeViews(shows=page(text=text))
    assert custom_code(views, "paperless-promo") is None
    assert views.asked == [("custom-code/paperless-promo", None, HOME, ())]


def test_text_the_page_does_not_show_is_a_problem_even_if_its_html_had_it() -> None:
    # a comment's text is in the raw HTML but never in what the browser shows (innerText)
    problem = custom_code(FakeViews(shows=page(text="Signed in\nDemo")), "paperless-promo")
    assert isinstance(problem, Problem)
    assert problem.expected == "the visible text 'Go paperless' on /Home"
    assert "the page showed the title 'Demo: /Home' and: Signed in / Demo" in problem.found


def test_a_page_that_never_went_idle_is_judged_after_the_quiet_period_and_says_so() -> None:
    problem = custom_code(FakeViews(shows=page(shown=False, settled=False)))
    assert isinstance(problem, Problem)
    assert problem.found.endswith(
        "; the page never went quiet on the network (a widget polling, say): judged 3 s after "
        "its load event"
    )


def test_a_page_that_never_finished_loading_is_judged_as_shown_and_says_the_bound() -> None:
    problem = custom_code(FakeViews(shows=page(shown=False, settled=False, loaded=False)))
    assert isinstance(problem, Problem)
    assert problem.found.endswith(
        "; the page had not finished loading (no load event) within 30 s (--call-deadline), "
        "judged as it was then"
    )


@pytest.mark.parametrize(
    ("status", "said"), [(404, "404 Not Found"), (500, "500 Internal Server Error")]
)
def test_a_page_answering_an_error_in_the_browser_is_a_problem_naming_status_and_url(
    status: int, said: str
) -> None:
    problem = custom_code(FakeViews(shows=page(status=status, text="Runtime Error")))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"The portal page /Home answered HTTP {said} in the browser: a customer sees an error page."
    )
    assert problem.found == f"HTTP {said} from {HOME}: the title 'Demo: /Home' and: Runtime Error"


def test_what_the_browser_did_not_load_is_named_in_the_failure() -> None:
    refused = ("https://cdn.example.net",)
    problem = custom_code(FakeViews(shows=page(shown=False, refused=refused)))
    assert isinstance(problem, Problem)
    assert problem.found.endswith(
        "; the browser did not load https://cdn.example.net: it loads only the portal's own "
        "origin and its iFrames'"
    )
    assert "ask the portal team why the page needs https://cdn.example.net" in (problem.fix or "")


def test_a_page_sent_off_the_portal_is_a_redirect_the_browser_did_not_follow() -> None:
    elsewhere = "https://login.example.net/sso/start"
    shows = page(url=elsewhere, status=None, text="", refused=("https://login.example.net",))
    problem = custom_code(FakeViews(shows=shows))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"The portal page /Home redirected to {elsewhere}: the portal asked to sign in."
    )
    assert problem.found.startswith(
        f"sent to {elsewhere}, which the browser did not follow (not the portal's origin)"
    )


def test_without_a_portal_url_the_browser_is_not_asked() -> None:
    views = FakeViews()
    problem = check.custom_code_present(
        views,
        nothing_sent().as_transport(),
        demo(),
        environment(portal=None),
        "budget-billing-banner",
    )
    assert isinstance(problem, Problem)
    assert problem.summary == "No portal URL for test in the biller file."
    assert views.asked == []


def test_the_searched_text_of_an_item() -> None:
    assert CustomCode("x", "/Home", expect="Hi").searched == "the visible text 'Hi'"
    assert CustomCode("x", "/Home", selector="#x").searched == (
        "a visible element matching the CSS selector #x"
    )


# iframe-lag -------------------------------------------------------------------------------------


def iframe(
    views: FakeViews, biller_frames: tuple[Iframe, ...] | None = None
) -> tuple[object, bool]:
    biller = demo()
    if biller_frames is not None:
        biller = dataclasses.replace(biller, capricorn_iframes=biller_frames)
    return check.iframe_loads(
        views, nothing_sent().as_transport(), biller, environment(), "bill-view"
    )


@pytest.mark.parametrize("seconds", [0.2, 3.0], ids=["quick", "exactly-the-limit"])
def test_an_iframe_loaded_within_its_limit_inside_its_page_passes(seconds: float) -> None:
    views = FakeViews(frame_shows=frame(seconds))
    assert iframe(views) == (None, False)
    assert views.asked == [("iframe-lag/bill-view", BILLING, BILL_VIEW, ())]


def test_a_slow_iframe_is_only_slow_and_says_what_was_measured() -> None:
    problem, only_slow = iframe(FakeViews(frame_shows=frame(3.456)))
    assert isinstance(problem, Problem)
    assert only_slow is True
    assert problem.summary == (
        "The Capricorn iFrame bill-view took 3.46 s to load inside /Billing (from navigation to "
        "the iFrame's load event, measured by the browser)."
    )
    assert (problem.expected, problem.found) == ("at most 3 s (max_seconds)", "3.46 s")
    assert problem.where == f"{BILLING}, {SOURCE}"


def test_an_iframe_without_a_page_is_opened_on_its_own() -> None:
    alone = (Iframe(name="bill-view", path="/Capricorn/BillView", max_seconds=3.0),)
    views = FakeViews(frame_shows=dataclasses.replace(frame(5.0), page_url=None))
    problem, only_slow = iframe(views, alone)
    assert views.asked == [("iframe-lag/bill-view", None, BILL_VIEW, ())]
    assert isinstance(problem, Problem)
    assert "on its own (no page: in the file)" in problem.summary
    assert only_slow is True


def test_a_page_without_the_iframe_is_a_problem_not_only_slow() -> None:
    problem, only_slow = iframe(FakeViews(frame_shows=frame(None, found=False)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The portal page /Billing has no Capricorn iFrame bill-view (/Capricorn/BillView)."
    )
    assert problem.found == "no such iFrame on the page, after it settled (its scripts ran)"
    assert only_slow is False


def test_an_iframe_that_never_loaded_fails_naming_the_bound_and_its_option() -> None:
    problem, only_slow = iframe(FakeViews(frame_shows=frame(None, frame_status=None)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The Capricorn iFrame bill-view did not load inside /Billing within 4 s (--call-deadline)."
    )
    assert problem.found == "no load event within 4 s (--call-deadline)"
    assert only_slow is False


def test_an_iframe_page_answering_500_is_a_problem_not_only_slow() -> None:
    problem, only_slow = iframe(FakeViews(frame_shows=frame(0.1, status=500)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The page of the Capricorn iFrame bill-view answered HTTP 500 Internal Server Error in "
        "the browser: a customer sees an error page."
    )
    assert only_slow is False


@pytest.mark.parametrize(
    ("status", "said"), [(404, "404 Not Found"), (500, "500 Internal Server Error")]
)
def test_an_iframe_whose_document_answers_an_error_fails_however_fast_it_loaded(
    status: int, said: str
) -> None:
    problem, only_slow = iframe(FakeViews(frame_shows=frame(0.05, frame_status=status)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"The Capricorn iFrame bill-view answered HTTP {said} inside /Billing: a customer sees "
        "an error page in its place."
    )
    assert problem.found == f"HTTP {said} from {BILL_VIEW}"
    assert only_slow is False


def test_an_iframe_redirected_to_sign_in_says_so() -> None:
    landed = portal.page_url(PORTAL, "/login")
    problem, _ = iframe(FakeViews(frame_shows=frame(0.1, frame_landed=landed)))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The Capricorn iFrame bill-view redirected to /login: the portal asked to sign in."
    )
