"""The network rules over real sockets: the sandbox on loopback, healthy and under each fault."""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conversion_qa import __version__
from conversion_qa.config import load_billers
from conversion_qa.config.model import Biller
from conversion_qa.contract import portal
from conversion_qa.rules.fault import Fault
from conversion_qa.sandbox.dns import Host, LocalDns
from conversion_qa.sandbox.scenarios import SCENARIOS
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import WITHIN_A_YEAR, RunSuite, write_biller
from selftests.network_helpers import (
    BROWSER_ARGS,
    BROWSER_RULES,
    CANARIES,
    HEALTHY,
    NETWORK_RULES,
    WITH_BROWSER,
    fast_demo,
    network_only,
    without_mode,
)
from selftests.outcomes import Outcome, failed_rules, not_checked_rules, only_rules, outcomes
from selftests.reporting import run_folders

# Generous for healthy answers on a loaded CI machine; the hang tests choose a short one.
SANDBOX = ("-m", "live", "--sandbox", "--read-timeout", "5", "--connect-timeout", "5")
# The runs about the network itself look at the portal without a browser (the browser's rules
# then warn "checked without a browser"); those about what a browser sees start one where it is
# installed, and are marked `browser` (deselect them with -m "not browser": no Chromium starts).
LIVE = (*SANDBOX, "--no-browser")
BROWSER_LIVE = (*SANDBOX, *BROWSER_ARGS)
OFFLINE = ("-m", "not live")
HTTP_RULES = tuple(r for r in NETWORK_RULES if r not in BROWSER_RULES)
# What a healthy network rule ends as without a browser: passed, or (its rules) that warning.
WARNED_WITHOUT_BROWSER = frozenset({"passed", "warned"})
HANG = ("--read-timeout", "1")
# The rules whose live variants read the portal's settings.
SETTINGS_READERS = (
    "settings-24-27",
    "option-127",
    "setting-131",
    "operator-number",
    "endpoint-settings",
    "rtdr",
    "data-pump",
    "token-login",
)

# The faults in time and size, each with the bounds its run is given (the hang tests a short read
# timeout, the drip a short call deadline, the hung iFrame the browser's bound).
BOUNDS: dict[str, tuple[str, ...]] = {
    "rtdr-hang": HANG,
    "cis-hang": HANG,
    "slow-drip": ("-o", "call_deadline=2", "--read-timeout", "1"),  # the ini key
    "iframe-hang": ("--call-deadline", "6"),  # the browser's bound (and the sign-in's)
}
# A host that never answers costs one wait per run: the first test to call it waits out its bound,
# and every later call to it is not sent (counted, not timed: a loaded machine cannot break it).
ONE_WAIT_PER_RUN = ("rtdr-hang", "cis-hang", "slow-drip")
NOT_SENT = "was not sent"


# Faults only a browser sees (its rules pass them): the page's own script, a never-idle page.
SEEN_IN_A_BROWSER = ("iframe-by-script", "never-idle")


def in_a_browser(scenario: Fault) -> bool:
    """Whether a scenario is about what a browser sees: a fault of the browser's rules."""
    touched = {*scenario.fails, *(scenario.fails_without_browser or ()), *scenario.not_checked}
    return bool(touched & set(BROWSER_RULES)) or scenario.name in SEEN_IN_A_BROWSER


def scenario_params(scenarios: list[Fault]) -> list[object]:
    """The scenarios as parameters, those about what a browser sees marked `browser`."""
    return [
        pytest.param(s, id=s.name, marks=[pytest.mark.browser] if in_a_browser(s) else [])
        for s in scenarios
    ]


# What a browser recorded, one scenario per shape of view (a redirect, an error status of the
# iFrame and of the page, an origin refused); the others record the same shapes, and
# test_browser.py replays the healthy portal and text in a comment.
REPLAYED_IN_A_BROWSER = ("signin-redirect", "iframe-404", "page-500", "page-off-portal")


