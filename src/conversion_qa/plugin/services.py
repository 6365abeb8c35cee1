"""A run's resources: the one HTTP session, its recordings, and the sandbox of a rehearsal."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
import requests

from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.clients.http import HttpOptions, make_session
from conversion_qa.plugin.run import Run
from conversion_qa.plugin.targets import Case
from conversion_qa.recordings import Recordings, Transport

if TYPE_CHECKING:  # the sandbox (and its TLS tooling) is imported only for a rehearsal
    from conversion_qa.plugin.rehearsal import Stage


@dataclass
class Services:
    run: Run
    http: HttpOptions
    recordings: Recordings
    stage: Stage | None = None  # the rehearsal's sandbox and DNS server
    # hosts that timed out or refused a connection in this run (this process: each xdist
    # worker keeps its own): later calls to them fail at once, citing the first failure
    hosts: DeadHosts = field(default_factory=DeadHosts)
    _session: requests.Session | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = make_session(self.http)
            return self._session

    def transport(self, case: Case, asking: str = "") -> Transport:
        """The way to the services for one test (`asking` names it in a dead host's failure)."""
        return self.recordings.transport(
            self.session(),
            self.http,
            case.biller.id,
            case.environment,
            live=case.live,
            hosts=self.hosts,
            asking=asking,
        )

    def close(self) -> list[str]:
        """Write what was recorded, stop the rehearsal; the lines to tell the user."""
        lines = [
            f"conversion-qa: recorded fixtures written to {path}"
            for path in self.recordings.write()
        ]
        if self.stage is not None:
            self.stage.stop()
        if self._session is not None:
            self._session.close()
        return lines


SERVICES = pytest.StashKey[Services]()


def start(run: Run, stage: Stage | None) -> Services:
    http = HttpOptions(
        connect_timeout=run.network.connect_timeout,
        read_timeout=run.network.read_timeout,
        call_deadline=run.network.call_deadline,
        max_answer_bytes=run.network.max_answer_bytes,
        ca_bundle=run.ca_bundle,
        resolve=run.network.resolve,
    )
    return Services(
        run=run,
        http=http,
        recordings=Recordings(run.fixtures_dir, run.record_fixtures),
        stage=stage,
    )


def services(config: pytest.Config) -> Services:
    return config.stash[SERVICES]
