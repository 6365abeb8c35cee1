"""What the report self-tests share: reading archived folders, and a tiny project of rule tests."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conversion_qa.report.archive import JUNIT, REPORT, SIGNOFF, SUMMARY
from conversion_qa.report.manifest import MANIFEST
from selftests.helpers import demo_data, write_biller

# what every archived folder holds; signoff.pdf too where a browser printed it (not --no-pdf)
FILES = {REPORT, JUNIT, SUMMARY, SIGNOFF, MANIFEST}
BROKEN_131 = '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS}}'


def write_demo_with_broken_131(biller_dir: Path) -> None:
    """The demo biller with setting 131 broken: a run of it fails setting-131."""
    broken = demo_data()
    broken["environments"]["test"]["advanced_settings"]["131"] = BROKEN_131
    write_biller(biller_dir, broken)


def archived_text(path: Path) -> str:
    """An archived file's text: a PDF's as pypdf reads it, page by page; a PNG has none."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if path.suffix == ".png":
        return ""
    return path.read_text(encoding="utf-8")


def run_folders(report_dir: Path, biller: str, conversion: str) -> list[Path]:
    """The biller's complete archived run folders, oldest first."""
    parent = report_dir / biller / conversion
    return sorted(p for p in parent.iterdir() if (p / SUMMARY).is_file())


def conversion_page(
    report_dir: Path, biller: str = "demo", conversion: str = "DEMO-2026-12"
) -> str:
    """A conversion's page: every run of it (links relative to its folder)."""
    return (report_dir / biller / conversion / "index.html").read_text(encoding="utf-8")


