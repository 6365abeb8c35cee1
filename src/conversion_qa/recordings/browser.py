"""`fixtures/<biller>/<environment>.browser.yaml`: what the browser saw, for offline runs.

Live, custom-code and iframe-lag look at the portal in a real browser; with `--record-fixtures`
what it saw is kept here, with a screenshot of each check beside it, so that an offline run
judges the recording (and needs no browser). The page's visible text is kept whole (up to 20,000
characters), so a changed `expect:` is judged again offline; a changed `selector:`, page or
iFrame URL needs a new recording. Written when the run ends, scrubbed of every secret the run
came to know; screenshot file names are made of the environment, rule and item only.

    version: 1
    views:
      custom-code/budget-billing-banner:
        recorded: '2026-11-25T17:40:00Z'
        browser: Chromium 156.0.8078.108
        url: https://demo-test.portal.example.com/Home      # the page asked for
        landed: https://demo-test.portal.example.com/Home   # where the browser ended up
        status: 200
        title: Demo Gas & Water
        loaded: true           # the load event fired within the deadline
        settled: true          # the network went idle within 3 s of the load event
        deadline: 30           # the seconds the check had (--call-deadline)
        refused: []            # origins the page asked for that the browser may not load
        selectors: {'[data-demo="budget-banner"]': true}   # a matching element was visible
        text: |                # the visible text (innerText)
          Demo Gas & Water
          Budget billing: spread your payments evenly
        screenshot: screenshots/test-custom-code-budget-billing-banner.png
      iframe-lag/bill-view:
        recorded: '2026-11-25T17:40:01Z'
        browser: Chromium 156.0.8078.108
        page: https://demo-test.portal.example.com/Billing   # null: the iFrame opened alone
        frame: https://demo-test.portal.example.com/Capricorn/BillView
        status: 200            # the page's
        found: true            # the page has the iFrame
        frame_status: 200      # the iFrame document's own, after redirects
        frame_landed: https://demo-test.portal.example.com/Capricorn/BillView
        seconds: 0.412         # navigation start to the iFrame's load event; null: not loaded
        deadline: 30
        refused: []
        screenshot: screenshots/test-iframe-lag-bill-view.png
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from conversion_qa.clients.browser import FrameView, PageView, PortalSession
from conversion_qa.clients.http import prepared
from conversion_qa.config.secrets import scrub
from conversion_qa.errors import BadRecording, NotRecorded
from conversion_qa.recordings.pictures import SCREENSHOTS, recorded_png
from conversion_qa.recordings.sourced import Sourced
from conversion_qa.recordings.store import read_entries, replace_bytes, update_entries

SECTION = "views"
HEADER = (
    "# What the browser saw, for offline runs of custom-code and iframe-lag: per check, the\n"
    "# page's visible text or the iFrame's load time, and a screenshot (format:\n"
    "# src/conversion_qa/recordings/browser.py). Written by pytest -m live --record-fixtures.\n"
)
_TIME = "%Y-%m-%dT%H:%M:%SZ"


def path_for(fixtures_dir: Path, biller: str, environment: str) -> Path:
    return fixtures_dir / biller / f"{environment}.browser.yaml"


def screenshot_name(environment: str, key: str) -> str:
    """`screenshots/<environment>-<rule>-<item>.png`: ids from the schema, never a value."""
    return f"{SCREENSHOTS}/{environment}-{key.replace('/', '-')}.png"


@dataclass(frozen=True)
class Screenshot:
    """A check's picture for the report: what it shows (no secret in it) and the PNG."""

    name: str
    png: bytes


