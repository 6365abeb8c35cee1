"""The biller as the rules see it: frozen dataclasses built from a validated file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from conversion_qa.config.secrets import Secret
from conversion_qa.config.yaml_source import FieldPath

SettingValue = str | Secret

ENVIRONMENTS = ("test", "production")
ENDPOINT_NAMES = ("cis_service", "payconnect_service")


@dataclass(frozen=True)
class Itg:
    ticket: str | None
    submitted: date | None


@dataclass(frozen=True)
class MaintenanceWindow:
    batch_close: time | None
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Weekend:
    ic_it_manual_test: date | None
    sns_changes: date | None
    biller_testing: date | None


@dataclass(frozen=True)
class Conversion:
    id: str
    itg: Itg
    maintenance_window: MaintenanceWindow
    weekend: Weekend


@dataclass(frozen=True)
class TenderType:
    method: str
    code: str | None


@dataclass(frozen=True)
class Environment:
    """One environment (test or production) of the biller's portal and S&S endpoints."""

    name: str
    declared: bool
    portal: str | None = None
    endpoints: Mapping[str, str | None] = field(default_factory=dict)
    advanced_settings: Mapping[str, SettingValue | None] = field(default_factory=dict)
    options: Mapping[str, bool] = field(default_factory=dict)
    test_accounts: tuple[str, ...] = ()
    credentials: Mapping[str, Secret] = field(default_factory=dict)  # all secret, by rule


@dataclass(frozen=True)
class CustomCode:
    """One item of custom code: text the page shows (`expect`), or an element that shows
    (`selector`, CSS); exactly one of the two (the loader makes sure)."""

    id: str
    page: str
    expect: str | None = None
    selector: str | None = None

    @property
    def searched(self) -> str:
        """What the check looks for, as a message says it."""
        if self.selector is not None:
            return f"a visible element matching the CSS selector {self.selector}"
        return f"the visible text {self.expect!r}"


@dataclass(frozen=True)
class Iframe:
    name: str
    path: str  # its path on the portal (/Capricorn/BillView), or its own https URL
    max_seconds: float
    page: str | None = None  # the portal page that hosts it; None: the iFrame is opened alone

    @property
    def has_own_host(self) -> bool:
        """Whether the file gives the iFrame's full URL (a host of its own), not a portal path."""
        return not self.path.startswith("/")

    def url(self, portal: str) -> str:
        """The iFrame's full URL: the portal's URL and its path, or the URL the file gives."""
        if self.has_own_host:
            return self.path
        return portal.rstrip("/") + "/" + self.path.lstrip("/")


@dataclass(frozen=True)
class Contact:
    """One of S&S's people, as the biller file names them; any part may be missing yet."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SnsContacts:
    """Whom S&S named for the conversion (None: not named in the file yet)."""

    project_manager: Contact | None = None
    technical: Contact | None = None


@dataclass(frozen=True)
class Waiver:
    rule: str
    item: str | None
    justification: str
    expires: date
    line: int | None


@dataclass(frozen=True)
class Biller:
    """One biller file, validated."""

    id: str
    name: str
    multi_user: bool
    conversion: Conversion
    tender_types: tuple[TenderType, ...]
    environments: Mapping[str, Environment]
    custom_code: tuple[CustomCode, ...]
    capricorn_iframes: tuple[Iframe, ...]
    waivers: tuple[Waiver, ...]
    path: Path
    lines: Mapping[FieldPath, int] = field(repr=False, compare=False)
    sns_contacts: SnsContacts = field(default_factory=SnsContacts)

    def environment(self, name: str) -> Environment:
        return self.environments.get(name) or Environment(name=name, declared=False)

    def where(self, *field_path: str | int) -> str:
        """`billers/semco.yaml:31` for a field, or its nearest written ancestor."""
        at: FieldPath = tuple(field_path)
        while at not in self.lines and at:
            at = at[:-1]
        line = self.lines.get(at)
        return f"{self.path}:{line}" if line else str(self.path)
