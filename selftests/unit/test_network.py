"""rtdr, data-pump, token-login, custom-code and iframe-lag, called directly with a fake transport.

URLs are built by the contract's own functions, so that replacing the assumed S&S contract
changes what these tests send, not what they check.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from conversion_qa.config.model import Biller, Environment
from conversion_qa.contract import datapump, payconnect, portal, rtdr
from conversion_qa.errors import Unanswered
from conversion_qa.plugin import network_rules as check
from conversion_qa.rules.slices.setting_131 import SETTING_131
from selftests.unit.builders import (
    OFFLINE_SECRET,
    REMOVED,
    Blocked,
    Configured,
    Problem,
    configured,
    demo,
    environment,
    secret,
    tenders,
)
from selftests.unit.fakes import FakeTransport, Reply

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
PORTAL = "https://demo-test.portal.example.com"
ACCOUNTS = ("100234", "100235")
RTDR_URL = rtdr.url(CIS)
LOGIN_URL = payconnect.login_url(PAYCONNECT)
VALIDATE_URL = payconnect.validate_url(PAYCONNECT)
HOME_URL = portal.page_url(PORTAL, "/Home")
BILL_VIEW_URL = portal.page_url(PORTAL, "/Capricorn/BillView")


def fake(*replies: tuple[str, str, Reply], live: bool = False) -> FakeTransport:
    """A transport answering (method, url) with its reply."""
    return FakeTransport({(method, url): reply for method, url, reply in replies}, live=live)


def summary(account: str, amount: str | float = "42.10") -> dict[str, str | float]:
    return {"AccountId": account, "AmountDue": amount, "DueDate": "2026-12-20"}


def rtdr_reply(*summaries: dict[str, str | float], status: int = 200) -> tuple[str, str, Reply]:
    body = {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "AccountSummaries": list(summaries)}
    return ("POST", RTDR_URL, Reply(status, body))


def healthy_rtdr() -> FakeTransport:
    return fake(rtdr_reply(*(summary(a) for a in ACCOUNTS)))


# rtdr -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("account", ACCOUNTS)
def test_rtdr_answering_each_test_account_passes(account: str) -> None:
    transport = healthy_rtdr()
    assert (
        check.rtdr_answers(transport.as_transport(), environment(), configured(), account) is None
    )


def test_rtdr_asks_with_setting_131_the_operator_number_and_every_test_account() -> None:
    transport = healthy_rtdr()
    check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    [sent] = transport.sent
    assert (sent.method, sent.url) == ("POST", RTDR_URL)
    assert sent.json_body["SystemsAndSoftware"] == SETTING_131["SystemsAndSoftware"]
    assert sent.json_body["OperatorNumber"] == "0417"
    assert sent.json_body["AccountIds"] == list(ACCOUNTS)


def test_rtdr_sends_a_secret_operator_number_only_live() -> None:
    settings = configured({"12": secret("${OPERATOR}", OPERATOR="0999")})
    for live, operator in ((False, OFFLINE_SECRET), (True, "0999")):
        transport = fake(rtdr_reply(*(summary(a) for a in ACCOUNTS)), live=live)
        check.rtdr_answers(transport.as_transport(), environment(), settings, ACCOUNTS[0])
        assert transport.bodies(RTDR_URL)[0]["OperatorNumber"] == operator


def test_rtdr_without_test_accounts_is_a_problem_and_sends_nothing() -> None:
    transport = fake()
    env = environment(test_accounts=())
    problem = check.rtdr_answers(transport.as_transport(), env, configured(), None)
    assert isinstance(problem, Problem)
    assert problem.summary == "No test accounts for test: RTDR is tested with them only."
    assert problem.fix == "add environments.test.test_accounts"
    assert transport.sent == []


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (
            {"20": REMOVED},
            ["Advanced Setting 20 holds no CIS Service URL", "see endpoint-settings"],
        ),
        (
            {"20": "CISService"},
            ["Advanced Setting 20 holds no CIS Service URL", "see endpoint-settings"],
        ),
        (
            {"20": "https://enquesta-test.demo.example.com/Elsewhere"},
            ["offline", "Advanced Setting 20 is https://enquesta-test", "see endpoint-settings"],
        ),
        ({"131": '= {SystemsAndSoftware": {}}'}, ["Advanced Setting 131", "see setting-131"]),
        ({"131": REMOVED}, ["Advanced Setting 131", "see setting-131"]),
        ({"12": REMOVED}, ["no operator number", "see operator-number"]),
        ({"12": " "}, ["no operator number", "see operator-number"]),
    ],
    ids=[
        "no-setting-20",
        "setting-20-not-a-url",
        "setting-20-not-provided-offline",
        "setting-131-invalid",
        "setting-131-missing",
        "operator-missing",
        "operator-blank",
    ],
)
def test_rtdr_waits_for_the_rule_that_fails_its_input_and_sends_nothing(
    settings: dict[str, Any], words: list[str]
) -> None:
    transport = fake()
    verdict = check.rtdr_answers(
        transport.as_transport(), environment(), configured(settings), ACCOUNTS[0]
    )
    assert isinstance(verdict, Blocked)
    for word in words:
        assert word in verdict.reason
    assert transport.sent == []


def test_rtdr_live_calls_the_cis_url_of_setting_20_even_if_s_and_s_did_not_provide_it() -> None:
    elsewhere = "https://enquesta-test.demo.example.com/Elsewhere"
    reply = Reply(200, {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "AccountSummaries": []})
    transport = fake(("POST", rtdr.url(elsewhere), reply), live=True)
    problem = check.rtdr_answers(
        transport.as_transport(), environment(), configured({"20": elsewhere}), ACCOUNTS[0]
    )
    assert [s.url for s in transport.sent] == [rtdr.url(elsewhere)]
    assert isinstance(problem, Problem)
    assert problem.summary == "RTDR did not answer test account 100234."
    assert problem.where == f"POST {rtdr.url(elsewhere)}"


@pytest.mark.parametrize(
    ("reply", "summary_words", "found"),
    [
        (
            Reply(500, "Internal error"),
            "RTDR failed on its side (HTTP 500 Internal Server Error): the request arrived, "
            "and the service could not answer it.",
            "HTTP 500 Internal Server Error: Internal error",
        ),
        (
            Reply(200, "<html>oops</html>"),
            "RTDR answered HTTP 200 but its body is not valid JSON",
            "<html>oops</html>",
        ),
        (
            Reply(
                200,
                {
                    "RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS",
                    "AccountSummaries": [summary("100234", 42.1)],
                },
            ),
            "RTDR answered, but not in the contract's shape (at AccountSummaries/0/AmountDue",
            '"AmountDue": 42.1',
        ),
        (
            Reply(200, {"AccountSummaries": []}),
            "RTDR answered, but not in the contract's shape (at the top level",
            '{"AccountSummaries": []}',
        ),
    ],
    ids=["http-500", "not-json", "float-amount", "no-request-type"],
)
def test_rtdr_answering_wrongly_is_a_problem_naming_the_call(
    reply: Reply, summary_words: str, found: str
) -> None:
    transport = fake(("POST", RTDR_URL, reply))
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(summary_words)
    assert found in problem.found
    assert "100234, 100235" in problem.expected
    assert problem.where == f"POST {RTDR_URL}"


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (
            Reply(503, ""),
            "RTDR says it is unavailable (HTTP 503 Service Unavailable), without saying for how "
            "long.",
        ),
        (
            Reply(503, "", retry_after="3600"),
            "RTDR says it is unavailable for 1 hour (HTTP 503 Service Unavailable, Retry-After: "
            "3600): a maintenance window?",
        ),
    ],
    ids=["no-retry-after", "an-hour"],
)
def test_rtdr_unavailable_is_no_answer_to_judge(reply: Reply, words: str) -> None:
    transport = fake(("POST", RTDR_URL, reply))
    with pytest.raises(Unanswered) as raised:
        check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert raised.value.not_checked
    assert raised.value.what == words
    assert raised.value.url == RTDR_URL


def test_rtdr_answering_off_contract_points_at_the_schema_and_the_contract() -> None:
    transport = fake(("POST", RTDR_URL, Reply(200, {"AccountSummaries": []})))
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert isinstance(problem, Problem)
    assert "contract/schemas/rtdr-response.json" in problem.expected
    assert "docs/contract.md" in (problem.fix or "")


def test_rtdr_shows_a_long_answer_trimmed() -> None:
    transport = fake(("POST", RTDR_URL, Reply(502, "x" * 1000)))
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert isinstance(problem, Problem)
    assert problem.found == "HTTP 502 Bad Gateway: " + "x" * 200 + "…"


def test_rtdr_answering_an_account_not_asked_for_is_a_problem_naming_it() -> None:
    transport = fake(rtdr_reply(summary("100234"), summary("100235"), summary("555555")))
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert isinstance(problem, Problem)
    assert problem.summary == "RTDR answered accounts that were not asked for: 555555."
    assert problem.expected == "exactly the test accounts asked for: 100234, 100235"
    assert problem.found == "accounts 100234, 100235, 555555"
    assert "operator number" in (problem.fix or "")
    assert problem.where == f"POST {RTDR_URL}"


@pytest.mark.parametrize("account", ACCOUNTS)
def test_rtdr_answering_an_account_twice_is_a_problem_naming_it_for_every_test_account(
    account: str,
) -> None:
    """The answer breaks the contract as a whole (which of the two summaries would the portal
    show?), like an account not asked for: every test account's check fails, naming it."""
    twice = rtdr_reply(summary("100234"), summary("100235"), summary("100234", "0.00"))
    problem = check.rtdr_answers(fake(twice).as_transport(), environment(), configured(), account)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "RTDR answered account 100234 2 times: each account asked for must be answered once."
    )
    assert problem.expected == "one summary for each test account asked for: 100234, 100235"
    assert problem.found == "accounts 100234, 100235, 100234"
    assert problem.where == f"POST {RTDR_URL}"


