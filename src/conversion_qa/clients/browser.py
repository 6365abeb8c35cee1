"""The browser client: a real headless Chromium, driven by Playwright, that signs in to a portal
as a test user and reports what a customer sees: a page's visible text and elements, how long an
iFrame takes to load inside its page, and a screenshot.

One `Browser` per process (per xdist worker), started on first use; one signed-in
`PortalSession` (a browser context) per biller and environment. Every navigation and wait has
the deadline of its whole check (BOUND), and "settled" is bounded on its own: network idle, or
SETTLE_SECONDS after the load event when the page never goes idle. The browser goes out only
through `VerifyingProxy`, which verifies TLS against the run's trust, routes like `--resolve`,
and lets each context reach its portal's origin and its iFrames' only. Knows nothing of pytest.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from conversion_qa.clients.browser_guard import CredentialGuard
from conversion_qa.clients.browser_masking import mask_secrets
from conversion_qa.clients.browser_proxy import Origin, ProxyPass, VerifyingProxy, origin_of
from conversion_qa.clients.chromium import RunningChromium, first_line
from conversion_qa.contract import portal
from conversion_qa.errors import (
    BrowserError,
    BrowserMissing,
    BrowserNoAnswer,
    ConversionQAError,
    SignInError,
)

if TYPE_CHECKING:  # Playwright is imported when a browser is started, never for offline runs
    from playwright.sync_api import BrowserContext, Frame, Page, Request, Response

HostPort = tuple[str, int]
VIEWPORT = {"width": 1280, "height": 800}
TEXT_LIMIT = 20_000  # characters of a page's visible text kept (a message shows a few lines)
BOUND = "--call-deadline"  # the option bounding each check and the sign-in (plugin/run.py)
SETTLE_SECONDS = 3.0  # after the load event, at most this long for the network to go idle
LOOK_SECONDS = 1.0  # kept back from a check's waits (at most a quarter of it) for looking
SCREENSHOT_SECONDS = 5.0  # the longest a screenshot may take (it gets what is left, at least 1 s)
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
    deadline: float  # seconds for one whole check (navigate, settle, look, screenshot): BOUND
    connect_timeout: float
    ca_bundle: Path | None = None
    resolve: Mapping[HostPort, HostPort] = field(default_factory=dict)


@dataclass(frozen=True)
class PageView:
    """A portal page as the browser showed it."""

    url: str  # where the browser ended up (or was sent and did not follow: off the portal)
    status: int | None  # the page's HTTP status, after redirects (None: not known)
    title: str
    text: str  # visible text (innerText: no markup, comments, scripts or hidden elements)
    selectors: Mapping[str, bool]  # each selector asked: whether a matching element is visible
    settled: bool  # the network went idle within SETTLE_SECONDS of the load event
    screenshot: bytes | None = None
    loaded: bool = True  # the load event fired within the deadline
    refused: tuple[str, ...] = ()  # origins the page asked for that the browser may not load
    deadline: float | None = None  # the seconds the check had (BOUND); None: not known

    def lines(self, count: int = 5) -> list[str]:
        """The first few non-empty visible lines."""
        found = [" ".join(line.split()) for line in self.text.splitlines()]
        return [line for line in found if line][:count]


@dataclass(frozen=True)
class FrameView:
    """An iFrame loaded by the browser, inside its portal page or on its own."""

    page_url: str | None  # the page that hosts it; None: the iFrame's URL was opened on its own
    frame_url: str
    status: int | None  # the HTTP status of what was navigated to (the page, or the iFrame alone)
    found: bool  # once settled, the page has an iFrame whose navigation began at frame_url
    seconds: float | None  # navigation start to the iFrame's load event; None: it did not load
    screenshot: bytes | None = None
    landed: str = ""  # where the page ended up (a sign-in page, say); "": not known
    frame_status: int | None = None  # the iFrame document's own HTTP status, after redirects
    frame_landed: str = ""  # where the iFrame's document ended up; "": not known
    refused: tuple[str, ...] = ()  # origins the page asked for that the browser may not load
    deadline: float | None = None  # the seconds the check had (BOUND); None: not known


class Deadline:
    """The time one check may take, spent by each step in turn."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        # kept back from waiting, for looking and the screenshot
        self.kept = min(LOOK_SECONDS, seconds * 0.25)

    def left(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def ms(self, keep: float = 0.0) -> float:
        """Milliseconds left for a Playwright call, keeping `keep` seconds for what follows (at
        least 1: 0 would mean no limit)."""
        return max(1.0, (self.left() - keep) * 1000)

    def waiting(self) -> float:
        """Milliseconds a wait may take: what is left, but what is kept for looking."""
        return self.ms(self.kept)


class _Navigations:
    """Each frame's navigation as the browser made it: the URL it started at, the last URL it
    asked for (after redirects) and the HTTP status of the document that answered."""

    def __init__(self, page: Page) -> None:
        self._first: dict[Frame, str] = {}
        self._last: dict[Frame, str] = {}
        self._status: dict[Frame, int] = {}
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request: Request) -> None:
        from playwright.sync_api import Error

        if not request.is_navigation_request():
            return
        try:
            frame = request.frame
        except Error:
            return  # a request of no frame (a worker's): not a navigation anyway
        if request.redirected_from is None:
            self._first[frame] = request.url
        self._last[frame] = request.url
        self._status.pop(frame, None)

    def _response(self, response: Response) -> None:
        if response.request.is_navigation_request():
            self._status[response.request.frame] = response.status

    def first(self, frame: Frame) -> str:
        return self._first.get(frame, "")

    def last(self, frame: Frame) -> str:
        return self._last.get(frame, "")

    def status(self, frame: Frame) -> int | None:
        """The status its document answered with; None: no answer (yet, or ever)."""
        return self._status.get(frame)


