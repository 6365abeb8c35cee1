"""Drift (the portal's settings against the file's, in each live configuration check) and
production-matches-test (production's portal against the test portal), called directly."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import REDACTED
from conversion_qa.rules.drift import Match, compared
from conversion_qa.rules.slices.endpoint_settings import endpoint_setting
from conversion_qa.rules.slices.operator_number import operator_number
from conversion_qa.rules.slices.option_127 import option_127
from conversion_qa.rules.slices.production_matches_test import (
    compare_environments,
    production_matches_test,
)
from conversion_qa.rules.slices.setting_131 import setting_131
from conversion_qa.rules.slices.settings_24_27 import setting_present
from conversion_qa.rules.verdict import NotChecked
from selftests.unit.builders import (
    REMOVED,
    Configured,
    Problem,
    changed,
    demo,
    environment,
    secret,
)

PORTAL_URL = "https://demo-test.portal.example.com/api/configuration"
CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
PRODUCTION_CIS = "https://enquesta.demo.example.com/CISService"
GOOD_131 = '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
FIX = "S&S/IC IT changed it, or the file is out of date"


def settings_of(
    env: str, updates: Mapping[str, object] | None = None
) -> dict[str, SettingValue | None]:
    return changed(environment(env).advanced_settings, updates or {})  # type: ignore[arg-type]


def agreed(
    updates: Mapping[str, object] | None = None,
    options: Mapping[str, bool] | None = None,
    env: str = "test",
) -> Configured:
    """The file's settings, located as the file locates them (`billers/demo.yaml:<field>`)."""
    return Configured(
        settings=settings_of(env, updates),
        options={**environment(env).options, **(options or {})},
        source="the biller file",
        locate=lambda *field: "billers/demo.yaml:" + ".".join(field),
    )


def portal(
    updates: Mapping[str, object] | None = None,
    options: Mapping[str, bool] | None = None,
    env: str = "test",
) -> Configured:
    """The portal's settings: the file's, changed; located at the portal's URL."""
    url = PORTAL_URL if env == "test" else PORTAL_URL.replace("demo-test.", "demo.")
    return Configured(
        settings=settings_of(env, updates),
        options={**environment(env).options, **(options or {})},
        source="the portal",
        locate=lambda *field: url + (f" ({'.'.join(field)})" if field else ""),
    )


def drifted(problem: object) -> Problem:
    assert isinstance(problem, Problem), problem
    return problem


# each live configuration check: the portal as the file agreed ------------------------------------


def test_the_demo_portal_as_agreed_passes_every_check() -> None:
    live, file = portal(), agreed()
    assert operator_number(live, file) is None
    assert setting_131(live, file) is None
    assert option_127(live, file) is None
    for number in ("24", "25", "26", "27"):
        assert setting_present(live, number, file) is None
    for item in ("setting-20", "setting-24", "cis_service", "payconnect_service"):
        assert endpoint_setting(live, environment(), None, item, file) is None


def test_an_operator_number_that_drifted_fails_with_both_values_the_line_the_url_and_fix() -> None:
    problem = drifted(operator_number(portal({"12": "0418"}), agreed()))
    assert problem.summary == (
        "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's '0417'."
    )
    assert problem.expected == (
        "'0417', as agreed in the biller file (billers/demo.yaml:advanced_settings.12)"
    )
    assert problem.found == "'0418' in the portal"
    assert problem.where == f"{PORTAL_URL} (advanced_settings.12)"
    assert (problem.fix or "").startswith(FIX)


def test_without_the_file_the_operator_number_is_judged_on_its_own_merit() -> None:
    assert operator_number(portal({"12": "0418"})) is None  # offline: no agreed
    assert operator_number(portal({"12": "0418"}), agreed({"12": REMOVED})) is None


def test_an_ill_formed_operator_number_says_so_before_the_drift() -> None:
    problem = drifted(operator_number(portal({"12": "04a8"}), agreed()))
    assert problem.summary == "Advanced Setting 12 is not an operator number."


@pytest.mark.parametrize(
    "spaced",
    [
        '{"SystemsAndSoftware":{"RTDRRequest":"ACCOUNTSUMMARIESBYACCOUNTIDS"}}',
        '{ "SystemsAndSoftware" : { "RTDRRequest" : "ACCOUNTSUMMARIESBYACCOUNTIDS" } }\n',
    ],
    ids=["compact", "wide"],
)
def test_setting_131_differing_only_in_spacing_is_no_drift(spaced: str) -> None:
    assert setting_131(portal({"131": spaced}), agreed()) is None


def test_setting_131_correct_in_the_portal_but_misprinted_in_the_file_is_drift() -> None:
    misprint = '= {SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
    problem = drifted(setting_131(portal(), agreed({"131": misprint})))
    assert "Advanced Setting 131 has drifted" in problem.summary
    assert "or the file is out of date" in (problem.fix or "")


