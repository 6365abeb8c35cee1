"""The one place that turns billers into test parameters, with ids a PM can read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from conversion_qa.config.model import Biller
from conversion_qa.rules.catalogue import Rule, Source
from conversion_qa.rules.items import items_of, not_applicable, not_checked_in


@dataclass(frozen=True)
class Case:
    """One test: a rule, on one biller's environment, for one item, offline or live."""

    rule: Rule
    biller: Biller
    environment: str
    item: str | None
    live: bool

    @property
    def reaches_network(self) -> bool:
        """Whether the test reads the portal or calls a service: a live test of a rule that
        does (a live variant of a plan rule still reads the file)."""
        return self.live and self.rule.live_source in (Source.PORTAL, Source.NETWORK)

    @property
    def id(self) -> str:
        parts = [self.biller.id, self.environment, self.item, "live" if self.live else None]
        return "-".join(p for p in parts if p)


def cases(
    rule: Rule, billers: Sequence[Biller], environments: Sequence[str], live_variants: bool
) -> list[object]:
    """Parameters for a rule's test function, sorted by biller, environment, item, mode."""
    params: list[object] = []
    for biller in billers:
        for environment in environments:
            skip = not_applicable(rule, biller) or not_checked_in(rule, environment)
            items = [None] if skip else items_of(rule.id, biller, biller.environment(environment))
            for item in items:
                for live in (False, True) if live_variants else (False,):
                    case = Case(rule, biller, environment, item, live)
                    marks: list[pytest.MarkDecorator] = [pytest.mark.live] if live else []
                    if skip:
                        marks.append(pytest.mark.skip(reason=skip))
                    params.append(pytest.param(case, marks=marks, id=case.id))
    return params


def case_of(item: pytest.Item) -> Case | None:
    """The case a collected test checks, or None for a test that is not a rule."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("case") if callspec is not None else None
    return case if isinstance(case, Case) else None
