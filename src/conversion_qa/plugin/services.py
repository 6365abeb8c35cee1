"""A run's resources: the one HTTP session, its recordings, the portal settings read in the
run, and the sandbox of a rehearsal. One per pytest process (per xdist worker)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
import requests

from conversion_qa.clients.http import HttpOptions, make_session
from conversion_qa.clients.portal import PortalConfiguration
from conversion_qa.config.model import Environment
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
    _session: requests.Session | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # (biller, environment) -> the portal's settings, read once for the run's tests
    _portal: dict[tuple[str, str], PortalConfiguration] = field(default_factory=dict)

    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = make_session(self.http)
            return self._session

    def transport(self, case: Case) -> Transport:
        return self.recordings.transport(
            self.session(), self.http, case.biller.id, case.environment, live=case.live
        )

    def portal_settings(self, case: Case, environment: Environment) -> PortalConfiguration:
        """The portal's settings of the case's biller and environment, shared by every test of
        the run that reads them: read on first use, once; a read that failed fails each asking
        test with the same error, without asking the portal again.

        Read through a transport of its own (recorded with --record-fixtures like any other
        answer), not the first asking test's: that test's evidence is its own calls.
        """
        key = (case.biller.id, case.environment)
        with self._lock:
            found = self._portal.get(key)
        if found is not None:
            return found
        created = PortalConfiguration(self.transport(case), environment)
        with self._lock:
            return self._portal.setdefault(key, created)

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
