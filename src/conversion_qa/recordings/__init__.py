"""Live answers, or the ones recorded in `fixtures/<biller>/`: one interface for HTTP, DNS and TLS.

Offline (the default) every answer comes from a recording and nothing is sent; an answer that is
not recorded raises `errors.NotRecorded`, naming it, the file and the command that records it.
Live, the answer comes from the network and, with `--record-fixtures`, is written for later
offline runs: HTTP when the run ends, DNS and TLS as they are answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

from conversion_qa.clients.browser import PortalSession
from conversion_qa.clients.dns import Answer
from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.clients.http import HttpOptions
from conversion_qa.clients.tls import TlsFacts
from conversion_qa.clients.writes import WriteTargets
from conversion_qa.recordings import browser, dns, tls
from conversion_qa.recordings.browser import BrowserRecorder, PortalViews
from conversion_qa.recordings.recorder import Recorder
from conversion_qa.recordings.sourced import Sourced
from conversion_qa.recordings.transport import Transport

__all__ = ["PortalViews", "Recordings", "Sourced", "Transport"]


@dataclass
class Recordings:
    """The run's recordings: `fixtures/<biller>/` beside the biller folder."""

    folder: Path
    record: bool  # --record-fixtures: live answers are written for offline runs
    recorder: Recorder = field(default_factory=Recorder)
    browser_recorder: BrowserRecorder = field(default_factory=BrowserRecorder)

    def http_file(self, biller: str, environment: str) -> Path:
        """`<environment>.http.yaml`, in the responses recorder's file format."""
        return self.folder / biller / f"{environment}.http.yaml"

    def transport(
        self,
        session: requests.Session,
        options: HttpOptions,
        biller: str,
        environment: str,
        *,
        live: bool,
        writes: WriteTargets | None = None,
        secret_settings: frozenset[str] = frozenset(),
        hosts: DeadHosts | None = None,
        asking: str = "",
    ) -> Transport:
        return Transport(
            session=session,
            options=options,
            live=live,
            fixture=self.http_file(biller, environment),
            recorder=self.recorder if live and self.record else None,
            writes=writes,
            secret_settings=secret_settings,
            hosts=hosts if live else None,
            asking=asking,
        )

    def dns_answers(
        self, biller: str, host: str, ask: Callable[[], Sequence[Answer]] | None, asked: str = ""
    ) -> Sourced[list[Answer]]:
        """Each nameserver's answer for host: `ask()` live (None: offline), else the recording."""
        path = dns.path_for(self.folder, biller)
        if ask is None:
            answers, recorded = dns.recorded_answers(path, host)
            return Sourced(answers, f"recorded in {path} on {recorded}")
        live = list(ask())
        if self.record:
            dns.record(path, host, live)
        return Sourced(live, asked)

    def tls_facts(
        self,
        biller: str,
        endpoint: str,
        host: str,
        port: int,
        handshake: Callable[[], TlsFacts] | None,
        how: str = "",
    ) -> Sourced[TlsFacts]:
        """An endpoint's TLS facts: `handshake()` live (None: offline), else the recording."""
        path = tls.path_for(self.folder, biller)
        if handshake is None:
            facts, recorded = tls.recorded_facts(path, endpoint, host, port)
            return Sourced(facts, f"recorded in {path} on {recorded}")
        live = handshake()
        if self.record:
            tls.record(path, endpoint, live)
        return Sourced(live, how)

    def portal_views(
        self,
        biller: str,
        environment: str,
        session: Callable[[], PortalSession] | None,
    ) -> PortalViews:
        """The portal as a browser shows it: `session()` live (None: offline), else the
        recording `<environment>.browser.yaml` with its screenshots."""
        return PortalViews(
            path=browser.path_for(self.folder, biller, environment),
            biller=biller,
            environment=environment,
            session=session,
            recorder=self.browser_recorder if session is not None and self.record else None,
        )

    def write(self) -> list[Path]:
        """Write the HTTP answers and browser views recorded in this run, scrubbed against every
        secret it came to know (DNS and TLS are written as answered)."""
        return sorted([*self.recorder.write(), *self.browser_recorder.write()])
