"""endpoint-settings: The endpoint URLs in the Advanced Settings are the ones S&S provided."""

from __future__ import annotations

from conversion_qa.config.configured import Configured, from_file
from conversion_qa.config.model import (
    ENDPOINT_NAMES,
    Biller,
    Environment,
)
from conversion_qa.rules.drift import drift
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.findings import Finding, Subject, from_verdicts
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_item_setting
from conversion_qa.rules.slices import endpoints_received
from conversion_qa.rules.slices.endpoints_received import ENDPOINT_TITLES
from conversion_qa.rules.urls import same_url, url_problem, url_settings, why_unsendable
from conversion_qa.rules.values import shown
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem

ID = "endpoint-settings"


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
        f"(see {endpoints_received.ID})"
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


def _items(biller: Biller, environment: Environment) -> list[str]:
    """Each URL setting (is it an endpoint S&S provided?), then each endpoint the biller uses
    (does a setting reference it?): PayConnect is referenced from settings 24-27, which only a
    multi-user biller configures, so a single-user biller is not asked to reference it."""
    settings = [f"setting-{n}" for n in url_settings(from_file(environment, biller.where))]
    used = [n for n in ENDPOINT_NAMES if n != "payconnect_service" or biller.multi_user]
    return settings + [name for name in used if environment.endpoints.get(name)]


def _evaluated(subject: Subject) -> list[Finding]:
    biller, environment = subject.biller, subject.environment
    other = biller.environment("production" if environment.name == "test" else "test")
    items: list[str | None] = [*_items(biller, environment)] or [None]
    verdicts = [
        endpoint_setting(subject.configured, environment, other, item, subject.agreed)
        for item in items
    ]
    return from_verdicts(
        ID, verdicts, "every URL setting is an endpoint S&S provided, each used", subject
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail endpoint-settings first."""
    # imported when the faults are read: the slices of rtdr and data-pump import this one
    from conversion_qa.rules.slices import data_pump, rtdr

    return (
        Fault(
            "endpoint-drift",
            "the portal's Advanced Setting 20 points at the other environment's CIS Service "
            "(the write guard sends the data pump nothing there)",
            (ID, rtdr.ID),
            "Advanced Setting 20 is not an endpoint S&S provided",
            replayable=False,
            not_checked=(data_pump.ID,),
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="The endpoint URLs in the Advanced Settings are the ones S&S provided",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="QA: if RTDR or data pump errors occur, check the endpoint URLs in Advanced "
        "Settings",
        troubleshooting="Make every URL in the Advanced Settings one of the endpoints S&S provided "
        "for this environment, and reference each S&S endpoint the biller uses from a setting "
        "(PayConnect from settings 24-27: multi-user billers only).",
    ),
    items=_items,
    reads=reads_item_setting("setting-"),
    evaluator=_evaluated,
    faults=_faults,
)
