"""A rule as one slice: its catalogue entry and the parts of it other modules used to keep in
registries of their own (its items, the portal settings it reads, its troubleshooting result,
its sandbox faults)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conversion_qa.config.model import Biller, Environment
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.findings import Evaluator
from conversion_qa.rules.rule import Rule

ItemsOf = Callable[[Biller, Environment], list[str]]
# The Advanced Settings and Options a rule's test (and item) reads from the portal, by number:
# a live run compares each with the biller file (drift).
Reads = Callable[[str | None], tuple[list[str], list[str]]]
# The sandbox faults a rule is the first to fail: a function, called once every slice is loaded,
# since a fault names each rule it fails and those rules' slices may import this one (see_also).
Faults = Callable[[], tuple[Fault, ...]]


def no_faults() -> tuple[Fault, ...]:
    """The faults of a rule no sandbox scenario fails first."""
    return ()


@dataclass(frozen=True)
class Slice:
    """One rule, whole; registered once, in rules/registry.py."""

    rule: Rule
    items: ItemsOf | None = None  # None: one test checks the biller and environment as a whole
    reads: Reads | None = None  # None: it reads no portal setting
    evaluator: Evaluator | None = None  # its result when another rule's failure asks for it
    # the recordings (under fixtures/<biller>/) an offline run replays for it: http.yaml and
    # browser.yaml are per environment ("{environment}.http.yaml"); none for a configuration rule
    replays: tuple[str, ...] = ()
    faults: Faults = no_faults  # served by sandbox/server.py, listed by sandbox/scenarios.py

    @property
    def id(self) -> str:
        return self.rule.id


HTTP = "{environment}.http.yaml"
BROWSER = "{environment}.browser.yaml"
DNS = "dns.yaml"
TLS = "tls.yaml"


def reads_setting(number: str) -> Reads:
    """The reads of a rule that reads one Advanced Setting."""
    return lambda _item: ([number], [])


def reads_item_setting(prefix: str = "") -> Reads:
    """The reads of a rule whose items are settings (named `prefix` + number)."""
    return lambda item: (
        ([item.removeprefix(prefix)], []) if item and item.startswith(prefix) else ([], [])
    )