@pytest.mark.parametrize(
    ("summaries", "found"),
    [([summary("100234")], "accounts 100234"), ([], "accounts none")],
    ids=["other-account-only", "no-account"],
)
def test_rtdr_not_answering_this_test_account_is_a_problem(
    summaries: list[dict[str, str | float]], found: str
) -> None:
    transport = fake(rtdr_reply(*summaries))
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), "100235")
    assert isinstance(problem, Problem)
    assert problem.summary == "RTDR did not answer test account 100235."
    assert problem.expected == "a summary for 100235"
    assert problem.found == found
    assert "test account exists" in (problem.fix or "")


def test_rtdr_answering_a_credit_passes() -> None:
    transport = fake(rtdr_reply(summary("100234", "-12.50"), summary("100235")))
    assert (
        check.rtdr_answers(transport.as_transport(), environment(), configured(), "100234") is None
    )


def test_rtdr_offline_with_setting_131_kept_in_a_variable_does_not_crash() -> None:
    settings = configured({"131": secret("${S131}", S131=json.dumps(SETTING_131))})
    verdict = check.rtdr_answers(healthy_rtdr().as_transport(), environment(), settings, "100234")
    assert verdict is None or isinstance(verdict, Blocked)


# data-pump --------------------------------------------------------------------------------------


