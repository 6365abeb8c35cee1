"""`${VAR}` values: taken from the environment, never shown."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping

from conversion_qa.errors import MissingSecretError

_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
REDACTED = "«redacted»"

_known_values: set[str] = set()
_known_lock = threading.Lock()


def has_reference(text: str) -> bool:
    return _REFERENCE.search(text) is not None


def references(text: str) -> list[str]:
    """The variable names a value refers to."""
    return [match["name"] for match in _REFERENCE.finditer(text)]


class Secret:
    """A value interpolated from the environment. `str` and `repr` never show it."""

    __slots__ = ("_missing", "_value", "template", "where")

    def __init__(self, template: str, where: str, environ: Mapping[str, str] | None = None) -> None:
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
        if not self._missing:
            remember_secret(self._value)

    @property
    def is_set(self) -> bool:
        return not self._missing

    def reveal(self) -> str:
        """The value, for the one place that sends it; raises if its variable is not set."""
        if self._missing:
            raise MissingSecretError(self._missing[0], self.where)
        return self._value

    def __str__(self) -> str:
        return f"{self.template} ({REDACTED})"

    def __repr__(self) -> str:
        return f"Secret({self.template!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.template == self.template

    def __hash__(self) -> int:
        return hash(self.template)


def remember_secret(value: str) -> None:
    """Register a value (a password, a token S&S issued) to be scrubbed from all output."""
    if len(value) >= 4:  # shorter values would scrub ordinary words and digits out of messages
        with _known_lock:
            _known_values.add(value)


def scrub(text: str, extra: Iterable[str] = ()) -> str:
    """Replace every known secret value in the text."""
    with _known_lock:
        values = sorted({*_known_values, *extra}, key=len, reverse=True)
    for value in values:
        if value:
            text = text.replace(value, REDACTED)
    return text
