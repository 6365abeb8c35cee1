"""production-matches-test: Production's portal is configured as the test portal that was tested.

Its check: production_matches_test in rules/production.py.
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "production-matches-test"

SLICE = Slice(
    Rule(
        id=ID,
        title="Production's portal is configured as the test portal that was tested",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="Post-Go Live Validation: production's Advanced Settings and Options as on the "
        "test portal the biller signed off (endpoints each environment's own)",
        troubleshooting="Set production as the test portal was when the biller signed it off; "
        "if a change was meant, re-test it on the test portal first, then update the biller file.",
        environment="production",
    ),
)
