"""The troubleshooting a network failure shows, answered on the failed test's own values: live,
the portal's settings judged on their merit and against the file (drift)."""

from __future__ import annotations

from conversion_qa.rules.troubleshooting import Finding, State, Subject, answered
from selftests.unit.builders import Configured, configured, demo, environment


def subject(portal: Configured, agreed: Configured | None) -> Subject:
    def no_dns(host: str) -> object:
        raise AssertionError(f"public-dns is not consulted here ({host})")

    return Subject(
        biller=demo(),
        environment=environment(),
        configured=portal,
        look_up_dns=no_dns,  # type: ignore[arg-type]
        accept_loopback=False,
        agreed=agreed,
    )


def states(findings: list[Finding]) -> dict[str, State]:
    return {f.rule: f.state for f in findings}


def test_an_operator_number_that_drifted_is_failed_in_a_live_run() -> None:
    portal = configured({"12": "0418"}, source="the portal")
    (finding,) = answered(["operator-number"], subject(portal, configured()))
    assert finding.state is State.FAILED
    assert finding.summary == (
        "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's '0417'."
    )


def test_offline_or_on_its_own_merit_a_well_formed_operator_number_passes() -> None:
    portal = configured({"12": "0418"}, source="the portal")
    (finding,) = answered(["operator-number"], subject(portal, None))
    assert (finding.state, finding.summary) == (
        State.PASSED,
        "Advanced Setting 12 is an operator number",
    )


def test_a_passing_live_result_says_it_matches_the_file() -> None:
    portal = configured(source="the portal")
    findings = answered(["operator-number", "settings-24-27"], subject(portal, configured()))
    assert states(findings) == {"operator-number": State.PASSED, "settings-24-27": State.PASSED}
    assert findings[0].summary == "Advanced Setting 12 is an operator number, as in the biller file"


def test_token_login_troubleshooting_shows_a_crm_setting_that_drifted() -> None:
    portal = configured({"27": "PASSWORD"}, source="the portal")
    (finding,) = answered(["settings-24-27"], subject(portal, configured()))
    assert finding.state is State.FAILED
    assert "Advanced Setting 27 has drifted: the portal's 'PASSWORD'" in finding.summary


def test_endpoint_settings_swapped_in_the_portal_are_failed() -> None:
    cis = environment().endpoints["cis_service"]
    payconnect = environment().endpoints["payconnect_service"]
    portal = configured({"20": payconnect, "24": cis}, source="the portal")
    findings = answered(["endpoint-settings"], subject(portal, configured()))
    assert {f.state for f in findings} == {State.FAILED}
    assert [f.summary.partition(":")[0] for f in findings] == [
        "Advanced Setting 20 has drifted",
        "Advanced Setting 24 has drifted",
    ]
