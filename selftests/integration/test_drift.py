"""The portal as configured against the biller file as agreed, and production against the test
portal after go-live: over real sockets (the sandbox), offline from recordings, and in the pages
of the archived run."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from conversion_qa.report.archive import REPORT, SIGNOFF, SIGNOFF_PDF
from selftests.helpers import RunSuite, write_biller
from selftests.network_helpers import CANARIES, fast_demo
from selftests.outcomes import failed_rules, outcomes
from selftests.reporting import archived_text, run_folders

LIVE = ("-m", "live", "--sandbox", "--read-timeout", "5", "--connect-timeout", "5")
PRODUCTION = "--env=production"
DRIFTED_12 = "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's '0417'"


@pytest.fixture
def demo(biller_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    return write_biller(biller_dir, fast_demo())


def drift_rows(page: str) -> dict[str, dict[str, tuple[str, str, str]]]:
    """The drift tables of a page: heading's comparison -> setting -> (expected, found, verdict)."""
    tables: dict[str, dict[str, tuple[str, str, str]]] = {}
    for against, body in re.findall(
        r'<table class="drift" data-against="([^"]*)">(.*?)</table>', page, re.S
    ):
        rows = re.findall(
            r"<tr data-setting[^>]*><td>(.*?)</td>" + r"<td[^>]*>(.*?)</td>" * 3, body
        )
        tables[unescape(against)] = {
            unescape(setting): (
                unescape(expected),
                unescape(found),
                unescape(verdict.partition("<br>")[0]),
            )
            for setting, expected, found, verdict in rows
        }
    return tables


# drift, live --------------------------------------------------------------------------------------


def test_a_drifted_setting_fails_naming_both_values_the_file_line_the_portal_url_and_fix(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(run_suite(*LIVE, "--sandbox-scenario=operator-drift", "-k", "operator"))
    (live,) = found.values()
    assert live.outcome == "failed"
    assert f"{DRIFTED_12}." in live.text
    lines = demo.read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if text.strip() == "'12': '0417'")
    assert f"expected: '0417', as agreed in the biller file ({demo}:{line})" in live.text
    assert "found:    '0418' in the portal" in live.text
    assert (
        "where:    https://demo-test.portal.example.com/api/configuration (advanced_settings.12)"
        in live.text
    )
    assert "fix:      S&S/IC IT changed it, or the file is out of date" in live.text


