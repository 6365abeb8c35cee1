"""How a rule says what it found: one sentence, what was expected, what was found, what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
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


Verdict = Problem | Blocked | None  # None: the rule holds


class RuleFailed(AssertionError):
    """A rule's check found a problem; the report shows the problem, not a traceback."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.render())
