"""A Transport stand-in for the network checks: answers from a table, records what was sent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from conversion_qa.clients.http import Exchange
from conversion_qa.config.model import SettingValue
from conversion_qa.recordings.transport import on_the_wire
from selftests.unit.builders import Transport


@dataclass(frozen=True)
class Reply:
    """One recorded answer: an HTTP status and a body (a JSON document or the exact text)."""

    status: int = 200
    body: Any = ""
    seconds: float = 0.05
    location: str = ""  # a redirect's Location header
    retry_after: str = ""  # a Retry-After header
    redirects: tuple[str, ...] = ()  # the redirect chain, as a live call follows it

    @property
    def text(self) -> str:
        return self.body if isinstance(self.body, str) else json.dumps(self.body)


@dataclass(frozen=True)
class Sent:
    """One request a check made, as it made it."""

    method: str
    url: str
    json_body: Any
    auth: tuple[str, str] | None
    write: bool  # the contract marks it a write to S&S


@dataclass
class FakeTransport:
    """The part of Transport the checks use: `send`, `value`, `live` and `exchanges`.

    A request with no answer in `replies` fails the test at once, naming the request: a check
    calling something it should not is a defect, never a silent empty answer.
    """

    replies: Mapping[tuple[str, str], Reply]
    live: bool = False
    sent: list[Sent] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)

    def send(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        auth: tuple[str, str] | None = None,
        write: bool = False,
    ) -> Exchange:
        self.sent.append(Sent(method, url, json_body, auth, write))
        reply = self.replies.get((method, url))
        if reply is None:
            raise AssertionError(
                f"unexpected request {method} {url}; answers: {list(self.replies)}"
            )
        exchange = Exchange(
            method=method,
            url=url,
            request_body=json.dumps(json_body) if json_body is not None else None,
            status=reply.status,
            content_type="application/json",
            body=reply.text,
            seconds=reply.seconds,
            location=reply.location,
            retry_after=reply.retry_after,
            redirects=reply.redirects,
        )
        self.exchanges.append(exchange)
        return exchange

    def value(self, setting: SettingValue | None) -> str:
        return on_the_wire(setting, live=self.live)

    def as_transport(self) -> Transport:
        """This fake where a check's signature asks for a Transport (test_fakes.py checks the
        interface matches)."""
        return cast(Transport, self)

    def bodies(self, url: str) -> list[Any]:
        """The JSON bodies sent to url, in order."""
        return [s.json_body for s in self.sent if s.url == url]
