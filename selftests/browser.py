"""Pages as a browser renders them: Debian's headless chromium (the lent one), its DOM after
scripts ran."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from selftests.lent_chromium import NewPage

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Cells(HTMLParser):
    """The text of every element with a given class, from a rendered DOM."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif self.wanted in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def texts(dom: str, css_class: str) -> list[str]:
    parser = _Cells(css_class)
    parser.feed(dom)
    return [text.strip() for text in parser.found]


def rendered(new_page: NewPage, page: Path) -> str:
    """The DOM after the page's scripts ran, as a browser shows it (a page of its own)."""
    shown = new_page()
    shown.goto(page.as_uri(), wait_until="load")
    return shown.content()
