"""The checks of the configuration rules; each returns a Problem (or Blocked) or None.

Live, a check of the portal's settings also takes `agreed`, the biller file's settings: where the
file gives a value the rule reads, the portal's must equal it after the rule's normalisation
(drift). Offline `agreed` is None, since the file is then what is checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from urllib.parse import urlsplit

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import (
    ENDPOINT_NAMES,
    Biller,
    Conversion,
    Environment,
    MaintenanceWindow,
    SettingValue,
    TenderType,
)
from conversion_qa.config.secrets import REDACTED, Secret, references
from conversion_qa.contract import bounded_json, payconnect
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.errors import AmbiguousURL, UnsendableURL, set_variable_lines
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem
from conversion_qa.target import Target, as_sent, looks_like_url, target_of, targets_of

ENDPOINT_TITLES = {"cis_service": "CIS Service", "payconnect_service": "PayConnect Service"}
SETTING_131 = {"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}
SETTING_131_TEXT = json.dumps(SETTING_131)
# Assumption: S&S operator numbers are digits only; the file keeps them as text for leading zeros.
OPERATOR_NUMBER = re.compile(r"[0-9]{1,10}")
LEAD_TIME = timedelta(days=30)
THURSDAY = 3
WEEKEND_STEPS: dict[str, tuple[str, tuple[int, ...]]] = {
    # step: (what it is, weekdays it may fall on, Monday = 0)
    "ic_it_manual_test": ("IC IT changes and manual test", (4,)),
    "sns_changes": ("S&S changes", (4, 5)),
    "biller_testing": ("biller testing", (5, 6)),
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def shown(value: SettingValue | None) -> str:
    """A setting's value as a message may show it: secrets stay redacted."""
    if value is None:
        return "nothing"
    return str(value) if isinstance(value, Secret) else repr(value)


def is_blank(value: SettingValue | None) -> bool:
    if value is None:
        return True
    if isinstance(value, Secret):
        # an unset variable is a secret kept outside the file: provided, checked where it is used
        return value.is_set and not value.reveal().strip()
    return not value.strip()


# endpoints-received ----------------------------------------------------------------------------


def endpoint_received(environment: Environment, endpoint: str, where: str) -> Problem | None:
    title = ENDPOINT_TITLES[endpoint]
    url = environment.endpoints.get(endpoint)
    expected = f"the {title} endpoint S&S provided, as an https:// URL"
    if not environment.declared:
        return Problem(
            summary=f"The {environment.name} environment is not in the biller file yet.",
            expected=expected,
            found=f"no environments.{environment.name}",
            fix=f"add environments.{environment.name}.endpoints.{endpoint} when S&S sends it",
            where=where,
        )
    if not url:
        return Problem(
            summary=f"S&S has not provided the {title} endpoint for {environment.name} (or "
            "it is not "
            "recorded).",
            expected=expected,
            found="nothing",
            fix=f"write it under environments.{environment.name}.endpoints.{endpoint}",
            where=where,
        )
    problem = url_problem(url)
    if problem:
        return Problem(
            summary=f"The {title} endpoint {problem}.",
            expected=expected,
            found=repr(url),
            where=where,
        )
    return None


