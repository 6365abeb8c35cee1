"""maintenance-window: The maintenance window begins at batch close on a Thursday.

Its check: maintenance_window in rules/plan.py.
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "maintenance-window"

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
