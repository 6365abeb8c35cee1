"""The conversion board's dates: the phase a conversion is in, the days to its window; and old
(version 1) summaries shown as recorded, never valid."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.report import index, validity
from selftests.reporting import board_rows

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


def _run(folder: str, **fields: Any) -> index.ArchivedRun:
    summary: dict[str, Any] = {
        "schema_version": 1,
        "biller": {"id": "semco", "name": "SEMCO"},
        "conversion": "SEMCO-2026-12",
        "environment": "test",
        "mode": "live",
        "run": {"started": "2026-11-20T10:00:00+00:00"},
        "counts": dict.fromkeys(("failed", "error", "warning", "waived", "skipped"), 0)
        | {"passed": 30},
        "rules": [{"id": "rtdr", "status": "passed", "tests": 2}],
    }
    summary.update(fields)
    return index.ArchivedRun(Path(folder), summary)


def test_a_version_1_live_run_is_shown_as_recorded_and_never_valid() -> None:
    old = _run("semco/SEMCO-2026-12/20261120T100000Z-test-live")
    page = index.render([old], now=datetime(2026, 11, 26, tzinfo=UTC))
    (row,) = board_rows(page)
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert validity.VERSION_1_REASON in row.cells["live-test"]
    assert '<td>live <span class="none">(summary version 1)</span></td>' in page  # as recorded
    assert row.cells["window"] == "not recorded"  # version 1 has no plan: sorted last
    assert row.attrs["data-phase"] == "kickoff"


def test_the_board_keeps_offline_and_rehearsal_runs_apart_from_the_live_state() -> None:
    plan = {
        "itg_ticket": "ITG-1",
        "itg_submitted": "2026-10-19",
        "window_start": START.isoformat(),
        "window_end": END.isoformat(),
    }
    runs = [
        _run("s/C/1-test-offline", schema_version=2, mode="offline", plan=plan),
        _run(
            "s/C/2-test-rehearsal",
            schema_version=2,
            mode="rehearsal",
            rehearsal=["--sandbox"],
            plan=plan,
            run={"started": "2026-11-21T10:00:00+00:00"},
        ),
    ]
    (row,) = board_rows(index.render(runs, now=datetime(2026, 11, 26, 12, tzinfo=UTC)))
    assert row.cells["live-test"] == "no live run yet"
    assert "offline: 2026-11-20 10:00 UTC" in row.cells["apart"]
    assert "rehearsal: 2026-11-21 10:00 UTC" in row.cells["apart"]
    assert row.attrs["data-days"] == "7"
    assert row.attrs["data-phase"] == "test portal"
    assert "No live run yet" in row.cells["history"]  # the live chart has none of them


def test_the_board_lists_failed_and_not_checked_rules_apart_and_rates_judged_tests_only() -> None:
    down = "no answer from the CIS Service (enquesta-test.semco.example.com)"
    rules = [
        {"id": "setting-131", "status": "failed", "tests": 1, "expected": 1, "applies": True},
        {
            "id": "rtdr",
            "status": "not-checked",
            "why": down,
            "tests": 2,
            "expected": 2,
            "applies": True,
            "anchor": "rule-rtdr--100234",
        },
    ]
    counts = dict.fromkeys(("failed", "error", "warning", "waived", "skipped"), 0)
    run = _run(
        "semco/SEMCO-2026-12/20261120T100000Z-test-live",
        schema_version=3,
        rules=rules,
        tests=[],
        waivers=[],
        without_browser=[],
        counts=counts | {"passed": 3, "failed": 1, "not-checked": 20},
    )
    assert run.pass_rate == 0.75  # 3 passed of the 4 judged: the 20 not checked say nothing
    (row,) = board_rows(index.render([run], now=datetime(2026, 11, 26, tzinfo=UTC)))
    assert row.outstanding == [
        ("live-test", "setting-131 (failed)"),
        ("live-test", f"rtdr (not checked: {down})"),
    ]
    page = index.render([run], now=datetime(2026, 11, 26, tzinfo=UTC))
    assert '<ul class="outstanding failed">' in page
    assert '<ul class="outstanding not-checked">' in page
    assert "<th>not checked</th>" in page  # the run list counts them in a column of their own
