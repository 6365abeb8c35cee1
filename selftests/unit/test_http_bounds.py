"""Every call bounded, over real sockets: clients.http.send against a loopback server that
misbehaves on purpose (a drip, a hang, a huge answer, Retry-After, redirects, a closed port).

A bound is shown by what the call says and by what the server saw (requests, connections), never
by a stopwatch: a loaded machine cannot break them (the cost is measured by benchmarks/).
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.clients.http import HttpOptions, make_session, send
from conversion_qa.clients.status import Service, status_error
from conversion_qa.errors import ServiceError
from selftests.loopback import Behaviour, LoopbackServer
from selftests.tls_server import TlsServer, write_self_signed

OPTIONS = HttpOptions(
    connect_timeout=2, read_timeout=1, call_deadline=2, max_answer_bytes=64 * 1024
)
PORTAL = Service(
    name="The portal",
    system="portal",
    owner="the portal's administrators",
    credentials="the portal credentials in environments.test.credentials",
)
SLOW_BODY = b"x" * 1000  # at 0.1 s a byte: 100 s, far past the deadline


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with make_session(OPTIONS) as session:
        yield session


def failure(session: requests.Session, url: str, **kwargs: object) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        send(session, OPTIONS, "GET", url, **kwargs)  # type: ignore[arg-type]
    return caught.value


# a deadline for the whole call -----------------------------------------------------------------


def test_a_body_dripping_a_byte_at_a_time_fails_at_the_call_deadline(
    session: requests.Session,
) -> None:
    drip = Behaviour(body=SLOW_BODY, drip=0.1)
    drip = Behaviour(body=SLOW_BODY, drip=0.1, drip_from=drip.headers_length())
    with LoopbackServer({"/slow": drip}) as server:
        error = failure(session, server.url("/slow"))
    assert error.what.startswith(f"GET {server.url('/slow')}: the answer did not arrive whole")
    assert "within the call deadline of 2 s (--call-deadline)" in error.what
    assert error.expected == "the whole answer within 2 s (--call-deadline)"
    assert "bytes arrived in" in (error.found or "")  # the headers and a few bytes of the body
    assert "--call-deadline" in (error.fix or "")
    assert error.where == f"GET {server.url('/slow')}"


def test_a_status_line_dripping_from_its_first_byte_fails_at_the_call_deadline(
    session: requests.Session,
) -> None:
    """The headers are read by http.client, out of the caller's reach: the socket keeps it."""
    with LoopbackServer({"/slow": Behaviour(body=SLOW_BODY, drip=0.1)}) as server:
        error = failure(session, server.url("/slow"))
    assert "(--call-deadline)" in error.what


@pytest.mark.parametrize(
    ("sized", "found"),
    [
        (True, "the answer announced 1,048,576 bytes (Content-Length); none of it was read"),
        (False, "more than 65,536 bytes arrived"),
    ],
    ids=["content-length", "streamed"],
)
def test_an_answer_larger_than_the_cap_fails_naming_the_cap_and_what_arrived(
    session: requests.Session, sized: bool, found: str
) -> None:
    huge = Behaviour(body=b"x" * 1024 * 1024, sized=sized)
    with LoopbackServer({"/huge": huge}) as server:
        error = failure(session, server.url("/huge"))
    assert error.what == (
        f"GET {server.url('/huge')}: the answer is larger than 64 KiB (--max-answer-bytes)"
    )
    assert error.expected == "an answer of at most 65,536 bytes (--max-answer-bytes)"
    assert found in (error.found or "")
    assert "--max-answer-bytes" in (error.fix or "")


# Retry-After never holds a run -----------------------------------------------------------------


def test_a_long_retry_after_is_not_waited_for_and_is_told_at_once(
    session: requests.Session,
) -> None:
    maintenance = Behaviour(503, (("Retry-After", "3600"),), b"<h1>maintenance</h1>")
    with LoopbackServer({"/settings": maintenance}) as server:
        exchange = send(session, OPTIONS, "GET", server.url("/settings"))
    assert server.requests["/settings"] == 1  # not retried: the wait would be an hour
    assert (exchange.status, exchange.retry_after) == (503, "3600")
    error = status_error(exchange, PORTAL, "HTTP 200")
    assert error.what == (
        "The portal says it is unavailable for 1 hour (HTTP 503 Service Unavailable, "
        "Retry-After: 3600): a maintenance window?"
    )
    assert error.where == f"GET {server.url('/settings')}"


@pytest.mark.parametrize(("retry_after", "asked"), [("1", 3), ("2", 2)])
def test_a_short_retry_after_is_waited_for_within_a_few_seconds_in_all(
    session: requests.Session, retry_after: str, asked: int
) -> None:
    """Two retries of a read: waiting 1 s twice fits RETRY_WAIT_LIMIT, 2 s twice does not."""
    busy = Behaviour(503, (("Retry-After", retry_after),), b"busy")
    patient = dataclasses.replace(OPTIONS, call_deadline=30)  # the wait limit decides, not this
    with LoopbackServer({"/busy": busy}) as server:
        exchange = send(session, patient, "GET", server.url("/busy"))
    assert exchange.status == 503
    assert server.requests["/busy"] == asked


def test_a_write_answered_503_is_never_repeated(session: requests.Session) -> None:
    busy = Behaviour(503, (("Retry-After", "1"),), b"busy")
    with LoopbackServer({"/pump": busy}) as server:
        exchange = send(session, OPTIONS, "POST", server.url("/pump"), json_body={"n": 1})
    assert exchange.status == 503
    assert server.requests["/pump"] == 1


# redirects are failures that say where they lead -----------------------------------------------


def redirect(to: str) -> Behaviour:
    return Behaviour(302, (("Location", to),), b"")


