"""The conversion board's dates: the phase a conversion is in, the days to its window; and old
(version 1) summaries shown as recorded, never valid."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from conversion_qa.report import index, validity
from conversion_qa.report.catalogue import Conversion, Record, newest_first, record_of
from conversion_qa.report.results import Mode, Outcome, Plan, Status
from selftests.reporting import board_rows
from selftests.summaries import clean_live, with_rule

EST = timezone(timedelta(hours=-5))
START = datetime(2026, 12, 3, 18, 0, tzinfo=EST)
END = datetime(2026, 12, 7, 6, 0, tzinfo=EST)
ITG = date(2026, 10, 19)


@pytest.mark.parametrize(
    ("now", "itg", "end", "expected"),
    [
        (datetime(2026, 10, 1, tzinfo=UTC), ITG, END, "kickoff"),  # before the ITG went in
        (datetime(2026, 11, 26, tzinfo=UTC), None, END, "kickoff"),  # no ITG at all
        (datetime(2026, 10, 19, 12, tzinfo=UTC), ITG, END, "test portal"),
        (START - timedelta(seconds=1), ITG, END, "test portal"),
        (START, ITG, END, "conversion weekend"),  # the window opens at batch close
        (END - timedelta(seconds=1), ITG, END, "conversion weekend"),
        (END, ITG, END, "post-go-live"),
        (START + timedelta(days=3), ITG, None, "conversion weekend"),  # no end: four days
        (START + timedelta(days=4), ITG, None, "post-go-live"),
    ],
)
def test_the_phase_follows_the_biller_files_dates(
    now: datetime, itg: date | None, end: datetime | None, expected: str
) -> None:
    assert index.phase(itg, START, end, now) == expected
    assert expected in index.PHASES


@pytest.mark.parametrize(
    ("now", "days", "text"),
    [
        (datetime(2026, 11, 26, 0, 30, tzinfo=UTC), 8, "in 8 days"),  # still the 25th in EST
        (datetime(2026, 11, 26, 5, 30, tzinfo=UTC), 7, "in 7 days"),
        (datetime(2026, 12, 2, 12, tzinfo=UTC), 1, "tomorrow"),
        (datetime(2026, 12, 3, 23, 30, tzinfo=UTC), 0, "today"),
        (datetime(2026, 12, 4, 12, tzinfo=UTC), -1, "yesterday"),
        (datetime(2026, 12, 20, 12, tzinfo=UTC), -17, "17 days ago"),
    ],
)
def test_days_to_the_window_count_calendar_days_in_its_time_zone(
    now: datetime, days: int, text: str
) -> None:
    assert index.days_until(START, now) == days
    assert index.days_text(days) == text


def _board(runs: list[Record], now: datetime) -> str:
    """The board of one conversion's runs."""
    return index.render([_conversion(runs)], now)


def _conversion(runs: list[Record]) -> Conversion:
    return Conversion("semco", "SEMCO-2026-12", tuple(newest_first(runs)))


def _run(folder: str, **fields: Any) -> Record:
    started = datetime(2026, 11, 20, 10, tzinfo=UTC)
    summary = dataclasses.replace(
        clean_live(),
        biller_id="semco",
        biller_name="SEMCO",
        conversion="SEMCO-2026-12",
        run=dataclasses.replace(clean_live().run, started=started, finished=started),
        version=1,
    )
    summary = dataclasses.replace(
        summary,
        rules=tuple(dataclasses.replace(r, applies=None, expected=None) for r in summary.rules),
    )
    return record_of(dataclasses.replace(summary, **fields), folder, "0" * 64)


def test_a_version_1_live_run_is_shown_as_recorded_and_never_valid() -> None:
    old = _run("semco/SEMCO-2026-12/20261120T100000Z-test-live")
    now = datetime(2026, 11, 26, tzinfo=UTC)
    (row,) = board_rows(_board([old], now))
    page = index.conversion_page(_conversion([old]), now)
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert validity.VERSION_1_REASON in row.cells["live-test"]
    assert '<td>live <span class="none">(summary version 1)</span></td>' in page  # as recorded
    assert row.cells["window"] == "not recorded"  # version 1 has no plan: sorted last
    assert row.attrs["data-phase"] == "kickoff"