def replayed(scenario: Fault) -> bool:
    """Whether the recording self-test replays this scenario."""
    if not scenario.replayable:
        return False
    return not in_a_browser(scenario) or scenario.name in REPLAYED_IN_A_BROWSER


def waits(found: dict[str, Outcome]) -> list[str]:
    """The network tests that waited for a host that never answered (not those told at once)."""
    return [
        name
        for name, o in network_only(found).items()
        if o.outcome == "not checked" and NOT_SENT not in o.text
    ]


@pytest.fixture
def demo(biller_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    return write_biller(biller_dir, fast_demo())


@pytest.fixture
def fixtures_dir(biller_dir: Path) -> Path:
    """The run's fixture folder, emptied: what a test finds there, it recorded itself."""
    folder = biller_dir.parent / "fixtures"
    shutil.rmtree(folder, ignore_errors=True)
    return folder


@pytest.fixture
def rehearsal_fixtures(biller_dir: Path) -> tuple[str, ...]:
    """A rehearsal records apart from the committed fixtures (and the offline run reads there)."""
    return (f"--fixtures-dir={biller_dir.parent / 'rehearsal-fixtures'}",)


@pytest.mark.browser
def test_rehearsal_passes_every_rule_on_the_healthy_sandbox(
    run_suite: RunSuite, demo: Path
) -> None:
    result = run_suite(*BROWSER_LIVE, "-k", "live")
    result.stdout.fnmatch_lines(
        [
            "*; mode rehearsal: REHEARSAL against the local sandbox at 127.0.0.1:* (faults: none); "
            "NOT VALID FOR SIGN-OFF whatever the results (a rehearsal against the local sandbox)"
        ]
    )
    found = outcomes(result)
    after_go_live = found.pop(
        "tests/test_configuration.py::test_production_matches_test[demo-test-live]"
    )
    assert after_go_live.outcome == "skipped"  # shown with --env=production, below
    warned = {o.rule: o.text for o in found.values() if o.outcome == "warned"}
    assert {o.outcome for o in found.values()} == {"passed", "warned"}, found
    # the sandbox's own DNS answers loopback, and says so; without a browser, so do those rules
    assert set(warned) == {"public-dns", *(() if WITH_BROWSER else BROWSER_RULES)}
    assert "loopback address accepted because this is a rehearsal" in warned["public-dns"]
    assert {o.rule for o in found.values() if o.outcome in HEALTHY} >= {
        *NETWORK_RULES,
        "endpoint-tls",
    }
    assert {o.mode for o in found.values()} == {"rehearsal"}


@pytest.mark.parametrize("scenario", scenario_params(list(SCENARIOS.values())))
def test_each_scenario_fails_exactly_its_rules(
    run_suite: RunSuite, demo: Path, scenario: Fault
) -> None:
    browser = WITH_BROWSER and in_a_browser(scenario)
    bounds = BOUNDS.get(scenario.name, ())
    # in the sandbox's production, writes are deliberate: the rules run as after go-live
    writes = ("--allow-production-writes",) if scenario.environment == "production" else ()
    chosen = ("--sandbox-scenario", scenario.name, f"--env={scenario.environment}", *writes)
    live = BROWSER_LIVE if browser else LIVE
    found = outcomes(run_suite(*live, *bounds, *chosen, "-k", "live"))
    if scenario.name in ONE_WAIT_PER_RUN:  # within its bound, not one bound per test that asks
        assert len(waits(found)) == 1, waits(found)
    assert [n for n, o in found.items() if o.outcome == "error"] == []
    if scenario.name == "slow-iframe":  # in a test environment a slow iFrame is a warning
        assert failed_rules(found) == set()
        (lag,) = [o for o in network_only(found).values() if o.rule == "iframe-lag"]
        assert lag.outcome == "warned"
        assert "The Capricorn iFrame bill-view took" in lag.text
        return
    failing = scenario.failing(browser)
    assert failed_rules(found) == set(failing)
    assert not_checked_rules(found) == set(scenario.not_checked)
    if not failing and not scenario.not_checked:  # normalised away, or a fault only the raw
        # check (or a browser) is fooled by
        assert {o.outcome for o in found.values()} <= {"passed", "warned", "skipped"}
        return
    first = (*failing, *scenario.not_checked)[0]
    texts = [o.text for o in found.values() if o.outcome != "passed" and o.rule == first]
    assert any(scenario.says(browser) in text for text in texts), texts
    for outcome in found.values():  # the checklist's troubleshooting is for verdicts only
        if outcome.outcome == "not checked":
            assert "Troubleshooting:" not in outcome.text
            assert "The checklist's troubleshooting, answered" not in outcome.text


@pytest.mark.browser
def test_a_slow_iframe_fails_in_production(run_suite: RunSuite, demo: Path) -> None:
    found = outcomes(
        run_suite(
            *BROWSER_LIVE, "--env=production", "--sandbox-scenario=slow-iframe", "-k", "iframe"
        )
    )
    (outcome,) = [o for o in found.values() if o.mode == "rehearsal"]
    assert outcome.outcome == "failed"
    assert "The Capricorn iFrame bill-view took" in outcome.text
    assert "to load inside /Billing (from navigation to the iFrame's load event" in outcome.text
    assert "at most 2.5 s (max_seconds)" in outcome.text
    seconds = float(re.search(r"took (\d+\.\d+) s", outcome.text)[1])  # type: ignore[index]
    assert seconds >= 1.25  # the sandbox holds the iFrame back 1.25 s; the page itself is quick


def test_rtdr_failure_shows_the_troubleshooting_results(run_suite: RunSuite, demo: Path) -> None:
    found = outcomes(run_suite(*LIVE, "--sandbox-scenario=endpoint-drift", "-k", "rtdr and live"))
    text = next(iter(found.values())).text
    assert "The checklist's troubleshooting, answered for demo / test:" in text
    assert "endpoint-settings: FAILED: Advanced Setting 20 is not an endpoint S&S provided" in text
    assert "operator-number: passed" in text
    assert (
        "public-dns enquesta-test.demo.example.com: passed: enquesta-test.demo.example.com" in text
    )
    assert "Evidence (trimmed, secrets redacted):" in text


def test_token_login_failure_shows_settings_24_27(run_suite: RunSuite, demo: Path) -> None:
    found = outcomes(run_suite(*LIVE, "--sandbox-scenario=token2-missing", "-k", "token and live"))
    (outcome,) = found.values()
    assert "settings-24-27: passed: Advanced Settings 24-27 are all set" in outcome.text


def test_a_hung_host_costs_one_timeout_per_run_and_later_calls_cite_it(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(
        run_suite(*LIVE, *HANG, "--sandbox-scenario=cis-hang", "-k", "(rtdr or data_pump) and live")
    )
    first, *later = found.values()  # in the order they ran
    host = "enquesta-test.demo.example.com"
    assert first.name == "test_rtdr[demo-test-100234-live]"
    assert first.outcome == "not checked"  # no answer is no verdict
    assert "no answer within 1 s (--read-timeout)" in first.text
    assert len(later) == 4  # the second RTDR account and the three transmissions
    for outcome in later:
        assert outcome.outcome == "not checked"
        assert f"was not sent: {host} did not answer earlier in this run" in outcome.text
        assert f"{host} did not answer at " in outcome.text
        assert " UTC in test_rtdr[demo-test-100234-live]: POST https://" in outcome.text
        assert "no answer within 1 s (--read-timeout)" in outcome.text  # what happened first


def test_each_parallel_worker_keeps_its_own_dead_hosts(run_suite: RunSuite, demo: Path) -> None:
    """Per process: under -n 2 each worker that calls the hung host pays its timeout once."""
    found = outcomes(
        run_suite(*LIVE, *HANG, "--sandbox-scenario=cis-hang", "-n", "2", "-k", "live")
    )
    assert 1 <= len(waits(found)) <= 2, waits(found)  # one per worker that called it
    assert not_checked_rules(network_only(found)) == {"rtdr", "data-pump", "token-login"}
    assert failed_rules(network_only(found)) == set()
    timed_out = [o for o in found.values() if "was not sent" not in o.text and o.rule == "rtdr"]
    assert all("no answer within 1 s (--read-timeout)" in o.text for o in timed_out)


def test_a_host_that_answers_an_error_is_asked_by_every_test(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(run_suite(*LIVE, "--sandbox-scenario=rtdr-500", "-k", "live"))
    assert failed_rules(network_only(found)) == {"rtdr"}
    assert all("was not sent" not in o.text for o in found.values())


def test_refused_portal_credentials_are_named_not_taken_for_the_network(
    run_suite: RunSuite, demo: Path, biller_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]))  # knows the canary password
    monkeypatch.setenv("DEMO_TEST_PASSWORD", "a-wrong-password")
    # the sandbox's hosts in a DNS of its own: the troubleshooting's public-dns asks it
    address = sandbox.address
    zone = {host: Host(addresses=(address.address,)) for host, _ in address.hosts}
    try:
        with LocalDns(zone) as dns:
            options = shlex.split(address.pytest_command(["demo"], dns.nameserver))[4:]
            chosen = ("-k", "live and not dns and not tls")
            found = outcomes(run_suite("-m", "live", *options, *chosen))
    finally:
        sandbox.stop()
    refused = "refused the credentials (HTTP 401 Unauthorized): the portal credentials in "
    failed = [o for o in found.values() if o.outcome == "failed"]
    assert {o.rule for o in failed} >= {"rtdr", "data-pump", "token-login", "option-127"}
    for outcome in failed:
        if outcome.rule in ("custom-code", "iframe-lag"):  # the browser signs in with a form
            assert "the portal did not accept the test user's sign-in" in outcome.text
        else:
            assert refused + "environments.test.credentials were not accepted" in outcome.text
        assert "no answer" not in outcome.text


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(None, id="healthy", marks=pytest.mark.browser),
        *scenario_params([s for s in SCENARIOS.values() if replayed(s)]),
    ],
)
def test_a_recording_replays_to_the_verdicts_of_its_live_run(
    run_suite: RunSuite,
    demo: Path,
    rehearsal_fixtures: tuple[str, ...],
    scenario: Fault | None,
) -> None:
    browser = WITH_BROWSER and (scenario is None or in_a_browser(scenario))
    chosen = ("--sandbox-scenario", scenario.name) if scenario else ()
    recording = ("--record-fixtures", *rehearsal_fixtures, "-k", "live")
    live = outcomes(run_suite(*(BROWSER_LIVE if browser else LIVE), *chosen, *recording))
    offline = outcomes(run_suite(*OFFLINE, *rehearsal_fixtures))
    # without a browser, nothing of the browser's rules was recorded to replay
    looked = NETWORK_RULES if browser else HTTP_RULES
    network = {n: o.outcome for n, o in only_rules(live, looked).items()}
    assert network, "the live run checked no network rule"
    replayed = {without_mode(n): o.outcome for n, o in only_rules(offline, looked).items()}
    assert {without_mode(n): v for n, v in network.items()} == replayed
    if scenario:
        assert failed_rules(only_rules(offline, looked)) == set(scenario.failing(browser))