@dataclass
class BrowserRecorder:
    """A run's browser views, written (merged, scrubbed) into the recordings when it ends."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _entries: dict[Path, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    _pictures: dict[Path, bytes] = field(default_factory=dict)

    def add(self, path: Path, key: str, entry: dict[str, Any], png: bytes | None) -> None:
        with self._lock:
            self._entries[path][key] = entry
            if png is not None:
                self._pictures[path.parent / entry["screenshot"]] = png

    def write(self) -> list[Path]:
        with self._lock:
            entries = {path: dict(views) for path, views in self._entries.items()}
            pictures = dict(self._pictures)
            self._entries.clear()
            self._pictures.clear()
        for picture, png in pictures.items():
            replace_bytes(picture, png)
        for path, views in entries.items():
            scrubbed = {key: _scrubbed(view) for key, view in views.items()}
            update_entries(path, HEADER, SECTION, scrubbed, block=True)
        return sorted(entries)


def _scrubbed(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with every secret the run knows replaced, in every text it holds."""
    return {
        key: scrub(value)
        if isinstance(value, str)
        else {scrub(k): v for k, v in value.items()}
        if isinstance(value, dict)
        else [scrub(str(item)) for item in value]
        if isinstance(value, list)
        else value
        for key, value in entry.items()
    }


class Views(Protocol):
    """What a browser check asks for: a page, or an iFrame, as the browser shows it."""

    def page(
        self, key: str, url: str, selectors: Sequence[str], label: str
    ) -> Sourced[PageView]: ...

    def frame(
        self, key: str, page_url: str | None, frame_url: str, label: str
    ) -> Sourced[FrameView]: ...


