"""What a test's row in report.html carries besides its verdict, taken from pytest's reports:
the browser's screenshots and the output the test printed or logged."""

from __future__ import annotations

import pytest

from conversion_qa.config.secrets import scrub
from conversion_qa.plugin import screenshots
from conversion_qa.report.verdict_list import Attached


def attached(phases: list[pytest.TestReport]) -> Attached:
    """One test's screenshots and captured output (secrets scrubbed)."""
    pictures = tuple(picture for phase in phases for picture in screenshots.pictures(phase))
    # each phase's report repeats the sections of the phases before it: keep each once
    sections = {title: text for phase in phases for title, text in phase.sections if text.strip()}
    output = "\n".join(f"--- {title} ---\n{text.rstrip()}" for title, text in sections.items())
    return Attached(pictures, scrub(output))