def ack(kind: str, account: str = "100234", status: str = "ACCEPTED", **extra: str) -> Reply:
    """The data pump's acknowledgement of the demo biller's test transmission of this kind."""
    transmission = datapump.transmission_id("demo", "test", kind, account)
    body = {"TransmissionId": transmission, "Kind": datapump.KINDS[kind], "AccountId": account}
    return Reply(200, {**body, "Status": status, **extra})


def pump(kind: str, reply: Reply) -> FakeTransport:
    return fake(("POST", datapump.url(CIS, kind), reply))


def data_pump(
    transport: FakeTransport,
    kind: str,
    *,
    biller: Biller | None = None,
    env: Environment | None = None,
    settings: Configured | None = None,
) -> Problem | Blocked | None:
    return check.data_pump_acknowledges(
        transport.as_transport(),
        biller or demo(),
        env or environment(),
        settings or configured(),
        kind,
    )


@pytest.mark.parametrize("kind", ["payment", "paperless", "autopay"])
def test_each_data_pump_transmission_acknowledged_as_sent_passes(kind: str) -> None:
    assert data_pump(pump(kind, ack(kind)), kind) is None


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("payment", {"TenderCode": "CC", "Amount": datapump.TEST_AMOUNT}),
        ("autopay", {"TenderCode": "ACH", "Enrolled": True}),
        ("paperless", {"Paperless": True}),
    ],
)
def test_the_data_pump_record_holds_the_operator_the_first_test_account_and_the_tender_code(
    kind: str, fields: dict[str, Any]
) -> None:
    transport = pump(kind, ack(kind))
    data_pump(transport, kind)
    [record] = transport.bodies(datapump.url(CIS, kind))
    assert record["OperatorNumber"] == "0417"
    assert record["AccountId"] == "100234"
    assert record["Kind"] == datapump.KINDS[kind]
    assert record["TransmissionId"] == f"CQA-DEMO-TEST-{kind.upper()}-100234"
    assert {k: record[k] for k in fields} == fields
    assert ("TenderCode" in record) is (kind != "paperless")


