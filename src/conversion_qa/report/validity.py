"""Whether an archived run can be signed off, and why not: a pure function of its summary.json.

VALID FOR SIGN-OFF only when all of these hold; each one that does not is a reason, a sentence:

- the run was live against the real systems: not offline (recorded answers), not a rehearsal
  (`--sandbox`, `--resolve`, `--accept-loopback-dns`, or a host connected at an address that is
  not public);
- every rule of the catalogue that applies to the biller and environment ran, every item of it
  (not left out by -k or a choice of test files);
- none of them was skipped: blocked by another rule's broken input, or unsafe (a production write);
- none failed or errored;
- every waiver that matched a failure was active (an expired one does not waive it).

A rule that does not apply (a multi-user rule on a single-user biller, custom-code without custom
code, iframe-lag without iFrames) never counts against a run. A rule skipped because another
rule's input is broken (rtdr without a valid setting 131) is not proven: it counts as not run,
whatever the rule it points at says, so a sheet is never signable with a check left undone.

The summary is not trusted: an old (version 1), edited or broken one is never valid, and says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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

    def as_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "reasons": list(self.reasons)}


def mode_reason(mode: object, rehearsed_by: Sequence[object] = ()) -> str | None:
    """Why a run in this mode cannot sign off, or None for a live run."""
    if mode == "live":
        return None
    if mode == "offline":
        return OFFLINE_REASON
    if mode == "rehearsal":
        said = [str(o) for o in rehearsed_by]
        options = [o for o in said if o.startswith("--")]
        reached = [o for o in said if not o.startswith("--")]  # where its connections went
        if SANDBOX in options or not said:
            return SANDBOX_REASON
        if not options:
            return f"a rehearsal: it {'; it '.join(reached)}"
        return (
            f"a rehearsal ({', '.join(options)}): the real systems were not reached as the "
            "public reaches them"
        )
    return f"mode {mode!r} is not one the suite writes (offline, rehearsal or live)"


def mode_shown(mode: object, rehearsed_by: Sequence[object] = ()) -> str:
    """The mode as a report's header row shows it: `rehearsal --sandbox`, or a rehearsal by
    where it connected with the hosts in brackets."""
    said = [str(o) for o in rehearsed_by]
    options = [o for o in said if o.startswith("--")]
    reached = [o for o in said if not o.startswith("--")]
    return " ".join([str(mode), *options]) + (f" ({'; '.join(reached)})" if reached else "")


def of(summary: Mapping[str, Any]) -> Validity:
    """The run's validity for sign-off, from its summary alone (see the module's table)."""
    reasons: list[str] = []
    version = summary.get("schema_version")
    rules = _records(summary.get("rules"))
    if version == 1:
        reasons.append(VERSION_1_REASON)
    elif version != 2:
        reasons.append(f"summary.json version {version!r} is not one this suite reads")
    rehearsed_by = summary.get("rehearsal")
    said = mode_reason(summary.get("mode"), rehearsed_by if isinstance(rehearsed_by, list) else ())
    if said is not None:
        reasons.append(said)
    if not rules:
        reasons.append("the summary lists no rules")
        return Validity(False, tuple(reasons))

    standing = outstanding(summary) if version == 2 else _failed_only(rules)
    failed = [_id(r) for r, why in standing if why == FAILED]
    if failed:
        reasons.append(f"{', '.join(failed)} failed")
    for waiver in _records(summary.get("waivers")) or []:
        if waiver.get("active") is False:
            item = f" ({waiver['item']})" if waiver.get("item") else ""
            reasons.append(
                f"a waiver for {waiver.get('rule')}{item} expired on {waiver.get('expires')}"
            )
    for why, sentence in (
        (NOT_RUN, "rules not run: {} (a -k or file selection)"),
        (IN_PART, "rules run only in part: {}"),
        (SKIPPED, "rules skipped, so not proven: {}"),
        (UNKNOWN, "rules the summary does not fully describe: {}"),
    ):
        named = [_named(rule, why) for rule, why_not in standing if why_not == why]
        if named:
            reasons.append(sentence.format(", ".join(named)))
    return Validity(not reasons, tuple(reasons))


# Why a rule stands between a run and its sign-off.
FAILED, NOT_RUN, IN_PART, SKIPPED, UNKNOWN = "failed", "not run", "run in part", "skipped", "?"


def outstanding(summary: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], str]]:
    """The rules that stand between the run and a sign-off, each with why (FAILED, NOT_RUN,
    IN_PART, SKIPPED, UNKNOWN), in catalogue order. Only a failure counts for a rule that does
    not apply; a rule is SKIPPED when any of its tests was skipped (or xfailed)."""
    skips: dict[str, int] = {}
    for test in _records(summary.get("tests")) or []:
        if test.get("outcome") in ("skipped", "xfailed"):
            skips[str(test.get("rule"))] = skips.get(str(test.get("rule")), 0) + 1
    found: list[tuple[Mapping[str, Any], str]] = []
    for rule in _records(summary.get("rules")) or []:
        applies, status = rule.get("applies"), rule.get("status")
        tests, expected = rule.get("tests"), rule.get("expected")
        if status == "failed":
            found.append((rule, FAILED))
        elif applies is False:
            continue
        elif applies is not True or not _is_count(tests) or not _is_count(expected):
            found.append((rule, UNKNOWN))
        elif status == "not run" or tests == 0:
            found.append((rule, NOT_RUN))
        elif status == "skipped" or skips.get(_id(rule)):
            found.append((rule, SKIPPED))
        elif tests < expected:  # type: ignore[operator]  # _is_count checked both
            found.append((rule, IN_PART))
    return found


def _failed_only(rules: list[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], str]]:
    """Version 1 did not record which rules apply: only its failures can be read."""
    return [(rule, FAILED) for rule in rules if rule.get("status") == "failed"]


def _named(rule: Mapping[str, Any], why: str) -> str:
    """A rule's id, with how much of it ran when that is not all or nothing."""
    tests, expected = rule.get("tests"), rule.get("expected")
    if why == IN_PART:
        return f"{_id(rule)} ({tests} of its {expected} tests)"
    return _id(rule)


def _records(value: object) -> list[Mapping[str, Any]] | None:
    if not isinstance(value, list):
        return None
    return [entry for entry in value if isinstance(entry, Mapping)]


def _id(rule: Mapping[str, Any]) -> str:
    return str(rule.get("id", "?"))


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
