"""public-dns, called directly with nameservers' answers built by hand."""

from __future__ import annotations

import pytest

from conversion_qa.clients.dns import Answer, Status, Unanswered
from conversion_qa.rules.dns import address_category
from conversion_qa.rules.slices import public_dns as check
from selftests.unit.builders import NotChecked, Problem

HOST = "enquesta-test.demo.example.com"
SOURCE = "recorded in fixtures/demo/dns.yaml on 2026-11-20"
PUBLIC, PUBLIC_V6 = "93.184.215.14", "2606:2800:220:1:248:1893:25c8:1946"
NS1, NS2 = "1.1.1.1:53", "8.8.8.8:53"


def answer(
    *addresses: str,
    nameserver: str = NS1,
    status: Status = Status.ANSWER,
    cnames: tuple[str, ...] = (),
    detail: str = "",
    unanswered: tuple[Unanswered, ...] = (),
) -> Answer:
    """What one nameserver said about HOST."""
    return Answer(HOST, nameserver, status, cnames, addresses, detail, unanswered)


REFUSED_AAAA = Unanswered("AAAA", Status.NO_NAMESERVER, "REFUSED")
REFUSED_A = Unanswered("A", Status.NO_NAMESERVER, "REFUSED")


def both(*addresses: str) -> list[Answer]:
    """The same answer from both nameservers."""
    return [answer(*addresses, nameserver=NS1), answer(*addresses, nameserver=NS2)]


def public_dns(
    answers: list[Answer], *, accept_loopback: bool = False
) -> Problem | NotChecked | None:
    return check.public_dns(HOST, answers, accept_loopback=accept_loopback, source=SOURCE)


# address_category -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.0.1", "shared address space (100.64.0.0/10, carrier-grade NAT)"),
        ("100.127.255.254", "shared address space (100.64.0.0/10, carrier-grade NAT)"),
        ("192.0.2.10", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("198.51.100.7", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("203.0.113.9", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("2001:db8::1", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("3fff::1", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("10.1.2.3", "private (RFC 1918)"),
        ("172.16.0.1", "private (RFC 1918)"),
        ("172.31.255.255", "private (RFC 1918)"),
        ("192.168.1.1", "private (RFC 1918)"),
        ("::ffff:10.0.0.1", "private (RFC 1918)"),
        ("fd12:3456::1", "private (unique local, RFC 4193)"),
        ("240.0.0.1", "reserved"),
        ("198.18.0.1", "special-purpose, not globally routable"),
    ],
)
def test_an_address_that_is_not_globally_routable_is_named_by_its_kind(
    address: str, category: str
) -> None:
    assert address_category(address) == category


@pytest.mark.parametrize("address", [PUBLIC, PUBLIC_V6, "172.32.0.1", "100.128.0.1", "8.8.8.8"])
def test_a_globally_routable_address_has_no_category(address: str) -> None:
    assert address_category(address) is None


# host_name / ip_literal -------------------------------------------------------------------------


def test_a_host_name_is_not_an_ip_literal() -> None:
    assert check.host_name(HOST, "billers/demo.yaml:24") is None


@pytest.mark.parametrize("host", [PUBLIC, "10.0.0.5", "::1", PUBLIC_V6])
def test_an_endpoint_written_as_an_ip_address_is_a_problem_asking_for_the_name(host: str) -> None:
    problem = check.host_name(host, "billers/demo.yaml:24 (endpoints.cis_service)")
    assert isinstance(problem, Problem)
    assert problem.summary == f"the endpoint is written as the IP address {host}, not a host name"
    assert "host name" in problem.expected
    assert "public DNS record" in problem.expected
    assert problem.found == f"the IP literal {host}"
    assert "Ask S&S for the endpoint's host name" in (problem.fix or "")
    assert problem.where == "billers/demo.yaml:24 (endpoints.cis_service)"


# public_dns -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        both(PUBLIC),
        both(PUBLIC, PUBLIC_V6),
        [answer(PUBLIC)],
        [answer(PUBLIC, cnames=("edge.cdn.example.net",))] * 2,
        [answer(PUBLIC, PUBLIC_V6, nameserver=NS1), answer(PUBLIC_V6, PUBLIC, nameserver=NS2)],
    ],
    ids=["two-agree", "a-and-aaaa", "one-nameserver", "behind-a-cname", "same-in-another-order"],
)
def test_public_addresses_that_every_nameserver_agrees_on_pass(answers: list[Answer]) -> None:
    assert public_dns(answers) is None


def test_nxdomain_is_a_problem_naming_the_nameserver_and_asking_for_the_record() -> None:
    problem = public_dns(
        [answer(status=Status.NXDOMAIN), answer(nameserver=NS2, status=Status.NXDOMAIN)]
    )
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"{HOST} has no public DNS record: {NS1} says the name does not exist (NXDOMAIN)"
    )
    assert problem.expected == f"A or AAAA records for {HOST} from every nameserver asked"
    assert problem.found == f"{NS1}: NXDOMAIN (no such name); {NS2}: NXDOMAIN (no such name)"
    assert problem.fix == f"Ask S&S to create the public DNS record for {HOST}."
    assert problem.where == SOURCE


