"""The RTDR client: ACCOUNTSUMMARIESBYACCOUNTIDS through the CIS Service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conversion_qa.clients.http import Exchange
from conversion_qa.clients.transport import Transport
from conversion_qa.contract import rtdr


def account_summaries(
    transport: Transport,
    cis_endpoint: str,
    setting_131: Mapping[str, Any],
    operator_number: str,
    accounts: Sequence[str],
) -> Exchange:
    body = rtdr.request_body(setting_131, operator_number, accounts)
    return transport.send("POST", rtdr.url(cis_endpoint), json_body=body)
