"""tender-types: Every payment method has an S&S payment code (tender type).

Its checks: tender_types_declared and tender_type in rules/plan.py.
"""

from __future__ import annotations

from conversion_qa.config.model import Biller, Environment
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice

ID = "tender-types"
NO_TENDER_TYPES = "none-declared"  # the item of a biller that declares none


def _tender_methods(biller: Biller, _: Environment) -> list[str]:
    return list(dict.fromkeys(t.method for t in biller.tender_types)) or [NO_TENDER_TYPES]


SLICE = Slice(
    Rule(
        id=ID,
        title="Every payment method has an S&S payment code (tender type)",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: request payment codes (tender types)",
        troubleshooting="Ask S&S for the tender type of each payment method the biller accepts; "
        "each code must be used by one method only.",
    ),
    items=_tender_methods,
)
