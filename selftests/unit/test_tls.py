"""endpoint-tls and its expiry warning, called directly with handshake facts built by hand."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from conversion_qa.clients.tls import Certificate, TlsFacts, TlsStatus
from conversion_qa.rules.slices import endpoint_tls as check
from selftests.unit.builders import NotChecked, Problem

HOST = "enquesta-test.demo.example.com"
SOURCE = "recorded in fixtures/demo/tls.yaml on 2026-11-20"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CERT = Certificate(
    subject="CN=enquesta-test.demo.example.com",
    issuer="CN=Example Public CA,O=Example",
    not_before=NOW - timedelta(days=60),
    not_after=NOW + timedelta(days=300),
    names=(HOST,),
)


def certificate(**changes: object) -> Certificate:
    return dataclasses.replace(CERT, **changes)  # type: ignore[arg-type]


def facts(status: TlsStatus = TlsStatus.VERIFIED, **changes: object) -> TlsFacts:
    """A handshake with HOST:443 that verified over TLS 1.3, with fields replaced."""
    base = TlsFacts(HOST, 443, status, "TLSv1.3", certificate=CERT)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def expiring_in(left: timedelta) -> TlsFacts:
    return facts(certificate=certificate(not_after=NOW + left))


# endpoint_tls -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["TLSv1.2", "TLSv1.3"])
def test_a_verified_certificate_valid_today_over_tls_1_2_or_newer_passes(version: str) -> None:
    assert check.endpoint_tls(facts(version=version), NOW, SOURCE) is None


def test_a_connection_that_failed_is_not_checked_pointing_at_reachability() -> None:
    failed = TlsFacts(HOST, 443, TlsStatus.CONNECT_FAILED, error="Connection refused")
    unchecked = check.endpoint_tls(failed, NOW, SOURCE)
    assert isinstance(unchecked, NotChecked)
    assert unchecked.reason == f"no connection to {HOST}:443"
    assert unchecked.detail == (
        f"could not connect to {HOST}:443 to see its certificate: Connection refused"
    )
    assert "online" in unchecked.fix
    assert "reachable" in unchecked.fix
    assert "public-dns" in unchecked.fix
    assert unchecked.where == SOURCE


def test_a_server_offering_only_old_protocols_is_a_problem_naming_what_it_offers() -> None:
    old = facts(TlsStatus.OLD_PROTOCOL, version="TLSv1", error="TLSV1_ALERT_PROTOCOL_VERSION")
    problem = check.endpoint_tls(old, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"{HOST}:443 does not offer TLS 1.2 or newer"
    assert "refused TLS 1.2 and 1.3 (TLSV1_ALERT_PROTOCOL_VERSION)" in problem.found
    assert "it offers TLSv1" in problem.found
    assert CERT.subject in problem.found
    assert "enable TLS 1.2 or 1.3" in (problem.fix or "")


def test_an_old_protocol_server_whose_version_is_unknown_says_only_what_it_refused() -> None:
    old = facts(
        TlsStatus.OLD_PROTOCOL, version=None, certificate=None, error="WRONG_VERSION_NUMBER"
    )
    problem = check.endpoint_tls(old, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert "it offers" not in problem.found
    assert "no certificate seen" in problem.found


def test_a_failed_handshake_is_a_problem_with_openssl_s_reason() -> None:
    failed = facts(TlsStatus.HANDSHAKE_FAILED, error="SSLV3_ALERT_HANDSHAKE_FAILURE")
    problem = check.endpoint_tls(failed, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"the TLS handshake with {HOST}:443 failed: SSLV3_ALERT_HANDSHAKE_FAILURE"
    )
    assert problem.found.startswith("SSLV3_ALERT_HANDSHAKE_FAILURE; certificate CN=")
    assert "TLS configuration" in (problem.fix or "")


@pytest.mark.parametrize(
    ("code", "reason", "summary", "fix"),
    [
        (
            10,
            "certificate has expired",
            f"the certificate of {HOST}:443 expired on 2026-11-23",
            "renew",
        ),
        (
            9,
            "certificate is not yet valid",
            f"the certificate of {HOST}:443 is not valid yet",
            "clock",
        ),
        (
            18,
            "self-signed certificate",
            f"the certificate of {HOST}:443 is self-signed, so its chain does not verify",
            "public CA",
        ),
        (
            19,
            "self-signed certificate in certificate chain",
            f"the certificate of {HOST}:443 is self-signed, so its chain does not verify",
            "public CA",
        ),
        *[
            (
                code,
                "unable to get local issuer certificate",
                f"the certificate chain of {HOST}:443 does not verify: its issuer is not trusted "
                "or the chain is incomplete",
                "--ca-bundle",
            )
            for code in (2, 20, 21)
        ],
        (
            62,
            "hostname mismatch",
            f"the certificate of {HOST}:443 is not for {HOST}",
            f"subject alternative names include {HOST}",
        ),
        (
            7,
            "certificate signature failure",
            f"the certificate of {HOST}:443 does not verify: certificate signature failure",
            "from a public CA",
        ),
    ],
    ids=[
        "expired-10",
        "not-yet-valid-9",
        "self-signed-18",
        "self-signed-in-chain-19",
        "untrusted-issuer-2",
        "untrusted-issuer-20",
        "incomplete-chain-21",
        "hostname-mismatch-62",
        "other-7",
    ],
)
def test_each_verification_failure_has_its_own_sentence(
    code: int, reason: str, summary: str, fix: str
) -> None:
    seen = certificate(not_after=NOW - timedelta(days=2)) if code == 10 else CERT
    unverified = facts(
        TlsStatus.UNVERIFIED, verify_code=code, verify_error=reason, certificate=seen
    )
    problem = check.endpoint_tls(unverified, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == summary
    assert problem.found.startswith(
        f"{reason}; certificate {CERT.subject}, issued by {CERT.issuer}"
    )
    assert fix in (problem.fix or "")
    assert problem.where == SOURCE


def test_an_expired_certificate_that_could_not_be_read_is_told_without_a_date() -> None:
    unverified = facts(
        TlsStatus.UNVERIFIED,
        verify_code=10,
        verify_error="certificate has expired",
        certificate=None,
    )
    problem = check.endpoint_tls(unverified, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the certificate of {HOST}:443 expired"
    assert problem.found == "certificate has expired; no certificate seen"


def test_a_verification_failure_without_openssl_s_words_says_it_failed() -> None:
    problem = check.endpoint_tls(facts(TlsStatus.UNVERIFIED), NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the certificate of {HOST}:443 does not verify: verification failed"


@pytest.mark.parametrize("version", ["TLSv1.1", "TLSv1", "SSLv3"])
def test_a_verified_handshake_over_an_old_protocol_is_a_problem(version: str) -> None:
    problem = check.endpoint_tls(facts(version=version), NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"{HOST}:443 negotiated {version}, older than TLS 1.2"
    assert problem.found.startswith(f"{version}; certificate")


@pytest.mark.parametrize(
    "not_after",
    [NOW - timedelta(days=3), NOW],
    ids=["three-days-ago", "this-very-moment"],
)
def test_a_recorded_certificate_expired_by_now_is_a_problem(not_after: datetime) -> None:
    recorded = facts(certificate=certificate(not_after=not_after))
    problem = check.endpoint_tls(recorded, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the certificate of {HOST}:443 expired on {not_after:%Y-%m-%d}"
    assert problem.found == recorded.certificate.describe()  # type: ignore[union-attr]
    assert "renew" in (problem.fix or "")
    assert "record it again" in (problem.fix or "")


def test_a_certificate_not_valid_until_tomorrow_is_a_problem() -> None:
    early = facts(certificate=certificate(not_before=NOW + timedelta(days=1)))
    problem = check.endpoint_tls(early, NOW, SOURCE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"the certificate of {HOST}:443 is not valid before 2026-11-26"
    assert "valid today" in (problem.fix or "")


def test_a_certificate_that_became_valid_this_very_moment_passes() -> None:
    assert check.endpoint_tls(facts(certificate=certificate(not_before=NOW)), NOW, SOURCE) is None


def test_an_endpoint_off_port_443_is_named_with_its_port() -> None:
    failed = TlsFacts(HOST, 8443, TlsStatus.CONNECT_FAILED, error="timed out")
    unchecked = check.endpoint_tls(failed, NOW, SOURCE)
    assert isinstance(unchecked, NotChecked)
    assert f"{HOST}:8443" in unchecked.reason


# expiry_warning ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "days", "days_left"),
    [
        (timedelta(days=30), 30, 30),
        (timedelta(days=29, hours=23), 30, 30),
        (timedelta(days=9, hours=23), 10, 10),
        (timedelta(days=10), 10, 10),
        (timedelta(seconds=1), 30, 1),
        (timedelta(days=1), 30, 1),
    ],
    ids=[
        "exactly-30-days",
        "29-days-23-hours-is-30",
        "9-days-23-hours-is-10",
        "exactly-10-days",
        "one-second",
        "one-day",
    ],
)
def test_a_certificate_expiring_within_the_warning_days_warns_with_whole_days_left(
    left: timedelta, days: int, days_left: int
) -> None:
    warning = check.expiry_warning(expiring_in(left), NOW, days, SOURCE)
    assert isinstance(warning, Problem)
    assert warning.summary == (
        f"the certificate of {HOST}:443 expires in {days_left} days, on {NOW + left:%Y-%m-%d}"
    )
    assert warning.expected == f"more than {days} days of validity left"
    assert warning.found.startswith(f"certificate {CERT.subject}")
    assert "before the conversion weekend" in (warning.fix or "")
    assert warning.where == SOURCE


@pytest.mark.parametrize(
    ("left", "days"),
    [
        (timedelta(days=30, seconds=1), 30),
        (timedelta(days=10, hours=1), 10),
        (timedelta(days=300), 30),
        (timedelta(days=5), 0),
    ],
    ids=["30-days-and-a-second", "10-days-and-an-hour", "300-days", "warnings-off"],
)
def test_a_certificate_with_more_than_the_warning_days_left_gives_no_warning(
    left: timedelta, days: int
) -> None:
    assert check.expiry_warning(expiring_in(left), NOW, days, SOURCE) is None


@pytest.mark.parametrize(
    "tls",
    [expiring_in(timedelta(0)), expiring_in(-timedelta(days=1)), facts(certificate=None)],
    ids=["expires-now", "expired", "no-certificate"],
)
def test_no_expiry_warning_for_an_expired_or_unseen_certificate(tls: TlsFacts) -> None:
    assert check.expiry_warning(tls, NOW, 30, SOURCE) is None
