"""`${VAR}` values (and credentials): taken from the environment, never shown, scrubbed from all
output in every encoding they take there."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from conversion_qa.errors import MissingSecretError

_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
REDACTED = "«redacted»"
MIN_LENGTH = 4  # shorter values would scrub ordinary words and digits out of messages


def has_reference(text: str) -> bool:
    return _REFERENCE.search(text) is not None


def references(text: str) -> list[str]:
    """The variable names a value refers to."""
    return [match["name"] for match in _REFERENCE.finditer(text)]


class Secret:
    """A value interpolated from the environment. `str` and `repr` never show it.

    `conceal`: the template itself is secret too (a credential written as plain text, or with
    a `:-default`): only a bare `${VAR}` is shown, anything else as «redacted» alone.
    """

    __slots__ = ("_missing", "_shown", "_value", "template", "where")

    def __init__(
        self,
        template: str,
        where: str,
        environ: Mapping[str, str] | None = None,
        *,
        conceal: bool = False,
    ) -> None:
        self.template = template
        self.where = where
        env = os.environ if environ is None else environ
        missing: list[str] = []

        def substitute(match: re.Match[str]) -> str:
            name, default = match["name"], match["default"]
            if name in env:
                return env[name]
            if default is not None:
                return default
            missing.append(name)
            return ""

        self._value = _REFERENCE.sub(substitute, template)
        self._missing = tuple(missing)
        bare = (match := _REFERENCE.fullmatch(template)) is not None and match["default"] is None
        self._shown = template if bare or not conceal else None
        if not self._missing:
            remember_secret(self._value)

    @property
    def is_set(self) -> bool:
        return not self._missing

    @property
    def missing(self) -> tuple[str, ...]:
        """The variables it refers to that are not set (and have no default)."""
        return self._missing

    def reveal(self) -> str:
        """The value, for the one place that sends it; raises if its variable is not set."""
        if self._missing:
            raise MissingSecretError(self._missing[0], self.where)
        return self._value

    def __str__(self) -> str:
        return REDACTED if self._shown is None else f"{self._shown} ({REDACTED})"

    def __repr__(self) -> str:
        return f"Secret({REDACTED})" if self._shown is None else f"Secret({self._shown!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.template == self.template

    def __hash__(self) -> int:
        return hash(self.template)


# The forms of a value --------------------------------------------------------------------------
#
# A secret leaves the process in more forms than its raw text: JSON-escaped in a request body, a
# summary or pytest-html's data blob, HTML-escaped in a report, XML-escaped in junit.xml,
# URL-encoded in a query, as a Python repr in an assertion or a traceback, and as base64 in an
# HTTP Basic header. They are computed once, when the value is registered.


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _json_ascii(value: str) -> str:  # \u00e9
    return json.dumps(value)[1:-1]


def _repr(value: str) -> str:
    return repr(value)[1:-1]


def _ascii(value: str) -> str:  # \xe9
    return ascii(value)[1:-1]


def _html(value: str) -> str:  # html.escape: &quot; &#x27;
    return html.escape(value)


def _html_decimal(value: str) -> str:  # markupsafe (Jinja2): &#34; &#39;
    return html.escape(value, quote=False).replace('"', "&#34;").replace("'", "&#39;")


def _html_named(value: str) -> str:  # &quot; &#39;
    return html.escape(value).replace("&#x27;", "&#39;")


def _xml_text(value: str) -> str:  # ElementTree's text: & < > only
    return html.escape(value, quote=False)


def _xml_attribute(value: str) -> str:  # ElementTree's attributes (junit.xml's messages)
    escaped = html.escape(value, quote=False).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#09;")


_ENCODINGS = (
    _json,
    _json_ascii,
    _repr,
    _ascii,
    _html,
    _html_decimal,
    _html_named,
    _xml_text,
    _xml_attribute,
)
# the layer a form gets when the text holding it is itself written as JSON, a repr, HTML or XML
_OUTER = (_json, _json_ascii, _repr, _html, _html_decimal, _xml_attribute)
_MARKUP = (_html, _html_decimal, _xml_attribute)


def variants(value: str) -> frozenset[str]:
    """Every form in which the value can reach a console, a report, a fixture or a URL."""
    first = {value, *(encode(value) for encode in _ENCODINGS)}
    second = {outer(form) for outer in _OUTER for form in first}
    # pytest-html's data blob: the JSON of a failure's repr or JSON body, in an HTML attribute
    third = {
        markup(json_(form))
        for markup in _MARKUP
        for json_ in (_json, _json_ascii)
        for form in (_repr(value), _json(value), _json_ascii(value))
    }
    urls = {encode(value, safe=safe) for encode in (quote, quote_plus) for safe in ("", "/")}
    forms = {*first, *second, *third, *urls}
    # evidence is shown with each run of white space as one space (clients/http.py)
    forms |= {" ".join(form.split()) for form in forms}
    return frozenset(form for form in forms if len(form) >= MIN_LENGTH)


def basic_auth(user: str, password: str) -> set[str]:
    """The base64 of `user:password` as an HTTP Basic header carries it: in UTF-8 (RFC 7617),
    and in ISO-8859-1, which `requests` uses for credentials given as text."""
    pair = f"{user}:{password}"
    forms = set()
    for encoding in ("utf-8", "latin-1"):
        try:
            forms.add(base64.b64encode(pair.encode(encoding)).decode("ascii"))
        except UnicodeEncodeError:
            continue
    return forms


@lru_cache(maxsize=4096)
def _variants_of(value: str) -> frozenset[str]:
    return variants(value)


# Registering and scrubbing -----------------------------------------------------------------

_ELLIPSIS = "..."  # pytest shortens a long repr to 'head...tail' (_pytest/_io/saferepr.py)
_ELLIPSIS_SIDE = 4  # at least the quote and 3 characters of the secret on each side
_ELLIPSIS_LONGEST = 240  # pytest's longest shortened repr (DEFAULT_REPR_MAX_SIZE)


@dataclass(frozen=True)
class _Scrubber:
    """What scrub() runs: one pattern of every form of every known value, built once per change
    of the known values, never per call."""

    pattern: re.Pattern[str] | None
    reprs: tuple[str, ...]  # the reprs pytest may show shortened to 'head...tail'

    @classmethod
    def of(cls, values: Iterable[str]) -> _Scrubber:
        forms: set[str] = set()
        reprs: set[str] = set()
        for value in values:
            forms |= _variants_of(value)
            reprs |= {repr(value), ascii(value)}
        pattern = re.compile(_alternation(forms)) if forms else None
        return cls(pattern, tuple(sorted(reprs, key=len, reverse=True)))

    def scrub(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(REDACTED, text)
        if self.reprs and _ELLIPSIS in text:
            text = _scrub_shortened(text, self.reprs)
        return text


_known_values: set[str] = set()
_known_lock = threading.Lock()
_scrubber: _Scrubber | None = None  # None: built on the next scrub()


def remember_secret(value: str) -> None:
    """Register a value (a password, a token S&S issued) to be scrubbed from all output, in
    every form it can take there."""
    global _scrubber
    if len(value) < MIN_LENGTH:
        return
    _variants_of(value)  # computed now, once
    with _known_lock:
        if value not in _known_values:
            _known_values.add(value)
            _scrubber = None


def remembered() -> frozenset[str]:
    """Every value registered so far, as it is (the browser masks them in its screenshots)."""
    with _known_lock:
        return frozenset(_known_values)


def remember_credentials(user: str, password: str) -> None:
    """Register a user name and its password, and the HTTP Basic header they make together
    (the base64 of `user:password`), to be scrubbed from all output."""
    remember_secret(user)
    remember_secret(password)
    for form in basic_auth(user, password):
        remember_secret(form)


@contextmanager
def secrets_forgotten() -> Iterator[None]:
    """Start with no secret remembered and restore the registry after: in a process that makes
    many runs (the self-tests), one run's values never scrub another's output."""
    global _scrubber
    with _known_lock:
        saved = set(_known_values)
        _known_values.clear()
        _scrubber = None
    try:
        yield
    finally:
        with _known_lock:
            _known_values.clear()
            _known_values.update(saved)
            _scrubber = None


def _current() -> _Scrubber:
    global _scrubber
    with _known_lock:
        if _scrubber is None:
            _scrubber = _Scrubber.of(_known_values)
        return _scrubber


@lru_cache(maxsize=64)
def _for_extra(values: frozenset[str]) -> _Scrubber:
    return _Scrubber.of(values)


def scrub(text: str, extra: Iterable[str] = ()) -> str:
    """Replace every known secret value in the text, in each of its forms."""
    text = _current().scrub(text)
    wanted = frozenset(value for value in extra if len(value) >= MIN_LENGTH)
    return _for_extra(wanted).scrub(text) if wanted else text


def _alternation(forms: Iterable[str]) -> str:
    """A pattern matching any of the forms, the longest one where several start at one place.

    Built as a trie, so the engine reads each character once per position of the text instead
    of trying every form in turn, and written without recursion (a form can be long).
    """
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here
    out: list[str] = []
    stack: list[dict[str, Any] | str] = [trie]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node = item
        while len(node) == 1 and "" not in node:  # a chain is one literal, without a group
            [(char, node)] = node.items()
            out.append(re.escape(char))
        children = sorted(char for char in node if char)
        if not children:
            continue
        parts: list[dict[str, Any] | str] = ["(?:"]
        for index, char in enumerate(children):
            parts += ["|" if index else "", re.escape(char), node[char]]
        parts.append(")?" if "" in node else ")")  # greedy: the longer form first
        stack.extend(reversed(parts))
    return "".join(out)


def _scrub_shortened(text: str, reprs: tuple[str, ...]) -> str:
    """Replace pytest's shortened reprs of a secret, `'head...tail'`, whatever their length."""
    pieces: list[str] = []
    done = 0
    dots = text.find(_ELLIPSIS)
    while dots != -1:
        span = _shortened_at(text, dots, reprs)
        if span is not None and span[0] >= done:
            pieces += [text[done : span[0]], REDACTED]
            done = span[1]
        dots = text.find(_ELLIPSIS, max(dots + 1, done))
    return "".join([*pieces, text[done:]]) if pieces else text


def _shortened_at(text: str, dots: int, reprs: tuple[str, ...]) -> tuple[int, int] | None:
    after = dots + len(_ELLIPSIS)
    before = text[max(0, dots - _ELLIPSIS_SIDE) : dots]
    following = text[after : after + _ELLIPSIS_SIDE]
    for full in reprs:
        if before not in full or following not in full:  # the quick test
            continue
        longest = min(len(full) - 1, _ELLIPSIS_LONGEST)
        head = next(
            (
                size
                for size in range(min(longest, dots), _ELLIPSIS_SIDE - 1, -1)
                if text.startswith(full[:size], dots - size)
            ),
            0,
        )
        tail = next(
            (
                size
                for size in range(min(longest - head, len(text) - after), _ELLIPSIS_SIDE - 1, -1)
                if text.startswith(full[len(full) - size :], after)
            ),
            0,
        )
        if head and tail:
            return dots - head, after + tail
    return None
