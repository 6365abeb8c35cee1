"""A rule's outcome: require and warn for the tests, then its report told as a sentence, waivers
applied, secrets scrubbed.

A test that could not look (no answer, a missing secret or recording, a write the guard
refused) is not checked: its report stays failed for pytest (the exit status, -x and --lf treat
it as outstanding) but carries the NOT_CHECKED user property with its why, so that the console
(its own letter and colour), every report and the sign-off show it apart from a failure.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from conversion_qa.config import waivers
from conversion_qa.config.secrets import scrub
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin.collector import (
    EVIDENCE,
    HEADLINE_FIX,
    HEADLINE_WHAT,
    HEADLINE_WHERE,
    NOT_CHECKED,
    NOT_CHECKED_FIX,
    NOT_CHECKED_WHAT,
    WAIVED,
    WARNING,
    scrubbed,
)
from conversion_qa.plugin.explained import problem_of, unchecked
from conversion_qa.plugin.targets import Case
from conversion_qa.report.results import Mode
from conversion_qa.rules.verdict import (
    Blocked,
    NotChecked,
    Problem,
    RuleFailed,
    RuleNotChecked,
    Verdict,
)

# Control characters a terminal would act on (ESC sequences, backspace, bidi overrides), from a
# biller file or a service's answer; line breaks and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with every control character shown escaped (ESC as \\x1b), not acted on."""
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def require(verdict: Verdict) -> None:
    """Fail the rule with the problem, skip it when blocked, leave it not checked when it could
    not look, pass it otherwise."""
    if isinstance(verdict, Blocked):
        pytest.skip(verdict.reason)
    if isinstance(verdict, NotChecked):
        raise RuleNotChecked(verdict)
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
        why = unchecked(case, error)
        if why is not None:
            report.longrepr = not_checked_text(case, why)
            report.user_properties += [
                (NOT_CHECKED, why.reason),
                (NOT_CHECKED_WHAT, why.detail),
                (NOT_CHECKED_FIX, why.fix),
                *headline(why.detail, why.where, why.fix),
            ]
        elif isinstance(error, RuleFailed):
            report.longrepr = failure_text(case, str(error))
            found = error.problem
            report.user_properties += headline(found.summary, found.where, found.fix)
        elif isinstance(error, ConversionQAError):  # a verdict on a service's answer, in parts
            found = problem_of(case, error)
            report.longrepr = failure_text(case, found.render())
            report.user_properties += headline(found.summary, found.where, found.fix)
        evidence = getattr(error, "evidence", "")
        if evidence:  # also in the text above (the console's); the archive shows it apart
            report.user_properties.append((EVIDENCE, scrub(str(evidence))))
        if report.when == "call":
            _apply_waivers(report, case, today, checked=why is None)
    scrubbed(report, shown)


def headline(what: str, where: str | None, fix: str | None) -> list[tuple[str, object]]:
    """The sign-off sheet's three lines of a failure (user properties, so that xdist keeps
    them): what was found, where, the fix."""
    return [(HEADLINE_WHAT, what), (HEADLINE_WHERE, where or ""), (HEADLINE_FIX, fix or "")]


def shown(text: str) -> str:
    """Text as the suite may show it anywhere: secrets scrubbed, control characters escaped."""
    return printable(scrub(text))


def failure_text(case: Case, message: str) -> str:
    rule = case.rule
    return (
        f"[{rule.id}] {rule.title}\n{_subject(case)}\n\n{message}\n\n"
        f"Checklist: {rule.checklist}\nTroubleshooting: {rule.troubleshooting}"
    )


def not_checked_text(case: Case, why: NotChecked) -> str:
    """A test that could not look: why and what to do, without the checklist's troubleshooting
    (that is for verdicts)."""
    return (
        f"[{case.rule.id}] {case.rule.title}\n{_subject(case)}\n\n{why.render()}\n\n"
        "Not a verdict on the conversion: the rule could not look, so it is not checked, and "
        "it counts against sign-off until a run checks it."
    )


