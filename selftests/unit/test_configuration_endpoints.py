"""endpoints-received and endpoint-settings, called directly."""

from __future__ import annotations

import pytest

from conversion_qa.config.model import Environment
from conversion_qa.rules.slices.endpoint_settings import endpoint_setting
from conversion_qa.rules.slices.endpoints_received import endpoint_received
from conversion_qa.rules.urls import url_problem
from selftests.unit.builders import REMOVED, Blocked, Problem, changed, configured, environment

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
PRODUCTION_CIS = "https://enquesta.demo.example.com/CISService"
PRODUCTION_PAYCONNECT = "https://enquesta.demo.example.com/PayConnect"
WHERE = "billers/demo.yaml:24"


def with_endpoints(**endpoints: object) -> Environment:
    """The demo test environment with endpoints replaced (REMOVED drops one)."""
    base = environment()
    return environment(endpoints=changed(base.endpoints, endpoints))  # type: ignore[arg-type]


# endpoints-received -----------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["cis_service", "payconnect_service"])
def test_each_endpoint_of_the_demo_biller_is_received(endpoint: str) -> None:
    assert endpoint_received(environment(), endpoint, WHERE) is None


def test_an_environment_not_in_the_file_is_a_problem_naming_the_field_to_add() -> None:
    undeclared = Environment(name="production", declared=False)
    problem = endpoint_received(undeclared, "cis_service", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The production environment is not in the biller file yet."
    assert "CIS Service" in problem.expected
    assert "https://" in problem.expected
    assert problem.found == "no environments.production"
    assert problem.fix == "add environments.production.endpoints.cis_service when S&S sends it"
    assert problem.where == WHERE


@pytest.mark.parametrize("value", [REMOVED, None, ""], ids=["absent", "null", "empty"])
@pytest.mark.parametrize(
    ("endpoint", "title"),
    [("cis_service", "CIS Service"), ("payconnect_service", "PayConnect Service")],
)
def test_an_endpoint_not_provided_is_a_problem_naming_it(
    value: object, endpoint: str, title: str
) -> None:
    problem = endpoint_received(with_endpoints(**{endpoint: value}), endpoint, WHERE)
    assert isinstance(problem, Problem)
    assert f"S&S has not provided the {title} endpoint for test" in problem.summary
    assert title in problem.expected
    assert problem.found == "nothing"
    assert problem.fix == f"write it under environments.test.endpoints.{endpoint}"
    assert problem.where == WHERE


BAD_URLS = [
    ("http://enquesta-test.demo.example.com/CISService", "is not https (scheme 'http')"),
    ("enquesta-test.demo.example.com/CISService", "is not https (scheme 'missing')"),
    ("ftp://enquesta-test.demo.example.com/CISService", "is not https (scheme 'ftp')"),
    (" https://enquesta-test.demo.example.com/CISService", "contains spaces"),
    ("https://enquesta-test.demo.example.com/CISService\n", "contains spaces"),
    ("https://enquesta-test.demo.example.com/CIS Service", "contains spaces"),
    ("https://enquesta-test.demo.example.com:44x/CISService", "has a port that is not a number"),
    ("https:///CISService", "has no valid host name"),
    ("https://enquesta/CISService", "has no valid host name"),
]
BAD_URL_IDS = [
    "http",
    "no-scheme",
    "ftp",
    "leading-space",
    "trailing-newline",
    "inner-space",
    "port-not-a-number",
    "no-host",
    "host-without-domain",
]


@pytest.mark.parametrize(("url", "why"), BAD_URLS, ids=BAD_URL_IDS)
def test_an_endpoint_that_is_not_a_usable_https_url_is_a_problem_saying_why(
    url: str, why: str
) -> None:
    problem = endpoint_received(with_endpoints(cis_service=url), "cis_service", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"The CIS Service endpoint {why}."
    assert problem.found == repr(url)
    assert problem.where == WHERE


@pytest.mark.parametrize(
    "url",
    [
        CIS,
        "https://enquesta-test.demo.example.com:8443/CISService",
        "https://localhost:8443/CISService",
        "HTTPS://enquesta-test.demo.example.com/CISService",
    ],
    ids=["demo", "with-port", "localhost", "scheme-in-capitals"],
)
def test_a_usable_https_url_has_no_problem(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "why"), BAD_URLS, ids=BAD_URL_IDS)
def test_url_problem_says_why_a_url_is_not_usable(url: str, why: str) -> None:
    assert url_problem(url) == why


# endpoint-settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["setting-20", "setting-24", "cis_service", "payconnect_service"])
def test_each_endpoint_setting_item_of_the_demo_biller_passes(item: str) -> None:
    production = environment("production")
    assert endpoint_setting(configured(), environment(), production, item) is None


@pytest.mark.parametrize(
    "value",
    [
        CIS + "/",
        "https://ENQUESTA-TEST.demo.example.com/CISService",
        " https://enquesta-test.demo.example.com/CISService ",
    ],
    ids=["trailing-slash", "host-in-capitals", "surrounding-spaces"],
)
def test_a_setting_differing_from_the_endpoint_only_in_form_matches_it(value: str) -> None:
    settings = configured({"20": value})
    assert endpoint_setting(settings, environment(), None, "setting-20") is None
    assert endpoint_setting(settings, environment(), None, "cis_service") is None


CRAFTED = "https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/CISService"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (CRAFTED, "has a backslash (\\) before its path"),
        (CRAFTED + "/../../CISService", "has a backslash (\\) before its path"),
        ("https://x@enquesta-test.demo.example.com/CISService", "names a user before its host"),
        ("https:\\\\enquesta-test.demo.example.com/CISService", "has a backslash (\\) before"),
        ("https://enquesta-test.demo.example.com:0/CISService", "by urllib.parse"),
    ],
    ids=["backslash-at", "backslash-at-dots", "userinfo", "backslashes", "port-zero"],
)
def test_a_setting_read_as_the_endpoint_but_sent_elsewhere_fails_naming_it(
    value: str, why: str
) -> None:
    """urllib.parse reads the test host in each, requests sends elsewhere (or nowhere): such a
    value is never the endpoint, and the failure names the setting and why."""
    settings = configured({"20": value})
    problem = endpoint_setting(settings, environment(), None, "setting-20")
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(
        "Advanced Setting 20 in the biller file is not a URL the suite can call as it reads: it "
    )
    assert why in problem.summary
    assert problem.summary.endswith("Nothing was sent to it.")
    assert problem.found == repr(value)
    assert CIS in problem.expected
    assert problem.where == settings.where_setting("20")
    unreferenced = endpoint_setting(settings, environment(), None, "cis_service")
    assert isinstance(unreferenced, Problem)  # nor does it reference the CIS endpoint


