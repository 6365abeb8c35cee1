"""The checks of the ten configuration rules; each returns a Problem or None."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, timedelta
from urllib.parse import urlsplit

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import (
    ENDPOINT_NAMES,
    Conversion,
    Environment,
    MaintenanceWindow,
    SettingValue,
    TenderType,
)
from conversion_qa.config.secrets import Secret
from conversion_qa.rules.verdict import Blocked, Problem

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
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
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


def setting_present(configured: Configured, number: str) -> Problem | None:
    value = configured.setting(number)
    if not is_blank(value):
        return None
    state = "missing" if value is None else "empty"
    return Problem(
        summary=f"Advanced Setting {number} is {state} in {configured.source}.",
        expected=f"Advanced Setting {number} set from the PayConnect details S&S sent",
        found=shown(value),
        where=configured.where_setting(number),
    )


def option_127(configured: Configured) -> Problem | None:
    enabled = configured.options.get("127")
    if enabled is True:
        return None
    found = "not set" if enabled is None else "disabled (false)"
    return Problem(
        summary=f"Option 127 (sync registered accounts) is {found} in {configured.source}.",
        expected='options: {"127": true}',
        found=found,
        where=configured.where_option("127"),
    )


def setting_131(configured: Configured) -> Problem | None:
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
        parsed = json.loads(text)
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
    return None


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
        copied = json.loads(stripped) == SETTING_131
    except json.JSONDecodeError:
        copied = False
    if copied and hints:
        return " (" + " and ".join(hints) + "; this is the checklist's own misprinted text)"
    return ""


def operator_number(configured: Configured) -> Problem | None:
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
    return None


# endpoint-settings -----------------------------------------------------------------------------


def is_url(value: SettingValue | None) -> bool:
    return isinstance(value, str) and "://" in value


def url_settings(configured: Configured) -> list[str]:
    """Numbers of the settings whose value is a URL, in numeric order."""
    return sorted((n for n, v in configured.settings.items() if is_url(v)), key=int)


def normalised(url: str) -> tuple[str, str, str, str]:
    """A URL as endpoints are compared: scheme and host in lower case, the default port written
    out (https://h/x is https://h:443/x), no trailing slash; a port that is not a number kept
    as written, so it matches nothing S&S provided."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = str(parts.port or {"https": "443", "http": "80"}.get(scheme, ""))
    except ValueError:
        port = parts.netloc.rpartition(":")[2]
    return scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")


def endpoint_setting(
    configured: Configured, environment: Environment, other: Environment | None, item: str | None
) -> Problem | Blocked | None:
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
        if any(_same(configured.setting(n), url) for n in url_settings(configured)):
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
    if any(_same(value, url) for url in usable.values()):
        return None
    if pending:
        return Blocked(f"Advanced Setting {number} cannot be checked {waiting}")
    listing = ", ".join(f"{ENDPOINT_TITLES[n]} {u}" for n, u in usable.items())
    hint = None
    if other is not None and any(_same(value, u) for u in other.endpoints.values() if u):
        hint = f"this is the {other.name} endpoint: use the {environment.name} one"
    return Problem(
        summary=f"Advanced Setting {number} is not an endpoint S&S provided for "
        f"{environment.name}.",
        expected=f"one of: {listing}",
        found=shown(value),
        fix=hint,
        where=configured.where_setting(number),
    )


def _same(value: SettingValue | None, url: str) -> bool:
    return isinstance(value, str) and normalised(value) == normalised(url)


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
