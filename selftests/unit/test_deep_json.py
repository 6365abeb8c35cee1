"""JSON nested too deep, from a service or a setting, is refused by the one bounded reader before
Python recurses: the rule fails with a sentence naming the depth, the service and the URL."""

from __future__ import annotations

import json

import pytest

from conversion_qa.clients import portal as portal_client
from conversion_qa.clients.http import Exchange
from conversion_qa.contract import bounded_json, datapump, payconnect, portal, rtdr
from conversion_qa.contract.bounded_json import MAX_DEPTH, TooDeep
from conversion_qa.errors import PortalError
from conversion_qa.plugin import network_rules as check
from conversion_qa.recordings.recorder import placeholder_body
from conversion_qa.rules.slices.setting_131 import setting_131
from selftests.unit.builders import Problem, configured, demo, environment
from selftests.unit.fakes import FakeTransport, Reply

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
PORTAL = "https://demo-test.portal.example.com"
DEEP = "[" * 200_000 + "]" * 200_000  # json.loads: RecursionError
SENTENCE = f"nested deeper than {MAX_DEPTH} levels"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_the_reader_accepts_the_limit_and_refuses_one_more_level() -> None:
    assert bounded_json.loads(nested(MAX_DEPTH)) is not None
    with pytest.raises(TooDeep, match=SENTENCE):
        bounded_json.loads(nested(MAX_DEPTH + 1))
    with pytest.raises(TooDeep):
        bounded_json.loads('{"a": ' * 65 + "1" + "}" * 65)


def test_the_reader_refuses_200000_levels_before_python_recurses() -> None:
    with pytest.raises(RecursionError):
        json.loads(DEEP)  # what every service answer went through before
    with pytest.raises(TooDeep):
        bounded_json.loads(DEEP)
    with pytest.raises(TooDeep):
        bounded_json.loads(DEEP[:200_000])  # never closed: refused all the same


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"text": "[" * 1_000 + "{" * 1_000}),  # brackets inside a string
        json.dumps(['\\"[[[', 'quote " and [ in a string']),
        json.dumps([[1, 2], {"a": [3]}] * 1_000),  # wide, not deep
    ],
    ids=["brackets-in-a-string", "escapes", "wide"],
)
def test_brackets_in_strings_and_wide_documents_are_read_as_usual(text: str) -> None:
    assert bounded_json.loads(text) == json.loads(text)


def test_text_that_is_not_json_is_left_to_the_parser() -> None:
    with pytest.raises(json.JSONDecodeError):
        bounded_json.loads('{"never closed": "[[[[')


def answering(method: str, url: str, body: str) -> FakeTransport:
    return FakeTransport({(method, url): Reply(200, body)})


def assert_deep_answer_problem(problem: object, service: str, where: str) -> None:
    assert isinstance(problem, Problem)
    assert problem.summary == (
        f"{service} answered HTTP 200 with JSON {SENTENCE}, deeper than any answer of the "
        "contract; it was not read."
    )
    assert problem.where == where
    assert SENTENCE in problem.found


def test_rtdr_answering_200000_levels_fails_with_the_contracts_sentence() -> None:
    transport = answering("POST", rtdr.url(CIS), DEEP)
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), "100234")
    assert_deep_answer_problem(problem, "RTDR", f"POST {rtdr.url(CIS)}")


def test_the_data_pump_answering_200000_levels_fails_with_the_contracts_sentence() -> None:
    url = datapump.url(CIS, "payment")
    transport = answering("POST", url, DEEP)
    problem = check.data_pump_acknowledges(
        transport.as_transport(), demo(), environment(), configured(), "payment"
    )
    assert_deep_answer_problem(problem, "The data pump (payment)", f"POST {url}")


def test_payconnect_answering_200000_levels_fails_with_the_contracts_sentence() -> None:
    url = payconnect.login_url(PAYCONNECT)
    transport = answering("POST", url, DEEP)
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert SENTENCE in problem.summary
    assert problem.where == f"POST {url}"


def test_portal_settings_of_200000_levels_are_a_portal_error_naming_the_url() -> None:
    url = portal.settings_url(PORTAL)
    transport = FakeTransport({("GET", url): Reply(200, DEEP)}, live=True)
    settings = portal_client.configured(
        portal_client.PortalConfiguration(transport.as_transport(), environment())
    )
    with pytest.raises(PortalError) as error:
        settings.setting("12")
    assert str(error.value).startswith(f"GET {url} answered JSON {SENTENCE}")


def test_evidence_and_recording_of_a_deep_answer_keep_it_as_text() -> None:
    exchange = Exchange("POST", rtdr.url(CIS), None, 200, "application/json", DEEP, 0.1)
    assert "[[[[" in exchange.evidence()
    assert placeholder_body(DEEP) == DEEP


def test_a_setting_131_of_200000_levels_fails_its_rule_in_a_sentence() -> None:
    problem = setting_131(configured({"131": DEEP}))
    assert isinstance(problem, Problem)
    assert problem.summary == f"Advanced Setting 131 is JSON {SENTENCE}; it was not read."