@pytest.mark.browser
def test_a_recorded_redirect_replays_naming_where_it_leads(
    run_suite: RunSuite, demo: Path, biller_dir: Path, rehearsal_fixtures: tuple[str, ...]
) -> None:
    recording = ("--record-fixtures", *rehearsal_fixtures)
    chosen = ("--sandbox-scenario=signin-redirect", "-k", "custom and live")
    run_suite(*BROWSER_LIVE, *chosen, *recording)
    recorded = biller_dir.parent / "rehearsal-fixtures" / "demo" / "test.browser.yaml"
    assert "/login" in recorded.read_text()  # where the browser landed
    replayed = outcomes(run_suite("-k", "custom_code", *rehearsal_fixtures)).values()
    assert len(replayed) == 2  # the demo's two custom code items
    for outcome in replayed:
        assert outcome.outcome == "failed"
        assert "redirected to /login: the portal asked to sign in" in outcome.text
        assert "check the portal credentials in environments.test.credentials" in outcome.text


def test_recorded_fixtures_hold_no_secret_or_token(
    run_suite: RunSuite, demo: Path, biller_dir: Path, rehearsal_fixtures: tuple[str, ...]
) -> None:
    result = run_suite(
        *LIVE, "--record-fixtures", *rehearsal_fixtures, "--sandbox-scenario=tokens-not-accepted"
    )
    written = "".join(
        p.read_text() for p in (biller_dir.parent / "rehearsal-fixtures").rglob("*.yaml")
    )
    assert "recorded-token1" in written
    assert "recorded-token2" in written
    output = result.stdout.str() + result.stderr.str()
    assert "S&S did not accept Token1/Token2 back" in output  # the failure was shown
    for value in CANARIES.values():
        assert value not in written
        assert value not in output


