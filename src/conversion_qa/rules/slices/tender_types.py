"""tender-types: Every payment method has an S&S payment code (tender type)."""

from __future__ import annotations

from collections.abc import Sequence

from conversion_qa.config.model import (
    Biller,
    Environment,
    TenderType,
)
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.verdict import Problem

ID = "tender-types"
NO_TENDER_TYPES = "none-declared"  # the item of a biller that declares none


def tender_types_declared(tenders: Sequence[TenderType], where: str) -> Problem | None:
    if tenders:
        return None
    return Problem(
        summary="No tender types are recorded.",
        expected="one S&S payment code per payment method the biller accepts (card, ach, ...)",
        found="an empty list",
        fix="add tender_types: - {method: card, code: CC} for each method",
        where=where,
    )


def tender_type(tenders: Sequence[TenderType], method: str, where: str) -> Problem | None:
    mine = [t for t in tenders if t.method == method]
    expected = f"one unique S&S payment code for {method}"
    if len(mine) > 1:
        return Problem(
            summary=f"The payment method {method} is listed {len(mine)} times.",
            expected=expected,
            found=", ".join(repr(t.code) for t in mine),
            fix="keep one entry per method",
            where=where,
        )
    code = mine[0].code
    if not code or not code.strip():
        return Problem(
            summary=f"The payment method {method} has no tender type code.",
            expected=expected,
            found="no code",
            fix="ask S&S for the payment code and write it as code:",
            where=where,
        )
    others = [t.method for t in tenders if t.code == code and t.method != method]
    if others:
        return Problem(
            summary=f"The tender type {code!r} of {method} is also the code of "
            f"{', '.join(others)}.",
            expected=expected,
            found=f"{code!r} shared with {', '.join(others)}",
            fix="S&S posts each payment by its code: ask S&S which code belongs to which method",
            where=where,
        )
    return None


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