def test_nxdomain_behind_an_alias_asks_to_fix_the_alias_chain() -> None:
    dangling = answer(status=Status.NXDOMAIN, cnames=("gone.cdn.example.net",))
    problem = public_dns([dangling])
    assert isinstance(problem, Problem)
    assert "NXDOMAIN" in problem.summary
    assert "fix the alias chain" in (problem.fix or "")
    assert f"{HOST} -> gone.cdn.example.net" in (problem.fix or "")
    assert problem.found == f"{NS1}: NXDOMAIN (no such name) after {HOST} -> gone.cdn.example.net"


@pytest.mark.parametrize(
    ("status", "detail", "summary", "found", "fix"),
    [
        (
            Status.NO_ANSWER,
            "",
            f"{HOST} exists in DNS but has no address: {NS1} answered with no A or AAAA record",
            f"{NS1}: no A or AAAA record (empty answer)",
            "add an A (or AAAA) record",
        ),
    ],
    ids=["no-answer"],
)
def test_each_way_a_nameserver_fails_has_its_own_message(
    status: Status, detail: str, summary: str, found: str, fix: str
) -> None:
    problem = public_dns([answer(status=status, detail=detail)])
    assert isinstance(problem, Problem)
    assert problem.summary == summary
    assert problem.found == found
    assert fix in (problem.fix or "")
    assert problem.where == SOURCE


@pytest.mark.parametrize(
    ("status", "detail", "found"),
    [
        (Status.TIMEOUT, "no answer within 5 s", f"{NS1}: timeout (no answer within 5 s)"),
        (Status.NO_NAMESERVER, "REFUSED", f"{NS1}: no answer (REFUSED)"),
        (
            Status.NO_NAMESERVER,
            "[Errno 101] Network is unreachable",
            f"{NS1}: no answer ([Errno 101] Network is unreachable)",
        ),
    ],
    ids=["timeout", "refused", "unreachable"],
)
def test_a_host_no_nameserver_said_anything_about_is_not_checked(
    status: Status, detail: str, found: str
) -> None:
    unchecked = public_dns(
        [answer(status=status, detail=detail), answer(nameserver=NS2, status=status)]
    )
    assert isinstance(unchecked, NotChecked)
    assert unchecked.reason == "no nameserver answered"
    assert unchecked.detail.startswith(f"no nameserver said anything about {HOST}: {found}; ")
    assert "--dns-nameserver" in unchecked.fix
    assert "UDP and TCP port 53" in unchecked.fix
    assert unchecked.where == SOURCE


