"""Every sheet says first whether it can be signed: the mode and validity of six kinds of run, over
real sockets, in summary.json, signoff.html, report.html, the console and the conversion board.

The clean live run is a live run by the suite's own rule (no --sandbox, --resolve or
--accept-loopback-dns): selftests/live_systems.py stands in for the internet below the suite.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.report import summary_json
from conversion_qa.report.archive import REPORT, SIGNOFF
from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.live_systems import real_systems
from selftests.network_helpers import CANARIES
from selftests.reporting import board_row, report_rows, run_folders, summary_of

VALID = "VALID FOR SIGN-OFF"
NOT_VALID = "NOT VALID FOR SIGN-OFF"


def reasons_on(sheet: str) -> list[str]:
    """The reasons listed under a sheet's banner."""
    found = re.search(r'<ul class="reasons">(.*?)</ul>', sheet, re.S)
    return [html.unescape(r) for r in re.findall(r"<li>(.*?)</li>", found[1])] if found else []


def assert_run(
    result: pytest.RunResult, report_dir: Path, mode: str, reasons: list[str]
) -> dict[str, Any]:
    """The one archived run has this mode and validity on every sheet; its summary."""
    valid = not reasons
    verdict = VALID if valid else NOT_VALID
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert folder.name.endswith(f"-test-{mode}")

    data = summary_of(folder)
    summary_json.validate(data)
    assert (data["mode"], data["signoff"]) == (mode, {"valid": valid, "reasons": reasons})
    assert list(data)[:2] == ["schema_version", "signoff"]

    sheet = (folder / SIGNOFF).read_text(encoding="utf-8")
    assert sheet.index('<section id="validity"') < sheet.index("<h1>")  # stated first
    assert f'<p class="banner">{verdict}</p>' in sheet
    assert reasons_on(sheet) == reasons
    assert ("name and signature" in sheet) is valid  # signature lines on a valid sheet only

    report = (folder / REPORT).read_text(encoding="utf-8")
    assert f"<title>{verdict}: " in report
    assert report.index('<section id="validity"') < report.index("<h1>")  # stated first
    assert f'<p class="banner">{verdict}</p>' in report
    assert reasons_on(report) == reasons

    said = f"conversion-qa: demo test {mode}: {verdict}" + (
        f": {'; '.join(reasons)}" if reasons else ""
    )
    assert said in result.outlines
    return data


def live_cell(report_dir: Path) -> str:
    return board_row(report_dir, "demo").cells["live-test"]