def test_the_board_keeps_offline_and_rehearsal_runs_apart_from_the_live_state() -> None:
    plan = Plan("ITG-1", date(2026, 10, 19), START, END)
    later = datetime(2026, 11, 21, 10, tzinfo=UTC)
    runs = [
        _run("s/C/1-test-offline", version=2, mode=Mode.OFFLINE, plan=plan),
        _run(
            "s/C/2-test-rehearsal",
            version=2,
            mode=Mode.REHEARSAL,
            rehearsal=("--sandbox",),
            plan=plan,
            run=dataclasses.replace(clean_live().run, started=later, finished=later),
        ),
    ]
    (row,) = board_rows(_board(runs, datetime(2026, 11, 26, 12, tzinfo=UTC)))
    assert row.cells["live-test"] == "no live run yet"
    # one passing test per rule of the catalogue that applies
    ran = sum(t.outcome is Outcome.PASSED for t in clean_live().tests)
    # in neutral words: what passed of what ran, and what such a run proves
    assert (
        f"offline: {ran} of {ran} passed, proves the file, not a sign-off "
        "(2026-11-20 10:00 UTC, test)" in row.cells["apart"]
    )
    assert (
        f"rehearsal: {ran} of {ran} passed, proves the plan, not a sign-off "
        "(2026-11-21 10:00 UTC, test)" in row.cells["apart"]
    )
    assert row.attrs["data-days"] == "7"
    assert row.attrs["data-phase"] == "test portal"
    assert "No live run yet" in row.cells["history"]  # the live chart has none of them


def test_the_latest_run_is_the_latest_by_its_time_not_by_its_text() -> None:
    eastern = timezone(timedelta(hours=-5))
    earlier = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # "…T14:00…" sorts after "…T10:30…"
    later = datetime(2026, 12, 3, 10, 30, tzinfo=eastern)  # 15:30 UTC
    valid = dataclasses.replace(
        clean_live(), run=dataclasses.replace(clean_live().run, started=earlier)
    )
    failed = with_rule(clean_live(), "rtdr", status=Status.FAILED)
    failed = dataclasses.replace(failed, run=dataclasses.replace(failed.run, started=later))
    runs = [record_of(valid, "s/C/a", None), record_of(failed, "s/C/b", None)]
    (row,) = board_rows(_board(runs, datetime(2026, 12, 4, tzinfo=UTC)))
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert "rtdr (failed)" in row.cells["live-test"]


def test_the_board_lists_failed_and_not_checked_rules_apart_and_rates_judged_tests_only() -> None:
    down = "no answer from the CIS Service (enquesta-test.semco.example.com)"
    summary = with_rule(clean_live(), "setting-131", status=Status.FAILED)
    summary = with_rule(summary, "rtdr", status=Status.NOT_CHECKED, why=down, anchor="rule-rtdr")
    counts = {**summary.counts, Outcome.PASSED: 3, Outcome.FAILED: 1, Outcome.NOT_CHECKED: 20}
    run = record_of(dataclasses.replace(summary, counts=counts), "semco/C/1-test-live", None)
    assert run.pass_rate == 0.75  # 3 passed of the 4 judged: the 20 not checked say nothing
    page = _board([run], datetime(2026, 11, 26, tzinfo=UTC))
    (row,) = board_rows(page)
    assert row.outstanding == [
        ("live-test", "setting-131 (failed)"),
        ("live-test", f"rtdr (not checked: {down})"),
    ]
    assert '<ul class="outstanding failed">' in page
    assert '<ul class="outstanding not-checked">' in page
    listed = index.conversion_page(_conversion([run]), datetime(2026, 11, 26, tzinfo=UTC))
    assert "<th>not checked</th>" in listed  # the run list counts them in a column of their own


def test_offline_and_rehearsal_runs_are_never_red_on_the_board_or_their_page() -> None:
    """Red is for live runs that cannot be signed: a clean offline run, and even an offline run
    with a failure, are said in plain words."""
    failing = with_rule(clean_live(), "rtdr", status=Status.FAILED)
    counts = {**failing.counts, Outcome.PASSED: 16, Outcome.FAILED: 1}
    failing = dataclasses.replace(failing, mode=Mode.OFFLINE, counts=counts)
    runs = [record_of(failing, "s/C/1-test-offline", None)]
    page = _board(runs, datetime(2026, 11, 26, 12, tzinfo=UTC))
    (row,) = board_rows(page)
    assert (
        "offline: 16 of 17 passed (1 failed), proves the file, not a sign-off"
        in (row.cells["apart"])
    )
    assert 'class="failed"' not in page
    assert 'class="validity invalid"' not in page
    listed = index.conversion_page(_conversion(runs), datetime(2026, 11, 26, tzinfo=UTC))
    assert '<td class="validity apart"' in listed
    assert 'class="validity invalid"' not in listed
    assert 'class="n failed"' not in listed
    live = record_of(with_rule(clean_live(), "rtdr", status=Status.FAILED), "s/C/2-test-live", None)
    listed = index.conversion_page(_conversion([live]), datetime(2026, 11, 26, tzinfo=UTC))
    assert '<td class="validity invalid"' in listed  # a live run that cannot be signed: red