def url_problem(url: str) -> str | None:
    """Why a text is not a usable https URL, or None."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "contains spaces"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"is not https (scheme {parts.scheme or 'missing'!r})"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "has a port that is not a number"
    try:
        host = target_of(url).host  # as the HTTP client would connect
    except AmbiguousURL as error:
        return error.problem
    except UnsendableURL:
        return "has no valid host name"
    if "." not in host and host != "localhost":
        return "has no valid host name"
    return None


# tender-types ----------------------------------------------------------------------------------


def tender_types_declared(tenders: Sequence[TenderType], where: str) -> Problem | None:
    if tenders:
        return None
    return Problem(
        summary="No tender types are recorded.",
        expected="one S&S payment code per payment method the biller accepts (card, ach, ...)",
        found="an empty list",
        fix="add tender_types: - {method: card, code: CC} for each method",
        where=where,
    )


def tender_type(tenders: Sequence[TenderType], method: str, where: str) -> Problem | None:
    mine = [t for t in tenders if t.method == method]
    expected = f"one unique S&S payment code for {method}"
    if len(mine) > 1:
        return Problem(
            summary=f"The payment method {method} is listed {len(mine)} times.",
            expected=expected,
            found=", ".join(repr(t.code) for t in mine),
            fix="keep one entry per method",
            where=where,
        )
    code = mine[0].code
    if not code or not code.strip():
        return Problem(
            summary=f"The payment method {method} has no tender type code.",
            expected=expected,
            found="no code",
            fix="ask S&S for the payment code and write it as code:",
            where=where,
        )
    others = [t.method for t in tenders if t.code == code and t.method != method]
    if others:
        return Problem(
            summary=f"The tender type {code!r} of {method} is also the code of "
            f"{', '.join(others)}.",
            expected=expected,
            found=f"{code!r} shared with {', '.join(others)}",
            fix="S&S posts each payment by its code: ask S&S which code belongs to which method",
            where=where,
        )
    return None


# test-portal-lead-time -------------------------------------------------------------------------


def test_portal_lead_time(conversion: Conversion, where: str) -> Problem | Blocked | None:
    itg, start = conversion.itg, conversion.maintenance_window.start
    expected = f"an ITG submitted at least {LEAD_TIME.days} days before the window opens"
    if not itg.ticket:
        return Problem(
            summary="No ITG ticket for the test portal is recorded.",
            expected=expected,
            found="no conversion.itg.ticket",
            fix="submit the ITG for the test portal now; setup takes 30+ days",
            where=where,
        )
    if itg.submitted is None:
        return Problem(
            summary=f"The submission date of {itg.ticket} is not recorded.",
            expected=expected,
            found="no conversion.itg.submitted",
            where=where,
        )
    if start is None:
        return Blocked(
            "the lead time cannot be checked until the window is scheduled (see maintenance-window)"
        )
    lead = start.date() - itg.submitted
    if lead < LEAD_TIME:
        when = (
            f"{lead.days} days before the window opens on {start.date()}"
            if lead.days >= 0
            else f"{-lead.days} days after the window opened on {start.date()}"
        )
        return Problem(
            summary=f"{itg.ticket} was submitted {when}.",
            expected=expected,
            found=f"submitted {itg.submitted}, "
            + (f"{lead.days} days ahead" if lead.days >= 0 else f"{-lead.days} days late"),
            fix=f"the test portal may not be ready: move the window to {itg.submitted + LEAD_TIME} "
            "or later, or confirm with IC IT that the portal is up",
            where=where,
        )
    return None


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


# endpoint-settings -----------------------------------------------------------------------------


def is_url(value: SettingValue | None) -> bool:
    """Whether a setting's value is meant as a URL, usable or not."""
    return isinstance(value, str) and looks_like_url(value)


def url_settings(configured: Configured) -> list[str]:
    """Numbers of the settings whose value is a URL, in numeric order."""
    return sorted((n for n, v in configured.settings.items() if is_url(v)), key=int)


def normalised(url: str) -> tuple[Target, str] | None:
    """A URL as endpoints are compared: where the HTTP client connects (scheme, host and port,
    https://h/x being https://h:443/x) and the path it asks for, with no trailing slash; None
    for a URL with no such target (ambiguous or unsendable), which equals nothing. Spaces around
    it are not part of it: the network rules send it without them."""
    try:
        sent = as_sent(url.strip())
    except UnsendableURL:
        return None
    return sent.target, sent.path.rstrip("/")


def same_url(value: SettingValue | None, url: str | None) -> bool:
    """Whether a setting's value is the URL, as the HTTP client would send each."""
    if not (isinstance(value, str) and url):
        return False
    mine = normalised(value)
    return mine is not None and mine == normalised(url)


def why_unsendable(value: SettingValue | None) -> str | None:
    """Why a setting's URL cannot be sent as it reads (ambiguous or unsendable), or None."""
    if not (isinstance(value, str) and is_url(value)):
        return None
    try:
        as_sent(value.strip())
    except UnsendableURL as error:
        return error.problem
    return None


