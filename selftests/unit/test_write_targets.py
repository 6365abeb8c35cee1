"""The production guard's decision, on the target of each write."""

from __future__ import annotations

import pytest

from conversion_qa.clients.writes import WriteTargets
from conversion_qa.target import Target

TARGETS = WriteTargets(
    environment="test",
    own=frozenset({Target("https", "enquesta-test.demo.example.com", 443)}),
    production_hosts=frozenset({"enquesta.demo.example.com", "demo.portal.example.com"}),
    allow_production=False,
)


def test_a_write_to_this_environments_own_endpoint_is_sent() -> None:
    assert TARGETS.refusal("POST", "https://enquesta-test.demo.example.com/CISService/X") is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://enquesta.demo.example.com/CISService/X", "is a production host"),
        ("https://ENQUESTA.demo.example.com./CISService/X", "is a production host"),
        ("https://elsewhere.example.net/CISService/X", "is not one of the test environment's"),
        ("https://[not a url/X", "has a space in its host"),
        ("http://enquesta-test.demo.example.com/CISService/X", "is not one of the test"),
        ("https://enquesta-test.demo.example.com:8443/CISService/X", "is not one of the test"),
        (
            "https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/CISService/X",
            "has a backslash",
        ),
    ],
    ids=[
        "production",
        "production-spelt-differently",
        "another-host",
        "malformed",
        "own-host-in-plain-http",
        "own-host-on-another-port",
        "read-as-own-host-sent-to-production",
    ],
)
def test_a_write_elsewhere_is_refused_saying_where_and_why(url: str, why: str) -> None:
    refused = TARGETS.refusal("POST", url)
    assert refused is not None
    assert why in refused.what
    assert "nothing was sent" in refused.what
    # the flag sends writes off this environment's endpoints; never to a URL no one reads alike
    unsendable = why.startswith(("has a space", "has a backslash"))
    assert ("--allow-production-writes" in (refused.fix or "")) is not unsendable


def test_the_flag_allows_a_deliberate_write() -> None:
    allowed = WriteTargets(
        environment="test",
        own=TARGETS.own,
        production_hosts=TARGETS.production_hosts,
        allow_production=True,
    )
    assert allowed.refusal("POST", "https://enquesta.demo.example.com/CISService/X") is None


def test_the_flag_never_lets_through_a_url_read_two_ways() -> None:
    allowed = WriteTargets(
        environment="test",
        own=TARGETS.own,
        production_hosts=TARGETS.production_hosts,
        allow_production=True,
    )
    crafted = "https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/CISService/X"
    refused = allowed.refusal("POST", crafted)
    assert refused is not None
    assert "has a backslash (\\) before its path" in refused.what