def test_a_payment_of_a_biller_without_card_sends_its_first_code() -> None:
    biller = dataclasses.replace(demo(), tender_types=tenders(("check", None), ("cash", "CA")))
    transport = pump("payment", ack("payment"))
    assert data_pump(transport, "payment", biller=biller) is None
    assert transport.bodies(datapump.url(CIS, "payment"))[0]["TenderCode"] == "CA"


@pytest.mark.parametrize("kind", ["payment", "autopay"])
def test_a_payment_or_autopay_without_its_tender_code_waits_for_tender_types(kind: str) -> None:
    biller = dataclasses.replace(demo(), tender_types=tenders(("card", None), ("ach", None)))
    transport = fake()
    verdict = data_pump(transport, kind, biller=biller)
    assert isinstance(verdict, Blocked)
    assert f"no tender code to send with the {kind}" in verdict.reason
    assert "see tender-types" in verdict.reason
    assert transport.sent == []


@pytest.mark.parametrize("code", ["", "  "], ids=["empty", "blank"])
def test_a_payment_with_an_empty_tender_code_waits_for_tender_types(code: str) -> None:
    biller = dataclasses.replace(demo(), tender_types=tenders(("card", code), ("ach", "ACH")))
    transport = pump("payment", ack("payment"))
    verdict = data_pump(transport, "payment", biller=biller)
    assert isinstance(verdict, Blocked)
    assert transport.sent == []


def test_paperless_needs_no_tender_code() -> None:
    biller = dataclasses.replace(demo(), tender_types=())
    assert data_pump(pump("paperless", ack("paperless")), "paperless", biller=biller) is None


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"20": REMOVED}, "see endpoint-settings"),
        ({"20": "https://enquesta-test.demo.example.com/Elsewhere"}, "see endpoint-settings"),
        ({"12": REMOVED}, "see operator-number"),
    ],
    ids=["no-setting-20", "setting-20-not-provided-offline", "no-operator"],
)
def test_the_data_pump_waits_for_the_rule_that_fails_its_input(
    settings: dict[str, Any], words: str
) -> None:
    transport = fake()
    verdict = data_pump(transport, "payment", settings=configured(settings))
    assert isinstance(verdict, Blocked)
    assert words in verdict.reason
    assert transport.sent == []


def test_the_data_pump_without_test_accounts_is_a_problem_pointing_at_the_field() -> None:
    transport = fake()
    problem = data_pump(transport, "payment", env=environment(test_accounts=()))
    assert isinstance(problem, Problem)
    assert problem.summary.startswith("No test account for test")
    assert "only ever tested with the biller's test accounts" in problem.summary
    assert problem.found == "none"
    assert problem.where == demo().where("environments", "test", "test_accounts")
    assert transport.sent == []


@pytest.mark.parametrize(
    ("reason", "said"),
    [({"Reason": "unknown tender code"}, "unknown tender code"), ({}, "no reason given")],
    ids=["with-reason", "without-reason"],
)
def test_a_rejected_transmission_is_a_problem_with_s_and_s_s_reason(
    reason: dict[str, str], said: str
) -> None:
    transport = pump("autopay", ack("autopay", status="REJECTED", **reason))
    problem = data_pump(transport, "autopay")
    assert isinstance(problem, Problem)
    assert problem.summary == f"The data pump rejected the autopay transmission: {said}."
    assert problem.expected == "Status ACCEPTED"
    assert problem.found == "Status REJECTED"
    assert problem.where == f"POST {datapump.url(CIS, 'autopay')}"