def test_an_endpoint_url_differing_in_case_or_trailing_slash_is_no_drift() -> None:
    live = portal({"20": "HTTPS://Enquesta-Test.demo.example.com/CISService/"})
    assert endpoint_setting(live, environment(), None, "setting-20", agreed()) is None


def test_endpoint_settings_swapped_are_each_a_provided_endpoint_but_drift() -> None:
    live = portal({"20": PAYCONNECT, "24": CIS})
    problem = drifted(endpoint_setting(live, environment(), None, "setting-20", agreed()))
    assert problem.summary == (
        f"Advanced Setting 20 has drifted: the portal's {PAYCONNECT!r} differs from the file's "
        f"{CIS!r}."
    )
    assert endpoint_setting(live, environment(), None, "cis_service", agreed()) is None


def test_option_127_enabled_in_the_portal_but_disabled_in_the_file_is_drift() -> None:
    problem = drifted(option_127(portal(), agreed(options={"127": False})))
    assert problem.summary == (
        "Option 127 has drifted: the portal has it enabled (true), the file disabled (false)."
    )
    assert problem.where == f"{PORTAL_URL} (options.127)"


def test_a_crm_setting_that_drifted_fails_settings_24_27() -> None:
    problem = drifted(setting_present(portal({"25": "ic-other"}), "25", agreed()))
    assert "the portal's 'ic-other' differs from the file's 'ic-demo'" in problem.summary


def test_a_secret_that_drifted_fails_without_showing_either_value() -> None:
    file = agreed({"26": secret("${PAYCONNECT_SECRET:-a-default}", PAYCONNECT_SECRET="agreed-1")})
    live = portal({"26": secret("${PORTAL_SETTING_26}", PORTAL_SETTING_26="rotated-2")})
    problem = drifted(setting_present(live, "26", file))
    text = problem.render()
    assert problem.summary == (
        "Advanced Setting 26 has drifted: the portal's value differs from the file's "
        "${PAYCONNECT_SECRET} (neither is shown)."
    )
    for value in ("agreed-1", "rotated-2", "a-default"):
        assert value not in text


def test_a_secret_as_agreed_passes_and_one_whose_variable_is_unset_is_not_checked() -> None:
    live = portal({"26": secret("${PORTAL_SETTING_26}", PORTAL_SETTING_26="same")})
    same = agreed({"26": secret("${PAYCONNECT_SECRET}", PAYCONNECT_SECRET="same")})
    unset = agreed({"26": secret("${PAYCONNECT_SECRET_NOT_SET_HERE}")})
    assert setting_present(live, "26", same) is None
    unchecked = setting_present(live, "26", unset)
    assert isinstance(unchecked, NotChecked)
    assert unchecked.reason == "PAYCONNECT_SECRET_NOT_SET_HERE is not set"
    assert "export PAYCONNECT_SECRET_NOT_SET_HERE='...'" in unchecked.fix
    assert '$env:PAYCONNECT_SECRET_NOT_SET_HERE = "..."' in unchecked.fix
    (row,) = compared(live, unset, "settings-24-27", "26")
    assert row.verdict is Match.NOT_CHECKED
    assert row.note == "${PAYCONNECT_SECRET_NOT_SET_HERE} is not set in this run"


# the drift table's rows ---------------------------------------------------------------------------


def test_the_rows_of_each_rule_are_the_values_it_reads() -> None:
    live = portal(
        {"12": "0418", "26": secret("${PORTAL_SETTING_26}", PORTAL_SETTING_26="a-default")},
        {"127": False},
    )
    file = agreed({"26": secret("${PAYCONNECT_SECRET:-a-default}")})
    rows = {
        (rule, item): [(r.field, r.expected, r.found, r.verdict) for r in rows]
        for rule, item in [
            ("operator-number", None),
            ("option-127", None),
            ("settings-24-27", "26"),
            ("endpoint-settings", "setting-20"),
            ("endpoint-settings", "cis_service"),
        ]
        for rows in [compared(live, file, rule, item)]
    }
    assert rows == {
        ("operator-number", None): [("Advanced Setting 12", "0417", "0418", Match.DIFFERS)],
        ("option-127", None): [("Option 127", "enabled (true)", "disabled (false)", Match.DIFFERS)],
        ("settings-24-27", "26"): [
            (
                "Advanced Setting 26",
                "${PAYCONNECT_SECRET} (masked)",
                "(masked)",
                Match.MATCHES,
            )
        ],
        ("endpoint-settings", "setting-20"): [("Advanced Setting 20", CIS, CIS, Match.MATCHES)],
        ("endpoint-settings", "cis_service"): [],
    }


def test_a_setting_the_file_leaves_out_is_a_row_judged_on_its_own_merit() -> None:
    (row,) = compared(portal(), agreed({"25": REMOVED}), "settings-24-27", "25")
    assert (row.expected, row.found, row.verdict) == ("not set", "ic-demo", Match.NOT_AGREED)


def test_the_client_secret_setting_is_masked_even_when_the_file_writes_it_plainly() -> None:
    (row,) = compared(
        portal({"26": "plain-in-portal"}), agreed({"26": "plain-in-file"}), "settings-24-27", "26"
    )
    assert (row.expected, row.found, row.verdict) == ("(masked)", "(masked)", Match.DIFFERS)