def test_an_unrecorded_request_is_not_checked_naming_it_the_file_and_the_command(
    run_suite: RunSuite, demo: Path, fixtures_dir: Path
) -> None:
    found = outcomes(run_suite("-k", "rtdr"))
    fixture = fixtures_dir / "demo" / "test.http.yaml"
    for outcome in found.values():
        assert outcome.outcome == "not checked"
        assert "Not checked: not recorded yet." in outcome.text
        assert (
            "offline run: no recorded answer for POST "
            "https://enquesta-test.demo.example.com/CISService/RTDR; nothing was sent"
            in outcome.text
        )
        assert f"where:    {fixture}: no such recording" in outcome.text
        assert "pytest --biller=demo -m live --record-fixtures" in outcome.text
        assert "Troubleshooting:" not in outcome.text


def test_production_writes_are_not_checked_without_the_flag_naming_it(
    run_suite: RunSuite, demo: Path
) -> None:
    chosen = ("-k", "(data_pump or token_login) and live")
    found = outcomes(run_suite(*LIVE, "--env=production", *chosen))
    assert {o.rule for o in found.values()} == {"data-pump", "token-login"}  # the same way
    assert {o.outcome for o in found.values()} == {"not checked"}
    for outcome in found.values():
        assert (
            "Not checked: a write to production, sent only with --allow-production-writes."
            in outcome.text
        )
        assert "rerun with --allow-production-writes" in outcome.text
        assert "endpoint-settings" not in outcome.text  # the setting is right: it is production
    allowed = outcomes(run_suite(*LIVE, "--env=production", "--allow-production-writes", *chosen))
    assert {o.outcome for o in allowed.values()} == {"passed"}


