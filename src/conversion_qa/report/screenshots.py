"""Screenshots of the browser checks: an embedded image on the test's row of report.html (a
pytest-html extra, base64, so the report stays one self-contained file), and a PNG beside the
report in the archive (`screenshots/<rule>-<item>.png`).

A screenshot's name (the image's caption) and file name are made of the rule, the item and the
page's path from the biller file, scrubbed: never a value a service answered, never a secret.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

import pytest
from pytest_html import extras

from conversion_qa.config.secrets import scrub
from conversion_qa.report.archive import RunFolder, folder_name
from conversion_qa.report.collector import result_of

FOLDER = "screenshots"
_DATA = "data:image/png;base64,"


def extra(name: str, png: bytes) -> dict[str, Any]:
    """The pytest-html extra of one screenshot, embedded."""
    made: dict[str, Any] = extras.png(base64.b64encode(png).decode("ascii"), scrub(name))
    return made


def pictures(report: pytest.TestReport) -> list[bytes]:
    """The PNGs a test's report carries (pytest-html may have made them data URIs already)."""
    found = []
    for item in getattr(report, "extras", []) or []:
        if not (isinstance(item, dict) and item.get("mime_type") == "image/png"):
            continue
        content = str(item.get("content", "")).removeprefix(_DATA)
        try:
            found.append(base64.b64decode(content, validate=True))
        except (binascii.Error, ValueError):
            continue  # a link, not an embedded picture: nothing to store
    return found


def write(folder: RunFolder, tests: Iterable[list[pytest.TestReport]]) -> list[str]:
    """Store each test's screenshots beside its report; the file names, relative to it."""
    written: list[str] = []
    for phases in tests:
        pngs = [png for phase in phases for png in pictures(phase)]
        if not pngs:
            continue
        result = result_of(phases)
        stem = folder_name("-".join(p for p in (result.rule, result.item) if p))
        for index, png in enumerate(pngs, start=1):
            name = f"{FOLDER}/{stem}{'' if index == 1 else f'-{index}'}.png"
            path = folder.path(name)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(png)
            written.append(name)
    return written
