"""The items of each rule for the demo biller, and the hosts behind an environment's URLs."""

from __future__ import annotations

import dataclasses

import pytest

from conversion_qa.config.model import Environment
from conversion_qa.rules import hosts
from conversion_qa.rules.catalogue import RULES
from conversion_qa.rules.items import ITEMS, NO_TENDER_TYPES, items_of
from selftests.unit.builders import changed, demo, environment, tenders

PORTAL_HOST = "demo-test.portal.example.com"
ENQUESTA_HOST = "enquesta-test.demo.example.com"


def with_urls(
    cis: str | None = None, payconnect: str | None = None, portal: str | None = None
) -> Environment:
    """An environment whose endpoints and portal are exactly these URLs."""
    return environment(
        endpoints={"cis_service": cis, "payconnect_service": payconnect}, portal=portal
    )


# items.py ---------------------------------------------------------------------------------------

TEST_ITEMS: dict[str, list[str | None]] = {
    "endpoints-received": ["cis_service", "payconnect_service"],
    "tender-types": ["card", "ach"],
    "settings-24-27": ["24", "25", "26", "27"],
    "endpoint-settings": ["setting-20", "setting-24", "cis_service", "payconnect_service"],
    "conversion-weekend": ["ic_it_manual_test", "sns_changes", "biller_testing"],
    "rtdr": ["100234", "100235"],
    "data-pump": ["payment", "paperless", "autopay"],
    "custom-code": ["budget-billing-banner", "paperless-promo"],
    "iframe-lag": ["bill-view"],
    "public-dns": [PORTAL_HOST, ENQUESTA_HOST],
    "endpoint-tls": [PORTAL_HOST, ENQUESTA_HOST],
}
WHOLE_RULES = [r.id for r in RULES if r.id not in TEST_ITEMS]


@pytest.mark.parametrize(("rule", "items"), TEST_ITEMS.items(), ids=list(TEST_ITEMS))
def test_the_items_of_each_rule_for_the_demo_test_environment(
    rule: str, items: list[str | None]
) -> None:
    assert items_of(rule, demo(), environment()) == items


def test_every_rule_with_items_is_in_the_catalogue_and_covered_here() -> None:
    assert set(ITEMS) == set(TEST_ITEMS)
    assert set(ITEMS) <= {r.id for r in RULES}


@pytest.mark.parametrize("rule", WHOLE_RULES)
def test_a_rule_checked_as_a_whole_has_the_single_item_none(rule: str) -> None:
    assert items_of(rule, demo(), environment()) == [None]


def test_the_production_items_follow_the_production_environment() -> None:
    production = environment("production")
    assert items_of("rtdr", demo(), production) == ["900001"]
    assert items_of("public-dns", demo(), production) == [
        "demo.portal.example.com",
        "enquesta.demo.example.com",
    ]


def test_a_single_user_biller_is_not_asked_to_reference_the_payconnect_endpoint() -> None:
    """PayConnect is referenced from settings 24-27, which only multi-user billers configure;
    a URL setting that holds it is still checked."""
    single = dataclasses.replace(demo(), multi_user=False)
    assert items_of("endpoint-settings", single, environment()) == [
        "setting-20",
        "setting-24",
        "cis_service",
    ]


def test_a_biller_without_tender_types_has_the_one_item_none_declared() -> None:
    biller = dataclasses.replace(demo(), tender_types=())
    assert items_of("tender-types", biller, environment()) == [NO_TENDER_TYPES]


def test_a_payment_method_listed_twice_is_one_item() -> None:
    biller = dataclasses.replace(
        demo(), tender_types=tenders(("card", "CC"), ("ach", "ACH"), ("card", "CC2"))
    )
    assert items_of("tender-types", biller, environment()) == ["card", "ach"]


def test_without_test_accounts_rtdr_has_the_single_item_none() -> None:
    assert items_of("rtdr", demo(), environment(test_accounts=())) == [None]