def test_a_url_compares_as_it_is_sent_with_its_dot_segments_resolved() -> None:
    settings = configured({"20": "https://enquesta-test.demo.example.com/X/../CISService"})
    assert endpoint_setting(settings, environment(), None, "setting-20") is None


def test_with_no_item_there_is_nothing_to_compare_until_the_endpoints_arrive() -> None:
    env = with_endpoints(cis_service=REMOVED, payconnect_service="http://x.example.com/PC")
    verdict = endpoint_setting(configured(), env, None, None)
    assert isinstance(verdict, Blocked)
    assert "nothing to compare" in verdict.reason
    assert "CIS Service and PayConnect Service endpoint" in verdict.reason
    assert "see endpoints-received" in verdict.reason


@pytest.mark.parametrize(
    "cis",
    [REMOVED, "", "http://enquesta-test.demo.example.com/CISService"],
    ids=["absent", "empty", "not-https"],
)
def test_an_endpoint_item_waits_for_its_endpoint_to_be_received(cis: object) -> None:
    verdict = endpoint_setting(configured(), with_endpoints(cis_service=cis), None, "cis_service")
    assert isinstance(verdict, Blocked)
    assert "no setting can be matched to the CIS Service endpoint" in verdict.reason
    assert "until S&S's CIS Service endpoint is received" in verdict.reason
    assert "see endpoints-received" in verdict.reason


@pytest.mark.parametrize(
    ("item", "title", "url", "removed", "others"),
    [
        ("cis_service", "CIS Service", CIS, "20", "24"),
        ("payconnect_service", "PayConnect Service", PAYCONNECT, "24", "20"),
    ],
)
def test_an_endpoint_no_setting_references_is_a_problem_with_the_setting_to_write(
    item: str, title: str, url: str, removed: str, others: str
) -> None:
    problem = endpoint_setting(configured({removed: REMOVED}), environment(), None, item)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"No Advanced Setting references the {title} endpoint in the biller file."
    )
    assert url in problem.expected
    assert problem.found == f"settings holding URLs: {others}"
    assert problem.fix == f"set the Advanced Setting for the {title} to {url}"
    assert problem.where == "at advanced_settings"


