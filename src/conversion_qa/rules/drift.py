"""Drift: a value the portal holds against the one the biller file agreed, one row of the drift
table each (live runs only; offline the file is what is checked)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import REDACTED, Secret, references
from conversion_qa.contract import bounded_json, payconnect
from conversion_qa.errors import set_variable_lines
from conversion_qa.rules.urls import is_url, normalised
from conversion_qa.rules.values import shown
from conversion_qa.rules.verdict import NotChecked, Problem


class Match(Enum):
    """How a value compares with the one it should equal: a row of the drift table."""

    MATCHES = "matches"
    DIFFERS = "DIFFERS"  # a difference that fails its rule
    OWN_ENDPOINT = "differs as expected: the environment's own endpoint"
    SECRET_SAME = "same (secret, not shown)"
    SECRET_DIFFERENT = "different (secret, not shown)"
    NOT_AGREED = "not in the biller file: judged on its own merit"
    NOT_COMPARED = "not compared"  # recorded answers keep no secret values
    NOT_CHECKED = "not checked"  # a secret to compare is not set in this run: its rule too


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """One setting or option compared with what it should equal; values as a report may show
    them (a secret masked)."""

    field: str  # "Advanced Setting 12", "Option 127"
    expected: str  # the file's value (or the test portal's)
    found: str  # the portal's value (or production's)
    verdict: Match
    note: str = ""  # why not compared, what the expected difference is


AGAINST_FILE = "the biller file"
AGAINST_TEST = "the test portal"
MASKED = "(masked)"
FIX_DRIFT = "S&S/IC IT changed it, or the file is out of date"


def comparable(number: str, value: str) -> object:
    """A setting's value as its rule compares it: setting 131 as compact JSON, a URL as
    endpoint-settings normalises it, anything else exactly."""
    if number == "131":
        try:
            return json.dumps(bounded_json.loads(value), separators=(",", ":"), sort_keys=True)
        except ValueError:
            return value
    if is_url(value):
        return normalised(value) or value  # a URL with no target equals only its own text
    return value


def variable(value: Secret) -> str:
    """A secret as `${VAR}`: its template may hold a default, which is a value too."""
    names = references(value.template)
    return f"${{{names[0]}}}" if names else "a secret"


def table_value(value: SettingValue | None) -> str:
    """A value as a table shows it: the text itself, a secret as its ${VAR}, masked."""
    if value is None:
        return "not set"
    if isinstance(value, Secret):
        return f"{variable(value)} {MASKED}"
    return value


def option_value(value: bool | None) -> str:
    return "not set" if value is None else "enabled (true)" if value else "disabled (false)"


def first_unset(*values: SettingValue | None) -> Secret | None:
    """The first of the values that is a secret whose variable is not set in this run."""
    return next((v for v in values if isinstance(v, Secret) and not v.is_set), None)


def secret_state(one: SettingValue, other: SettingValue) -> bool | str:
    """Whether two values, one of them secret and both set, are equal; or why they cannot be
    compared (a recording keeps no secret values)."""
    texts = [v.reveal() if isinstance(v, Secret) else v for v in (one, other)]
    if REDACTED in texts:
        return "recorded answers keep no secret values"
    return texts[0] == texts[1]


def not_set(field: str, expected: str, found: str, secret: Secret) -> Comparison:
    return Comparison(
        field=field,
        expected=expected,
        found=found,
        verdict=Match.NOT_CHECKED,
        note=f"{variable(secret)} is not set in this run",
    )


def unset_secret(field: str, secret: Secret) -> NotChecked:
    """A comparison that needs a secret whose variable is not set: its rule is not checked."""
    names = references(secret.template)
    name = names[0] if names else "its variable"
    return NotChecked(
        reason=f"{name} is not set",
        detail=f"{field} cannot be compared: {variable(secret)} is not set in this run "
        f"({secret.where})",
        fix=f"set it and run again: {set_variable_lines(name)}",
        where=secret.where,
    )


def is_secret(number: str, *values: SettingValue | None) -> bool:
    """A value never shown: a `${VAR}` of the file, or the setting holding PayConnect's client
    secret (whatever the file says of it)."""
    return number == payconnect.SECRET_SETTING or any(isinstance(v, Secret) for v in values)


def _masked(value: SettingValue | None) -> str:
    if value is None:
        return "not set"
    return table_value(value) if isinstance(value, Secret) else MASKED


def compare_setting(portal: Configured, agreed: Configured, number: str) -> Comparison:
    """The portal's Advanced Setting against the file's, after the rule's normalisation."""
    field = f"Advanced Setting {number}"
    wanted, value = agreed.setting(number), portal.setting(number)
    secret = is_secret(number, wanted, value)
    expected, found = table_value(wanted), table_value(value)
    if secret:  # the file's as its ${VAR}; the portal's, whatever variable it was kept in, masked
        expected, found = _masked(wanted), "not set" if value is None else MASKED
    if wanted is None:
        return Comparison(field=field, expected=expected, found=found, verdict=Match.NOT_AGREED)
    if value is None:
        return Comparison(field=field, expected=expected, found=found, verdict=Match.DIFFERS)
    unset = first_unset(wanted, value)
    if unset is not None:
        return not_set(field, expected, found, unset)
    if secret or not (isinstance(wanted, str) and isinstance(value, str)):
        same = secret_state(wanted, value)
        if isinstance(same, str):
            return Comparison(
                field=field, expected=expected, found=found, verdict=Match.NOT_COMPARED, note=same
            )
    else:
        same = comparable(number, value) == comparable(number, wanted)
    verdict = Match.MATCHES if same else Match.DIFFERS
    return Comparison(field=field, expected=expected, found=found, verdict=verdict)


