"""Summaries built in code for the unit tests of validity, trust and the board: a clean live run
of every catalogue rule, changed one field at a time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from conversion_qa.report.results import (
    Mode,
    Outcome,
    RuleResult,
    RunInfo,
    Status,
    Summary,
    TestResult,
    counted,
)
from conversion_qa.rules.catalogue import RULES

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
RUN = RunInfo("pm@laptop", NOW, NOW, "0.1.0", "abc123", "3.11.9", "8.3.0")


def clean_live(environment: str = "test") -> Summary:
    """A live run in which every rule applies (production-matches-test in production only),
    ran once and passed."""
    rules, tests = [], []
    for rule in RULES:
        applies = rule.environment in (None, environment)
        rules.append(
            RuleResult(
                rule.id,
                rule.title,
                rule.impact,
                rule.checklist,
                Status.PASSED if applies else Status.SKIPPED,
                "",
                1,
                applies,
                1 if applies else 0,
            )
        )
        outcome = Outcome.PASSED if applies else Outcome.SKIPPED
        tests.append(TestResult(f"tests/t.py::test[{rule.id}]", rule.id, "", outcome, "", 0.1))
    return Summary(
        biller_id="demo",
        biller_name="Demo",
        conversion="DEMO-2026-12",
        environment=environment,
        mode=Mode.LIVE,
        run=RUN,
        rules=tuple(rules),
        tests=tuple(tests),
        counts=counted(tests),
    )


def with_rule(summary: Summary, rule_id: str, **changes: object) -> Summary:
    """The summary with one rule's fields changed."""
    rules = tuple(
        dataclasses.replace(rule, **changes) if rule.id == rule_id else rule  # type: ignore[arg-type]
        for rule in summary.rules
    )
    return dataclasses.replace(summary, rules=rules)


def with_tests(summary: Summary, tests: list[TestResult]) -> Summary:
    """The summary with these tests, and its counts made to agree."""
    return dataclasses.replace(summary, tests=tuple(tests), counts=counted(tests))


def first_test_of(summary: Summary, rule_id: str) -> int:
    """The index of a rule's (first) test."""
    return [t.rule for t in summary.tests].index(rule_id)