@pytest.mark.parametrize(
    ("field", "value"),
    [("AccountId", "999999"), ("TransmissionId", "CQA-OTHER"), ("Kind", "Autopay")],
)
def test_an_acknowledgement_of_another_transmission_is_a_problem_naming_the_field(
    field: str, value: str
) -> None:
    reply = ack("payment")
    transport = pump("payment", Reply(200, {**reply.body, field: value}))
    problem = data_pump(transport, "payment")
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The data pump's acknowledgement does not match the payment transmission sent."
    )
    assert problem.found == f"{field} {value}"
    assert "AccountId 100234" in problem.expected
    assert "Kind Payment" in problem.expected


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (
            Reply(200, "ok"),
            "The data pump (payment) answered HTTP 200 but its body is not valid JSON",
        ),
        (
            Reply(200, {"Status": "ACCEPTED"}),
            "The data pump (payment) answered, but not in the contract's shape",
        ),
    ],
    ids=["not-json", "no-transmission-id"],
)
def test_a_data_pump_answering_wrongly_is_a_problem(reply: Reply, words: str) -> None:
    problem = data_pump(pump("payment", reply), "payment")
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(words)


# token-login ------------------------------------------------------------------------------------


def tokens(token1: str | None = "tok-one-1111", token2: str | None = "tok-two-2222") -> Reply:
    return Reply(200, {"Token1": token1, "Token2": token2})


def accepted(**extra: Any) -> Reply:
    return Reply(200, {"Accepted": True, "RegisteredAccounts": ["100234"], **extra})


def payconnect_fake(
    login: Reply, validate: Reply | None = None, *, live: bool = False
) -> FakeTransport:
    replies = [("POST", LOGIN_URL, login)]
    if validate is not None:
        replies.append(("POST", VALIDATE_URL, validate))
    return fake(*replies, live=live)


def test_token_login_issuing_two_tokens_that_s_and_s_accepts_passes() -> None:
    transport = payconnect_fake(tokens(), accepted())
    assert check.token_login(transport.as_transport(), environment(), configured()) is None


def test_token_login_logs_in_with_settings_25_to_27_and_the_credentials_offline_redacted() -> None:
    transport = payconnect_fake(tokens(), accepted())
    check.token_login(transport.as_transport(), environment(), configured())
    [login] = transport.bodies(LOGIN_URL)
    assert login == {
        "ClientId": "ic-demo",
        "ClientSecret": OFFLINE_SECRET,
        "AuthMode": "TOKEN",
        "Username": OFFLINE_SECRET,
        "Password": OFFLINE_SECRET,
    }


def test_token_login_live_sends_the_secrets_themselves() -> None:
    env = environment(
        credentials={
            "username": secret("${U}", U="pm-user"),
            "password": secret("${P}", P="pm-pw-9"),
        }
    )
    settings = configured({"26": secret("${S}", S="client-secret-9")}, base=env)
    transport = payconnect_fake(tokens("live-one-3333", "live-two-4444"), accepted(), live=True)
    check.token_login(transport.as_transport(), env, settings)
    [login] = transport.bodies(LOGIN_URL)
    assert (login["ClientSecret"], login["Username"], login["Password"]) == (
        "client-secret-9",
        "pm-user",
        "pm-pw-9",
    )


@pytest.mark.parametrize(("option", "sync"), [(True, True), (False, False), (REMOVED, False)])
def test_token_login_presents_both_tokens_back_asking_to_sync_when_option_127_is_on(
    option: object, sync: bool
) -> None:
    transport = payconnect_fake(tokens(), accepted())
    settings = configured(options={"127": option})  # type: ignore[dict-item]
    check.token_login(transport.as_transport(), environment(), settings)
    assert transport.bodies(VALIDATE_URL) == [
        {"Token1": "tok-one-1111", "Token2": "tok-two-2222", "SyncRegisteredAccounts": sync}
    ]


@pytest.mark.parametrize(
    "settings",
    [
        {"24": REMOVED},
        {"24": "PayConnect"},
        {"24": secret("${PC}", PC=PAYCONNECT)},
        {"25": REMOVED},
        {"26": ""},
        {"27": "  "},
    ],
    ids=["24-missing", "24-not-a-url", "24-secret", "25-missing", "26-empty", "27-blank"],
)
def test_token_login_waits_for_settings_24_to_27_and_sends_nothing(
    settings: dict[str, Any],
) -> None:
    transport = fake()
    verdict = check.token_login(transport.as_transport(), environment(), configured(settings))
    assert isinstance(verdict, Blocked)
    assert "Advanced Settings 24-27" in verdict.reason
    assert "see settings-24-27" in verdict.reason
    assert transport.sent == []


