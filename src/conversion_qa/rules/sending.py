"""What the network rules send, read from the portal's Advanced Settings: the CIS Service URL
and the operator number; a URL that cannot be sent as it reads is never called."""

from __future__ import annotations

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Environment, SettingValue
from conversion_qa.contract import rtdr
from conversion_qa.rules.slices import endpoint_settings, operator_number
from conversion_qa.rules.urls import is_url, same_url, why_unsendable
from conversion_qa.rules.values import is_blank
from conversion_qa.rules.verdict import Blocked


def cis_endpoint(configured: Configured, environment: Environment, *, live: bool) -> str | Blocked:
    """The CIS Service URL as the Advanced Settings point at it: where production sends.

    Live, a wrong URL is called and fails as it would in production. Offline a recording can
    say nothing about a URL S&S did not provide, so the rule waits for endpoint-settings.
    """
    value = configured.setting(rtdr.CIS_SETTING)
    if not (isinstance(value, str) and is_url(value)):
        return Blocked(
            f"Advanced Setting {rtdr.CIS_SETTING} holds no CIS Service URL in "
            f"{configured.source}, so nothing can be called (see {endpoint_settings.ID})"
        )
    unsendable = unsendable_url(rtdr.CIS_SETTING, value, configured)
    if unsendable is not None:
        return unsendable
    if not live and not same_url(value, environment.endpoints.get("cis_service")):
        return Blocked(
            f"offline, RTDR and the data pump are replayed for the CIS Service endpoint S&S "
            f"provided only; Advanced Setting {rtdr.CIS_SETTING} is {value} (see "
            f"{endpoint_settings.ID}; a live run calls it)"
        )
    return value.strip()  # as endpoint-settings compares it


def unsendable_url(number: str, value: str, configured: Configured) -> Blocked | None:
    """A setting's URL that cannot be called as it reads (readers would take it to different
    hosts): never called; endpoint-settings fails it."""
    problem = why_unsendable(value)
    if problem is None:
        return None
    return Blocked(
        f"Advanced Setting {number} in {configured.source} {problem}, so nothing was sent to it "
        f"(see {endpoint_settings.ID})"
    )


def operator(configured: Configured) -> SettingValue | Blocked:
    """The operator number to send (Advanced Setting 12), or why there is none."""
    value = configured.setting("12")
    if value is None or is_blank(value):
        return Blocked(f"there is no operator number to send (see {operator_number.ID})")
    return value
