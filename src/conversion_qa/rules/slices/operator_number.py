"""operator-number: Advanced Setting 12 holds the operator number."""

from __future__ import annotations

import re

from conversion_qa.config.configured import Configured
from conversion_qa.rules.drift import drift
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.findings import Finding, Subject, from_verdicts
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_setting
from conversion_qa.rules.values import is_blank, shown
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "operator-number"

# Assumption: S&S operator numbers are digits only; the file keeps them as text for leading zeros.
OPERATOR_NUMBER = re.compile(r"[0-9]{1,10}")


def operator_number(
    configured: Configured, agreed: Configured | None = None
) -> Problem | NotChecked | None:
    value = configured.setting("12")
    expected = 'the S&S operator number, digits only, in quotes (e.g. "0417")'
    if is_blank(value):
        return Problem(
            summary="Advanced Setting 12 (operator number) is "
            f"{'missing' if value is None else 'empty'}.",
            expected=expected,
            found=shown(value),
            where=configured.where_setting("12"),
        )
    if isinstance(value, str) and not OPERATOR_NUMBER.fullmatch(value):
        return Problem(
            summary="Advanced Setting 12 is not an operator number.",
            expected=expected,
            found=shown(value),
            where=configured.where_setting("12"),
        )
    return drift(configured, agreed, "12")


def _evaluated(subject: Subject) -> list[Finding]:
    return from_verdicts(
        ID,
        [operator_number(subject.configured, subject.agreed)],
        "Advanced Setting 12 is an operator number",
        subject,
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail operator-number first."""
    # imported when the faults are read: the slices of rtdr and data-pump import this one
    from conversion_qa.rules.slices import data_pump, rtdr

    return (
        Fault(
            "operator-drift",
            "the portal's Advanced Setting 12 is another operator number than the file's (0418 "
            "for 0417), which S&S does not know",
            (ID, rtdr.ID, data_pump.ID),
            "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's '0417'",
            replayable=False,
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Advanced Setting 12 holds the operator number",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="QA: if RTDR or data pump errors occur, check the operator number in Advanced "
        "Setting 12",
        troubleshooting="Ask S&S for the operator number and write it in Advanced Setting 12, in "
        "quotes so leading zeros survive.",
    ),
    reads=reads_setting("12"),
    evaluator=_evaluated,
    faults=_faults,
)
