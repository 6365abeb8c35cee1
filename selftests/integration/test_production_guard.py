"""No write reaches production by mistake: the guard decides on where a write would go, over real
sockets against the sandbox, which keeps every request it received."""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conversion_qa.config import load_billers
from conversion_qa.config.model import Biller
from conversion_qa.contract import portal
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import RunSuite, write_biller
from selftests.network_helpers import CANARIES, fast_demo
from selftests.outcomes import Outcome, outcomes

PRODUCTION_CIS = "enquesta.demo.example.com"
PRODUCTION_PAYCONNECT = "enquesta.demo.example.com"


@pytest.fixture
def demo(biller_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    return write_biller(biller_dir, fast_demo())


def live_against(
    run_suite: RunSuite, biller_dir: Path, scenarios: list[str], *args: str
) -> tuple[dict[str, str], str, list[tuple[str, str, str]]]:
    """Run the live rules against a sandbox; each test's outcome, the console, what was sent."""
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]), scenarios)
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        result = run_suite("-m", "live", *options, "--read-timeout=5", *args)
    finally:
        sandbox.stop()
    found = {o.name: o.outcome for o in outcomes(result).values()}
    sent = [(seen.method, seen.host, seen.path) for seen in sandbox.seen]
    return found, result.stdout.str(), sent


