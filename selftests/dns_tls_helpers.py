"""What the public-dns and endpoint-tls self-tests share: billers whose URLs name test hosts,
and reading each test's outcome and message from an in-process run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from selftests.helpers import demo_data, write_biller


def write_host_biller(folder: Path, name: str, url: str, portal: str | None = None) -> Path:
    """The demo biller renamed, with both endpoints at url and the portal at portal (or url)."""
    data: dict[str, Any] = demo_data()
    data["biller"] = name
    test = data["environments"]["test"]
    test["portal"] = portal or url
    test["endpoints"] = {"cis_service": url, "payconnect_service": url}
    return write_biller(folder, data)


Outcomes = dict[str, tuple[str, str]]


def outcomes(result: pytest.RunResult) -> Outcomes:
    """Each rule test's id -> (outcome, everything the user reads about it)."""
    found: Outcomes = {}
    for report in result.reprec.getreports("pytest_runtest_logreport"):  # type: ignore[attr-defined]
        if report.when != "call" and not (report.when == "setup" and not report.passed):
            continue
        test_id = report.nodeid.split("[", 1)[1].rstrip("]")
        words = [report.longreprtext, *(str(v) for _, v in report.user_properties)]
        outcome = "warned" if report.passed and _has_warning(report) else report.outcome
        found[test_id] = (outcome, "\n".join(words))
    return found


def _has_warning(report: pytest.TestReport) -> bool:
    return any(name == "warning" for name, _ in report.user_properties)
