"""conversion-weekend: Each step of the conversion weekend falls on its days, inside the window.

Its check: weekend_step in rules/plan.py.
"""

from __future__ import annotations

from conversion_qa.rules.plan import WEEKEND_STEPS
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "conversion-weekend"

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
