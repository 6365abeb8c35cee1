"""Each rule test's result, gathered from its pytest reports (on the xdist controller: the
workers'), as the report layer's typed results (report/results.py)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pytest

from conversion_qa.config.secrets import scrub
from conversion_qa.report.results import Headline, Mode, Outcome, TestResult
from conversion_qa.rules.catalogue import RULES

# The user properties that mark a rule's test as waived, or as passed with a warning.
WAIVED = "waived"
WARNING = "warning"
# The user properties of a test that could not look (its report failed, so that the exit status
# says so): the few words of why (NOT_CHECKED), what happened and what to do.
NOT_CHECKED = "not-checked"
NOT_CHECKED_WHAT = "not-checked-what"
NOT_CHECKED_FIX = "not-checked-fix"
# The user property of a live browser rule's test made without a browser (--no-browser).
WITHOUT_BROWSER = "checked-without-browser"
# The user properties of a failure (or a test not checked) in three lines, for the sheet.
HEADLINE_WHAT = "headline-what"
HEADLINE_WHERE = "headline-where"
HEADLINE_FIX = "headline-fix"
# The user property holding a failure's evidence (the request and the answer), exactly as its
# text (the console's) includes it: the archive shows the verdict without it, and it apart.
EVIDENCE = "evidence"

_RULE_ORDER = {r.id: index for index, r in enumerate(RULES)}


@dataclass(frozen=True, order=True)
class Group:
    """What one archived folder holds: one biller's environment in one mode."""

    biller: str
    environment: str
    mode: Mode


def properties(reports: Iterable[pytest.TestReport]) -> dict[str, str]:
    """The user properties of a test's reports (later phases win)."""
    found: dict[str, str] = {}
    for report in reports:
        for name, value in report.user_properties:
            found[str(name)] = str(value)
    return found


def group_of(props: Mapping[str, str]) -> Group | None:
    if not {"rule", "biller", "environment", "mode"} <= props.keys():
        return None  # not a rule's test
    try:
        mode = Mode(props["mode"])
    except ValueError:
        return None  # not ours: a test of another plugin with properties of the same names
    return Group(props["biller"], props["environment"], mode)


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else report.longreprtext
    return reason.removeprefix("Skipped: ")


def result_of(reports: list[pytest.TestReport]) -> TestResult:
    """One test's outcome and the message a PM reads, from its setup, call and teardown."""
    props = properties(reports)
    call = next((r for r in reports if r.when == "call"), None)
    failed = [r for r in reports if r.failed]
    skipped = [r for r in reports if r.skipped]
    if failed and NOT_CHECKED in props:
        outcome, message = Outcome.NOT_CHECKED, failed[0].longreprtext
    elif call is not None and call.failed:
        outcome, message = Outcome.FAILED, call.longreprtext
    elif failed:
        outcome, message = Outcome.ERROR, f"error in {failed[0].when}: {failed[0].longreprtext}"
    elif WAIVED in props:
        outcome, message = Outcome.WAIVED, props[WAIVED]
    elif skipped and hasattr(skipped[0], "wasxfail"):
        outcome, message = Outcome.XFAILED, str(skipped[0].wasxfail)
    elif skipped:
        outcome, message = Outcome.SKIPPED, skip_reason(skipped[0])
    elif call is not None and hasattr(call, "wasxfail"):
        outcome, message = Outcome.XPASSED, str(call.wasxfail)
    elif WARNING in props:
        outcome, message = Outcome.WARNING, props[WARNING]
    else:
        outcome, message = Outcome.PASSED, ""
    evidence = scrub(props.get(EVIDENCE, ""))
    message = scrub(message)
    if evidence and outcome in (Outcome.FAILED, Outcome.ERROR, Outcome.NOT_CHECKED):
        message = _BLANK_LINES.sub("\n\n", message.replace(evidence, ""))
    return TestResult(
        nodeid=reports[0].nodeid,
        rule=props.get("rule", ""),
        item=props.get("item", ""),
        outcome=outcome,
        message=message.strip(),
        duration=sum(r.duration for r in reports),
        evidence=evidence.strip(),
        why=scrub(props.get(NOT_CHECKED, "")) if outcome is Outcome.NOT_CHECKED else "",
        without_browser=WITHOUT_BROWSER in props,
        headline=_headline(props) if outcome in _HEADLINED else None,
    )


_HEADLINED = (Outcome.FAILED, Outcome.ERROR, Outcome.NOT_CHECKED, Outcome.WAIVED)


def _headline(props: Mapping[str, str]) -> Headline | None:
    if HEADLINE_WHAT not in props:
        return None  # an error in setup, or a test that said nothing in parts
    return Headline(
        what=scrub(props[HEADLINE_WHAT]),
        where=scrub(props.get(HEADLINE_WHERE, "")),
        fix=scrub(props.get(HEADLINE_FIX, "")),
    )


_BLANK_LINES = re.compile(r"\n{3,}")


def sort_key(result: TestResult) -> tuple[int, str, str]:
    """Catalogue order, then item, then node id: the same order serially and under xdist."""
    return _RULE_ORDER.get(result.rule, len(_RULE_ORDER)), result.item, result.nodeid


class Collector:
    """Keeps a scrubbed copy of every rule test's reports, grouped per archived folder."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._reports: dict[str, list[pytest.TestReport]] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if group_of(properties([report])) is None and report.nodeid not in self._reports:
            return
        self._reports.setdefault(report.nodeid, []).append(self._copy(report))

    def _copy(self, report: pytest.TestReport) -> pytest.TestReport:
        if report.longrepr is None and not report.sections:
            # nothing that could hold a secret: a shallow copy without xdist's worker will do
            light = copy.copy(report)
            light.__dict__.pop("node", None)
            return light
        # The round trip xdist itself makes: serial and parallel runs then archive the same
        # objects, and the copy can be scrubbed without touching what other plugins hold.
        hook = self._config.hook
        data = hook.pytest_report_to_serializable(config=self._config, report=report)
        data.pop("node", None)  # xdist's worker: its "[gw1] linux -- Python" line is noise here
        twin = hook.pytest_report_from_serializable(config=self._config, data=data)
        assert isinstance(twin, pytest.TestReport)
        return scrubbed(twin)

    def groups(self) -> dict[Group, list[list[pytest.TestReport]]]:
        """Each folder's tests (each a list of its phase reports), in a stable order."""
        found: dict[Group, list[tuple[TestResult, list[pytest.TestReport]]]] = {}
        for reports in self._reports.values():
            group = group_of(properties(reports))
            if group is not None:
                found.setdefault(group, []).append((result_of(reports), reports))
        return {
            group: [reports for _, reports in sorted(tests, key=lambda t: sort_key(t[0]))]
            for group, tests in sorted(found.items())
        }


def scrubbed(report: pytest.TestReport, clean: Callable[[str], str] = scrub) -> pytest.TestReport:
    """The report with every text any writer might print cleaned (by default: every known
    secret scrubbed)."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (path, line, reason)
        report.longrepr = (longrepr[0], longrepr[1], clean(longrepr[2]))
    elif longrepr is not None:
        report.longrepr = clean(str(longrepr))
    report.sections = [(title, clean(text)) for title, text in report.sections]
    report.user_properties = [
        (name, clean(value) if isinstance(value, str) else value)
        for name, value in report.user_properties
    ]
    if hasattr(report, "wasxfail"):
        report.wasxfail = clean(str(report.wasxfail))
    for extra in getattr(report, "extras", []):
        if isinstance(extra, dict) and isinstance(extra.get("content"), str):
            extra["content"] = clean(extra["content"])
    return report
