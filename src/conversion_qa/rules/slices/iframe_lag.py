"""iframe-lag: Capricorn iFrames load within their limit.

Its check: iframe_shown (--no-browser: iframe_answered) in rules/network.py (run by
plugin/network_rules.py).
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import BROWSER, Slice

ID = "iframe-lag"

SLICE = Slice(
    Rule(
        id=ID,
        title="Capricorn iFrames load within their limit",
        impact="medium",
        kind=Kind.NETWORK,
        applies=Applies.IFRAMES,
        live_source=Source.NETWORK,
        checklist="Test portal + post-go-live: monitor for lag in Capricorn iFrames (expected in "
        "test, not in production)",
        troubleshooting="In test a slow iFrame is normal; in production raise it with IC IT.",
    ),
    items=lambda b, _e: [f.name for f in b.capricorn_iframes],
    replays=(BROWSER,),
)
