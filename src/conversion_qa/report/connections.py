"""Where a live run's connections went, and whether that makes it a rehearsal.

A live test carries the hosts it connected to and the addresses they answered from (the sockets'
own peers, clients/connections.py) as one JSON user property (`CONNECTIONS`), so they survive
xdist. A run that reached any host at an address that is not globally routable (loopback, private,
link-local, ...) did not reach the real systems as the public does: its folder is archived as a
rehearsal, each such host and address a reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from conversion_qa.clients.connections import Connection
from conversion_qa.rules.dns import address_category

CONNECTIONS = "connections"  # the user property of a live test: its connections, as JSON


def user_property(used: Sequence[Connection]) -> tuple[str, str]:
    """A test's connections as its user property."""
    value = json.dumps([{"host": c.host, "address": c.address} for c in used])
    return CONNECTIONS, value


def rehearsal_reasons(values: Iterable[object]) -> tuple[str, ...]:
    """Why a group's tests are a rehearsal by where they connected, one reason per host and
    address that is not public ((): every connection reached a public address, or none was
    made); values are the tests' CONNECTIONS properties."""
    found: set[tuple[str, str, str]] = set()
    for value in values:
        for entry in _decoded(str(value)):
            kind = _kind(entry["address"])
            if kind is not None:
                found.add((entry["host"], entry["address"], kind))
    return tuple(
        f"connected {host} at {address} ({kind}), not a public address"
        for host, address, kind in sorted(found)
    )


def _kind(address: str) -> str | None:
    try:
        return address_category(address)
    except ValueError:  # not an address at all: not one the public reaches
        return "not an IP address"


def _decoded(value: str) -> list[dict[str, str]]:
    """The property's entries; an unreadable one counts as a connection nowhere public."""
    if not value:
        return []
    try:
        entries = json.loads(value)
    except ValueError:
        entries = None
    if not isinstance(entries, list):
        return [{"host": "(unreadable record)", "address": "(unknown)"}]
    return [
        {"host": str(e.get("host", "")), "address": str(e.get("address", ""))}
        if isinstance(e, dict)
        else {"host": "(unreadable record)", "address": "(unknown)"}
        for e in entries
    ]
