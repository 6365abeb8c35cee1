"""option-127: Option 127 (sync registered accounts) is enabled."""

from __future__ import annotations

from conversion_qa.config.configured import Configured
from conversion_qa.rules.drift import option_drift
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.verdict import Problem

ID = "option-127"


def option_127(configured: Configured, agreed: Configured | None = None) -> Problem | None:
    enabled = configured.options.get("127")
    if enabled is True:
        return option_drift(configured, agreed, "127")
    found = "not set" if enabled is None else "disabled (false)"
    return Problem(
        summary=f"Option 127 (sync registered accounts) is {found} in {configured.source}.",
        expected='options: {"127": true}',
        found=found,
        where=configured.where_option("127"),
    )


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail option-127 first."""
    return (
        Fault(
            "setting-drift",
            "the portal's Option 127 is disabled although the file enables it",
            (ID,),
            "Option 127 (sync registered accounts) is disabled (false) in the portal",
            replayable=False,
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Option 127 (sync registered accounts) is enabled",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.MULTI_USER,
        live_source=Source.PORTAL,
        checklist="Procedure: enable Option 127 to sync registered accounts",
        troubleshooting="Enable Option 127 in the portal's options so registered accounts sync "
        "through PayConnect.",
    ),
    reads=lambda _item: ([], ["127"]),
    faults=_faults,
)
