"""The browser client: a real headless Chromium, driven by Playwright, that signs in to a portal
as a test user and reports what a customer sees: a page's visible text and elements, how long an
iFrame takes to load inside its page, and a screenshot.

One `Browser` per process (per xdist worker), started on first use; one signed-in
`PortalSession` (a browser context) per biller and environment. Every navigation and wait has
the deadline of its whole check. The browser goes out only through `VerifyingProxy`, which
verifies TLS against the run's trust and routes like `--resolve`. Knows nothing of pytest.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from conversion_qa import __version__
from conversion_qa.clients.browser_proxy import VerifyingProxy
from conversion_qa.contract import portal
from conversion_qa.errors import (
    BrowserError,
    BrowserMissing,
    ConversionQAError,
    PageNotLoaded,
    SignInError,
)

if TYPE_CHECKING:  # Playwright is imported when a browser is started, never for offline runs
    from playwright.sync_api import Browser as Chromium
    from playwright.sync_api import BrowserContext, Page, Playwright

HostPort = tuple[str, int]
USER_AGENT_SUFFIX = f"conversion-qa/{__version__}"
VIEWPORT = {"width": 1280, "height": 800}
TEXT_LIMIT = 20_000  # characters of a page's visible text kept (a message shows a few lines)
SCREENSHOT_SECONDS = 5.0  # a screenshot's own allowance, also after a page that timed out
SETTLE_RESERVE = 0.25  # part of the deadline kept for looking and the screenshot after settling
LAUNCH_FLAGS = (
    "--no-sandbox",  # CI runs as root in a container; the pages are the biller's own portal
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
# Where Chromium, Chrome or Edge usually are, after the names on PATH.
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_PLACES = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)


def find_browser(chosen: Path | None = None) -> Path | None:
    """The browser to drive: the one chosen (--browser-path), else the first one installed."""
    if chosen is not None:
        return chosen if chosen.is_file() else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((Path(place) for place in _PLACES if os.path.isfile(place)), None)


def install_command(system: str | None = None) -> str:
    """How to install a browser on this machine, as one instruction."""
    system = system or platform.system()
    if system == "Darwin":
        return "brew install --cask chromium (or install Google Chrome)"
    if system == "Windows":
        return "install Google Chrome or Microsoft Edge"
    return "sudo apt-get install chromium"


def missing_browser(chosen: Path | None) -> BrowserMissing:
    what = (
        f"no browser at {chosen} (--browser-path)"
        if chosen is not None
        else "no Chromium, Chrome or Edge is installed here"
    )
    return BrowserMissing(
        f"{what}: the portal must be seen in a real browser",
        fix=f"{install_command()}, or give --browser-path=PATH; or pass --no-browser to check the "
        "raw HTML instead (it says so in the report)",
        expected="a Chromium-based browser to load the portal pages",
        found=what,
    )


@dataclass(frozen=True)
class BrowserOptions:
    executable: Path
    deadline: float  # seconds for one whole check: navigate, settle, look, screenshot
    connect_timeout: float
    ca_bundle: Path | None = None
    resolve: Mapping[HostPort, HostPort] = field(default_factory=dict)


@dataclass(frozen=True)
class PageView:
    """A portal page as the browser showed it."""

    url: str  # where the browser ended up
    status: int | None  # the page's HTTP status (None: not known)
    title: str
    text: str  # visible text (innerText: no markup, comments, scripts or hidden elements)
    selectors: Mapping[str, bool]  # each selector asked: whether a matching element is visible
    settled: bool  # the network went idle within the deadline
    screenshot: bytes | None = None

    def lines(self, count: int = 5) -> list[str]:
        """The first few non-empty visible lines."""
        found = [" ".join(line.split()) for line in self.text.splitlines()]
        return [line for line in found if line][:count]


@dataclass(frozen=True)
class FrameView:
    """An iFrame loaded by the browser, inside its portal page or on its own."""

    page_url: str | None  # the page that hosts it; None: the iFrame's URL was opened on its own
    frame_url: str
    status: int | None  # the HTTP status of what was navigated to
    found: bool  # the page has an iFrame at frame_url's path
    seconds: float | None  # navigation start to the iFrame's load event; None: it did not load
    screenshot: bytes | None = None
    landed: str = ""  # where the page ended up (a sign-in page, say); "": not known


class Deadline:
    """The time one check may take, spent by each step in turn."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def ms(self, reserve: float = 0.0) -> float:
        """Milliseconds left for a Playwright call (at least 1: 0 would mean no limit)."""
        return max(1.0, (self.left() - reserve * self.seconds) * 1000)


