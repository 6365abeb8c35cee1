"""setting-131: Advanced Setting 131 asks RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS."""

from __future__ import annotations

import json
import re

from conversion_qa.config.configured import Configured
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import bounded_json
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.rules.drift import drift
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_setting
from conversion_qa.rules.values import is_blank, shown
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "setting-131"

SETTING_131 = {"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}
SETTING_131_TEXT = json.dumps(SETTING_131)


def setting_131(
    configured: Configured, agreed: Configured | None = None
) -> Problem | NotChecked | None:
    value = configured.setting("131")
    where = configured.where_setting("131")
    if is_blank(value):
        return Problem(
            summary=f"Advanced Setting 131 is {'missing' if value is None else 'empty'}.",
            expected=SETTING_131_TEXT,
            found=shown(value),
            where=where,
        )
    if isinstance(value, Secret) and not value.is_set:
        return None  # kept outside the file: judged where it is used, in a live run
    text = value.reveal() if isinstance(value, Secret) else str(value)
    try:
        parsed = bounded_json.loads(text)
    except TooDeep as error:
        return Problem(
            summary=f"Advanced Setting 131 is JSON {error}; it was not read.",
            expected=SETTING_131_TEXT,
            found=f"{len(text):,} characters of JSON {error}",
            fix="replace the whole value with the expected text",
            where=where,
        )
    except json.JSONDecodeError as exc:
        return Problem(
            summary=f"Advanced Setting 131 is not valid JSON: {exc.msg} at line "
            f"{exc.lineno}, column "
            f"{exc.colno}{_checklist_copy_hint(text)}.\n    {_line(text, exc.lineno)}"
            f"\n    {' ' * (exc.colno - 1)}^ here",
            expected=SETTING_131_TEXT,
            found=repr(text),
            fix="replace the whole value with the expected text",
            where=where,
        )
    if parsed != SETTING_131:
        return Problem(
            summary="Advanced Setting 131 is valid JSON but does not ask RTDR for "
            "ACCOUNTSUMMARIESBYACCOUNTIDS.",
            expected=SETTING_131_TEXT,
            found=json.dumps(parsed),
            where=where,
        )
    return drift(configured, agreed, "131")


def _line(text: str, number: int) -> str:
    """Line `number` (from 1) of a value, for the caret to point within."""
    lines = text.splitlines() or [""]
    return lines[min(number, len(lines)) - 1]


def _checklist_copy_hint(text: str) -> str:
    """Recognise the checklist's own misprint: a leading '= ' and a dropped quote."""
    stripped = text.strip()
    hints = []
    if stripped.startswith("="):
        hints.append("it begins with '=', which is not part of the value")
        stripped = stripped.lstrip("=").strip()
    repaired = re.sub(r"^\{\s*SystemsAndSoftware\"", '{"SystemsAndSoftware"', stripped)
    if repaired != stripped:
        hints.append("the quote before SystemsAndSoftware is missing")
        stripped = repaired
    try:
        copied = bounded_json.loads(stripped) == SETTING_131
    except ValueError:
        copied = False
    if copied and hints:
        return " (" + " and ".join(hints) + "; this is the checklist's own misprinted text)"
    return ""


SLICE = Slice(
    Rule(
        id=ID,
        title="Advanced Setting 131 asks RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist='Procedure: set Advanced Setting 131 to {"SystemsAndSoftware": {"RTDRRequest": '
        '"ACCOUNTSUMMARIESBYACCOUNTIDS"}}',
        troubleshooting="Paste the expected value exactly; the checklist's own text drops a quote "
        "and adds '= ', so do not copy it from there.",
    ),
    reads=reads_setting("131"),
)
