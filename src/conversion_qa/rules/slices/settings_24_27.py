"""settings-24-27: Advanced Settings 24-27 (CRM settings for PayConnect) are configured."""

from __future__ import annotations

from conversion_qa.config.configured import Configured
from conversion_qa.rules.drift import drift
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.findings import Finding, Subject, from_verdicts
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_item_setting
from conversion_qa.rules.values import is_blank, shown
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "settings-24-27"
SETTINGS = ("24", "25", "26", "27")


def setting_present(
    configured: Configured, number: str, agreed: Configured | None = None
) -> Problem | NotChecked | None:
    value = configured.setting(number)
    if not is_blank(value):
        return drift(configured, agreed, number)
    state = "missing" if value is None else "empty"
    return Problem(
        summary=f"Advanced Setting {number} is {state} in {configured.source}.",
        expected=f"Advanced Setting {number} set from the PayConnect details S&S sent",
        found=shown(value),
        where=configured.where_setting(number),
    )


def _evaluated(subject: Subject) -> list[Finding]:
    verdicts = [setting_present(subject.configured, n, subject.agreed) for n in SETTINGS]
    return from_verdicts(ID, verdicts, "Advanced Settings 24-27 are all set", subject)


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail settings-24-27 first."""
    # imported when the faults are read: the slice of token-login imports this one
    from conversion_qa.rules.slices import token_login

    return (
        Fault(
            "secret-drift",
            "the portal's Advanced Setting 26 (PayConnect's client secret) is not the value of "
            "the file's ${VAR}, so S&S refuses the login",
            (ID, token_login.ID),
            "Advanced Setting 26 has drifted: the portal's value differs from the file's "
            "${DEMO_PAYCONNECT_SECRET} (neither is shown)",
            replayable=False,
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Advanced Settings 24-27 (CRM settings for PayConnect) are configured",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.MULTI_USER,
        live_source=Source.PORTAL,
        checklist="Procedure + QA: configure Advanced Settings 24-27 for PayConnect",
        troubleshooting="Set the missing Advanced Setting from the PayConnect details S&S sent; "
        "without 24-27 S&S does not receive Token1/Token2.",
    ),
    items=lambda _b, _e: list(SETTINGS),
    reads=reads_item_setting(),
    evaluator=_evaluated,
    faults=_faults,
)