def test_rtdr_and_data_pump_troubleshooting_show_the_drifted_operator_number(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(
        run_suite(*LIVE, "--sandbox-scenario=operator-drift", "-k", "(rtdr or data_pump) and live")
    )
    assert failed_rules(found) == {"rtdr", "data-pump"}
    for outcome in found.values():
        assert "Operator '0418' not found" in outcome.text
        assert f"  operator-number: FAILED: {DRIFTED_12}." in outcome.text
        assert "operator-number: passed" not in outcome.text


def test_a_passing_live_troubleshooting_result_says_it_matches_the_file(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(run_suite(*LIVE, "--sandbox-scenario=token2-missing", "-k", "token and live"))
    (outcome,) = found.values()
    assert (
        "settings-24-27: passed: Advanced Settings 24-27 are all set, as in the biller file"
        in outcome.text
    )


# production-matches-test ------------------------------------------------------------------------


def test_production_matches_the_tested_test_portal_on_the_healthy_sandbox(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(run_suite(*LIVE, PRODUCTION, "-k", "production_matches"))
    assert {o.test_id: o.outcome for o in found.values()} == {"demo-production-live": "passed"}


def test_production_matches_test_does_not_apply_to_the_test_environment(
    run_suite: RunSuite, demo: Path
) -> None:
    found = outcomes(run_suite(*LIVE, "-k", "production_matches"))
    assert {o.test_id: o.outcome for o in found.values()} == {"demo-test-live": "skipped"}
    for outcome in found.values():
        assert (
            "production-matches-test checks production only (after go-live, against the test "
            "portal): run it with --env=production" in outcome.text
        )


def recorded(fixtures: Path, environment: str) -> Path:
    return fixtures / "demo" / f"{environment}.http.yaml"


def test_offline_production_matches_test_reads_both_recorded_settings_answers(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    fixtures = biller_dir.parent / "fixtures"
    found = outcomes(run_suite(PRODUCTION, "-k", "production_matches"))
    assert [o.outcome for o in found.values()] == ["passed"]

    path = recorded(fixtures, "production")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["responses"]:
        if entry["response"]["url"].endswith("/api/configuration"):
            entry["response"]["body"] = entry["response"]["body"].replace(
                '"Options": {"127": true}', '"Options": {"127": false}'
            )
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    (outcome,) = outcomes(run_suite(PRODUCTION, "-k", "production_matches")).values()
    assert outcome.outcome == "failed"
    assert "found:    Option 127: test enabled (true), production disabled (false)" in outcome.text

    recorded(fixtures, "test").unlink()
    (outcome,) = outcomes(run_suite(PRODUCTION, "-k", "production_matches")).values()
    assert outcome.outcome == "not checked"
    assert "Not checked: not recorded yet." in outcome.text
    assert "test.http.yaml: no such recording" in outcome.text
    assert "GET https://demo-test.portal.example.com/api/configuration" in outcome.text


# the drift table --------------------------------------------------------------------------------


def pages(report_dir: Path) -> tuple[str, str]:
    """The sign-off sheet and report.html of the demo's latest archived run."""
    folder = run_folders(report_dir, "demo", "DEMO-2026-12")[-1]
    return (
        (folder / SIGNOFF).read_text(encoding="utf-8"),
        (folder / REPORT).read_text(encoding="utf-8"),
    )


def test_a_live_run_shows_the_drift_table_on_the_sign_off_sheet_and_in_the_report(
    run_suite: RunSuite, demo: Path, report_dir: Path
) -> None:
    run_suite(*LIVE, "--sandbox-scenario=operator-drift", "-k", "live")
    signoff, report = pages(report_dir)
    table = drift_rows(signoff)
    assert list(table) == ["the biller file"]
    rows = table["the biller file"]
    assert rows["Advanced Setting 12"] == ("0417", "0418", "DIFFERS")
    assert rows["Advanced Setting 131"][2] == "matches"
    assert rows["Advanced Setting 26"] == (
        "${DEMO_PAYCONNECT_SECRET} (masked)",
        "(masked)",
        "matches",
    )
    assert rows["Option 127"] == ("enabled (true)", "enabled (true)", "matches")
    assert list(rows) == [
        "Advanced Setting 12",
        "Advanced Setting 20",
        "Advanced Setting 24",
        "Advanced Setting 25",
        "Advanced Setting 26",
        "Advanced Setting 27",
        "Advanced Setting 131",
        "Option 127",
    ]
    assert drift_rows(report) == table
    for value in CANARIES.values():
        assert value not in signoff
        assert value not in report


def test_a_production_run_shows_production_against_the_test_portal(
    run_suite: RunSuite, demo: Path, report_dir: Path
) -> None:
    run_suite(*LIVE, PRODUCTION, "--sandbox-scenario=production-cis-is-test", "-k", "live")
    signoff, _ = pages(report_dir)
    rows = drift_rows(signoff)["the test portal"]
    assert rows["Advanced Setting 20"][2] == "DIFFERS"
    assert rows["Advanced Setting 24"][2] == "differs as expected: the environment's own endpoint"
    assert rows["Advanced Setting 26"] == ("(masked)", "(masked)", "different (secret, not shown)")
    assert rows["Option 127"][2] == "matches"
    assert drift_rows(signoff)["the biller file"]["Advanced Setting 20"] == (
        "https://enquesta.demo.example.com/CISService",
        "https://enquesta-test.demo.example.com/CISService",
        "DIFFERS",
    )


def test_an_offline_run_has_no_drift_table(
    run_suite: RunSuite, demo: Path, report_dir: Path
) -> None:
    run_suite("-k", "operator or setting_131")
    signoff, report = pages(report_dir)
    assert "drift" not in signoff
    assert 'class="drift"' not in report


def test_the_drift_table_survives_parallel_workers(
    run_suite: RunSuite, demo: Path, report_dir: Path
) -> None:
    run_suite(*LIVE, "-n", "2", "--sandbox-scenario=operator-drift", "-k", "live and not network")
    signoff, report = pages(report_dir)
    rows = drift_rows(signoff)["the biller file"]
    assert rows["Advanced Setting 12"] == ("0417", "0418", "DIFFERS")
    assert len(rows) == 8
    assert drift_rows(report) == drift_rows(signoff)


@pytest.mark.pdf  # its signoff.pdf is read too
def test_a_secret_that_drifted_is_named_by_its_variable_and_never_shown_or_recorded(
    run_suite: RunSuite, demo: Path, biller_dir: Path, report_dir: Path
) -> None:
    fixtures = biller_dir.parent / "rehearsal-fixtures"  # a rehearsal records apart
    # token-login alone reads the portal once: its answer is recorded before any other test
    # could have made the portal's secret value known
    scenario = (
        "--sandbox-scenario=secret-drift",
        "--record-fixtures",
        f"--fixtures-dir={fixtures}",
    )
    result = run_suite(*LIVE, *scenario, "-k", "token and live")
    (token_login,) = outcomes(result).values()
    assert token_login.outcome == "failed"
    assert (
        "  settings-24-27: FAILED: Advanced Setting 26 has drifted: the portal's value differs "
        "from the file's ${DEMO_PAYCONNECT_SECRET} (neither is shown)." in token_login.text
    )
    written = "".join(p.read_text(encoding="utf-8") for p in fixtures.rglob("*.yaml"))
    assert "/api/configuration" in written
    tables = run_suite(*LIVE, "--sandbox-scenario=secret-drift", "-k", "settings_24_27 and live")
    signoff, _ = pages(report_dir)
    assert drift_rows(signoff)["the biller file"]["Advanced Setting 26"] == (
        "${DEMO_PAYCONNECT_SECRET} (masked)",
        "(masked)",
        "DIFFERS",
    )
    agreed = CANARIES["DEMO_PAYCONNECT_SECRET"]
    rotated = "rotated-" + hashlib.sha256(agreed.encode()).hexdigest()[:16]  # the sandbox's
    archived = "".join(archived_text(p) for p in report_dir.rglob("*.*") if p.is_file())
    assert list(report_dir.rglob(SIGNOFF_PDF))  # the printed sheet is read too
    shown = "".join([result.stdout.str(), result.stderr.str(), tables.stdout.str(), written])
    shown += archived
    assert agreed not in shown
    assert rotated not in shown
