"""summary.json: what CI and tools read about one archived run (summary.schema.json beside it)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

import jsonschema

from conversion_qa.config.model import Biller
from conversion_qa.config.waivers import describe, waivers_for
from conversion_qa.report import validity
from conversion_qa.report.collector import (
    NOT_CHECKED_OUTCOME,
    OUTCOMES,
    REHEARSAL,
    Group,
    TestResult,
    sort_key,
)
from conversion_qa.report.facts import RunFacts
from conversion_qa.rules.catalogue import RULES, Rule
from conversion_qa.rules.items import items_of, not_applicable, not_checked_in

# 2: mode rehearsal apart from live; signoff (validity); the plan's dates; which rules apply and
# how many tests each should have; the waivers used
# 3: not-checked (a test that could not look) apart from failed, with its why; each waiver's
# state (active, expired, not applicable) instead of active; the rules checked without a browser
SCHEMA_VERSION = 3
NOT_RUN = "not run"  # the rule had no test in this run's selection (-k, or a rule not yet built)
RULE_STATUSES = ("failed", NOT_CHECKED_OUTCOME, "waived", "warning", "passed", "skipped", NOT_RUN)
# A waiver that matched a test: it waived a failure (active), had expired (the test failed), or
# matched a test that was not checked (a waiver accepts a verdict, and there was none).
ACTIVE, EXPIRED, NOT_APPLICABLE = "active", "expired", "not applicable"


@dataclass(frozen=True)
class BillerFacts:
    id: str
    name: str
    conversion: str
    model: Biller | None = None  # the biller file as the run loaded it (None: not loaded)

    @classmethod
    def of(cls, biller: Biller) -> BillerFacts:
        return cls(biller.id, biller.name, biller.conversion.id, biller)


def rule_status(results: list[TestResult]) -> tuple[str, str]:
    """A rule's overall status over its items, and the reason to show with it."""
    if not results:
        return NOT_RUN, "not run in this selection"
    outcomes = {r.outcome for r in results}
    for status, members in (
        ("failed", {"failed", "error", "xpassed"}),
        (NOT_CHECKED_OUTCOME, {NOT_CHECKED_OUTCOME}),
        ("waived", {"waived"}),
        ("warning", {"warning"}),
        ("passed", {"passed"}),
    ):
        if outcomes & members:
            if status == "passed":
                return status, ""
            reasons = [
                (f"{r.item}: " if r.item else "") + r.message
                for r in results
                if r.outcome in members and r.message
            ]
            return status, "\n\n".join(dict.fromkeys(reasons))
    reasons = sorted({r.message for r in results if r.message})
    return "skipped", "; ".join(reasons)


def rule_why(results: list[TestResult]) -> str:
    """Why a rule's tests were not checked, each reason once ("" when all were checked)."""
    return "; ".join(dict.fromkeys(r.why for r in results if r.why))


def build(
    group: Group,
    biller: BillerFacts,
    facts: RunFacts,
    results: list[TestResult],
    rehearsed_by: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The summary of one biller's run, as the schema documents it; rehearsed_by: the options
    that made the run's live tests a rehearsal (Run.rehearsed_by)."""
    by_rule: dict[str, list[TestResult]] = {}
    for result in results:
        by_rule.setdefault(result.rule, []).append(result)
    rules = []
    for rule in RULES:
        status, reason = rule_status(by_rule.get(rule.id, []))
        applies, expected = _expected(rule, biller.model, group.environment)
        rules.append(
            {
                "id": rule.id,
                "title": rule.title,
                "impact": rule.impact,
                "checklist": rule.checklist,
                "status": status,
                "reason": reason,
                "why": rule_why(by_rule.get(rule.id, [])),
                "tests": len(by_rule.get(rule.id, [])),
                "applies": applies,
                "expected": expected,
                "anchor": _first_to_read(by_rule.get(rule.id, [])),
            }
        )
    counts = Counter(r.outcome for r in results)
    summary: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "signoff": {},  # first, filled in below from the rest
        "biller": {"id": biller.id, "name": biller.name},
        "conversion": biller.conversion,
        "plan": _plan(biller.model),
        "environment": group.environment,
        "mode": group.mode,
        "rehearsal": list(rehearsed_by) if group.mode == REHEARSAL else [],
        "run": {
            "by": facts.user,
            "started": facts.started.isoformat(),
            "finished": facts.finished.isoformat(),
            "suite_version": facts.suite_version,
            "commit": facts.commit,
            "python": facts.python,
            "pytest": facts.pytest,
        },
        "counts": {outcome: counts.get(outcome, 0) for outcome in OUTCOMES},
        "rules": rules,
        "waivers": _waivers_used(biller.model, results),
        "without_browser": list(
            dict.fromkeys(r.rule for r in sorted(results, key=sort_key) if r.without_browser)
        ),
        "tests": [
            {
                "nodeid": r.nodeid,
                "rule": r.rule,
                "item": r.item,
                "outcome": r.outcome,
                "why": r.why,
                "message": r.message,
                "evidence": r.evidence,
                "duration": round(r.duration, 3),
                "anchor": r.anchor,
            }
            for r in results
        ],
    }
    summary["signoff"] = validity.of(summary).as_json()
    return summary


def _first_to_read(results: list[TestResult]) -> str:
    """The anchor of a rule's row to read first in report.html: its first failure, else its
    first skip, else its first test ("" when it had none)."""
    for wanted in (
        ("failed", "error", "xpassed"),
        (NOT_CHECKED_OUTCOME,),
        ("skipped", "xfailed"),
        None,
    ):
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


def _plan(biller: Biller | None) -> dict[str, str | None]:
    """The conversion's dates, for the board: the ITG and the maintenance window."""
    if biller is None:
        return dict.fromkeys(("itg_ticket", "itg_submitted", "window_start", "window_end"))
    conversion = biller.conversion
    window = conversion.maintenance_window
    return {
        "itg_ticket": conversion.itg.ticket,
        "itg_submitted": _iso(conversion.itg.submitted),
        "window_start": _iso(window.start),
        "window_end": _iso(window.end),
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _waivers_used(biller: Biller | None, results: list[TestResult]) -> list[dict[str, Any]]:
    """The biller's waivers that matched a test in this run, each with its state: active when
    it waived a failure, expired when the test failed for want of an active one, not applicable
    when the test was not checked (there was no verdict to accept)."""
    used: dict[tuple[str, str | None, str, str], str] = {}
    for result in results:
        if biller is None or result.outcome not in ("failed", "waived", NOT_CHECKED_OUTCOME):
            continue
        for waiver in waivers_for(biller, result.rule, result.item or None):
            # a waived test's message is the waiver that waived it; a failed one had none active
            if result.outcome == "waived":
                if result.message != describe(waiver):
                    continue
                state = ACTIVE
            else:
                state = EXPIRED if result.outcome == "failed" else NOT_APPLICABLE
            key = (waiver.rule, waiver.item, waiver.expires.isoformat(), waiver.justification)
            used[key] = min(used.get(key, state), state, key=_STATE_ORDER.index)
    return [
        {"rule": r, "item": i, "expires": e, "justification": j, "state": state}
        for (r, i, e, j), state in used.items()
    ]


# A waiver matching several tests (no item: every item of its rule) is said by what it did most.
_STATE_ORDER = (ACTIVE, EXPIRED, NOT_APPLICABLE)


def schema() -> dict[str, Any]:
    text = resources.files("conversion_qa.report").joinpath("summary.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(summary: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a summary does not match its schema."""
    jsonschema.Draft202012Validator(schema()).validate(summary)


def dumps(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