def test_a_redirect_to_a_sign_in_page_says_so_and_names_the_credentials(
    session: requests.Session,
) -> None:
    routes = {"/settings": redirect("/login"), "/login": Behaviour(body=b"<form>Sign in</form>")}
    with LoopbackServer(routes) as server:
        exchange = send(session, OPTIONS, "GET", server.url("/settings"))
    assert (exchange.status, exchange.location) == (302, "/login")
    assert exchange.redirects == (server.url("/login"),)
    error = status_error(exchange, PORTAL, "HTTP 200")
    assert str(error) == (
        "The portal redirected to /login: the portal asked to sign in; check the portal "
        "credentials in environments.test.credentials"
    )
    assert error.found == "HTTP 302 Found, Location: /login"


def test_a_redirect_loop_is_followed_only_to_say_so(session: requests.Session) -> None:
    with LoopbackServer({"/a": redirect("/b"), "/b": redirect("/a")}) as server:
        exchange = send(session, OPTIONS, "GET", server.url("/a"))
    assert server.requests == {"/a": 1, "/b": 1}
    error = status_error(exchange, PORTAL, "HTTP 200")
    assert error.what == "The portal redirects in a loop (/a -> /b -> /a): it never answers."


def test_a_redirect_off_the_host_is_said_so_and_not_followed(session: requests.Session) -> None:
    away = "https://sso.elsewhere.invalid/login"
    with LoopbackServer({"/settings": redirect(away)}) as server:
        exchange = send(session, OPTIONS, "GET", server.url("/settings"))
    assert server.connections == 1
    error = status_error(exchange, PORTAL, "HTTP 200")
    assert error.what == f"The portal redirected off its host, to {away} (not followed)."


def test_a_write_redirected_is_not_followed(session: requests.Session) -> None:
    routes = {"/pump": redirect("/elsewhere"), "/elsewhere": Behaviour()}
    with LoopbackServer(routes) as server:
        exchange = send(session, OPTIONS, "POST", server.url("/pump"), json_body={})
    assert server.requests == {"/pump": 1}
    assert exchange.redirects == (server.url("/elsewhere"),)


# one timeout per dead host per run -------------------------------------------------------------


def test_a_host_that_timed_out_is_not_asked_again_and_the_first_failure_is_cited(
    session: requests.Session,
) -> None:
    hosts = DeadHosts()
    with LoopbackServer({"/rtdr": Behaviour(hang=True)}) as server:
        first = failure(
            session, server.url("/rtdr"), hosts=hosts, asking="test_rtdr[demo-test-1-live]"
        )
        later = failure(
            session, server.url("/pump"), hosts=hosts, asking="test_data_pump[demo-test-live]"
        )
        assert server.connections == 1  # the second call was never made
    assert "no answer within 1 s (--read-timeout)" in first.what
    host = f"127.0.0.1:{server.port}"
    assert later.what == (
        f"GET {server.url('/pump')} was not sent: {host} did not answer earlier in this run"
    )
    assert " UTC in test_rtdr[demo-test-1-live]: " in (later.found or "")
    assert first.what in (later.found or "")


def test_a_refused_connection_marks_its_host_too(session: requests.Session) -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]  # nothing listens there once closed
    hosts = DeadHosts()
    url = f"http://127.0.0.1:{port}/rtdr"
    first = failure(session, url, hosts=hosts, asking="test_one")
    later = failure(session, url, hosts=hosts, asking="test_two")
    assert "could not connect" in first.what
    assert "refused" in first.what.lower()
    assert "in test_one: " in (later.found or "")


def test_a_host_refusing_plain_http_on_port_80_is_still_asked_over_https(tmp_path: Path) -> None:
    """Dead hosts are known by scheme, host and port: a portal that refuses http:// on 80 may
    answer https:// on 443 (issue #19). Its https answer here is a certificate this run does
    not trust, so that the call's own failure shows it was made."""
    host = "demo-test.portal.example.com"
    with socket.create_server(("127.0.0.1", 0)) as closed:
        refused_port = closed.getsockname()[1]  # nothing listens there once closed
    with TlsServer(*write_self_signed(tmp_path, host)) as server:
        routed = {(host, 80): ("127.0.0.1", refused_port), (host, 443): ("127.0.0.1", server.port)}
        options = dataclasses.replace(OPTIONS, resolve=routed)
        hosts = DeadHosts()
        with make_session(options) as session:
            with pytest.raises(ServiceError) as plain:
                send(session, options, "GET", f"http://{host}/", hosts=hosts, asking="test_one")
            with pytest.raises(ServiceError) as secure:
                send(session, options, "GET", f"https://{host}/", hosts=hosts, asking="test_two")
    assert "could not connect" in plain.value.what
    assert "did not answer earlier in this run" not in secure.value.what
    assert "TLS failed" in secure.value.what


def test_a_host_that_answers_even_with_an_error_is_asked_again(session: requests.Session) -> None:
    hosts = DeadHosts()
    with LoopbackServer({"/rtdr": Behaviour(500, body=b"oops")}) as server:
        for _ in range(2):
            assert send(session, OPTIONS, "POST", server.url("/rtdr"), hosts=hosts).status == 500
    assert server.requests["/rtdr"] == 2
    assert len(hosts) == 0


def test_a_call_deadline_passed_marks_the_host_dead(session: requests.Session) -> None:
    hosts = DeadHosts()
    with LoopbackServer({"/slow": Behaviour(body=SLOW_BODY, drip=0.1)}) as server:
        failure(session, server.url("/slow"), hosts=hosts, asking="test_one")
        later = failure(session, server.url("/other"), hosts=hosts)
    assert "(--call-deadline)" in (later.found or "")