@pytest.mark.linux_only  # stopped with SIGINT, as Ctrl-C does
def test_the_standalone_sandbox_prints_the_command_of_a_rehearsal(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    command = [sys.executable, "-m", "conversion_qa.sandbox", "--biller-dir", str(biller_dir)]
    process = subprocess.Popen(
        [*command, "--biller", "demo"],
        stdout=subprocess.PIPE,
        text=True,
        # started as a background job is, with SIGINT ignored: Ctrl-C must stop it all the same
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:  # each line as the sandbox prints it: no waiting by the clock
            printed.append(line.strip())
            if line.startswith("Ctrl-C"):
                break
        pytest_command = next(line for line in printed if line.startswith("pytest "))
        assert pytest_command.startswith("pytest --biller=demo -m live --ca-bundle=")
        options = shlex.split(pytest_command)[4:]  # after: pytest --biller=demo -m live
        found = outcomes(run_suite("-m", "live", *options, "--no-browser", "-k", "live"))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)  # a bound for a hung stop only: a loaded machine is slow
    assert process.returncode == 0
    assert {o.outcome for o in network_only(found).values()} <= WARNED_WITHOUT_BROWSER
    dns_tls = [o.outcome for o in found.values() if o.rule in ("public-dns", "endpoint-tls")]
    assert sorted(set(dns_tls)) == ["passed", "warned"]  # TLS holds; DNS: loopback, said so


def test_without_the_sandbox_ca_tls_verification_fails(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]))
    try:
        resolve = sandbox.address.resolve_arguments()
        found = outcomes(run_suite("-m", "live", *resolve, "-k", "rtdr and live"))
    finally:
        sandbox.stop()
    for outcome in found.values():
        assert outcome.outcome == "not checked"
        assert "TLS failed" in outcome.text


