"""test-portal-lead-time: The ITG for the test portal went in 30+ days before the window.

Its check: test_portal_lead_time in rules/plan.py.
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "test-portal-lead-time"

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
