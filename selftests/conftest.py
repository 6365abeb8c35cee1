"""Self-tests run the suite the way a user does: pytest on tests/, with biller files we write."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from conversion_qa.clients.chromium import RunningChromium
from conversion_qa.clients.dns import Nameserver, parse_nameserver
from conversion_qa.config.secrets import secrets_forgotten
from conversion_qa.errors import BrowserError
from conversion_qa.plugin import options
from conversion_qa.sandbox.dns import LocalDns
from selftests.browser import CHROMIUM
from selftests.helpers import REPO, RULES, RunSuite, SuiteRun
from selftests.lent_chromium import ChromiumLender, NewPage


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "linux_only: needs what only the Linux CI machine has (Debian's chromium, POSIX signals, "
        "the golden snapshots' paths); the Windows and macOS workflow deselects it",
    )
    config.addinivalue_line(
        "markers",
        "browser: starts Chromium (a self-test asking for the chromium fixture, or marked pdf, "
        "is marked so); any other self-test's live runs of the suite are made with "
        '--no-browser, so that -m "not browser" starts no browser at all',
    )
    config.addinivalue_line(
        "markers",
        "pdf: its runs of the suite print signoff.pdf (Chromium); any other self-test runs the "
        "suite with --no-pdf",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) or item.get_closest_marker("pdf"):
            item.add_marker(pytest.mark.browser)


def looks_live(args: tuple[str, ...]) -> bool:
    """Whether a run's -m selects live tests (the only ones that start a browser)."""
    marks = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "-m"]
    marks += [arg.removeprefix("-m") for arg in args if arg.startswith("-m") and arg != "-m"]
    return any("live" in mark and "not live" not in mark for mark in marks)


@pytest.fixture(autouse=True)
def _chromium_only_when_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A self-test not marked `browser` that starts Chromium in this process (a portal check, or
    printing signoff.pdf) fails, so that -m "not browser" really starts none. (Runs in a process
    of their own are given --no-browser and --no-pdf by the test that starts them.)"""
    if request.node.get_closest_marker("browser") is not None:
        yield
        return
    started: list[str] = []

    def refused(*args: object, **kwargs: object) -> None:
        started.append("a browser")
        raise BrowserError("Chromium may not start in a self-test not marked browser", fix="")

    monkeypatch.setattr(RunningChromium, "__init__", refused)  # the portal's and the printer's
    yield
    assert not started, (
        f"{request.node.nodeid} started Chromium: mark it browser, or give its runs "
        "--no-browser and --no-pdf"
    )


@pytest.fixture(autouse=True)
def _secrets_of_this_test_only() -> Iterator[None]:
    """Secrets are remembered per process; each self-test starts with none (values made while
    collecting parametrized tests, "0417" say, would otherwise scrub every later run's output)."""
    with secrets_forgotten():
        yield


@pytest.fixture(scope="session")
def _refusing_nameserver() -> Iterator[Nameserver]:
    """A loopback DNS server that refuses every query at once."""
    with LocalDns({}, rcode="REFUSED") as refusing:
        yield parse_nameserver(refusing.nameserver)


@pytest.fixture(autouse=True)
def _no_public_resolver(monkeypatch: pytest.MonkeyPatch, _refusing_nameserver: Nameserver) -> None:
    """The live default nameservers are public resolvers: a self-test's run that forgets
    --dns-nameserver asks a loopback server that refuses at once, never the internet."""
    monkeypatch.setattr(options, "DEFAULT_NAMESERVERS", (_refusing_nameserver,))


@pytest.fixture
def biller_dir(pytester: pytest.Pytester) -> Path:
    """A biller folder; beside it, the bundled recorded fixtures, so offline runs replay them."""
    folder = pytester.path / "billers"
    folder.mkdir()
    # Recorded answers live in fixtures/ beside the biller folder: start from the bundled ones.
    shutil.copytree(REPO / "fixtures", pytester.path / "fixtures")
    return folder


@pytest.fixture
def report_dir(pytester: pytest.Pytester) -> Path:
    """Where self-test runs archive their reports: never the repository's reports/ folder."""
    return pytester.path / "reports"


@pytest.fixture(scope="session")
def chromium_lender() -> Iterator[ChromiumLender]:
    """The running Chromium lent to every in-process run that looks in a browser."""
    lender = ChromiumLender()
    yield lender
    lender.close()


@pytest.fixture
def new_page(chromium: str, chromium_lender: ChromiumLender) -> Iterator[NewPage]:
    """A blank page of its own (its own context) in the lent Chromium: new_page(viewport=...)."""
    contexts: list[BrowserContext] = []

    def opened(**options: Any) -> Page:
        context = chromium_lender.running(Path(chromium)).browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def run_suite(
    pytester: pytest.Pytester, biller_dir: Path, report_dir: Path, request: pytest.FixtureRequest
) -> RunSuite:
    """Run the suite's rules (tests/) on the billers in biller_dir, in process: with no
    signoff.pdf unless the self-test is marked `pdf`, and live checks without a browser unless
    it is marked `browser` (then in the process's one running Chromium)."""
    in_a_browser = request.node.get_closest_marker("browser") is not None
    lenders = [request.getfixturevalue("chromium_lender")] if in_a_browser else []
    prints = request.node.get_closest_marker("pdf") is not None

    def run(*args: str) -> pytest.RunResult:
        if not prints:
            args = (*args, "--no-pdf")
        if not in_a_browser and looks_live(args) and "--no-browser" not in args:
            args = (*args, "--no-browser")
        return pytester.runpytest_inprocess(
            f"--rootdir={REPO}",
            f"--config-file={REPO / 'pyproject.toml'}",
            f"--biller-dir={biller_dir}",
            f"--report-dir={report_dir}",
            "-p",
            "no:cacheprovider",
            "-rA",
            str(RULES),
            *args,
            plugins=lenders,
        )

    return run


@pytest.fixture
def suite(run_suite: RunSuite) -> Callable[..., SuiteRun]:
    """Run the suite; its console result and each test's outcome."""

    def run(*args: str) -> SuiteRun:
        return SuiteRun(run_suite(*args))

    return run


@pytest.fixture
def chromium() -> str:
    """Debian's chromium; CI has it, elsewhere the browser tests skip saying how to get it."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip(
            "chromium is not installed here (apt-get install chromium); CI always runs this"
        )
    return CHROMIUM