@pytest.mark.parametrize(
    ("login", "name", "state"),
    [
        (tokens(token1=None), "Token1", "missing"),
        (Reply(200, {"Token2": "tok-two-2222"}), "Token1", "missing"),
        (tokens(token1=""), "Token1", "empty"),
        (tokens(token2=None), "Token2", "missing"),
        (tokens(token2="   "), "Token2", "empty"),
    ],
    ids=["token1-null", "token1-absent", "token1-empty", "token2-null", "token2-blank"],
)
def test_a_login_without_a_usable_token_is_a_problem_and_presents_nothing_back(
    login: Reply, name: str, state: str
) -> None:
    transport = payconnect_fake(login)
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert problem.summary == f"PayConnect login issued no usable {name}: it is {state}."
    assert problem.expected == "Token1 and Token2, both non-empty"
    assert problem.found == f"{name} {state}"
    assert problem.where == f"POST {LOGIN_URL}"
    assert [s.url for s in transport.sent] == [LOGIN_URL]


def test_a_login_issuing_equal_tokens_is_a_problem() -> None:
    transport = payconnect_fake(tokens("same-5555", "same-5555"))
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert problem.summary == "PayConnect login issued Token1 and Token2 with the same value."
    assert problem.found == "Token1 equals Token2"
    assert [s.url for s in transport.sent] == [LOGIN_URL]


def test_a_login_answering_http_401_is_a_problem() -> None:
    transport = payconnect_fake(Reply(401, "bad client"))
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "PayConnect login refused the credentials (HTTP 401 Unauthorized): the PayConnect "
        "client id and secret in Advanced Settings 25 and 26, and the test user in "
        "environments.test.credentials were not accepted."
    )
    assert problem.found == "HTTP 401 Unauthorized: bad client"
    assert problem.fix == (
        "check the PayConnect client id and secret in Advanced Settings 25 and 26, and the "
        "test user in environments.test.credentials"
    )


@pytest.mark.parametrize(
    ("validate", "summary_words", "found"),
    [
        (
            Reply(200, {"Accepted": False, "Reason": "Token2 expired"}),
            "S&S did not accept Token1/Token2 back: Token2 expired.",
            '{"Accepted": false}',
        ),
        (
            Reply(200, {"Accepted": False}),
            "S&S did not accept Token1/Token2 back: no reason given.",
            '{"Accepted": false}',
        ),
        (
            Reply(500, "down"),
            "PayConnect token validation failed on its side (HTTP 500 Internal Server Error)",
            "HTTP 500 Internal Server Error: down",
        ),
        (
            Reply(200, {"Accepted": "yes"}),
            "PayConnect token validation answered, but not in the contract's shape",
            '"yes"',
        ),
    ],
    ids=["refused-with-reason", "refused-without-reason", "http-500", "off-contract"],
)
def test_tokens_not_accepted_back_are_a_problem(
    validate: Reply, summary_words: str, found: str
) -> None:
    transport = payconnect_fake(tokens(), validate)
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(summary_words)
    assert found in problem.found
    assert problem.where == f"POST {VALIDATE_URL}"


