"""Screenshots of the browser checks, stored beside the report in the archive
(`screenshots/<rule>-<item>.png`).

A screenshot's file name is made of the rule, the item and (for the caption) the page's path
from the biller file: never a value a service answered, never a secret.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from conversion_qa.report.archive import RunFolder, folder_name
from conversion_qa.report.results import TestResult
from conversion_qa.report.verdict_list import Attached

FOLDER = "screenshots"


def store(folder: RunFolder, rule: str, item: str, pngs: Sequence[bytes]) -> list[str]:
    """Store one test's screenshots in the run folder; their file names, relative to it."""
    stem = folder_name("-".join(p for p in (rule, item) if p))
    written: list[str] = []
    for index, png in enumerate(pngs, start=1):
        name = f"{FOLDER}/{stem}{'' if index == 1 else f'-{index}'}.png"
        path = folder.path(name)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(png)
        written.append(name)
    return written


def store_all(
    folder: RunFolder, results: Sequence[TestResult], attached: Mapping[str, Attached]
) -> list[str]:
    """Store every test's screenshots (attached, by node id); their file names."""
    written: list[str] = []
    for result in results:
        pictures = attached[result.nodeid].pictures
        if pictures:
            written += store(folder, result.rule, result.item, [p.png for p in pictures])
    return written
