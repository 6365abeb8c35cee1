"""report.html: one archived run as a verdict list a PM reads from the top.

Each test is one row in the suite's words (failed, not checked, waived, warning, skipped and
why, passed), the worst first; the tests of rules that do not apply to the biller and
environment are folded at the end. A row's message is its verdict; a failure's request and
answer, the browser's screenshots and any captured output are collapsed beneath it. Times are in
the maintenance window's time zone (the conversion's clock), to the second.

The page is rendered from templates/report.html with autoescaping, with no script: it reads and
prints the same everywhere. Each row keeps its stable id (`rule-rtdr--100234`, results.anchor),
which the sign-off sheet and the board link to.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from conversion_qa.report import clock, drift, templates, validity
from conversion_qa.report.results import Outcome, Summary, TestResult, said

DOES_NOT_APPLY = "does-not-apply"  # a skipped test of a rule that does not apply (shown apart)

# worst first: what must change, what could not be looked at, what was accepted, then the rest
_ORDER = (
    Outcome.FAILED,
    Outcome.ERROR,
    Outcome.XPASSED,
    Outcome.NOT_CHECKED,
    Outcome.WAIVED,
    Outcome.WARNING,
    Outcome.SKIPPED,
    Outcome.XFAILED,
    Outcome.PASSED,
)


@dataclass(frozen=True)
class Picture:
    """A screenshot the browser took for a test."""

    name: str
    png: bytes

    @property
    def source(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class Attached:
    """What a test's row carries besides its verdict (gathered from pytest by plugin/)."""

    pictures: tuple[Picture, ...] = ()
    output: str = ""  # captured output and logs, "" when there was none


@dataclass(frozen=True)
class Row:
    test: TestResult
    outcome: str  # Outcome's value, or DOES_NOT_APPLY
    attached: Attached
    title: str  # the rule's title ("" for a test that is not a rule)

    @property
    def verdict(self) -> str:
        """The test's message without its first two lines when they are the rule's title and
        the biller / environment / item: the row's columns say those."""
        lines = self.test.message.split("\n")
        if len(lines) > 1 and self.test.rule and lines[0].startswith(f"[{self.test.rule}] "):
            lines = lines[2:]
        return "\n".join(lines).strip()

    @property
    def said(self) -> str:
        return said(self.outcome)

    @property
    def evidence(self) -> str:
        """A failure's request and answer, without the line that says what they are (the
        collapsed summary says it)."""
        text = self.test.evidence
        return text.split("\n", 1)[1] if text.startswith("Evidence") and "\n" in text else text


def render(
    summary: Summary,
    attached: Mapping[str, Attached] | None = None,
    drift_rows: Sequence[drift.Row] = (),
) -> str:
    """report.html of one archived run, from its summary; `attached` by test node id."""
    attached = attached or {}
    judged = validity.of(summary)
    apart = {rule.id for rule in summary.rules if rule.applies is False}
    titles = {rule.id: rule.title for rule in summary.rules}
    rows = [
        _row(test, apart, attached.get(test.nodeid, Attached()), titles.get(test.rule, ""))
        for test in summary.tests
    ]
    shown = sorted((r for r in rows if r.outcome != DOES_NOT_APPLY), key=_rank)
    folded = [r for r in rows if r.outcome == DOES_NOT_APPLY]
    return templates.render(
        "report.html",
        run=f"{summary.biller_name}: conversion {summary.conversion}, {summary.environment}, "
        f"{summary.mode.value}",
        judged=judged,
        facts=_facts(summary),
        counts=_counts(rows),
        rows=shown,
        folded=folded,
        drift=drift.table(drift_rows),
        duration=duration,
    )


def _row(test: TestResult, apart: set[str], attached: Attached, title: str) -> Row:
    folded = test.outcome is Outcome.SKIPPED and test.rule in apart
    return Row(test, DOES_NOT_APPLY if folded else test.outcome.value, attached, title)


def _rank(row: Row) -> int:
    return _ORDER.index(row.test.outcome)  # sorted() keeps the run's order within an outcome


def _counts(rows: Sequence[Row]) -> str:
    """How many tests, and how many of each outcome, worst first: "35 tests: 34 passed, 1 does
    not apply"."""
    order = [o.value for o in _ORDER] + [DOES_NOT_APPLY]
    parts = [
        f"{n} {said(outcome)}"
        for outcome in order
        if (n := sum(1 for row in rows if row.outcome == outcome))
    ]
    total = f"{len(rows)} {'test' if len(rows) == 1 else 'tests'}"
    return f"{total}: {', '.join(parts)}" if parts else total


def _facts(summary: Summary) -> dict[str, str]:
    run, zone = summary.run, clock.zone_of(summary)
    return {
        "Biller": f"{summary.biller_name} ({summary.biller_id})",
        "Conversion": summary.conversion,
        "Environment": summary.environment,
        "Mode": validity.mode_shown(summary.mode, summary.rehearsal),
        "Started": clock.shown(run.started, zone),
        "Finished": clock.shown(run.finished, zone),
        "Took": duration((run.finished - run.started).total_seconds()),
        "Run by": run.by,
        "Suite": f"conversion-qa {run.suite_version}, commit {run.commit}",
        "Python, pytest": f"{run.python}, pytest {run.pytest}",
    }


def duration(seconds: float) -> str:
    """A test's or a run's time: `17 ms`, `2.5 s`, `3 min 4 s` (to the second)."""
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, whole = divmod(round(seconds), 60)
    return f"{minutes} min {whole} s"
