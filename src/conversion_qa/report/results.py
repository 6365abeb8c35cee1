"""A run's results as one typed model: each test's result, each rule's, and the summary of one
archived run (one biller, environment and mode). summary.json is this model written out
(`report/summary_json.py` writes and reads it, against `summary.schema.json`); validity, the
sign-off sheet and the board read the model, never the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Mode(StrEnum):
    """What a run's results can prove (plugin/run.py's Run.mode decides a test's mode)."""

    OFFLINE = "offline"  # recorded answers and the file
    REHEARSAL = "rehearsal"  # live tests against stand-ins: the sandbox, --resolve, loopback DNS
    LIVE = "live"  # the real systems as the public reaches them


class Outcome(StrEnum):
    """A test's outcome, worst first; "warning" is a pass the PM must read."""

    FAILED = "failed"
    ERROR = "error"  # its setup or teardown failed: the check did not run
    # it could not look (no answer, a deadline, a missing secret or recording, a write the guard
    # refused): neither a failure nor a pass, and no sign-off until checked; said "not checked"
    NOT_CHECKED = "not-checked"
    WAIVED = "waived"  # a failure an active waiver of the biller file accepts
    WARNING = "warning"
    PASSED = "passed"
    SKIPPED = "skipped"
    XFAILED = "xfailed"
    XPASSED = "xpassed"


FAILING = frozenset({Outcome.FAILED, Outcome.ERROR, Outcome.XPASSED})
SKIPPING = frozenset({Outcome.SKIPPED, Outcome.XFAILED})


def said(value: str) -> str:
    """An outcome or a status as a person reads it: `not checked` for `not-checked`."""
    return value.replace("-", " ")


class Status(StrEnum):
    """A rule's status over its tests in one run."""

    FAILED = "failed"
    NOT_CHECKED = "not-checked"  # a test of it could not look (and none failed)
    WAIVED = "waived"
    WARNING = "warning"
    PASSED = "passed"
    SKIPPED = "skipped"
    NOT_RUN = "not run"  # no test of it in this run's selection (-k, a choice of files)


@dataclass(frozen=True)
class Headline:
    """A failure or a test not checked in three lines, for the sign-off sheet: what was found,
    where, and the fix (the rule's Problem or NotChecked, as the test raised it)."""

    what: str
    where: str = ""
    fix: str = ""


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest test class, whatever its name says

    nodeid: str
    rule: str
    item: str  # "" for a rule checked as a whole
    outcome: Outcome
    message: str  # the verdict: a failure's text without its evidence, a skip's reason, ...
    duration: float
    evidence: str = ""  # a failure's request and answer (trimmed, redacted), or ""
    why: str = ""  # not checked: why, in a few words ("no answer from the CIS Service")
    without_browser: bool = False  # a live browser rule checked without one (--no-browser)
    # the sheet's three lines; made at the end of the run, not kept in summary.json (which keeps
    # the whole message), so None in a summary read back
    headline: Headline | None = None

    @property
    def anchor(self) -> str:
        """The id of the test's row in report.html."""
        return anchor(self.rule, self.item)


@dataclass(frozen=True)
class RuleResult:
    """One catalogue rule in one run: its status over its tests and what a whole run has."""

    id: str
    title: str
    impact: str
    checklist: str
    status: Status
    reason: str  # why skipped, the waiver, the warning, the failures, or why not run
    tests: int  # how many tests of it this run had
    applies: bool | None  # None: not recorded (summary version 1)
    expected: int | None  # how many tests a whole run has of it; None: not recorded
    anchor: str = ""  # its row to read first in report.html ("" when not run)
    why: str = ""  # why its tests not checked could not look, each reason once ("" if none)


class WaiverState(StrEnum):
    """What a waiver that matched a test of the run did."""

    ACTIVE = "active"  # it waived the failure
    EXPIRED = "expired"  # it had expired, and the test failed
    NOT_APPLICABLE = "not applicable"  # the test was not checked: there was no verdict to waive


@dataclass(frozen=True)
class WaiverUse:
    """A waiver of the biller file that matched a failed, waived or not-checked test."""

    rule: str
    item: str | None
    expires: date
    justification: str
    state: WaiverState


@dataclass(frozen=True)
class Plan:
    """The conversion's dates from the biller file (None where it gives none)."""

    itg_ticket: str | None = None
    itg_submitted: date | None = None
    window_start: datetime | None = None  # with its UTC offset, as the file gives it
    window_end: datetime | None = None


@dataclass(frozen=True)
class RunInfo:
    """Who ran it, when, with which suite."""

    by: str  # user@host
    started: datetime
    finished: datetime
    suite_version: str
    commit: str  # the suite checkout's git commit (+dirty), or "unknown"
    python: str
    pytest: str


@dataclass(frozen=True)
class Contact:
    """Someone the weekend needs to reach: S&S's project manager or technical contact."""

    role: str  # "S&S project manager", "S&S technical contact"
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Summary:
    """One archived run: one biller, one environment, one mode."""

    biller_id: str
    biller_name: str
    conversion: str
    environment: str
    mode: Mode
    run: RunInfo
    rules: tuple[RuleResult, ...]
    tests: tuple[TestResult, ...] = ()
    plan: Plan = Plan()
    rehearsal: tuple[str, ...] = ()  # what made the run a rehearsal (options, connections)
    waivers: tuple[WaiverUse, ...] = ()
    counts: Mapping[Outcome, int] = field(default_factory=dict)
    # the rules a live run checked without a browser (--no-browser); not recorded before version 3
    without_browser: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()  # whom to call on the weekend, from the biller file
    version: int = 3  # the schema_version it was written with (1: mode live may be a rehearsal;
    # 2: a test not checked was written as failed)

    def rule(self, rule_id: str) -> RuleResult | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def count(self, outcome: Outcome) -> int:
        return self.counts.get(outcome, 0)


def counted(tests: tuple[TestResult, ...] | list[TestResult]) -> dict[Outcome, int]:
    """How many tests had each outcome (every outcome listed, 0 for none)."""
    counts = dict.fromkeys(Outcome, 0)
    for test in tests:
        counts[test.outcome] += 1
    return counts


_UNSAFE_IN_ID = re.compile(r"[^A-Za-z0-9._-]")


def anchor(rule: str, item: str) -> str:
    """A stable id for a rule test's row: `rule-rtdr--100234` (one per rule and item), safe in
    a URL's fragment as it is."""
    if not item:
        return f"rule-{rule}"
    # any other character as ~hex~ (the ~ too): two items never share an id
    encoded = _UNSAFE_IN_ID.sub(lambda m: f"~{ord(m[0]):x}~", item)
    return f"rule-{rule}--{encoded}"
