"""Each configuration rule passes on the demo biller and fails, alone, on each way it can break."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.rules.catalogue import RULES, Kind
from selftests.helpers import SuiteRun, demo_data, write_biller
from selftests.outcomes import failed_tests

TEST_SETTINGS = ("environments", "test", "advanced_settings")
CHECKLIST_131 = '= {SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'


def setting(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def removing(path: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


@dataclass(frozen=True)
class Breakage:
    name: str
    change: Callable[[dict[str, Any]], None]
    fails: dict[str, set[str]]  # test function -> failing test ids
    message: str

    def __str__(self) -> str:
        return self.name


T = "demo-test"
BREAKAGES = [
    # endpoints-received
    Breakage(
        "cis-endpoint-missing",
        removing(("environments", "test", "endpoints", "cis_service")),
        {"test_endpoints_received": {f"{T}-cis_service"}},
        "S&S has not provided the CIS Service endpoint for test",
    ),
    Breakage(
        "payconnect-endpoint-http",
        setting(
            ("environments", "test", "endpoints", "payconnect_service"),
            "http://enquesta-test.demo.example.com/PayConnect",
        ),
        {"test_endpoints_received": {f"{T}-payconnect_service"}},
        "The PayConnect Service endpoint is not https (scheme 'http')",
    ),
    Breakage(
        "cis-endpoint-no-host",
        setting(("environments", "test", "endpoints", "cis_service"), "https:///CISService"),
        {"test_endpoints_received": {f"{T}-cis_service"}},
        "The CIS Service endpoint has no valid host name",
    ),
    Breakage(
        "cis-endpoint-space",
        setting(
            ("environments", "test", "endpoints", "cis_service"),
            "https://enquesta-test.demo.example.com/CIS Service",
        ),
        {"test_endpoints_received": {f"{T}-cis_service"}},
        "The CIS Service endpoint contains spaces",
    ),
    # tender-types
    Breakage(
        "no-tender-types",
        setting(("tender_types",), []),
        {"test_tender_types": {f"{T}-none-declared"}},
        "No tender types are recorded.",
    ),
    Breakage(
        "tender-without-code",
        setting(("tender_types",), [{"method": "card", "code": "CC"}, {"method": "ach"}]),
        {"test_tender_types": {f"{T}-ach"}},
        "The payment method ach has no tender type code.",
    ),
    Breakage(
        "tender-code-duplicated",
        setting(
            ("tender_types",), [{"method": "card", "code": "CC"}, {"method": "ach", "code": "CC"}]
        ),
        {"test_tender_types": {f"{T}-card", f"{T}-ach"}},
        "The tender type 'CC' of ach is also the code of card.",
    ),
    Breakage(
        "tender-method-twice",
        setting(
            ("tender_types",),
            [
                {"method": "card", "code": "CC"},
                {"method": "card", "code": "VI"},
                {"method": "ach", "code": "ACH"},
            ],
        ),
        {"test_tender_types": {f"{T}-card"}},
        "The payment method card is listed 2 times.",
    ),
    # sns-contacts
    Breakage(
        "sns-technical-unreachable",
        removing(("sns_contacts", "technical", "email")),
        {"test_sns_contacts": {T}},
        "The biller file does not say how to reach S&S's technical contact, Ravi Menon.",
    ),
    # test-portal-lead-time
    Breakage(
        "no-itg-ticket",
        removing(("conversion", "itg", "ticket")),
        {"test_test_portal_lead_time": {T}},
        "No ITG ticket for the test portal is recorded.",
    ),
    Breakage(
        "itg-date-missing",
        removing(("conversion", "itg", "submitted")),
        {"test_test_portal_lead_time": {T}},
        "The submission date of ITG-40001 is not recorded.",
    ),
    Breakage(
        "itg-too-late",
        setting(("conversion", "itg", "submitted"), "2026-11-20"),
        {"test_test_portal_lead_time": {T}},
        "ITG-40001 was submitted 13 days before the window opens on 2026-12-03.",
    ),
    # settings-24-27
    Breakage(
        "setting-25-missing",
        removing((*TEST_SETTINGS, "25")),
        {"test_settings_24_27": {f"{T}-25"}},
        "Advanced Setting 25 is missing in the biller file.",
    ),
    Breakage(
        "setting-27-empty",
        setting((*TEST_SETTINGS, "27"), ""),
        {"test_settings_24_27": {f"{T}-27"}},
        "Advanced Setting 27 is empty in the biller file.",
    ),
    # option-127
    Breakage(
        "option-127-missing",
        setting(("environments", "test", "options"), {}),
        {"test_option_127": {T}},
        "Option 127 (sync registered accounts) is not set",
    ),
    Breakage(
        "option-127-disabled",
        setting(("environments", "test", "options", "127"), False),
        {"test_option_127": {T}},
        "Option 127 (sync registered accounts) is disabled (false)",
    ),
    # setting-131
    Breakage(
        "setting-131-missing",
        removing((*TEST_SETTINGS, "131")),
        {"test_setting_131": {T}},
        "Advanced Setting 131 is missing.",
    ),
    Breakage(
        "setting-131-copied-from-checklist",
        setting((*TEST_SETTINGS, "131"), CHECKLIST_131),
        {"test_setting_131": {T}},
        "Advanced Setting 131 is not valid JSON: Expecting value at line 1, column 1 (it "
        "begins with '=', which is not part of the value and the quote before "
        "SystemsAndSoftware is missing; this is the checklist's own misprinted text)",
    ),
    Breakage(
        "setting-131-dropped-quote",
        setting((*TEST_SETTINGS, "131"), CHECKLIST_131.removeprefix("= ")),
        {"test_setting_131": {T}},
        "Advanced Setting 131 is not valid JSON: Expecting property name enclosed in double "
        "quotes at line 1, column 2 (the quote before SystemsAndSoftware is missing; this is "
        "the checklist's own misprinted text)",
    ),
    Breakage(
        "setting-131-other-request",
        setting(
            (*TEST_SETTINGS, "131"), '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIES"}}'
        ),
        {"test_setting_131": {T}},
        "Advanced Setting 131 is valid JSON but does not ask RTDR for "
        "ACCOUNTSUMMARIESBYACCOUNTIDS.",
    ),
    # operator-number
    Breakage(
        "operator-number-missing",
        removing((*TEST_SETTINGS, "12")),
        {"test_operator_number": {T}},
        "Advanced Setting 12 (operator number) is missing.",
    ),
    Breakage(
        "operator-number-ill-formed",
        setting((*TEST_SETTINGS, "12"), "OP-417"),
        {"test_operator_number": {T}},
        "Advanced Setting 12 is not an operator number.",
    ),
    # endpoint-settings
    Breakage(
        "setting-20-production-url",
        setting((*TEST_SETTINGS, "20"), "https://enquesta.demo.example.com/CISService"),
        {"test_endpoint_settings": {f"{T}-setting-20", f"{T}-cis_service"}},
        "this is the production endpoint: use the test one",
    ),
    Breakage(
        "cis-endpoint-unreferenced",
        removing((*TEST_SETTINGS, "20")),
        {"test_endpoint_settings": {f"{T}-cis_service"}},
        "No Advanced Setting references the CIS Service endpoint in the biller file.",
    ),
    Breakage(
        "setting-with-foreign-url",
        setting((*TEST_SETTINGS, "30"), "https://legacy.demo.example.com/v4/CISService"),
        {"test_endpoint_settings": {f"{T}-setting-30"}},
        "Advanced Setting 30 is not an endpoint S&S provided for test.",
    ),
    # maintenance-window
    Breakage(
        "window-starts-wednesday",
        setting(("conversion", "maintenance_window", "start"), "2026-12-02T18:00:00-05:00"),
        {"test_maintenance_window": {T}},
        "The maintenance window starts on a Wednesday.",
    ),
    Breakage(
        "window-starts-before-batch-close",
        setting(("conversion", "maintenance_window", "start"), "2026-12-03T17:00:00-05:00"),
        {"test_maintenance_window": {T}},
        "The maintenance window starts at 17:00, not at batch close 18:00.",
    ),
    Breakage(
        "window-ends-before-start",
        setting(("conversion", "maintenance_window", "end"), "2026-12-03T06:00:00-05:00"),
        {"test_maintenance_window": {T}},
        "ends (2026-12-03T06:00:00-05:00) before it starts",
    ),
    Breakage(
        "window-not-scheduled",
        removing(("conversion", "maintenance_window", "start")),
        {"test_maintenance_window": {T}},
        "The maintenance window is not scheduled.",
    ),
    Breakage(
        "batch-close-unknown",
        removing(("conversion", "maintenance_window", "batch_close")),
        {"test_maintenance_window": {T}},
        "The biller's batch close time is not recorded.",
    ),
    # conversion-weekend
    Breakage(
        "ic-it-on-saturday",
        setting(("conversion", "weekend", "ic_it_manual_test"), "2026-12-05"),
        {"test_conversion_weekend": {f"{T}-ic_it_manual_test"}},
        "The IC IT changes and manual test step falls on a Saturday.",
    ),
    Breakage(
        "biller-testing-on-monday",
        setting(("conversion", "weekend", "biller_testing"), "2026-12-07"),
        {"test_conversion_weekend": {f"{T}-biller_testing"}},
        "The biller testing step falls on a Monday.",
    ),
    Breakage(
        "sns-before-window",
        setting(("conversion", "weekend", "sns_changes"), "2026-11-27"),
        {"test_conversion_weekend": {f"{T}-sns_changes"}},
        "The S&S changes step is planned before the window opens on 2026-12-03.",
    ),
    Breakage(
        "biller-testing-after-window",
        setting(("conversion", "weekend", "biller_testing"), "2026-12-12"),
        {"test_conversion_weekend": {f"{T}-biller_testing"}},
        "The biller testing step is planned after the window closes on 2026-12-07.",
    ),
    Breakage(
        "sns-step-unplanned",
        removing(("conversion", "weekend", "sns_changes")),
        {"test_conversion_weekend": {f"{T}-sns_changes"}},
        "The S&S changes step is not planned.",
    ),
]


def test_demo_passes_every_configuration_rule(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    write_biller(biller_dir, demo_data())
    run = suite()
    assert run.result.ret == 0
    assert failed_tests(run.found) == {}
    found = run.outcomes
    after_go_live = found.pop("test_production_matches_test[demo-test]")
    assert after_go_live == "skipped"  # it checks production only: --env=production
    assert set(found.values()) == {"passed"}
    config_rules = [r.id for r in RULES if r.kind is Kind.CONFIG]
    assert len(config_rules) == 12
    tested = {name.partition("[")[0] for name in run.outcomes}
    assert {f"test_{rule_id.replace('-', '_')}" for rule_id in config_rules} <= tested


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_one_change_fails_exactly_its_rule(
    biller_dir: Path, suite: Callable[..., SuiteRun], breakage: Breakage
) -> None:
    data = demo_data()
    breakage.change(data)
    write_biller(biller_dir, data)
    run = suite()
    assert failed_tests(run.found) == breakage.fails
    assert breakage.message in run.text
    assert "Traceback" not in run.text


def test_thursday_late_evening_start_is_a_thursday_in_the_files_time_zone(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    data = demo_data()
    window = data["conversion"]["maintenance_window"]
    window["batch_close"] = "23:30"
    window["start"] = "2026-12-03T23:30:00-05:00"  # Friday 04:30 in UTC
    write_biller(biller_dir, data)
    assert suite("-k", "maintenance-window").outcomes == {
        "test_maintenance_window[demo-test]": "passed"
    }


def test_setting_131_ignores_whitespace(biller_dir: Path, suite: Callable[..., SuiteRun]) -> None:
    data = demo_data()
    data["environments"]["test"]["advanced_settings"]["131"] = (
        '{ "SystemsAndSoftware" :\n {"RTDRRequest":"ACCOUNTSUMMARIESBYACCOUNTIDS"} }'
    )
    write_biller(biller_dir, data)
    assert suite("-k", "setting-131").outcomes == {"test_setting_131[demo-test]": "passed"}


def test_failure_says_where_and_what_to_do(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    data = demo_data()
    data["environments"]["test"]["advanced_settings"]["131"] = CHECKLIST_131
    path = write_biller(biller_dir, data)
    text = suite("-k", "setting-131").text
    line = next(
        n for n, t in enumerate(path.read_text().splitlines(), 1) if t.strip().startswith("'131'")
    )
    assert f"where:    {path}:{line}" in text
    assert (
        "expected: " + '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
        in text
    )
    assert "Troubleshooting: Paste the expected value exactly" in text
    assert "^ here" in text


def test_dependent_rules_skip_and_point_at_the_cause(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    data = demo_data()
    del data["conversion"]["maintenance_window"]["start"]
    write_biller(biller_dir, data)
    run = suite()
    assert run.outcomes["test_test_portal_lead_time[demo-test]"] == "skipped"
    assert run.outcomes["test_conversion_weekend[demo-test-sns_changes]"] == "skipped"
    assert "cannot be checked until the window is scheduled (see maintenance-window)" in run.text


def test_multi_user_rules_skip_single_user_billers_with_the_reason(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    data = demo_data()
    data["multi_user"] = False
    write_biller(biller_dir, data)
    run = suite()
    assert run.outcomes["test_option_127[demo-test]"] == "skipped"
    assert run.outcomes["test_settings_24_27[demo-test]"] == "skipped"
    assert (
        "demo is a single-user biller; settings-24-27 applies to multi-user billers only"
        in run.text
    )


def test_a_single_user_biller_without_payconnect_settings_passes_endpoint_settings(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    """PayConnect is referenced from settings 24-27, which a single-user biller does not
    configure: no setting needs to reference its PayConnect endpoint."""
    data = demo_data()
    data["multi_user"] = False
    for number in ("24", "25", "26", "27"):
        del data["environments"]["test"]["advanced_settings"][number]
    write_biller(biller_dir, data)
    assert suite("-k", "endpoint-settings").outcomes == {
        "test_endpoint_settings[demo-test-setting-20]": "passed",
        "test_endpoint_settings[demo-test-cis_service]": "passed",
    }


def test_secret_setting_counts_as_provided_until_set_empty(
    biller_dir: Path, suite: Callable[..., SuiteRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = demo_data()
    data["environments"]["test"]["advanced_settings"]["26"] = "${QA_SELFTEST_SECRET_26}"
    write_biller(biller_dir, data)
    monkeypatch.delenv("QA_SELFTEST_SECRET_26", raising=False)
    assert suite("-k", "settings-24-27").outcomes["test_settings_24_27[demo-test-26]"] == "passed"
    monkeypatch.setenv("QA_SELFTEST_SECRET_26", "")
    run = suite("-k", "settings-24-27")
    assert run.outcomes["test_settings_24_27[demo-test-26]"] == "failed"
    assert "Advanced Setting 26 is empty in the biller file." in run.text
