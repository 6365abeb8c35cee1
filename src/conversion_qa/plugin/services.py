"""A run's resources: the one HTTP session, the one browser (with a signed-in context per biller
and environment), its recordings, the portal settings read in the run, and the sandbox of a
rehearsal. One per pytest process (per xdist worker)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from conversion_qa.clients import browser
from conversion_qa.clients.chromium import RunningChromium
from conversion_qa.clients.hosts import DeadHosts
from conversion_qa.clients.http import HttpOptions, make_session
from conversion_qa.clients.portal import PortalConfiguration
from conversion_qa.clients.writes import WriteTargets
from conversion_qa.config.loader import available_billers, load_biller
from conversion_qa.config.model import Environment
from conversion_qa.config.secrets import Secret
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin.run import Run, browser_deadline
from conversion_qa.plugin.targets import Case
from conversion_qa.recordings import PortalViews, Recordings, Transport
from conversion_qa.target import targets_of

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
    _production_hosts: frozenset[str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # (biller, environment) -> the portal's settings, read once for the run's tests
    _portal: dict[tuple[str, str, bool], PortalConfiguration] = field(default_factory=dict)
    # a running Chromium lent by the process that runs the suite (see hookspecs), if any
    lend: Callable[[Path], RunningChromium | None] = lambda executable: None
    _browser: browser.Browser | None = None  # one per process (per xdist worker), on first use
    _portals: dict[tuple[str, str], browser.PortalSession] = field(default_factory=dict)

    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = make_session(self.http)
            return self._session

    def transport(self, case: Case, environment: str | None = None, asking: str = "") -> Transport:
        """The way to the case's environment's services (or another environment's) for one
        test (`asking` names it in a dead host's failure)."""
        name = environment or case.environment
        return self.recordings.transport(
            self.session(),
            self.http,
            case.biller.id,
            name,
            live=case.live,
            writes=self.write_targets(case, name) if case.live else None,
            secret_settings=secret_settings(case.biller.environment(name)),
            hosts=self.hosts,
            asking=asking,
        )

    def portal_views(self, case: Case, transport: Transport) -> PortalViews | None:
        """The portal as a browser shows it: live through the run's browser, signed in (and
        recorded if asked), offline from the recording; None with --no-browser."""
        if not self.run.browser.use:
            return None
        if not case.live:
            return self.recordings.portal_views(case.biller.id, case.environment, None)
        return self.recordings.portal_views(
            case.biller.id, case.environment, lambda: self.portal_session(case, transport)
        )

    def portal_session(self, case: Case, transport: Transport) -> browser.PortalSession:
        """The biller environment's signed-in browser context, one per run (and worker)."""
        environment = case.biller.environment(case.environment)

        def credentials() -> tuple[str, str]:  # revealed when the session signs in, not before
            given = environment.credentials
            return transport.value(given.get("username")), transport.value(given.get("password"))

        with self._lock:
            key = (case.biller.id, case.environment)
            session = self._portals.get(key)
            if session is None:
                site = environment.portal or ""
                frames = [f.url(site) for f in case.biller.capricorn_iframes]
                session = self._started_browser().session(site, credentials, frames)
                self._portals[key] = session
            return session

    def _started_browser(self) -> browser.Browser:
        if self._browser is None:
            executable = browser.find_browser(self.run.browser.path)
            if executable is None:
                raise browser.missing_browser(self.run.browser.path)
            self._browser = browser.Browser(
                browser.BrowserOptions(
                    executable=executable,
                    deadline=browser_deadline(self.run.network),
                    connect_timeout=self.run.network.connect_timeout,
                    ca_bundle=self.run.ca_bundle,
                    resolve=self.run.network.resolve,
                ),
                lend=self.lend,
            )
        return self._browser

    def write_targets(self, case: Case, name: str) -> WriteTargets:
        environment = case.biller.environment(name)
        return WriteTargets(
            environment=name,
            own=targets_of(environment.endpoints.values()),
            production_hosts=self.production_hosts(),
            allow_production=self.run.network.allow_production_writes,
        )

    def production_hosts(self) -> frozenset[str]:
        """The production endpoint and portal hosts of every biller file in the folder (a file
        that cannot be read names none), read once, on the run's first live write check."""
        with self._lock:
            if self._production_hosts is None:
                billers = {biller.id: biller for biller in self.run.billers}
                folder = self.run.selection.biller_dir
                for name in available_billers(folder):
                    if name not in billers:
                        try:
                            billers[name] = load_biller(folder / f"{name}.yaml")
                        except ConversionQAError:
                            continue
                self._production_hosts = frozenset(
                    target.host
                    for biller in billers.values()
                    for target in targets_of(_urls(biller.environment("production")))
                )
            return self._production_hosts

    def portal_settings(self, case: Case, name: str) -> PortalConfiguration:
        """The portal's settings of the case's biller and environment, shared by every test of
        the run that reads them: read on first use, once; a read that failed fails each asking
        test with the same error, without asking the portal again.

        Read through a transport of its own (recorded with --record-fixtures like any other
        answer), not the first asking test's: that test's evidence is its own calls.
        """
        key = (case.biller.id, name, case.live)  # a replay is never a live read
        with self._lock:
            found = self._portal.get(key)
        if found is not None:
            return found
        created = PortalConfiguration(self.transport(case, name), case.biller.environment(name))
        with self._lock:
            return self._portal.setdefault(key, created)

    def close(self) -> list[str]:
        """Write what was recorded, stop the rehearsal; the lines to tell the user."""
        lines = [
            f"conversion-qa: recorded fixtures written to {path}"
            for path in self.recordings.write()
        ]
        for session in self._portals.values():
            session.close()
        if self._browser is not None:
            self._browser.close()
        if self.stage is not None:
            self.stage.stop()
        if self._session is not None:
            self._session.close()
        return lines


def secret_settings(environment: Environment) -> frozenset[str]:
    """The Advanced Settings the biller file keeps as `${VAR}`: never recorded, whatever value."""
    values = environment.advanced_settings.items()
    return frozenset(number for number, value in values if isinstance(value, Secret))


def _urls(environment: Environment) -> list[str]:
    return [url for url in (environment.portal, *environment.endpoints.values()) if url]


SERVICES = pytest.StashKey[Services]()


def start(
    run: Run, stage: Stage | None, lend: Callable[[Path], RunningChromium | None]
) -> Services:
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
        lend=lend,
    )


def services(config: pytest.Config) -> Services:
    return config.stash[SERVICES]
