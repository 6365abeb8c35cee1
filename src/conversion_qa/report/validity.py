"""Whether an archived run can be signed off, and why not: a pure function of its summary.

VALID FOR SIGN-OFF only when all of these hold; each one that does not is a reason, a sentence:

- the run was live against the real systems: not offline (recorded answers), not a rehearsal
  (`--sandbox`, `--resolve`, `--accept-loopback-dns`, or a host connected at an address that is
  not public);
- every rule of the catalogue that applies to the biller and environment ran, every item of it
  (not left out by -k or a choice of test files);
- none of them was skipped: blocked by another rule's broken input;
- none failed or errored;
- none was not checked: every test of them could look (no answer, a deadline, a missing secret or
  recording, a write the guard refused each leave a rule not checked, and unproven);
- every waiver that matched a failure was active (an expired one does not waive it);
- custom-code and iframe-lag were checked in a browser (not with --no-browser).

A rule that does not apply (a multi-user rule on a single-user biller, custom-code without custom
code, iFrames without iframe-lag) never counts against a run. A rule skipped because another
rule's input is broken (rtdr without a valid setting 131) is not proven: it counts as not run,
whatever the rule it points at says, so a sheet is never signable with a check left undone.

A summary of version 1 (whose live may have been a rehearsal) is never valid; one of version 2
wrote a test not checked as failed, and recorded no browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from conversion_qa.report.results import (
    SKIPPING,
    Mode,
    RuleResult,
    Status,
    Summary,
    WaiverState,
)

VALID = "VALID FOR SIGN-OFF"
NOT_VALID = "NOT VALID FOR SIGN-OFF"
SANDBOX = "--sandbox"
OFFLINE_REASON = "offline: recorded answers prove the file, not the conversion"
SANDBOX_REASON = "a rehearsal against the local sandbox"
VERSION_1_REASON = (
    "recorded by an older suite (summary.json version 1), which wrote mode live for rehearsals "
    "too and did not record which rules apply"
)


@dataclass(frozen=True)
class Validity:
    valid: bool
    reasons: tuple[str, ...]  # empty when valid

    @property
    def verdict(self) -> str:
        return VALID if self.valid else NOT_VALID


def mode_reason(mode: Mode, rehearsed_by: Sequence[str] = ()) -> str | None:
    """Why a run in this mode cannot sign off, or None for a live run."""
    if mode is Mode.LIVE:
        return None
    if mode is Mode.OFFLINE:
        return OFFLINE_REASON
    options = [o for o in rehearsed_by if o.startswith("--")]
    reached = [o for o in rehearsed_by if not o.startswith("--")]  # where its connections went
    if SANDBOX in options or not rehearsed_by:
        return SANDBOX_REASON
    if not options:
        return f"a rehearsal: it {'; it '.join(reached)}"
    return (
        f"a rehearsal ({', '.join(options)}): the real systems were not reached as the "
        "public reaches them"
    )


def mode_shown(mode: Mode, rehearsed_by: Sequence[str] = ()) -> str:
    """The mode as a report's header row shows it: `rehearsal --sandbox`, or a rehearsal by
    where it connected with the hosts in brackets."""
    options = [o for o in rehearsed_by if o.startswith("--")]
    reached = [o for o in rehearsed_by if not o.startswith("--")]
    return " ".join([mode.value, *options]) + (f" ({'; '.join(reached)})" if reached else "")


class Why(StrEnum):
    """Why a rule stands between a run and its sign-off."""

    FAILED = "failed"
    NOT_CHECKED = "not checked"
    NOT_RUN = "not run"
    IN_PART = "run in part"
    SKIPPED = "skipped"


def of(summary: Summary) -> Validity:
    """The run's validity for sign-off, from its summary alone (see the module's table)."""
    reasons: list[str] = []
    if summary.version == 1:
        reasons.append(VERSION_1_REASON)
    said = mode_reason(summary.mode, summary.rehearsal)
    if said is not None:
        reasons.append(said)
    if not summary.rules:
        reasons.append("the summary lists no rules")
        return Validity(False, tuple(reasons))
    standing = outstanding(summary)
    failed = [rule.id for rule, why in standing if why is Why.FAILED]
    if failed:
        reasons.append(f"{', '.join(failed)} failed")
    unchecked = [rule for rule, why in standing if why is Why.NOT_CHECKED]
    if unchecked:
        reasons.append(f"rules not checked: {not_checked(unchecked)}")
    for waiver in summary.waivers:
        if waiver.state is WaiverState.EXPIRED:
            item = f" ({waiver.item})" if waiver.item else ""
            reasons.append(f"a waiver for {waiver.rule}{item} expired on {waiver.expires}")
    if summary.without_browser:
        reasons.append(f"{_and(summary.without_browser)} checked without a browser")
    for why, sentence in (
        (Why.NOT_RUN, "rules not run: {} (a -k or file selection)"),
        (Why.IN_PART, "rules run only in part: {}"),
        (Why.SKIPPED, "rules skipped, so not proven: {}"),
    ):
        named = [_named(rule, why) for rule, why_not in standing if why_not is why]
        if named:
            reasons.append(sentence.format(", ".join(named)))
    return Validity(not reasons, tuple(reasons))


def outstanding(summary: Summary) -> list[tuple[RuleResult, Why]]:
    """The rules that stand between the run and a sign-off, each with why, in catalogue order.
    Only a failure counts for a rule that does not apply (or, in a version 1 summary, for any
    rule: it did not record which apply); a rule is skipped when any of its tests was."""
    skipped = {test.rule for test in summary.tests if test.outcome in SKIPPING}
    found: list[tuple[RuleResult, Why]] = []
    for rule in summary.rules:
        if rule.status is Status.FAILED:
            found.append((rule, Why.FAILED))
        elif not rule.applies or rule.expected is None:
            continue
        elif rule.status is Status.NOT_CHECKED:
            found.append((rule, Why.NOT_CHECKED))
        elif rule.status is Status.NOT_RUN or rule.tests == 0:
            found.append((rule, Why.NOT_RUN))
        elif rule.status is Status.SKIPPED or rule.id in skipped:
            found.append((rule, Why.SKIPPED))
        elif rule.tests < rule.expected:
            found.append((rule, Why.IN_PART))
    return found


def not_checked(rules: Sequence[RuleResult]) -> str:
    """Rules not checked, grouped by why: `rtdr, data-pump (no answer from the CIS Service)`."""
    by_why: dict[str, list[str]] = {}
    for rule in rules:
        by_why.setdefault(rule.why or "why not recorded", []).append(rule.id)
    return "; ".join(f"{', '.join(ids)} ({why})" for why, ids in by_why.items())


def _and(names: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _named(rule: RuleResult, why: Why) -> str:
    """A rule's id, with how much of it ran when that is not all or nothing."""
    if why is Why.IN_PART:
        return f"{rule.id} ({rule.tests} of its {rule.expected} tests)"
    return rule.id
