"""sns-contacts: the biller file names S&S's project manager and technical contact, each with a
name and an e-mail or phone, so the weekend knows whom to call."""

from __future__ import annotations

from dataclasses import dataclass

from conversion_qa.config.model import Biller, Contact
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.verdict import Problem

ID = "sns-contacts"

ROLES = {"project_manager": "project manager", "technical": "technical contact"}


def sns_contacts(biller: Biller) -> Problem | None:
    """A problem naming every field still to fill, or None when both contacts are reachable."""
    contacts = biller.sns_contacts
    gaps = [
        gap
        for role, contact in (
            ("project_manager", contacts.project_manager),
            ("technical", contacts.technical),
        )
        if (gap := _gap(role, contact)) is not None
    ]
    if not gaps:
        return None
    fields = "; ".join(gap.fields for gap in gaps)
    return Problem(
        summary=f"The biller file {' and '.join(gap.said for gap in gaps)}.",
        expected="S&S's project manager and technical contact, each with a name and an e-mail "
        "or phone",
        found=f"nothing in {fields}",
        fix=f"ask S&S for them (the kickoff step of the checklist) and fill {fields}",
        where=biller.where("sns_contacts", gaps[0].role),
    )


@dataclass(frozen=True)
class _Gap:
    role: str
    said: str  # what the file does not say, as a sentence's predicate
    fields: str  # the fields to fill, as a PM writes them


def _gap(role: str, contact: Contact | None) -> _Gap | None:
    """What one contact lacks, or None when it has a name and an e-mail or phone."""
    at, title = f"sns_contacts.{role}", f"S&S's {ROLES[role]}"
    contact = contact or Contact()
    unnamed = _blank(contact.name)
    unreachable = _blank(contact.email) and _blank(contact.phone)
    fields = [f"{at}.name"] * unnamed + [f"{at}.email or .phone"] * unreachable
    if not fields:
        return None
    if unnamed:
        said = f"does not name {title}"
    else:
        said = f"does not say how to reach {title}, {contact.name}"
    return _Gap(role, said, " and ".join(fields))


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


SLICE = Slice(
    Rule(
        id=ID,
        title="S&S named its project manager and technical contact, each reachable",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: contact S&S to request PM and technical contacts",
        troubleshooting="Ask S&S for its project manager and technical contact for the "
        "conversion and write each under sns_contacts: with a name and an e-mail or phone.",
    ),
)
