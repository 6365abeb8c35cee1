"""rtdr: RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts.

Its check: rtdr_request, then rtdr_answered, in rules/network.py (run by plugin/network_rules.py).
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import HTTP, Slice
from conversion_qa.rules.slices import endpoint_settings, operator_number, public_dns

ID = "rtdr"

SLICE = Slice(
    Rule(
        id=ID,
        title="RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="QA: confirm RTDR is functioning post-upgrade; run a manual test",
        troubleshooting="Check the endpoint URLs in the Advanced Settings, the operator number in "
        "Advanced Setting 12 and the public DNS record of the endpoint.",
        see_also=(endpoint_settings.ID, operator_number.ID, public_dns.ID),
    ),
    items=lambda _b, e: list(e.test_accounts),
    replays=(HTTP,),
)
