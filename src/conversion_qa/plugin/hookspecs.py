"""The hooks the plugin offers to whoever runs it: one, for a process that runs the suite many
times (the self-tests' in-process runs) to lend each run its running browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversion_qa.clients.chromium import RunningChromium


@pytest.hookspec(firstresult=True)
def pytest_conversion_qa_chromium(executable: Path) -> RunningChromium | None:
    """A running Chromium of this executable for the run's portal checks, or None to start one.

    The run opens its own contexts and proxy in it and leaves it running; the lender closes it.
    """