def test_one_failing_nameserver_fails_the_host_and_the_answer_of_the_other_is_shown() -> None:
    answers = [answer(PUBLIC, nameserver=NS1), answer(nameserver=NS2, status=Status.TIMEOUT)]
    problem = public_dns(answers)
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(f"{NS2} gave no answer")
    assert problem.found == f"{NS1}: answered: {HOST} -> {PUBLIC}; {NS2}: timeout"


def test_nameservers_that_disagree_are_a_problem_showing_each_answer() -> None:
    answers = [answer(PUBLIC, nameserver=NS1), answer("93.184.215.15", nameserver=NS2)]
    problem = public_dns(answers)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the nameservers disagree about {HOST}"
    assert problem.found == (f"{NS1} says {HOST} -> {PUBLIC}; {NS2} says {HOST} -> 93.184.215.15")
    assert "TTL" in (problem.fix or "")
    assert problem.where == SOURCE


def test_one_nameserver_answering_more_addresses_than_the_other_disagrees() -> None:
    problem = public_dns(
        [answer(PUBLIC, nameserver=NS1), answer(PUBLIC, PUBLIC_V6, nameserver=NS2)]
    )
    assert isinstance(problem, Problem)
    assert "disagree" in problem.summary


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("10.20.30.40", "private (RFC 1918)"),
        ("127.0.0.1", "loopback"),
        ("192.0.2.10", "documentation range (RFC 5737 / RFC 3849), never routed"),
        ("100.64.1.1", "shared address space (100.64.0.0/10, carrier-grade NAT)"),
    ],
    ids=["private", "loopback", "documentation", "shared"],
)
def test_a_non_public_address_is_a_problem_naming_its_kind(address: str, category: str) -> None:
    problem = public_dns(both(address))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"{HOST} resolves to {address}: {category}, not reachable from the internet"
    )
    assert problem.expected == "only globally routable addresses in the public DNS record"
    assert problem.found == f"{HOST} -> {address}; not public: {address} ({category})"
    assert "internal record was published" in (problem.fix or "")
    assert problem.where == SOURCE


def test_a_non_public_address_beside_a_public_one_is_a_problem_naming_only_it() -> None:
    problem = public_dns(both(PUBLIC, "10.0.0.5"))
    assert isinstance(problem, Problem)
    assert "resolves to 10.0.0.5" in problem.summary
    assert problem.found.endswith("not public: 10.0.0.5 (private (RFC 1918))")


def test_loopback_passes_only_when_the_rehearsal_accepts_it() -> None:
    assert isinstance(public_dns(both("127.0.0.1")), Problem)
    assert public_dns(both("127.0.0.1"), accept_loopback=True) is None
    assert public_dns(both("::1"), accept_loopback=True) is None


@pytest.mark.parametrize("address", ["10.0.0.5", "169.254.0.1", "0.0.0.0"])
def test_the_rehearsal_accepts_loopback_and_nothing_else(address: str) -> None:
    problem = public_dns(both("127.0.0.1", address), accept_loopback=True)
    assert isinstance(problem, Problem)
    assert f"resolves to {address}" in problem.summary
    assert "(loopback)" not in problem.found


# a record type not answered ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        [answer(PUBLIC, unanswered=(REFUSED_AAAA,))],
        [answer(PUBLIC_V6, unanswered=(REFUSED_A,))],
        [answer(PUBLIC, unanswered=(Unanswered("AAAA", Status.TIMEOUT, "no answer within 5 s"),))],
        [
            answer(PUBLIC, PUBLIC_V6, nameserver=NS1),
            answer(PUBLIC, nameserver=NS2, unanswered=(REFUSED_AAAA,)),
        ],
    ],
    ids=["aaaa-refused", "a-refused", "aaaa-timed-out", "compared-on-a-only"],
)
def test_a_public_answer_of_one_type_passes_beside_the_other_type_refused(
    answers: list[Answer],
) -> None:
    assert public_dns(answers) is None


