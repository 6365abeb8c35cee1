"""public-dns through the real dnspython resolver, against DNS servers on 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conversion_qa.clients import dns as dns_client
from conversion_qa.clients.dns import parse_nameserver
from conversion_qa.config import load_billers
from conversion_qa.config.configured import from_file
from conversion_qa.config.model import Biller
from conversion_qa.plugin.explained import finding_line
from conversion_qa.recordings import Recordings, Sourced
from conversion_qa.rules.troubleshooting import Subject, answered
from conversion_qa.sandbox.dns import Host, LocalDns
from selftests.dns_tls_helpers import Outcomes, outcomes, write_host_biller
from selftests.helpers import REPO, RunSuite
from selftests.outcomes import Outcome

PUBLIC_V4, PUBLIC_V6 = "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"

# Each kind of address that is not globally routable, and the words that name it.
NOT_PUBLIC = {
    "private-10": ("10.1.2.3", "private (RFC 1918)"),
    "private-172": ("172.16.5.4", "private (RFC 1918)"),
    "private-192": ("192.168.1.20", "private (RFC 1918)"),
    "unique-local": ("fd12:3456::1", "private (unique local, RFC 4193)"),
    "loopback": ("127.0.0.1", "loopback"),
    "loopback-v6": ("::1", "loopback"),
    "link-local": ("169.254.10.10", "link-local"),
    "documentation": ("192.0.2.10", "documentation range"),
    "documentation-v6": ("2001:db8::10", "documentation range"),
    "shared": ("100.64.1.1", "shared address space"),
    "reserved": ("240.0.0.1", "reserved"),
    "multicast": ("224.0.0.251", "multicast"),
    "unspecified": ("0.0.0.0", "unspecified"),
    "benchmarking": ("198.18.0.1", "special-purpose, not globally routable"),
}

ZONE = {
    "good.biller.test": Host((PUBLIC_V4, PUBLIC_V6)),
    "alias.biller.test": Host(cname="edge.cdn.test"),
    "edge.cdn.test": Host(cname="edge2.cdn.test"),
    "edge2.cdn.test": Host(("93.184.215.15",)),
    "alias-private.biller.test": Host(cname="internal.cdn.test"),
    "internal.cdn.test": Host(("10.20.30.40",)),
    "dangling.biller.test": Host(cname="gone.cdn.test"),
    "empty.biller.test": Host(),
    "slow.biller.test": Host(silent=True),
    "mixed.biller.test": Host((PUBLIC_V4, "10.9.9.9")),
    "v6-only.biller.test": Host((PUBLIC_V6,)),
    **{f"{kind}.biller.test": Host((address,)) for kind, (address, _) in NOT_PUBLIC.items()},
}
# A second nameserver that disagrees about one host and does not know another.
OTHER_ZONE = {**ZONE, "good.biller.test": Host(("93.184.215.99",))}
OTHER_ZONE.pop("alias.biller.test")

LIFETIME = 1.0


@pytest.fixture(scope="module")
def nameserver() -> Iterator[LocalDns]:
    with LocalDns(ZONE) as server:
        yield server


@pytest.fixture(scope="module")
def other_nameserver() -> Iterator[LocalDns]:
    with LocalDns(OTHER_ZONE) as server:
        yield server


def live_dns(run_suite: RunSuite, *nameservers: str, extra: tuple[str, ...] = ()) -> Outcomes:
    args = ["-m", "live", "-k", "public-dns", "--dns-lifetime", str(LIFETIME)]
    for ns in nameservers:
        args += ["--dns-nameserver", ns]
    return outcomes(run_suite(*args, *extra))


def only(found: Outcomes) -> Outcome:
    assert len(found) == 1, found
    return next(iter(found.values()))


def test_public_addresses_pass(run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns) -> None:
    write_host_biller(biller_dir, "good", "https://good.biller.test/CISService")
    found = live_dns(run_suite, nameserver.nameserver)
    assert list(found) == ["good-test-good.biller.test-live"]
    assert only(found).outcome == "passed"


def test_cname_chain_to_public_passes(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "alias", "https://alias.biller.test/CISService")
    outcome, _ = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "passed"


def test_cname_chain_is_shown(run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns) -> None:
    write_host_biller(biller_dir, "alias", "https://alias-private.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert "alias-private.biller.test -> internal.cdn.test -> 10.20.30.40" in words
    assert "private (RFC 1918)" in words


@pytest.mark.parametrize("kind", sorted(NOT_PUBLIC))
def test_each_kind_of_non_public_address_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, kind: str
) -> None:
    address, category = NOT_PUBLIC[kind]
    write_host_biller(biller_dir, "np", f"https://{kind}.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert f"resolves to {address}: {category}" in words
    assert "not reachable from the internet" in words


def test_one_private_address_among_public_ones_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "mixed", "https://mixed.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert "10.9.9.9 (private (RFC 1918))" in words
    assert f"{PUBLIC_V4} (" not in words


def test_nxdomain(run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns) -> None:
    write_host_biller(biller_dir, "gone", "https://missing.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert "missing.biller.test has no public DNS record" in words
    assert "(NXDOMAIN)" in words
    assert "Ask S&S to create the public DNS record for missing.biller.test" in words


def test_cname_to_a_missing_name(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "dangling", "https://dangling.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert "NXDOMAIN" in words
    assert "dangling.biller.test -> gone.cdn.test ends at a name that does not exist" in words


def test_empty_answer(run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns) -> None:
    write_host_biller(biller_dir, "empty", "https://empty.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "failed"
    assert "empty.biller.test exists in DNS but has no address" in words
    assert "no A or AAAA record (empty answer)" in words


def test_timeout_is_not_checked_(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "slow", "https://slow.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver))
    assert outcome == "not checked"  # no nameserver said anything about the host
    assert "Not checked: no nameserver answered." in words
    assert f"{nameserver.nameserver}: timeout" in words


def test_no_nameserver_answering_and_no_host_is_nothing_answered(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    """Silent nameservers and a host that cannot be reached: the run is offline, said once by the
    preflight (its cost: benchmarks/network_down.py; the rule's own verdict: unit/test_dns.py)."""
    write_host_biller(biller_dir, "mute", "https://good.biller.test/CISService")
    with LocalDns(ZONE, silent=True) as first, LocalDns(ZONE, silent=True) as second:
        bound = ("--connect-timeout", str(LIFETIME))
        outcome, words = only(live_dns(run_suite, first.nameserver, second.nameserver, extra=bound))
    assert outcome == "not checked"
    assert "Not checked: nothing answered: offline, or off the VPN?" in words
    assert f"no nameserver ({first.nameserver}, {second.nameserver})" in words


def test_refusing_nameserver(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "refused", "https://good.biller.test/CISService")
    with LocalDns(ZONE, rcode="REFUSED") as refusing:
        outcome, words = only(live_dns(run_suite, refusing.nameserver))
    assert outcome == "not checked"
    assert "no nameserver said anything about good.biller.test" in words
    assert "REFUSED" in words


@pytest.mark.parametrize(
    ("refused", "judged"), [("AAAA", "A"), ("A", "AAAA")], ids=["aaaa-refused", "a-refused"]
)
def test_a_refused_record_type_beside_a_public_answer_passes_with_a_warning_naming_it(
    run_suite: RunSuite, biller_dir: Path, refused: str, judged: str
) -> None:
    write_host_biller(biller_dir, "half", "https://good.biller.test/CISService")
    with LocalDns(ZONE, refuse=(refused,)) as refusing:
        outcome, words = only(live_dns(run_suite, refusing.nameserver))
    assert outcome == "warned"
    assert (
        f"good.biller.test has a public record, judged on its {judged} answer: "
        f"{refusing.nameserver} refused or failed (REFUSED) to answer {refused}" in words
    )
    assert "no nameserver answered" not in words


def test_nameservers_are_compared_on_the_types_both_answered(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "half", "https://good.biller.test/CISService")
    with LocalDns(ZONE, refuse=("AAAA",)) as refusing:
        outcome, words = only(live_dns(run_suite, nameserver.nameserver, refusing.nameserver))
    assert outcome == "warned"
    assert f"{refusing.nameserver} refused or failed (REFUSED) to answer AAAA" in words


def test_no_address_of_the_answered_type_and_the_other_refused_fails_saying_both(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    write_host_biller(biller_dir, "six", "https://v6-only.biller.test/CISService")
    with LocalDns(ZONE, refuse=("AAAA",)) as refusing:
        outcome, words = only(live_dns(run_suite, refusing.nameserver))
    assert outcome == "failed"
    assert (
        f"v6-only.biller.test has no address at {refusing.nameserver}: it answered with no A "
        "record and refused or failed (REFUSED) to answer AAAA" in words
    )
    assert "no nameserver answered" not in words


def test_one_nameserver_refusing_while_another_answers_is_not_called_none_answering(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "refused", "https://good.biller.test/CISService")
    with LocalDns(ZONE, rcode="REFUSED") as refusing:
        outcome, words = only(live_dns(run_suite, nameserver.nameserver, refusing.nameserver))
    assert outcome == "failed"
    assert (
        f"{refusing.nameserver} refused, failed or could not be reached about good.biller.test, "
        "while another nameserver answered" in words
    )
    assert "no nameserver answered" not in words


def test_a_refused_record_type_is_recorded_and_replays_to_the_same_warning(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    write_host_biller(biller_dir, "recorded", "https://good.biller.test/CISService")
    with LocalDns(ZONE, refuse=("AAAA",)) as refusing:
        live = only(live_dns(run_suite, refusing.nameserver, extra=("--record-fixtures",)))
    recording = biller_dir.parent / "fixtures" / "recorded" / "dns.yaml"
    (recorded,) = yaml.safe_load(recording.read_text())["hosts"]["good.biller.test"]["answers"]
    assert recorded["unanswered"] == [
        {"type": "AAAA", "status": "no-nameserver", "detail": "REFUSED"}
    ]
    offline = only(outcomes(run_suite("-k", "public-dns")))
    assert live.outcome == offline.outcome == "warned"
    assert "refused or failed (REFUSED) to answer AAAA" in offline.text


def test_a_rehearsal_warning_and_a_refused_type_are_both_said(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    write_host_biller(biller_dir, "rehearsal", "https://loopback.biller.test/CISService")
    with LocalDns(ZONE, refuse=("AAAA",)) as refusing:
        extra = ("--accept-loopback-dns",)
        outcome, words = only(live_dns(run_suite, refusing.nameserver, extra=extra))
    assert outcome == "warned"
    assert "refused or failed (REFUSED) to answer AAAA" in words
    assert "loopback address accepted because this is a rehearsal" in words


def test_nameservers_that_disagree(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, other_nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "split", "https://good.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver, other_nameserver.nameserver))
    assert outcome == "failed"
    assert "the nameservers disagree about good.biller.test" in words
    assert f"{other_nameserver.nameserver} says good.biller.test -> 93.184.215.99" in words


def test_one_nameserver_without_the_name(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, other_nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "half", "https://alias.biller.test/CISService")
    outcome, words = only(live_dns(run_suite, nameserver.nameserver, other_nameserver.nameserver))
    assert outcome == "failed"
    assert f"{other_nameserver.nameserver} says the name does not exist (NXDOMAIN)" in words
    assert f"{nameserver.nameserver}: answered: alias.biller.test -> edge.cdn.test" in words


def test_nameservers_that_agree_pass(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    with LocalDns(ZONE) as twin:
        write_host_biller(biller_dir, "twins", "https://alias.biller.test/CISService")
        outcome, _ = only(live_dns(run_suite, nameserver.nameserver, twin.nameserver))
    assert outcome == "passed"


def test_given_nameservers_replace_the_public_defaults(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "empty", "https://empty.biller.test/CISService")
    _, words = only(live_dns(run_suite, nameserver.nameserver))
    assert f"asked {nameserver.nameserver} (lifetime" in words
    assert "1.1.1.1" not in words
    assert "8.8.8.8" not in words


def test_ip_literal_endpoint_fails_without_a_lookup(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(
        biller_dir, "literal", "https://93.184.215.14/CISService", "https://good.biller.test"
    )
    found = outcomes(run_suite("-k", "public-dns"))
    outcome, words = found["literal-test-93.184.215.14"]
    assert outcome == "failed"
    assert "the endpoint is written as the IP address 93.184.215.14, not a host name" in words
    assert "literal.yaml:" in words
    assert "(endpoints.cis_service)" in words


def test_loopback_accepted_in_a_rehearsal_and_said(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "rehearsal", "https://loopback.biller.test/CISService")
    extra = ("--accept-loopback-dns",)
    outcome, words = only(live_dns(run_suite, nameserver.nameserver, extra=extra))
    assert outcome == "warned"
    assert "loopback address accepted because this is a rehearsal" in words


def test_rehearsal_still_refuses_private_addresses(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(biller_dir, "rehearsal", "https://private-10.biller.test/CISService")
    extra = ("--accept-loopback-dns",)
    outcome, words = only(live_dns(run_suite, nameserver.nameserver, extra=extra))
    assert outcome == "failed"
    assert "private (RFC 1918)" in words


# Offline: the recording in fixtures/<biller>/dns.yaml is judged by the same check.


def test_offline_host_missing_from_the_recording(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "demo", "https://unrecorded.biller.test/CISService")
    found = outcomes(run_suite("-k", "public-dns"))
    outcome, words = found["demo-test-unrecorded.biller.test"]
    assert outcome == "not checked"
    assert "Not checked: not recorded yet." in words
    assert "has no recorded answer for unrecorded.biller.test" in words
    assert str(biller_dir.parent / "fixtures" / "demo" / "dns.yaml") in words


def test_offline_recording_missing(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "unrecorded", "https://good.biller.test/CISService")
    outcome, words = only(outcomes(run_suite("-k", "public-dns")))
    assert outcome == "not checked"
    assert "unrecorded/dns.yaml: no such recording" in words


def test_record_then_replay_offline(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns
) -> None:
    write_host_biller(
        biller_dir, "recorded", "https://alias.biller.test/CISService", "https://empty.biller.test"
    )
    live = live_dns(run_suite, nameserver.nameserver, extra=("--record-fixtures",))
    recording = biller_dir.parent / "fixtures" / "recorded" / "dns.yaml"
    data = yaml.safe_load(recording.read_text())
    assert data["hosts"]["alias.biller.test"]["answers"][0] == {
        "nameserver": nameserver.nameserver,
        "status": "answer",
        "cnames": ["edge.cdn.test", "edge2.cdn.test"],
        "addresses": ["93.184.215.15"],
    }
    assert data["hosts"]["empty.biller.test"]["answers"][0]["status"] == "no-answer"
    offline = outcomes(run_suite("-k", "public-dns"))
    assert (
        {k.removesuffix("-live"): v.outcome for k, v in live.items()}
        == {k: v.outcome for k, v in offline.items()}
        == {
            "recorded-test-alias.biller.test": "passed",
            "recorded-test-empty.biller.test": "failed",
        }
    )


def test_offline_recorded_problem_fails_the_same_way(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "old", "https://intranet.biller.test/CISService")
    folder = biller_dir.parent / "fixtures" / "old"
    folder.mkdir()
    (folder / "dns.yaml").write_text(
        "version: 1\nhosts:\n  intranet.biller.test:\n    recorded: '2026-11-20T10:00:00Z'\n"
        "    answers:\n    - {nameserver: '1.1.1.1:53', status: answer, cnames: [],"
        " addresses: [172.20.1.1]}\n"
    )
    outcome, words = only(outcomes(run_suite("-k", "public-dns")))
    assert outcome == "failed"
    assert "resolves to 172.20.1.1: private (RFC 1918), not reachable" in words
    assert "recorded in" in words
    assert "on 2026-11-20T10:00:00Z" in words


def test_wrong_nameserver_is_a_usage_error(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "good", "https://good.biller.test/CISService")
    result = run_suite("--dns-nameserver", "resolver.example")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "a nameserver is an IP address (optionally :PORT), not a name" in result.stderr.str()


def public_dns_summary(biller: Biller, fixtures: Path, *nameservers: LocalDns) -> list[str]:
    """public-dns as another rule's troubleshooting shows it, one line per host: asked live of
    the nameservers given, else read from the recordings in fixtures/."""
    recordings = Recordings(fixtures, record=False)
    asked = tuple(parse_nameserver(n.nameserver) for n in nameservers)

    def look_up(host: str) -> Sourced[list[dns_client.Answer]]:
        ask = (lambda: dns_client.resolve_all(host, asked, LIFETIME)) if asked else None
        return recordings.dns_answers(biller.id, host, ask, "live")

    environment = biller.environment("test")
    subject = Subject(
        biller=biller,
        environment=environment,
        configured=from_file(environment, biller.where),
        look_up_dns=look_up,
        accept_loopback=False,
    )
    return [finding_line(f).strip() for f in answered(["public-dns"], subject)]


def test_summary_for_troubleshooting_offline() -> None:
    demo = load_billers(REPO / "billers", ["demo"])[0]
    lines = public_dns_summary(demo, REPO / "fixtures")
    assert lines == [
        "public-dns demo-test.portal.example.com: passed: demo-test.portal.example.com -> "
        "demo-test.edge.example.net -> 93.184.215.10, 2606:2800:21f:cb07:6820:80da:af6b:a",
        "public-dns enquesta-test.demo.example.com: passed: enquesta-test.demo.example.com -> "
        "93.184.215.15",
    ]


def test_summary_for_troubleshooting_live(biller_dir: Path, nameserver: LocalDns) -> None:
    write_host_biller(
        biller_dir, "sum", "https://missing.biller.test/CISService", "https://good.biller.test"
    )
    biller = load_billers(biller_dir, ["sum"])[0]
    lines = public_dns_summary(biller, biller_dir.parent / "fixtures", nameserver)
    assert lines == [
        f"public-dns good.biller.test: passed: good.biller.test -> {PUBLIC_V4}, {PUBLIC_V6}",
        "public-dns missing.biller.test: FAILED: missing.biller.test has no public DNS record: "
        f"{nameserver.nameserver} says the name does not exist (NXDOMAIN)",
    ]
