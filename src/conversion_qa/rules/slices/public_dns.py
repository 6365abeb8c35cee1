"""public-dns: Every endpoint URL has a public DNS record with a public address.

Its check: public_dns in rules/dns.py.
"""

from __future__ import annotations

from conversion_qa.errors import ConversionQAError
from conversion_qa.rules import dns as check
from conversion_qa.rules.findings import Finding, State, Subject
from conversion_qa.rules.hosts import dns_hosts, is_ip_literal, where_used
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import DNS, Slice
from conversion_qa.rules.verdict import NotChecked

ID = "public-dns"


def _evaluated(subject: Subject) -> list[Finding]:
    """public-dns for each host of the environment, judged as the rule judges it."""
    biller, environment = subject.biller, subject.environment
    findings = [_host_finding(subject, host) for host in dns_hosts(biller, environment)]
    if not findings:
        summary = f"no endpoint or portal host in {biller.id} / {environment.name}"
        return [Finding(rule=ID, state=State.UNKNOWN, summary=summary)]
    return findings


def _host_finding(subject: Subject, host: str) -> Finding:
    if is_ip_literal(host):
        where = where_used(subject.biller, subject.environment, host)
        literal = check.ip_literal(host, where)
        return Finding(rule=ID, state=State.FAILED, summary=literal.summary, host=host)
    try:
        lookup = subject.look_up_dns(host)
    except ConversionQAError as error:
        return Finding(rule=ID, state=State.UNKNOWN, summary=f"not known: {error}", host=host)
    problem = check.public_dns(
        host, lookup.value, accept_loopback=subject.accept_loopback, source=lookup.source
    )
    if problem is None:
        return Finding(rule=ID, state=State.PASSED, summary=lookup.value[0].chain, host=host)
    if isinstance(problem, NotChecked):
        summary = f"not checked: {problem.reason}"
        return Finding(rule=ID, state=State.UNKNOWN, summary=summary, host=host)
    return Finding(rule=ID, state=State.FAILED, summary=problem.summary, host=host)


SLICE = Slice(
    Rule(
        id=ID,
        title="Every endpoint URL has a public DNS record with a public address",
        impact="critical",
        kind=Kind.DNS,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="Procedure + QA: verify that S&S has created a public DNS record for all "
        "endpoint URLs",
        troubleshooting="Ask S&S to create (or correct) the public DNS record for the host, "
        "pointing at a public address.",
    ),
    items=dns_hosts,
    evaluator=_evaluated,
    replays=(DNS,),
)
