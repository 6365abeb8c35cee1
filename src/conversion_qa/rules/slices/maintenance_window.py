"""maintenance-window: The maintenance window begins at batch close on a Thursday."""

from __future__ import annotations

from conversion_qa.config.model import MaintenanceWindow
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.verdict import Problem

ID = "maintenance-window"

THURSDAY = 3
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def maintenance_window(window: MaintenanceWindow, where: str) -> Problem | None:
    start, close = window.start, window.batch_close
    expected = "a window that starts on a Thursday at the biller's batch close time"
    if start is None:
        return Problem(
            summary="The maintenance window is not scheduled.",
            expected=expected,
            found="no start",
            where=where,
        )
    if close is None:
        return Problem(
            summary="The biller's batch close time is not recorded.",
            expected=expected,
            found="no conversion.maintenance_window.batch_close",
            fix="ask the biller when its batch closes on Thursday",
            where=where,
        )
    problems = []
    if start.weekday() != THURSDAY:
        problems.append(f"starts on a {DAY_NAMES[start.weekday()]}")
    if start.time().replace(second=0, microsecond=0) != close or start.second:
        problems.append(f"starts at {start:%H:%M}, not at batch close {close:%H:%M}")
    if window.end is not None and window.end <= start:
        problems.append(f"ends ({window.end.isoformat()}) before it starts")
    if not problems:
        return None
    return Problem(
        summary=f"The maintenance window {' and '.join(problems)}.",
        expected=expected + f" ({close:%H:%M})",
        found=f"{start.isoformat()} ({DAY_NAMES[start.weekday()]}, local time as written)",
        where=where,
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="The maintenance window begins at batch close on a Thursday",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure: schedule the maintenance window to begin at batch close on Thursday",
        troubleshooting="Move the window's start to the biller's batch close time on a Thursday "
        "and confirm it with S&S and the biller.",
    ),
)
