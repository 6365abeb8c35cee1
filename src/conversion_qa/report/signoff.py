"""signoff.html: one printable sheet per biller run, one row per catalogue rule, signed on paper.

The sheet opens with its validity (report/validity.py): VALID FOR SIGN-OFF, or NOT VALID FOR
SIGN-OFF with each reason. A failing rule is three lines at most (what was found, where, the fix)
with a link to its row in report.html for the evidence; rules not checked are grouped by why.
Only a valid sheet has signature lines, kept on one page with the run's identity above them.

The page is rendered from templates/signoff.html with autoescaping (report/templates.py); the
printed copy, signoff.pdf, is made from it by report/pdf.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conversion_qa.report import clock, drift, templates, validity
from conversion_qa.report.archive import REPORT
from conversion_qa.report.results import (
    Headline,
    Outcome,
    RuleResult,
    Status,
    Summary,
    TestResult,
    said,
)

_NEEDS_A_HEADLINE = frozenset({Status.FAILED, Status.WAIVED})
_NOTED = (Outcome.WARNING, Outcome.SKIPPED, Outcome.XFAILED)


@dataclass(frozen=True)
class Line:
    """One rule on the sheet."""

    rule: RuleResult
    status: str  # as a person reads it: "not checked"
    headline: Headline | None  # a failed or waived rule's three lines
    items: str  # the items that failed, "" for a rule checked as a whole
    note: str  # a waived rule's waiver; any other status's one line ("" when passed)
    evidence: str  # its row in report.html ("" when there is none)


@dataclass(frozen=True)
class Unchecked:
    """The rules not checked for one reason, and what to do."""

    why: str
    rules: tuple[str, ...]
    fix: str


def identity(summary: Summary) -> str:
    """The run in one line, as every printed page and the signature block name it."""
    mode = validity.mode_shown(summary.mode, summary.rehearsal)
    return (
        f"{summary.biller_name} ({summary.biller_id}) · conversion {summary.conversion} · "
        f"{summary.environment} · {mode}"
    )


def stamp(summary: Summary) -> str:
    """The run's stamp: when it started and finished (in the window's time zone, to the second)."""
    zone = clock.zone_of(summary)
    started, finished = (
        clock.shown(moment, zone) for moment in (summary.run.started, summary.run.finished)
    )
    return f"run of {started} to {finished}"


def render(summary: Summary, drift_rows: Sequence[drift.Row] = (), *, paged: bool = True) -> str:
    """The sign-off sheet of one archived run, from its summary (and a live run's drift rows).
    paged: CSS page boxes (biller, validity, page N of M) for a browser's print; report/pdf.py
    asks for none, its header and footer say the same."""
    judged = validity.of(summary)
    run = summary.run
    facts = {
        "Run by": run.by,
        "Started": clock.shown(run.started, clock.zone_of(summary)),
        "Finished": clock.shown(run.finished, clock.zone_of(summary)),
        "Suite": f"conversion-qa {run.suite_version}, commit {run.commit}",
    }
    return templates.render(
        "signoff.html",
        summary=summary,
        judged=judged,
        title=(
            f"Sign-off: {summary.biller_name}, {summary.conversion} "
            f"({summary.environment}, {summary.mode})"
        ),
        identity=identity(summary),
        stamp=stamp(summary),
        facts=facts,
        verdict=_verdict(summary.rules),
        lines=[_line(rule, summary.tests) for rule in summary.rules],
        unchecked=_unchecked(summary.tests),
        drift=drift.table(drift_rows),
        paged=paged,
        valid_text=validity.VALID,
        not_valid_text=validity.NOT_VALID,
    )


def _verdict(rules: Sequence[RuleResult]) -> str:
    """What the rules came to: those that failed, then those not checked, each said apart."""
    failed = [r.id for r in rules if r.status is Status.FAILED]
    unchecked = [r for r in rules if r.status is Status.NOT_CHECKED]
    parts = [
        f"{len(failed)} rule(s) failed: {', '.join(failed)}. Do not sign until they pass or are "
        "waived."
        if failed
        else "No rule failed in this run."
    ]
    if unchecked:
        parts.append(
            f"{len(unchecked)} rule(s) not checked: {validity.not_checked(unchecked)}. Not "
            "verdicts: the rules could not look; run again once they can."
        )
    return " ".join(parts)


def _line(rule: RuleResult, tests: Sequence[TestResult]) -> Line:
    mine = [t for t in tests if t.rule == rule.id]
    evidence = f"{REPORT}#{rule.anchor}" if rule.anchor else ""
    if rule.status in _NEEDS_A_HEADLINE:
        wanted = Outcome.FAILED if rule.status is Status.FAILED else Outcome.WAIVED
        hit = [t for t in mine if t.outcome is wanted or t.outcome is Outcome.ERROR] or mine
        items = ", ".join(t.item for t in hit if t.item)
        first = hit[0] if hit else None
        headline = first.headline if first is not None else None
        if headline is None:  # a setup error, or a summary read back: its first words
            headline = Headline(_first_line(first.message if first else rule.reason))
        waiver = first.message if first is not None and wanted is Outcome.WAIVED else ""
        return Line(rule, said(rule.status), headline, items, waiver, evidence)
    if rule.status is Status.NOT_CHECKED:
        note = f"not checked: {rule.why or 'why not recorded'} (see Not checked, below)"
        return Line(rule, said(rule.status), None, "", note, evidence)
    noted = [t for t in mine if t.outcome in _NOTED and t.message]
    note = _first_line(noted[0].message) if noted else _first_line(rule.reason)
    if len(noted) > 1:
        note += f" (and {len(noted) - 1} more)"
    return Line(rule, said(rule.status), None, "", note, evidence if note else "")


def _unchecked(tests: Sequence[TestResult]) -> list[Unchecked]:
    """The tests not checked, by why: which rules, and the fix the first of them gave."""
    by_why: dict[str, tuple[list[str], str]] = {}
    for test in tests:
        if test.outcome is not Outcome.NOT_CHECKED:
            continue
        rules, fix = by_why.setdefault(test.why or "why not recorded", ([], ""))
        if test.rule not in rules:
            rules.append(test.rule)
        if not fix and test.headline is not None:
            by_why[test.why or "why not recorded"] = (rules, test.headline.fix)
    return [Unchecked(why, tuple(rules), fix) for why, (rules, fix) in by_why.items()]


def _first_line(text: str) -> str:
    """A message's first line that says something (a failure's text begins with its rule's id
    and title, which the sheet shows beside it already)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    said_lines = [line for line in lines if not line.startswith("[")]
    return (said_lines or lines or [""])[0]
