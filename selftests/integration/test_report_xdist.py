"""Under xdist only the controller archives, and the archive equals a serial run's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.reporting import (
    BROKEN_131,
    count_tests,
    junit_cases,
    report_rows,
    run_folders,
    summary_of,
)


def _comparable(folder: Path) -> dict[str, Any]:
    """What must not depend on xdist: every test, outcome and message, in every artefact."""
    data = summary_of(folder)
    tests = [{k: v for k, v in t.items() if k != "duration"} for t in data["tests"]]
    rows = [  # in page order, without each test's time
        (node, row.outcome, {k: v for k, v in row.cells.items() if k != "time"})
        for node, row in report_rows(folder).items()
    ]
    return {
        "rules": data["rules"],
        "counts": data["counts"],
        "tests": tests,
        "junit": junit_cases(folder),
        "report": rows,
    }


def test_a_parallel_run_archives_what_a_serial_run_does(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    broken = demo_data()
    broken["biller"] = "broken"
    broken["conversion"]["id"] = "BROKEN-2026-12"
    broken["environments"]["test"]["advanced_settings"]["131"] = BROKEN_131
    write_biller(biller_dir, broken)

    serial_run, parallel_run = run_suite(), run_suite("-n", "2")
    assert serial_run.parseoutcomes() == parallel_run.parseoutcomes()
    assert serial_run.parseoutcomes()["failed"] >= 1

    for biller, conversion in (("demo", "DEMO-2026-12"), ("broken", "BROKEN-2026-12")):
        serial, parallel = run_folders(report_dir, biller, conversion)
        assert _comparable(serial) == _comparable(parallel)
        assert len(summary_of(serial)["tests"]) == count_tests(serial_run) / 2  # two billers
        assert {
            t["nodeid"].split("[")[1][: len(biller)] for t in summary_of(parallel)["tests"]
        } == {biller}
    assert not list(report_dir.glob("**/.*.partial"))
