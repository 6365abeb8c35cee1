"""Every rule of the suite as data: its stable id, where it comes from, what to do when it fails.

Each rule is written in its own module under rules/slices/ and registered in rules/registry.py;
this is the catalogue read from there, in order."""

from __future__ import annotations

from conversion_qa.rules.registry import SLICES
from conversion_qa.rules.rule import Applies, Kind, Rule, Source

__all__ = ["RULES", "Applies", "Kind", "Rule", "Source", "rule"]

RULES: tuple[Rule, ...] = tuple(s.rule for s in SLICES)

_BY_ID = {r.id: r for r in RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry for a rule id; KeyError names the known ids."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; known: {', '.join(_BY_ID)}") from None
