"""test-portal-lead-time: The ITG for the test portal went in 30+ days before the window."""

from __future__ import annotations

from datetime import timedelta

from conversion_qa.config.model import Conversion
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.slices import maintenance_window
from conversion_qa.rules.verdict import Blocked, Problem

ID = "test-portal-lead-time"

LEAD_TIME = timedelta(days=30)


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
            "the lead time cannot be checked until the window is scheduled "
            f"(see {maintenance_window.ID})"
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


SLICE = Slice(
    Rule(
        id=ID,
        title="The ITG for the test portal went in 30+ days before the window",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, test portal: setup takes 30+ days; submit ITG once endpoints are "
        "received",
        troubleshooting="Submit the ITG for the test portal now and record its ticket and date; if "
        "the window is under 30 days away, agree a new window with S&S and the biller.",
    ),
)
