"""option-127: Option 127 (sync registered accounts) is enabled.

Its check: option_127 in rules/settings.py.
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "option-127"

SLICE = Slice(
    Rule(
        id=ID,
        title="Option 127 (sync registered accounts) is enabled",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.MULTI_USER,
        live_source=Source.PORTAL,
        checklist="Procedure: enable Option 127 to sync registered accounts",
        troubleshooting="Enable Option 127 in the portal's options so registered accounts sync "
        "through PayConnect.",
    ),
    reads=lambda _item: ([], ["127"]),
)
