"""The board believes an archived summary only when it is consistent: with the catalogue, with
its own tests, with the folder it lies in and the files beside it, and with the clock."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import PurePosixPath

import pytest

from conversion_qa.report import trust
from conversion_qa.report.archive import run_stem
from conversion_qa.report.results import (
    Outcome,
    Status,
    Summary,
    TestResult,
    WaiverState,
    WaiverUse,
)
from selftests.summaries import NOW, clean_live, first_test_of, with_rule, with_tests

FILES = {"report.html", "signoff.html", "junit.xml", "summary.json"}


def folder_of(summary: Summary, suffix: str = "") -> PurePosixPath:
    stem = run_stem(summary.run.started, summary.environment, summary.mode.value)
    return PurePosixPath("demo", "DEMO-2026-12", stem + suffix)


def doubt(summary: Summary, **given: object) -> str | None:
    folder = given.get("folder", folder_of(summary))
    files = given.get("files", FILES)
    return trust.doubt(summary, folder, files, given.get("now", NOW))  # type: ignore[arg-type]


def test_a_summary_the_suite_wrote_is_believed() -> None:
    assert doubt(clean_live()) is None
    assert doubt(clean_live(), folder=folder_of(clean_live(), "-2")) is None  # same second
    assert doubt(clean_live("production")) is None


def _forged() -> Summary:
    """Ten lines' worth: one rule, passed, valid on its face."""
    summary = clean_live()
    return dataclasses.replace(summary, rules=summary.rules[:1], tests=summary.tests[:1])


def _skipped_rtdr() -> Summary:
    summary = clean_live()
    tests = list(summary.tests)
    tests[first_test_of(summary, "rtdr")] = dataclasses.replace(
        tests[first_test_of(summary, "rtdr")], outcome=Outcome.SKIPPED
    )
    return with_tests(summary, tests)  # rtdr's status still says passed


@pytest.mark.parametrize(
    ("summary", "given", "reason"),
    [
        (_forged(), {}, "its rules are not the catalogue's, each once, in order"),
        (
            with_rule(clean_live(), "rtdr", applies=False, expected=0),
            {},
            "rtdr applies in every biller's test, whatever it says",
        ),
        (
            with_rule(clean_live(), "production-matches-test", applies=True, expected=1),
            {},
            "production-matches-test does not apply in every biller's test, whatever it says",
        ),
        (
            with_rule(clean_live(), "token-login", applies=False),
            {},
            "token-login: whether it applies and how many tests it expects disagree",
        ),
        (_skipped_rtdr(), {}, "rtdr: its status or count disagrees with its tests"),
        (
            with_rule(clean_live(), "rtdr", tests=2),
            {},
            "rtdr: its status or count disagrees with its tests",
        ),
        (
            dataclasses.replace(clean_live(), counts={Outcome.PASSED: 99}),
            {},
            "its counts disagree with its tests",
        ),
        (
            with_tests(
                clean_live(),
                [*clean_live().tests, TestResult("x", "made-up", "", Outcome.PASSED, "", 0)],
            ),
            {},
            "it has tests of no rule of the catalogue: made-up",
        ),
        (
            clean_live(),
            {"folder": PurePosixPath("semco", "DEMO-2026-12", "x")},
            "it says biller demo, conversion DEMO-2026-12, but lies in semco/DEMO-2026-12/x",
        ),
        (
            clean_live(),
            {"folder": PurePosixPath("demo", "DEMO-2026-12", "20261126T120000Z-test-offline")},
            "its folder 20261126T120000Z-test-offline is not its own run's "
            "(20261126T120000Z-test-live)",
        ),
        (
            clean_live(),
            {"files": {"summary.json"}},
            "its folder has no report.html, signoff.html, junit.xml",
        ),
        (
            clean_live(),
            {"now": NOW - timedelta(hours=1)},
            "it started at 2026-11-26T12:00:00+00:00, in the future",
        ),
    ],
    ids=[
        "forged",
        "applies-denied",
        "applies-claimed",
        "applies-vs-expected",
        "status-vs-tests",
        "count-vs-tests",
        "counts",
        "unknown-rule",
        "other-biller-folder",
        "other-run-folder",
        "files-missing",
        "future",
    ],
)
def test_an_inconsistent_summary_is_not_believed(
    summary: Summary, given: dict[str, object], reason: str
) -> None:
    assert doubt(summary, **given) == reason


def test_an_active_waiver_must_have_waived_a_test() -> None:
    waiver = WaiverUse("rtdr", None, date(2026, 12, 31), "x", WaiverState.ACTIVE)
    summary = dataclasses.replace(clean_live(), waivers=(waiver,))
    assert doubt(summary) == "it names an active waiver that waived no test"
    summary = with_rule(summary, "rtdr", status=Status.WAIVED)
    tests = list(summary.tests)
    index = first_test_of(summary, "rtdr")
    tests[index] = dataclasses.replace(tests[index], outcome=Outcome.WAIVED)
    assert doubt(with_tests(summary, tests)) is None
