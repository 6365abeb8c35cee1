"""public-dns: Every endpoint URL has a public DNS record with a public address, and the
nameservers asked agree.

Judged on the record types that were answered: a nameserver that refuses (or fails, or lets time
out) AAAA but answers A with public addresses passes, and `unanswered_note` gives the warning
that says which type which nameserver did not answer (and the other way round).

With the rehearsal switch (`accept_loopback`, `--accept-loopback-dns`) loopback answers pass,
and `rehearsal_note` gives the warning that says so; nothing else non-public is ever accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversion_qa.clients.dns import Answer, Status, Unanswered, record_type
from conversion_qa.errors import ConversionQAError
from conversion_qa.rules.dns import address_category
from conversion_qa.rules.findings import Finding, State, Subject
from conversion_qa.rules.hosts import dns_hosts, is_ip_literal, where_used
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import DNS, Slice
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "public-dns"

REHEARSAL = "loopback address accepted because this is a rehearsal"


def host_name(host: str, where: str) -> Problem | None:
    """A problem when the endpoint is written as an IP literal instead of a host name."""
    return ip_literal(host, where) if is_ip_literal(host) else None


def ip_literal(host: str, where: str) -> Problem:
    """An endpoint written as an IP address has no DNS record to check, and cannot move."""
    return Problem(
        summary=f"the endpoint is written as the IP address {host}, not a host name",
        expected="an https URL with a host name that has a public DNS record",
        found=f"the IP literal {host}",
        fix="Ask S&S for the endpoint's host name and write it in the URL: an IP address "
        "cannot be checked in public DNS, breaks the certificate's host name check, and "
        "breaks the day S&S moves the service.",
        where=where,
    )


def public_dns(
    host: str, answers: Sequence[Answer], *, accept_loopback: bool, source: str
) -> Problem | NotChecked | None:
    """The first problem with the answers for host, or None when the record holds; not checked
    when no nameserver said anything about the host (none reached, none answered in time, each
    refused or failed)."""
    if answers and all(a.status in _UNHEARD and not a.answered_types for a in answers):
        return _unheard(host, answers, source)
    failed = [a for a in answers if a.status is not Status.ANSWER]
    if failed:
        return _status_problem(host, failed, answers, source)
    # compared on the record types every nameserver answered: one that refused AAAA agrees
    # with one that answered it as long as their A records are the same
    compared = set.intersection(*(set(a.answered_types) for a in answers))
    if len({_of_types(a, compared) for a in answers}) > 1:
        return Problem(
            summary=f"the nameservers disagree about {host}",
            expected="the same addresses from every nameserver asked",
            found="; ".join(f"{a.nameserver} says {a.chain}" for a in answers),
            fix="If the record was changed recently, wait for the old record's TTL to expire "
            "and run again; otherwise ask S&S why public DNS answers differ for the host.",
            where=source,
        )
    for answer in answers:
        bad = [
            (address, category)
            for address in answer.addresses
            if (category := address_category(address))
            and not (accept_loopback and category == "loopback")
        ]
        if bad:
            address, category = bad[0]
            return Problem(
                summary=f"{host} resolves to {address}: {category}, not reachable from the "
                "internet",
                expected="only globally routable addresses in the public DNS record",
                found=f"{answer.chain}; not public: " + ", ".join(f"{a} ({c})" for a, c in bad),
                fix="Ask S&S to publish the endpoint's public address: a non-public address in "
                "public DNS usually means an internal record was published by mistake.",
                where=source,
            )
    return None


def _of_types(answer: Answer, types: set[str]) -> frozenset[str]:
    return frozenset(a for a in answer.addresses if record_type(a) in types)


def unanswered_note(host: str, answers: Sequence[Answer], source: str) -> Problem | None:
    """The warning for a host that passes on one record type while a nameserver refused, failed
    or let time out the other, or None. A warning, not a failure: the host has a public record;
    the refusal is for whoever runs that nameserver to look at."""
    gaps = [(a, u) for a in answers if a.status is Status.ANSWER for u in a.unanswered]
    if not gaps:
        return None
    said = "; ".join(f"{a.nameserver} {_unanswered_words(u)} {u.record_type}" for a, u in gaps)
    types = sorted({u.record_type for _, u in gaps})
    judged = ", ".join(sorted({record_type(x) for a in answers for x in a.addresses}))
    return Problem(
        summary=f"{host} has a public record, judged on its {judged} answer: {said}",
        expected="every nameserver answering A and AAAA (with records or without)",
        found="; ".join(_status_line(a) for a in answers),
        fix=f"Nothing to fix for the weekend if clients reach the host over {judged}; if they "
        f"use {' and '.join(types)}, ask whoever runs the nameserver why it does not answer "
        f"{' and '.join(types)} queries for {host}.",
        where=source,
    )


def _unanswered_words(unanswered: Unanswered) -> str:
    if unanswered.status is Status.TIMEOUT:
        return "gave no answer in time (timeout) for"
    detail = f" ({unanswered.detail})" if unanswered.detail else ""
    return f"refused or failed{detail} to answer"


def rehearsal_note(
    host: str, answers: Sequence[Answer], *, accept_loopback: bool
) -> Problem | None:
    """The warning for loopback answers accepted in a rehearsal, or None."""
    loopback = [
        address
        for answer in answers
        for address in answer.addresses
        if address_category(address) == "loopback"
    ]
    if not (accept_loopback and loopback):
        return None
    return Problem(
        summary=f"{host} resolves to {', '.join(dict.fromkeys(loopback))}: {REHEARSAL} "
        "(--accept-loopback-dns)",
        expected="in a sign-off run, globally routable addresses only",
        found=answers[0].chain,
        fix="This result cannot sign off a conversion; run without --accept-loopback-dns "
        "against the real systems.",
    )


def _unheard(host: str, answers: Sequence[Answer], source: str) -> NotChecked:
    asked = ", ".join(a.nameserver for a in answers)
    return NotChecked(
        reason="no nameserver answered",
        detail=f"no nameserver said anything about {host}: "
        + "; ".join(_status_line(a) for a in answers),
        fix=f"check that this machine is online and can reach {asked} (UDP and TCP port 53), "
        "or choose nameservers it can reach with --dns-nameserver, and run again",
        where=source,
    )


def _status_problem(
    host: str, failed: Sequence[Answer], answers: Sequence[Answer], source: str
) -> Problem:
    first = failed[0]
    found = "; ".join(_status_line(a) for a in answers)
    if first.status is Status.NXDOMAIN:
        summary = (
            f"{host} has no public DNS record: {first.nameserver} says the name does not "
            "exist (NXDOMAIN)"
        )
        fix = f"Ask S&S to create the public DNS record for {host}."
        if first.cnames:
            fix = (
                f"Ask S&S to fix the alias chain: {first.chain} ends at a name that does not exist."
            )
    elif first.status is Status.NO_ANSWER:
        summary = (
            f"{host} exists in DNS but has no address: {first.nameserver} answered with no "
            "A or AAAA record"
        )
        fix = f"Ask S&S to add an A (or AAAA) record with the public address of {host}."
    elif first.answered_types:  # it answered the other type, with no record
        answered = ", ".join(first.answered_types)
        missed = "; ".join(f"{_unanswered_words(u)} {u.record_type}" for u in first.unanswered)
        summary = (
            f"{host} has no address at {first.nameserver}: it answered with no {answered} "
            f"record and {missed}"
        )
        fix = (
            f"Ask S&S to add an A (or AAAA) record with the public address of {host}, and ask "
            f"whoever runs {first.nameserver} why it does not answer "
            f"{' and '.join(u.record_type for u in first.unanswered)} queries."
        )
    elif first.status is Status.TIMEOUT:
        summary = f"{first.nameserver} gave no answer about {host} in time (timeout)"
        fix = (
            f"Check that this machine can reach {first.nameserver} (UDP and TCP port 53), or "
            "choose reachable nameservers with --dns-nameserver, and run again."
        )
    else:  # another nameserver answered (when none did, public_dns says not checked)
        summary = (
            f"{first.nameserver} refused, failed or could not be reached about {host}, while "
            "another nameserver answered"
        )
        fix = (
            f"Check that this machine can reach {first.nameserver} (UDP and TCP port 53), or "
            "choose reachable nameservers with --dns-nameserver, and run again."
        )
    return Problem(
        summary=summary,
        expected=f"A or AAAA records for {host} from every nameserver asked",
        found=found,
        fix=fix,
        where=source,
    )


_UNHEARD = (Status.NO_NAMESERVER, Status.TIMEOUT)  # statuses of a nameserver that said nothing
_STATUS_WORDS = {
    Status.ANSWER: "answered",
    Status.NXDOMAIN: "NXDOMAIN (no such name)",
    Status.NO_ANSWER: "no A or AAAA record (empty answer)",
    Status.TIMEOUT: "timeout",
    Status.NO_NAMESERVER: "no answer",
}


def _status_line(answer: Answer) -> str:
    words = _STATUS_WORDS[answer.status]
    if answer.status is Status.ANSWER:
        gaps = "".join(
            f" ({u.record_type} not answered: {_STATUS_WORDS[u.status]}"
            + (f", {u.detail})" if u.detail else ")")
            for u in answer.unanswered
        )
        return f"{answer.nameserver}: {words}: {answer.chain}{gaps}"
    after = f" after {answer.chain}" if answer.cnames else ""
    detail = answer.detail
    if answer.unanswered and answer.answered_types:  # told from the types: recordings too
        detail = "; ".join(
            [f"{u.record_type}: {u.detail or _STATUS_WORDS[u.status]}" for u in answer.unanswered]
            + [f"no {t} record" for t in answer.answered_types]
        )
    detail = f" ({detail})" if detail else ""
    return f"{answer.nameserver}: {words}{detail}{after}"


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
        literal = ip_literal(host, where)
        return Finding(rule=ID, state=State.FAILED, summary=literal.summary, host=host)
    try:
        lookup = subject.look_up_dns(host)
    except ConversionQAError as error:
        return Finding(rule=ID, state=State.UNKNOWN, summary=f"not known: {error}", host=host)
    problem = public_dns(
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
