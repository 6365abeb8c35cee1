"""What each rule checks one by one: its items for a biller and an environment."""

from __future__ import annotations

from conversion_qa.config.model import Biller, Environment
from conversion_qa.rules.registry import SLICES
from conversion_qa.rules.rule import Applies, Rule
from conversion_qa.rules.slice import ItemsOf
from conversion_qa.rules.slices.tender_types import NO_TENDER_TYPES

__all__ = ["ITEMS", "NO_TENDER_TYPES", "items_of", "not_applicable", "not_checked_in"]

# A rule missing here checks its biller and environment as a whole: one test, no item.
ITEMS: dict[str, ItemsOf] = {s.id: s.items for s in SLICES if s.items is not None}


def items_of(rule_id: str, biller: Biller, environment: Environment) -> list[str | None]:
    """The rule's items, or [None] for a rule checked as a whole."""
    enumerate_items = ITEMS.get(rule_id)
    items: list[str | None] = list(enumerate_items(biller, environment)) if enumerate_items else []
    return items or [None]


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
