"""custom-code: No custom code is missing from the test portal.

Its check: custom_code_shown (--no-browser: custom_code_in_html) in rules/network.py (run by
plugin/network_rules.py).
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import BROWSER, Slice

ID = "custom-code"

SLICE = Slice(
    Rule(
        id=ID,
        title="No custom code is missing from the test portal",
        impact="high",
        kind=Kind.NETWORK,
        applies=Applies.CUSTOM_CODE,
        live_source=Source.NETWORK,
        checklist="QA: ensure no custom code is missing from the test portal",
        troubleshooting="Ask IC IT to deploy the biller's custom code to this portal.",
    ),
    items=lambda b, _e: [c.id for c in b.custom_code],
    replays=(BROWSER,),
)
