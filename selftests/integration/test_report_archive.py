"""Every run is archived per biller and conversion: complete, never overwritten, on the board."""

from __future__ import annotations

import html
import json
import multiprocessing
import re
from pathlib import Path

import jsonschema
import pytest

from conversion_qa.report import archive, board, summary_json
from conversion_qa.report.store import Store, location
from conversion_qa.rules.catalogue import RULES, rule
from selftests.helpers import WITHIN_A_YEAR, RunSuite, demo_data, write_biller
from selftests.reporting import (
    FILES,
    WAIVER,
    WARNED_AND_WAIVED,
    conversion_page,
    count_tests,
    junit_cases,
    report_rows,
    rule_row,
    run_folders,
    run_project,
    summary_of,
    write_demo_with_broken_131,
)


def test_two_runs_leave_two_complete_folders_and_an_index_linking_both(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    first = run_suite()
    assert first.ret == pytest.ExitCode.OK
    assert run_suite().ret == pytest.ExitCode.OK
    count = count_tests(first)

    folders = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert len(folders) == 2
    for folder in folders:
        # and the browser checks' screenshots (offline: the recorded ones)
        assert {p.name for p in folder.iterdir()} == {*FILES, "screenshots"}
        assert folder.name.endswith(("-test-offline", "-test-offline-2"))
        data = summary_of(folder)
        summary_json.validate(data)
        assert data["counts"]["passed"] == first.parseoutcomes()["passed"]
        assert [r["id"] for r in data["rules"]] == [r.id for r in RULES]
        assert len(data["tests"]) == count
        assert len(report_rows(folder)) == count
        assert len(junit_cases(folder)) == count
    board = (report_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="demo/DEMO-2026-12/index.html"' in board  # the conversion's page
    page = conversion_page(report_dir)
    for folder in folders:
        assert f'href="{folder.name}/report.html"' in page
        assert f'href="{folder.name}/signoff.html"' in page
        assert f'href="{folder.name}/manifest.json"' in page
    newest, oldest = (f'data-folder="demo/DEMO-2026-12/{f.name}"' for f in reversed(folders))
    assert page.index(newest) < page.index(oldest)  # newest first
    assert "<svg" in page


def test_a_failing_biller_shows_the_failure_with_its_troubleshooting(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_demo_with_broken_131(biller_dir)
    assert run_suite().ret == pytest.ExitCode.TESTS_FAILED

    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    troubleshooting = rule("setting-131").troubleshooting
    row = rule_row(data, "setting-131")
    assert row["status"] == "failed"
    assert troubleshooting in row["reason"]
    assert rule_row(data, "option-127")["status"] == "passed"
    (failed,) = [t for t in data["tests"] if t["rule"] == "setting-131"]
    assert failed["outcome"] == "failed"
    assert "expected:" in failed["message"]
    assert "found:" in failed["message"]
    signoff = (folder / "signoff.html").read_text(encoding="utf-8")
    assert re.search(r"\d+ rule\(s\) failed: [^.]*setting-131", signoff)
    # the sheet: what was found, where and the fix, linking to report.html for the rest
    assert 'href="report.html#rule-setting-131"' in signoff
    assert '<p class="fix">fix: ' in signoff
    assert troubleshooting.split(";")[0].replace('"', "&quot;")[:40] not in signoff
    assert ("tests.test_configuration", "test_setting_131[demo-test]", "failure") in (
        junit_cases(folder)
    )
    rows = report_rows(folder)
    failed = rows["tests/test_configuration.py::test_setting_131[demo-test]"]
    assert (failed.outcome, failed.cells["outcome"], failed.cells["rule"]) == (
        "failed",
        "failed",
        "setting-131",
    )
    assert next(iter(rows.values())) is failed  # the failure first


def test_rules_outside_the_selection_are_not_run_and_skips_keep_their_reason(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    single = demo_data()
    single["multi_user"] = False
    write_biller(biller_dir, single)
    run_suite("-k", "option-127 or setting-131").assert_outcomes(passed=1, skipped=1)

    data = summary_of(run_folders(report_dir, "demo", "DEMO-2026-12")[0])
    assert rule_row(data, "setting-131")["status"] == "passed"
    option = rule_row(data, "option-127")
    assert option["status"] == "skipped"
    assert "single-user biller" in option["reason"]
    assert rule_row(data, "tender-types")["status"] == "not run"
    assert len(data["tests"]) == 2


def test_warned_and_waived_tests_appear_as_such(
    pytester: pytest.Pytester, biller_dir: Path, report_dir: Path
) -> None:
    demo = demo_data()
    demo["waivers"] = [{"rule": "custom-code", "justification": WAIVER, "expires": WITHIN_A_YEAR}]
    write_biller(biller_dir, demo)
    result = run_project(pytester, biller_dir, report_dir, WARNED_AND_WAIVED, "--biller=demo")
    assert result.ret == pytest.ExitCode.OK

    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    lag, custom = rule_row(data, "iframe-lag"), rule_row(data, "custom-code")
    assert lag["status"] == "warning"
    assert "bill-view took 4.2 s in test" in lag["reason"]
    assert custom["status"] == "waived"
    assert WAIVER in custom["reason"]
    assert WITHIN_A_YEAR in custom["reason"]
    assert data["counts"]["warning"] == lag["tests"]
    assert data["counts"]["waived"] == custom["tests"]
    cells = {node.split("::")[-1].split("[")[0]: row for node, row in report_rows(folder).items()}
    warned = cells["test_iframe_lag"]
    assert (warned.outcome, warned.cells["outcome"]) == ("warning", "warning")
    assert "4.2 s" in warned.cells["found"]
    waived = cells["test_custom_code"]
    assert (waived.outcome, waived.cells["outcome"]) == ("waived", "waived")
    assert WAIVER in waived.cells["found"]
    signoff = (folder / "signoff.html").read_text(encoding="utf-8")
    assert 'data-rule="custom-code" data-status="waived"' in signoff
    assert 'data-rule="iframe-lag" data-status="warning"' in signoff


def test_the_schema_rejects_a_summary_that_breaks_it(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    run_suite("-k", "setting-131")
    data = summary_of(run_folders(report_dir, "demo", "DEMO-2026-12")[0])
    summary_json.validate(data)
    data["rules"][0]["status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        summary_json.validate(data)


def test_no_archive_writes_nothing(run_suite: RunSuite, biller_dir: Path, report_dir: Path) -> None:
    write_biller(biller_dir, demo_data())
    run_suite("--no-archive", "-k", "setting-131").assert_outcomes(passed=1)
    assert not report_dir.exists()


def _local(root: Path) -> Store:
    return Store.open(location(str(root), root))


def test_a_taken_name_gets_a_new_folder_and_nothing_is_overwritten(tmp_path: Path) -> None:
    store = _local(tmp_path)
    first = archive.RunFolder(store, "demo/C", "20261125T010203Z-test-offline")
    first.write("summary.json", "{}")
    second = archive.RunFolder(store, "demo/C", "20261125T010203Z-test-offline")
    assert (first.commit(), second.commit()) == (
        "demo/C/20261125T010203Z-test-offline",
        "demo/C/20261125T010203Z-test-offline-2",
    )
    assert (tmp_path / "demo/C/20261125T010203Z-test-offline/summary.json").read_text() == "{}"


def _reserve(parent: Path) -> str:
    return archive.reserve(_local(parent), "demo/C", "20261125T010203Z-test-offline")


def test_concurrent_runs_reserve_different_folders(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        names = pool.map(_reserve, [tmp_path] * 8)
    assert len(set(names)) == 8


def test_an_unfinished_folder_is_neither_whole_nor_on_the_board(tmp_path: Path) -> None:
    store = _local(tmp_path)
    folder = archive.RunFolder(store, "demo/DEMO-2026-12", "20261125T010203Z-test-offline")
    folder.write("report.html", "<html></html>")  # killed here: no rename, no manifest
    final = tmp_path / folder.key
    assert list(final.iterdir()) == []  # the visible name is an empty folder
    assert folder.temp.name.startswith(".")
    published = board.rebuild(store)
    assert published is not None
    assert "No run archived yet" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert published.skipped == ()  # not a run that could not be read: no run at all


def test_a_failed_write_leaves_no_folder_behind(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("conversion_qa.report.signoff.render", broken)
    write_biller(biller_dir, demo_data())
    run_suite("-k", "setting-131")
    conversion = report_dir / "demo" / "DEMO-2026-12"
    assert list(conversion.iterdir()) == []


def test_the_index_charts_each_billers_pass_rate_over_its_runs(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    run_suite()
    write_demo_with_broken_131(biller_dir)
    run_suite()

    counts = summary_of(run_folders(report_dir, "demo", "DEMO-2026-12")[1])["counts"]
    rate = f"{(counts['passed'] + counts['warning']) / (counts['passed'] + counts['failed']):.0%}"
    assert rate != "100%"
    page = conversion_page(report_dir)
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert chart.count("<circle") == 2
    assert chart.index(": 100%</title>") < chart.index(f": {rate}</title>")  # oldest to newest
    assert f"latest pass rate {rate}" in page


def test_the_report_counts_every_test_in_the_suites_words_and_folds_what_does_not_apply(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite()
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    text = (folder / archive.REPORT).read_text(encoding="utf-8")
    tests = count_tests(result)  # the skipped one too
    passed = result.parseoutcomes()["passed"]
    assert (
        f'<p class="counts" id="counts">{tests} tests: {passed} passed, 1 does not apply</p>'
        in (text)
    )
    rows = report_rows(folder)
    assert len(rows) == tests
    (folded,) = [row for row in rows.values() if row.folded]  # production-matches-test, in test
    assert (folded.outcome, folded.cells["rule"]) == ("does-not-apply", "production-matches-test")
    assert list(rows.values())[-1] is folded
    assert "checkbox" not in text  # no pytest-html filter: the page has no script
    assert "<script" not in text


def test_a_users_own_html_report_has_the_rule_columns_escaped(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, tmp_path: Path
) -> None:
    """pytest-html's session report (`--html`), through its one adapter: each rule test's row
    names its rule, item and outcome in the suite's words, every value escaped."""
    write_demo_with_broken_131(biller_dir)
    own = tmp_path / "own.html"
    assert run_suite(f"--html={own}").ret == pytest.ExitCode.TESTS_FAILED
    blob = re.search(r'data-jsonblob="([^"]*)"', own.read_text("utf-8"))
    assert blob, "pytest-html wrote no data"
    tests = json.loads(html.unescape(blob[1]))["tests"]
    (row,) = tests["tests/test_configuration.py::test_setting_131[demo-test]"]
    cells = "".join(row["resultsTableRow"])
    assert '<td class="col-rule">setting-131</td>' in cells
    assert '<td class="col-outcome outcome-failed">failed</td>' in cells
    assert "&quot;SystemsAndSoftware&quot;" in cells  # the file's value, escaped once