def test_an_unknown_scenario_is_a_usage_error(run_suite: RunSuite, demo: Path) -> None:
    result = run_suite(*LIVE, "--sandbox-scenario", "no-such-fault")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "no sandbox scenario 'no-such-fault'; known: rtdr-500" in result.stderr.str()


def test_a_recording_made_by_parallel_workers_is_whole(
    run_suite: RunSuite, demo: Path, rehearsal_fixtures: tuple[str, ...]
) -> None:
    recording = ("--record-fixtures", *rehearsal_fixtures, "-n", "2", "-k", "live")
    live = network_only(outcomes(run_suite(*LIVE, *recording)))
    offline = network_only(outcomes(run_suite(*OFFLINE, *rehearsal_fixtures)))
    assert {o.outcome for o in live.values()} <= WARNED_WITHOUT_BROWSER
    assert {o.outcome for o in only_rules(offline, HTTP_RULES).values()} == {"passed"}
    assert len(only_rules(offline, HTTP_RULES)) == len(only_rules(live, HTTP_RULES))


def test_a_wrong_setting_offline_skips_rtdr_pointing_at_endpoint_settings(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    data = fast_demo()
    production_cis = data["environments"]["production"]["endpoints"]["cis_service"]
    data["environments"]["test"]["advanced_settings"]["20"] = production_cis
    write_biller(biller_dir, data)
    found = outcomes(run_suite("-k", "rtdr or data_pump"))
    assert {o.outcome for o in found.values()} == {"skipped"}
    for outcome in found.values():
        assert f"Advanced Setting 20 is {production_cis} (see endpoint-settings" in outcome.text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--sandbox",), "--sandbox rehearses a live run: add -m live"),
        (("--resolve", "host-without-port"), "--resolve host-without-port: write HOST:PORT"),
        (("--read-timeout", "0"), "--read-timeout 0.0: give a positive number"),
        (("--call-deadline", "0"), "--call-deadline 0.0: give a positive number"),
        (("--max-answer-bytes", "0"), "--max-answer-bytes 0: give a positive number"),
        (("-o", "max_answer_bytes=lots"), "ini max_answer_bytes = 'lots' is not a valid value"),
    ],
)
def test_wrong_network_options_are_usage_errors(
    run_suite: RunSuite, demo: Path, arguments: tuple[str, ...], message: str
) -> None:
    result = run_suite(*arguments)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


@pytest.mark.browser  # the browser's agent names the suite too
def test_live_calls_name_the_suite_use_test_accounts_only_and_never_show_a_token(
    run_suite: RunSuite, demo: Path, biller_dir: Path, fixtures_dir: Path
) -> None:
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]), ["tokens-not-accepted"])
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        recording = ("--record-fixtures", f"--fixtures-dir={fixtures_dir}")
        chosen = ("-k", "live and not public_dns")  # its DNS is not the sandbox's here
        result = run_suite("-m", "live", *options, *BROWSER_ARGS, *recording, *chosen)
    finally:
        sandbox.stop()
    # the HTTP clients are conversion-qa; the browser is Chrome's own agent, naming the suite
    agent = f"conversion-qa/{__version__}"
    assert {seen.user_agent for seen in sandbox.seen if "Chrome" not in seen.user_agent} == {agent}
    assert all(
        seen.user_agent.endswith(f" {agent}") for seen in sandbox.seen if seen.user_agent != agent
    )
    accounts = {seen.body["AccountId"] for seen in sandbox.seen if "AccountId" in seen.body}
    accounts |= {a for seen in sandbox.seen for a in seen.body.get("AccountIds", [])}
    assert accounts == {"100234", "100235"}  # the demo's test accounts, and only those
    tokens = [t for pair in sandbox.tokens.items() for t in pair]
    assert tokens, "no token was issued"
    shown = result.stdout.str() + "".join(p.read_text() for p in fixtures_dir.rglob("*.yaml"))
    assert "S&S did not accept Token1/Token2 back" in shown
    assert [t for t in tokens if t in shown] == []


