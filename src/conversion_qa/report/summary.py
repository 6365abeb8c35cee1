"""The summary of one biller's run, built from its tests' results (the model is report/results.py;
its JSON form, summary.json, is report/summary_json.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conversion_qa.config.model import Biller
from conversion_qa.config.waivers import describe, waivers_for
from conversion_qa.report.facts import RunFacts
from conversion_qa.report.results import (
    FAILING,
    SKIPPING,
    Mode,
    Outcome,
    Plan,
    RuleResult,
    RunInfo,
    Status,
    Summary,
    TestResult,
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
    )


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
    )


def _first_to_read(results: list[TestResult]) -> str:
    """The anchor of a rule's row to read first in report.html: its first failure, else its
    first skip, else its first test ("" when it had none)."""
    for wanted in (FAILING, SKIPPING, None):
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


def _waivers_used(biller: Biller | None, results: Sequence[TestResult]) -> tuple[WaiverUse, ...]:
    """The biller's waivers that matched a failure in this run: active when they waived it, not
    active when they had expired (the test then failed, with a note)."""
    used: dict[WaiverUse, bool] = {}
    for result in results:
        if biller is None or result.outcome not in (Outcome.FAILED, Outcome.WAIVED):
            continue
        for waiver in waivers_for(biller, result.rule, result.item or None):
            # a waived test's message is the waiver that waived it; a failed one had none active
            applied = result.outcome is Outcome.WAIVED and result.message == describe(waiver)
            if result.outcome is Outcome.WAIVED and not applied:
                continue
            key = WaiverUse(waiver.rule, waiver.item, waiver.expires, waiver.justification, False)
            used[key] = used.get(key, False) or applied
    return tuple(
        WaiverUse(k.rule, k.item, k.expires, k.justification, active) for k, active in used.items()
    )
