"""The data pump client: one payment, paperless or autopay transmission through the CIS Service."""

from __future__ import annotations

from typing import Any

from conversion_qa.clients.http import Caller, Exchange
from conversion_qa.contract import datapump


def transmit(caller: Caller, cis_endpoint: str, kind: str, record: dict[str, Any]) -> Exchange:
    return caller.send(
        "POST", datapump.url(cis_endpoint, kind), json_body=record, write=datapump.IS_WRITE
    )