SETTINGS = ("environments", "test", "advanced_settings")


@pytest.mark.parametrize(
    ("path", "value", "skipped", "cause"),
    [
        ((*SETTINGS, "131"), '= {SystemsAndSoftware": {}}', {"rtdr"}, "(see setting-131)"),
        ((*SETTINGS, "12"), None, {"rtdr", "data-pump"}, "(see operator-number)"),
        ((*SETTINGS, "25"), None, {"token-login"}, "(see settings-24-27)"),
        (("tender_types",), [], {"data-pump"}, "(see tender-types)"),
    ],
    ids=["setting-131", "operator-number", "setting-25", "no-tender-types"],
)
def test_a_network_rule_waits_for_the_setting_it_needs(
    run_suite: RunSuite,
    biller_dir: Path,
    path: tuple[str, ...],
    value: object,
    skipped: set[str],
    cause: str,
) -> None:
    data = fast_demo()
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    write_biller(biller_dir, data)
    found = network_only(outcomes(run_suite()))
    assert failed_rules(found) == set()
    waiting = [o for o in found.values() if o.outcome == "skipped"]
    assert {o.rule for o in waiting} == skipped
    assert all(cause in o.text for o in waiting)


def test_a_secret_not_set_stops_the_live_run_naming_the_variable(
    run_suite: RunSuite, biller_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CQA_SELFTEST_UNSET_USER", raising=False)
    data = fast_demo()
    data["environments"]["test"]["credentials"]["username"] = "${CQA_SELFTEST_UNSET_USER}"
    write_biller(biller_dir, data)
    result = run_suite(*LIVE, "-k", "token and live")
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # before any test: nothing was sent
    assert "export CQA_SELFTEST_UNSET_USER='...'" in result.stderr.str()


# One settings read per biller and environment per run (per xdist worker) ------------------------


def settings_reads(sandbox: Sandbox) -> dict[str, int]:
    """How often each portal's settings were read, by portal host."""
    return {c.host: n for c, n in sandbox.calls().items() if c.path == portal.SETTINGS_PATH}


def two_billers(biller_dir: Path) -> list[Biller]:
    """The demo biller and a twin with host names of its own."""
    write_biller(biller_dir, yaml.safe_dump(fast_demo()).replace("demo", "twin"), name="twin")
    return load_billers(biller_dir, ["demo", "twin"])


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "n2"])
def test_a_live_run_reads_each_portal_s_settings_once_for_all_its_tests(
    run_suite: RunSuite, demo: Path, biller_dir: Path, fixtures_dir: Path, workers: tuple[str, ...]
) -> None:
    sandbox = Sandbox.start(two_billers(biller_dir))
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo", "twin"]))[4:]
        found = outcomes(
            run_suite(
                "-m",
                "live",
                *options,
                "--env=test,production",
                "--allow-production-writes",  # the sandbox's production: token-login writes
                "--record-fixtures",
                f"--fixtures-dir={fixtures_dir}",
                *workers,
                "-k",
                "live and not public_dns",
            )
        )
    finally:
        sandbox.stop()
    readers = [o for o in found.values() if o.rule in SETTINGS_READERS]
    assert {o.outcome for o in readers} <= {"passed", "skipped"}, readers
    assert len({(o.test_id.split("-")[0], o.test_id.split("-")[1]) for o in readers}) == 4
    reads = settings_reads(sandbox)
    portals = {"demo-test", "demo", "twin-test", "twin"}
    assert set(reads) == {f"{name}.portal.example.com" for name in portals}
    most = 2 if workers else 1  # each xdist worker reads once, if it runs a test that needs it
    assert all(1 <= n <= most for n in reads.values()), reads
    recorded = (fixtures_dir / "demo" / "test.http.yaml").read_text()
    assert "url: https://demo-test.portal.example.com/api/configuration" in recorded


