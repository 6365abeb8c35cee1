"""The plugin as a user meets it: selection, ids, waivers, live variants, secrets, parallel runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selftests.helpers import REPO, WITHIN_A_YEAR, RunSuite, SuiteRun, demo_data, write_biller

Suite = Callable[..., SuiteRun]
CHECKLIST_131 = '= {SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'


def two_billers(folder: Path) -> None:
    write_biller(folder, demo_data())
    other = demo_data()
    other["biller"] = "north"
    other["multi_user"] = False
    write_biller(folder, other)


def test_ids_name_rule_biller_environment_and_item(biller_dir: Path, suite: Suite) -> None:
    two_billers(biller_dir)
    outcomes = suite().outcomes
    assert "test_setting_131[demo-test]" in outcomes
    assert "test_tender_types[north-test-card]" in outcomes
    assert "test_endpoints_received[demo-test-payconnect_service]" in outcomes


def test_k_selects_by_rule_id_and_by_biller(biller_dir: Path, suite: Suite) -> None:
    two_billers(biller_dir)
    assert set(suite("-k", "setting-131").outcomes) == {
        "test_setting_131[demo-test]",
        "test_setting_131[north-test]",
    }
    by_biller = suite("-k", "north").outcomes
    assert by_biller
    assert all("[north-" in name for name in by_biller)


def test_biller_option_is_repeatable_and_comma_separated(biller_dir: Path, suite: Suite) -> None:
    two_billers(biller_dir)
    only_demo = suite("--biller=demo").outcomes
    assert only_demo
    assert all("[demo-" in name for name in only_demo)
    both = suite("--biller=demo,north").outcomes
    assert (
        both == suite("--biller=demo", "--biller=north").outcomes == suite("--biller=all").outcomes
    )
    assert any("[north-" in name for name in both)


def test_production_environment_is_chosen_by_option(biller_dir: Path, suite: Suite) -> None:
    write_biller(biller_dir, demo_data())
    outcomes = suite("--env=production").outcomes
    assert outcomes
    assert all("[demo-production" in name for name in outcomes)
    assert set(outcomes.values()) == {"passed"}


def test_missing_environment_fails_endpoints_received_and_says_so(
    biller_dir: Path, suite: Suite
) -> None:
    data = demo_data()
    del data["environments"]["production"]
    write_biller(biller_dir, data)
    run = suite("--env=production", "-k", "endpoints-received")
    assert set(run.outcomes.values()) == {"failed"}
    assert "The production environment is not in the biller file yet." in run.text


def test_live_variants_exist_only_when_m_names_live(biller_dir: Path, suite: Suite) -> None:
    write_biller(biller_dir, demo_data())
    offline = suite().outcomes
    assert not any(name.endswith("-live]") for name in offline)
    live = suite("-m", "live", "-k", "maintenance-window").outcomes
    assert live == {"test_maintenance_window[demo-test-live]": "passed"}
    both = suite("-m", "live or not live", "-k", "maintenance-window").outcomes
    assert set(both) == {
        "test_maintenance_window[demo-test]",
        "test_maintenance_window[demo-test-live]",
    }


def test_options_and_markers_are_documented(pytester: pytest.Pytester) -> None:
    help_text = pytester.runpytest_inprocess(f"--rootdir={REPO}", "--help").stdout.str()
    assert "conversion-qa: enQuesta v4 to v6 acceptance rules" in help_text
    for option in ("--biller=NAME", "--env=ENV", "--biller-dir=DIR", "--record-fixtures"):
        assert option in help_text
    assert "biller_dir (string):" in help_text
    markers = pytester.runpytest_inprocess(f"--rootdir={REPO}", "--markers").stdout.str()
    assert "@pytest.mark.live:" in markers
    assert "@pytest.mark.rule(id):" in markers


def option_127_disabled_and_waived(justification: str, expires: str) -> dict[str, Any]:
    data = demo_data()
    data["environments"]["test"]["options"]["127"] = False
    data["waivers"] = [{"rule": "option-127", "justification": justification, "expires": expires}]
    return data


def test_waiver_turns_a_failure_into_waived_with_its_justification(
    biller_dir: Path, suite: Suite
) -> None:
    justification = "S&S enables 127 during the weekend, ticket SNS-1182"
    write_biller(biller_dir, option_127_disabled_and_waived(justification, WITHIN_A_YEAR))
    run = suite()
    assert run.outcomes["test_option_127[demo-test]"] == "waived"
    assert "failed" not in run.outcomes.values()
    assert run.result.ret == 0
    assert "1 waived" in run.text
    assert (
        f"waived until {WITHIN_A_YEAR}: S&S enables 127 during the weekend, ticket SNS-1182"
        in run.text
    )


def test_waiver_for_another_item_does_not_apply(biller_dir: Path, suite: Suite) -> None:
    data = demo_data()
    data["environments"]["test"]["advanced_settings"]["25"] = ""
    data["waivers"] = [
        {
            "rule": "settings-24-27",
            "item": "26",
            "justification": "S&S issues the secret on Friday of the weekend",
            "expires": WITHIN_A_YEAR,
        }
    ]
    write_biller(biller_dir, data)
    assert suite().outcomes["test_settings_24_27[demo-test-25]"] == "failed"


def test_expired_waiver_no_longer_applies_and_says_so(biller_dir: Path, suite: Suite) -> None:
    data = option_127_disabled_and_waived("S&S enables 127 during the weekend", "2020-01-31")
    path = write_biller(biller_dir, data)
    run = suite()
    assert run.outcomes["test_option_127[demo-test]"] == "failed"
    line = path.read_text().splitlines().index("waivers:") + 2
    assert (
        f"A waiver for this ({path}:{line}) expired on 2020-01-31 and no longer applies" in run.text
    )


def test_secret_values_never_reach_the_console(
    biller_dir: Path, suite: Suite, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = "canary-7f3a9c-do-not-print"
    monkeypatch.setenv("QA_CANARY_131", f"{CHECKLIST_131} {canary}")
    data = demo_data()
    data["environments"]["test"]["advanced_settings"]["131"] = "${QA_CANARY_131}"
    write_biller(biller_dir, data)
    run = suite("-v")
    assert run.outcomes["test_setting_131[demo-test]"] == "failed"
    assert "Advanced Setting 131 is not valid JSON" in run.text
    assert canary not in run.text
    assert "«redacted»" in run.text


def test_parallel_run_collects_and_decides_like_a_serial_run(
    biller_dir: Path, suite: Suite
) -> None:
    two_billers(biller_dir)
    broken = demo_data()
    broken["biller"] = "broken"
    broken["environments"]["test"]["advanced_settings"]["131"] = CHECKLIST_131
    broken["tender_types"] = []
    write_biller(biller_dir, broken)
    serial = suite()
    parallel = suite("-n", "2")
    assert "failed" in serial.outcomes.values()
    assert parallel.outcomes == serial.outcomes


def test_runs_outside_the_suite_need_no_billers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain(): pass")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_rules_without_a_biller_folder_say_where_to_find_one(
    pytester: pytest.Pytester, run_suite: RunSuite
) -> None:
    missing = pytester.path / "nowhere"
    result = pytester.runpytest_inprocess(f"--biller-dir={missing}", str(REPO / "tests"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"no biller folder at {missing}" in result.stderr.str()


def test_a_warning_passes_the_rule_and_is_shown_as_a_warning(
    pytester: pytest.Pytester, biller_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    pytester.makepyfile(
        test_warning="""
        import pytest
        from conversion_qa.plugin import warn
        from conversion_qa.rules.verdict import Problem

        @pytest.mark.rule("iframe-lag")
        def test_iframe_lag(request, case):
            warn(request.node, Problem(
                summary="bill-view took 4.2 s.",
                expected="3.0 s",
                found="4.2 s",
            ))
        """
    )
    result = pytester.runpytest_inprocess(
        f"--biller-dir={biller_dir}", "-p", "no:cacheprovider", "--no-pdf"
    )
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "*warnings (1)*",
            "*test_iframe_lag[[]demo-test-bill-view[]]: bill-view took 4.2 s.",
            "*= 1 warned in *",
        ]
    )
