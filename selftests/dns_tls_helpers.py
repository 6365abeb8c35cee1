"""What the public-dns and endpoint-tls self-tests share: billers whose URLs name test hosts,
and each test's outcome by its test id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from selftests.helpers import demo_data, write_biller
from selftests.outcomes import Outcome, by_test_id
from selftests.outcomes import outcomes as read_outcomes


def write_host_biller(folder: Path, name: str, url: str, portal: str | None = None) -> Path:
    """The demo biller renamed, with both endpoints at url and the portal at portal (or url)."""
    data: dict[str, Any] = demo_data()
    data["biller"] = name
    test = data["environments"]["test"]
    test["portal"] = portal or url
    test["endpoints"] = {"cis_service": url, "payconnect_service": url}
    return write_biller(folder, data)


Outcomes = dict[str, Outcome]  # by test id ("demo-test-cis.biller.test")


def outcomes(result: pytest.RunResult) -> Outcomes:
    """Each rule test's outcome by test id."""
    return by_test_id(read_outcomes(result))