def summary_of(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    return loaded


def rule_row(summary: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in summary["rules"] if r["id"] == rule_id)


@dataclass
class ReportRow:
    """One test's row of report.html: its outcome and cells as text, and its markup."""

    outcome: str  # data-outcome: passed, failed, not-checked, does-not-apply, ...
    folded: bool  # under "rules that do not apply", at the end
    anchor: str  # its id ("" for a test that is not a rule)
    # class -> text: outcome, rule (its id; not the title under it), item, found, time
    cells: dict[str, str] = field(default_factory=dict)
    markup: str = ""


class _ReportRows(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.rows: dict[str, ReportRow] = {}
        self.folded = False
        self.row: ReportRow | None = None
        self.cell: str | None = None
        self.in_title = False  # the rule's title under its id
        self.start = 0
        lines = text.splitlines(keepends=True)
        self.lines = [0]
        for line in lines:
            self.lines.append(self.lines[-1] + len(line))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "details" and found.get("id") == "does-not-apply":
            self.folded = True
        elif tag == "tr" and found.get("class") == "verdict":
            self.row = ReportRow(found["data-outcome"], self.folded, found.get("id", ""))
            self.rows[found["data-test"]] = self.row
            self.start = self._offset()
        elif tag == "td" and self.row is not None:
            self.cell = found.get("class", "").split()[0]
            self.row.cells[self.cell] = ""
        elif self.cell == "rule" and found.get("class") == "title":
            self.in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.row is not None:
            self.row.markup = self.text[self.start : self._offset()]
            self.row = None
        elif tag == "td":
            self.cell = None
        elif tag == "div":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.row is not None and self.cell is not None and not self.in_title:
            self.row.cells[self.cell] += data

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column


def report_rows(folder: Path) -> dict[str, ReportRow]:
    """report.html's rows, by test node id, in page order."""
    text = (folder / REPORT).read_text(encoding="utf-8")
    parser = _ReportRows(text)
    parser.feed(text)
    assert parser.rows or "<table" not in text, f"{folder}/report.html has no verdict rows"
    return parser.rows


def junit_cases(folder: Path) -> list[tuple[str, str, str]]:
    """(classname, name, outcome) of every testcase in junit.xml."""
    cases = []
    for case in ET.parse(folder / JUNIT).getroot().iter("testcase"):
        outcome = next((child.tag for child in case if child.tag != "properties"), "passed")
        cases.append((case.get("classname", ""), case.get("name", ""), outcome))
    return cases


def run_project(
    pytester: pytest.Pytester, biller_dir: Path, report_dir: Path, source: str, *args: str
) -> pytest.RunResult:
    """Run a tiny project of rule tests (source: one test module) like the suite's own rules."""
    module = pytester.makepyfile(test_rules=source)
    return pytester.runpytest_inprocess(
        str(module),
        "--biller-dir",
        str(biller_dir),
        "--report-dir",
        str(report_dir),
        "-p",
        "no:cacheprovider",
        "-rA",
        "--no-pdf",  # printing the sheet starts a browser (the tests marked pdf look at it)
        *args,
    )


# A warned rule, and a failing rule its biller file waives (see waived_demo()).
WARNED_AND_WAIVED = """
import pytest
from conversion_qa.plugin import require, warn
from conversion_qa.rules.verdict import Problem

@pytest.mark.rule("iframe-lag")
def test_iframe_lag(case, request):
    warn(request.node, Problem(
        summary="bill-view took 4.2 s in test",
        expected="under 3.0 s",
        found="4.2 s",
    ))

@pytest.mark.rule("custom-code")
def test_custom_code(case):
    require(Problem(
        summary="the budget banner is missing",
        expected="data-demo=budget-banner",
        found="absent",
    ))
"""

WAIVER = "CDN cut-over after go-live, agreed with the biller"

# The terminal's words for a test's outcome (not "warnings": those are Python warnings); pytest's
# parseoutcomes reads "25 not checked" as {"not": 25}.
_TERMINAL_OUTCOMES = (
    "passed",
    "failed",
    "skipped",
    "warned",
    "waived",
    "errors",
    "xfailed",
    "not",
)


def count_tests(result: pytest.RunResult) -> int:
    """How many tests the run reported, whatever rules the catalogue has grown to."""
    counts = result.parseoutcomes()
    return sum(counts.get(outcome, 0) for outcome in _TERMINAL_OUTCOMES)


@dataclass
class BoardRow:
    """One row of the conversion board (reports/index.html), as parsed from its markup."""

    attrs: dict[str, str]
    cells: dict[str, str] = field(default_factory=dict)  # td class (live-<env>) -> its text
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, href, text)
    outstanding: list[tuple[str, str]] = field(default_factory=list)  # (cell, "rtdr (failed)")


class _Board(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[BoardRow] = []
        self.cell: str | None = None
        self.href: str | None = None
        self.link_text = ""
        self.item: str | None = None
        self.in_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        classes = found.get("class", "").split()
        if tag == "tr" and "conversion" in classes:
            self.rows.append(BoardRow(found))
            self.in_row = True
        elif tag == "td" and self.in_row and self.cell is None:
            name = classes[0] if classes else ""
            if "data-environment" in found:
                name += f"-{found['data-environment']}"
            self.cell = name
            self.rows[-1].cells[name] = ""
        elif tag == "a" and self.cell:
            self.href, self.link_text = found.get("href", ""), ""
        elif tag == "li" and self.cell and "data-rule" in found:  # an outstanding rule
            self.item = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None
        elif tag == "tr":
            self.cell, self.in_row = None, False
        elif tag == "a" and self.href is not None and self.cell:
            self.rows[-1].links.append((self.cell, self.href, self.link_text))
            self.href = None
        elif tag == "li" and self.item is not None and self.cell:
            self.rows[-1].outstanding.append((self.cell, self.item.strip()))
            self.item = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.rows:
            self.rows[-1].cells[self.cell] += data
            if self.href is not None:
                self.link_text += data
            if self.item is not None:
                self.item += data


def board_rows(page: str) -> list[BoardRow]:
    """The conversion board's rows, in page order (from the file or a browser's DOM)."""
    parser = _Board()
    parser.feed(page)
    return [row for row in parser.rows if "data-biller" in row.attrs]


def board_row(report_dir: Path, biller: str) -> BoardRow:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    (row,) = [r for r in board_rows(page) if r.attrs["data-biller"] == biller]
    return row