def endpoint_setting(
    configured: Configured,
    environment: Environment,
    other: Environment | None,
    item: str | None,
    agreed: Configured | None = None,
) -> Problem | Blocked | NotChecked | None:
    provided = {name: url for name, url in environment.endpoints.items() if url}
    usable = {name: url for name, url in provided.items() if url_problem(url) is None}
    pending = [ENDPOINT_TITLES[name] for name in ENDPOINT_NAMES if name not in usable]
    waiting = (
        f"until S&S's {' and '.join(pending)} endpoint is received as a valid https URL "
        "(see endpoints-received)"
    )
    if item is None:
        return Blocked(f"there is nothing to compare {waiting}")
    if item in ENDPOINT_NAMES:
        title = ENDPOINT_TITLES[item]
        url = usable.get(item)
        if url is None:
            return Blocked(f"no setting can be matched to the {title} endpoint {waiting}")
        if any(same_url(configured.setting(n), url) for n in url_settings(configured)):
            return None
        return Problem(
            summary=f"No Advanced Setting references the {title} endpoint in {configured.source}.",
            expected=f"an Advanced Setting holding {url}",
            found="settings holding URLs: " + (", ".join(url_settings(configured)) or "none"),
            fix=f"set the Advanced Setting for the {title} to {url}",
            where=configured.where_setting(),
        )
    number = item.removeprefix("setting-")
    value = configured.setting(number)
    unsendable = why_unsendable(value)
    if unsendable is not None:
        return Problem(
            summary=f"Advanced Setting {number} in {configured.source} is not a URL the suite "
            f"can call as it reads: it {unsendable}. Nothing was sent to it.",
            expected="one of: " + ", ".join(f"{ENDPOINT_TITLES[n]} {u}" for n, u in usable.items())
            if usable
            else "the endpoint S&S provided, as a plain https://host/path",
            found=shown(value),
            fix="write the endpoint S&S provided exactly, as a plain https://host/path; a "
            "value another reader could take to another host is never called",
            where=configured.where_setting(number),
        )
    if any(same_url(value, url) for url in usable.values()):
        return drift(configured, agreed, number)
    if pending:
        return Blocked(f"Advanced Setting {number} cannot be checked {waiting}")
    listing = ", ".join(f"{ENDPOINT_TITLES[n]} {u}" for n, u in usable.items())
    hint = None
    if other is not None and any(same_url(value, u) for u in other.endpoints.values() if u):
        hint = f"this is the {other.name} endpoint: use the {environment.name} one"
    return Problem(
        summary=f"Advanced Setting {number} is not an endpoint S&S provided for "
        f"{environment.name}.",
        expected=f"one of: {listing}",
        found=shown(value),
        fix=hint,
        where=configured.where_setting(number),
    )


# maintenance-window, conversion-weekend ----------------------------------------------------------


def maintenance_window(window: MaintenanceWindow, where: str) -> Problem | None:
    start, close = window.start, window.batch_close
    expected = "a window that starts on a Thursday at the biller's batch close time"
    if start is None:
        return Problem(
            summary="The maintenance window is not scheduled.",
            expected=expected,
            found="no start",
            where=where,
        )
    if close is None:
        return Problem(
            summary="The biller's batch close time is not recorded.",
            expected=expected,
            found="no conversion.maintenance_window.batch_close",
            fix="ask the biller when its batch closes on Thursday",
            where=where,
        )
    problems = []
    if start.weekday() != THURSDAY:
        problems.append(f"starts on a {DAY_NAMES[start.weekday()]}")
    if start.time().replace(second=0, microsecond=0) != close or start.second:
        problems.append(f"starts at {start:%H:%M}, not at batch close {close:%H:%M}")
    if window.end is not None and window.end <= start:
        problems.append(f"ends ({window.end.isoformat()}) before it starts")
    if not problems:
        return None
    return Problem(
        summary=f"The maintenance window {' and '.join(problems)}.",
        expected=expected + f" ({close:%H:%M})",
        found=f"{start.isoformat()} ({DAY_NAMES[start.weekday()]}, local time as written)",
        where=where,
    )


