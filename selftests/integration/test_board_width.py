"""The board fits a 1280 px screen: headless Chromium lays it out at a 1280 px viewport, with
many conversions, long biller names and ids, failing live runs in both environments and approvals,
and the document is no wider than the window (no horizontal scroll)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from conversion_qa.report import index
from conversion_qa.report.catalogue import Conversion, newest_first, record_of
from conversion_qa.report.results import Mode, Status
from selftests.lent_chromium import NewPage
from selftests.summaries import clean_live, with_rule

pytestmark = pytest.mark.linux_only  # Debian's chromium lays it out

WIDTH = 1280
LONG = "Southeastern Michigan Consolidated Gas, Water & Electric Cooperative Authority"


def crowded_board() -> str:
    """A board of twelve conversions, each with live runs failing in both environments, an
    offline run and a rehearsal, under long names."""
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    conversions = []
    for number in range(12):
        biller = f"biller-with-a-long-identifier-{number:02d}"
        conversion = f"CONVERSION-{number:02d}-2026-12-WEEKEND-OF-THE-FIRST-UPGRADE"
        records = []
        runs = (("test", Mode.LIVE), ("production", Mode.LIVE), ("test", Mode.OFFLINE))
        for step, (environment, mode) in enumerate((*runs, ("test", Mode.REHEARSAL))):
            summary = clean_live(environment)
            for rule in ("rtdr", "data-pump", "endpoint-settings", "public-dns"):
                summary = with_rule(summary, rule, status=Status.FAILED, anchor=f"rule-{rule}")
            when = start + timedelta(hours=number * 4 + step)
            summary = dataclasses.replace(
                summary,
                biller_id=biller,
                biller_name=f"{LONG} {number}",
                conversion=conversion,
                mode=mode,
                run=dataclasses.replace(summary.run, started=when, finished=when),
            )
            folder = f"{biller}/{conversion}/{when:%Y%m%dT%H%M%SZ}-{environment}-{mode}"
            records.append(record_of(summary, folder, None))
        conversions.append(Conversion(biller, conversion, tuple(newest_first(records))))
    return index.render(conversions, datetime(2026, 11, 26, tzinfo=UTC))


def test_the_board_fits_1280_pixels_without_horizontal_scroll(
    new_page: NewPage,
) -> None:
    page_html = crowded_board()
    assert page_html.count('<tr class="conversion"') == 12
    page = new_page(viewport={"width": WIDTH, "height": 800})
    page.route("**/*", lambda route: route.abort())  # the page loads nothing
    page.set_content(page_html)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    history = page.evaluate(
        "Math.max(...[...document.querySelectorAll('td.history')]"
        ".map(td => td.getBoundingClientRect().right))"
    )
    assert scroll_width <= WIDTH
    assert history <= WIDTH  # the pass-rate column, the last, is on the screen
