"""A failing archive never hides the results: the test summary always prints, a report that could
not be saved is one line and exit status 3, and an unreadable old summary.json is a note in the
index, never fatal."""

from __future__ import annotations

import errno
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conversion_qa.report import archive
from conversion_qa.report.archive import SUMMARY
from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.reporting import (
    conversion_page,
    run_folders,
    summary_of,
    write_demo_with_broken_131,
)

ONE_RULE = ("-k", "setting_131")  # one test: quick, and its outcome decides the counts


def literal(text: str) -> str:
    """text as an fnmatch pattern matching itself (fnmatch_lines reads [ ] * ? as wildcards)."""
    return re.sub(r"([][*?])", r"[\1]", text)


def _not_a_folder(tmp: Path) -> tuple[Path, str]:
    """A report dir inside a regular file: no one, not even root, can create it."""
    blocker = tmp / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    return blocker / "reports", "[Errno 20] Not a directory"


def _a_file(tmp: Path) -> tuple[Path, str]:
    """A report dir that is an existing regular file (its biller folder cannot be made in it)."""
    path = tmp / "reports"
    path.write_text("not a folder\n", encoding="utf-8")
    return path, "[Errno 20] Not a directory"


@pytest.mark.parametrize("unwritable", [_not_a_folder, _a_file], ids=["in-a-file", "is-a-file"])
@pytest.mark.parametrize("broken", [False, True], ids=["tests-pass", "tests-fail"])
def test_an_archive_that_cannot_be_written_is_one_line_after_the_whole_summary(
    run_suite: RunSuite,
    biller_dir: Path,
    tmp_path: Path,
    unwritable: Callable[[Path], tuple[Path, str]],
    broken: bool,
) -> None:
    if broken:
        write_demo_with_broken_131(biller_dir)
    else:
        write_biller(biller_dir, demo_data())
    root, why = unwritable(tmp_path)
    result = run_suite(f"--report-dir={root}", *ONE_RULE)

    out = result.stdout.str()
    assert "Traceback" not in out + result.stderr.str()
    assert "INTERNALERROR" not in out + result.stderr.str()
    assert result.parseoutcomes()["failed" if broken else "passed"] == 1  # the counts line
    if broken:
        result.stdout.fnmatch_lines(["FAILED *test_setting_131[[]demo-test[]]*"])
    result.stdout.fnmatch_lines(
        [
            literal(f"conversion-qa: could not archive demo's report (test, offline) in {root}: ")
            + literal(why)
            + "*; these results were not saved",
            "=* 1 * in *",  # then pytest's own counts line, last as always
        ]
    )
    assert "conversion-qa: archived" not in out
    assert "conversion-qa: index" not in out
    # documented: a report not saved is exit status 3, whether the tests passed or failed
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


def test_a_full_disk_leaves_no_partial_folder_and_says_so(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: archive.RunFolder, name: str, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path(name)))

    monkeypatch.setattr(archive.RunFolder, "write", full)
    write_biller(biller_dir, demo_data())
    result = run_suite(*ONE_RULE)

    assert result.parseoutcomes()["passed"] == 1
    result.stdout.fnmatch_lines(
        [
            literal(
                f"conversion-qa: could not archive demo's report (test, offline) in {report_dir}: "
                "[Errno 28] No space left on device: "
            )
            + "*; these results were not saved",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    assert list((report_dir / "demo" / "DEMO-2026-12").iterdir()) == []


def test_a_bug_in_the_archiver_shows_its_traceback_and_still_the_summary(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(*_: object) -> str:  # as signoff.render(summary, drift_rows)
        raise KeyError("rules")

    monkeypatch.setattr("conversion_qa.report.signoff.render", buggy)
    write_biller(biller_dir, demo_data())
    result = run_suite(*ONE_RULE)

    assert result.parseoutcomes()["passed"] == 1
    result.stdout.fnmatch_lines(
        [
            "Traceback (most recent call last):",
            "KeyError: 'rules'",
            literal(
                f"conversion-qa: could not archive demo's report (test, offline) in {report_dir}: "
                "KeyError: 'rules' (a conversion-qa bug: its traceback is above); "
                "these results were not saved"
            ),
            "=* 1 passed* in *",
        ]
    )
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


def _old_run(report_dir: Path, stamp: str, text: str, biller: str = "demo") -> str:
    folder = report_dir / biller / "DEMO-2026-12" / f"{stamp}-test-offline"
    folder.mkdir(parents=True)
    (folder / SUMMARY).write_text(text, encoding="utf-8")
    return f"{biller}/DEMO-2026-12/{folder.name}/{SUMMARY}"


def test_unreadable_old_summaries_are_noted_in_the_index_and_never_fatal(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, pytester: pytest.Pytester
) -> None:
    write_biller(biller_dir, demo_data())
    assert run_suite(*ONE_RULE).ret == pytest.ExitCode.OK
    (good,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    whole = summary_of(good)

    def variant(**changes: object) -> str:
        data = json.loads(json.dumps(whole))
        data.update(changes)
        return json.dumps({k: v for k, v in data.items() if v is not None})

    notes = {
        _old_run(report_dir, "20200101T000000Z", '{"schema_version": 1, "counts": {'): (
            "not valid JSON"
        ),
        _old_run(report_dir, "20200102T000000Z", variant(counts=[1, 2, 3])): (
            "counts: [1, 2, 3] is not of type &#39;object&#39;"
        ),
        _old_run(report_dir, "20200103T000000Z", variant(run=None)): (
            "the summary: &#39;run&#39; is a required property"
        ),
        _old_run(report_dir, "20200104T000000Z", variant(schema_version=7)): (
            "schema_version 7; this suite reads versions 1, 2 and 3"
        ),
        _old_run(report_dir, "20200105T000000Z", "[]"): "not a JSON object but list",
        _old_run(report_dir, "20200106T000000Z", variant(counts={"passed": 1})): (
            "counts: &#39;failed&#39; is a required property"
        ),
        _old_run(report_dir, "20200107T000000Z", variant(biller={"id": "demo"}), "other"): (
            "biller: &#39;name&#39; is a required property"
        ),
    }

    # folders put in the archive by hand reach the catalogue when it is rebuilt
    repair = pytester.run(
        sys.executable, "-m", "conversion_qa.archive", "rebuild", f"--report-dir={report_dir}"
    )
    assert repair.ret == 0, repair.stderr.str()
    assert "Traceback" not in repair.stdout.str() + repair.stderr.str()
    for path in notes:  # said on the console, unescaped
        assert any(path in line for line in repair.stdout.lines if "left out" in line), path
    result = run_suite(*ONE_RULE)

    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert result.parseoutcomes()["passed"] == 1
    result.stdout.fnmatch_lines(
        [
            "conversion-qa: archived *",
            literal(f"conversion-qa: index {report_dir / 'index.html'}"),
            f"conversion-qa: the index leaves out {len(notes)} archived file(s) *",
        ]
    )
    assert result.ret == pytest.ExitCode.OK
    page = conversion_page(report_dir)
    for folder in run_folders(report_dir, "demo", "DEMO-2026-12")[-2:]:  # the two good runs
        assert f'data-folder="demo/DEMO-2026-12/{folder.name}"' in page
    assert page.count('<tr class="run"') == 2
    board = (report_dir / "index.html").read_text(encoding="utf-8")
    foot = board[board.index('<section id="skipped">') :]
    for path, reason in notes.items():
        assert f"<li>{path}: {reason}" in foot
