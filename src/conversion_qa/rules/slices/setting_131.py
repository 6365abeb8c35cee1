"""setting-131: Advanced Setting 131 asks RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS.

Its check: setting_131 in rules/settings.py.
"""

from __future__ import annotations

from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_setting

ID = "setting-131"

SLICE = Slice(
    Rule(
        id=ID,
        title="Advanced Setting 131 asks RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist='Procedure: set Advanced Setting 131 to {"SystemsAndSoftware": {"RTDRRequest": '
        '"ACCOUNTSUMMARIESBYACCOUNTIDS"}}',
        troubleshooting="Paste the expected value exactly; the checklist's own text drops a quote "
        "and adds '= ', so do not copy it from there.",
    ),
    reads=reads_setting("131"),
)