def _subject(case: Case) -> str:
    return f"{case.biller.id} / {case.environment}" + (f" / {case.item}" if case.item else "")


def _apply_waivers(report: pytest.TestReport, case: Case, today: date, *, checked: bool) -> None:
    matching = waivers.waivers_for(case.biller, case.rule.id, case.item)
    if matching and not checked:
        # a waiver accepts the rule's verdict; a rule that could not look has none
        report.longrepr = (
            f"{report.longrepr}\n\n{waivers.not_applicable_note(matching, case.biller)}"
        )
        return
    waiver = waivers.active(matching, today)
    if waiver is not None:
        report.outcome = "skipped"
        report.wasxfail = waivers.describe(waiver)
        report.user_properties.append((WAIVED, waivers.describe(waiver)))
    elif matching:
        report.longrepr = f"{report.longrepr}\n\n{waivers.expired_note(matching, case.biller)}"


NOT_CHECKED_CATEGORY = "not checked"  # the console's word, and its count on the last line


def special_status(
    report: pytest.CollectReport | pytest.TestReport,
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    """Not-checked, waived and passed-with-a-warning tests get their own word in the terminal
    (a not-checked one its own letter and colour, never a failure's red)."""
    names = {name for name, _ in getattr(report, "user_properties", ())}
    if NOT_CHECKED in names and report.failed:
        return NOT_CHECKED_CATEGORY, "N", ("NOT CHECKED", {"cyan": True})
    if WAIVED in names:
        return WAIVED, "w", ("WAIVED", {"yellow": True})
    if WARNING in names and report.when == "call" and report.passed:
        return "warned", "W", ("PASSED WITH WARNING", {"yellow": True})
    return None


def write_terminal_summary(reporter: pytest.TerminalReporter) -> None:
    """List the tests not checked (grouped by why, each why and fix said once), then waived and
    warned tests with their justification or warning, for the console."""
    _write_not_checked(reporter)
    for category, title, key in ((WAIVED, "waived", WAIVED), ("warned", "warnings", WARNING)):
        reports = reporter.stats.get(category, [])
        if not reports:
            continue
        reporter.write_sep("=", f"{title} ({len(reports)})", yellow=True)
        for report in reports:
            texts = [str(value) for name, value in report.user_properties if name == key]
            reporter.write_line(f"{report.nodeid}: {texts[0] if texts else ''}")


def _write_not_checked(reporter: pytest.TerminalReporter) -> None:
    """One paragraph per why: the rules it left not checked, what the first of them found and
    what to do (every test's own text is in the archived report)."""
    reports = reporter.stats.get(NOT_CHECKED_CATEGORY, [])
    if not reports:
        return
    groups: dict[str, list[dict[str, object]]] = {}
    for report in reports:
        said = {"nodeid": report.nodeid, **dict(report.user_properties)}
        groups.setdefault(str(said.get(NOT_CHECKED, "")), []).append(said)
    reporter.write_sep("=", f"not checked ({len(reports)}): not verdicts, not passes", cyan=True)
    for reason, members in groups.items():
        rules: dict[str, int] = {}
        for said in members:
            rules[str(said.get("rule", "?"))] = rules.get(str(said.get("rule", "?")), 0) + 1
        named = ", ".join(f"{rule} ({n})" if n > 1 else rule for rule, n in rules.items())
        tests = f"{len(members)} test{'s' if len(members) > 1 else ''}"
        reporter.write_line(f"{reason}: {tests}: {named}", cyan=True, bold=True)
        first = members[0]
        what = {str(said.get(NOT_CHECKED_WHAT, "")) for said in members}
        shown = "" if len(what) == 1 else f"first, {first['nodeid']}: "
        reporter.write_line(f"  {shown}{first.get(NOT_CHECKED_WHAT, '')}")
        reporter.write_line(f"  fix: {first.get(NOT_CHECKED_FIX, '')}")
