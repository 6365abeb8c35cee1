"""Inputs for the unit tests of the rule checks: the demo biller, changed one field at a time,
and the library's names those tests share (the verdicts, Configured, Transport)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Final

from conversion_qa.config import load_biller
from conversion_qa.config.configured import Configured, from_file
from conversion_qa.config.model import (
    Biller,
    Conversion,
    Environment,
    SettingValue,
    TenderType,
)
from conversion_qa.config.secrets import Secret
from conversion_qa.recordings.transport import OFFLINE_SECRET, Transport
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem, RuleFailed
from selftests.helpers import DEMO

__all__ = [
    "EST",
    "OFFLINE_SECRET",
    "REMOVED",
    "Blocked",
    "Configured",
    "NotChecked",
    "Problem",
    "RuleFailed",
    "Transport",
    "changed",
    "configured",
    "conversion",
    "demo",
    "environment",
    "from_file",
    "secret",
    "tenders",
]

EST: Final = timezone(timedelta(hours=-5))


class _Removed:
    """Marks a setting or option to leave out, as opposed to one written with no value."""

    def __repr__(self) -> str:
        return "REMOVED"


REMOVED: Final = _Removed()

SettingChange = SettingValue | None | _Removed


@cache
def demo() -> Biller:
    """The bundled demo biller, on which every rule passes (loaded once)."""
    return load_biller(DEMO)


def environment(name: str = "test", **changes: object) -> Environment:
    """One of the demo biller's environments, with fields replaced."""
    return dataclasses.replace(demo().environment(name), **changes)  # type: ignore[arg-type]


def changed(
    mapping: Mapping[str, SettingValue | None], updates: Mapping[str, SettingChange]
) -> dict[str, SettingValue | None]:
    """A copy of the mapping with values replaced, added, or REMOVED."""
    result = dict(mapping)
    for key, value in updates.items():
        if isinstance(value, _Removed):
            result.pop(key, None)
        else:
            result[key] = value
    return result


def configured(
    settings: Mapping[str, SettingChange] | None = None,
    options: Mapping[str, bool | _Removed] | None = None,
    *,
    base: Environment | None = None,
    source: str = "the biller file",
) -> Configured:
    """The demo test environment's settings and options as a rule reads them, changed.

    Its `where` is `at <field path>`, so a test can tell which field a check pointed at.
    """
    env = base or environment()
    chosen_options = dict(env.options)
    for key, value in (options or {}).items():
        if isinstance(value, _Removed):
            chosen_options.pop(key, None)
        else:
            chosen_options[key] = value
    return Configured(
        settings=changed(env.advanced_settings, settings or {}),
        options=chosen_options,
        source=source,
        locate=lambda *field: "at " + ".".join(str(f) for f in field),
    )


def secret(template: str, **environ: str) -> Secret:
    """A `${VAR}` value read from the given variables only (never the real environment)."""
    return Secret(template, "billers/demo.yaml:1 (a unit test)", environ)


def tenders(*pairs: tuple[str, str | None]) -> tuple[TenderType, ...]:
    """Tender types from (method, code) pairs."""
    return tuple(TenderType(method, code) for method, code in pairs)


def conversion(
    *,
    start: datetime | _Removed | None = REMOVED,
    end: datetime | _Removed | None = REMOVED,
    batch_close: time | _Removed | None = REMOVED,
    ticket: str | _Removed | None = REMOVED,
    submitted: date | _Removed | None = REMOVED,
    weekend: Mapping[str, date | None] | None = None,
) -> Conversion:
    """The demo conversion (window Thu 2026-12-03 18:00 EST to Mon 06:00), fields replaced.

    A field left as REMOVED keeps the demo's value; `weekend` replaces steps by name.
    """
    base = demo().conversion
    window = base.maintenance_window
    window_changes = {
        name: value
        for name, value in (("start", start), ("end", end), ("batch_close", batch_close))
        if not isinstance(value, _Removed)
    }
    itg_changes = {
        name: value
        for name, value in (("ticket", ticket), ("submitted", submitted))
        if not isinstance(value, _Removed)
    }
    return dataclasses.replace(
        base,
        maintenance_window=dataclasses.replace(window, **window_changes),  # type: ignore[arg-type]
        itg=dataclasses.replace(base.itg, **itg_changes),  # type: ignore[arg-type]
        weekend=dataclasses.replace(base.weekend, **(weekend or {})),
    )
