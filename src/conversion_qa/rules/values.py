"""A setting's value as the configuration rules judge and show it: secrets stay redacted."""

from __future__ import annotations

from conversion_qa.config.model import SettingValue
from conversion_qa.config.secrets import Secret


def shown(value: SettingValue | None) -> str:
    """A setting's value as a message may show it: secrets stay redacted."""
    if value is None:
        return "nothing"
    return str(value) if isinstance(value, Secret) else repr(value)


def is_blank(value: SettingValue | None) -> bool:
    if value is None:
        return True
    if isinstance(value, Secret):
        # an unset variable is a secret kept outside the file: provided, checked where it is used
        return value.is_set and not value.reveal().strip()
    return not value.strip()