# production-matches-test -----------------------------------------------------------------------


def production(
    updates: Mapping[str, object] | None = None, options: Mapping[str, bool] | None = None
) -> Configured:
    """Production's portal; its PayConnect secret (the demo's is a `${VAR}`) set, unless
    updates say otherwise."""
    given = {"26": secret("${PRODUCTION_26}", PRODUCTION_26="production-secret")}
    return portal({**given, **(updates or {})}, options, env="production")


def test_production_configured_as_the_tested_test_portal_matches() -> None:
    assert production_matches_test(production(), portal(), demo()) is None
    verdicts = {c.field: c.verdict for c in compare_environments(production(), portal(), demo())}
    assert verdicts == {
        "Advanced Setting 12": Match.MATCHES,
        "Advanced Setting 20": Match.OWN_ENDPOINT,
        "Advanced Setting 24": Match.OWN_ENDPOINT,
        "Advanced Setting 25": Match.MATCHES,
        "Advanced Setting 26": Match.SECRET_DIFFERENT,
        "Advanced Setting 27": Match.MATCHES,
        "Advanced Setting 131": Match.MATCHES,
        "Option 127": Match.MATCHES,
    }


def test_production_with_a_secret_not_set_is_not_checked() -> None:
    unset = production({"26": secret("${DEMO_PAYCONNECT_SECRET_PROD}")})
    unchecked = production_matches_test(unset, portal(), demo())
    assert isinstance(unchecked, NotChecked)
    assert unchecked.reason == "DEMO_PAYCONNECT_SECRET_PROD is not set"
    verdicts = {c.field: c.verdict for c in compare_environments(unset, portal(), demo())}
    assert verdicts["Advanced Setting 26"] is Match.NOT_CHECKED


def test_production_pointing_at_the_test_cis_is_a_difference_that_says_so() -> None:
    problem = drifted(production_matches_test(production({"20": CIS}), portal(), demo()))
    assert problem.summary == (
        "Production's portal differs from the test portal in 1 place that should match: "
        "Advanced Setting 20."
    )
    assert problem.found == (
        f"Advanced Setting 20: test {CIS}, production {CIS} (production points at the test "
        f"environment's CIS Service; expected production's CIS Service {PRODUCTION_CIS})"
    )
    assert problem.where == (
        f"production {PORTAL_URL.replace('demo-test.', 'demo.')}; test {PORTAL_URL}"
    )


def test_production_on_another_host_of_the_test_environment_is_a_difference() -> None:
    elsewhere = "https://demo-test.portal.example.com/Callback"
    test = portal({"30": "https://callbacks.example.com/x"})
    problem = drifted(production_matches_test(production({"30": elsewhere}), test, demo()))
    assert "production points at a host of the test environment (demo-test.portal.example.com)" in (
        problem.found
    )


def test_production_option_127_differing_from_test_is_a_difference() -> None:
    problem = drifted(production_matches_test(production(options={"127": False}), portal(), demo()))
    assert problem.found == "Option 127: test enabled (true), production disabled (false)"


@pytest.mark.parametrize(
    ("updates", "field"),
    [
        ({"12": "0418"}, "Advanced Setting 12"),
        ({"25": REMOVED}, "Advanced Setting 25"),
        ({"99": "only-in-production"}, "Advanced Setting 99"),
    ],
    ids=["changed", "missing-in-production", "only-in-production"],
)
def test_every_other_setting_must_match(updates: Mapping[str, object], field: str) -> None:
    problem = drifted(production_matches_test(production(updates), portal(), demo()))
    assert problem.summary.endswith(f"that should match: {field}.")


def test_setting_131_differing_only_in_spacing_matches_between_environments() -> None:
    compact = '{"SystemsAndSoftware":{"RTDRRequest":"ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
    assert production_matches_test(production({"131": compact}), portal(), demo()) is None


@pytest.mark.parametrize(
    ("production_value", "verdict"), [("one", Match.SECRET_SAME), ("two", Match.SECRET_DIFFERENT)]
)
def test_secrets_are_only_same_or_different_never_shown_and_never_a_failure(
    production_value: str, verdict: Match
) -> None:
    test = portal({"26": secret("${T}", T="one")})
    live = production({"26": secret("${P}", P=production_value)})
    (row,) = [c for c in compare_environments(live, test, demo()) if c.field.endswith("26")]
    assert (row.expected, row.found, row.verdict) == ("(masked)", "(masked)", verdict)
    assert production_matches_test(live, test, demo()) is None


def test_recorded_secrets_are_not_compared() -> None:
    test = portal({"26": secret("${T}", T=REDACTED)})
    live = production({"26": secret("${P}", P=REDACTED)})
    (row,) = [c for c in compare_environments(live, test, demo()) if c.field.endswith("26")]
    assert row.verdict is Match.NOT_COMPARED
    assert row.note == "recorded answers keep no secret values"
