"""Offline HTTP: answered from recorded fixtures with `responses`; nothing reaches the network."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import responses

from conversion_qa.clients.http import Exchange, HttpOptions, prepared, send
from conversion_qa.errors import BadRecording, NotRecorded
from conversion_qa.recordings.store import parsed


@dataclass(frozen=True)
class Recorded:
    method: str
    url: str
    body: str
    status: int
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()  # Location, Retry-After
    redirects: tuple[str, ...] = ()  # the redirect chain the live call followed


_cache: dict[Path, tuple[float, tuple[Recorded, ...]]] = {}
_mocks: dict[tuple[Path, tuple[Recorded, ...]], responses.RequestsMock] = {}
_cache_lock = threading.Lock()


def recorded(fixture: Path) -> tuple[Recorded, ...]:
    """The answers of a fixture file (read once per change of the file)."""
    if not fixture.is_file():
        return ()
    stamp = fixture.stat().st_mtime
    with _cache_lock:
        cached = _cache.get(fixture)
        if cached and cached[0] == stamp:
            return cached[1]
    data: Any = parsed(fixture) or {}
    try:
        answers = tuple(
            Recorded(
                method=r["response"]["method"],
                url=r["response"]["url"],
                body=r["response"].get("body", ""),
                status=int(r["response"]["status"]),
                content_type=r["response"].get("content_type", "text/plain"),
                headers=tuple(
                    (str(k), str(v)) for k, v in r["response"].get("headers", {}).items()
                ),
                redirects=tuple(str(url) for url in r["response"].get("redirects", [])),
            )
            for r in data.get("responses", [])
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BadRecording(
            f"{fixture}: a recorded answer is malformed ({error!r}); each entry of responses: "
            "is {response: {method, url, status, body, content_type}}: record it again "
            "(pytest -m live --record-fixtures)"
        ) from None
    with _cache_lock:
        _cache[fixture] = (stamp, answers)
    return answers


def replay(
    session: requests.Session,
    options: HttpOptions,
    fixture: Path,
    method: str,
    url: str,
    *,
    json_body: Any = None,
    auth: tuple[str, str] | None = None,
) -> Exchange:
    """Send through `responses` with the fixture's answers; unmatched requests are refused."""
    answers = recorded(fixture)
    mock = _mock_of(fixture, answers)
    request = prepared(method, url)
    if not any(r.matches(request)[0] for r in mock.registered()):
        raise NotRecorded(f"{method} {url}", fixture, "answer", fixture.parent.name)
    # start/stop rather than `with`, whose exit also empties the mock kept for the run
    mock.start()
    try:
        # one answer per request: no retry, and a redirect's chain is the recorded one
        exchange = send(
            session,
            dataclasses.replace(options, retries=0),
            method,
            url,
            json_body=json_body,
            auth=auth,
            follow=False,
        )
    finally:
        mock.stop(allow_assert=False)
        mock.calls.reset()
    chain = next((a.redirects for a in answers if (a.method, a.url) == (method, url)), ())
    return dataclasses.replace(exchange, redirects=chain) if chain else exchange


def _mock_of(fixture: Path, answers: tuple[Recorded, ...]) -> responses.RequestsMock:
    """One `responses` mock per fixture file and content, built once rather than per request."""
    with _cache_lock:
        mock = _mocks.get((fixture, answers))
        if mock is None:
            mock = responses.RequestsMock(assert_all_requests_are_fired=False)
            for answer in answers:
                mock.add(
                    method=answer.method,
                    url=answer.url,
                    body=answer.body,
                    status=answer.status,
                    content_type=answer.content_type,
                    headers=dict(answer.headers),
                )
            _mocks[(fixture, answers)] = mock
        return mock
