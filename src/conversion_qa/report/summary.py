"""summary.json: what CI and tools read about one archived run (summary.schema.json beside it)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jsonschema

from conversion_qa.report.collector import OUTCOMES, REHEARSAL, Group, TestResult
from conversion_qa.report.facts import RunFacts
from conversion_qa.rules.catalogue import RULES

SCHEMA_VERSION = 2  # 2: mode rehearsal apart from live, and what a rehearsal was made with
NOT_RUN = "not run"  # the rule had no test in this run's selection (-k, or a rule not yet built)
RULE_STATUSES = ("failed", "waived", "warning", "passed", "skipped", NOT_RUN)


@dataclass(frozen=True)
class BillerFacts:
    id: str
    name: str
    conversion: str


def rule_status(results: list[TestResult]) -> tuple[str, str]:
    """A rule's overall status over its items, and the reason to show with it."""
    if not results:
        return NOT_RUN, "not run in this selection"
    outcomes = {r.outcome for r in results}
    for status, members in (
        ("failed", {"failed", "error", "xpassed"}),
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
        rules.append(
            {
                "id": rule.id,
                "title": rule.title,
                "impact": rule.impact,
                "checklist": rule.checklist,
                "status": status,
                "reason": reason,
                "tests": len(by_rule.get(rule.id, [])),
            }
        )
    counts = Counter(r.outcome for r in results)
    return {
        "schema_version": SCHEMA_VERSION,
        "biller": {"id": biller.id, "name": biller.name},
        "conversion": biller.conversion,
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
        "tests": [
            {
                "nodeid": r.nodeid,
                "rule": r.rule,
                "item": r.item,
                "outcome": r.outcome,
                "message": r.message,
                "duration": round(r.duration, 3),
            }
            for r in results
        ],
    }


def schema() -> dict[str, Any]:
    text = resources.files("conversion_qa.report").joinpath("summary.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(summary: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a summary does not match its schema."""
    jsonschema.Draft202012Validator(schema()).validate(summary)


def dumps(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
