"""sns-contacts, called directly, and the sns_contacts: part of the biller file as it loads."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.config import load_biller
from conversion_qa.config.model import Contact, SnsContacts
from conversion_qa.errors import BillerFileError
from conversion_qa.report import summary, summary_json
from conversion_qa.report.facts import RunFacts
from conversion_qa.report.results import Contact as Reachable
from conversion_qa.report.results import Mode
from conversion_qa.rules.slices.sns_contacts import sns_contacts
from selftests.helpers import DEMO, demo_data, write_biller
from selftests.unit.builders import Problem, demo

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
RUN = RunFacts("pm@laptop", NOW, NOW, "0.1.0", "abc123", "3.11.9", "8.3.0")
PM = Contact("Dana Whitfield", "dana.whitfield@sns.example.com", "+1 555 0142")
TECH = Contact("Ravi Menon", "ravi.menon@sns.example.com")


def judged(project_manager: Contact | None, technical: Contact | None) -> Problem | None:
    contacts = SnsContacts(project_manager, technical)
    return sns_contacts(dataclasses.replace(demo(), sns_contacts=contacts))


def test_the_demo_biller_names_both_contacts() -> None:
    assert demo().sns_contacts == SnsContacts(PM, TECH)
    assert sns_contacts(demo()) is None


@pytest.mark.parametrize(
    "technical",
    [Contact("Ravi Menon", email="r@sns.example.com"), Contact("Ravi Menon", phone="555 0100")],
    ids=["email-only", "phone-only"],
)
def test_an_e_mail_or_a_phone_is_enough(technical: Contact) -> None:
    assert judged(PM, technical) is None


def test_a_contact_without_e_mail_or_phone_names_the_fields_to_fill() -> None:
    problem = judged(PM, Contact("Ravi Menon", email=" ", phone=None))
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The biller file does not say how to reach S&S's technical contact, Ravi Menon."
    )
    assert problem.expected == (
        "S&S's project manager and technical contact, each with a name and an e-mail or phone"
    )
    assert problem.found == "nothing in sns_contacts.technical.email or .phone"
    assert problem.fix == (
        "ask S&S for them (the kickoff step of the checklist) and fill "
        "sns_contacts.technical.email or .phone"
    )
    assert problem.where == f"{DEMO}:66"


@pytest.mark.parametrize("name", [None, "", "  "], ids=["none", "empty", "blank"])
def test_a_contact_without_a_name_is_a_problem(name: str | None) -> None:
    problem = judged(Contact(name, email="pm@sns.example.com"), TECH)
    assert isinstance(problem, Problem)
    assert problem.summary == "The biller file does not name S&S's project manager."
    assert problem.found == "nothing in sns_contacts.project_manager.name"
    assert problem.where == f"{DEMO}:65"


def test_no_contacts_at_all_names_every_field_of_both() -> None:
    problem = judged(None, None)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The biller file does not name S&S's project manager and does not name S&S's "
        "technical contact."
    )
    assert problem.found == (
        "nothing in sns_contacts.project_manager.name and sns_contacts.project_manager.email "
        "or .phone; sns_contacts.technical.name and sns_contacts.technical.email or .phone"
    )


def test_a_file_without_sns_contacts_loads_and_fails_the_rule_at_the_file(
    tmp_path: Path,
) -> None:
    data = demo_data()
    del data["sns_contacts"]
    biller = load_biller(write_biller(tmp_path, data))
    assert biller.sns_contacts == SnsContacts()
    problem = sns_contacts(biller)
    assert isinstance(problem, Problem)
    assert problem.where == f"{tmp_path / 'demo.yaml'}:1"  # the file, as it has no such part


@pytest.mark.parametrize(
    ("contact", "field", "said"),
    [
        ({"name": "Ravi Menon", "email": "ravi.menon"}, "email", "jane.doe@example.com"),
        ({"name": "Ravi Menon", "phone": "call Ravi"}, "phone", '"+1 555 0100"'),
        ({"name": "Ravi Menon", "mail": "r@sns.example.com"}, "mail", "email"),
        ({"name": ["Ravi", "Menon"], "email": "r@sns.example.com"}, "name", "must be text"),
    ],
    ids=["bad-email", "bad-phone", "unknown-key", "name-not-text"],
)
def test_a_malformed_contact_stops_the_load_naming_the_field_and_line(
    tmp_path: Path, contact: dict[str, Any], field: str, said: str
) -> None:
    data = demo_data()
    data["sns_contacts"]["technical"] = contact
    with pytest.raises(BillerFileError) as error:
        load_biller(write_biller(tmp_path, data))
    assert error.value.field == f"sns_contacts.technical.{field}"
    assert error.value.line is not None
    assert said in str(error.value)


def test_every_contact_mistake_is_told_at_once(tmp_path: Path) -> None:
    data = demo_data()
    data["sns_contacts"] = {
        "project_manager": {"name": "Dana", "email": "dana"},
        "technical": {"name": "Ravi", "phone": "x"},
    }
    with pytest.raises(BillerFileError) as error:
        load_biller(write_biller(tmp_path, data))
    fields = [m.field for m in error.value.mistakes]
    assert fields == ["sns_contacts.project_manager.email", "sns_contacts.technical.phone"]


def contacts_in_summary(project_manager: Contact | None, technical: Contact | None) -> Any:
    biller = dataclasses.replace(demo(), sns_contacts=SnsContacts(project_manager, technical))
    built = summary.build(summary.BillerFacts.of(biller), "test", Mode.OFFLINE, RUN, [])
    assert summary_json.read(summary_json.as_json(built)) == built  # written and read back
    return built.contacts


def test_the_summary_carries_both_contacts_from_the_biller_file() -> None:
    assert contacts_in_summary(PM, TECH) == (
        Reachable("S&S project manager", "Dana Whitfield", PM.email, PM.phone),
        Reachable("S&S technical contact", "Ravi Menon", TECH.email, None),
    )


def test_the_summary_leaves_out_a_contact_with_no_name() -> None:
    unnamed = Contact("  ", email="pm@sns.example.com")
    assert contacts_in_summary(unnamed, None) == ()
