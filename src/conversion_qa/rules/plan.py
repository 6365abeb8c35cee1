"""The checks of the conversion plan: tender-types, test-portal-lead-time, maintenance-window and
conversion-weekend (the biller file only: the plan has no live counterpart)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from conversion_qa.config.model import Conversion, MaintenanceWindow, TenderType
from conversion_qa.rules.verdict import Blocked, Problem

LEAD_TIME = timedelta(days=30)
THURSDAY = 3
WEEKEND_STEPS: dict[str, tuple[str, tuple[int, ...]]] = {
    # step: (what it is, weekdays it may fall on, Monday = 0)
    "ic_it_manual_test": ("IC IT changes and manual test", (4,)),
    "sns_changes": ("S&S changes", (4, 5)),
    "biller_testing": ("biller testing", (5, 6)),
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# tender-types ----------------------------------------------------------------------------------


def tender_types_declared(tenders: Sequence[TenderType], where: str) -> Problem | None:
    if tenders:
        return None
    return Problem(
        summary="No tender types are recorded.",
        expected="one S&S payment code per payment method the biller accepts (card, ach, ...)",
        found="an empty list",
        fix="add tender_types: - {method: card, code: CC} for each method",
        where=where,
    )


def tender_type(tenders: Sequence[TenderType], method: str, where: str) -> Problem | None:
    mine = [t for t in tenders if t.method == method]
    expected = f"one unique S&S payment code for {method}"
    if len(mine) > 1:
        return Problem(
            summary=f"The payment method {method} is listed {len(mine)} times.",
            expected=expected,
            found=", ".join(repr(t.code) for t in mine),
            fix="keep one entry per method",
            where=where,
        )
    code = mine[0].code
    if not code or not code.strip():
        return Problem(
            summary=f"The payment method {method} has no tender type code.",
            expected=expected,
            found="no code",
            fix="ask S&S for the payment code and write it as code:",
            where=where,
        )
    others = [t.method for t in tenders if t.code == code and t.method != method]
    if others:
        return Problem(
            summary=f"The tender type {code!r} of {method} is also the code of "
            f"{', '.join(others)}.",
            expected=expected,
            found=f"{code!r} shared with {', '.join(others)}",
            fix="S&S posts each payment by its code: ask S&S which code belongs to which method",
            where=where,
        )
    return None


# test-portal-lead-time -------------------------------------------------------------------------


def test_portal_lead_time(conversion: Conversion, where: str) -> Problem | Blocked | None:
    itg, start = conversion.itg, conversion.maintenance_window.start
    expected = f"an ITG submitted at least {LEAD_TIME.days} days before the window opens"
    if not itg.ticket:
        return Problem(
            summary="No ITG ticket for the test portal is recorded.",
            expected=expected,
            found="no conversion.itg.ticket",
            fix="submit the ITG for the test portal now; setup takes 30+ days",
            where=where,
        )
    if itg.submitted is None:
        return Problem(
            summary=f"The submission date of {itg.ticket} is not recorded.",
            expected=expected,
            found="no conversion.itg.submitted",
            where=where,
        )
    if start is None:
        return Blocked(
            "the lead time cannot be checked until the window is scheduled (see maintenance-window)"
        )
    lead = start.date() - itg.submitted
    if lead < LEAD_TIME:
        when = (
            f"{lead.days} days before the window opens on {start.date()}"
            if lead.days >= 0
            else f"{-lead.days} days after the window opened on {start.date()}"
        )
        return Problem(
            summary=f"{itg.ticket} was submitted {when}.",
            expected=expected,
            found=f"submitted {itg.submitted}, "
            + (f"{lead.days} days ahead" if lead.days >= 0 else f"{-lead.days} days late"),
            fix=f"the test portal may not be ready: move the window to {itg.submitted + LEAD_TIME} "
            "or later, or confirm with IC IT that the portal is up",
            where=where,
        )
    return None


# maintenance-window, conversion-weekend ----------------------------------------------------------


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


def weekend_step(conversion: Conversion, step: str, where: str) -> Problem | Blocked | None:
    title, days = WEEKEND_STEPS[step]
    day: date | None = getattr(conversion.weekend, step)
    allowed = " or ".join(DAY_NAMES[d] for d in days)
    start, end = conversion.maintenance_window.start, conversion.maintenance_window.end
    expected = f"{title} on {allowed} of the conversion weekend"
    if day is None:
        return Problem(
            summary=f"The {title} step is not planned.",
            expected=expected,
            found="no date",
            where=where,
        )
    if start is None:
        return Blocked(
            f"the {title} step cannot be placed until the window is scheduled "
            "(see maintenance-window)"
        )
    if end is not None and end <= start:
        return Blocked(
            f"the {title} step cannot be placed until the window ends after it starts "
            "(see maintenance-window)"
        )
    found = f"{day} ({DAY_NAMES[day.weekday()]})"
    if day.weekday() not in days:
        return Problem(
            summary=f"The {title} step falls on a {DAY_NAMES[day.weekday()]}.",
            expected=expected,
            found=found,
            where=where,
        )
    if day <= start.date():
        return Problem(
            summary=f"The {title} step is planned before the window opens on {start.date()}.",
            expected=expected,
            found=found,
            where=where,
        )
    last = end.date() if end is not None else start.date() + timedelta(days=4)
    if day > last:
        return Problem(
            summary=f"The {title} step is planned after the window closes on {last}.",
            expected=expected,
            found=found,
            where=where,
        )
    return None
