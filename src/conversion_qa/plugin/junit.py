"""junit.xml per biller, written by pytest's own junitxml writer from that biller's reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.junitxml import LogXML


def write_junit(path: Path, suite_name: str, tests: list[list[pytest.TestReport]]) -> None:
    xml = LogXML(str(path), None, suite_name=suite_name, log_passing_tests=True)
    xml.pytest_sessionstart()
    for phases in tests:
        for phase in phases:
            xml.pytest_runtest_logreport(phase)
    xml.pytest_sessionfinish()
