"""report.html as a verdict list: the worst first in the suite's words, what does not apply
folded at the end, the right count, times in the window's time zone, and every value escaped."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

from conversion_qa.report import signoff, verdict_list
from conversion_qa.report.results import Outcome, Plan, Status, Summary, TestResult
from conversion_qa.report.verdict_list import Attached, Picture
from selftests.summaries import clean_live, first_test_of, with_rule, with_tests

EST = timezone(timedelta(hours=-5))
EVIDENCE = (
    "Evidence (trimmed, secrets redacted):\nPOST https://cis.example.com/RTDR\n"
    "  sent:     {}\n  answered: HTTP 500 in 0.01 s: <b>down</b>"
)


class _Rows(HTMLParser):
    """Each verdict row's outcome attribute and rule cell, in page order, and whether it lies in
    the folded part."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.folded = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "details" and found.get("id") == "does-not-apply":
            self.folded = True
        if tag == "tr" and found.get("class") == "verdict":
            self.rows.append((found["data-outcome"] or "", self.folded))


def rows_of(page: str) -> list[tuple[str, bool]]:
    parser = _Rows()
    parser.feed(page)
    return parser.rows


def changed(summary: Summary, rule_id: str, **changes: object) -> Summary:
    tests = list(summary.tests)
    at = first_test_of(summary, rule_id)
    tests[at] = dataclasses.replace(tests[at], **changes)  # type: ignore[arg-type]
    return with_tests(summary, tests)


def test_a_failure_comes_first_and_what_does_not_apply_is_folded_at_the_end() -> None:
    summary = clean_live()  # production-matches-test does not apply in test: skipped
    summary = changed(summary, "rtdr", outcome=Outcome.FAILED, message="RTDR answered 500.")
    summary = changed(summary, "iframe-lag", outcome=Outcome.WARNING, message="4.2 s")
    summary = changed(summary, "data-pump", outcome=Outcome.NOT_CHECKED, message="no answer")
    rows = rows_of(verdict_list.render(summary))
    outcomes = [outcome for outcome, _ in rows]
    assert outcomes[:3] == ["failed", "not-checked", "warning"]
    assert set(outcomes[3:-1]) == {"passed"}
    assert rows[-1] == ("does-not-apply", True)
    assert [folded for _, folded in rows].count(True) == 1


def test_a_skip_of_a_rule_that_applies_stays_in_the_list_with_its_reason() -> None:
    summary = changed(clean_live(), "option-127", outcome=Outcome.SKIPPED, message="-k chose")
    summary = with_rule(summary, "option-127", status=Status.SKIPPED)
    page = verdict_list.render(summary)
    assert ("skipped", False) in rows_of(page)
    assert '<td class="outcome outcome-skipped">skipped</td>' in page
    assert '<div class="message">-k chose</div>' in page


def test_the_count_names_every_test_in_the_suites_words() -> None:
    summary = changed(clean_live(), "rtdr", outcome=Outcome.NOT_CHECKED, message="no answer")
    page = verdict_list.render(summary)
    total = len(summary.tests)
    said = re.search(r'<p class="counts" id="counts">(.*?)</p>', page)
    assert said is not None
    assert said[1] == f"{total} tests: 1 not checked, {total - 2} passed, 1 does not apply"


def test_times_are_in_the_windows_time_zone_to_the_second_on_the_report_and_the_sheet() -> None:
    started = datetime(2026, 12, 5, 3, 4, 5, 678901, tzinfo=UTC)
    run = dataclasses.replace(
        clean_live().run, started=started, finished=started + timedelta(seconds=62.4)
    )
    window = Plan(window_start=datetime(2026, 12, 3, 18, 0, tzinfo=EST))
    summary = dataclasses.replace(clean_live(), run=run, plan=window)
    page = verdict_list.render(summary)
    assert "<dt>Started</dt><dd>2026-12-04 22:04:05 (UTC-05:00)</dd>" in page
    assert "<dt>Finished</dt><dd>2026-12-04 22:05:08 (UTC-05:00)</dd>" in page
    assert "<dt>Took</dt><dd>1 min 2 s</dd>" in page
    assert "678901" not in page
    sheet = signoff.render(summary)
    assert "<dt>Started</dt><dd>2026-12-04 22:04:05 (UTC-05:00)</dd>" in sheet
    assert "run of 2026-12-04 22:04:05 (UTC-05:00) to 2026-12-04 22:05:08 (UTC-05:00)" in sheet
    no_window = verdict_list.render(dataclasses.replace(clean_live(), run=run))
    assert "<dt>Started</dt><dd>2026-12-05 03:04:05 (UTC)</dd>" in no_window


def test_evidence_screenshots_and_output_are_collapsed_under_the_verdict() -> None:
    summary = changed(
        clean_live(),
        "rtdr",
        outcome=Outcome.FAILED,
        message="RTDR answered 500.",
        evidence=EVIDENCE,
    )
    rtdr = summary.tests[first_test_of(summary, "rtdr")]
    shown = Attached((Picture("bill-view", b"\x89PNG"),), "--- Captured stdout call ---\nhello")
    page = verdict_list.render(summary, {rtdr.nodeid: shown})
    assert "<details open" not in page
    assert "<summary>Evidence: the request and the answer" in page
    assert "answered: HTTP 500 in 0.01 s: &lt;b&gt;down&lt;/b&gt;</pre>" in page
    assert "Evidence (trimmed" not in page  # the summary line says it once
    assert '<img alt="bill-view" src="data:image/png;base64,iVBORw==">' in page
    assert "<pre>--- Captured stdout call ---\nhello</pre>" in page


def test_every_value_from_a_file_or_a_service_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    summary = changed(clean_live(), "rtdr", outcome=Outcome.FAILED, message=hostile, item=hostile)
    summary = dataclasses.replace(summary, biller_name=hostile)
    page = verdict_list.render(summary)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_row_keeps_the_stable_id_the_sheet_links_to() -> None:
    summary = changed(clean_live(), "rtdr", item="100234")
    test: TestResult = summary.tests[first_test_of(summary, "rtdr")]
    assert f'<tr id="{test.anchor}" class="verdict"' in verdict_list.render(summary)
    assert test.anchor == "rule-rtdr--100234"


def test_a_message_leaves_out_the_title_and_place_its_row_already_shows() -> None:
    message = "[rtdr] RTDR answers\ndemo / test / 100234\n\nRTDR answered HTTP 500."
    summary = changed(clean_live(), "rtdr", outcome=Outcome.FAILED, message=message)
    page = verdict_list.render(summary)
    assert '<div class="message">RTDR answered HTTP 500.</div>' in page
    assert '<div class="title">RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS' in page
    other = "[not-rtdr] something\nsecond line"  # a first line that is not its own header
    page = verdict_list.render(changed(clean_live(), "rtdr", message=other))
    assert "[not-rtdr] something\nsecond line</div>" in page
