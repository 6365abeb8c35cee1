"""The archived pages as a browser renders them (pytest-html builds its table in JavaScript),
and the screenshots of the browser checks on their rows."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conversion_qa.rules.catalogue import RULES
from selftests.browser import rendered, texts
from selftests.helpers import RunSuite, write_biller
from selftests.network_helpers import CANARIES, fast_demo
from selftests.reporting import (
    report_tests,
    run_folders,
    summary_of,
    write_demo_with_broken_131,
)

pytestmark = pytest.mark.linux_only


def test_report_signoff_and_index_render_in_chromium(
    chromium: str, run_suite: RunSuite, biller_dir: Path, report_dir: Path, tmp_path: Path
) -> None:
    write_demo_with_broken_131(biller_dir)
    assert run_suite().ret == pytest.ExitCode.TESTS_FAILED
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)

    report = rendered(chromium, folder / "report.html", tmp_path / "profile-report")
    rules = texts(report, "col-rule")
    assert "setting-131" in rules
    assert len(rules) == len(data["tests"])  # one row per test, built by pytest-html's script
    (message,) = [m for m in texts(report, "col-message") if m.startswith("[setting-131]")]
    assert "Advanced Setting 131 is not valid JSON" in message
    assert "Troubleshooting: Paste the expected value exactly" in message
    assert "<td>Conversion</td>" in report  # the header, also built by the script
    assert "<div>DEMO-2026-12</div>" in report
    assert '<td class="col-rule">' not in (folder / "report.html").read_text(encoding="utf-8")

    signoff = rendered(chromium, folder / "signoff.html", tmp_path / "profile-signoff")
    statuses = texts(signoff, "status")
    assert len(statuses) == len(RULES)
    failed = [r["id"] for r in data["rules"] if r["status"] == "failed"]
    assert "setting-131" in failed
    assert statuses.count("failed") == len(failed)
    assert "Project manager (Conversion Team): name and signature" in signoff

    index = rendered(chromium, report_dir / "index.html", tmp_path / "profile-index")
    assert f'href="demo/DEMO-2026-12/{folder.name}/report.html"' in index
    assert "<svg" in index
    assert "<polyline" in index


def test_each_browser_check_has_its_screenshot_embedded_in_the_report_and_archived(
    chromium: str,
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
    tmp_path: Path,
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

    report = rendered(chromium, folder / "report.html", tmp_path / "profile-report")
    shown = _Images()
    shown.feed(report)
    pictures = [src for src in shown.sources if src]
    # one picture per browser check, each in the report itself (no file or link to fetch)
    assert len(pictures) == len(checks)
    for src in pictures:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.removeprefix("data:image/png;base64,")).startswith(PNG)
    rows = report_tests(folder)
    names = [
        extra["name"]
        for node, phases in rows.items()
        for phase in phases
        for extra in phase.get("extras", [])
    ]
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
    """The src of every <img> of a rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")
