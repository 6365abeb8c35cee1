"""Self-tests run the suite the way a user does: pytest on tests/, with biller files we write."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conversion_qa.config import secrets
from selftests.browser import CHROMIUM
from selftests.helpers import REPO, RULES, RunSuite, SuiteRun


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "linux_only: needs what only the Linux CI machine has (Debian's chromium, POSIX signals, "
        "the golden snapshots' paths); the Windows and macOS workflow deselects it",
    )


@pytest.fixture(autouse=True)
def _no_secret_of_another_test() -> None:
    """Each test starts knowing no secret value. A value registered elsewhere in the process
    (a unit test's parametrized `secret("${OPERATOR}", OPERATOR="0417")`, made at collection)
    would otherwise be scrubbed from every later run's messages: `pytest selftests` failed
    test_failure_says_where_and_what_to_do, whose expected setting 131 had become a secret,
    while each file passed alone."""
    with secrets._known_lock:
        secrets._known_values.clear()


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


@pytest.fixture
def run_suite(pytester: pytest.Pytester, biller_dir: Path, report_dir: Path) -> RunSuite:
    """Run the suite's rules (tests/) on the billers in biller_dir, in process."""

    def run(*args: str) -> pytest.RunResult:
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