def weekend_step(conversion: Conversion, step: str, where: str) -> Problem | Blocked | None:
    title, days = WEEKEND_STEPS[step]
    day: date | None = getattr(conversion.weekend, step)
    allowed = " or ".join(DAY_NAMES[d] for d in days)
    start, end = conversion.maintenance_window.start, conversion.maintenance_window.end
    expected = f"{title} on {allowed} of the conversion weekend"
    if day is None:
        return Problem(
            summary=f"The {title} step is not planned.",
            expected=expected,
            found="no date",
            where=where,
        )
    if start is None:
        return Blocked(
            f"the {title} step cannot be placed until the window is scheduled "
            "(see maintenance-window)"
        )
    if end is not None and end <= start:
        return Blocked(
            f"the {title} step cannot be placed until the window ends after it starts "
            "(see maintenance-window)"
        )
    found = f"{day} ({DAY_NAMES[day.weekday()]})"
    if day.weekday() not in days:
        return Problem(
            summary=f"The {title} step falls on a {DAY_NAMES[day.weekday()]}.",
            expected=expected,
            found=found,
            where=where,
        )
    if day <= start.date():
        return Problem(
            summary=f"The {title} step is planned before the window opens on {start.date()}.",
            expected=expected,
            found=found,
            where=where,
        )
    last = end.date() if end is not None else start.date() + timedelta(days=4)
    if day > last:
        return Problem(
            summary=f"The {title} step is planned after the window closes on {last}.",
            expected=expected,
            found=found,
            where=where,
        )
    return None


# drift: the portal against the biller file --------------------------------------------------------


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


def _unset(*values: SettingValue | None) -> Secret | None:
    """The first of the values that is a secret whose variable is not set in this run."""
    return next((v for v in values if isinstance(v, Secret) and not v.is_set), None)


def _secret_state(one: SettingValue, other: SettingValue) -> bool | str:
    """Whether two values, one of them secret and both set, are equal; or why they cannot be
    compared (a recording keeps no secret values)."""
    texts = [v.reveal() if isinstance(v, Secret) else v for v in (one, other)]
    if REDACTED in texts:
        return "recorded answers keep no secret values"
    return texts[0] == texts[1]


def _not_set(field: str, expected: str, found: str, secret: Secret) -> Comparison:
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
    unset = _unset(wanted, value)
    if unset is not None:
        return _not_set(field, expected, found, unset)
    if secret or not (isinstance(wanted, str) and isinstance(value, str)):
        same = _secret_state(wanted, value)
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
    unset = _unset(wanted, value)
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
    # imported here: the rules' slices import this module for their checks
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


# production-matches-test -------------------------------------------------------------------------


def _endpoint_of(value: str, environment: Environment) -> str | None:
    """Which of the environment's endpoints a URL is, if any."""
    for name, url in environment.endpoints.items():
        if same_url(value, url):
            return name
    return None


def _hosts(environment: Environment) -> set[str]:
    return {t.host for t in targets_of([environment.portal, *environment.endpoints.values()])}


def _compare_url(
    number: str, tested: str, value: str, test: Environment, production: Environment
) -> Comparison:
    field = f"Advanced Setting {number}"
    name = _endpoint_of(tested, test)
    own = production.endpoints.get(name) if name else None
    if name and own:
        title = ENDPOINT_TITLES.get(name, name)
        if same_url(value, own):
            return Comparison(
                field=field,
                expected=tested,
                found=value,
                verdict=Match.OWN_ENDPOINT,
                note=f"production's {title}",
            )
        elsewhere = _endpoint_of(value, test)
        note = (
            f"production points at the test environment's {ENDPOINT_TITLES.get(elsewhere, '')}"
            if elsewhere
            else "not an endpoint of production"
        ) + f"; expected production's {title} {own}"
        return Comparison(
            field=field, expected=tested, found=value, verdict=Match.DIFFERS, note=note
        )
    target = normalised(value)
    host = target[0].host if target else ""
    if host in _hosts(test) and host not in _hosts(production):
        return Comparison(
            field=field,
            expected=tested,
            found=value,
            verdict=Match.DIFFERS,
            note=f"production points at a host of the test environment ({host})",
        )
    verdict = Match.MATCHES if same_url(value, tested) else Match.DIFFERS
    return Comparison(field=field, expected=tested, found=value, verdict=verdict)


