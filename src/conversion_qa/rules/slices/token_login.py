"""token-login: Token login works: S&S receives Token1 and Token2.

Its check: login, tokens_issued and tokens_accepted in rules/network.py (run by
plugin/network_rules.py).
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import HTTP, Slice
from conversion_qa.rules.slices import settings_24_27

ID = "token-login"

SLICE = Slice(
    Rule(
        id=ID,
        title="Token login works: S&S receives Token1 and Token2",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.MULTI_USER,
        live_source=Source.NETWORK,
        checklist="QA: validate token-based login for multi-user billers; post-go-live: confirm "
        "Token1/Token2 are returned correctly to S&S",
        troubleshooting="If S&S does not receive Token1/Token2, verify Advanced Settings 24-27 "
        "and retest.",
        see_also=(settings_24_27.ID,),
    ),
    replays=(HTTP,),
)
