"""A rule's outcome: require and warn for the tests, then its report told as a sentence, waivers
applied, secrets scrubbed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conversion_qa.config import waivers
from conversion_qa.config.secrets import scrub
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin.collector import EVIDENCE, WAIVED, WARNING, scrubbed
from conversion_qa.plugin.explained import ExplainedFailure, problem_of
from conversion_qa.plugin.targets import Case
from conversion_qa.report.results import Mode
from conversion_qa.rules.verdict import Blocked, Problem, RuleFailed, Verdict

# Control characters a terminal would act on (ESC sequences, backspace, bidi overrides), from a
# biller file or a service's answer; line breaks and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with every control character shown escaped (ESC as \\x1b), not acted on."""
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def require(verdict: Verdict) -> None:
    """Fail the rule with the problem, skip it when blocked, pass it otherwise."""
    if isinstance(verdict, Blocked):
        pytest.skip(verdict.reason)
    if verdict is not None:
        raise RuleFailed(verdict)


def warn(node: pytest.Item, problem: Problem) -> None:
    """Pass the rule with a warning (an iFrame slow in test, a certificate expiring soon); a
    second warning joins the first, so that reports, which show one, show both."""
    # scrubbed here too: a user's own --junitxml writes user properties as they are
    text = scrub(problem.render())
    earlier = [i for i, (name, _) in enumerate(node.user_properties) if name == WARNING]
    if earlier:
        index = earlier[0]
        node.user_properties[index] = (WARNING, f"{node.user_properties[index][1]}\n\n{text}")
    else:
        node.user_properties.append((WARNING, text))


def describe_case(case: Case, mode: Mode) -> list[tuple[str, object]]:
    """The facts a report row shows about a test (user properties, so that xdist keeps them);
    mode is the run's word for it (offline, rehearsal or live: Run.mode)."""
    return [
        ("rule", case.rule.id),
        ("biller", case.biller.id),
        ("environment", case.environment),
        ("item", case.item or ""),
        ("mode", mode.value),  # plain text: xdist sends properties between processes
    ]


def finish_report(
    report: pytest.TestReport, call: pytest.CallInfo[None], case: Case, today: date, mode: Mode
) -> None:
    """Turn the raw report of a rule's test into what its user should read."""
    report.user_properties.extend(describe_case(case, mode))
    if report.failed and call.excinfo is not None:
        error = call.excinfo.value
        if isinstance(error, RuleFailed):
            report.longrepr = failure_text(case, str(error))
        elif isinstance(error, ConversionQAError):  # a service or a recording, in parts
            report.longrepr = failure_text(case, problem_of(case, error).render())
        evidence = getattr(error, "evidence", "")
        if evidence:  # also in the text above (the console's); the archive shows it apart
            report.user_properties.append((EVIDENCE, scrub(str(evidence))))
        if report.when == "call":
            _apply_waivers(report, case, today, unchecked_by(error))
    scrubbed(report, shown)


def shown(text: str) -> str:
    """Text as the suite may show it anywhere: secrets scrubbed, control characters escaped."""
    return printable(scrub(text))


def failure_text(case: Case, message: str) -> str:
    rule = case.rule
    subject = f"{case.biller.id} / {case.environment}" + (f" / {case.item}" if case.item else "")
    return (
        f"[{rule.id}] {rule.title}\n{subject}\n\n{message}\n\n"
        f"Checklist: {rule.checklist}\nTroubleshooting: {rule.troubleshooting}"
    )


def unchecked_by(error: BaseException) -> ConversionQAError | None:
    """The service or recording error that kept the rule from being judged, if that is why it
    failed: raised as such (a configuration rule reading the portal live, public-dns or
    endpoint-tls without a recording), or carried by a network rule's explained failure."""
    if isinstance(error, ConversionQAError):
        return error
    if isinstance(error, ExplainedFailure):
        return error.unchecked
    return None


def _apply_waivers(
    report: pytest.TestReport, case: Case, today: date, unchecked: ConversionQAError | None
) -> None:
    matching = waivers.waivers_for(case.biller, case.rule.id, case.item)
    if matching and unchecked is not None:
        # a waiver accepts the rule's verdict; a rule that could not be judged has none
        note = waivers.not_applied_note(matching, case.biller, unchecked.what)
        report.longrepr = f"{report.longrepr}\n\n{note}"
        return
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
