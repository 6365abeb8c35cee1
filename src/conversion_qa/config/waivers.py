"""Accepted exceptions: a failure a waiver covers is reported as waived, with its justification."""

from __future__ import annotations

from datetime import date

from conversion_qa.config.model import Biller, Waiver


def waivers_for(biller: Biller, rule_id: str, item: str | None) -> list[Waiver]:
    """Waivers naming this rule, and this item when the waiver names one."""
    return [w for w in biller.waivers if w.rule == rule_id and w.item in (None, item)]


def active(waivers: list[Waiver], today: date) -> Waiver | None:
    return next((w for w in waivers if w.expires >= today), None)


def describe(waiver: Waiver) -> str:
    return f"waived until {waiver.expires}: {waiver.justification}"


def expired_note(waivers: list[Waiver], biller: Biller) -> str:
    lines = [
        f"A waiver for this ({biller.path}:{w.line}) expired on {w.expires} and no longer "
        "applies: fix the problem, or renew the waiver with a new expiry and justification."
        for w in waivers
    ]
    return "\n".join(lines)


def not_applicable_note(waivers: list[Waiver], biller: Biller) -> str:
    """Why the waivers of a rule do not apply to a test that could not be checked at all."""
    lines = [
        f'A waiver for this ({biller.path}:{w.line}, "{w.justification}", until {w.expires}) '
        "does not apply: it accepts the rule's verdict, and this time the rule could not be "
        "checked. It applies again once a run checks the rule."
        for w in waivers
    ]
    return "\n".join(lines)