def test_a_failed_settings_read_fails_each_asking_test_alike_without_asking_again(
    run_suite: RunSuite, demo: Path, biller_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]))
    monkeypatch.setenv("DEMO_TEST_PASSWORD", "not-the-sandbox-password")  # the portal refuses
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        found = outcomes(run_suite("-m", "live", *options, "-k", "live and not public_dns"))
    finally:
        sandbox.stop()
    assert settings_reads(sandbox) == {"demo-test.portal.example.com": 1}
    readers = [o for o in found.values() if o.rule in SETTINGS_READERS]
    assert len(readers) > 5
    assert {o.outcome for o in readers} == {"failed"}, readers
    first = next(o for o in readers if o.rule == "option-127")
    url = "https://demo-test.portal.example.com/api/configuration"
    error = next(line for line in first.text.splitlines() if url in line)
    assert all(error in o.text for o in readers)  # the same error, told to each asking test
    network = [o for o in readers if o.rule in NETWORK_RULES]
    assert network
    assert all(f"GET {url}" in o.text for o in network)  # shown as evidence


# Waivers cover their rule's verdict, not a service that could not be reached ------------------

WAIVERS = [
    {
        "rule": "iframe-lag",
        "item": "bill-view",
        "justification": "CDN cut-over after go-live",
        "expires": WITHIN_A_YEAR,
    },
    {
        "rule": "option-127",
        "justification": "S&S enables 127 on Saturday",
        "expires": WITHIN_A_YEAR,
    },
]


def test_a_waiver_does_not_cover_a_rule_that_could_not_be_checked(
    run_suite: RunSuite, demo: Path, biller_dir: Path, report_dir: Path
) -> None:
    data = fast_demo()
    data["waivers"] = WAIVERS
    write_biller(biller_dir, data)
    sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]))
    portal_host = "demo-test.portal.example.com"
    # bound and never listening: a connection to it is refused at once
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        unreachable = f"--resolve={portal_host}:443:127.0.0.1:{closed.getsockname()[1]}"
        resolve = [
            f"--resolve={value}"
            for value in sandbox.address.resolve_values()
            if not value.startswith(f"{portal_host}:")
        ]
        try:
            found = outcomes(
                run_suite(
                    "-m",
                    "live",
                    f"--ca-bundle={sandbox.address.ca_bundle}",
                    *resolve,
                    unreachable,
                    "-k",
                    "(iframe_lag or option_127) and live",
                )
            )
        finally:
            sandbox.stop()
    assert {o.rule: o.outcome for o in found.values()} == {
        "iframe-lag": "not checked",
        "option-127": "not checked",
    }
    for outcome in found.values():
        assert "Not checked: no answer from the portal" in outcome.text
        assert "does not apply: it accepts the rule's verdict" in outcome.text
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    signoff = (folder / "signoff.html").read_text(encoding="utf-8")
    assert 'data-rule="iframe-lag" data-status="not-checked"' in signoff
    assert 'data-rule="option-127" data-status="not-checked"' in signoff
    assert "expired" not in signoff


def test_the_same_waiver_still_covers_its_rule_s_verdict(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    data = fast_demo()
    data["waivers"] = WAIVERS
    write_biller(biller_dir, data)
    found = outcomes(
        run_suite(
            *LIVE,
            "--sandbox-scenario=slow-iframe",
            "--sandbox-scenario=setting-drift",
            "--env=production",
            "--allow-production-writes",
            "-k",
            "(iframe_lag or option_127) and live",
        )
    )
    assert {o.rule: o.outcome for o in found.values()} == {
        "iframe-lag": "waived",
        "option-127": "waived",
    }
