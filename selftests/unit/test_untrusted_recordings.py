"""Recordings are untrusted input: the biller files' YAML limits apply to them, and a recorded
screenshot is read only as a regular PNG file of bounded size inside the recording's
screenshots/ folder, with no symbolic link on the way."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import requests

from conversion_qa.clients.http import HttpOptions
from conversion_qa.errors import BadRecording
from conversion_qa.recordings import Recordings, dns
from conversion_qa.recordings.pictures import MAX_PNG_BYTES, PNG_SIGNATURE, recorded_png
from conversion_qa.recordings.replay import replay

PNG = PNG_SIGNATURE + b"a screenshot"
KEY = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
HOME = "https://demo-test.portal.example.com/Home"
NAME = "screenshots/test-custom-code-banner.png"
symlinks = pytest.mark.skipif(
    sys.platform == "win32", reason="symbolic links need privileges on Windows"
)


def alias_bomb(top: str) -> str:
    """About 2 KB of YAML whose aliases expand to 10**9 values."""
    lines = [f"{top}:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"  a{level}: &a{level} [{aliases}]")
    return "version: 1\n" + "\n".join(lines) + "\n"


def view(folder: Path, screenshot: str = NAME) -> Path:
    """A browser recording of one custom-code view, its screenshot named `screenshot`."""
    recording = folder / "demo" / "test.browser.yaml"
    recording.parent.mkdir(parents=True, exist_ok=True)
    recording.write_text(
        "version: 1\nviews:\n  custom-code/banner:\n"
        f"    url: {HOME}\n    status: 200\n    title: Home\n    text: Budget billing\n"
        f"    selectors: {{}}\n    screenshot: {screenshot}\n",
        encoding="utf-8",
    )
    return recording


def shown(folder: Path) -> list[bytes]:
    """The pictures an offline check of the recorded view keeps for the report."""
    views = Recordings(folder, record=False).portal_views("demo", "test", None)
    views.page("custom-code/banner", HOME, [], "custom-code banner")
    return [picture.png for picture in views.screenshots]


def test_a_regular_png_in_the_screenshots_folder_is_shown(tmp_path: Path) -> None:
    recording = view(tmp_path)
    (recording.parent / "screenshots").mkdir()
    (recording.parent / NAME).write_bytes(PNG)
    assert shown(tmp_path) == [PNG]


def test_a_missing_screenshot_leaves_the_view_without_a_picture(tmp_path: Path) -> None:
    view(tmp_path)
    assert shown(tmp_path) == []


@symlinks
def test_a_symlinked_screenshots_folder_is_refused(tmp_path: Path) -> None:
    recording = view(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "test-custom-code-banner.png").write_bytes(PNG + KEY)
    (recording.parent / "screenshots").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BadRecording, match="passes through a symbolic link") as error:
        shown(tmp_path)
    assert f"{recording}: the screenshot '{NAME}'" in str(error.value)


@symlinks
def test_a_symlinked_screenshot_is_refused(tmp_path: Path) -> None:
    recording = view(tmp_path)
    key = tmp_path / "id_rsa"
    key.write_bytes(KEY)
    (recording.parent / "screenshots").mkdir()
    (recording.parent / NAME).symlink_to(key)
    with pytest.raises(BadRecording, match="passes through a symbolic link"):
        shown(tmp_path)


@symlinks
def test_a_symlinked_biller_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    view(real)
    (real / "demo" / "screenshots").mkdir()
    (real / "demo" / NAME).write_bytes(PNG)
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "demo").symlink_to(real / "demo", target_is_directory=True)
    with pytest.raises(BadRecording, match="passes through a symbolic link"):
        recorded_png(fixtures / "demo" / "test.browser.yaml", NAME)


def test_a_screenshot_that_is_not_a_png_is_refused(tmp_path: Path) -> None:
    recording = view(tmp_path)
    (recording.parent / "screenshots").mkdir()
    (recording.parent / NAME).write_bytes(KEY)
    with pytest.raises(BadRecording, match="is not a PNG image"):
        shown(tmp_path)


def test_an_oversized_png_is_refused_unread(tmp_path: Path) -> None:
    recording = view(tmp_path)
    (recording.parent / "screenshots").mkdir()
    with (recording.parent / NAME).open("wb") as file:
        file.write(PNG)
        file.truncate(MAX_PNG_BYTES + 1)
    with pytest.raises(BadRecording, match=r"is 5,242,881 bytes; a screenshot may be at most"):
        shown(tmp_path)


def test_a_screenshot_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    recording = view(tmp_path)
    (recording.parent / NAME).mkdir(parents=True)
    with pytest.raises(BadRecording, match="is not a regular file"):
        shown(tmp_path)


@pytest.mark.parametrize(
    "name", ["../secret.png", "/etc/passwd", "screenshots/../../x.png", "screenshots/a/b.png"]
)
def test_a_screenshot_outside_the_screenshots_folder_is_refused(tmp_path: Path, name: str) -> None:
    view(tmp_path, screenshot=name)
    with pytest.raises(BadRecording, match="is not a file of its screenshots/ folder"):
        shown(tmp_path)


def test_an_alias_bomb_in_a_browser_recording_is_refused_at_its_first_anchor(
    tmp_path: Path,
) -> None:
    recording = tmp_path / "demo" / "test.browser.yaml"
    recording.parent.mkdir()
    recording.write_text(alias_bomb("views"), encoding="utf-8")
    assert recording.stat().st_size < 2_500
    with pytest.raises(BadRecording) as error:
        shown(tmp_path)
    assert str(error.value).startswith(f"{recording}:3: uses the YAML anchor &a0;")
    assert "anchors (&name) and aliases (*name) are not allowed in a recording" in str(error.value)


def test_an_alias_bomb_in_an_http_recording_is_refused_at_its_first_anchor(
    tmp_path: Path,
) -> None:
    fixture = tmp_path / "demo" / "test.http.yaml"
    fixture.parent.mkdir()
    fixture.write_text(alias_bomb("responses"), encoding="utf-8")
    with pytest.raises(BadRecording, match=r"test\.http\.yaml:3: uses the YAML anchor &a0"):
        replay(requests.Session(), HttpOptions(), fixture, "GET", HOME)


def test_an_alias_bomb_in_a_dns_recording_is_refused(tmp_path: Path) -> None:
    path = dns.path_for(tmp_path, "demo")
    path.parent.mkdir()
    path.write_text(alias_bomb("hosts"), encoding="utf-8")
    with pytest.raises(BadRecording, match="uses the YAML anchor &a0"):
        Recordings(tmp_path, record=False).dns_answers("demo", "demo.example.com", None)


def test_a_malformed_http_recording_is_a_bad_recording_not_a_traceback(tmp_path: Path) -> None:
    fixture = tmp_path / "demo" / "test.http.yaml"
    fixture.parent.mkdir()
    fixture.write_text("responses:\n  - {response: {url: x}}\n", encoding="utf-8")
    with pytest.raises(BadRecording, match="a recorded answer is malformed"):
        replay(requests.Session(), HttpOptions(), fixture, "GET", HOME)


def test_nothing_outside_the_fixtures_folder_is_opened(tmp_path: Path) -> None:
    # the check reads lstat on the way down, never following a link; os.open is the only read
    recording = view(tmp_path)
    (recording.parent / "screenshots").mkdir()
    (recording.parent / NAME).write_bytes(PNG)
    opened: list[str] = []
    real_open = os.open

    def watching(path: str | os.PathLike[str], *args: int) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", watching)
        assert shown(tmp_path) == [PNG]
    assert opened == [str(recording.parent / NAME)]
