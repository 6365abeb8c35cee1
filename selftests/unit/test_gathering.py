"""gathering: the network rules' calls, through a fake transport; what is sent, and what a
live answer leaves remembered as a secret."""

from __future__ import annotations

from conversion_qa import gathering
from conversion_qa.config.secrets import remembered, secrets_forgotten
from conversion_qa.contract import payconnect, rtdr
from conversion_qa.plugin import network_rules
from selftests.unit.builders import OFFLINE_SECRET, configured, environment, secret
from selftests.unit.fakes import FakeTransport, Reply

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
LOGIN_URL = payconnect.login_url(PAYCONNECT)
SETTING_131 = '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
NO_SUMMARIES = Reply(200, {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "AccountSummaries": []})


def test_a_secret_operator_number_is_revealed_only_live() -> None:
    operator = secret("${OP}", OP="0417")
    for live, sent in ((True, "0417"), (False, OFFLINE_SECRET)):
        transport = FakeTransport({("POST", rtdr.url(CIS)): NO_SUMMARIES}, live=live)
        gathering.rtdr_summaries(transport.as_transport(), CIS, SETTING_131, operator, ["100234"])
        [request] = transport.sent
        assert sent in str(request.json_body)


def test_tokens_issued_live_are_remembered_as_secrets_even_when_the_answer_is_out_of_shape() -> (
    None
):
    """A login answer the contract's schema refuses is shown in the failure's evidence: a live
    token in it must already be a secret, whatever the check makes of the answer."""
    out_of_shape = Reply(200, {"Token1": "live-token-aaaa-1111", "Token2": 5})
    with secrets_forgotten():
        transport = FakeTransport({("POST", LOGIN_URL): out_of_shape}, live=True)
        network_rules.token_login(transport.as_transport(), environment(), configured())
        assert "live-token-aaaa-1111" in remembered()


def test_tokens_of_a_replayed_login_are_not_remembered() -> None:
    issued = Reply(200, {"Token1": "recorded-aaaa-1111", "Token2": "recorded-bbbb-2222"})
    with secrets_forgotten():
        transport = FakeTransport({("POST", LOGIN_URL): issued}, live=False)
        gathering.payconnect_login(transport.as_transport(), PAYCONNECT, [None] * 5)
        assert not remembered() & {"recorded-aaaa-1111", "recorded-bbbb-2222"}
