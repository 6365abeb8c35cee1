"""A browser check's screenshots: embedded on its test's row of report.html (a pytest-html
extra, base64, so the report stays one self-contained file), and stored beside the report in
the archive (report/screenshots.py)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import pytest
from pytest_html import extras

from conversion_qa.config.secrets import scrub
from conversion_qa.recordings import PortalViews
from conversion_qa.report.verdict_list import Picture

VIEWS = pytest.StashKey[PortalViews]()
_DATA = "data:image/png;base64,"


def keep(item: pytest.Item, views: PortalViews) -> None:
    """Remember the test's way to the portal, whose screenshots its report will carry."""
    item.stash[VIEWS] = views


def attach(item: pytest.Item, report: pytest.TestReport) -> None:
    """Put what the browser showed on the test's row: one image per look, passed or failed."""
    views = item.stash.get(VIEWS, None)
    if report.when != "call" or views is None or not views.screenshots:
        return
    shown = [extra(shot.name, shot.png) for shot in views.screenshots]
    report.extras = [*getattr(report, "extras", []), *shown]  # type: ignore[attr-defined]


def extra(name: str, png: bytes) -> dict[str, Any]:
    """The pytest-html extra of one screenshot, embedded."""
    made: dict[str, Any] = extras.png(base64.b64encode(png).decode("ascii"), scrub(name))
    return made


def pictures(report: pytest.TestReport) -> list[Picture]:
    """The PNGs a test's report carries, each with its name (pytest-html may have made them
    data URIs already)."""
    found = []
    for item in getattr(report, "extras", []) or []:
        if not (isinstance(item, dict) and item.get("mime_type") == "image/png"):
            continue
        content = str(item.get("content", "")).removeprefix(_DATA)
        try:
            png = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            continue  # a link, not an embedded picture: nothing to store
        found.append(Picture(scrub(str(item.get("name", "screenshot"))), png))
    return found
