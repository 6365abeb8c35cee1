"""A custom code `expect:` that is markup, and the `selector:` to write instead.

`expect:` is text the page shows a signed-in customer, as a browser renders it. Markup (a tag, an
attribute, a comment) is never visible, so an `expect:` made of markup could never be found: the
loader refuses it and names the CSS selector that finds the element meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-Za-z_:][-A-Za-z0-9_:.]*"
_VALUE = r"""(?:"[^"]*"|'[^']*')"""
# one or more attributes, and nothing else: data-demo="budget-banner", id='x' class="a b"
_ATTRIBUTES = re.compile(rf"\s*(?:{_NAME}\s*=\s*{_VALUE}\s*)+")
_ATTRIBUTE = re.compile(rf"""({_NAME})(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*?)?)\s*/?\s*>")
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--")
_IDENTIFIER = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Markup:
    """What the text is (a tag, attributes, a comment) and the selector that finds it, if any."""

    kind: str
    selector: str | None


def markup_in(expect: str) -> Markup | None:
    """The markup an `expect:` is made of, or None when it reads as visible text."""
    if _ATTRIBUTES.fullmatch(expect):
        return Markup("an attribute", selector_of("", _attributes(expect)))
    opening = _OPEN_TAG.search(expect)
    if opening:
        return Markup("a tag", selector_of(opening[1].lower(), _attributes(opening[2])))
    if _ANY_TAG.search(expect):
        return Markup("a closing tag or a comment", None)
    return None


def _attributes(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        found.append((name.lower(), value))
    return found


def selector_of(tag: str, attributes: list[tuple[str, str | None]]) -> str:
    """The CSS selector of an element with this tag (may be empty) and these attributes."""
    parts = [tag]
    for name, value in attributes:
        if value is None:
            parts.append(f"[{name}]")
        elif name == "id" and _IDENTIFIER.fullmatch(value):
            parts.append(f"#{value}")
        elif name == "class" and value.split():
            parts.extend(
                f".{token}" if _IDENTIFIER.fullmatch(token) else f'[class~="{_quoted(token)}"]'
                for token in value.split()
            )
        else:
            parts.append(f'[{name}="{_quoted(value)}"]')
    return "".join(parts) or "*"


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def yaml_single_quoted(text: str) -> str:
    """The text as a YAML single-quoted scalar, to paste into the file."""
    return "'" + text.replace("'", "''") + "'"
