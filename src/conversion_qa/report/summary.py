"""The summary of one biller's run, built from its tests' results (the model is report/results.py;
its JSON form, summary.json, is report/summary_json.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from conversion_qa.config.model import Biller
from conversion_qa.config.waivers import describe, waivers_for
from conversion_qa.report.facts import RunFacts
from conversion_qa.report.results import (
    FAILING,
    SKIPPING,
    Contact,
    Mode,
    Outcome,
    Plan,
    RuleResult,
    RunInfo,
    Status,
    Summary,
    TestResult,
    WaiverState,
    WaiverUse,
    counted,
)
from conversion_qa.rules.catalogue import RULES, Rule
from conversion_qa.rules.items import items_of, not_applicable, not_checked_in


@dataclass(frozen=True)
class BillerFacts:
    id: str
    name: str
    conversion: str
    model: Biller | None = None  # the biller file as the run loaded it (None: not loaded)

    @classmethod
    def of(cls, biller: Biller) -> BillerFacts:
        return cls(biller.id, biller.name, biller.conversion.id, biller)


_STATUS_OF = (
    (Status.FAILED, FAILING),
    (Status.NOT_CHECKED, frozenset({Outcome.NOT_CHECKED})),
    (Status.WAIVED, frozenset({Outcome.WAIVED})),
    (Status.WARNING, frozenset({Outcome.WARNING})),
    (Status.PASSED, frozenset({Outcome.PASSED})),
)


def rule_status(results: Sequence[TestResult]) -> tuple[Status, str]:
    """A rule's overall status over its items, and the reason to show with it."""
    if not results:
        return Status.NOT_RUN, "not run in this selection"
    outcomes = {r.outcome for r in results}
    for status, members in _STATUS_OF:
        if outcomes & members:
            if status is Status.PASSED:
                return status, ""
            reasons = [
                (f"{r.item}: " if r.item else "") + r.message
                for r in results
                if r.outcome in members and r.message
            ]
            return status, "\n\n".join(dict.fromkeys(reasons))
    reasons = sorted({r.message for r in results if r.message})
    return Status.SKIPPED, "; ".join(reasons)


def rule_why(results: Sequence[TestResult]) -> str:
    """Why a rule's tests were not checked, each reason once ("" when all were checked)."""
    return "; ".join(dict.fromkeys(r.why for r in results if r.why))


def build(
    biller: BillerFacts,
    environment: str,
    mode: Mode,
    facts: RunFacts,
    results: Sequence[TestResult],
    rehearsed_by: Sequence[str] = (),
) -> Summary:
    """The summary of one biller's run; rehearsed_by: what made its live tests a rehearsal
    (Run.rehearsed_by), kept only when the mode is a rehearsal."""
    by_rule: dict[str, list[TestResult]] = {}
    for result in results:
        by_rule.setdefault(result.rule, []).append(result)
    rules = tuple(
        _rule_result(rule, by_rule.get(rule.id, []), biller, environment) for rule in RULES
    )
    return Summary(
        biller_id=biller.id,
        biller_name=biller.name,
        conversion=biller.conversion,
        environment=environment,
        mode=mode,
        run=RunInfo(
            by=facts.user,
            started=facts.started,
            finished=facts.finished,
            suite_version=facts.suite_version,
            commit=facts.commit,
            python=facts.python,
            pytest=facts.pytest,
        ),
        rules=rules,
        tests=tuple(results),
        plan=_plan(biller.model),
        rehearsal=tuple(rehearsed_by) if mode is Mode.REHEARSAL else (),
        waivers=_waivers_used(biller.model, results),
        counts=counted(list(results)),
        without_browser=tuple(
            dict.fromkeys(r.rule for r in sorted(results, key=_order) if r.without_browser)
        ),
        contacts=_contacts(biller.model),
    )


_RULE_ORDER = {rule.id: index for index, rule in enumerate(RULES)}


def _order(result: TestResult) -> tuple[int, str]:
    return _RULE_ORDER.get(result.rule, len(_RULE_ORDER)), result.item


def _rule_result(
    rule: Rule, results: list[TestResult], biller: BillerFacts, environment: str
) -> RuleResult:
    status, reason = rule_status(results)
    applies, expected = _expected(rule, biller.model, environment)
    return RuleResult(
        id=rule.id,
        title=rule.title,
        impact=rule.impact,
        checklist=rule.checklist,
        status=status,
        reason=reason,
        tests=len(results),
        applies=applies,
        expected=expected,
        anchor=_first_to_read(results),
        why=rule_why(results),
    )


def _first_to_read(results: list[TestResult]) -> str:
    """The anchor of a rule's row to read first in report.html: its first failure, else its
    first test not checked, else its first skip, else its first test ("" when it had none)."""
    for wanted in (FAILING, frozenset({Outcome.NOT_CHECKED}), SKIPPING, None):
        for result in results:
            if wanted is None or result.outcome in wanted:
                return result.anchor
    return ""


def _expected(rule: Rule, biller: Biller | None, environment: str) -> tuple[bool, int]:
    """Whether the rule applies to the biller, and how many tests a whole run has of it."""
    if biller is None:  # a test of a biller the run did not load: nothing is known
        return True, 0
    if not_applicable(rule, biller) or not_checked_in(rule, environment):
        return False, 0
    return True, len(items_of(rule.id, biller, biller.environment(environment)))


def _plan(biller: Biller | None) -> Plan:
    """The conversion's dates, for the board: the ITG and the maintenance window."""
    if biller is None:
        return Plan()
    conversion = biller.conversion
    window = conversion.maintenance_window
    return Plan(
        itg_ticket=conversion.itg.ticket,
        itg_submitted=conversion.itg.submitted,
        window_start=window.start,
        window_end=window.end,
    )


def _contacts(biller: Biller | None) -> tuple[Contact, ...]:
    """Whom the weekend needs to reach, as the biller file names them (a contact without a
    name is left out: sns-contacts fails for it)."""
    if biller is None:
        return ()
    named = (
        ("S&S project manager", biller.sns_contacts.project_manager),
        ("S&S technical contact", biller.sns_contacts.technical),
    )
    return tuple(
        Contact(role, contact.name.strip(), contact.email, contact.phone)
        for role, contact in named
        if contact is not None and contact.name and contact.name.strip()
    )


def _waivers_used(biller: Biller | None, results: Sequence[TestResult]) -> tuple[WaiverUse, ...]:
    """The biller's waivers that matched a test of the run, each with what it did: active when
    it waived a failure, expired when the test failed for want of an active one, not applicable
    when the test was not checked (there was no verdict to accept)."""
    used: dict[tuple[str, str | None, date, str], WaiverState] = {}
    for result in results:
        if biller is None or result.outcome not in _MATCHED:
            continue
        for waiver in waivers_for(biller, result.rule, result.item or None):
            # a waived test's message is the waiver that waived it; a failed one had none active
            if result.outcome is Outcome.WAIVED and result.message != describe(waiver):
                continue
            state = _MATCHED[result.outcome]
            key = (waiver.rule, waiver.item, waiver.expires, waiver.justification)
            # a waiver of several tests (no item) is said by what it did most
            used[key] = min(used.get(key, state), state, key=list(WaiverState).index)
    return tuple(WaiverUse(*key, state) for key, state in used.items())


_MATCHED = {
    Outcome.WAIVED: WaiverState.ACTIVE,
    Outcome.FAILED: WaiverState.EXPIRED,
    Outcome.NOT_CHECKED: WaiverState.NOT_APPLICABLE,
}
