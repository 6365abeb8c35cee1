"""Safe by construction: whatever a biller file, a service or an archived summary.json says, the
archived pages show it as text; none of it runs as script or becomes an element."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.report import board
from conversion_qa.report.archive import SUMMARY, run_stem
from conversion_qa.report.store import Store, location
from selftests.browser import rendered
from selftests.helpers import WITHIN_A_YEAR, RunSuite, demo_data, write_biller
from selftests.lent_chromium import NewPage
from selftests.reporting import run_folders, summary_of

pytestmark = pytest.mark.linux_only

# Each payload, if it ran, would set the page's title to PWNED; as an element it has a handler.
IMG = "<img src=x onerror=\"document.title='PWNED'\">"
SVG = "<svg onload=\"document.title='PWNED'\"></svg>"
SCRIPT = "<script>window.pwned=1;document.title='PWNED'</script>"
# A host holding markup never gets this far: no two URL readers agree on it, so the biller file
# is refused when it is read (integration/test_biller_files.py), and no test id can carry one.

NAME = f"Gas {IMG} & {SCRIPT} Co"
SELECTOR = f"banner {SVG}"  # free text to the schema; an expect: of markup is refused
JUSTIFICATION = f"accepted {IMG} {SCRIPT} by the PM"
TICKET = f"ITG-{IMG}"


def hostile_demo() -> dict[str, Any]:
    """The demo biller with markup in every free-text field its schema lets through."""
    data = demo_data()
    data["name"] = NAME
    data["conversion"]["itg"]["ticket"] = TICKET  # conversion.id: the schema allows no markup
    test = data["environments"]["test"]
    test["advanced_settings"]["12"] = f"04{IMG}"
    # test_accounts, custom code and iframe ids, tender methods: the schema allows no markup
    data["tender_types"][0]["code"] = SCRIPT
    data["custom_code"] = [
        {"id": "budget-billing-banner", "page": f"/Home{IMG}", "selector": SELECTOR}
    ]
    data["waivers"] = [
        {
            "rule": "iframe-lag",
            "item": IMG,
            "justification": JUSTIFICATION,
            "expires": WITHIN_A_YEAR,
        },
        # a waiver covers a rule's verdict (Option 127 disabled), not a page it could not read
        {"rule": "option-127", "justification": JUSTIFICATION, "expires": WITHIN_A_YEAR},
    ]
    test["options"]["127"] = False
    return data


class _Page(HTMLParser):
    """A rendered DOM: its elements (tag and attributes), its text, its title and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.title = ""
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "svg" or (tag in ("title", "script", "style") and "svg" not in self._in):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else None
        if where == "title":
            self.title += data
        elif where == "script":
            self.scripts.append(data)
        elif where in (None, "svg"):
            self.text.append(data)


def page_of(dom: str) -> _Page:
    page = _Page()
    page.feed(dom)
    page.close()
    return page


def assert_inert(dom: str, *shown: str) -> None:
    """Nothing injected ran or became an element; each value in shown is on the page as text."""
    page = page_of(dom)
    assert page.title.strip().lower() != "pwned", "an injected script ran"
    handlers = [  # the page's own handlers (onclick="location.reload()") are not ours
        (tag, attrs)
        for tag, attrs in page.elements
        if attrs.get("src") == "x"
        or any(name.startswith("on") and "pwned" in (v or "").lower() for name, v in attrs.items())
    ]
    assert handlers == [], f"injected elements in the page: {handlers}"
    assert not [s for s in page.scripts if "pwned" in s.lower()], "an injected <script> element"
    # whitespace as the browser lays text out; the DOM's own line breaks do not matter
    text = re.sub(r"\s+", " ", "".join(page.text))
    for value in shown:
        assert re.sub(r"\s+", " ", value) in text, f"not shown as text: {value!r}"


def tamper(folder: Path) -> None:
    """Two copies of a run beside folder, their summary.json edited with markup: one edited
    where the index believes any text (the biller's name), one where it reads none (the mode,
    the environment, a count, the time), which the index leaves out, saying why."""
    data = summary_of(folder)
    data["biller"]["name"] = f"Tampered {IMG}"
    now = datetime.now(UTC)  # the newest run: the board shows its name
    data["run"]["started"] = data["run"]["finished"] = now.isoformat()
    renamed = folder.parent / f"{run_stem(now, 'test', 'offline')}-9"
    shutil.copytree(folder, renamed)
    (renamed / SUMMARY).write_text(json.dumps(data), encoding="utf-8")
    data["environment"] = f"test{SCRIPT}"
    data["mode"] = f"offline{SVG}"
    data["run"]["started"] = f"2020-01-01T00:00:00{IMG}"
    data["counts"]["skipped"] = f"7{IMG}"
    old = folder.parent / "20200101T000000Z-test-offline"
    old.mkdir()
    (old / SUMMARY).write_text(json.dumps(data), encoding="utf-8")


def test_a_hostile_biller_file_is_text_in_the_report_and_the_signoff(
    new_page: NewPage,
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
) -> None:
    write_biller(biller_dir, hostile_demo())
    assert run_suite().ret == pytest.ExitCode.TESTS_FAILED
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    assert data["biller"]["name"] == NAME
    waived = [t for t in data["tests"] if t["outcome"] == "waived"]
    assert waived, "the option-127 waiver applies"
    assert JUSTIFICATION in waived[0]["message"]
    (operator,) = [t["message"] for t in data["tests"] if t["rule"] == "operator-number"]
    assert "<img src=x" in operator  # a failure message quoting the file

    report = rendered(new_page, folder / "report.html")
    assert_inert(
        report,
        f"{NAME} (demo)",  # the header's biller
        f"{NAME}: conversion DEMO-2026-12, test, offline",  # the title, escaped once only
        JUSTIFICATION,  # the waived test's message
        operator.split("\n", 2)[
            2
        ].strip(),  # the failure's message, under its rule's title and place
    )

    signoff = rendered(new_page, folder / "signoff.html")
    title = f"Sign-off: {NAME}, DEMO-2026-12 (test, offline)"  # an offline sheet: no signatures
    assert_inert(signoff, f"{NAME} (demo)", title, JUSTIFICATION)


def test_a_tampered_summary_in_the_archive_is_text_in_the_index(
    new_page: NewPage,
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
) -> None:
    write_biller(biller_dir, hostile_demo())
    run_suite("-k", "setting_131")
    (earlier,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    tamper(earlier)
    board.rebuild(Store.open(location(str(report_dir), report_dir)))
    assert len(run_folders(report_dir, "demo", "DEMO-2026-12")) == 3

    index = rendered(new_page, report_dir / "index.html")
    assert_inert(index, f"Tampered {IMG} (demo)", "20200101T000000Z-test-offline")
    page = rendered(new_page, earlier.parent / "index.html")
    assert_inert(page, f"Tampered {IMG} (demo)")
    assert page.count('<tr class="run"') == 2  # the one with markup in its mode is not listed
