"""No write reaches production by mistake: the guard decides on where a write would go, over real
sockets against the sandbox, which keeps every request it received."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from conversion_qa.config import load_billers
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import RunSuite, write_biller
from selftests.network_helpers import CANARIES, fast_demo
from selftests.outcomes import outcomes

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
