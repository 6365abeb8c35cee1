"""A custom code `expect:` that is markup, and the `selector:` to write instead.

`expect:` is text the page shows a signed-in customer, as a browser renders it. Markup (a tag, an
attribute, a comment) is never visible, so an `expect:` made of markup could never be found: the
loader refuses it and names the CSS selector that finds the element meant.

The text is read by a hand-written scanner that looks at each character a bounded number of
times, so its work grows with the text's length and no more: a pattern with nested repetition
took minutes on a 6 KB `expect:` of `<b` and spaces (`Scan.steps` counts the work).
"""

from __future__ import annotations

from dataclasses import dataclass

_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:")
_NAME_REST = _NAME_START | frozenset("-0123456789.")
_TAG_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TAG_REST = _TAG_START | frozenset("-0123456789")
_IDENTIFIER_START = _TAG_START | frozenset("_")
_IDENTIFIER_REST = _IDENTIFIER_START | frozenset("-0123456789")
_NOT_BARE = frozenset("\"'=<>`")  # and white space: what ends a value written without quotes

Attribute = tuple[str, str | None]


@dataclass(frozen=True)
class Markup:
    """What the text is (a tag, attributes, a comment) and the selector that finds it, if any."""

    kind: str
    selector: str | None


@dataclass(frozen=True)
class Scan:
    """What the scanner found, and how many characters it looked at on the way."""

    markup: Markup | None
    steps: int


def markup_in(expect: str) -> Markup | None:
    """The markup an `expect:` is made of, or None when it reads as visible text."""
    return scanned(expect).markup


def scanned(expect: str) -> Scan:
    """Scan the text for markup: attributes alone, an opening tag, a closing tag or a comment."""
    scanner = _Scanner(expect)
    only = scanner.attributes_only()
    if only:
        found: Markup | None = Markup("an attribute", selector_of("", only))
    elif (tag := scanner.tag(closing=False)) is not None:
        found = Markup("a tag", selector_of(tag[0].lower(), scanner.attributes(tag[1])))
    elif scanner.tag(closing=True) is not None or scanner.contains("<!--"):
        found = Markup("a closing tag or a comment", None)
    else:
        found = None
    return Scan(found, scanner.steps)


class _Scanner:
    """Reads one text; every character it looks at counts one step."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = 0

    def _at(self, index: int) -> str:
        self.steps += 1
        return self.text[index] if index < len(self.text) else ""

    def _skip(self, index: int, chars: frozenset[str] | None = None) -> int:
        """The first index from `index` on whose character is not in chars (None: space)."""
        while True:
            char = self._at(index)
            if not char or not (char.isspace() if chars is None else char in chars):
                return index
            index += 1

    def _find(self, index: int, wanted: str) -> int:
        """The first index from `index` on whose character is one of `wanted`, or -1."""
        while True:
            char = self._at(index)
            if not char:
                return -1
            if char in wanted:
                return index
            index += 1

    def contains(self, needle: str) -> bool:
        self.steps += len(self.text)
        return needle in self.text

    def attributes_only(self) -> list[Attribute]:
        """The attributes, when the text is one or more `name="value"` and nothing else."""
        found: list[Attribute] = []
        index = self._skip(0)
        while index < len(self.text):
            if self._at(index) not in _NAME_START:
                return []
            end = self._skip(index + 1, _NAME_REST)
            name = self.text[index:end]
            index = self._skip(end)
            if self._at(index) != "=":
                return []
            index = self._skip(index + 1)
            quote = self._at(index)
            if quote not in ('"', "'"):
                return []
            close = self._find(index + 1, quote)
            if close < 0:
                return []
            found.append((name.lower(), self.text[index + 1 : close]))
            index = self._skip(close + 1)
        return found

    def tag(self, *, closing: bool) -> tuple[str, str] | None:
        """The first tag (`<name ...>`, or `</name ...>` when closing): its name and the text
        of its attributes."""
        opener = "</" if closing else "<"
        index = self._find(0, "<")
        while index >= 0:
            start = index + len(opener)
            if self.text.startswith(opener, index) and self._at(start) in _TAG_START:
                end = self._skip(start + 1, _TAG_REST)
                after = self._at(end)
                if after.isspace():
                    stop = self._find(end, "<>")
                    if stop < 0:
                        return None  # no `>` left: no later tag can close either
                    if self.text[stop] == ">":
                        return self.text[start:end], self.text[end:stop]
                    index = stop  # a `<` first: the next candidate starts there
                    continue
                if after == "/" or after == ">":
                    close = self._skip(end + 1) if after == "/" else end
                    if self._at(close) == ">":
                        return self.text[start:end], ""
            index = self._find(index + 1, "<")
        return None

    def attributes(self, text: str) -> list[Attribute]:
        """Every `name`, `name=value`, `name="value"` or `name='value'` in a tag's text."""
        inner = _Scanner(text)
        found: list[Attribute] = []
        index = 0
        while index < len(text):
            if inner._at(index) not in _NAME_START:
                index += 1
                continue
            end = inner._skip(index + 1, _NAME_REST)
            name, value = text[index:end].lower(), None
            index = end
            equals = inner._skip(end)
            if inner._at(equals) == "=":
                start = inner._skip(equals + 1)
                quote = inner._at(start)
                if quote in ('"', "'"):
                    close = inner._find(start + 1, quote)
                    if close >= 0:
                        value, index = text[start + 1 : close], close + 1
                else:
                    stop = start
                    while (
                        (char := inner._at(stop)) and not char.isspace() and char not in _NOT_BARE
                    ):
                        stop += 1
                    if stop > start:
                        value, index = text[start:stop], stop
            found.append((name, value))
        self.steps += inner.steps
        return found


def selector_of(tag: str, attributes: list[Attribute]) -> str:
    """The CSS selector of an element with this tag (may be empty) and these attributes."""
    parts = [tag]
    for name, value in attributes:
        if value is None:
            parts.append(f"[{name}]")
        elif name == "id" and _is_identifier(value):
            parts.append(f"#{value}")
        elif name == "class" and value.split():
            parts.extend(
                f".{token}" if _is_identifier(token) else f'[class~="{_quoted(token)}"]'
                for token in value.split()
            )
        else:
            parts.append(f'[{name}="{_quoted(value)}"]')
    return "".join(parts) or "*"


def _is_identifier(value: str) -> bool:
    """A CSS identifier as `#id` and `.class` may be written: -?[A-Za-z_][A-Za-z0-9_-]*."""
    body = value.removeprefix("-")
    return bool(body) and body[0] in _IDENTIFIER_START and all(c in _IDENTIFIER_REST for c in body)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def yaml_single_quoted(text: str) -> str:
    """The text as a YAML single-quoted scalar, to paste into the file."""
    return "'" + text.replace("'", "''") + "'"