@pytest.mark.browser
def test_a_rehearsal_is_never_valid(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite("-m", "live", "--sandbox")
    assert result.ret == pytest.ExitCode.OK  # every rule passed: still no sign-off
    data = assert_run(result, report_dir, "rehearsal", ["a rehearsal against the local sandbox"])
    assert data["rehearsal"] == ["--sandbox"]

    row = board_row(report_dir, "demo")
    assert "no live run yet" in row.cells["live-test"]  # a rehearsal is not the live state
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert ("apart", f"demo/DEMO-2026-12/{folder.name}/{REPORT}") in [
        (cell, href) for cell, href, _ in row.links
    ]
    assert "rehearsal: " in row.cells["apart"]


def test_an_offline_run_is_never_valid(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite()
    assert result.ret == pytest.ExitCode.OK
    assert_run(
        result,
        report_dir,
        "offline",
        ["offline: recorded answers prove the file, not the conversion"],
    )
    row = board_row(report_dir, "demo")
    assert "no live run yet" in row.cells["live-test"]
    assert "offline: " in row.cells["apart"]
    assert "rehearsal: none" in row.cells["apart"]


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch, biller_dir: Path) -> Any:
    """Options of a live run against billers as if they were on the internet (see module)."""

    def start(scenarios: tuple[str, ...] = ()) -> Any:
        return real_systems(monkeypatch, biller_dir, scenarios)

    return start


@pytest.mark.browser
def test_a_clean_live_run_is_valid(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    write_biller(biller_dir, demo_data())
    with live() as options:
        result = run_suite(*options)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["conversion-qa *: billers demo; environment test; mode live: *"])
    data = assert_run(result, report_dir, "live", [])
    assert data["rehearsal"] == []
    applying = [r for r in data["rules"] if r["applies"]]
    assert {r["status"] for r in applying} == {"passed"}  # no loopback warning either
    assert [r["id"] for r in data["rules"] if not r["applies"]] == ["production-matches-test"]
    cell = live_cell(report_dir)
    assert cell.startswith(VALID)
    assert board_row(report_dir, "demo").outstanding == []


@pytest.mark.browser
def test_a_live_run_that_connected_to_loopback_is_a_rehearsal_naming_each_host_and_address(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same clean live run, its systems answering on 127.0.0.1: no option made it a
    rehearsal, the addresses its connections reached did."""
    write_biller(biller_dir, demo_data())
    with real_systems(monkeypatch, biller_dir, address="127.0.0.1") as options:
        result = run_suite(*options)
    assert result.ret == pytest.ExitCode.OK  # every rule passed: still no sign-off
    reached = [
        f"connected {host} at 127.0.0.1 (loopback), not a public address"
        for host in ("demo-test.portal.example.com", "enquesta-test.demo.example.com")
    ]
    data = assert_run(result, report_dir, "rehearsal", [f"a rehearsal: it {'; it '.join(reached)}"])
    assert data["rehearsal"] == reached
    assert "no live run yet" in board_row(report_dir, "demo").cells["live-test"]


@pytest.mark.browser
def test_a_single_user_biller_is_valid_without_its_multi_user_rules(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    single = demo_data()
    single["multi_user"] = False
    del single["custom_code"]
    write_biller(biller_dir, single)
    with live() as options:
        result = run_suite(*options)
    data = assert_run(result, report_dir, "live", [])
    skipped = {r["id"] for r in data["rules"] if not r["applies"]}
    assert skipped == {
        "settings-24-27",
        "option-127",
        "token-login",
        "custom-code",
        "production-matches-test",  # checks production only
    }


@pytest.mark.browser
def test_a_k_selection_is_not_valid_and_names_the_rules_left_out(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    write_biller(biller_dir, demo_data())
    with live() as options:
        result = run_suite(*options, "-k", "not rtdr and not data-pump")
    assert result.ret == pytest.ExitCode.OK
    assert_run(
        result, report_dir, "live", ["rules not run: rtdr, data-pump (a -k or file selection)"]
    )
    row = board_row(report_dir, "demo")
    assert row.cells["live-test"].startswith(NOT_VALID)
    assert row.outstanding == [
        ("live-test", "rtdr (not run)"),
        ("live-test", "data-pump (not run)"),
    ]


@pytest.mark.browser
def test_a_failed_live_run_is_not_valid_and_links_the_failure(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    write_biller(biller_dir, demo_data())
    with live(("rtdr-500",)) as options:
        result = run_suite(*options)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert_run(result, report_dir, "live", ["rtdr failed"])
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    row = board_row(report_dir, "demo")
    assert row.outstanding == [("live-test", "rtdr (failed)")]
    assert (
        "live-test",
        f"demo/DEMO-2026-12/{folder.name}/report.html#rule-rtdr--100234",
        "rtdr",
    ) in (row.links)
    rows = report_rows(folder).values()
    assert [r.outcome for r in rows if r.anchor == "rule-rtdr--100234"] == ["failed"]


@pytest.mark.browser
def test_an_expired_waiver_is_not_valid_and_says_when_it_expired(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    demo = demo_data()
    demo["waivers"] = [
        {"rule": "rtdr", "justification": "S&S fix due Friday", "expires": "2026-06-30"}
    ]
    write_biller(biller_dir, demo)
    with live(("rtdr-500",)) as options:
        result = run_suite(*options)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    data = assert_run(
        result, report_dir, "live", ["rtdr failed", "a waiver for rtdr expired on 2026-06-30"]
    )
    assert data["waivers"] == [
        {
            "rule": "rtdr",
            "item": None,
            "expires": "2026-06-30",
            "justification": "S&S fix due Friday",
            "state": "expired",
        }
    ]


def test_a_live_run_checked_without_a_browser_is_not_valid(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, live: Any
) -> None:
    write_biller(biller_dir, demo_data())
    with live() as options:
        result = run_suite(*options, "--no-browser")
    assert result.ret == pytest.ExitCode.OK  # the raw checks passed, with a warning
    data = assert_run(
        result, report_dir, "live", ["custom-code and iframe-lag checked without a browser"]
    )
    assert data["without_browser"] == ["custom-code", "iframe-lag"]


@pytest.mark.browser
def test_an_after_go_live_run_with_production_writes_allowed_can_be_valid(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in CANARIES.items():  # the demo's production secrets have no default
        monkeypatch.setenv(name, value)
    write_biller(biller_dir, demo_data())
    with real_systems(monkeypatch, biller_dir) as options:
        chosen = ("--env=production", "--allow-production-writes")
        result = run_suite(*options, *chosen)
    assert result.ret == pytest.ExitCode.OK
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert folder.name.endswith("-production-live")
    data = summary_of(folder)
    assert data["signoff"] == {"valid": True, "reasons": []}
    applying = {r["id"]: r["status"] for r in data["rules"] if r["applies"]}
    assert applying["production-matches-test"] == "passed"
    assert applying["data-pump"] == "passed"
    assert applying["token-login"] == "passed"
    said = "conversion-qa: demo production live: VALID FOR SIGN-OFF"
    assert said in result.outlines


@pytest.mark.browser
def test_an_after_go_live_run_without_production_writes_is_not_valid_naming_the_option(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    write_biller(biller_dir, demo_data())
    with real_systems(monkeypatch, biller_dir) as options:
        result = run_suite(*options, "--env=production")
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert summary_of(folder)["signoff"]["reasons"] == [
        "rules not checked: data-pump, token-login (a write to production, sent only with "
        "--allow-production-writes)"
    ]
    assert "rerun with --allow-production-writes" in result.stdout.str()
