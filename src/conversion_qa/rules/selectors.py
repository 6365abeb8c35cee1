"""Simple CSS selectors without a browser: one compound selector (`div.banner[data-x="y"]`,
`#notice`, `[data-demo="budget-banner"]`), matched against raw HTML's elements (--no-browser)
and turned into an element that matches it (the sandbox's portal pages).

Anything richer (combinators, pseudo-classes) needs a browser: `parse` answers None for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

_TAG = r"(?P<tag>[A-Za-z][A-Za-z0-9-]*|\*)?"
_PART = re.compile(
    r"""\#(?P<id>[A-Za-z0-9_-]+)"""
    r"""|\.(?P<cls>[A-Za-z0-9_-]+)"""
    r"""|\[\s*(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*"""
    r"""(?:(?P<op>~?=)\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[-A-Za-z0-9_]+))\s*)?\]"""
)
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})


@dataclass(frozen=True)
class Compound:
    """One compound selector: a tag, ids, classes and attributes, all required."""

    tag: str | None
    ids: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str, str | None], ...] = ()  # name, "=" or "~=", value

    def matches(self, tag: str, attrs: Mapping[str, str | None]) -> bool:
        if self.tag not in (None, "*") and tag.lower() != self.tag:
            return False
        classes = (attrs.get("class") or "").split()
        if any(attrs.get("id") != value for value in self.ids):
            return False
        if any(name not in classes for name in self.classes):
            return False
        for name, op, value in self.attributes:
            if name not in attrs:
                return False
            given = attrs[name] or ""
            if value is not None and op == "=" and given != value:
                return False
            if value is not None and op == "~=" and value not in given.split():
                return False
        return True

    def element(self, text: str) -> str:
        """Markup of an element that matches, showing text (escaped)."""
        tag = self.tag if self.tag not in (None, "*") else "div"
        attrs: dict[str, str] = {}
        if self.ids:
            attrs["id"] = self.ids[0]
        classes = list(self.classes)
        for name, op, value in self.attributes:
            if op == "~=" and name == "class" and value is not None:
                classes.append(value)
            elif op == "~=":
                attrs[name] = f"{attrs.get(name, '')} {value or ''}".strip()
            else:
                attrs[name] = value if value is not None else ""
        if classes:
            attrs["class"] = " ".join(dict.fromkeys(classes))
        written = "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())
        if tag in _VOID:
            return f"<{tag}{written}>"
        return f"<{tag}{written}>{escape(text)}</{tag}>"


def parse(selector: str) -> Compound | None:
    """The compound selector, or None when it is more than one (a browser can still judge it)."""
    text = selector.strip()
    head = re.match(_TAG, text)
    tag = head["tag"].lower() if head and head["tag"] else None
    at = head.end() if head else 0
    ids: list[str] = []
    classes: list[str] = []
    attributes: list[tuple[str, str, str | None]] = []
    while at < len(text):
        part = _PART.match(text, at)
        if part is None:
            return None
        if part["id"]:
            ids.append(part["id"])
        elif part["cls"]:
            classes.append(part["cls"])
        else:
            value = next((part[g] for g in ("dq", "sq", "bare") if part[g] is not None), None)
            if value is not None:
                value = re.sub(r"\\(.)", r"\1", value)
            attributes.append((part["name"].lower(), part["op"] or "=", value))
        at = part.end()
    if tag is None and not (ids or classes or attributes):
        return None
    return Compound(tag, tuple(ids), tuple(classes), tuple(attributes))


class _Elements(HTMLParser):
    """Whether any element of the HTML matches; comments, scripts' text and the like are not
    elements, so they never match."""

    def __init__(self, selector: Compound) -> None:
        super().__init__(convert_charrefs=True)
        self.selector = selector
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.found and self.selector.matches(tag, dict(attrs)):
            self.found = True


def in_html(html: str, selector: Compound) -> bool:
    """Whether the raw HTML has an element matching the selector (visible or not: raw HTML
    cannot say, nor see what scripts add after load)."""
    parser = _Elements(selector)
    parser.feed(html)
    parser.close()
    return parser.found
