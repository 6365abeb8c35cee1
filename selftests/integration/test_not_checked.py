"""A test that could not look is not checked, not failed: what a PM reads of an outage, of secrets
not set, of a biller not recorded yet, of a waiver that did not apply, and of sandbox options
given without the sandbox. Run as a user runs the suite; the self-tests run in a network
namespace with only loopback (.ci/run), which is what a laptop with no route looks like.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conversion_qa.report.archive import JUNIT, SIGNOFF
from conversion_qa.rules.catalogue import RULES, Kind, Source
from selftests.helpers import WITHIN_A_YEAR, RunSuite, demo_data, write_biller
from selftests.outcomes import Outcome, outcomes
from selftests.reporting import WAIVER, board_row, run_folders, run_project, summary_of

# Nothing answers: a documentation address (never routed) as the nameserver, and host names the
# machine's resolver cannot look up from here. A short connect timeout bounds the probe anyway.
OFFLINE_LIVE = ("-m", "live", "--dns-nameserver=192.0.2.1", "--connect-timeout=1")
NETWORK_RULES = {r.id for r in RULES if r.live_source in (Source.PORTAL, Source.NETWORK)}
CALLING_RULES = {r.id for r in RULES if r.kind in (Kind.NETWORK, Kind.DNS)}  # offline: recordings


def network_tests(found: dict[str, Outcome]) -> dict[str, Outcome]:
    return {n: o for n, o in found.items() if o.rule in NETWORK_RULES and o.mode == "live"}


@pytest.mark.browser
@pytest.mark.parametrize("parallel", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_live_run_where_nothing_answers_is_one_sentence_and_rules_not_checked(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, parallel: tuple[str, ...]
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite(*OFFLINE_LIVE, *parallel)
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # outstanding, for CI and -x alike
    found = outcomes(result)
    checked = network_tests(found)
    after_go_live = {o.outcome for o in checked.values() if o.rule == "production-matches-test"}
    assert after_go_live == {"skipped"}  # does not apply to a test run
    unchecked = {n: o for n, o in checked.items() if o.rule != "production-matches-test"}
    assert {o.rule for o in unchecked.values()} == NETWORK_RULES - {"production-matches-test"}
    assert {o.outcome for o in unchecked.values()} == {"not checked"}
    assert [o for o in found.values() if o.outcome == "failed"] == []
    text = result.stdout.str()
    sentence = (
        "nothing answered within 1 s (--connect-timeout): no nameserver (192.0.2.1:53), no host "
        "of demo's test environment (demo-test.portal.example.com, "
        "enquesta-test.demo.example.com); are you offline or off the VPN?"
    )
    assert text.count(sentence) == 1  # said once, not once per test
    assert "Troubleshooting:" not in text  # the checklist's advice is for verdicts
    assert "FAILED" not in text
    said = rf"=+ .*\b{len(unchecked)} not checked\b.* in [\d.]+s"
    assert re.search(said, text), text[-600:]

    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    rules = [r["id"] for r in data["rules"] if r["status"] == "not-checked"]
    assert data["signoff"]["reasons"] == [
        f"rules not checked: {', '.join(rules)} (nothing answered: offline, or off the VPN?)"
    ]
    assert [r["id"] for r in data["rules"] if r["status"] == "failed"] == []
    assert data["counts"]["not-checked"] == len(unchecked)
    assert data["counts"]["failed"] == 0
    errors = [
        case.find("error")
        for case in ET.parse(folder / JUNIT).getroot().iter("testcase")
        if case.find("error") is not None
    ]
    assert len(errors) == len(unchecked)
    assert {e.get("type") for e in errors if e is not None} == {"not checked"}
    assert ET.parse(folder / JUNIT).getroot().find(".//failure") is None
    row = board_row(report_dir, "demo")
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert ("live-test", "rtdr (not checked: nothing answered: offline, or off the VPN?)") in (
        row.outstanding
    )
    assert all("(failed)" not in item for _, item in row.outstanding)


def test_every_secret_a_live_run_needs_is_named_at_once_before_anything_is_sent(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    data = demo_data()
    test = data["environments"]["test"]
    test["advanced_settings"]["26"] = "${NEWBIE_PAYCONNECT_SECRET}"
    test["credentials"] = {"username": "${NEWBIE_TEST_USER}", "password": "${NEWBIE_TEST_PASS}"}
    write_biller(biller_dir, data)
    result = run_suite("-m", "live", "--sandbox")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    said = result.stderr.str()
    assert "this live run needs 3 environment variables that are not set; nothing was sent" in said
    for variable in ("NEWBIE_PAYCONNECT_SECRET", "NEWBIE_TEST_USER", "NEWBIE_TEST_PASS"):
        assert f"export {variable}='...'" in said  # bash, zsh
        assert f'$env:{variable} = "..."' in said  # PowerShell
    assert "demo.yaml:" in said
    assert "environments.test.credentials.username" in said
    assert not report_dir.exists()  # no test ran, nothing was archived

    offline = run_suite()  # an offline run sends no secret: it needs none
    assert offline.ret == pytest.ExitCode.OK


def test_a_biller_not_recorded_yet_is_not_checked_with_the_command_once(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    data = demo_data()
    data["biller"] = "newbie"
    write_biller(biller_dir, data)
    result = run_suite("--biller=newbie")
    found = outcomes(result)
    network = {n: o for n, o in found.items() if o.rule in CALLING_RULES}
    assert {o.rule for o in network.values()} == CALLING_RULES
    assert {o.outcome for o in network.values()} == {"not checked"}
    assert [o.rule for o in found.values() if o.outcome == "failed"] == []
    text = result.stdout.str()
    assert text.count("pytest --biller=newbie -m live --record-fixtures") == 1
    assert "not recorded yet" in text
    assert "Ask S&S to create the public DNS record" not in text
    assert all("Troubleshooting:" not in o.text for o in network.values())


@pytest.mark.parametrize(
    "option",
    [("--sandbox-scenario", "rtdr-500"), ("--sandbox-latency", "0.1")],
    ids=["scenario", "latency"],
)
def test_sandbox_options_without_the_sandbox_are_refused(
    run_suite: RunSuite, biller_dir: Path, option: tuple[str, str]
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite("-m", "live", *option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    said = result.stderr.str()
    assert f"{option[0]}" in said
    assert "need --sandbox" in said or "needs --sandbox" in said
    assert "without it the run goes to the real systems" in said


NOT_CHECKED_WAIVED = """
import pytest
from conversion_qa.plugin import require
from conversion_qa.rules.verdict import NotChecked

