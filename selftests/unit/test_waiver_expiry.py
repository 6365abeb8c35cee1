"""A waiver may last a year at most: one expiring later is a mistake of the biller file, with its
line, judged on the run's date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conversion_qa.config import load_biller
from conversion_qa.errors import BillerFileError
from selftests.helpers import demo_data, write_biller

TODAY = date(2026, 12, 3)


def with_waiver(folder: Path, expires: str) -> Path:
    data = demo_data()
    data["waivers"] = [
        {
            "rule": "iframe-lag",
            "item": "bill-view",
            "justification": "CDN cut-over later",
            "expires": expires,
        }
    ]
    return write_biller(folder, data)


@pytest.mark.parametrize("expires", ["2026-12-02", "2026-12-03", "2027-06-30", "2027-12-04"])
def test_a_waiver_of_a_year_or_less_is_accepted(tmp_path: Path, expires: str) -> None:
    biller = load_biller(with_waiver(tmp_path, expires), today=TODAY)
    assert str(biller.waivers[0].expires) == expires


@pytest.mark.parametrize("expires", ["2027-12-05", "2030-01-01", "9999-12-31"])
def test_a_waiver_for_longer_than_a_year_is_a_mistake_naming_its_line(
    tmp_path: Path, expires: str
) -> None:
    path = with_waiver(tmp_path, expires)
    with pytest.raises(BillerFileError) as error:
        load_biller(path, today=TODAY)
    assert error.value.field == "waivers[0].expires"
    lines = path.read_text().splitlines()
    assert error.value.line is not None
    assert "expires:" in lines[error.value.line - 1] or "- rule:" in lines[error.value.line - 1]
    assert str(error.value) == (
        f"{path}:{error.value.line}: field 'waivers[0].expires' is {expires}, more than a year "
        "after today (2026-12-03); a waiver may last a year at most: set an expiry on or before "
        "2027-12-04, and renew the waiver then, with its justification, if it is still needed"
    )


def test_the_year_is_counted_from_the_runs_date(tmp_path: Path) -> None:
    path = with_waiver(tmp_path, "2027-12-05")
    with pytest.raises(BillerFileError):
        load_biller(path, today=TODAY)
    assert load_biller(path, today=date(2026, 12, 4)).waivers
