"""What each rule checks one by one: its items for a biller and an environment."""

from __future__ import annotations

from collections.abc import Callable

from conversion_qa.config.configured import from_file
from conversion_qa.config.model import ENDPOINT_NAMES, Biller, Environment
from conversion_qa.contract.datapump import KINDS
from conversion_qa.rules.catalogue import Applies, Rule
from conversion_qa.rules.configuration import WEEKEND_STEPS, url_settings
from conversion_qa.rules.hosts import dns_hosts, tls_endpoints

ItemsOf = Callable[[Biller, Environment], list[str]]
NO_TENDER_TYPES = "none-declared"


def _tender_methods(biller: Biller, _: Environment) -> list[str]:
    return list(dict.fromkeys(t.method for t in biller.tender_types)) or [NO_TENDER_TYPES]


def _endpoint_settings(biller: Biller, environment: Environment) -> list[str]:
    """Each URL setting (is it an endpoint S&S provided?), then each endpoint the biller uses
    (does a setting reference it?): PayConnect is referenced from settings 24-27, which only a
    multi-user biller configures, so a single-user biller is not asked to reference it."""
    settings = [f"setting-{n}" for n in url_settings(from_file(environment, biller.where))]
    used = [n for n in ENDPOINT_NAMES if n != "payconnect_service" or biller.multi_user]
    return settings + [name for name in used if environment.endpoints.get(name)]


# A rule missing here checks its biller and environment as a whole: one test, no item.
ITEMS: dict[str, ItemsOf] = {
    "endpoints-received": lambda _b, _e: list(ENDPOINT_NAMES),
    "tender-types": _tender_methods,
    "settings-24-27": lambda _b, _e: ["24", "25", "26", "27"],
    "endpoint-settings": _endpoint_settings,
    "conversion-weekend": lambda _b, _e: list(WEEKEND_STEPS),
    "rtdr": lambda _b, e: list(e.test_accounts),
    "data-pump": lambda _b, _e: list(KINDS),
    "custom-code": lambda b, _e: [c.id for c in b.custom_code],
    "iframe-lag": lambda b, _e: [f.name for f in b.capricorn_iframes],
    "public-dns": dns_hosts,
    "endpoint-tls": tls_endpoints,
}


def items_of(rule_id: str, biller: Biller, environment: Environment) -> list[str | None]:
    """The rule's items, or [None] for a rule checked as a whole."""
    enumerate_items = ITEMS.get(rule_id)
    items: list[str | None] = list(enumerate_items(biller, environment)) if enumerate_items else []
    return items or [None]


def not_applicable(rule: Rule, biller: Biller) -> str | None:
    """Why the rule does not apply to the biller, or None when it does."""
    if rule.applies is Applies.MULTI_USER and not biller.multi_user:
        return f"{biller.id} is a single-user biller; {rule.id} applies to multi-user billers only"
    if rule.applies is Applies.CUSTOM_CODE and not biller.custom_code:
        return f"{biller.id} declares no custom code (custom_code: in its file)"
    if rule.applies is Applies.IFRAMES and not biller.capricorn_iframes:
        return f"{biller.id} declares no Capricorn iFrames (capricorn_iframes: in its file)"
    return None


def not_checked_in(rule: Rule, environment: str) -> str | None:
    """Why the rule does not check this environment, or None when it does."""
    if rule.environment is not None and environment != rule.environment:
        return (
            f"{rule.id} checks {rule.environment} only (after go-live, against the test portal): "
            f"run it with --env={rule.environment}"
        )
    return None
