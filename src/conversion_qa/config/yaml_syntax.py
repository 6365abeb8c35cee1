"""YAML syntax errors told in words: what is wrong on which line, and the fix.

The parser's own words ("mapping values are not allowed in this context") name its grammar,
not the mistake; the usual mistakes in a hand-written file are curly quotes pasted from a
document, a tab, a colon inside an unquoted value, a line indented unlike its siblings, and a
bracket or quote left open.
"""

from __future__ import annotations

import re

import yaml

CURLY_QUOTES = "\u201c\u201d\u2018\u2019"  # double and single, left and right

_INDENTATION = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "could not find expected ':'",
)


def explained(error: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line to point at and the sentence that says what is wrong there and how to fix it."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None, f"is not valid YAML: {error.problem}"
    lines = text.splitlines() or [""]
    line = lines[mark.line] if mark.line < len(lines) else ""
    opened = error.context_mark.line + 1 if error.context_mark is not None else None
    at = f"line {mark.line + 1}, column {mark.column + 1}"
    problem = str(error.problem or "")
    if any(quote in line for quote in CURLY_QUOTES):
        return mark.line + 1, (
            f"is not valid YAML: this line has curly quotes ({_curly_in(line)}), which YAML "
            "does not read as quotes; use straight quotes (\" or ')"
        )
    if "tab" in problem or _char_at(line, mark.column) == "\t":
        return mark.line + 1, (
            f"is not valid YAML: a tab at {at}; indent with spaces (YAML does not allow tabs)"
        )
    if "mapping values are not allowed" in problem:
        if _is_first_key_colon(line, mark.column):
            return mark.line + 1, (
                "is not valid YAML: this line is indented deeper than the line above it, so "
                "YAML reads it as part of that line's value; indent this line as its siblings "
                "(the other keys of the same mapping)"
            )
        return mark.line + 1, (
            f"is not valid YAML: an unquoted colon in a value (at {at}); put the value in "
            'quotes, e.g. name: "SEMCO: Energy"'
        )
    if "cannot start any token" in problem:
        return mark.line + 1, (
            f"is not valid YAML: {_char_at(line, mark.column)!r} at {at} cannot start a value "
            "(YAML reserves it); put the value in quotes"
        )
    unclosed = _unclosed_quote(lines, mark.line)
    if unclosed is not None:
        return unclosed + 1, (
            "is not valid YAML: the quote opened on this line is not closed; close it on the "
            "same line"
        )
    if "flow" in str(error.context or "") and opened is not None:
        return opened, (
            "is not valid YAML: the bracket ({ or [) opened on this line is not closed; close "
            "it on the same line, and put a value holding a comma, colon or bracket in quotes"
        )
    if "quoted scalar" in str(error.context or "") and opened is not None:
        return opened, (
            "is not valid YAML: the quote opened on this line is not closed; close it on the "
            "same line"
        )
    if any(part in problem for part in _INDENTATION):
        return mark.line + 1, (
            f"is not valid YAML: this line is not indented as its siblings (at {at}); indent "
            "this line as its siblings, with spaces: a key as the other keys of its mapping, "
            "a list item (-) as the other items"
        )
    return (
        mark.line + 1,
        f"is not valid YAML: {problem} (at {at}); check this line and the one above",
    )


_KEY = r"""(?:"[^"]*"|'[^']*'|[^\s"'#{\[][^#:]*)"""
_QUOTED_VALUE = re.compile(rf"""^\s*(?:-\s+)?(?:{_KEY}:\s+)?(["'])(.*)$""")


def _unclosed_quote(lines: list[str], upto: int) -> int | None:
    """The last line up to `upto` whose value opens a quote it does not close: a biller file
    has no use for a quoted value over several lines, and YAML reads on to the next quote."""
    found = None
    for index, line in enumerate(lines[: upto + 1]):
        match = _QUOTED_VALUE.match(line)
        if match is None:
            continue
        quote, rest = match[1], match[2]
        body = (
            rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        )
        if quote not in body:
            found = index
    return found


def _curly_in(line: str) -> str:
    return " ".join(dict.fromkeys(quote for quote in line if quote in CURLY_QUOTES))


def _char_at(line: str, column: int) -> str:
    return line[column] if 0 <= column < len(line) else ""


def _is_first_key_colon(line: str, column: int) -> bool:
    """Whether the colon at column ends the line's own key (`key: value`), rather than sitting
    inside its value."""
    first = line.find(": ")
    if first < 0 and line.rstrip().endswith(":"):
        first = len(line.rstrip()) - 1
    return first == column
