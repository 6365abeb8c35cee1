"""The one JSON reader for what services answer: nesting is bounded before Python recurses.

`json.loads` recurses once per level: an answer of 200,000 `[` ends in RecursionError, and every
recursive walk after it (the schema check, redaction) would too. The contract's answers nest a
few levels, so anything deeper than MAX_DEPTH is refused by a scan that looks at each bracket
and string once, before the document is parsed.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # the contract's answers nest 4 levels; a portal's settings 3

_INTERESTING = re.compile(r'[\[\]{}"]')
# the rest of a string after its opening quote; possessive, so a string never closed fails once
_STRING_REST = re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL)


class TooDeep(ValueError):
    """JSON nested deeper than the reader allows; nothing of it was parsed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"nested deeper than {limit} levels")


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing a document nested deeper than max_depth (TooDeep, a ValueError)
    before parsing it."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    check_depth(text, max_depth)
    return json.loads(text)


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise TooDeep when the text's arrays and objects nest deeper than max_depth; brackets
    inside strings do not count. Text that is not JSON is left for the parser to refuse."""
    depth = 0
    position = 0
    while (found := _INTERESTING.search(text, position)) is not None:
        char = found[0]
        position = found.end()
        if char == '"':
            rest = _STRING_REST.match(text, position)
            if rest is None:
                return  # a string never closed: not JSON, the parser says where
            position = rest.end()
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise TooDeep(max_depth)
        else:
            depth -= 1
