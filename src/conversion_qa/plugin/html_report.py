"""The pytest-html report: our columns through its hooks, and one self-contained report per biller.

Everything this module hands pytest-html is markup, and its JavaScript inserts it with innerHTML:
the environment table's values, every cell of a row (the test id included), the log. So each value
from a biller file, a service or a test id is escaped here, once, before it reaches pytest-html.
The exceptions are what pytest-html escapes itself: the title (its template autoescapes) and the
log (it escapes the long report and captured sections); escaping those again would show `&amp;`.

pytest-html writes one report for the whole session. To give each biller's archive a report with
only its own tests, we drive pytest-html's own report class once per biller at the end of the run,
feeding it that biller's reports: the same template, JavaScript, hooks and columns as `--html`.

In the archived report a rule's row reads like a verdict: the message column holds it (expected,
found, where, fix, the troubleshooting results), the log below holds only captured output (not
the failure's text again), and a failure's request and answer are one collapsed extra. Each rule
row has a stable id (`rule-rtdr--100234`, collector.anchor) that the index links to.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import pytest
import pytest_html
from pytest_html.basereport import _format_duration
from pytest_html.report_data import ReportData
from pytest_html.selfcontained_report import SelfContainedReport
from pytest_html.util import _process_css, _read_template

from conversion_qa.config.secrets import scrub
from conversion_qa.plugin.collector import EVIDENCE, group_of, properties, result_of
from conversion_qa.report.results import said
from conversion_qa.report.validity import Validity

RESOURCES = Path(pytest_html.__file__).parent / "resources"
_TITLE = "conversion_qa_title"  # set on a biller's ReportData; read by the title hook
_ARCHIVED = "conversion_qa_archived"  # set on the copies of reports an archived report is fed

_COLUMNS = (
    '<th class="sortable" data-column-type="rule">Rule</th>',
    '<th class="sortable" data-column-type="item">Item</th>',
    '<th class="sortable" data-column-type="outcome">Outcome</th>',
    '<th class="message">Message</th>',
)


class TableHooks:
    """pytest-html hooks: rule id, item, outcome and message columns; a biller's title."""

    @pytest.hookimpl
    def pytest_html_report_title(self, report: ReportData) -> None:
        title = getattr(report, _TITLE, None)
        if title:
            report.title = title  # plain text: the template escapes it ({{ title }}, autoescape)

    @pytest.hookimpl
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells[1:1] = _COLUMNS

    @pytest.hookimpl
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        for index, cell in enumerate(cells):
            if cell.startswith('<td class="col-testId">'):
                cells[index] = id_cell(report)
        cells[1:1] = row_cells(report)

    @pytest.hookimpl
    def pytest_html_results_table_html(self, report: pytest.TestReport, data: list[str]) -> None:
        """In an archived report, a rule's log holds captured output only: its failure text is
        the message column already (a user's own --html keeps pytest-html's log)."""
        if not getattr(report, _ARCHIVED, False) or group_of(properties([report])) is None:
            return
        if report.longreprtext and data and data[0] == escape(report.longreprtext) + "\n":
            del data[0]
        if data == ["No log output captured."]:
            data.clear()  # pytest-html then leaves the log out


def id_cell(report: pytest.TestReport) -> str:
    """pytest-html's test id cell, escaped: its own puts the node id in as markup."""
    test_id = report.nodeid if report.when == "call" else f"{report.nodeid}::{report.when}"
    return f'<td class="col-testId">{escape(test_id)}</td>'


def row_cells(report: pytest.TestReport) -> list[str]:
    """The four cells of our columns for one phase report ("" for a test that is not a rule)."""
    if group_of(properties([report])) is None:
        return [f'<td class="col-{name}"></td>' for name in ("rule", "item", "outcome", "message")]
    result = result_of([report])
    message = escape(scrub(result.message))
    row_id = result.anchor if report.when == "call" else f"{result.anchor}--{report.when}"
    return [
        f'<td class="col-rule" id="{escape(row_id)}">{escape(result.rule)}</td>',
        f'<td class="col-item">{escape(result.item)}</td>',
        f'<td class="col-outcome outcome-{escape(result.outcome)}">{escape(said(result.outcome))}'
        "</td>",
        f'<td class="col-message"><div class="message">{message}</div></td>',
    ]


# Outcomes pytest-html does not know get their own colour; the message keeps its line breaks.
EXTRA_CSS = """
.col-message .message { white-space: pre-wrap; font-family: monospace; max-width: 70em; }
.col-outcome.outcome-failed, .col-outcome.outcome-error { color: #d9534f; font-weight: bold; }
.col-outcome.outcome-warning, .col-outcome.outcome-waived { color: #b8860b; font-weight: bold; }
.col-outcome.outcome-passed { color: #3c763d; }
.col-outcome.outcome-not-checked { color: #00638a; font-weight: bold; }
.evidence summary { cursor: pointer; font-weight: bold; }
.evidence pre { white-space: pre-wrap; max-width: 110em; }
.validity .banner { font-weight: bold; font-size: 16px; }
.validity.valid .banner { color: #3c763d; } .validity.invalid .banner { color: #d9534f; }
.validity ul { margin: 0.2em 0; padding-left: 1.2em; }
"""

