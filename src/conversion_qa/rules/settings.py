"""The checks of settings-24-27, option-127, setting-131 and operator-number: the portal's
Advanced Settings and Options (live: each judged against the file as well, drift)."""

from __future__ import annotations

import json
import re

from conversion_qa.config.configured import Configured
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import bounded_json
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.rules.drift import drift, option_drift
from conversion_qa.rules.values import is_blank, shown
from conversion_qa.rules.verdict import NotChecked, Problem

SETTING_131 = {"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}
SETTING_131_TEXT = json.dumps(SETTING_131)
# Assumption: S&S operator numbers are digits only; the file keeps them as text for leading zeros.
OPERATOR_NUMBER = re.compile(r"[0-9]{1,10}")


# settings-24-27, option-127, setting-131, operator-number --------------------------------------


def setting_present(
    configured: Configured, number: str, agreed: Configured | None = None
) -> Problem | NotChecked | None:
    value = configured.setting(number)
    if not is_blank(value):
        return drift(configured, agreed, number)
    state = "missing" if value is None else "empty"
    return Problem(
        summary=f"Advanced Setting {number} is {state} in {configured.source}.",
        expected=f"Advanced Setting {number} set from the PayConnect details S&S sent",
        found=shown(value),
        where=configured.where_setting(number),
    )


def option_127(configured: Configured, agreed: Configured | None = None) -> Problem | None:
    enabled = configured.options.get("127")
    if enabled is True:
        return option_drift(configured, agreed, "127")
    found = "not set" if enabled is None else "disabled (false)"
    return Problem(
        summary=f"Option 127 (sync registered accounts) is {found} in {configured.source}.",
        expected='options: {"127": true}',
        found=found,
        where=configured.where_option("127"),
    )


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


def operator_number(
    configured: Configured, agreed: Configured | None = None
) -> Problem | NotChecked | None:
    value = configured.setting("12")
    expected = 'the S&S operator number, digits only, in quotes (e.g. "0417")'
    if is_blank(value):
        return Problem(
            summary="Advanced Setting 12 (operator number) is "
            f"{'missing' if value is None else 'empty'}.",
            expected=expected,
            found=shown(value),
            where=configured.where_setting("12"),
        )
    if isinstance(value, str) and not OPERATOR_NUMBER.fullmatch(value):
        return Problem(
            summary="Advanced Setting 12 is not an operator number.",
            expected=expected,
            found=shown(value),
            where=configured.where_setting("12"),
        )
    return drift(configured, agreed, "12")