class Browser:
    """One headless Chromium for the run (per process), started when first needed."""

    def __init__(self, options: BrowserOptions) -> None:
        self.options = options
        self._lock = threading.RLock()  # a launch that fails closes what it started, holding it
        self._playwright: Playwright | None = None
        self._chromium: Chromium | None = None
        self._proxy: VerifyingProxy | None = None
        self._error: BrowserError | None = None
        self._user_agent = ""

    @property
    def version(self) -> str:
        return f"Chromium {self._chromium.version}" if self._chromium is not None else "Chromium"

    def _started(self) -> Chromium:
        with self._lock:
            if self._error is not None:
                raise self._error  # a browser that would not start costs one try per run
            if self._chromium is None:
                try:
                    self._chromium = self._launch()
                except BrowserError as error:
                    self._error = error
                    raise
            return self._chromium

    def _launch(self) -> Chromium:
        from playwright.sync_api import Error, sync_playwright

        options = self.options
        self._proxy = VerifyingProxy(
            ca_bundle=options.ca_bundle,
            resolve=options.resolve,
            connect_timeout=options.connect_timeout,
        )
        try:
            self._playwright = sync_playwright().start()
            chromium = self._playwright.chromium.launch(
                executable_path=str(options.executable),
                headless=True,
                args=[
                    *LAUNCH_FLAGS,
                    f"--ignore-certificate-errors-spki-list={self._proxy.spki_hash}",
                ],
                proxy={"server": self._proxy.server, "bypass": "<-loopback>"},
                timeout=max(30_000.0, options.deadline * 1000),
            )
            page = chromium.new_page()
            agent = str(page.evaluate("navigator.userAgent"))
            page.close()
        except Error as error:
            self.close()
            raise BrowserError(
                f"{options.executable} would not start: {_first_line(error)}",
                fix="check the browser runs here (a Chromium-based browser), or pass --no-browser",
            ) from None
        self._user_agent = f"{agent.replace('HeadlessChrome', 'Chrome')} {USER_AGENT_SUFFIX}"
        return chromium

    def session(
        self,
        portal_url: str,
        credentials: Callable[[], tuple[str, str]],
    ) -> PortalSession:
        """A portal's session: its own context, signed in when first used."""
        return PortalSession(self, portal_url, credentials)

    def new_context(self) -> BrowserContext:
        chromium = self._started()
        return chromium.new_context(
            viewport=VIEWPORT,  # type: ignore[arg-type]
            user_agent=self._user_agent,
            ignore_https_errors=False,
            java_script_enabled=True,
            service_workers="block",  # what the page loads goes through the proxy, every time
        )

    def why(self, url: str, error: Exception) -> str:
        """A failed navigation in words: the proxy's reason for a refused tunnel, if it had one."""
        text = _first_line(error)
        host = urlsplit(url).hostname or ""
        refused = self._proxy.failure(host) if self._proxy is not None else None
        if refused and "ERR_TUNNEL_CONNECTION_FAILED" in text:
            hint = "; see endpoint-tls, or give the CA with --ca-bundle" if "TLS" in refused else ""
            return f"{refused}{hint}"
        return text

    def close(self) -> None:
        with self._lock:
            for stop in (
                self._chromium.close if self._chromium is not None else None,
                self._playwright.stop if self._playwright is not None else None,
                self._proxy.stop if self._proxy is not None else None,
            ):
                if stop is not None:
                    with contextlib.suppress(Exception):  # a browser that already went away
                        stop()
            self._chromium = self._playwright = self._proxy = None


