"""The portal client: its Advanced Settings and Options as configured, its pages and iFrames."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from conversion_qa.clients.http import Caller, Exchange
from conversion_qa.clients.status import Service, status_error
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Environment, Iframe, SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import portal
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.contract.schemas import PORTAL_SETTINGS, schema_problem
from conversion_qa.errors import ConversionQAError, PortalError


def page(caller: Caller, portal_url: str, path: str) -> Exchange:
    return caller.send("GET", portal.page_url(portal_url, path))


def iframe(caller: Caller, portal_url: str, frame: Iframe) -> Exchange:
    """The iFrame's own document: at its path on the portal, or at its own host's URL."""
    return caller.send("GET", frame.url(portal_url))


class PortalConfiguration:
    """The portal's settings, read on first use, so a failure is the asking test's own failure.

    Read once: every later use gets the same answer, or the same error (the portal is not asked
    again), so one of these shared by a run's tests costs one call for all of them.
    """

    def __init__(self, caller: Caller, environment: Environment) -> None:
        self._caller = caller
        self._environment = environment
        self._lock = threading.Lock()
        self._read: tuple[dict[str, SettingValue | None], dict[str, bool]] | None = None
        self._error: ConversionQAError | None = None  # read once, even when it fails
        self.exchange: Exchange | None = None  # the read's request and answer, once answered

    @property
    def url(self) -> str:
        return portal.settings_url(self._environment.portal or "")

    @property
    def asked(self) -> bool:
        """Whether the portal was asked already (answered or not): reading it now sends nothing."""
        with self._lock:
            return self._read is not None or self._error is not None

    def read(self) -> tuple[dict[str, SettingValue | None], dict[str, bool]]:
        with self._lock:
            if self._error is not None:
                # the same error for each asker, without the frames of those that asked before
                raise self._error.with_traceback(None)
            if self._read is None:
                try:
                    self._read = self._fetch()
                except ConversionQAError as error:
                    self._error = error
                    raise
            return self._read

    def _fetch(self) -> tuple[dict[str, SettingValue | None], dict[str, bool]]:
        name = self._environment.name
        if not self._environment.portal:
            raise PortalError(
                f"no portal URL for {name}: the portal's settings cannot be read",
                expected="the portal's https URL",
                found="nothing",
                where=f"environments.{name}.portal",
                fix=f"write environments.{name}.portal in the biller file",
            )
        credentials = self._environment.credentials
        auth = (
            self._caller.value(credentials.get("username")),
            self._caller.value(credentials.get("password")),
        )
        exchange = self.exchange = self._caller.send("GET", self.url, auth=auth)
        where = f"GET {self.url}"
        expected = "HTTP 200 with the portal's Advanced Settings and Options"
        if exchange.status != 200:
            service = Service(
                name="The portal's configuration API",
                system="portal",
                owner="the portal's administrators",
                credentials=f"the portal credentials in environments.{name}.credentials",
            )
            raise status_error(exchange, service, expected, kind=PortalError)
        try:
            document: Any = exchange.json()
        except TooDeep as error:
            raise PortalError(
                f"{where} answered JSON {error}, deeper than any answer of the contract",
                expected=expected,
                found=f"HTTP 200 with JSON {error}",
                where=where,
                fix="compare the answer with docs/contract.md",
            ) from None
        except ValueError:
            raise PortalError(
                f"{where} did not answer JSON",
                expected=expected,
                found=f"HTTP 200 with a {exchange.content_type or 'body'} that is not JSON",
                where=where,
                fix="check the portal URL points at the portal (docs/contract.md)",
            ) from None
        problem = schema_problem(PORTAL_SETTINGS, document)
        if problem:
            raise PortalError(
                f"{where} answered an unexpected shape: {problem}",
                expected=f"{expected} (contract/schemas/{PORTAL_SETTINGS}.json)",
                found=problem,
                where=where,
                fix="compare the answer with docs/contract.md",
            )
        settings: dict[str, SettingValue | None] = {}
        for number, value in document[portal.SETTINGS_FIELD].items():
            settings[number] = _kept_secret(number, value, self._environment)
        return settings, dict(document[portal.OPTIONS_FIELD])


def _kept_secret(number: str, value: str | None, environment: Environment) -> SettingValue | None:
    """A setting the file keeps secret stays a Secret when read from the portal."""
    if value is not None and isinstance(environment.advanced_settings.get(number), Secret):
        variable = f"PORTAL_SETTING_{number}"
        return Secret(
            f"${{{variable}}}", f"the portal's Advanced Setting {number}", {variable: value}
        )
    return value


class _Lazy(Mapping[str, Any]):
    def __init__(
        self, configuration: PortalConfiguration, part: int, seen: list[Exchange] | None
    ) -> None:
        self._configuration = configuration
        self._part = part
        self._seen = seen

    def _data(self) -> Mapping[str, Any]:
        try:
            return self._configuration.read()[self._part]
        finally:  # read or failed: the read's exchange is evidence for the test that asked
            exchange = self._configuration.exchange
            seen = self._seen
            if seen is not None and exchange is not None and all(e is not exchange for e in seen):
                seen.append(exchange)

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


def configured(
    configuration: PortalConfiguration, seen: list[Exchange] | None = None
) -> Configured:
    """The portal's Advanced Settings and Options, as the configuration rules read them live
    (read on first use, through `configuration`: share one to read the portal once).

    `seen`: the asking test's exchanges; the read's exchange joins them when the test first
    uses the settings, so that the test's failure shows it as evidence, whoever made the call.
    """
    return Configured(
        settings=_Lazy(configuration, 0, seen),
        options=_Lazy(configuration, 1, seen),
        source="the portal",
        locate=lambda *field: configuration.url + (f" ({'.'.join(map(str, field))})" * bool(field)),
    )
