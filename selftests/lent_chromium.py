"""One running Chromium for all of a self-test process's in-process runs of the suite, and for
the self-tests that look at a page themselves.

A run that starts its own browser spends 2 to 3 s on it (Playwright's driver, the browser, its
first page); the self-tests make dozens of browser runs. Each run still opens its own contexts
and its own verifying proxy in the lent browser, and leaves it running (the plugin's
`pytest_conversion_qa_chromium` hook). Playwright's sync API allows one running Playwright per
thread: a self-test that started its own beside the lent one would fail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# Imported with the self-tests, before any pytester: pytester forgets the modules imported
# after it began, and a later run's playwright would not know the lent browser's errors.
import playwright.sync_api
import pytest

from conversion_qa.clients.chromium import RunningChromium

LAUNCH_SECONDS = 30.0
NewPage = Callable[..., playwright.sync_api.Page]  # a blank page in a context of its own


class ChromiumLender:
    """Starts Chromium on the first run that asks, lends it to every later one, closes it last."""

    def __init__(self) -> None:
        self._running: RunningChromium | None = None
        self.started = 0  # how many times a browser was started: once, unless one went away

    @pytest.hookimpl
    def pytest_conversion_qa_chromium(self, executable: Path) -> RunningChromium:
        return self.running(executable)

    def running(self, executable: Path) -> RunningChromium:
        """The running browser, started if none is (or it went away, or was another one)."""
        running = self._running
        if running is not None and not (
            running.executable == executable and running.browser.is_connected()
        ):
            self.close()
        if self._running is None:
            self._running = RunningChromium(executable, LAUNCH_SECONDS)
            self.started += 1
        return self._running

    def close(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None