class Browser:
    """The run's headless Chromium (one per process), started when first needed, or lent by
    whoever runs the run (`lend`): a lent one is left running at the end."""

    def __init__(
        self,
        options: BrowserOptions,
        lend: Callable[[Path], RunningChromium | None] = lambda executable: None,
    ) -> None:
        self.options = options
        self._lend = lend
        self._lock = threading.RLock()  # a launch that fails closes what it started, holding it
        self._running: RunningChromium | None = None
        self._owned = False
        self._proxy: VerifyingProxy | None = None
        self._error: BrowserError | None = None

    @property
    def version(self) -> str:
        return self._running.version if self._running is not None else "Chromium"

    def _started(self) -> tuple[RunningChromium, VerifyingProxy]:
        with self._lock:
            if self._error is not None:
                raise self._error  # a browser that would not start costs one try per run
            if self._running is None:
                options = self.options
                running = self._lend(options.executable)
                if running is None:
                    try:
                        running = RunningChromium(options.executable, options.deadline)
                    except BrowserError as error:
                        self._error = error
                        raise
                    self._owned = True
                self._running = running
                self._proxy = VerifyingProxy(
                    ca_bundle=options.ca_bundle,
                    resolve=options.resolve,
                    connect_timeout=options.connect_timeout,
                    key=running.key,
                )
            assert self._proxy is not None  # started with the browser
            return self._running, self._proxy

    def session(
        self,
        portal_url: str,
        credentials: Callable[[], tuple[str, str]],
        frames: Sequence[str] = (),
    ) -> PortalSession:
        """A portal's session: its own context, signed in when first used, that may load the
        portal's origin and its iFrames' (frames: their URLs) only."""
        return PortalSession(self, portal_url, credentials, frames)

    def new_context(self, origins: Iterable[Origin]) -> tuple[BrowserContext, ProxyPass]:
        """A fresh context whose requests go out through the proxy, to these origins only."""
        running, proxy = self._started()
        admitted = proxy.admit(origins)
        context = running.browser.new_context(
            viewport=VIEWPORT,  # type: ignore[arg-type]
            user_agent=running.user_agent,
            ignore_https_errors=False,
            java_script_enabled=True,
            service_workers="block",  # what the page loads goes through the proxy, every time
            proxy=proxy.settings(admitted),  # type: ignore[arg-type]
        )
        return context, admitted

    def why(self, url: str, error: Exception) -> str:
        """A failed navigation in words: the proxy's reason for a refused tunnel, if it had one."""
        text = first_line(error)
        host = urlsplit(url).hostname or ""
        refused = self._proxy.failure(host) if self._proxy is not None else None
        if refused and "ERR_TUNNEL_CONNECTION_FAILED" in text:
            hint = "; see endpoint-tls, or give the CA with --ca-bundle" if "TLS" in refused else ""
            return f"{refused}{hint}"
        return text

    def close(self) -> None:
        with self._lock:
            if self._proxy is not None:
                self._proxy.stop()
            if self._running is not None and self._owned:
                self._running.close()
            self._running = self._proxy = None


