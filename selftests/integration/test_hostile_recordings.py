"""Hostile recordings in a real offline run: a symlinked screenshots/ folder (which embedded a
private key in report.html) and a YAML alias bomb are refused, each naming the file; the run
goes on and nothing outside the fixtures folder reaches the archive."""

from __future__ import annotations

import base64
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from selftests.helpers import DEMO, SuiteRun

KEY = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-canary\n"


def demo_fixtures(biller_dir: Path) -> Path:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    return biller_dir.parent / "fixtures" / "demo"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_symlinked_screenshots_folder_is_refused_and_never_archived(
    biller_dir: Path, report_dir: Path, suite: Callable[..., SuiteRun], tmp_path: Path
) -> None:
    fixtures = demo_fixtures(biller_dir)
    elsewhere = tmp_path / "home-of-a-user"
    elsewhere.mkdir()
    for picture in (fixtures / "screenshots").iterdir():
        (elsewhere / picture.name).write_bytes(b"\x89PNG\r\n\x1a\n" + KEY)
    shutil.rmtree(fixtures / "screenshots")
    (fixtures / "screenshots").symlink_to(elsewhere, target_is_directory=True)
    run = suite("--biller=demo", "-k", "custom_code or iframe_lag")
    refused = [o for o in run.found.values() if o.rule in ("custom-code", "iframe-lag")]
    assert refused
    for outcome in refused:
        assert outcome.outcome in ("failed", "error"), outcome
        assert "passes through a symbolic link" in outcome.text
        assert str(fixtures / "test.browser.yaml") in outcome.text
    archived = b"".join(path.read_bytes() for path in report_dir.rglob("*") if path.is_file())
    assert b"canary" not in archived
    assert base64.b64encode(b"\x89PNG\r\n\x1a\n" + KEY)[:40] not in archived
    assert "Traceback" not in run.text


def test_an_alias_bomb_in_a_recording_is_refused_and_the_run_goes_on(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    fixtures = demo_fixtures(biller_dir)
    lines = ["version: 1", "views:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"  a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    (fixtures / "test.browser.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = suite("--biller=demo")
    custom = [o for o in run.found.values() if o.rule == "custom-code"]
    assert custom
    for outcome in custom:
        assert "uses the YAML anchor &a0" in outcome.text
    assert run.outcomes["test_setting_131[demo-test]"] == "passed"
    assert "Traceback" not in run.text
