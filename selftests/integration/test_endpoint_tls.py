"""endpoint-tls through the real ssl handshake, against HTTPS endpoints on 127.0.0.1 only.

Each endpoint's host name resolves to 127.0.0.1 through a loopback DNS server given with
--dns-nameserver, so the client connects there while SNI and the host name check use the name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
import yaml

from conversion_qa.sandbox.dns import Host, LocalDns
from selftests.dns_tls_helpers import Outcomes, outcomes, write_host_biller
from selftests.helpers import RunSuite
from selftests.outcomes import Outcome
from selftests.tls_server import TlsServer, tls11_server_possible, write_leaf, write_self_signed

HOSTS = ("valid", "expired", "wrong", "self-signed", "untrusted", "soon", "old", "closed", "x")
NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def nameserver() -> Iterator[LocalDns]:
    zone = {f"{name}.biller.test": Host(("127.0.0.1",)) for name in HOSTS}
    zone["nowhere.biller.test"] = Host()
    with LocalDns(zone) as server:
        yield server


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_bundle(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@contextlib.contextmanager
def endpoint(
    folder: Path, leaf: trustme.LeafCert | tuple[Path, Path], *, tls11_only: bool = False
) -> Iterator[int]:
    """Serve the certificate on 127.0.0.1; yields the port."""
    files = leaf if isinstance(leaf, tuple) else write_leaf(folder, leaf, "leaf")
    with TlsServer(*files, tls11_only=tls11_only) as server:
        yield server.port


def live_tls(
    run_suite: RunSuite, nameserver: LocalDns, ca_bundle: Path | None, *extra: str
) -> Outcomes:
    args = ["-m", "live", "-k", "endpoint-tls", "--dns-nameserver", nameserver.nameserver]
    if ca_bundle is not None:
        args += ["--ca-bundle", str(ca_bundle)]
    return outcomes(run_suite(*args, *extra))


def only(found: Outcomes) -> Outcome:
    assert len(found) == 1, found
    return next(iter(found.values()))


def check_live(
    run_suite: RunSuite,
    biller_dir: Path,
    nameserver: LocalDns,
    ca_bundle: Path | None,
    name: str,
    leaf: trustme.LeafCert | tuple[Path, Path],
    *extra: str,
    tls11_only: bool = False,
) -> Outcome:
    with endpoint(biller_dir.parent, leaf, tls11_only=tls11_only) as port:
        write_host_biller(biller_dir, name, f"https://{name}.biller.test:{port}/CISService")
        return only(live_tls(run_suite, nameserver, ca_bundle, *extra))


def test_valid_certificate_passes(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    leaf = ca.issue_cert("valid.biller.test", common_name="valid.biller.test")
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "valid", leaf)
    assert outcome == "passed", words


def test_expired_certificate_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    ended = NOW - timedelta(days=2)
    leaf = ca.issue_cert(
        "expired.biller.test",
        common_name="expired.biller.test",
        not_before=NOW - timedelta(days=90),
        not_after=ended,
    )
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "expired", leaf)
    assert outcome == "failed"
    assert f"expired on {ended:%Y-%m-%d}" in words
    assert "certificate CN=expired.biller.test," in words
    assert ", issued by OU=Testing CA" in words
    assert f"valid {NOW - timedelta(days=90):%Y-%m-%d}" in words
    assert "certificate has expired" in words


def test_certificate_for_another_host_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    leaf = ca.issue_cert("other.biller.test", common_name="other.biller.test")
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "wrong", leaf)
    assert outcome == "failed"
    assert "is not for wrong.biller.test" in words
    assert "for other.biller.test" in words
    assert "Hostname mismatch" in words


def test_self_signed_certificate_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca_bundle: Path
) -> None:
    files = write_self_signed(biller_dir.parent, "self-signed.biller.test")
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "self-signed", files)
    assert outcome == "failed"
    assert "is self-signed, so its chain does not verify" in words
    assert "issued by CN=self-signed.biller.test" in words


def test_certificate_from_an_untrusted_ca_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca_bundle: Path
) -> None:
    leaf = trustme.CA().issue_cert("untrusted.biller.test")
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "untrusted", leaf)
    assert outcome == "failed"
    assert "its issuer is not trusted or the chain is incomplete" in words


def test_without_the_ca_bundle_the_system_cas_do_not_trust_it(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA
) -> None:
    leaf = ca.issue_cert("valid.biller.test")
    outcome, words = check_live(run_suite, biller_dir, nameserver, None, "valid", leaf)
    assert outcome == "failed"
    assert "does not verify" in words
    assert "CAs: system" in words


def test_expiring_in_ten_days_warns(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    ends = NOW + timedelta(days=10)
    leaf = ca.issue_cert("soon.biller.test", common_name="soon.biller.test", not_after=ends)
    outcome, words = check_live(run_suite, biller_dir, nameserver, ca_bundle, "soon", leaf)
    assert outcome == "warned"
    assert f"expires in 10 days, on {ends:%Y-%m-%d}" in words
    assert "certificate CN=soon.biller.test," in words
    assert ", issued by OU=Testing CA" in words


def test_expiry_warning_period_is_configurable(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    leaf = ca.issue_cert("soon.biller.test", not_after=NOW + timedelta(days=10))
    extra = ("--tls-expiry-warning-days", "5")
    outcome, _ = check_live(run_suite, biller_dir, nameserver, ca_bundle, "soon", leaf, *extra)
    assert outcome == "passed"


def test_tls_1_1_only_fails(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    leaf = ca.issue_cert("old.biller.test")
    if not tls11_server_possible(*write_leaf(biller_dir.parent, leaf, "probe")):
        pytest.skip("this machine's OpenSSL cannot serve TLS 1.1, so no TLS 1.1-only endpoint")
    outcome, words = check_live(
        run_suite, biller_dir, nameserver, ca_bundle, "old", leaf, tls11_only=True
    )
    assert outcome == "failed"
    assert "does not offer TLS 1.2 or newer" in words
    assert "it offers TLSv1.1" in words


def test_nothing_listening_is_not_checked(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca_bundle: Path
) -> None:
    with endpoint(biller_dir.parent, trustme.CA().issue_cert("closed.biller.test")) as port:
        pass  # the port was free a moment ago and nothing listens on it now
    write_host_biller(biller_dir, "closed", f"https://closed.biller.test:{port}/CISService")
    outcome, words = only(live_tls(run_suite, nameserver, ca_bundle))
    assert outcome == "not checked"
    assert f"could not connect to closed.biller.test:{port}" in words


def test_host_without_an_address_is_not_checked(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca_bundle: Path
) -> None:
    write_host_biller(biller_dir, "nowhere", "https://nowhere.biller.test/CISService")
    outcome, words = only(live_tls(run_suite, nameserver, ca_bundle))
    assert outcome == "not checked"
    assert "gives no address for nowhere.biller.test" in words


def test_plain_http_urls_are_not_items(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(
        biller_dir,
        "demo",
        "http://x.biller.test/CISService",
        "https://demo-test.portal.example.com",
    )
    found = outcomes(run_suite("-k", "endpoint-tls"))
    assert list(found) == ["demo-test-demo-test.portal.example.com"]


# Offline: the recorded facts in fixtures/<biller>/tls.yaml, expiry judged against today.


def write_recording(biller_dir: Path, name: str, endpoint_id: str, entry: str) -> None:
    folder = biller_dir.parent / "fixtures" / name
    folder.mkdir(exist_ok=True)
    (folder / "tls.yaml").write_text(f"version: 1\nendpoints:\n  {endpoint_id}:\n{entry}")


def recorded(not_after: datetime, status: str = "verified", code: str = "null") -> str:
    return (
        f"    recorded: '2026-01-05T10:00:00Z'\n    status: {status}\n    version: TLSv1.3\n"
        f"    verify_error: {'null' if code == 'null' else 'Hostname mismatch'}\n"
        f"    verify_code: {code}\n    error: null\n"
        "    certificate:\n      subject: CN=cis.biller.test\n      issuer: CN=Example CA\n"
        "      not_before: '2026-01-01T00:00:00Z'\n"
        f"      not_after: '{not_after:%Y-%m-%dT%H:%M:%SZ}'\n      names: [cis.biller.test]\n"
    )


def test_offline_recording_expired_since_fails(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "stale", "https://cis.biller.test/CISService")
    ended = NOW - timedelta(days=1)
    write_recording(biller_dir, "stale", "cis.biller.test", recorded(ended))
    outcome, words = only(outcomes(run_suite("-k", "endpoint-tls")))
    assert outcome == "failed"
    assert f"expired on {ended:%Y-%m-%d}" in words
    assert "recorded in" in words
    assert "on 2026-01-05T10:00:00Z" in words


def test_offline_recording_expiring_soon_warns(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "soon", "https://cis.biller.test/CISService")
    write_recording(biller_dir, "soon", "cis.biller.test", recorded(NOW + timedelta(days=3)))
    outcome, words = only(outcomes(run_suite("-k", "endpoint-tls")))
    assert outcome == "warned"
    assert "expires in 3 days" in words


def test_offline_recorded_mismatch_fails(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "mismatch", "https://cis.biller.test/CISService")
    entry = recorded(NOW + timedelta(days=300), status="unverified", code="62")
    write_recording(biller_dir, "mismatch", "cis.biller.test", entry)
    outcome, words = only(outcomes(run_suite("-k", "endpoint-tls")))
    assert outcome == "failed"
    assert "is not for cis.biller.test" in words


def test_offline_endpoint_missing_from_the_recording_is_not_checked(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    write_host_biller(biller_dir, "demo", "https://cis.biller.test/CISService")
    found = outcomes(run_suite("-k", "endpoint-tls"))
    outcome, words = found["demo-test-cis.biller.test"]
    assert outcome == "not checked"
    assert "has no recorded TLS facts for cis.biller.test" in words
    assert str(biller_dir.parent / "fixtures" / "demo" / "tls.yaml") in words


def test_record_then_replay_offline(
    run_suite: RunSuite, biller_dir: Path, nameserver: LocalDns, ca: trustme.CA, ca_bundle: Path
) -> None:
    good = ca.issue_cert("valid.biller.test")
    wrong = ca.issue_cert("other.biller.test")
    with (
        endpoint(biller_dir.parent, good) as good_port,
        endpoint_in(biller_dir, wrong) as bad,
    ):
        write_host_biller(
            biller_dir,
            "rec",
            f"https://valid.biller.test:{good_port}/CISService",
            f"https://wrong.biller.test:{bad}",
        )
        live = live_tls(run_suite, nameserver, ca_bundle, "--record-fixtures")
    data = yaml.safe_load((biller_dir.parent / "fixtures" / "rec" / "tls.yaml").read_text())
    assert data["endpoints"][f"valid.biller.test:{good_port}"]["status"] == "verified"
    assert data["endpoints"][f"wrong.biller.test:{bad}"]["verify_code"] == 62
    offline = outcomes(run_suite("-k", "endpoint-tls"))
    assert (
        {k.removesuffix("-live"): v.outcome for k, v in live.items()}
        == {k: v.outcome for k, v in offline.items()}
        == {
            f"rec-test-valid.biller.test:{good_port}": "passed",
            f"rec-test-wrong.biller.test:{bad}": "failed",
        }
    )


@contextlib.contextmanager
def endpoint_in(biller_dir: Path, leaf: trustme.LeafCert) -> Iterator[int]:
    """A second endpoint, its files in a folder of their own."""
    folder = biller_dir.parent / "second"
    folder.mkdir(exist_ok=True)
    with endpoint(folder, leaf) as port:
        yield port


def test_ca_bundle_that_is_not_pem_is_a_usage_error(run_suite: RunSuite, biller_dir: Path) -> None:
    write_host_biller(biller_dir, "demo", "https://cis.biller.test/CISService")
    not_pem = biller_dir.parent / "ca.pem"
    not_pem.write_text("not a certificate\n")
    result = run_suite("--ca-bundle", str(not_pem))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "not a PEM file of CA certificates" in result.stderr.str()
