"""operator-number: Advanced Setting 12 holds the operator number.

Its check: operator_number in rules/settings.py.
"""

from __future__ import annotations

from conversion_qa.rules import settings as check
from conversion_qa.rules.findings import Finding, Subject, from_verdicts
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_setting

ID = "operator-number"


def _evaluated(subject: Subject) -> list[Finding]:
    return from_verdicts(
        ID,
        [check.operator_number(subject.configured, subject.agreed)],
        "Advanced Setting 12 is an operator number",
        subject,
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
)
