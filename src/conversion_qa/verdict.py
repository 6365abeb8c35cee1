"""How a rule says it failed: one sentence, what was expected, what was found, what to do."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conversion_qa.config.secrets import scrub

WARNING = "warning"  # the user property that marks a passed test as passed with a warning


@dataclass(frozen=True)
class Problem:
    """One thing wrong, as a PM reads it at 2 a.m."""

    summary: str
    expected: str
    found: str
    fix: str | None = None  # specific advice; the catalogue's troubleshooting is always shown too
    where: str | None = None  # file:line of the field, or the system that answered

    def render(self) -> str:
        lines = [self.summary, f"  expected: {self.expected}", f"  found:    {self.found}"]
        if self.where:
            lines.append(f"  where:    {self.where}")
        if self.fix:
            lines.append(f"  fix:      {self.fix}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Blocked:
    """The rule cannot be judged until another rule's problem is fixed: skipped, pointing there."""

    reason: str


class RuleFailed(AssertionError):
    """A rule's check found a problem; the report shows the problem, not a traceback."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.render())


def warn(node: pytest.Item, problem: Problem) -> None:
    """Pass the rule with a warning (an iFrame slow in test, a certificate expiring soon)."""
    # scrubbed here too: a user's own --junitxml writes user properties as they are
    node.user_properties.append((WARNING, scrub(problem.render())))


def require(verdict: Problem | Blocked | None) -> None:
    """Fail the rule with the problem, skip it when blocked, pass it otherwise."""
    if isinstance(verdict, Blocked):
        pytest.skip(verdict.reason)
    if verdict is not None:
        raise RuleFailed(verdict)
