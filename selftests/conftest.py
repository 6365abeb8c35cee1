"""Self-tests run the suite the way a user does: pytest on tests/, with biller files we write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from selftests.helpers import REPO, RULES, RunSuite


@pytest.fixture
def biller_dir(pytester: pytest.Pytester) -> Path:
    folder = pytester.path / "billers"
    folder.mkdir()
    # Recorded answers live in fixtures/ beside the biller folder: start from the bundled ones.
    shutil.copytree(REPO / "fixtures", pytester.path / "fixtures")
    return folder


@pytest.fixture
def run_suite(pytester: pytest.Pytester, biller_dir: Path) -> RunSuite:
    """Run the suite's rules (tests/) on the billers in biller_dir, in process."""

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest_inprocess(
            str(RULES), "--biller-dir", str(biller_dir), "-p", "no:cacheprovider", "-rA", *args
        )

    return run
