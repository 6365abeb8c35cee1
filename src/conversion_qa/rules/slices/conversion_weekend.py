"""conversion-weekend: Each step of the conversion weekend falls on its days, inside the window."""

from __future__ import annotations

from datetime import date, timedelta

from conversion_qa.config.model import Conversion
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.slices import maintenance_window
from conversion_qa.rules.slices.maintenance_window import DAY_NAMES
from conversion_qa.rules.verdict import Blocked, Problem

ID = "conversion-weekend"

WEEKEND_STEPS: dict[str, tuple[str, tuple[int, ...]]] = {
    # step: (what it is, weekdays it may fall on, Monday = 0)
    "ic_it_manual_test": ("IC IT changes and manual test", (4,)),
    "sns_changes": ("S&S changes", (4, 5)),
    "biller_testing": ("biller testing", (5, 6)),
}


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
            f"(see {maintenance_window.ID})"
        )
    if end is not None and end <= start:
        return Blocked(
            f"the {title} step cannot be placed until the window ends after it starts "
            f"(see {maintenance_window.ID})"
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


SLICE = Slice(
    Rule(
        id=ID,
        title="Each step of the conversion weekend falls on its days, inside the window",
        impact="medium",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure: IC IT changes and manual test Friday; S&S changes Friday or "
        "Saturday; biller testing Saturday or Sunday",
        troubleshooting="Re-plan the step on its days of the weekend that follows the window's "
        "Thursday start.",
    ),
    items=lambda _b, _e: list(WEEKEND_STEPS),
)