def test_tokens_accepted_without_the_registered_accounts_option_127_asks_for_are_a_problem() -> (
    None
):
    transport = payconnect_fake(tokens(), Reply(200, {"Accepted": True}))
    problem = check.token_login(transport.as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert "did not sync the registered accounts that Option 127 asks for" in problem.summary
    assert problem.found == "no RegisteredAccounts"
    assert "registered-account sync" in (problem.fix or "")


def test_tokens_accepted_without_registered_accounts_pass_when_option_127_is_off() -> None:
    transport = payconnect_fake(tokens(), Reply(200, {"Accepted": True}))
    settings = configured(options={"127": False})
    assert check.token_login(transport.as_transport(), environment(), settings) is None


# custom-code and iframe-lag without a browser (--no-browser: the raw HTTP checks) -------------
# With a browser, live or recorded, they are judged in unit/test_browser_checks.py.

BANNER = 'data-demo="budget-banner"'
NO_BROWSER = None  # what the portal_views fixture gives with --no-browser


def test_custom_code_on_its_page_passes() -> None:
    transport = fake(("GET", HOME_URL, Reply(200, f"<div {BANNER}>Budget billing</div>")))
    assert (
        check.custom_code_present(
            NO_BROWSER, transport.as_transport(), demo(), environment(), "budget-billing-banner"
        )
        is None
    )
    assert [(s.method, s.url) for s in transport.sent] == [("GET", HOME_URL)]


def test_custom_code_missing_from_its_page_is_a_problem_naming_the_item_and_the_search() -> None:
    page = "<div>Welcome</div>"
    transport = fake(("GET", HOME_URL, Reply(200, page)))
    problem = check.custom_code_present(
        NO_BROWSER, transport.as_transport(), demo(), environment(), "budget-billing-banner"
    )
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "Custom code 'budget-billing-banner' is missing from the portal page /Home "
        "(checked without a browser)."
    )
    assert problem.expected == (
        "the page's raw HTML has a visible element matching the CSS selector "
        '[data-demo="budget-banner"]'
    )
    assert problem.found == f"not found in the page's {len(page)} characters"
    assert problem.where == f"GET {HOME_URL}"


def test_custom_code_only_in_a_comment_passes_the_raw_check_for_text_not_for_an_element() -> None:
    """What a raw check can and cannot tell: commented-out text counts (a false pass, which is
    why it says so); an element in a comment is no element."""
    commented = f"<!-- <p>Go paperless</p> <div {BANNER}></div> -->"
    for item, verdict in (("paperless-promo", None), ("budget-billing-banner", Problem)):
        transport = fake(("GET", HOME_URL, Reply(200, commented)))
        problem = check.custom_code_present(
            NO_BROWSER, transport.as_transport(), demo(), environment(), item
        )
        assert problem is None if verdict is None else isinstance(problem, Problem), item


def test_custom_code_with_a_selector_only_a_browser_can_match_fails_saying_so() -> None:
    biller = dataclasses.replace(
        demo(),
        custom_code=(
            dataclasses.replace(demo().custom_code[0], selector="main > .banner:not(.hidden)"),
        ),
    )
    transport = fake(("GET", HOME_URL, Reply(200, "<main><div class='banner'></div></main>")))
    problem = check.custom_code_present(
        NO_BROWSER, transport.as_transport(), biller, environment(), "budget-billing-banner"
    )
    assert isinstance(problem, Problem)
    assert "its selector needs a browser" in problem.summary
    assert "checked without a browser" in problem.summary


def test_custom_code_on_a_page_that_does_not_answer_200_is_a_problem() -> None:
    transport = fake(("GET", HOME_URL, Reply(404, BANNER)))
    problem = check.custom_code_present(
        NO_BROWSER, transport.as_transport(), demo(), environment(), "budget-billing-banner"
    )
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The portal page /Home rejected the request (HTTP 404 Not Found): there is nothing at "
        "this URL (checked without a browser)."
    )
    assert (problem.expected, problem.found) == ("HTTP 200", f"HTTP 404 Not Found: {BANNER}")


@pytest.mark.parametrize("portal_url", [None, ""], ids=["none", "empty"])
def test_custom_code_without_a_portal_url_is_a_problem_and_sends_nothing(
    portal_url: str | None,
) -> None:
    transport = fake()
    env = environment(portal=portal_url)
    problem = check.custom_code_present(
        NO_BROWSER, transport.as_transport(), demo(), env, "budget-billing-banner"
    )
    assert isinstance(problem, Problem)
    assert problem.summary == "No portal URL for test in the biller file."
    assert problem.fix == "write environments.test.portal"
    assert problem.where == demo().where("environments", "test")
    assert transport.sent == []


@pytest.mark.parametrize("rule", ["custom-code", "iframe-lag"])
def test_a_pass_without_a_browser_is_told_as_such(rule: str) -> None:
    note = check.without_browser(rule)
    assert note.summary.startswith("Passed, checked without a browser (--no-browser): ")
    assert "checked without a browser" in note.found