class PortalViews:
    """One test's way to the portal as a browser shows it: live through a signed-in session
    (recorded if asked), or offline from the recording; the screenshots are kept for its row."""

    def __init__(
        self,
        *,
        path: Path,
        biller: str,
        environment: str,
        session: Callable[[], PortalSession] | None,
        recorder: BrowserRecorder | None,
    ) -> None:
        self.path = path
        self.biller = biller
        self.environment = environment
        self._session = session
        self._recorder = recorder
        self.screenshots: list[Screenshot] = []

    @property
    def live(self) -> bool:
        return self._session is not None

    def page(self, key: str, url: str, selectors: Sequence[str], label: str) -> Sourced[PageView]:
        """The page at url, settled, with whether each selector shows: `label` names it."""
        _valid(url)
        if self._session is None:
            return self._recorded_page(key, url, selectors, label)
        session = self._session()
        view = session.view_page(url, selectors)
        fields = {
            "url": url,
            "landed": view.url,
            "status": view.status,
            "title": view.title,
            "loaded": view.loaded,
            "settled": view.settled,
            "deadline": view.deadline,
            "refused": list(view.refused),
            "selectors": dict(view.selectors),
            "text": view.text,
        }
        self._seen(session, key, label, view.screenshot, fields)
        return Sourced(view, f"seen by {session.browser_version}, signed in as the test user")

    def frame(
        self, key: str, page_url: str | None, frame_url: str, label: str
    ) -> Sourced[FrameView]:
        """The iFrame loaded in its page (or alone when page_url is None), timed."""
        for url in (page_url, frame_url):
            if url is not None:
                _valid(url)
        if self._session is None:
            return self._recorded_frame(key, page_url, frame_url, label)
        session = self._session()
        view = session.view_frame(page_url, frame_url)
        fields = {
            "page": view.page_url,
            "frame": view.frame_url,
            "landed": view.landed or None,
            "status": view.status,
            "found": view.found,
            "frame_status": view.frame_status,
            "frame_landed": view.frame_landed or None,
            "seconds": None if view.seconds is None else round(view.seconds, 3),
            "deadline": view.deadline,
            "refused": list(view.refused),
        }
        self._seen(session, key, label, view.screenshot, fields)
        return Sourced(view, f"measured by {session.browser_version}, signed in as the test user")

    def _seen(
        self,
        session: PortalSession,
        key: str,
        label: str,
        png: bytes | None,
        fields: dict[str, Any],
    ) -> None:
        """Keep a live view's screenshot for the test's row, and record the view if asked."""
        self._keep(label, png)
        if self._recorder is not None:
            entry = {
                "recorded": _now(),
                "browser": session.browser_version,
                **fields,
                "screenshot": screenshot_name(self.environment, key),
            }
            self._recorder.add(self.path, key, entry, png)

    def _keep(self, label: str, png: bytes | None) -> None:
        if png is not None:
            self.screenshots.append(Screenshot(scrub(label), png))

    # offline ------------------------------------------------------------------------------------

    def _entry(self, key: str, subject: str) -> Mapping[str, Any]:
        if not self.path.is_file():
            raise NotRecorded(subject, self.path, "browser view", biller=self.biller)
        entry = read_entries(self.path, SECTION).get(key)
        if not isinstance(entry, dict):
            raise NotRecorded(subject, self.path, "browser view", biller=self.biller)
        return entry

    def _recorded_page(
        self, key: str, url: str, selectors: Sequence[str], label: str
    ) -> Sourced[PageView]:
        subject = f"{url} ({key})"
        entry = self._entry(key, subject)
        try:
            recorded_selectors = dict(entry.get("selectors") or {})
            if entry["url"] != url:
                raise NotRecorded(subject, self.path, "browser view", biller=self.biller)
            for selector in selectors:
                if selector not in recorded_selectors:
                    raise NotRecorded(
                        f"{selector} on {url} ({key})", self.path, "browser view", self.biller
                    )
            view = PageView(
                url=str(entry.get("landed") or entry["url"]),
                status=entry.get("status"),
                title=str(entry.get("title") or ""),
                text=str(entry.get("text") or ""),
                selectors={str(k): bool(v) for k, v in recorded_selectors.items()},
                settled=bool(entry.get("settled", True)),
                loaded=bool(entry.get("loaded", True)),
                refused=_origins(entry),
                deadline=_seconds(entry.get("deadline")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BadRecording(
                f"{self.path}: views.{key} is malformed ({error!r}); see the format in "
                "src/conversion_qa/recordings/browser.py"
            ) from None
        self._recorded_screenshot(entry, label)
        return Sourced(view, self._source(entry))

    def _recorded_frame(
        self, key: str, page_url: str | None, frame_url: str, label: str
    ) -> Sourced[FrameView]:
        subject = f"{frame_url} in {page_url or 'no page'} ({key})"
        entry = self._entry(key, subject)
        try:
            if entry.get("page") != page_url or entry["frame"] != frame_url:
                raise NotRecorded(subject, self.path, "browser view", biller=self.biller)
            seconds = entry.get("seconds")
            view = FrameView(
                page_url=page_url,
                frame_url=frame_url,
                status=entry.get("status"),
                found=bool(entry.get("found", True)),
                seconds=_seconds(seconds),
                landed=str(entry.get("landed") or ""),
                frame_status=entry.get("frame_status"),
                frame_landed=str(entry.get("frame_landed") or ""),
                refused=_origins(entry),
                deadline=_seconds(entry.get("deadline")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BadRecording(
                f"{self.path}: views.{key} is malformed ({error!r}); see the format in "
                "src/conversion_qa/recordings/browser.py"
            ) from None
        self._recorded_screenshot(entry, label)
        return Sourced(view, self._source(entry))

    def _recorded_screenshot(self, entry: Mapping[str, Any], label: str) -> None:
        """The view's recorded picture, read as untrusted input (recordings/pictures.py)."""
        name = entry.get("screenshot")
        png = recorded_png(self.path, str(name)) if name else None
        if png is not None:
            recorded = entry.get("recorded", "an unknown date")
            self._keep(f"{label} (recorded {recorded})", png)

    def _source(self, entry: Mapping[str, Any]) -> str:
        browser = entry.get("browser") or "a browser"
        return f"recorded in {self.path} on {entry.get('recorded', 'an unknown date')} by {browser}"


def _seconds(value: Any) -> float | None:
    return None if value is None else float(value)


def _origins(entry: Mapping[str, Any]) -> tuple[str, ...]:
    refused = entry.get("refused") or []
    if not isinstance(refused, list):
        raise TypeError(f"refused is {type(refused).__name__}, not a list of origins")
    return tuple(str(origin) for origin in refused)


def _valid(url: str) -> None:
    """A URL no browser could load is the biller file's problem, said as the HTTP checks say it."""
    prepared("GET", url)


def _now() -> str:
    return datetime.now(UTC).strftime(_TIME)