def test_an_endpoint_unreferenced_when_no_setting_holds_a_url_says_none() -> None:
    settings = configured({"20": REMOVED, "24": "not a url"}, source="the portal")
    problem = endpoint_setting(settings, environment(), None, "cis_service")
    assert isinstance(problem, Problem)
    assert problem.summary.endswith("in the portal.")
    assert problem.found == "settings holding URLs: none"


@pytest.mark.parametrize(
    "value",
    [
        "https://enquesta-test.demo.example.com/Other",
        "https://enquesta-test.demo.example.com:8443/CISService",
        "http://enquesta-test.demo.example.com/CISService",
        "https://other.example.com/CISService",
    ],
    ids=["other-path", "other-port", "http", "other-host"],
)
def test_a_setting_that_is_no_endpoint_s_and_s_provided_is_a_problem_listing_them(
    value: str,
) -> None:
    problem = endpoint_setting(configured({"20": value}), environment(), None, "setting-20")
    assert isinstance(problem, Problem)
    assert problem.summary == "Advanced Setting 20 is not an endpoint S&S provided for test."
    assert f"CIS Service {CIS}" in problem.expected
    assert f"PayConnect Service {PAYCONNECT}" in problem.expected
    assert problem.found == repr(value)
    assert problem.fix is None
    assert problem.where == "at advanced_settings.20"


def test_a_setting_removed_from_the_portal_is_a_problem_that_found_nothing() -> None:
    settings = configured({"20": REMOVED}, source="the portal")
    problem = endpoint_setting(settings, environment(), None, "setting-20")
    assert isinstance(problem, Problem)
    assert problem.found == "nothing"


@pytest.mark.parametrize(
    ("env", "other", "number", "value", "hint"),
    [
        (
            "test",
            "production",
            "20",
            PRODUCTION_CIS,
            "this is the production endpoint: use the test one",
        ),
        (
            "test",
            "production",
            "24",
            PRODUCTION_PAYCONNECT,
            "this is the production endpoint: use the test one",
        ),
        ("production", "test", "20", CIS, "this is the test endpoint: use the production one"),
    ],
    ids=["test-holds-production-cis", "test-holds-production-payconnect", "production-holds-test"],
)
def test_a_setting_holding_the_other_environment_s_endpoint_says_so(
    env: str, other: str, number: str, value: str, hint: str
) -> None:
    settings = configured({number: value}, base=environment(env))
    problem = endpoint_setting(settings, environment(env), environment(other), f"setting-{number}")
    assert isinstance(problem, Problem)
    assert f"not an endpoint S&S provided for {env}" in problem.summary
    assert problem.fix == hint


def test_a_setting_holding_the_other_environment_s_endpoint_gives_no_hint_without_it() -> None:
    settings = configured({"20": PRODUCTION_CIS})
    problem = endpoint_setting(settings, environment(), None, "setting-20")
    assert isinstance(problem, Problem)
    assert problem.fix is None


def test_a_setting_that_matches_no_endpoint_waits_while_one_is_still_missing() -> None:
    settings = configured({"24": "https://enquesta-test.demo.example.com/Elsewhere"})
    env = with_endpoints(payconnect_service=REMOVED)
    verdict = endpoint_setting(settings, env, None, "setting-24")
    assert isinstance(verdict, Blocked)
    assert "Advanced Setting 24 cannot be checked" in verdict.reason
    assert "PayConnect Service endpoint is received" in verdict.reason
    assert "CIS Service and" not in verdict.reason


def test_a_setting_that_matches_a_received_endpoint_passes_while_another_is_missing() -> None:
    env = with_endpoints(payconnect_service=REMOVED)
    assert endpoint_setting(configured(), env, None, "setting-20") is None


def test_a_setting_with_the_explicit_default_port_matches_the_endpoint() -> None:
    settings = configured({"20": "https://enquesta-test.demo.example.com:443/CISService"})
    assert endpoint_setting(settings, environment(), None, "setting-20") is None


def test_a_setting_url_with_a_port_that_is_not_a_number_is_a_problem() -> None:
    settings = configured({"21": "https://enquesta-test.demo.example.com:44x/CISService"})
    verdict = endpoint_setting(settings, environment(), None, "setting-21")
    assert isinstance(verdict, Problem)
