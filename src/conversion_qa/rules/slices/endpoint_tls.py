"""endpoint-tls: Every https endpoint presents a certificate that holds.

Its check: endpoint_tls in rules/tls.py.
"""

from __future__ import annotations

from conversion_qa.rules.hosts import tls_endpoints
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import TLS, Slice

ID = "endpoint-tls"

SLICE = Slice(
    Rule(
        id=ID,
        title="Every https endpoint presents a certificate that holds",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="Beyond the checklist: a certificate that fails breaks a weekend just as surely "
        "as a missing DNS record",
        troubleshooting="Ask S&S to install a certificate for the host name, issued by a public CA "
        "with its full chain, and to renew it before it expires.",
    ),
    items=tls_endpoints,
    replays=(TLS,),
)
