"""The network checks as pure functions: settings or an exchange (or a browser's view) in, a
verdict out; no transport, nothing called."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from conversion_qa.clients.browser import FrameView
from conversion_qa.clients.http import Exchange
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import datapump, payconnect, portal, rtdr
from conversion_qa.recordings import Sourced
from conversion_qa.rules.pages import WITHOUT_BROWSER
from conversion_qa.rules.slices.custom_code import custom_code_in_html
from conversion_qa.rules.slices.data_pump import (
    Transmission,
    data_pump_acknowledged,
    data_pump_transmission,
)
from conversion_qa.rules.slices.iframe_lag import iframe_answered, iframe_shown
from conversion_qa.rules.slices.rtdr import RtdrRequest, rtdr_answered, rtdr_request
from conversion_qa.rules.slices.token_login import tokens_accepted, tokens_issued
from selftests.unit.builders import Blocked, Problem, configured, demo, environment, secret

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
PORTAL = "https://demo-test.portal.example.com"


def answer(url: str, document: Any, *, status: int = 200, seconds: float = 0.1) -> Exchange:
    """An exchange as a client returns it: a POST or GET and its JSON (or text) answer."""
    body = document if isinstance(document, str) else json.dumps(document)
    return Exchange("POST", url, None, status, "application/json", body, seconds)


def summaries(*accounts: str) -> Exchange:
    found = [{"AccountId": a, "AmountDue": "42.10", "DueDate": "2026-12-20"} for a in accounts]
    body = {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "AccountSummaries": found}
    return answer(rtdr.url(CIS), body)


# rtdr -------------------------------------------------------------------------------------------


def test_the_rtdr_request_is_decided_from_the_settings_keeping_secrets_unrevealed() -> None:
    settings = configured({"12": secret("${OP}", OP="0417")})
    request = rtdr_request(environment(), settings, "100234", live=True)
    assert isinstance(request, RtdrRequest)
    assert (request.cis, request.accounts) == (CIS, ("100234", "100235"))
    assert isinstance(request.operator, Secret)  # revealed by gathering, as it is sent


def test_no_rtdr_request_offline_from_a_setting_131_kept_in_a_variable() -> None:
    value = '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
    settings = configured({"131": secret("${S131}", S131=value)})
    blocked = rtdr_request(environment(), settings, "100234", live=False)
    assert isinstance(blocked, Blocked)
    assert "offline the RTDR request cannot be built" in blocked.reason


def test_rtdr_answering_the_accounts_asked_passes() -> None:
    assert rtdr_answered(summaries("100234", "100235"), environment(), "100234") is None


def test_rtdr_answering_an_account_not_asked_fails_naming_it() -> None:
    problem = rtdr_answered(summaries("100234", "999999"), environment(), "100234")
    assert isinstance(problem, Problem)
    assert problem.summary == "RTDR answered accounts that were not asked for: 999999."


# data-pump --------------------------------------------------------------------------------------


def test_an_acknowledgement_of_another_transmission_fails_naming_what_differs() -> None:
    sent = data_pump_transmission(demo(), environment(), configured(), "payment", live=False)
    assert isinstance(sent, Transmission)
    body = {"Status": "ACCEPTED", "Kind": "Payment", "AccountId": sent.account}
    wrong = answer(datapump.url(CIS, "payment"), {**body, "TransmissionId": "CQA-OTHER"})
    problem = data_pump_acknowledged(wrong, environment(), sent)
    assert isinstance(problem, Problem)
    assert problem.found == "TransmissionId CQA-OTHER"
    right = answer(datapump.url(CIS, "payment"), {**body, "TransmissionId": sent.transmission_id})
    assert data_pump_acknowledged(right, environment(), sent) is None


# token-login ------------------------------------------------------------------------------------


def test_tokens_issued_with_the_same_value_fail() -> None:
    same = answer(payconnect.login_url(PAYCONNECT), {"Token1": "tok-1111", "Token2": "tok-1111"})
    problem = tokens_issued(same, environment())
    assert isinstance(problem, Problem)
    assert problem.found == "Token1 equals Token2"


def test_tokens_issued_present_and_different_are_given_back() -> None:
    issued = answer(payconnect.login_url(PAYCONNECT), {"Token1": "tok-1111", "Token2": "tok-2222"})
    assert tokens_issued(issued, environment()) == ("tok-1111", "tok-2222")


def test_tokens_accepted_without_the_registered_accounts_option_127_asks_for_fail() -> None:
    accepted = answer(payconnect.validate_url(PAYCONNECT), {"Accepted": True})
    assert tokens_accepted(accepted, environment(), sync=False) is None
    problem = tokens_accepted(accepted, environment(), sync=True)
    assert isinstance(problem, Problem)
    assert problem.found == "no RegisteredAccounts"


# custom-code, iframe-lag without a browser, and iframe-lag as a browser saw it -------------------


def test_custom_code_in_raw_html_is_judged_from_the_page_answered() -> None:
    code = dataclasses.replace(demo().custom_code[0], selector=None, expect="Budget Billing")
    url = portal.page_url(PORTAL, code.page)
    assert custom_code_in_html(answer(url, "<p>Budget Billing</p>"), environment(), code) is None
    problem = custom_code_in_html(answer(url, "<p>Welcome</p>"), environment(), code)
    assert isinstance(problem, Problem)
    assert WITHOUT_BROWSER in problem.summary


def test_an_iframe_answering_slowly_without_a_browser_is_only_slow() -> None:
    frame = demo().capricorn_iframes[0]
    slow = answer(portal.page_url(PORTAL, frame.path), "<html/>", seconds=frame.max_seconds + 1)
    problem, only_slow = iframe_answered(slow, environment(), frame)
    assert isinstance(problem, Problem)
    assert only_slow
    assert WITHOUT_BROWSER in problem.summary


def test_an_iframe_the_browser_timed_over_its_limit_is_only_slow() -> None:
    frame = demo().capricorn_iframes[0]
    page_url = portal.page_url(PORTAL, frame.page or "")
    frame_url = portal.page_url(PORTAL, frame.path)
    view = FrameView(
        page_url=page_url,
        frame_url=frame_url,
        landed=page_url,
        status=200,
        found=True,
        frame_landed=frame_url,
        frame_status=200,
        seconds=frame.max_seconds + 1,
    )
    problem, only_slow = iframe_shown(Sourced(view, "recorded"), environment(), frame)
    assert isinstance(problem, Problem)
    assert only_slow
    assert problem.expected == f"at most {frame.max_seconds:g} s (max_seconds)"
