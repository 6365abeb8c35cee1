"""The portal client: its Advanced Settings and Options as configured, its pages and iFrames."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from conversion_qa.clients.http import Caller, Exchange
from conversion_qa.clients.status import Service, status_error
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Environment, SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.contract import portal
from conversion_qa.contract.schemas import PORTAL_SETTINGS, schema_problem
from conversion_qa.errors import ConversionQAError, PortalError


def page(caller: Caller, portal_url: str, path: str) -> Exchange:
    return caller.send("GET", portal.page_url(portal_url, path))


class PortalConfiguration:
    """The portal's settings, read on first use, so a failure is the asking test's own failure."""

    def __init__(self, caller: Caller, environment: Environment) -> None:
        self._caller = caller
        self._environment = environment
        self._lock = threading.Lock()
        self._read: tuple[dict[str, SettingValue | None], dict[str, bool]] | None = None
        self._error: ConversionQAError | None = None  # read once per test, even when it fails

    @property
    def url(self) -> str:
        return portal.settings_url(self._environment.portal or "")

    def read(self) -> tuple[dict[str, SettingValue | None], dict[str, bool]]:
        with self._lock:
            if self._error is not None:
                raise self._error
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
        exchange = self._caller.send("GET", self.url, auth=auth)
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
        for number, value in document["AdvancedSettings"].items():
            settings[number] = _kept_secret(number, value, self._environment)
        return settings, dict(document["Options"])


def _kept_secret(number: str, value: str | None, environment: Environment) -> SettingValue | None:
    """A setting the file keeps secret stays a Secret when read from the portal."""
    if value is not None and isinstance(environment.advanced_settings.get(number), Secret):
        variable = f"PORTAL_SETTING_{number}"
        return Secret(
            f"${{{variable}}}", f"the portal's Advanced Setting {number}", {variable: value}
        )
    return value


class _Lazy(Mapping[str, Any]):
    def __init__(self, configuration: PortalConfiguration, part: int) -> None:
        self._configuration = configuration
        self._part = part

    def _data(self) -> Mapping[str, Any]:
        return self._configuration.read()[self._part]

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


def configured(caller: Caller, environment: Environment) -> Configured:
    """The portal's Advanced Settings and Options, as the configuration rules read them live."""
    configuration = PortalConfiguration(caller, environment)
    return Configured(
        settings=_Lazy(configuration, 0),
        options=_Lazy(configuration, 1),
        source="the portal",
        locate=lambda *field: f"{configuration.url} ({'.'.join(str(f) for f in field)})",
    )
