"""A running headless Chromium: the process Playwright started, and the key the browser's TLS is
accepted by (`--ignore-certificate-errors-spki-list`). Every run's `VerifyingProxy` presents
certificates made with that key, so one running Chromium can serve several runs in turn, each
through its own proxy: a run starts its own, or is lent one by the process that runs it (the
self-tests' in-process runs). The browser's own requests (updates, sign-in to the browser) go to
a proxy that admits nothing. Knows nothing of pytest.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec

from conversion_qa import __version__
from conversion_qa.clients.browser_proxy import VerifyingProxy, spki_hash
from conversion_qa.errors import BrowserError

if TYPE_CHECKING:  # Playwright is imported when a browser is started, never for offline runs
    from playwright.sync_api import Browser, Playwright

USER_AGENT_SUFFIX = f"conversion-qa/{__version__}"
LAUNCH_FLAGS = (
    "--no-sandbox",  # CI runs as root in a container; the pages are the biller's own portal
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # WebRTC's UDP would not go through the proxy: a page gets none (not shown by a self-test:
    # on loopback alone Chromium gathers no candidates either way)
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)


class RunningChromium:
    """Headless Chromium started by Playwright on this thread, until `close`."""

    def __init__(self, executable: Path, launch_timeout: float) -> None:
        from playwright.sync_api import Error, sync_playwright

        self.executable = executable
        self.key = ec.generate_private_key(ec.SECP256R1())
        self._door = VerifyingProxy(ca_bundle=None, resolve={}, connect_timeout=1.0, key=self.key)
        self._playwright: Playwright | None = None
        self._chromium: Browser | None = None
        accepted = f"--ignore-certificate-errors-spki-list={spki_hash(self.key)}"
        try:
            self._playwright = sync_playwright().start()
            self._chromium = self._playwright.chromium.launch(
                executable_path=str(executable),
                headless=True,
                args=[*LAUNCH_FLAGS, accepted],
                # without a pass: the browser's own requests get nowhere
                proxy=self._door.settings(),  # type: ignore[arg-type]
                timeout=max(30_000.0, launch_timeout * 1000),
            )
            page = self._chromium.new_page()
            agent = str(page.evaluate("navigator.userAgent"))
            page.close()
        except Error as error:
            self.close()
            raise BrowserError(
                f"{executable} would not start: {first_line(error)}",
                fix="check the browser runs here (a Chromium-based browser), or pass --no-browser",
            ) from None
        self.user_agent = f"{agent.replace('HeadlessChrome', 'Chrome')} {USER_AGENT_SUFFIX}"

    @property
    def browser(self) -> Browser:
        if self._chromium is None:
            raise BrowserError(
                f"{self.executable} was closed",
                fix="run again: the browser went away while the run still needed it",
            )
        return self._chromium

    @property
    def version(self) -> str:
        return f"Chromium {self._chromium.version}" if self._chromium is not None else "Chromium"

    def close(self) -> None:
        for stop in (
            self._chromium.close if self._chromium is not None else None,
            self._playwright.stop if self._playwright is not None else None,
            self._door.stop,
        ):
            if stop is not None:
                with contextlib.suppress(Exception):  # a browser that already went away
                    stop()
        self._chromium = self._playwright = None


def first_line(error: Exception) -> str:
    """A Playwright error's message in one line (its call log left out)."""
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
