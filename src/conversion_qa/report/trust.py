"""Whether the board may believe an archived summary: a summary.json is a file anyone can drop
into the archive or edit, so the board lists one only when it is consistent with itself, the
catalogue and the folder it lies in (`doubt` says why not). Tamper evidence proper (digests of
a run's files) is the archive's manifest; this catches a forged or hand-edited summary.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from conversion_qa.report.archive import JUNIT, REPORT, SIGNOFF, folder_name, run_stem
from conversion_qa.report.results import Summary, TestResult, WaiverState, counted
from conversion_qa.report.summary import rule_status
from conversion_qa.rules.catalogue import RULES, Applies

REPORT_FILES = (REPORT, SIGNOFF, JUNIT)
CLOCK_SKEW = timedelta(minutes=5)  # a laptop's clock a little ahead is not a forgery


def doubt(
    summary: Summary, folder: PurePosixPath, files: Collection[str], now: datetime
) -> str | None:
    """Why the summary in folder (relative to the archive's root, holding files) cannot be
    believed, or None when it is consistent."""
    return (
        _folder_doubt(summary, folder)
        or _files_doubt(files)
        or _time_doubt(summary, now)
        or (_rules_doubt(summary) if summary.version >= 2 else None)
    )


def _folder_doubt(summary: Summary, folder: PurePosixPath) -> str | None:
    expected = (folder_name(summary.biller_id), folder_name(summary.conversion))
    if tuple(folder.parts[:2]) != expected or len(folder.parts) != 3:
        return (
            f"it says biller {summary.biller_id}, conversion {summary.conversion}, but lies in "
            f"{folder.as_posix()}"
        )
    stem = run_stem(summary.run.started, summary.environment, summary.mode.value)
    name = folder.name
    if name != stem and not (name.startswith(f"{stem}-") and name[len(stem) + 1 :].isdigit()):
        return f"its folder {name} is not its own run's ({stem})"
    return None


def _files_doubt(files: Collection[str]) -> str | None:
    missing = [name for name in REPORT_FILES if name not in files]
    return f"its folder has no {', '.join(missing)}" if missing else None


def _time_doubt(summary: Summary, now: datetime) -> str | None:
    run = summary.run
    if run.started > now + CLOCK_SKEW:
        return f"it started at {run.started.isoformat()}, in the future"
    if run.finished < run.started:
        return "it finished before it started"
    return None


def _rules_doubt(summary: Summary) -> str | None:
    """Its rules against the catalogue, and each rule's status against its own tests."""
    ids = [rule.id for rule in summary.rules]
    if ids != [rule.id for rule in RULES]:
        return "its rules are not the catalogue's, each once, in order"
    tests: dict[str, list[TestResult]] = {}
    for test in summary.tests:
        tests.setdefault(test.rule, []).append(test)
    if set(tests) - set(ids):
        return (
            f"it has tests of no rule of the catalogue: {', '.join(sorted(set(tests) - set(ids)))}"
        )
    for rule, entry in zip(RULES, summary.rules, strict=True):
        mine = tests.get(rule.id, [])
        must_apply = rule.applies is Applies.ALL and rule.environment in (None, summary.environment)
        never = rule.environment not in (None, summary.environment)
        if (must_apply and not entry.applies) or (never and entry.applies):
            applies = "applies" if must_apply else "does not apply"
            return f"{rule.id} {applies} in every biller's {summary.environment}, whatever it says"
        if entry.applies != (entry.expected is not None and entry.expected > 0):
            return f"{rule.id}: whether it applies and how many tests it expects disagree"
        if entry.tests != len(mine) or entry.status is not rule_status(mine)[0]:
            return f"{rule.id}: its status or count disagrees with its tests"
    if dict(summary.counts) != counted(list(summary.tests)):
        return "its counts disagree with its tests"
    waived = {(t.rule) for t in summary.tests if t.outcome == "waived"}
    if any(w.state is WaiverState.ACTIVE and w.rule not in waived for w in summary.waivers):
        return "it names an active waiver that waived no test"
    return None
