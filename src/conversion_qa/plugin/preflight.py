"""Before the first live test, once per run (on the xdist controller): the secrets the run needs,
all named at once, then whether anything answers at all.

- Every `${VAR}` the selected billers and environments need that is not set stops the run before
  anything is sent (a usage error, exit status 4), each named with how to set it in bash and in
  PowerShell, instead of one test at a time asking for one variable a run.
- One bounded probe: each nameserver the run asks and each host of the selected environments,
  in parallel, within the connect timeout. When nothing answers at all, the run's network rules
  are not checked with one sentence (offline, or off the VPN?) instead of a failure each.
"""

from __future__ import annotations

import functools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from conversion_qa.clients import dns as dns_client
from conversion_qa.clients import tls as tls_client
from conversion_qa.config.model import Biller
from conversion_qa.config.secrets import Secret
from conversion_qa.plugin.run import Run
from conversion_qa.rules.hosts import split_endpoint, tls_endpoints
from conversion_qa.rules.verdict import NotChecked

# secrets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unset:
    """A variable a `${VAR}` of a biller file refers to, not set, and where the first use is."""

    variable: str
    where: str  # "billers/semco.yaml:37 environments.test.credentials.username"


def read_environments(environments: Sequence[str]) -> tuple[str, ...]:
    """The environments a run reads: the selected ones, and in a production run the test
    portal too (production-matches-test compares production with it)."""
    extra = ("test",) if "production" in environments else ()
    return tuple(dict.fromkeys((*environments, *extra)))


def unset_secrets(billers: Sequence[Biller], environments: Sequence[str]) -> list[Unset]:
    """Each variable that the billers' environments refer to and that is not set, once."""
    found: dict[str, Unset] = {}
    for biller in billers:
        for name in read_environments(environments):
            environment = biller.environment(name)
            values = [*environment.advanced_settings.values(), *environment.credentials.values()]
            for value in values:
                if isinstance(value, Secret):
                    for variable in value.missing:
                        found.setdefault(variable, Unset(variable, value.where))
    return list(found.values())


def unset_message(unset: Sequence[Unset]) -> str:
    """The usage error naming every unset variable, where it is used and how to set it."""
    width = max(len(u.variable) for u in unset)
    count = f"{len(unset)} environment variables" if len(unset) > 1 else "an environment variable"
    lines = [
        f"this live run needs {count} that {'are' if len(unset) > 1 else 'is'} not set; "
        "nothing was sent:",
        *(f"  {u.variable.ljust(width)}  {u.where}" for u in unset),
        "Set them in this shell, then run again. In bash or zsh (macOS, Linux):",
        *(f"  export {u.variable}='...'" for u in unset),
        "In PowerShell (Windows):",
        *(f'  $env:{u.variable} = "..."' for u in unset),
    ]
    return "\n".join(lines)


def require_secrets(billers: Sequence[Biller], environments: Sequence[str]) -> None:
    """Stop the run (pytest.UsageError, exit status 4) when a secret it needs is not set."""
    unset = unset_secrets(billers, environments)
    if unset:
        raise pytest.UsageError(unset_message(unset))


# reachability ----------------------------------------------------------------------------------

NOTHING_ANSWERED = "nothing answered"


@dataclass(frozen=True)
class Reachability:
    """What the probe found: whether nothing answered at all, and the sentence that says so."""

    nothing_answered: bool
    sentence: str = ""

    def not_checked(self) -> NotChecked:
        """Why each network rule's test of the run is not checked, when nothing answered."""
        return NotChecked(
            reason=f"{NOTHING_ANSWERED}: offline, or off the VPN?",
            detail=self.sentence,
            fix="connect this machine to the network (and to the VPN, if the biller's services "
            "need it), then run again; nothing was sent",
        )

    def as_input(self) -> dict[str, Any]:
        """As an xdist worker receives it (workerinput holds plain values)."""
        return {"nothing_answered": self.nothing_answered, "sentence": self.sentence}

    @classmethod
    def from_input(cls, given: dict[str, Any]) -> Reachability:
        return cls(bool(given["nothing_answered"]), str(given["sentence"]))


REACHABILITY = pytest.StashKey[Reachability]()
WORKER_INPUT = "conversion_qa_reachability"


@dataclass(frozen=True)
class _Probe:
    group: str  # "no nameserver", "no host of semco's test environment"
    target: str  # "1.1.1.1:53", "enquesta-test.semco.example.com"
    answers: Callable[[], bool]


def probe(run: Run) -> Reachability:
    """Ask each nameserver once and connect to each host of the run's environments, all at
    once, within the connect timeout in all; whether any of them answered."""
    timeout = run.network.connect_timeout
    probes = [
        _Probe("no nameserver", str(ns), functools.partial(dns_client.answers_at_all, ns, timeout))
        for ns in run.dns_tls.nameservers
    ]
    for biller in run.billers:
        for name in run.environments:
            group = f"no host of {biller.id}'s {name} environment"
            for endpoint in tls_endpoints(biller, biller.environment(name)):
                host, port = split_endpoint(endpoint)
                connects = functools.partial(_connects, run, host, port, timeout)
                probes.append(_Probe(group, endpoint, connects))
    if not probes or any(within([p.answers for p in probes], timeout)):
        return Reachability(nothing_answered=False)
    groups: dict[str, list[str]] = {}
    for found in probes:
        groups.setdefault(found.group, []).append(found.target)
    said = ", ".join(f"{group} ({', '.join(targets)})" for group, targets in groups.items())
    return Reachability(
        nothing_answered=True,
        sentence=f"{NOTHING_ANSWERED} within {timeout:g} s (--connect-timeout): {said}; are you "
        "offline or off the VPN?",
    )


def _connects(run: Run, host: str, port: int, timeout: float) -> bool:
    """Whether a connection to host:port is made (where the run's HTTP clients would connect)."""
    connect_to = run.network.resolve.get((host.lower(), port))
    facts = tls_client.handshake(
        host, port, timeout=timeout, ca_bundle=run.ca_bundle, connect_to=connect_to
    )
    return facts.status is not tls_client.TlsStatus.CONNECT_FAILED


def within(checks: Sequence[Callable[[], bool]], seconds: float) -> list[bool]:
    """Run the checks in parallel, each on a thread of its own; what each said by the time
    `seconds` have passed (False for one still waiting: a look-up the system resolver holds,
    say). The threads are daemons, so one still waiting never holds the run."""
    answers: queue.Queue[tuple[int, bool]] = queue.Queue()

    def run(index: int, check: Callable[[], bool]) -> None:
        try:
            answers.put((index, check()))
        except Exception:  # a probe that breaks did not answer
            answers.put((index, False))

    for index, check in enumerate(checks):
        threading.Thread(target=run, args=(index, check), daemon=True).start()
    said = [False] * len(checks)
    deadline = time.monotonic() + seconds
    for _ in checks:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            index, answered = answers.get(timeout=left)
        except queue.Empty:
            break
        said[index] = answered
        if answered:
            break  # one answer is enough: something is reachable
    return said
