"""The archived pages as a browser renders them (pytest-html builds its table in JavaScript)."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from conversion_qa.rules.catalogue import RULES
from selftests.browser import rendered, texts
from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.lent_chromium import NewPage
from selftests.live_systems import real_systems
from selftests.network_helpers import CANARIES, fast_demo
from selftests.reporting import (
    board_rows,
    run_folders,
    summary_of,
    write_demo_with_broken_131,
)

pytestmark = pytest.mark.linux_only


def test_report_signoff_and_index_render_in_chromium(
    new_page: NewPage, run_suite: RunSuite, biller_dir: Path, report_dir: Path
) -> None:
    write_demo_with_broken_131(biller_dir)
    assert run_suite().ret == pytest.ExitCode.TESTS_FAILED
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)

    report = rendered(new_page, folder / "report.html")
    rules = texts(report, "rule")  # each rule's id, then its title
    assert rules[0].startswith("setting-131Advanced Setting 131")  # the failure first
    assert len(rules) == len(data["tests"])  # one row per test
    message = texts(report, "message")[0]
    assert "Advanced Setting 131 is not valid JSON" in message
    assert "Troubleshooting: Paste the expected value exactly" in message
    assert "<dt>Conversion</dt><dd>DEMO-2026-12</dd>" in report
    assert "<script" not in (folder / "report.html").read_text(encoding="utf-8")  # no script

    signoff = rendered(new_page, folder / "signoff.html")
    statuses = texts(signoff, "status")
    assert len(statuses) == len(RULES)
    failed = [r["id"] for r in data["rules"] if r["status"] == "failed"]
    assert "setting-131" in failed
    assert statuses.count("failed") == len(failed)
    assert texts(signoff, "banner") == ["NOT VALID FOR SIGN-OFF"]
    assert "setting-131 failed" in texts(signoff, "reasons")[0]
    assert "name and signature" not in signoff  # a sheet that is not valid cannot be signed

    index = rendered(new_page, report_dir / "index.html")
    assert 'href="demo/DEMO-2026-12/index.html"' in index  # the conversion's page
    page = rendered(new_page, folder.parent / "index.html")
    assert f'href="{folder.name}/report.html"' in page
    assert "<svg" in page
    assert "<polyline" in page


EST = timezone(timedelta(hours=-5))  # the demo biller's time zone


def _planned(data: dict[str, Any], start: datetime | None, itg: bool = True) -> dict[str, Any]:
    """The biller with its window at start (and its plan moved with it), or without one."""
    conversion = data["conversion"]
    if start is None:
        conversion.pop("maintenance_window")
        conversion.pop("weekend")
    else:
        conversion["maintenance_window"]["start"] = start.isoformat()
        conversion["maintenance_window"]["end"] = (start + timedelta(days=3, hours=12)).isoformat()
        conversion["weekend"] = {
            "ic_it_manual_test": (start + timedelta(days=1)).date().isoformat(),
            "sns_changes": (start + timedelta(days=2)).date().isoformat(),
            "biller_testing": (start + timedelta(days=3)).date().isoformat(),
        }
        conversion["itg"]["submitted"] = (start - timedelta(days=45)).date().isoformat()
    if not itg:
        conversion.pop("itg")
    return data


def _renamed(name: str) -> dict[str, Any]:
    """The demo biller under another name, with host names of its own."""
    data: dict[str, Any] = json.loads(json.dumps(demo_data()).replace("demo", name))
    data["conversion"]["id"] = f"{name.upper()}-2027"
    return data


class _Elements(HTMLParser):
    """Every element's tag and attributes, and the page's text (not attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _elements(dom: str) -> _Elements:
    parser = _Elements()
    parser.feed(dom)
    return parser


def test_the_board_and_each_sheets_validity_as_a_browser_renders_them(
    new_page: NewPage,
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = datetime.now(EST).date()
    thursday = today + timedelta(days=7 + (3 - today.weekday()) % 7)  # 7 to 13 days away

    def at_six(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 18, 0, tzinfo=EST)

    soon = (thursday - today).days
    plans = {  # biller: (window start, ITG submitted?) -> the phase the board must show
        "done": (at_six(today - timedelta(days=30)), True),  # post-go-live
        "open": (at_six(today - timedelta(days=1)), True),  # conversion weekend
        "demo": (at_six(thursday), True),  # test portal
        "alpha": (at_six(thursday + timedelta(days=7)), True),  # test portal
        "kick": (at_six(thursday + timedelta(days=56)), False),  # kickoff: no ITG yet
        "later": (None, True),  # no window recorded: last
    }
    for name, (start, itg) in plans.items():
        write_biller(
            biller_dir, _planned(_renamed(name) if name != "demo" else demo_data(), start, itg)
        )
    run_suite("--biller=all", "-k", "setting-131")  # offline: one folder per biller
    with real_systems(monkeypatch, biller_dir, billers=["alpha"]) as live:
        assert run_suite("--biller=alpha", *live).ret == pytest.ExitCode.OK
    with real_systems(monkeypatch, biller_dir, ["rtdr-500"], ["demo"]) as live:
        assert run_suite("--biller=demo", *live).ret == pytest.ExitCode.TESTS_FAILED

    # the board: soonest window first, days to it, phase, the latest live run's outstanding rules
    index = rendered(new_page, report_dir / "index.html")
    rows = board_rows(index)
    assert [r.attrs["data-biller"] for r in rows] == list(plans)
    days = {r.attrs["data-biller"]: r.cells["days"] for r in rows}
    assert days == {
        "done": "30 days ago",
        "open": "yesterday",
        "demo": f"in {soon} days",
        "alpha": f"in {soon + 7} days",
        "kick": f"in {soon + 56} days",
        "later": "",
    }
    phases = {r.attrs["data-biller"]: r.cells["phase"] for r in rows}
    assert phases == {
        "done": "post-go-live",
        "open": "conversion weekend",
        "demo": "test portal",
        "alpha": "test portal",
        "kick": "kickoff",
        "later": "test portal",  # its ITG is in, its window not yet set
    }
    by_biller = {r.attrs["data-biller"]: r for r in rows}
    assert by_biller["alpha"].cells["live-test"].startswith("VALID FOR SIGN-OFF")
    assert by_biller["alpha"].outstanding == []
    assert by_biller["demo"].cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert by_biller["demo"].outstanding == [("live-test", "rtdr (failed)")]
    assert "no live run yet" in by_biller["kick"].cells["live-test"]
    assert "offline: " in by_biller["demo"].cells["apart"]
    for biller in ("alpha", "demo"):  # the live pass-rate history: dated, labelled axes
        history = by_biller[biller].cells["history"]
        assert "pass rate" in history
        assert "run date (UTC)" in history
        assert re.search(r"\d\d-\d\d \d\d:\d\d", history)  # runs today: times on the axis

    # every link of the board resolves: to a file, and to an element in it for an anchor
    anchored = []
    for row in rows:
        for _, href, _ in row.links:
            target = urlsplit(href)
            assert (report_dir / unquote(target.path)).is_file(), href
            if target.fragment:
                anchored.append((unquote(target.path), target.fragment))
    ((report_path, anchor),) = anchored  # the one outstanding rule with a row: demo's rtdr
    assert anchor == "rule-rtdr--100234"
    demo_report = rendered(new_page, report_dir / report_path)
    demo_page = _elements(demo_report)
    assert [a for _, a in demo_page.elements if a.get("id") == anchor]

    # each sheet states its validity first; only the valid one can be signed
    (alpha_folder,) = [
        f for f in run_folders(report_dir, "alpha", "ALPHA-2027") if f.name.endswith("-live")
    ]
    alpha_sheet = rendered(new_page, alpha_folder / "signoff.html")
    assert texts(alpha_sheet, "banner") == ["VALID FOR SIGN-OFF"]
    assert "Project manager (Conversion Team): name and signature" in alpha_sheet
    alpha_report = rendered(new_page, alpha_folder / "report.html")
    assert texts(alpha_report, "banner") == ["VALID FOR SIGN-OFF"]
    demo_folder = report_dir / report_path.rsplit("/", 1)[0]
    demo_sheet = rendered(new_page, demo_folder / "signoff.html")
    assert texts(demo_sheet, "banner") == ["NOT VALID FOR SIGN-OFF"]
    assert texts(demo_sheet, "reasons") == ["rtdr failed"]
    assert "name and signature" not in demo_sheet
    assert texts(demo_sheet, "no-signature") == [  # why, above where signatures would be
        "No signature: this sheet is NOT VALID FOR SIGN-OFF (rtdr failed)."
    ]
    assert texts(demo_report, "banner") == ["NOT VALID FOR SIGN-OFF"]
    assert texts(demo_report, "reasons") == ["rtdr failed"]

    # a failed test's evidence: collapsed under its row, once
    failed = summary_of(demo_folder)["counts"]["failed"]
    assert failed == 2  # rtdr, for each test account
    evidence = [a for tag, a in demo_page.elements if a.get("class") == "evidence"]
    assert len(evidence) == failed
    assert all("open" not in attrs for attrs in evidence)  # collapsed
    text = "".join(demo_page.text)
    assert text.count("answered: HTTP 500") == failed  # once each: not in the message, not the log
    messages = texts(demo_report, "message")[:failed]  # the failures come first
    assert len(messages) == failed
    assert all("HTTP 500" in m and "The checklist's troubleshooting" in m for m in messages)
    assert all("Evidence" not in m for m in messages)


def test_each_browser_check_has_its_screenshot_embedded_in_the_report_and_archived(
    new_page: NewPage,
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    write_biller(biller_dir, fast_demo())
    result = run_suite("-m", "live", "--sandbox", "--read-timeout=10", "-k", "live")
    assert result.ret == pytest.ExitCode.OK
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    checks = [t for t in summary_of(folder)["tests"] if t["rule"] in ("custom-code", "iframe-lag")]
    assert len(checks) == 3  # two custom code items and one iFrame

    report = rendered(new_page, folder / "report.html")
    shown = _Images()
    shown.feed(report)
    pictures = [src for src in shown.sources if src]
    # one picture per browser check, each in the report itself (no file or link to fetch)
    assert len(pictures) == len(checks)
    for src in pictures:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.removeprefix("data:image/png;base64,")).startswith(PNG)
    names = [name for name in shown.names if name]
    assert sorted(names) == [
        "custom-code budget-billing-banner: /Home as the browser showed it",
        "custom-code paperless-promo: /Home as the browser showed it",
        "iframe-lag bill-view: /Billing as the browser showed it",
    ]
    stored = sorted((folder / "screenshots").iterdir())
    assert [p.name for p in stored] == [
        "custom-code-budget-billing-banner.png",
        "custom-code-paperless-promo.png",
        "iframe-lag-bill-view.png",
    ]
    assert all(p.read_bytes().startswith(PNG) for p in stored)
    for value in CANARIES.values():  # no secret in a file name or a caption
        assert all(value not in p.name for p in stored)
        assert all(value not in name for name in names)


PNG = b"\x89PNG\r\n\x1a\n"


class _Images(HTMLParser):
    """The src and alt text of every <img> of a rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")
            self.names.append(dict(attrs).get("alt") or "")
