"""signoff.pdf: the sign-off sheet laid out for paper by the browser the suite already drives.

Playwright prints signoff.html in headless Chromium (Chrome or Edge on a laptop): every page
headed with the run's identity and validity and numbered "page N of M". The paper is A4's width
and US Letter's height, so the same file prints whole on either. One browser serves all the
sheets of a run, started on first use. Where no browser is installed, or it will not start, there
is no PDF and `Unprintable` says why in one sentence; signoff.html prints by itself (CSS paged
media). Nothing is fetched: the sheet is self-contained and the page may load nothing.

Playwright runs on a thread of its own: the portal checks' browser may still hold its event loop
on the main thread when the run's sheets are printed, and Playwright's sync API allows one loop
per thread.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from conversion_qa.clients.browser import find_browser, install_command
from conversion_qa.clients.chromium import RunningChromium, first_line
from conversion_qa.errors import BrowserError
from conversion_qa.report import templates

if TYPE_CHECKING:  # Playwright is imported when the first sheet is printed
    from playwright.sync_api import Browser, PdfMargins, Route

WIDTH = "210mm"  # A4's width (US Letter is 215.9 mm wide)
HEIGHT = "279.4mm"  # US Letter's height (A4 is 297 mm high)
MARGINS: PdfMargins = {"top": "18mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}
SECONDS = 60.0  # the longest one sheet may take to print


class Unprintable(Exception):
    """No PDF can be made here: the message says why and what to do, in one sentence."""


class Printer:
    """Prints sheets to PDF in one headless browser, started when the first is printed."""

    def __init__(self, chosen: Path | None = None) -> None:
        self.chosen = chosen  # --browser-path; None: the first Chromium, Chrome or Edge installed
        self._running: RunningChromium | None = None
        self._error: Unprintable | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signoff-pdf")

    def pdf(self, page_html: str, identity: str, verdict: str) -> bytes:
        """The sheet as a PDF, each page headed with the run's identity and its verdict."""
        return self._thread.submit(self._pdf, page_html, identity, verdict).result()

    def close(self) -> None:
        self._thread.submit(self._close).result()
        self._thread.shutdown()

    def _pdf(self, page_html: str, identity: str, verdict: str) -> bytes:
        from playwright.sync_api import Error

        chromium = self._started()
        page = chromium.new_page()
        try:
            page.route("**/*", _refuse_all_but_the_sheet)
            page.set_content(page_html, wait_until="load", timeout=SECONDS * 1000)
            return page.pdf(
                width=WIDTH,
                height=HEIGHT,
                margin=MARGINS,
                print_background=True,
                display_header_footer=True,
                header_template=templates.render(
                    "signoff-header.html", identity=identity, verdict=verdict
                ),
                footer_template=templates.render("signoff-footer.html", identity=identity),
            )
        except Error as error:
            raise Unprintable(
                f"the browser could not print the sheet: {first_line(error)}"
            ) from None
        finally:
            with contextlib.suppress(Exception):
                page.close()

    def _started(self) -> Browser:
        if self._error is not None:
            raise self._error  # a browser that would not start costs one try per run
        if self._running is None:
            try:
                self._running = self._launch()
            except Unprintable as error:
                self._error = error
                raise
        return self._running.browser

    def _launch(self) -> RunningChromium:
        executable = find_browser(self.chosen)
        if executable is None:
            where = f"no browser at {self.chosen}" if self.chosen else "no browser is installed"
            raise Unprintable(f"{where} ({install_command()} to have one)")
        try:
            return RunningChromium(executable, SECONDS)
        except BrowserError as error:
            raise Unprintable(error.what) from None

    def _close(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None


def _refuse_all_but_the_sheet(route: Route) -> None:
    route.abort()  # the sheet is whole in itself: anything it would load is refused
