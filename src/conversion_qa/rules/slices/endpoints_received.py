"""endpoints-received: S&S provided the CIS Service and PayConnect Service endpoints.

Its check: endpoint_received in rules/endpoints.py.
"""

from __future__ import annotations

from conversion_qa.config.model import ENDPOINT_NAMES
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "endpoints-received"

SLICE = Slice(
    Rule(
        id=ID,
        title="S&S provided the CIS Service and PayConnect Service endpoints",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: request CIS Service and PayConnect Service endpoints",
        troubleshooting="Ask the S&S technical contact for the missing endpoint and write it under "
        "environments.<env>.endpoints as an https:// URL.",
    ),
    items=lambda _b, _e: list(ENDPOINT_NAMES),
)
