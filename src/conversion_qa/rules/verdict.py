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


@dataclass(frozen=True, kw_only=True)
class NotChecked:
    """The rule could not look (no answer, a missing secret or recording, a write refused):
    not a verdict on the conversion and not a pass; it counts against sign-off until checked."""

    reason: str  # a few words, for lists: "no answer from the CIS Service", "not recorded yet"
    detail: str  # what happened, as a sentence
    fix: str  # what to do: the network or VPN, the secret to set, the recording, the option
    where: str | None = None
    found: str | None = None  # what there was instead: how much arrived, the first failure

    def render(self) -> str:
        lines = [f"Not checked: {self.reason}.", f"  what:     {self.detail}"]
        if self.found:
            lines.append(f"  found:    {self.found}")
        if self.where:
            lines.append(f"  where:    {self.where}")
        lines.append(f"  fix:      {self.fix}")
        return "\n".join(lines)


Verdict = Problem | Blocked | NotChecked | None  # None: the rule holds


class RuleFailed(AssertionError):
    """A rule's check found a problem; the report shows the problem, not a traceback."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.render())


class RuleNotChecked(Exception):
    """A rule's test could not look; the report shows why, as not checked, never as failed."""

    def __init__(self, unchecked: NotChecked) -> None:
        self.unchecked = unchecked
        super().__init__(unchecked.render())