class PortalSession:
    """One biller environment's portal in its own browser context, signed in once, on first use.

    The credentials are typed only into a page of the portal's own host (https, same host and
    port), and only into a form that sends them there; a sign-in that fails fails every check
    of this portal with the same reason, without trying again.
    """

    def __init__(
        self, browser: Browser, portal_url: str, credentials: Callable[[], tuple[str, str]]
    ) -> None:
        self._browser = browser
        self._portal = portal_url
        self._credentials = credentials
        self._context: BrowserContext | None = None
        self._error: ConversionQAError | None = None
        self._lock = threading.Lock()
        self.signed_in = False
        self._masked: tuple[str, ...] = ()

    @property
    def browser_version(self) -> str:
        return self._browser.version

    def close(self) -> None:
        if self._context is not None:
            with contextlib.suppress(Exception):  # the browser already closed it
                self._context.close()
            self._context = None

    def _signed_in(self) -> BrowserContext:
        """The signed-in context; signing in (after the browser started) has its own deadline."""
        with self._lock:
            if self._error is not None:
                raise self._error
            if self._context is None:
                context = self._browser.new_context()
                try:
                    self._sign_in(context, Deadline(self._browser.options.deadline))
                except Exception as error:
                    context.close()
                    if isinstance(error, ConversionQAError):  # an unset secret, a refusal
                        self._error = error
                    raise
                self._context = context
            return self._context

    def _sign_in(self, context: BrowserContext, deadline: Deadline) -> None:
        from playwright.sync_api import Error

        url = portal.sign_in_url(self._portal)
        page = context.new_page()
        try:
            try:
                response = page.goto(url, wait_until="load", timeout=deadline.ms())
            except Error as error:  # no answer: the sign-in could not even be tried
                raise self._not_loaded(url, error, deadline) from None
            self._own_host(page.url, "the sign-in page")
            if response is not None and response.status == HTTPStatus.SERVICE_UNAVAILABLE:
                raise PageNotLoaded(
                    f"the portal's sign-in page {url} says it is unavailable (HTTP 503 Service "
                    "Unavailable): a maintenance window?",
                    fix="ask the portal's administrators whether maintenance is under way and "
                    "until when; run the live rules again once it is up",
                    expected=f"HTTP 200 with the sign-in form at {portal.SIGN_IN_PATH}",
                    found="HTTP 503 Service Unavailable",
                    where=url,
                )
            if response is None or response.status != 200:
                status = response.status if response is not None else "no answer"
                raise SignInError(
                    f"the portal's sign-in page {url} answered HTTP {status}",
                    fix="check the portal URL; the sign-in form's path is in contract/portal.py",
                    expected=f"HTTP 200 with the sign-in form at {portal.SIGN_IN_PATH}",
                    found=f"HTTP {status}",
                    where=url,
                )
            password = page.locator(portal.PASSWORD_FIELD).first
            action = str(
                password.evaluate(
                    "e => e.form ? e.form.action : document.location.href", timeout=deadline.ms()
                )
            )
            self._own_host(action, "the sign-in form's action (where it sends the credentials)")
            user, secret = self._credentials()
            self._masked = tuple(value for value in (user, secret) if len(value) >= 3)
            self._own_host(page.url, "the sign-in page")  # again, just before typing
            page.locator(portal.USERNAME_FIELD).first.fill(user, timeout=deadline.ms())
            password.fill(secret, timeout=deadline.ms())
            with page.expect_navigation(wait_until="load", timeout=deadline.ms()):
                page.locator(portal.SUBMIT_BUTTON).first.click(timeout=deadline.ms())
            refused = page.locator(portal.PASSWORD_FIELD).first.is_visible()
        except Error as error:
            raise SignInError(
                f"could not sign in to the portal at {url}: {self._browser.why(url, error)}",
                fix=f"check the portal answers in a browser (within {deadline.seconds:g} s, "
                "--read-timeout) and that its sign-in form matches contract/portal.py",
                expected="the sign-in form, submitted, and a signed-in page",
                found=_first_line(error),
                where=url,
            ) from None
        finally:
            page.close()
        if refused:
            raise SignInError(
                f"the portal did not accept the test user's sign-in at {url}: the sign-in form is "
                "still shown after submitting it",
                fix="check the environment's credentials in the biller file",
                expected="a signed-in page after submitting the form",
                found="the sign-in form again",
                where=url,
            )
        self.signed_in = True

    def _own_host(self, url: str, what: str) -> None:
        """Credentials go only to the portal's own host, over https: refuse anything else."""
        own, there = urlsplit(self._portal), urlsplit(url)
        same = (
            there.scheme == "https"
            and (there.hostname or "") == (own.hostname or "")
            and (there.port or 443) == (own.port or 443)
        )
        if not same:
            raise SignInError(
                f"{what} is at {there.scheme}://{there.netloc}, not the portal's own host "
                f"{own.netloc}: the credentials were not typed",
                fix="check the portal URL in the biller file; a sign-in that leaves the portal's "
                "host is not one the suite signs in to",
                expected=f"https://{own.netloc}",
                found=f"{there.scheme}://{there.netloc}",
                where=url,
            )

    # looking ----------------------------------------------------------------------------------

    def view_page(self, url: str, selectors: Sequence[str] = ()) -> PageView:
        """Open url signed in, wait until the page settles (network idle), and look at it."""
        from playwright.sync_api import Error, TimeoutError

        context = self._signed_in()
        deadline = Deadline(self._browser.options.deadline)
        page = context.new_page()
        try:
            try:
                response = page.goto(url, wait_until="load", timeout=deadline.ms())
            except Error as error:
                raise self._not_loaded(url, error, deadline) from None
            settled = True
            try:
                page.wait_for_load_state("networkidle", timeout=deadline.ms(SETTLE_RESERVE))
            except TimeoutError:
                settled = False  # judged as rendered now; the message says it never settled
            visible = {s: self._visible(page, s, deadline) for s in selectors}
            text = str(page.evaluate("document.body ? document.body.innerText : ''"))
            shown = next((s for s, seen in visible.items() if seen), None)
            if shown is not None:
                page.locator(shown).first.scroll_into_view_if_needed(timeout=deadline.ms())
            return PageView(
                url=page.url,
                status=response.status if response is not None else None,
                title=page.title(),
                text=text[:TEXT_LIMIT],
                selectors=visible,
                settled=settled,
                screenshot=self._screenshot(page),
            )
        except Error as error:
            raise self._not_loaded(url, error, deadline) from None
        finally:
            page.close()

    def _visible(self, page: Page, selector: str, deadline: Deadline) -> bool:
        from playwright.sync_api import Error

        try:
            return bool(
                page.evaluate(
                    "s => Array.from(document.querySelectorAll(s)).some(e => e.checkVisibility())",
                    selector,
                )
            )
        except Error as error:
            raise BrowserError(
                f"{selector!r} is not a CSS selector the browser understands "
                f"({_first_line(error)})",
                fix="correct the custom code item's selector: in the biller file",
                expected="a valid CSS selector",
                found=selector,
            ) from None

    def view_frame(self, page_url: str | None, frame_url: str) -> FrameView:
        """Load the iFrame inside its page (or alone) and time it: from the navigation's start
        to the iFrame's own load event, both as the browser's Navigation Timing has them."""
        from playwright.sync_api import Error, TimeoutError

        context = self._signed_in()
        deadline = Deadline(self._browser.options.deadline)
        target = page_url or frame_url
        page = context.new_page()
        try:
            try:
                response = page.goto(target, wait_until="load", timeout=deadline.ms())
            except TimeoutError:  # the page (and so its iFrame) did not load within the deadline
                return FrameView(page_url, frame_url, None, True, None, self._screenshot(page))
            except Error as error:
                raise self._not_loaded(target, error, deadline) from None
            status = response.status if response is not None else None
            if page_url is None:
                seconds = self._load_seconds(page.main_frame, None)
                shot = self._screenshot(page)
                return FrameView(None, frame_url, status, True, seconds, shot, page.url)
            wanted = urlsplit(frame_url).path.rstrip("/")
            frame = next(
                (
                    f
                    for f in page.frames
                    if f is not page.main_frame and urlsplit(f.url).path.rstrip("/") == wanted
                ),
                None,
            )
            if frame is None:
                shot = self._screenshot(page)
                return FrameView(page_url, frame_url, status, False, None, shot, page.url)
            origin = float(page.evaluate("performance.timeOrigin"))
            seconds = self._load_seconds(frame, origin)
            element = frame.frame_element()
            element.scroll_into_view_if_needed(timeout=deadline.ms())
            shot = self._screenshot(page)
            return FrameView(page_url, frame_url, status, True, seconds, shot, page.url)
        except Error as error:
            raise self._not_loaded(target, error, deadline) from None
        finally:
            page.close()

    @staticmethod
    def _load_seconds(frame: Any, origin: float | None) -> float | None:
        """Seconds from the top page's navigation start (origin) to the frame's load event."""
        own_origin, load_end = frame.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return [performance.timeOrigin, n ? n.loadEventEnd : 0]; }"
        )
        if not load_end:
            return None
        start = own_origin if origin is None else origin
        return max(0.0, (float(own_origin) + float(load_end) - float(start)) / 1000)

    def _screenshot(self, page: Page) -> bytes | None:
        """The viewport, with any text showing a credential masked."""
        from playwright.sync_api import Error

        try:
            masks = [page.get_by_text(value) for value in self._masked]
            return page.screenshot(
                type="png", timeout=SCREENSHOT_SECONDS * 1000, mask=masks, animations="disabled"
            )
        except Error:
            return None  # no picture is no verdict: the check still judges what it saw

    def _not_loaded(self, url: str, error: Exception, deadline: Deadline) -> PageNotLoaded:
        """A page that did not load: no answer in time, or none at all (the rule is not
        checked)."""
        from playwright.sync_api import TimeoutError

        if isinstance(error, TimeoutError):
            return PageNotLoaded(
                f"{url} did not load in the browser within {deadline.seconds:g} s (--read-timeout)",
                fix="check the portal answers in a browser; a slow portal needs a longer "
                "--read-timeout",
                expected=f"the page loaded within {deadline.seconds:g} s",
                found="not loaded",
                where=url,
            )
        reason = self._browser.why(url, error)
        return PageNotLoaded(
            f"{url} could not be loaded in the browser: {reason}",
            fix="check this machine is online (and on the VPN, if the portal needs it) and that "
            "the portal is up; public-dns and endpoint-tls tell whether its host can be reached",
            expected="the page loaded",
            found=reason,
            where=url,
        )


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
