"""Self-tests run the suite the way a user does: pytest on tests/, with biller files we write."""

from __future__ import annotations

from pathlib import Path

import pytest

from selftests.helpers import RULES, RunSuite


@pytest.fixture
def biller_dir(pytester: pytest.Pytester) -> Path:
    folder = pytester.path / "billers"
    folder.mkdir()
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
            str(RULES),
            "--biller-dir",
            str(biller_dir),
            "--report-dir",
            str(report_dir),
            "-p",
            "no:cacheprovider",
            "-rA",
            *args,
        )

    return run
