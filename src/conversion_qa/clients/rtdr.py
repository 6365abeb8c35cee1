"""The RTDR client: ACCOUNTSUMMARIESBYACCOUNTIDS through the CIS Service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conversion_qa.clients.http import Caller, Exchange
from conversion_qa.contract import rtdr


def account_summaries(
    caller: Caller,
    cis_endpoint: str,
    setting_131: Mapping[str, Any],
    operator_number: str,
    accounts: Sequence[str],
) -> Exchange:
    body = rtdr.request_body(setting_131, operator_number, accounts)
    return caller.send("POST", rtdr.url(cis_endpoint), json_body=body)
