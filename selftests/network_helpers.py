"""What the network self-tests share: a fast demo biller, and outcomes read per rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest

from selftests.helpers import demo_data

NETWORK_RULES = ("rtdr", "data-pump", "token-login", "custom-code", "iframe-lag")
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
    data["capricorn_iframes"][0]["max_seconds"] = 1.0  # a healthy answer is far quicker
    return data


@dataclass(frozen=True)
class Outcome:
    rule: str
    mode: str
    outcome: str  # passed, failed, skipped, error, warned
    text: str


def outcomes(result: pytest.RunResult) -> dict[str, Outcome]:
    """Each rule test's outcome by node id, with its failure text (or skip reason or warning)."""
    reprec = result.reprec  # type: ignore[attr-defined]
    by_node: dict[str, list[pytest.TestReport]] = defaultdict(list)
    for report in reprec.getreports("pytest_runtest_logreport"):
        by_node[report.nodeid].append(report)
    found: dict[str, Outcome] = {}
    for nodeid, reports in by_node.items():
        properties = {k: v for r in reports for k, v in r.user_properties}
        outcome, text = "passed", ""
        for report in reports:
            if report.failed:
                outcome = "failed" if report.when == "call" else "error"
                text = report.longreprtext
            elif report.skipped:
                outcome, text = "skipped", report.longreprtext
        if outcome == "passed" and "warning" in properties:
            outcome, text = "warned", str(properties["warning"])
        found[nodeid] = Outcome(
            str(properties.get("rule", "")), str(properties.get("mode", "")), outcome, text
        )
    return found


def failed_rules(found: dict[str, Outcome]) -> set[str]:
    return {o.rule for o in found.values() if o.outcome == "failed"}


def network_only(found: dict[str, Outcome]) -> dict[str, Outcome]:
    """The network rules' outcomes: a rehearsal's DNS/TLS outcomes are the DNS/TLS tests' own."""
    return {n: o for n, o in found.items() if o.rule in NETWORK_RULES}


def without_mode(nodeid: str) -> str:
    return nodeid.replace("-live]", "]")
