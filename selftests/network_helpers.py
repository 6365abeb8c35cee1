"""What the network self-tests share: a fast demo biller, canary secrets, the network rules."""

from __future__ import annotations

from typing import Any

from conversion_qa.rules.registry import SLICES
from conversion_qa.rules.slice import BROWSER, HTTP
from selftests.browser import CHROMIUM
from selftests.helpers import demo_data
from selftests.outcomes import Outcome, only_rules

# The rules that call the biller's services (replayed offline from <environment>.http.yaml or
# .browser.yaml), read from their slices: rtdr, data-pump, token-login, custom-code, iframe-lag.
NETWORK_RULES = tuple(s.id for s in SLICES if {HTTP, BROWSER} & set(s.replays))
BROWSER_RULES = tuple(s.id for s in SLICES if BROWSER in s.replays)
# Live runs look at the portal in Debian's chromium where it is installed (CI: always); on the
# Windows and macOS runners, with --no-browser, where those two rules pass with a warning that
# says so (selftests/integration/test_browser.py tests the browser itself, Linux only).
WITH_BROWSER = CHROMIUM is not None
BROWSER_ARGS: tuple[str, ...] = () if WITH_BROWSER else ("--no-browser",)
# What a healthy live network rule ends as: passed, or (no browser) passed with that warning.
HEALTHY = frozenset({"passed"} if WITH_BROWSER else {"passed", "warned"})
# Canary values for every ${VAR} of the demo biller: none may appear in any output.
CANARIES = {
    "DEMO_PAYCONNECT_SECRET": "canary-secret-7f3a91",
    "DEMO_TEST_USER": "canary-user-5b2c07",
    "DEMO_TEST_PASSWORD": "canary-password-e48d16",
    "DEMO_PAYCONNECT_SECRET_PROD": "canary-secret-prod-22c8",
    "DEMO_PROD_USER": "canary-prod-user-91aa",
    "DEMO_PROD_PASSWORD": "canary-prod-password-0d5e",
}


def fast_demo() -> dict[str, Any]:
    """The demo biller with an iFrame limit small enough for slow-iframe to be quick."""
    data = demo_data()
    # a healthy iFrame loads far quicker, even in a browser on a loaded machine; slow-iframe
    # waits this long plus a quarter second
    data["capricorn_iframes"][0]["max_seconds"] = 2.5
    return data


def network_only(found: dict[str, Outcome]) -> dict[str, Outcome]:
    """The network rules' outcomes: a rehearsal's DNS/TLS outcomes are the DNS/TLS tests' own."""
    return only_rules(found, NETWORK_RULES)


def without_mode(nodeid: str) -> str:
    return nodeid.replace("-live]", "]")