def compare_option(portal: Configured, agreed: Configured, number: str) -> Comparison:
    field = f"Option {number}"
    wanted, value = agreed.options.get(number), portal.options.get(number)
    if wanted is None:
        return Comparison(
            field=field, expected="not set", found=option_value(value), verdict=Match.NOT_AGREED
        )
    verdict = Match.MATCHES if value is wanted else Match.DIFFERS
    return Comparison(
        field=field, expected=option_value(wanted), found=option_value(value), verdict=verdict
    )


def drift(
    portal: Configured, agreed: Configured | None, number: str
) -> Problem | NotChecked | None:
    """The portal's Advanced Setting differs from the value the biller file agreed; not checked
    when a secret it is compared on is not set."""
    if agreed is None:
        return None
    compared = compare_setting(portal, agreed, number)
    wanted, value = agreed.setting(number), portal.setting(number)
    unset = first_unset(wanted, value)
    if compared.verdict is Match.NOT_CHECKED and unset is not None:
        return unset_secret(compared.field, unset)
    if compared.verdict is not Match.DIFFERS:
        return None
    in_file = agreed.where_setting(number)
    if is_secret(number, wanted, value):
        template = variable(wanted) if isinstance(wanted, Secret) else "the file's value"
        return Problem(
            summary=f"Advanced Setting {number} has drifted: {portal.source}'s value differs "
            f"from the file's {template} (neither is shown).",
            expected=f"the value of {template}, as agreed in the biller file ({in_file})",
            found=f"a different value in {portal.source} (not shown)",
            fix=f"{FIX_DRIFT}: set it back in {portal.source}, or correct {template} (and the "
            "file) once S&S confirms the new value",
            where=portal.where_setting(number),
        )
    return Problem(
        summary=f"Advanced Setting {number} has drifted: {portal.source}'s {shown(value)} "
        f"differs from the file's {shown(wanted)}.",
        expected=f"{shown(wanted)}, as agreed in the biller file ({in_file})",
        found=f"{shown(value)} in {portal.source}",
        fix=f"{FIX_DRIFT}: set it back to {shown(wanted)} in {portal.source}, or correct "
        f"{in_file} once S&S confirms {shown(value)}",
        where=portal.where_setting(number),
    )


def option_drift(portal: Configured, agreed: Configured | None, number: str) -> Problem | None:
    """The portal's Option differs from the biller file's."""
    if agreed is None:
        return None
    compared = compare_option(portal, agreed, number)
    if compared.verdict is not Match.DIFFERS:
        return None
    in_file = agreed.where_option(number)
    return Problem(
        summary=f"Option {number} has drifted: {portal.source} has it {compared.found}, the "
        f"file {compared.expected}.",
        expected=f"{compared.expected}, as agreed in the biller file ({in_file})",
        found=f"{compared.found} in {portal.source}",
        fix=f"{FIX_DRIFT}: set it back in {portal.source}, or correct {in_file}",
        where=portal.where_option(number),
    )


def _read_by(rule_id: str, item: str | None) -> tuple[list[str], list[str]]:
    """The settings and options a configuration rule (and item) reads from the portal."""
    # imported here: the rules' slices import this module, through the checks they hold
    from conversion_qa.rules.registry import SLICES

    reads = next((s.reads for s in SLICES if s.id == rule_id), None)
    return reads(item) if reads is not None else ([], [])


def compared(
    portal: Configured, agreed: Configured, rule_id: str, item: str | None
) -> list[Comparison]:
    """The drift table's rows for one rule's test: each value it reads, against the file."""
    settings, options = _read_by(rule_id, item)
    return [compare_setting(portal, agreed, n) for n in settings] + [
        compare_option(portal, agreed, n) for n in options
    ]
