"""What an HTTP status says: one sentence per class, the credentials each service checks, and
the portal's settings read told by its fields (never "no answer" for a service that answered).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversion_qa.clients import portal as portal_client
from conversion_qa.clients.http import Exchange, retry_after_seconds
from conversion_qa.clients.status import Service, duration, status_error
from conversion_qa.contract import datapump, payconnect, portal, rtdr
from conversion_qa.errors import ConversionQAError, MissingSecretError, PortalError, Unanswered
from conversion_qa.plugin import network_rules as check
from conversion_qa.plugin.explained import problem_of, unchecked
from conversion_qa.plugin.targets import Case
from conversion_qa.rules.catalogue import rule
from selftests.unit.builders import Problem, configured, demo, environment
from selftests.unit.fakes import FakeTransport, Reply

CIS = "https://enquesta-test.demo.example.com/CISService"
PAYCONNECT = "https://enquesta-test.demo.example.com/PayConnect"
SITE = "https://demo-test.portal.example.com"
SERVICE = Service(
    name="The portal",
    system="portal",
    owner="the portal's administrators",
    credentials="the portal credentials in environments.test.credentials",
)


def exchange(status: int, body: str = "", **headers: str) -> Exchange:
    return Exchange(
        method="GET",
        url=f"{SITE}/api/configuration",
        request_body=None,
        status=status,
        content_type="text/html",
        body=body,
        seconds=0.1,
        location=headers.get("location", ""),
        retry_after=headers.get("retry_after", ""),
        redirects=tuple(filter(None, headers.get("redirects", "").split(" "))),
    )


CLASSES = {
    "3xx-moved": (
        exchange(301, location=f"{SITE}/v2/configuration"),
        "The portal redirected to /v2/configuration (HTTP 301 Moved Permanently): the URL has "
        "moved.",
    ),
    "3xx-sign-in": (
        exchange(302, location="/login"),
        "The portal redirected to /login: the portal asked to sign in.",
    ),
    "401": (
        exchange(401, "who are you"),
        "The portal refused the credentials (HTTP 401 Unauthorized): the portal credentials in "
        "environments.test.credentials were not accepted.",
    ),
    "403": (
        exchange(403, "not you"),
        "The portal refused the credentials (HTTP 403 Forbidden): the portal credentials in "
        "environments.test.credentials were not accepted.",
    ),
    "other-4xx": (
        exchange(404, "nothing here"),
        "The portal rejected the request (HTTP 404 Not Found): there is nothing at this URL.",
    ),
    "5xx": (
        exchange(500, "stack trace"),
        "The portal failed on its side (HTTP 500 Internal Server Error): the request arrived, "
        "and the service could not answer it.",
    ),
    "503": (
        exchange(503, "down"),
        "The portal says it is unavailable (HTTP 503 Service Unavailable), without saying for "
        "how long.",
    ),
    "503-retry-after": (
        exchange(503, "maintenance", retry_after="5400"),
        "The portal says it is unavailable for 90 minutes (HTTP 503 Service Unavailable, "
        "Retry-After: 5400): a maintenance window?",
    ),
}


@pytest.mark.parametrize("name", list(CLASSES))
def test_each_status_class_has_its_own_sentence_and_none_says_no_answer(name: str) -> None:
    answered, sentence = CLASSES[name]
    error = status_error(answered, SERVICE, "HTTP 200 with the settings")
    assert error.what == sentence
    assert error.expected == "HTTP 200 with the settings"
    assert error.where == f"GET {SITE}/api/configuration"
    assert error.fix
    for text in (error.what, error.found or "", error.fix):
        assert "no answer" not in text


def test_the_sentences_of_the_classes_differ() -> None:
    sentences = [status_error(answered, SERVICE, "x").what for answered, _ in CLASSES.values()]
    assert len(set(sentences)) == len(sentences)


def test_refused_credentials_and_a_sign_in_say_which_to_check() -> None:
    for name in ("3xx-sign-in", "401", "403"):
        error = status_error(CLASSES[name][0], SERVICE, "x")
        assert error.fix == "check the portal credentials in environments.test.credentials"


def test_a_maintenance_window_says_until_when_and_whom_to_ask() -> None:
    error = status_error(exchange(503, retry_after="3600"), SERVICE, "x")
    assert "(1 hour, until about " in (error.found or "")
    assert (error.fix or "").startswith(
        "ask the portal's administrators whether maintenance is under way and until when"
    )


def test_a_redirect_to_another_host_and_a_loop_are_said_so() -> None:
    away = exchange(302, location="https://sso.example.net/saml")
    assert status_error(away, SERVICE, "x").what == (
        "The portal redirected off its host, to https://sso.example.net/saml (not followed)."
    )
    loop = exchange(302, location="/a", redirects=f"{SITE}/a {SITE}/api/configuration")
    assert status_error(loop, SERVICE, "x").what == (
        "The portal redirects in a loop (/api/configuration -> /a -> /api/configuration): it "
        "never answers."
    )


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (900, "15 minutes"),
        (3600, "1 hour"),
        (9000, "2.5 hours"),
    ],
)
def test_durations_read_as_a_pm_says_them(seconds: float, words: str) -> None:
    assert duration(seconds) == words


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert retry_after_seconds("3600", now) == 3600
    assert retry_after_seconds("Sat, 05 Dec 2026 11:00:00 GMT", now) == 3600
    assert retry_after_seconds("Sat, 05 Dec 2026 09:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None


# each service names its own credentials -------------------------------------------------------


def test_rtdr_refused_names_the_operator_number_setting() -> None:
    transport = FakeTransport({("POST", rtdr.url(CIS)): Reply(403, "operator not recognised")})
    problem = check.rtdr_answers(transport.as_transport(), environment(), configured(), "100234")
    assert isinstance(problem, Problem)
    assert problem.summary.startswith("RTDR refused the credentials (HTTP 403 Forbidden): ")
    assert "the operator number in Advanced Setting 12" in problem.summary
    assert "environments.test.advanced_settings.12" in (problem.fix or "")


def test_the_data_pump_refused_names_the_operator_number_setting() -> None:
    url = datapump.url(CIS, "payment")
    transport = FakeTransport({("POST", url): Reply(401, "no")})
    problem = check.data_pump_acknowledges(
        transport.as_transport(), demo(), environment(), configured(), "payment"
    )
    assert isinstance(problem, Problem)
    assert "refused the credentials (HTTP 401 Unauthorized)" in problem.summary
    assert "Advanced Setting 12" in problem.summary


def test_token_validation_refused_names_settings_25_and_26() -> None:
    replies = {
        ("POST", payconnect.login_url(PAYCONNECT)): Reply(200, {"Token1": "a1", "Token2": "b2"}),
        ("POST", payconnect.validate_url(PAYCONNECT)): Reply(403, "no"),
    }
    problem = check.token_login(FakeTransport(replies).as_transport(), environment(), configured())
    assert isinstance(problem, Problem)
    assert "Advanced Settings 25 and 26" in problem.summary


def test_a_portal_page_redirected_to_sign_in_names_the_portal_credentials() -> None:
    home = portal.page_url(SITE, "/Home")
    transport = FakeTransport(
        {("GET", home): Reply(302, "", location="/login", redirects=(f"{SITE}/login",))}
    )
    problem = check.custom_code_present(  # without a browser: the raw HTTP check
        None, transport.as_transport(), demo(), environment(), "budget-billing-banner"
    )
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The portal page /Home redirected to /login: the portal asked to sign in (checked "
        "without a browser)."
    )
    assert problem.fix == "check the portal credentials in environments.test.credentials"
    assert problem.found == "HTTP 302 Found, Location: /login"


# the portal's settings read, and the rule's problem made from the error's fields --------------


def portal_read_error(reply: Reply) -> ConversionQAError:
    transport = FakeTransport({("GET", portal.settings_url(SITE)): reply}, live=True)
    reader = portal_client.PortalConfiguration(transport.as_transport(), environment())
    settings = portal_client.configured(reader)
    with pytest.raises(PortalError) as caught:
        settings.setting("12")
    return caught.value


def test_a_portal_refusing_the_credentials_says_so_in_a_network_rule_not_no_answer() -> None:
    error = portal_read_error(Reply(401, '{"Error": "portal login refused"}'))
    case = Case(rule("rtdr"), demo(), "test", "100234", live=True)
    problem = problem_of(case, error)
    assert problem.summary == (
        "rtdr failed: the portal's configuration API refused the credentials "
        "(HTTP 401 Unauthorized): the portal credentials in environments.test.credentials were "
        "not accepted."
    )
    assert problem.expected == "HTTP 200 with the portal's Advanced Settings and Options"
    assert problem.found.startswith("HTTP 401 Unauthorized: ")
    assert problem.where == f"GET {portal.settings_url(SITE)}"
    assert problem.fix == "check the portal credentials in environments.test.credentials"
    assert "no answer" not in problem.render()


def test_a_portal_answering_not_json_or_another_shape_is_told_by_its_fields() -> None:
    for reply, found in ((Reply(200, "<html/>"), "not JSON"), (Reply(200, {"x": 1}), "")):
        error = portal_read_error(reply)
        assert error.expected
        assert error.where
        assert error.fix
        assert found in (error.found or "")


# why a test could not look, in the few words the sheet, the board and the console list -------

RTDR_CALL = "https://enquesta-test.demo.example.com/CISService/RTDR"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            Unanswered("x", url=RTDR_CALL, expected="e", found="f", where="w"),
            "no answer from the CIS Service and the PayConnect Service "
            "(enquesta-test.demo.example.com)",
        ),
        (
            Unanswered("x", url=RTDR_CALL, expected="e", found="f", where="w", unavailable=True),
            "the CIS Service and the PayConnect Service (enquesta-test.demo.example.com) says "
            "it is unavailable",
        ),
        (
            Unanswered("x", url="https://elsewhere.test/x", expected="e", found="f", where="w"),
            "no answer from elsewhere.test",
        ),
        (
            MissingSecretError("DEMO_TEST_PASSWORD", "billers/demo.yaml:40"),
            "DEMO_TEST_PASSWORD is not set",
        ),
    ],
    ids=["no-answer", "unavailable", "another-host", "secret"],
)
def test_a_test_that_could_not_look_says_why_in_a_few_words(
    error: ConversionQAError, reason: str
) -> None:
    case = Case(rule("rtdr"), demo(), "test", "100234", live=True)
    why = unchecked(case, error)
    assert why is not None
    assert why.reason == reason
    assert why.detail == error.what


def test_a_verdict_on_an_answer_is_not_taken_for_no_answer() -> None:
    case = Case(rule("rtdr"), demo(), "test", "100234", live=True)
    answered = portal_read_error(Reply(401, '{"Error": "portal login refused"}'))
    assert not answered.not_checked
    assert unchecked(case, answered) is None