@pytest.mark.parametrize("seconds", [0.2, 3.0], ids=["quick", "exactly-the-limit"])
def test_an_iframe_within_its_limit_passes(seconds: float) -> None:
    transport = fake(("GET", BILL_VIEW_URL, Reply(200, "<html/>", seconds)))
    assert check.iframe_loads(
        NO_BROWSER, transport.as_transport(), demo(), environment(), "bill-view"
    ) == (None, False)


def test_a_slow_iframe_is_a_problem_that_is_only_slow() -> None:
    transport = fake(("GET", BILL_VIEW_URL, Reply(200, "<html/>", 3.456)))
    problem, only_slow = check.iframe_loads(
        NO_BROWSER, transport.as_transport(), demo(), environment(), "bill-view"
    )
    assert isinstance(problem, Problem)
    assert only_slow is True
    assert problem.summary == (
        "The Capricorn iFrame bill-view took 3.46 s to load (checked without a browser)."
    )
    assert problem.expected == "at most 3 s (max_seconds)"
    assert problem.found == "3.46 s"
    assert problem.where == f"GET {BILL_VIEW_URL}"


@pytest.mark.parametrize("seconds", [0.1, 9.0], ids=["quick", "slow"])
def test_an_iframe_that_does_not_answer_200_is_a_problem_not_only_slow(seconds: float) -> None:
    transport = fake(("GET", BILL_VIEW_URL, Reply(500, "error", seconds)))
    problem, only_slow = check.iframe_loads(
        NO_BROWSER, transport.as_transport(), demo(), environment(), "bill-view"
    )
    assert isinstance(problem, Problem)
    assert problem.summary.startswith(
        "The Capricorn iFrame bill-view failed on its side (HTTP 500 Internal Server Error)"
    )
    assert only_slow is False


def test_an_iframe_without_a_portal_url_is_a_problem_not_only_slow() -> None:
    transport = fake()
    problem, only_slow = check.iframe_loads(
        NO_BROWSER, transport.as_transport(), demo(), environment(portal=None), "bill-view"
    )
    assert isinstance(problem, Problem)
    assert problem.summary == "No portal URL for test in the biller file."
    assert only_slow is False
    assert transport.sent == []


# which calls are writes (the production guard's input) -------------------------------------------


def test_data_pump_transmissions_and_payconnect_calls_are_writes_rtdr_is_not() -> None:
    pumped = pump("payment", ack("payment"))
    data_pump(pumped, "payment")
    logged_in = payconnect_fake(tokens(), accepted())
    check.token_login(logged_in.as_transport(), environment(), configured())
    read = healthy_rtdr()
    check.rtdr_answers(read.as_transport(), environment(), configured(), ACCOUNTS[0])
    assert [sent.write for sent in pumped.sent] == [True]
    assert [sent.write for sent in logged_in.sent] == [True, True]
    assert [sent.write for sent in read.sent] == [False]


# a setting read as the test host but sent elsewhere --------------------------------------------

CRAFTED_CIS = "https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/CISService"
CRAFTED_PAYCONNECT = "https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/PayConnect"


def test_rtdr_never_calls_a_cis_url_read_two_ways_and_says_which_setting() -> None:
    transport = fake(live=True)
    verdict = check.rtdr_answers(
        transport.as_transport(), environment(), configured({"20": CRAFTED_CIS}), ACCOUNTS[0]
    )
    assert isinstance(verdict, Blocked)
    assert verdict.reason.startswith("Advanced Setting 20 in the biller file has a backslash")
    assert "so nothing was sent to it (see endpoint-settings)" in verdict.reason
    assert transport.sent == []


@pytest.mark.parametrize("kind", ["payment", "paperless", "autopay"])
def test_the_data_pump_never_writes_to_a_cis_url_read_two_ways(kind: str) -> None:
    transport = fake(live=True)
    verdict = data_pump(transport, kind, settings=configured({"20": CRAFTED_CIS}))
    assert isinstance(verdict, Blocked)
    assert "Advanced Setting 20" in verdict.reason
    assert transport.sent == []


def test_token_login_never_sends_the_credentials_to_a_payconnect_url_read_two_ways() -> None:
    transport = fake(live=True)
    verdict = check.token_login(
        transport.as_transport(), environment(), configured({"24": CRAFTED_PAYCONNECT})
    )
    assert isinstance(verdict, Blocked)
    assert verdict.reason.startswith("Advanced Setting 24 in the biller file has a backslash")
    assert transport.sent == []