class PortalSession:
    """One biller environment's portal in its own browser context, signed in once, on first use.

    The context loads only the portal's origin and its iFrames' (the proxy refuses the rest).
    The credentials are typed only into a page of the portal's own https origin, into a form
    that sends them there, and every request made while they are in the page is checked where
    it goes (`CredentialGuard`). A sign-in that fails fails every check of this portal with the
    same reason, without trying again.
    """

    def __init__(
        self,
        browser: Browser,
        portal_url: str,
        credentials: Callable[[], tuple[str, str]],
        frames: Sequence[str] = (),
    ) -> None:
        self._browser = browser
        self._portal = portal_url
        try:
            self._origin = origin_of(portal_url)
            self._allowed = frozenset({self._origin, *(origin_of(url) for url in frames)})
        except ValueError as error:
            raise BrowserError(
                f"the portal URL {portal_url} (or an iFrame's) is not one a browser can load "
                f"({error})",
                fix="correct the environment's portal: (and the iFrames' path:) in the biller file",
                expected="an https URL",
                found=portal_url,
            ) from None
        self._credentials = credentials
        self._context: BrowserContext | None = None
        self._pass: ProxyPass | None = None
        self._error: ConversionQAError | None = None
        self._lock = threading.Lock()
        self.signed_in = False

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
                context, admitted = self._browser.new_context(self._allowed)
                try:
                    self._sign_in(context, self._deadline())
                except Exception as error:
                    context.close()
                    if isinstance(error, ConversionQAError):  # an unset secret, a refusal
                        self._error = error
                    raise
                self._context, self._pass = context, admitted
            return self._context

    def _deadline(self) -> Deadline:
        return Deadline(self._browser.options.deadline)

    def _refused(self) -> tuple[str, ...]:
        """What the proxy refused this context since the last look, as origins."""
        return tuple(str(o) for o in self._pass.refused()) if self._pass is not None else ()

    def _sign_in(self, context: BrowserContext, deadline: Deadline) -> None:
        from playwright.sync_api import Error

        url = portal.sign_in_url(self._portal)
        page = context.new_page()
        navigations = _Navigations(page)
        guard: CredentialGuard | None = None
        try:
            try:
                response = page.goto(url, wait_until="load", timeout=deadline.ms())
            except Error as error:
                self._own_origin(navigations.last(page.main_frame) or url, "the sign-in page")
                raise self._not_loaded(url, error, deadline) from None  # nothing to judge
            self._own_origin(page.url, "the sign-in page")
            if response is not None and response.status == HTTPStatus.SERVICE_UNAVAILABLE:
                raise BrowserNoAnswer(
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
            self._own_origin(action, "the sign-in form's action (where it sends the credentials)")
            user, secret = self._credentials()
            guard = CredentialGuard(self._origin, {"the user name": user, "the password": secret})
            context.route("**/*", guard.route)  # from here on, each request is checked
            self._own_origin(page.url, "the sign-in page")  # again, just before typing
            page.locator(portal.USERNAME_FIELD).first.fill(user, timeout=deadline.ms())
            password.fill(secret, timeout=deadline.ms())
            with page.expect_navigation(wait_until="load", timeout=deadline.ms()):
                page.locator(portal.SUBMIT_BUTTON).first.click(timeout=deadline.ms())
            refused = page.locator(portal.PASSWORD_FIELD).first.is_visible()
        except Error as error:
            caught = guard.problem(url) if guard is not None else None
            if caught is not None:
                raise caught from None
            raise SignInError(
                f"could not sign in to the portal at {url}: {self._browser.why(url, error)}",
                fix=f"check the portal answers in a browser (within {deadline.seconds:g} s, "
                f"{BOUND}) and that its sign-in form matches contract/portal.py",
                expected="the sign-in form, submitted, and a signed-in page",
                found=first_line(error),
                where=url,
            ) from None
        finally:
            page.close()
            if guard is not None:
                with contextlib.suppress(Exception):  # the context is closed on failure anyway
                    context.unroute("**/*", guard.route)
        caught = guard.problem(url)
        if caught is not None:
            raise caught
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

    def _own_origin(self, url: str, what: str) -> None:
        """Credentials go only to the portal's own https origin: refuse anything else."""
        try:
            there = origin_of(url)
        except ValueError:
            there = Origin("", url, 0)
        if there != self._origin or there.scheme != "https":
            raise SignInError(
                f"{what} is at {there}, not the portal's own origin {self._origin}: the "
                "credentials were not typed",
                fix="check the portal URL in the biller file; a sign-in that leaves the portal's "
                "origin is not one the suite signs in to",
                expected=str(self._origin),
                found=str(there),
                where=url,
            )

    # looking ----------------------------------------------------------------------------------

    def _open(
        self, page: Page, url: str, deadline: Deadline, navigations: _Navigations
    ) -> tuple[Response | None, str]:
        """Navigate to url until its document answers (commit): its response, and ""; or, when
        a redirect left for another origin the browser could not load, None and that URL."""
        from playwright.sync_api import Error, TimeoutError

        try:
            return page.goto(url, wait_until="commit", timeout=deadline.waiting()), ""
        except Error as error:
            sent = navigations.last(page.main_frame)
            left = sent and origin_of(sent) != origin_of(url)
            if left and not isinstance(error, TimeoutError):
                return None, sent  # the check says where it was sent (as a redirect)
            raise self._not_loaded(url, error, deadline) from None

    def _settle(self, page: Page, deadline: Deadline) -> tuple[bool, bool]:
        """Wait for the load event (within the deadline), then for network idle, at most
        SETTLE_SECONDS: whether it loaded, and whether it went idle."""
        loaded = _within(
            lambda ms: page.wait_for_load_state("load", timeout=ms), deadline.waiting()
        )
        settle = min(SETTLE_SECONDS * 1000, deadline.waiting())
        idle = loaded and _within(
            lambda ms: page.wait_for_load_state("networkidle", timeout=ms), settle
        )
        return loaded, idle

    def view_page(self, url: str, selectors: Sequence[str] = ()) -> PageView:
        """Open url signed in, let it settle (see _settle), and look at it."""
        from playwright.sync_api import Error

        context = self._signed_in()
        deadline = self._deadline()
        self._refused()  # what an earlier check was refused is that check's
        page = context.new_page()
        navigations = _Navigations(page)
        try:
            response, sent = self._open(page, url, deadline, navigations)
            if sent:
                return PageView(
                    url=sent,
                    status=None,
                    title="",
                    text="",
                    selectors=dict.fromkeys(selectors, False),
                    settled=False,
                    loaded=False,
                    refused=self._refused(),
                    deadline=deadline.seconds,
                )
            loaded, settled = self._settle(page, deadline)
            visible = {s: self._visible(page, s) for s in selectors}
            text = str(page.evaluate("document.body ? document.body.innerText : ''"))
            shown_at = next((s for s, seen in visible.items() if seen), None)
            if shown_at is not None:
                with contextlib.suppress(Error):  # a picture without scrolling is still one
                    page.locator(shown_at).first.scroll_into_view_if_needed(timeout=deadline.ms())
            title = page.title()
            return PageView(
                url=page.url,
                status=response.status if response is not None else None,
                title=title,
                text=text[:TEXT_LIMIT],
                selectors=visible,
                settled=settled,
                screenshot=self._screenshot(page, deadline),
                loaded=loaded,
                refused=self._refused(),
                deadline=deadline.seconds,
            )
        except Error as error:
            raise self._not_loaded(url, error, deadline) from None
        finally:
            page.close()

    def _visible(self, page: Page, selector: str) -> bool:
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
                f"{selector!r} is not a CSS selector the browser understands ({first_line(error)})",
                fix="correct the custom code item's selector: in the biller file",
                expected="a valid CSS selector",
                found=selector,
            ) from None

    def view_frame(self, page_url: str | None, frame_url: str) -> FrameView:
        """Load the iFrame inside its page (or alone), let the page settle as view_page does (a
        script may add the iFrame), and time it: from the navigation's start to the iFrame's
        own load event, both as the browser's Navigation Timing has them."""
        from playwright.sync_api import Error

        context = self._signed_in()
        deadline = self._deadline()
        self._refused()
        target = page_url or frame_url
        page = context.new_page()
        navigations = _Navigations(page)
        try:
            response, sent = self._open(page, target, deadline, navigations)
            if sent:
                return FrameView(
                    page_url=page_url,
                    frame_url=frame_url,
                    status=None,
                    found=page_url is None,
                    seconds=None,
                    landed=sent,
                    refused=self._refused(),
                    deadline=deadline.seconds,
                )
            status = response.status if response is not None else None
            self._settle(page, deadline)
            frame = page.main_frame if page_url is None else _frame_at(page, frame_url, navigations)
            seconds, answered, landed = None, None, ""
            if frame is not None:
                answered = navigations.status(frame)  # None: its document never came
                if answered is not None and _within(
                    lambda ms: frame.wait_for_load_state("load", timeout=ms), deadline.waiting()
                ):
                    top = (
                        None if page_url is None else float(page.evaluate("performance.timeOrigin"))
                    )
                    seconds = _load_seconds(frame, top)
                if page_url is not None:
                    with contextlib.suppress(Error):  # a picture without scrolling is still one
                        frame.frame_element().scroll_into_view_if_needed(timeout=deadline.ms())
                landed = navigations.last(frame) or frame.url
            return FrameView(
                page_url=page_url,
                frame_url=frame_url,
                status=status,
                found=frame is not None,
                seconds=seconds,
                screenshot=self._screenshot(page, deadline),
                landed=page.url,
                frame_status=answered,
                frame_landed=landed,
                refused=self._refused(),
                deadline=deadline.seconds,
            )
        except Error as error:
            raise self._not_loaded(target, error, deadline) from None
        finally:
            page.close()

    def _screenshot(self, page: Page, deadline: Deadline) -> bytes | None:
        """The viewport, with every secret of the run masked wherever the page shows it."""
        from playwright.sync_api import Error

        seconds = min(SCREENSHOT_SECONDS, max(1.0, deadline.left()))
        try:
            mask_secrets(page)
            return page.screenshot(type="png", timeout=seconds * 1000, animations="disabled")
        except Error:
            return None  # no picture is no verdict: the check still judges what it saw

    def _not_loaded(self, url: str, error: Exception, deadline: Deadline) -> BrowserNoAnswer:
        from playwright.sync_api import TimeoutError

        if isinstance(error, TimeoutError):
            return BrowserNoAnswer(
                f"{url} did not answer in the browser within {deadline.seconds:g} s ({BOUND})",
                fix=f"check the portal answers in a browser; a slow portal needs a longer {BOUND}",
                expected=f"the page's answer within {deadline.seconds:g} s",
                found="no answer",
                where=url,
            )
        reason = self._browser.why(url, error)
        return BrowserNoAnswer(
            f"{url} could not be loaded in the browser: {reason}",
            fix="check this machine is online (and on the VPN, if the portal needs it) and that "
            "the portal is up; public-dns and endpoint-tls tell whether its host can be reached",
            expected="the page loaded",
            found=reason,
            where=url,
        )