def test_a_test_portal_pointing_at_production_sends_it_no_payment(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    found, console, sent = live_against(
        run_suite, biller_dir, ["endpoint-drift"], "-k", "data_pump and live"
    )
    assert set(found.values()) == {"not checked"}, found  # nothing sent: nothing judged
    assert "refused to send POST https://enquesta.demo.example.com/CISService/DataPump/Payment" in (
        console
    )
    assert "a write to a production host, refused (see endpoint-settings)" in console
    assert "is a production host" in console
    assert "--allow-production-writes" in console
    assert [s for s in sent if s[0] == "POST" and s[1].startswith(PRODUCTION_CIS)] == []


def test_the_flag_lets_a_deliberate_production_write_through(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    _, _, sent = live_against(
        run_suite,
        biller_dir,
        ["endpoint-drift"],
        "--allow-production-writes",
        "-k",
        "data_pump and live",
    )
    posts = [path for method, host, path in sent if method == "POST" and host == PRODUCTION_CIS]
    assert sorted(posts) == [
        "/CISService/DataPump/Autopay",
        "/CISService/DataPump/Paperless",
        "/CISService/DataPump/Payment",
    ]


def test_production_token_login_is_refused_without_the_flag(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    found, console, sent = live_against(
        run_suite, biller_dir, [], "--env=production", "-k", "token_login and live"
    )
    assert found == {"test_token_login[demo-production-live]": "not checked"}
    assert "a write to production, sent only with --allow-production-writes" in console
    assert "refused to send POST https://enquesta.demo.example.com/PayConnect/Login" in console
    assert [s for s in sent if s[0] == "POST"] == []  # neither the login nor the validation


def test_a_healthy_test_run_writes_only_to_its_own_endpoints(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    found, _, sent = live_against(
        run_suite, biller_dir, [], "-k", "(data_pump or token_login) and live"
    )
    assert set(found.values()) == {"passed"}, found
    assert {host for method, host, _ in sent if method == "POST"} == {
        "enquesta-test.demo.example.com"
    }


# a setting that one reader takes to the test host and another to production -----------------

TEST_HOST = "enquesta-test.demo.example.com"
CRAFTED = {  # urllib.parse reads TEST_HOST in each; requests and urllib3 connect to production
    "20": f"https://{PRODUCTION_CIS}\\@{TEST_HOST}/CISService",
    "24": f"https://{PRODUCTION_PAYCONNECT}\\@{TEST_HOST}/PayConnect",
}


def portal_configured_with(biller: Biller, settings: dict[str, str]) -> Biller:
    """The biller as its test portal is configured: these Advanced Settings, not the file's."""
    test = biller.environment("test")
    portal = dataclasses.replace(test, advanced_settings={**test.advanced_settings, **settings})
    return dataclasses.replace(biller, environments={**biller.environments, "test": portal})


@dataclass
class Attacked:
    """A live run whose test portal serves the crafted settings (the test sandbox), with every
    production host routed to a server of its own that logs each request reaching it."""

    outcomes: dict[str, Outcome]
    console: str
    production_saw: list[tuple[str, str, str]]  # (method, host, path) of each request
    test_saw: list[tuple[str, str, str]]


def live_with_a_production_server(
    run_suite: RunSuite, biller_dir: Path, tmp_path: Path, settings: dict[str, str]
) -> Attacked:
    (biller,) = load_billers(biller_dir, ["demo"])
    production_hosts = {
        urlsplit(url).hostname for url in biller.environment("production").endpoints.values()
    } | {urlsplit(biller.environment("production").portal or "").hostname}
    test_side = Sandbox.start([portal_configured_with(biller, settings)])
    production = Sandbox.start([biller])  # the attacker's server: it answers production's names
    try:
        bundle = tmp_path / "both-cas.pem"
        bundle.write_text(
            test_side.address.ca_bundle.read_text() + production.address.ca_bundle.read_text()
        )
        resolve = [
            f"--resolve={host}:{port}:127.0.0.1:"
            f"{(production if host in production_hosts else test_side).address.port}"
            for host, port in test_side.address.hosts
        ]
        result = run_suite("-m", "live", "--biller=demo", f"--ca-bundle={bundle}", *resolve)
    finally:
        test_side.stop()
        production.stop()
    return Attacked(
        outcomes=outcomes(result),
        console=result.stdout.str(),
        production_saw=[(s.method, s.host, s.path) for s in production.seen],
        test_saw=[(s.method, s.host, s.path) for s in test_side.seen],
    )


def test_a_portal_setting_read_as_the_test_host_but_sent_to_production_sends_it_nothing(
    run_suite: RunSuite, demo: Path, biller_dir: Path, tmp_path: Path
) -> None:
    """Issue #21: settings 20 and 24 read as the test host by urllib.parse, sent to production
    by requests: nothing reaches the production server, and each rule names the setting."""
    run = live_with_a_production_server(run_suite, biller_dir, tmp_path, CRAFTED)
    assert run.production_saw == []  # no payment, no login, no secret, no RTDR: not a request
    assert [s for s in run.test_saw if s[1].startswith(TEST_HOST)] == []  # nor anywhere else
    assert any(s[2] == portal.SETTINGS_PATH for s in run.test_saw)  # the portal was read
    found = {o.name: o for o in run.outcomes.values()}
    for number in CRAFTED:
        setting = found[f"test_endpoint_settings[demo-test-setting-{number}-live]"]
        assert setting.outcome == "failed"
        assert f"Advanced Setting {number} in the portal is not a URL the suite can call" in (
            setting.text
        )
        assert "has a backslash (\\) before its path" in setting.text
    for name, number in (
        ("test_rtdr[demo-test-100234-live]", "20"),
        ("test_data_pump[demo-test-payment-live]", "20"),
        ("test_token_login[demo-test-live]", "24"),
    ):
        assert found[name].outcome == "skipped", name
        assert f"Advanced Setting {number} in the portal has a backslash" in found[name].text
    assert "canary-secret-7f3a91" not in run.console


def test_the_same_settings_in_the_biller_file_stop_the_run_before_anything_is_sent(
    run_suite: RunSuite, biller_dir: Path, tmp_path: Path
) -> None:
    data = fast_demo()
    data["environments"]["test"]["advanced_settings"].update(CRAFTED)
    write_biller(biller_dir, data)
    clean = tmp_path / "clean"
    clean.mkdir()
    write_biller(clean, fast_demo())
    production = Sandbox.start(load_billers(clean, ["demo"]))
    try:
        options = shlex.split(production.address.pytest_command(["demo"]))[4:]
        result = run_suite("--biller=demo", "-m", "live", *options)
    finally:
        production.stop()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "field 'environments.test.advanced_settings.20'" in result.stderr.str()
    assert "has a backslash (\\) before its path" in result.stderr.str()
    assert list(production.seen) == []
