"""The checklist's troubleshooting, answered: the rules a failure names, evaluated on the spot,
on the same values the failed test used (live: the portal's, judged against the file as well).

Evaluated here rather than read from other tests' outcomes, since xdist workers do not share
them. Each result is a `Finding`; the words a PM reads are made from it at the edge (plugin).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from conversion_qa.clients.dns import Answer
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment
from conversion_qa.errors import ConversionQAError
from conversion_qa.recordings import Sourced
from conversion_qa.rules import configuration as check
from conversion_qa.rules import dns as dns_rule
from conversion_qa.rules.hosts import dns_hosts, is_ip_literal, where_used
from conversion_qa.rules.items import items_of
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


def _from_verdicts(
    rule_id: str, verdicts: Sequence[Verdict], ok: str, subject: Subject | None = None
) -> list[Finding]:
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


def _endpoint_settings(subject: Subject) -> list[Finding]:
    biller, environment = subject.biller, subject.environment
    other = biller.environment("production" if environment.name == "test" else "test")
    items = items_of("endpoint-settings", biller, environment)
    verdicts = [
        check.endpoint_setting(subject.configured, environment, other, item, subject.agreed)
        for item in items
    ]
    return _from_verdicts(
        "endpoint-settings",
        verdicts,
        "every URL setting is an endpoint S&S provided, each used",
        subject,
    )


def _operator_number(subject: Subject) -> list[Finding]:
    return _from_verdicts(
        "operator-number",
        [check.operator_number(subject.configured, subject.agreed)],
        "Advanced Setting 12 is an operator number",
        subject,
    )


def _settings_24_27(subject: Subject) -> list[Finding]:
    verdicts = [
        check.setting_present(subject.configured, n, subject.agreed)
        for n in ("24", "25", "26", "27")
    ]
    return _from_verdicts(
        "settings-24-27", verdicts, "Advanced Settings 24-27 are all set", subject
    )


def _public_dns(subject: Subject) -> list[Finding]:
    """public-dns for each host of the environment, judged as the rule judges it."""
    biller, environment = subject.biller, subject.environment
    findings = []
    for host in dns_hosts(biller, environment):
        if is_ip_literal(host):
            literal = dns_rule.ip_literal(host, where_used(biller, environment, host))
            findings.append(
                Finding(rule="public-dns", state=State.FAILED, summary=literal.summary, host=host)
            )
            continue
        try:
            lookup = subject.look_up_dns(host)
        except ConversionQAError as error:
            findings.append(
                Finding(
                    rule="public-dns", state=State.UNKNOWN, summary=f"not known: {error}", host=host
                )
            )
            continue
        problem = dns_rule.public_dns(
            host, lookup.value, accept_loopback=subject.accept_loopback, source=lookup.source
        )
        if problem is None:
            findings.append(
                Finding(
                    rule="public-dns", state=State.PASSED, summary=lookup.value[0].chain, host=host
                )
            )
        elif isinstance(problem, NotChecked):
            summary = f"not checked: {problem.reason}"
            findings.append(
                Finding(rule="public-dns", state=State.UNKNOWN, summary=summary, host=host)
            )
        else:
            findings.append(
                Finding(rule="public-dns", state=State.FAILED, summary=problem.summary, host=host)
            )
    if not findings:
        summary = f"no endpoint or portal host in {biller.id} / {environment.name}"
        return [Finding(rule="public-dns", state=State.UNKNOWN, summary=summary)]
    return findings


EVALUATORS: dict[str, Evaluator] = {
    "endpoint-settings": _endpoint_settings,
    "operator-number": _operator_number,
    "settings-24-27": _settings_24_27,
    "public-dns": _public_dns,
}


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