@pytest.mark.rule("iframe-lag")
def test_iframe_lag(case):
    require(NotChecked(
        reason="no answer from the portal",
        detail="GET https://demo-test.portal.example.com/Billing: no answer within 1 s",
        fix="check this machine is online",
    ))
"""


@pytest.mark.parametrize("expires", [WITHIN_A_YEAR, "2020-01-31"], ids=["in-date", "past-date"])
def test_a_waiver_matching_a_test_not_checked_is_not_applicable_whatever_its_date(
    pytester: pytest.Pytester, biller_dir: Path, report_dir: Path, expires: str
) -> None:
    data = demo_data()
    data["waivers"] = [
        {"rule": "iframe-lag", "item": "bill-view", "justification": WAIVER, "expires": expires}
    ]
    write_biller(biller_dir, data)
    result = run_project(pytester, biller_dir, report_dir, NOT_CHECKED_WAIVED)
    (outcome,) = outcomes(result).values()
    assert outcome.outcome == "not checked"  # a waiver accepts a verdict; there was none
    assert "does not apply" in outcome.text
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    assert [w["state"] for w in data["waivers"]] == ["not applicable"]
    everywhere = [
        result.stdout.str(),
        json.dumps(data),
        (folder / SIGNOFF).read_text(encoding="utf-8"),
        (report_dir / "index.html").read_text(encoding="utf-8"),
    ]
    assert all(re.search(r"\bexpired\b", text) is None for text in everywhere)
    assert "rules not checked: iframe-lag (no answer from the portal)" in data["signoff"]["reasons"]
