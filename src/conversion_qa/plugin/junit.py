"""junit.xml per biller, written by pytest's own junitxml writer from that biller's reports.

A test not checked is an `<error type="not checked" message="not checked: why">`, apart from a
rule's `<failure>`: CI tools count it as not run to a verdict, not as a wrong answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _pytest.junitxml import LogXML, _NodeReporter, bin_xml_escape
from _pytest.reports import BaseReport

from conversion_qa.plugin.collector import NOT_CHECKED, properties

NOT_CHECKED_TYPE = "not checked"


class _Reporter(_NodeReporter):
    def append_failure(self, report: pytest.TestReport) -> None:
        why = properties([report]).get(NOT_CHECKED)
        if why is None:
            super().append_failure(report)
            return
        error = ET.Element(
            "error", type=NOT_CHECKED_TYPE, message=bin_xml_escape(f"{NOT_CHECKED_TYPE}: {why}")
        )
        error.text = bin_xml_escape(str(report.longrepr))
        self.append(error)


class _LogXML(LogXML):
    def node_reporter(self, report: BaseReport | str) -> _NodeReporter:  # type: ignore[override]
        reporter = super().node_reporter(report)
        reporter.__class__ = _Reporter  # pytest makes it; the failure is told our way
        return reporter


def write_junit(path: Path, suite_name: str, tests: list[list[pytest.TestReport]]) -> None:
    xml = _LogXML(str(path), None, suite_name=suite_name, log_passing_tests=True)
    xml.pytest_sessionstart()
    for phases in tests:
        for phase in phases:
            xml.pytest_runtest_logreport(phase)
    xml.pytest_sessionfinish()
