"""The one place that turns billers into test parameters, with ids a PM can read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from conversion_qa.config.model import Biller
from conversion_qa.rules.catalogue import Applies, Rule
from conversion_qa.rules.items import items_of


@dataclass(frozen=True)
class Case:
    """One test: a rule, on one biller's environment, for one item, offline or live."""

    rule: Rule
    biller: Biller
    environment: str
    item: str | None
    live: bool

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


def not_applicable(rule: Rule, biller: Biller) -> str | None:
    """Why the rule does not apply to the biller, or None when it does."""
    if rule.applies is Applies.MULTI_USER and not biller.multi_user:
        return f"{biller.id} is a single-user biller; {rule.id} applies to multi-user billers only"
    if rule.applies is Applies.CUSTOM_CODE and not biller.custom_code:
        return f"{biller.id} declares no custom code (custom_code: in its file)"
    if rule.applies is Applies.IFRAMES and not biller.capricorn_iframes:
        return f"{biller.id} declares no Capricorn iFrames (capricorn_iframes: in its file)"
    return None


def not_checked_in(rule: Rule, environment: str) -> str | None:
    """Why the rule does not check this environment, or None when it does."""
    if rule.environment is not None and environment != rule.environment:
        return (
            f"{rule.id} checks {rule.environment} only (after go-live, against the test portal): "
            f"run it with --env={rule.environment}"
        )
    return None


def case_of(item: pytest.Item) -> Case | None:
    """The case a collected test checks, or None for a test that is not a rule."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("case") if callspec is not None else None
    return case if isinstance(case, Case) else None
