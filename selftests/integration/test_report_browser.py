"""The archived pages as a browser renders them (pytest-html builds its table in JavaScript)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversion_qa.rules.catalogue import RULES
from selftests.browser import rendered, texts
from selftests.helpers import RunSuite
from selftests.reporting import run_folders, summary_of, write_demo_with_broken_131

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
    assert texts(signoff, "banner") == ["NOT VALID FOR SIGN-OFF"]
    assert "setting-131 failed" in texts(signoff, "reasons")[0]
    assert "name and signature" not in signoff  # a sheet that is not valid cannot be signed

    index = rendered(chromium, report_dir / "index.html", tmp_path / "profile-index")
    assert f'href="demo/DEMO-2026-12/{folder.name}/report.html"' in index
    assert "<svg" in index
    assert "<polyline" in index
