"""A rule's outcome: require and warn for the tests, then its report told as a sentence, waivers
applied, secrets scrubbed."""

from __future__ import annotations

from datetime import date

import pytest

from conversion_qa.config import waivers
from conversion_qa.config.secrets import scrub
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin.targets import Case
from conversion_qa.report.collector import EVIDENCE, WAIVED, WARNING
from conversion_qa.rules.verdict import Blocked, Problem, RuleFailed, Verdict


def require(verdict: Verdict) -> None:
    """Fail the rule with the problem, skip it when blocked, pass it otherwise."""
    if isinstance(verdict, Blocked):
        pytest.skip(verdict.reason)
    if verdict is not None:
        raise RuleFailed(verdict)


def warn(node: pytest.Item, problem: Problem) -> None:
    """Pass the rule with a warning (an iFrame slow in test, a certificate expiring soon)."""
    # scrubbed here too: a user's own --junitxml writes user properties as they are
    node.user_properties.append((WARNING, scrub(problem.render())))


def describe_case(case: Case, mode: str) -> list[tuple[str, object]]:
    """The facts a report row shows about a test (user properties, so that xdist keeps them);
    mode is the run's word for it (offline, rehearsal or live: Run.mode)."""
    return [
        ("rule", case.rule.id),
        ("biller", case.biller.id),
        ("environment", case.environment),
        ("item", case.item or ""),
        ("mode", mode),
    ]


def finish_report(
    report: pytest.TestReport, call: pytest.CallInfo[None], case: Case, today: date, mode: str
) -> None:
    """Turn the raw report of a rule's test into what its user should read."""
    report.user_properties.extend(describe_case(case, mode))
    if report.failed and call.excinfo is not None:
        error = call.excinfo.value
        if isinstance(error, RuleFailed | ConversionQAError):
            report.longrepr = failure_text(case, str(error))
        evidence = getattr(error, "evidence", "")
        if evidence:  # also in the text above (the console's); the archive shows it apart
            report.user_properties.append((EVIDENCE, scrub(str(evidence))))
        if report.when == "call":
            _apply_waivers(report, case, today)
    if isinstance(report.longrepr, str):
        report.longrepr = scrub(report.longrepr)
    elif report.longrepr is not None and not isinstance(report.longrepr, tuple):
        report.longrepr = scrub(str(report.longrepr))
    report.sections = [(title, scrub(text)) for title, text in report.sections]


def failure_text(case: Case, message: str) -> str:
    rule = case.rule
    subject = f"{case.biller.id} / {case.environment}" + (f" / {case.item}" if case.item else "")
    return (
        f"[{rule.id}] {rule.title}\n{subject}\n\n{message}\n\n"
        f"Checklist: {rule.checklist}\nTroubleshooting: {rule.troubleshooting}"
    )


def _apply_waivers(report: pytest.TestReport, case: Case, today: date) -> None:
    matching = waivers.waivers_for(case.biller, case.rule.id, case.item)
    waiver = waivers.active(matching, today)
    if waiver is not None:
        report.outcome = "skipped"
        report.wasxfail = waivers.describe(waiver)
        report.user_properties.append((WAIVED, waivers.describe(waiver)))
    elif matching:
        report.longrepr = f"{report.longrepr}\n\n{waivers.expired_note(matching, case.biller)}"


def special_status(
    report: pytest.CollectReport | pytest.TestReport,
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    """Waived and passed-with-a-warning tests get their own word in the terminal."""
    names = {name for name, _ in getattr(report, "user_properties", ())}
    if WAIVED in names:
        return WAIVED, "w", ("WAIVED", {"yellow": True})
    if WARNING in names and report.when == "call" and report.passed:
        return "warned", "W", ("PASSED WITH WARNING", {"yellow": True})
    return None


def write_terminal_summary(reporter: pytest.TerminalReporter) -> None:
    """List waived and warned tests with their justification or warning, for the console."""
    for category, title, key in ((WAIVED, "waived", WAIVED), ("warned", "warnings", WARNING)):
        reports = reporter.stats.get(category, [])
        if not reports:
            continue
        reporter.write_sep("=", f"{title} ({len(reports)})", yellow=True)
        for report in reports:
            texts = [str(value) for name, value in report.user_properties if name == key]
            reporter.write_line(f"{report.nodeid}: {texts[0] if texts else ''}")
