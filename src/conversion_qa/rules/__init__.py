"""The rule catalogue and the checks behind each rule id."""

from conversion_qa.rules.catalogue import RULES, Rule, rule

__all__ = ["RULES", "Rule", "rule"]