def _within(wait: Callable[[float], object], ms: float) -> bool:
    """Whether the wait ended before its timeout (ms)."""
    from playwright.sync_api import TimeoutError

    try:
        wait(ms)
    except TimeoutError:
        return False
    return True


def _frame_at(page: Page, frame_url: str, navigations: _Navigations) -> Frame | None:
    """The page's iFrame whose navigation started at frame_url's origin and path (wherever it
    went then): an iFrame on a host of its own is not another of the same path on the portal."""
    wanted = _document_of(frame_url)
    for frame in page.frames:
        if frame is page.main_frame:
            continue
        if _document_of(navigations.first(frame) or frame.url) == wanted:
            return frame
    return None


def _document_of(url: str) -> tuple[Origin | None, str]:
    """A document's origin (None for about:blank and the like) and its path."""
    try:
        origin: Origin | None = origin_of(url)
    except ValueError:
        origin = None
    return origin, urlsplit(url).path.rstrip("/")


def _load_seconds(frame: Frame, origin: float | None) -> float | None:
    """Seconds from the top page's navigation start (origin; None: the frame's own) to the
    frame's load event."""
    own_origin, load_end = frame.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [performance.timeOrigin, n ? n.loadEventEnd : 0]; }"
    )
    if not load_end:
        return None
    start = own_origin if origin is None else origin
    return max(0.0, (float(own_origin) + float(load_end) - float(start)) / 1000)
