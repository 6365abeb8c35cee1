"""Advanced Settings and Options as a rule reads them: from the file offline, the portal live."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from conversion_qa.config.model import Environment, SettingValue


@dataclass(frozen=True)
class Configured:
    settings: Mapping[str, SettingValue | None]
    options: Mapping[str, bool]
    source: str  # "the biller file" or "the portal", as a message says it
    locate: Callable[..., str]  # where a field was read: "billers/demo.yaml:21", a portal URL

    def where(self) -> str:
        """Where the settings were read: the biller file's environment, the portal's URL."""
        return self.locate()

    def setting(self, number: str) -> SettingValue | None:
        return self.settings.get(number)

    def where_setting(self, number: str = "") -> str:
        return self.locate("advanced_settings", *([number] if number else []))

    def where_option(self, number: str) -> str:
        return self.locate("options", number)


def from_file(environment: Environment, where: Callable[..., str]) -> Configured:
    """The settings the biller file says should be configured."""
    return Configured(
        settings=environment.advanced_settings,
        options=environment.options,
        source="the biller file",
        locate=lambda *field: where("environments", environment.name, *field),
    )
