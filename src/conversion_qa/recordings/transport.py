"""A test's way to the HTTP services: replayed offline, real live (and recorded if asked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.clients.http import Exchange, HttpOptions, send
from conversion_qa.clients.writes import WriteTargets
from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.recordings.recorder import Recorder
from conversion_qa.recordings.replay import replay

OFFLINE_SECRET = "offline-placeholder"


def on_the_wire(setting: SettingValue | None, *, live: bool) -> str:
    """A setting's value to send: a secret is revealed only live (offline nothing leaves the
    process, so a placeholder stands in)."""
    if setting is None:
        return ""
    if isinstance(setting, Secret):
        return setting.reveal() if live else OFFLINE_SECRET
    return setting


@dataclass
class Transport:
    """A `clients.http.Caller`: what a rule's clients send through, and the evidence kept."""

    session: requests.Session
    options: HttpOptions
    live: bool
    fixture: Path
    recorder: Recorder | None = None
    writes: WriteTargets | None = None  # where a live write may go (None: anywhere)
    secret_settings: frozenset[str] = frozenset()  # kept as ${VAR} in the file: never recorded
    exchanges: list[Exchange] = field(default_factory=list)
    hosts: DeadHosts | None = None  # the run's dead hosts: live calls to them fail at once
    asking: str = ""  # the test this transport serves, cited when it finds a host dead

    def send(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        auth: tuple[str, str] | None = None,
        write: bool = False,
    ) -> Exchange:
        if self.live and write and self.writes is not None:
            refused = self.writes.refusal(method, url)
            if refused is not None:
                raise refused
        if self.live:
            exchange = send(
                self.session,
                self.options,
                method,
                url,
                json_body=json_body,
                auth=auth,
                hosts=self.hosts,
                asking=self.asking,
            )
            if self.recorder is not None:
                self.recorder.add(self.fixture, exchange, self.secret_settings)
        else:
            exchange = replay(
                self.session,
                self.options,
                self.fixture,
                method,
                url,
                json_body=json_body,
                auth=auth,
            )
        self.exchanges.append(exchange)
        return exchange

    def value(self, setting: SettingValue | None) -> str:
        return on_the_wire(setting, live=self.live)

    def evidence(self) -> str:
        return "\n".join(exchange.evidence() for exchange in self.exchanges[-3:])