def test_the_note_names_the_type_refused_and_the_nameserver_that_refused_it() -> None:
    answers = [
        answer(PUBLIC, nameserver=NS1),
        answer(PUBLIC, nameserver=NS2, unanswered=(REFUSED_AAAA,)),
    ]
    note = check.unanswered_note(HOST, answers, SOURCE)
    assert isinstance(note, Problem)
    assert note.summary == (
        f"{HOST} has a public record, judged on its A answer: {NS2} refused or failed "
        "(REFUSED) to answer AAAA"
    )
    assert note.found == (
        f"{NS1}: answered: {HOST} -> {PUBLIC}; {NS2}: answered: {HOST} -> {PUBLIC} "
        "(AAAA not answered: no answer, REFUSED)"
    )
    assert "why it does not answer AAAA queries" in (note.fix or "")
    assert note.where == SOURCE


def test_no_note_when_every_type_was_answered() -> None:
    assert check.unanswered_note(HOST, both(PUBLIC), SOURCE) is None


def test_nameservers_compared_on_their_common_types_still_disagree_on_those() -> None:
    answers = [
        answer(PUBLIC, PUBLIC_V6, nameserver=NS1),
        answer("93.184.215.15", nameserver=NS2, unanswered=(REFUSED_AAAA,)),
    ]
    problem = public_dns(answers)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the nameservers disagree about {HOST}"


def test_a_non_public_answer_of_one_type_fails_beside_the_other_type_refused() -> None:
    problem = public_dns([answer("10.0.0.5", unanswered=(REFUSED_AAAA,))])
    assert isinstance(problem, Problem)
    assert "resolves to 10.0.0.5: private (RFC 1918)" in problem.summary


def test_no_address_of_the_type_answered_and_the_other_refused_says_both() -> None:
    partial = answer(
        status=Status.NO_NAMESERVER, detail="AAAA: REFUSED; no A record", unanswered=(REFUSED_AAAA,)
    )
    problem = public_dns([partial])
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"{HOST} has no address at {NS1}: it answered with no A record and refused or failed "
        "(REFUSED) to answer AAAA"
    )
    assert problem.found == f"{NS1}: no answer (AAAA: REFUSED; no A record)"
    assert "no nameserver answered" not in problem.summary


def test_one_nameserver_refusing_everything_while_another_answers_is_not_called_none() -> None:
    refused = answer(nameserver=NS2, status=Status.NO_NAMESERVER, detail="REFUSED")
    problem = public_dns([answer(PUBLIC, nameserver=NS1), refused])
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"{NS2} refused, failed or could not be reached about {HOST}, while another nameserver "
        "answered"
    )
    assert "UDP and TCP port 53" in (problem.fix or "")


# rehearsal_note ---------------------------------------------------------------------------------


def test_a_rehearsal_accepting_loopback_warns_once_per_address() -> None:
    note = check.rehearsal_note(HOST, both("127.0.0.1"), accept_loopback=True)
    assert isinstance(note, Problem)
    assert note.summary == (
        f"{HOST} resolves to 127.0.0.1: loopback address accepted because this is a rehearsal "
        "(--accept-loopback-dns)"
    )
    assert "sign-off run" in note.expected
    assert "globally routable" in note.expected
    assert note.found == f"{HOST} -> 127.0.0.1"
    assert "cannot sign off" in (note.fix or "")


def test_the_rehearsal_note_lists_every_loopback_address() -> None:
    note = check.rehearsal_note(HOST, both("127.0.0.1", "::1"), accept_loopback=True)
    assert isinstance(note, Problem)
    assert note.summary.startswith(f"{HOST} resolves to 127.0.0.1, ::1: ")


@pytest.mark.parametrize(
    ("addresses", "accept_loopback"),
    [(("127.0.0.1",), False), ((PUBLIC,), True), (("10.0.0.5",), True)],
    ids=["not-a-rehearsal", "public-address", "private-address"],
)
def test_no_rehearsal_note_without_an_accepted_loopback_address(
    addresses: tuple[str, ...], accept_loopback: bool
) -> None:
    assert check.rehearsal_note(HOST, both(*addresses), accept_loopback=accept_loopback) is None
