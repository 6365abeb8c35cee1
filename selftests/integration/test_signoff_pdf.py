"""signoff.pdf: the sheet on paper. Read back with pypdf, page by page: how many pages, that each
is headed with the biller and the validity and numbered "page N of M", that every rule of the
catalogue is on it, and that the signature lines are on a page that names the run. Where no
browser can print it, the run says so in one line and the sheet is still archived."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conversion_qa.report import pdf, signoff, validity
from conversion_qa.report.archive import SIGNOFF, SIGNOFF_PDF
from conversion_qa.report.results import Contact, Status
from conversion_qa.rules.catalogue import RULES
from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.lent_chromium import NewPage
from selftests.reporting import run_folders
from selftests.summaries import clean_live, with_rule

pytestmark = [pytest.mark.linux_only, pytest.mark.pdf]  # Debian's chromium prints it

DEMO = "Demo Gas & Water (conversion-qa example)"


def pages_of(data: bytes) -> list[str]:
    """Each page's text, its whitespace made single spaces (pypdf breaks lines where it wraps)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def assert_paged(pages: list[str], biller: str, verdict: str) -> None:
    """Every page headed with the biller and the validity, and numbered N of M."""
    for number, text in enumerate(pages, start=1):
        assert biller in text, f"page {number} does not name the biller"
        assert verdict in text, f"page {number} does not say {verdict}"
        assert f"page {number} of {len(pages)}" in text
    whole = " ".join(pages)
    missing = [r.id for r in RULES if not re.search(rf"(^|\s){re.escape(r.id)}\s", whole)]
    assert missing == []


def archived_pdf(report_dir: Path) -> list[str]:
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert (folder / SIGNOFF).is_file()
    return pages_of((folder / SIGNOFF_PDF).read_bytes())


def test_a_clean_offline_run_prints_on_two_pages_at_most(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite()
    assert result.ret == pytest.ExitCode.OK
    pages = archived_pdf(report_dir)
    assert len(pages) <= 2
    assert_paged(pages, DEMO, validity.NOT_VALID)
    assert "no signoff.pdf" not in result.stdout.str()


def test_an_operator_drift_rehearsal_prints_on_three_pages_at_most_each_failure_in_three_lines(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite("-m", "live", "--sandbox", "--sandbox-scenario=operator-drift")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    pages = archived_pdf(report_dir)
    assert len(pages) <= 3
    assert_paged(pages, DEMO, validity.NOT_VALID)
    whole = " ".join(pages)
    # the failure's own sentence, where and the fix; the console's troubleshooting is not copied
    assert "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's" in whole
    assert "where: https://demo-test.portal.example.com/api/configuration" in whole
    assert "The checklist's troubleshooting, answered" not in whole
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    sheet = (folder / SIGNOFF).read_text(encoding="utf-8")
    assert 'href="report.html#rule-operator-number"' in sheet  # the evidence, one click away
    assert 'href="report.html#rule-rtdr--100234"' in sheet


def test_a_valid_sheet_prints_its_signature_lines_on_a_page_that_names_the_run() -> None:
    summary = dataclasses.replace(
        clean_live(),
        contacts=(
            Contact("S&S project manager", "Pat <Lee>", "pat@sns.example", "+1 555 0100"),
            Contact("S&S technical contact", "Sam Roe"),
        ),
    )
    judged = validity.of(summary)
    assert judged.valid
    printer = pdf.Printer()
    try:
        printed = printer.pdf(
            signoff.render(summary, paged=False), signoff.identity(summary), judged.verdict
        )
    finally:
        printer.close()
    pages = pages_of(printed)
    assert len(pages) <= 2
    assert_paged(pages, "Demo (demo)", validity.VALID)
    (signed,) = [page for page in pages if "name and signature" in page]
    assert f"{signoff.identity(summary)}; {signoff.stamp(summary)}" in signed
    assert "S&S project manager: Pat <Lee>, pat@sns.example, +1 555 0100" in " ".join(pages)


def test_without_a_browser_the_run_says_there_is_no_pdf_in_one_line(
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    write_biller(biller_dir, demo_data())
    result = run_suite()
    assert result.ret == pytest.ExitCode.OK
    said = [line for line in result.outlines if "signoff.pdf" in line]
    assert said == [
        "conversion-qa: no signoff.pdf: no browser is installed (sudo apt-get install chromium "
        "to have one); print signoff.html from a browser instead (it is laid out for paper too)"
    ]
    assert "Traceback" not in result.stdout.str()
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert (folder / SIGNOFF).is_file()
    assert not (folder / SIGNOFF_PDF).exists()


def test_a_browser_that_will_not_start_leaves_no_pdf_and_says_why(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, tmp_path: Path
) -> None:
    not_a_browser = tmp_path / "chromium"
    not_a_browser.write_text("not a browser\n")
    write_biller(biller_dir, demo_data())
    result = run_suite(f"--browser-path={not_a_browser}")
    assert result.ret == pytest.ExitCode.OK
    (line,) = [line for line in result.outlines if "signoff.pdf" in line]
    assert line.startswith(f"conversion-qa: no signoff.pdf: {not_a_browser} would not start: ")
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert not (folder / SIGNOFF_PDF).exists()


def test_signoff_html_prints_by_itself_with_the_run_and_page_numbers_on_every_page(
    new_page: NewPage,
) -> None:
    """A browser's own print of signoff.html (no header or footer of Playwright's): the page
    boxes of its CSS carry the run, the validity and "page N of M"; no row is lost."""
    summary = with_rule(clean_live(), "rtdr", status=Status.FAILED, reason="RTDR said no")
    summary = dataclasses.replace(summary, biller_name='Hostile "} body { display: none } x')
    sheet = signoff.render(summary)
    page = new_page()
    page.set_content(sheet)
    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = pages_of(printed)
    assert_paged(pages, 'Hostile "} body { display: none } x', validity.NOT_VALID)


def test_no_pdf_archives_the_sheet_without_trying_a_browser(
    run_suite: RunSuite, biller_dir: Path, report_dir: Path, tmp_path: Path
) -> None:
    """--no-pdf: no browser is started to print (one that would not start is never tried)."""
    not_a_browser = tmp_path / "chromium"
    not_a_browser.write_text("not a browser\n")
    write_biller(biller_dir, demo_data())
    result = run_suite(f"--browser-path={not_a_browser}", "--no-pdf")
    assert result.ret == pytest.ExitCode.OK
    assert [line for line in result.outlines if "signoff.pdf" in line] == []
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    assert (folder / SIGNOFF).is_file()
    assert not (folder / SIGNOFF_PDF).exists()