def compare_environments(
    production: Configured, test: Configured, biller: Biller
) -> list[Comparison]:
    """Every setting and option of either portal, production against test: endpoint URLs must
    be each environment's own (as the biller file lists them), secrets are only same or
    different, the rest must match."""
    biller_test, biller_production = biller.environment("test"), biller.environment("production")
    comparisons = []
    numbers = {*production.settings, *test.settings}
    for number in sorted(numbers, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n)):
        tested, value = test.setting(number), production.setting(number)
        field = f"Advanced Setting {number}"
        if is_secret(number, tested, value):
            shown_test = MASKED if tested is not None else "not set"
            shown_production = MASKED if value is not None else "not set"
            unset = _unset(tested, value)
            if tested is None or value is None:
                verdict, note = Match.DIFFERS, "set in one environment only"
            elif unset is not None:
                verdict, note = Match.NOT_CHECKED, f"{variable(unset)} is not set in this run"
            else:
                same = _secret_state(tested, value)
                if isinstance(same, str):
                    verdict, note = Match.NOT_COMPARED, same
                else:
                    verdict = Match.SECRET_SAME if same else Match.SECRET_DIFFERENT
                    note = ""
            comparisons.append(
                Comparison(
                    field=field,
                    expected=shown_test,
                    found=shown_production,
                    verdict=verdict,
                    note=note,
                )
            )
        elif (
            isinstance(tested, str) and isinstance(value, str) and (is_url(tested) or is_url(value))
        ):
            comparisons.append(_compare_url(number, tested, value, biller_test, biller_production))
        else:
            same = (tested is None and value is None) or (
                isinstance(tested, str)
                and isinstance(value, str)
                and comparable(number, tested) == comparable(number, value)
            )
            comparisons.append(
                Comparison(
                    field=field,
                    expected=table_value(tested),
                    found=table_value(value),
                    verdict=Match.MATCHES if same else Match.DIFFERS,
                )
            )
    for number in sorted({*production.options, *test.options}):
        tested_option, option = test.options.get(number), production.options.get(number)
        comparisons.append(
            Comparison(
                field=f"Option {number}",
                expected=option_value(tested_option),
                found=option_value(option),
                verdict=Match.MATCHES if tested_option is option else Match.DIFFERS,
            )
        )
    return comparisons


def production_matches_test(
    production: Configured, test: Configured, biller: Biller
) -> Problem | NotChecked | None:
    """After go-live: production is configured as the test portal that was tested (not checked
    while a secret it compares is not set)."""
    comparisons = compare_environments(production, test, biller)
    differing = [c for c in comparisons if c.verdict is Match.DIFFERS]
    if not differing:
        numbers = sorted({*production.settings, *test.settings})
        unset = (_unset(test.setting(n), production.setting(n)) for n in numbers)
        secret = next((s for s in unset if s is not None), None)
        if secret is not None:
            return unset_secret("production's portal against the test portal", secret)
        return None
    lines = [
        f"{c.field}: test {c.expected}, production {c.found}" + (f" ({c.note})" if c.note else "")
        for c in differing
    ]
    return Problem(
        summary=f"Production's portal differs from the test portal in {len(differing)} "
        f"{'place' if len(differing) == 1 else 'places'} that should match: "
        f"{', '.join(c.field for c in differing)}.",
        expected="production configured as the test portal that was tested: endpoint URLs "
        "each environment's own, secrets may differ, everything else the same",
        found="\n            ".join(lines),
        fix="set production as the test portal was when the biller signed it off (or, if the "
        "change was meant, re-test it on the test portal first), then update the biller file",
        where=f"production {production.where()}; test {test.where()}",
    )
