"""The checks of endpoints-received and endpoint-settings: the endpoints S&S provided, and the
URLs of the Advanced Settings against them."""

from __future__ import annotations

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import ENDPOINT_NAMES, Environment
from conversion_qa.rules.drift import drift
from conversion_qa.rules.urls import same_url, url_problem, url_settings, why_unsendable
from conversion_qa.rules.values import shown
from conversion_qa.rules.verdict import Blocked, NotChecked, Problem

ENDPOINT_TITLES = {"cis_service": "CIS Service", "payconnect_service": "PayConnect Service"}


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