SIGNOFF_KEY = "Sign-off"  # the header's first row: the run's validity
# pytest-html's filters for outcomes a rule's test does not have (it is never marked xfail; the
# suite reruns nothing): left out of an archived report unless a test had one after all
_NOT_OURS = ("xfailed", "xpassed", "rerun", "retried")


def validity_html(judged: Validity) -> str:
    """The header's first value: VALID FOR SIGN-OFF, or NOT VALID FOR SIGN-OFF and why."""
    state = "valid" if judged.valid else "invalid"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in judged.reasons)
    return (
        f'<div class="validity {state}" id="validity" data-valid="{str(judged.valid).lower()}">'
        f'<span class="banner">{escape(judged.verdict)}</span>'
        + (f'<ul class="reasons">{reasons}</ul>' if reasons else "")
        + "</div>"
    )


@functools.cache
def _template() -> Any:
    """pytest-html's template, compiled once per run rather than once per biller."""
    return _read_template([RESOURCES])


@functools.cache
def _css() -> str:
    return str(_process_css(RESOURCES / "style.css", [])) + EXTRA_CSS


class _BillerReport(SelfContainedReport):  # type: ignore[misc]
    """pytest-html's self-contained report, with a biller's header as its environment table."""

    def __init__(
        self,
        path: Path,
        config: pytest.Config,
        header: Mapping[str, str],
        judged: Validity,
        tests: int,
    ) -> None:
        super().__init__(str(path), config, ReportData(config), _template(), _css())
        self._header = dict(header)
        self._judged = judged
        self._tests = tests

    def _run_count(self) -> str:
        # pytest-html counts passed and failed tests only: "33 tests took" for 34 with a skip
        took = _format_duration(self._report.total_duration)
        return f"{self._tests} {'test' if self._tests == 1 else 'tests'} took {took}."

    def leave_out_filters_that_cannot_apply(self) -> None:
        """Drop pytest-html's filters for outcomes no test of this report had (_NOT_OURS)."""
        outcomes = self._report.outcomes
        for name in _NOT_OURS:
            if outcomes.get(name, {}).get("value") == 0:
                del outcomes[name]

    def _generate_environment(self) -> dict[str, str]:
        # pytest-html sets each key as text and inserts each value as markup: `<div>${value}</div>`
        escaped = {key: escape(value) for key, value in self._header.items()}
        return {SIGNOFF_KEY: validity_html(self._judged), **escaped}  # the validity first

    def _process_report(self, report: Any, duration: float, processed_extras: list[Any]) -> None:
        # pytest-html builds a row for every phase, then drops passed setup and teardown rows
        # (ReportData.add_test): skip building them, the bulk of the cost of a large run.
        if report.when != "call" and report.passed and not report.sections:
            return
        # pytest-html gives every phase's row the extras of all the test's phases: keep each
        # extra on the row of its own phase, so that the evidence appears once
        own = [e for e in processed_extras if any(e is x for x in getattr(report, "extras", []))]
        super()._process_report(report, duration, own)

    def _write_report(self, rendered_report: str) -> None:
        self._report_path.write_text(scrub(rendered_report), encoding="utf-8")


def write_report(
    path: Path,
    session: pytest.Session,
    title: str,
    header: Mapping[str, str],
    tests: list[list[pytest.TestReport]],
    started: float,
    judged: Validity,
    postfix: list[str] | None = None,
) -> None:
    """Write one biller's self-contained pytest-html report from its tests' reports; its header
    opens with the run's validity for sign-off (judged); `postfix` is markup (escaped by its
    maker) shown under the summary, such as the drift table."""
    report = _BillerReport(path, session.config, header, judged, len(tests))
    setattr(report._report, _TITLE, title)
    report._report.additional_summary["postfix"].extend(postfix or [])
    report._suite_start_time = started
    report.pytest_sessionstart(session)
    report.pytest_collection_finish(_Items(len(tests)))
    for phases in tests:
        for phase in phases:
            report.pytest_runtest_logreport(archived(phase))
    report.leave_out_filters_that_cannot_apply()
    report.pytest_sessionfinish(session)


def archived(report: pytest.TestReport) -> pytest.TestReport:
    """A copy of a phase's report for the archived report: marked, and a failure's evidence
    attached as one collapsed extra (pytest-html's html extra) after the extras it has (a
    browser check's screenshots)."""
    twin = copy.copy(report)
    setattr(twin, _ARCHIVED, True)
    evidence = properties([report]).get(EVIDENCE) if report.failed else None
    extras = [*getattr(report, "extras", [])]
    if evidence:
        extras.append(pytest_html.extras.html(evidence_html(evidence)))
    setattr(twin, "extras", extras)  # noqa: B010  # what pytest-html reads
    return twin


def evidence_html(evidence: str) -> str:
    """The request and the answer, collapsed under one line saying what they are."""
    body = evidence.split("\n", 1)[1] if evidence.startswith("Evidence") else evidence
    return (
        '<details class="evidence"><summary>Evidence: the request and the answer (trimmed, '
        f"secrets redacted)</summary><pre>{escape(scrub(body))}</pre></details>"
    )


class _Items:
    """What pytest-html's collection hook reads from a session: how many items there are."""

    def __init__(self, count: int) -> None:
        self.items: list[Any] = [None] * count
