"""What a consulted rule answers when another rule's failure asks for it (troubleshooting): the
subject it judges and its findings, the words made from them at the edge (plugin)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from conversion_qa.clients.dns import Answer
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment
from conversion_qa.recordings import Sourced
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem, Verdict


class State(Enum):
    PASSED = "passed"
    FAILED = "FAILED"
    UNKNOWN = "unknown"  # not judged, not evaluated, or could not be evaluated


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One consulted rule's result (one per host for public-dns)."""

    rule: str
    state: State
    summary: str
    host: str | None = None
    found: str | None = None
    where: str | None = None


DnsLookUp = Callable[[str], Sourced[list[Answer]]]


@dataclass(frozen=True)
class Subject:
    """What the consulted rules judge: the failed test's biller, environment and settings."""

    biller: Biller
    environment: Environment
    configured: Configured  # the portal's settings in a live run, the file's offline
    look_up_dns: DnsLookUp  # live lookups in a live run, the recording offline
    accept_loopback: bool  # the rehearsal switch of public-dns
    agreed: Configured | None = None  # live: the file's settings, so drift is judged as well


Evaluator = Callable[[Subject], list[Finding]]


def from_verdicts(
    rule_id: str, verdicts: Sequence[Verdict], ok: str, subject: Subject | None = None
) -> list[Finding]:
    """A consulted rule's findings from its verdicts; `ok` is what a pass says."""
    if subject is not None and subject.agreed is not None:
        ok += f", as in {subject.agreed.source}"
    findings = []
    for verdict in verdicts:
        if isinstance(verdict, Problem):
            findings.append(
                Finding(
                    rule=rule_id,
                    state=State.FAILED,
                    summary=verdict.summary,
                    found=verdict.found,
                    where=verdict.where,
                )
            )
        elif isinstance(verdict, Blocked):
            findings.append(
                Finding(rule=rule_id, state=State.UNKNOWN, summary=f"not judged: {verdict.reason}")
            )
        elif isinstance(verdict, NotChecked):
            findings.append(
                Finding(rule=rule_id, state=State.UNKNOWN, summary=f"not checked: {verdict.reason}")
            )
    return findings or [Finding(rule=rule_id, state=State.PASSED, summary=ok)]
