"""One timeout per dead host per run: the hosts that timed out or refused a connection.

A run keeps one `DeadHosts` with its resources (plugin/services.py) and hands it to the
clients; each xdist worker has its own. Once a host has timed out (connecting, waiting for
the answer, or past the call deadline) or refused the connection, later calls to it fail at
once, citing that first failure. A host that answered, even with an error status, is not in it.

A host is known by its target (scheme, host and port, as the HTTP client connects): a portal
that refuses http:// on port 80 may well answer https:// on 443.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from conversion_qa.errors import Unanswered
from conversion_qa.target import Target


@dataclass(frozen=True)
class FirstFailure:
    """The call that found the host dead: when, in which test, and what happened."""

    target: Target
    when: datetime
    asking: str  # the test that made the call ("" outside a test)
    what: str  # the call's own failure: "POST https://…: no answer within 15 s (--read-timeout)…"

    def cited(self) -> str:
        test = f" in {self.asking}" if self.asking else ""
        return f"at {self.when:%H:%M:%S} UTC{test}: {self.what}"


class DeadHosts:
    """The run's hosts that timed out or refused a connection, each with its first failure."""

    def __init__(self) -> None:
        self._down: dict[Target, FirstFailure] = {}
        self._lock = threading.Lock()

    def remember(self, target: Target, asking: str, what: str) -> None:
        """The target did not answer; the first failure is the one cited."""
        with self._lock:
            self._down.setdefault(target, FirstFailure(target, datetime.now(UTC), asking, what))

    def first_failure(self, target: Target) -> FirstFailure | None:
        with self._lock:
            return self._down.get(target)

    def check(self, method: str, url: str, target: Target) -> None:
        """Raise, without sending anything, when url's target is known dead in this run."""
        first = self.first_failure(target)
        if first is None:
            return
        host = first.target.authority
        raise Unanswered(
            f"{method} {url} was not sent: {host} did not answer earlier in this run",
            url=url,
            expected=f"an answer from {host}",
            found=f"{host} did not answer {first.cited()}",
            where=f"{method} {url}",
            fix="a host that timed out or refused a connection is asked once per run, so that "
            "a dead host costs one timeout, not one per test: fix that first failure (is the "
            "host up and reachable from here?), then run again",
        )

    def __len__(self) -> int:
        with self._lock:
            return len(self._down)
