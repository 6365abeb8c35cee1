"""The checklist's troubleshooting, answered: the rules a failure names, evaluated on the spot,
on the same values the failed test used (live: the portal's, judged against the file as well).

Evaluated here rather than read from other tests' outcomes, since xdist workers do not share
them. Each result is a `Finding`; the words a PM reads are made from it at the edge (plugin).
"""

from __future__ import annotations

from collections.abc import Sequence

from conversion_qa.errors import ConversionQAError
from conversion_qa.rules.findings import Evaluator, Finding, State, Subject
from conversion_qa.rules.registry import SLICES

__all__ = ["EVALUATORS", "Finding", "State", "Subject", "answered"]

EVALUATORS: dict[str, Evaluator] = {s.id: s.evaluator for s in SLICES if s.evaluator is not None}


def answered(rule_ids: Sequence[str], subject: Subject) -> list[Finding]:
    """The results of the rules the checklist says to check when a rule fails."""
    findings: list[Finding] = []
    for rule_id in rule_ids:
        evaluator = EVALUATORS.get(rule_id)
        if evaluator is None:
            findings.append(
                Finding(rule=rule_id, state=State.UNKNOWN, summary="not evaluated in this run")
            )
            continue
        try:
            findings.extend(evaluator(subject))
        except ConversionQAError as error:  # the portal could not be read, a secret is unset
            findings.append(
                Finding(
                    rule=rule_id,
                    state=State.UNKNOWN,
                    summary=f"could not be evaluated: {error.what}",
                )
            )
    return findings
