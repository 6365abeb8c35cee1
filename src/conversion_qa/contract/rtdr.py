"""RTDR through the CIS Service (ASSUMED shape): ACCOUNTSUMMARIESBYACCOUNTIDS for test accounts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Assumption: RTDR is reached by POST at <CIS Service endpoint>/RTDR.
PATH = "/RTDR"
# Assumption: the Advanced Setting that points the portal at the CIS Service endpoint.
CIS_SETTING = "20"


def url(cis_endpoint: str) -> str:
    return cis_endpoint.rstrip("/") + PATH


def request_body(
    setting_131: Mapping[str, Any], operator_number: str, accounts: Sequence[str]
) -> dict[str, Any]:
    """Setting 131's JSON as sent, plus the operator number (setting 12) and the account ids."""
    return {**setting_131, "OperatorNumber": operator_number, "AccountIds": list(accounts)}


def request_type(setting_131: Mapping[str, Any]) -> str | None:
    inner = setting_131.get("SystemsAndSoftware")
    return inner.get("RTDRRequest") if isinstance(inner, dict) else None