def test_endpoint_settings_items_are_url_settings_in_numeric_order_then_received_endpoints() -> (
    None
):
    base = environment()
    settings = changed(
        base.advanced_settings,
        {"100": "https://a.example.com/x", "3": "https://b.example.com/y", "25": "ic-demo"},
    )
    env = environment(
        advanced_settings=settings, endpoints={"cis_service": "", "payconnect_service": "x"}
    )
    assert items_of("endpoint-settings", demo(), env) == [
        "setting-3",
        "setting-20",
        "setting-24",
        "setting-100",
        "payconnect_service",
    ]


def test_an_environment_with_nothing_to_compare_has_the_single_endpoint_settings_item_none() -> (
    None
):
    env = environment(advanced_settings={"12": "0417"}, endpoints={})
    assert items_of("endpoint-settings", demo(), env) == [None]


# hosts.py ---------------------------------------------------------------------------------------


def test_each_host_once_sorted_is_an_item_of_public_dns() -> None:
    assert hosts.dns_hosts(demo(), environment()) == [PORTAL_HOST, ENQUESTA_HOST]


def test_hosts_are_read_lower_case_without_a_trailing_dot() -> None:
    env = with_urls("https://ENQuesta.Example.com./CIS", portal="https://portal.example.com/")
    assert hosts.dns_hosts(demo(), env) == ["enquesta.example.com", "portal.example.com"]


def test_urls_that_cannot_be_read_name_no_host() -> None:
    env = with_urls("https://e.example.com:44x/CIS", "", portal="https:///nowhere")
    assert hosts.dns_hosts(demo(), env) == []
    assert hosts.tls_endpoints(demo(), env) == []


def test_an_ip_literal_endpoint_is_a_host_to_check() -> None:
    env = with_urls("https://203.0.113.9/CIS", "https://[2001:db8::1]:8443/PC")
    assert hosts.dns_hosts(demo(), env) == ["2001:db8::1", "203.0.113.9"]
    assert hosts.tls_endpoints(demo(), env) == ["203.0.113.9", "[2001:db8::1]:8443"]


def test_tls_endpoints_are_https_only_with_the_port_when_it_is_not_443() -> None:
    env = with_urls(
        "https://e.example.com:8443/CIS",
        "https://e.example.com:443/PC",
        portal="http://portal.example.com",
    )
    assert hosts.tls_endpoints(demo(), env) == ["e.example.com", "e.example.com:8443"]
    assert hosts.dns_hosts(demo(), env) == ["e.example.com", "portal.example.com"]


@pytest.mark.parametrize(
    ("host", "port", "endpoint"),
    [
        ("e.example.com", None, "e.example.com"),
        ("e.example.com", 443, "e.example.com"),
        ("e.example.com", 8443, "e.example.com:8443"),
        ("2001:db8::1", None, "2001:db8::1"),
        ("2001:db8::1", 8443, "[2001:db8::1]:8443"),
    ],
    ids=["no-port", "port-443", "port-8443", "ipv6", "ipv6-with-port"],
)
def test_an_endpoint_id_names_the_port_off_443_and_splits_back(
    host: str, port: int | None, endpoint: str
) -> None:
    assert hosts.endpoint_id(host, port) == endpoint
    assert hosts.split_endpoint(endpoint) == (host, port or 443)


@pytest.mark.parametrize(
    ("host", "literal"),
    [("93.184.215.14", True), ("::1", True), (ENQUESTA_HOST, False), ("localhost", False)],
)
def test_is_ip_literal(host: str, literal: bool) -> None:
    assert hosts.is_ip_literal(host) is literal


def test_where_a_host_is_used_names_each_field_and_its_line() -> None:
    biller, env = demo(), environment()
    cis_line = biller.where("environments", "test", "endpoints", "cis_service")
    payconnect_line = biller.where("environments", "test", "endpoints", "payconnect_service")
    assert cis_line != payconnect_line
    assert hosts.where_used(biller, env, ENQUESTA_HOST) == (
        f"{cis_line} (endpoints.cis_service); {payconnect_line} (endpoints.payconnect_service)"
    )
    assert hosts.where_used(biller, env, PORTAL_HOST) == (
        f"{biller.where('environments', 'test', 'portal')} (portal)"
    )


def test_where_a_host_nothing_uses_is_the_biller_file() -> None:
    assert hosts.where_used(demo(), environment(), "other.example.com") == str(demo().path)
