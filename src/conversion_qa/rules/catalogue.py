"""Every rule of the suite as data: its stable id, where it comes from, what to do when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    CONFIG = "config"
    DNS = "dns"
    NETWORK = "network"


class Applies(Enum):
    ALL = "all billers"
    MULTI_USER = "multi-user billers"
    CUSTOM_CODE = "billers with custom code"
    IFRAMES = "billers with Capricorn iFrames"


class Source(Enum):
    """What a configuration rule reads in a live run."""

    PLAN = "the biller file (the conversion plan has no live counterpart)"
    PORTAL = "the portal's advanced settings and options, as configured"
    NETWORK = "the real systems"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    impact: str  # critical: the weekend fails; high: a service fails; medium: a risk to follow up
    kind: Kind
    applies: Applies
    live_source: Source
    checklist: str  # the line of the team's checklist the rule comes from
    troubleshooting: str
    see_also: tuple[str, ...] = ()  # rules whose results explain this one's failure
    environment: str | None = None  # the one environment it checks (None: each environment)


RULES: tuple[Rule, ...] = (
    Rule(
        id="endpoints-received",
        title="S&S provided the CIS Service and PayConnect Service endpoints",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: request CIS Service and PayConnect Service endpoints",
        troubleshooting="Ask the S&S technical contact for the missing endpoint and write it under "
        "environments.<env>.endpoints as an https:// URL.",
    ),
    Rule(
        id="tender-types",
        title="Every payment method has an S&S payment code (tender type)",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: request payment codes (tender types)",
        troubleshooting="Ask S&S for the tender type of each payment method the biller accepts; "
        "each code must be used by one method only.",
    ),
    Rule(
        id="sns-contacts",
        title="S&S named its project manager and technical contact, each reachable",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: contact S&S to request PM and technical contacts",
        troubleshooting="Ask S&S for its project manager and technical contact for the "
        "conversion and write each under sns_contacts: with a name and an e-mail or phone.",
    ),
    Rule(
        id="test-portal-lead-time",
        title="The ITG for the test portal went in 30+ days before the window",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, test portal: setup takes 30+ days; submit ITG once endpoints are "
        "received",
        troubleshooting="Submit the ITG for the test portal now and record its ticket and date; if "
        "the window is under 30 days away, agree a new window with S&S and the biller.",
    ),
    Rule(
        id="settings-24-27",
        title="Advanced Settings 24-27 (CRM settings for PayConnect) are configured",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.MULTI_USER,
        live_source=Source.PORTAL,
        checklist="Procedure + QA: configure Advanced Settings 24-27 for PayConnect",
        troubleshooting="Set the missing Advanced Setting from the PayConnect details S&S sent; "
        "without 24-27 S&S does not receive Token1/Token2.",
    ),
    Rule(
        id="option-127",
        title="Option 127 (sync registered accounts) is enabled",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.MULTI_USER,
        live_source=Source.PORTAL,
        checklist="Procedure: enable Option 127 to sync registered accounts",
        troubleshooting="Enable Option 127 in the portal's options so registered accounts sync "
        "through PayConnect.",
    ),
    Rule(
        id="setting-131",
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
    Rule(
        id="operator-number",
        title="Advanced Setting 12 holds the operator number",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="QA: if RTDR or data pump errors occur, check the operator number in Advanced "
        "Setting 12",
        troubleshooting="Ask S&S for the operator number and write it in Advanced Setting 12, in "
        "quotes so leading zeros survive.",
    ),
    Rule(
        id="endpoint-settings",
        title="The endpoint URLs in the Advanced Settings are the ones S&S provided",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="QA: if RTDR or data pump errors occur, check the endpoint URLs in Advanced "
        "Settings",
        troubleshooting="Make every URL in the Advanced Settings one of the endpoints S&S provided "
        "for this environment, and reference each S&S endpoint the biller uses from a setting "
        "(PayConnect from settings 24-27: multi-user billers only).",
    ),
    Rule(
        id="production-matches-test",
        title="Production's portal is configured as the test portal that was tested",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="Post-Go Live Validation: production's Advanced Settings and Options as on the "
        "test portal the biller signed off (endpoints each environment's own)",
        troubleshooting="Set production as the test portal was when the biller signed it off; "
        "if a change was meant, re-test it on the test portal first, then update the biller file.",
        environment="production",
    ),
    Rule(
        id="maintenance-window",
        title="The maintenance window begins at batch close on a Thursday",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure: schedule the maintenance window to begin at batch close on Thursday",
        troubleshooting="Move the window's start to the biller's batch close time on a Thursday "
        "and confirm it with S&S and the biller.",
    ),
    Rule(
        id="conversion-weekend",
        title="Each step of the conversion weekend falls on its days, inside the window",
        impact="medium",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure: IC IT changes and manual test Friday; S&S changes Friday or "
        "Saturday; biller testing Saturday or Sunday",
        troubleshooting="Re-plan the step on its days of the weekend that follows the window's "
        "Thursday start.",
    ),
    Rule(
        id="public-dns",
        title="Every endpoint URL has a public DNS record with a public address",
        impact="critical",
        kind=Kind.DNS,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="Procedure + QA: verify that S&S has created a public DNS record for all "
        "endpoint URLs",
        troubleshooting="Ask S&S to create (or correct) the public DNS record for the host, "
        "pointing at a public address.",
    ),
    Rule(
        id="rtdr",
        title="RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="QA: confirm RTDR is functioning post-upgrade; run a manual test",
        troubleshooting="Check the endpoint URLs in the Advanced Settings, the operator number in "
        "Advanced Setting 12 and the public DNS record of the endpoint.",
        see_also=("endpoint-settings", "operator-number", "public-dns"),
    ),
    Rule(
        id="data-pump",
        title="The data pump acknowledges payment, paperless and autopay transmissions",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="QA: confirm the data pump is functioning post-upgrade; run a manual test",
        troubleshooting="Check the endpoint URLs in the Advanced Settings, the operator number in "
        "Advanced Setting 12 and the public DNS record of the endpoint.",
        see_also=("endpoint-settings", "operator-number", "public-dns"),
    ),
    Rule(
        id="token-login",
        title="Token login works: S&S receives Token1 and Token2",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.MULTI_USER,
        live_source=Source.NETWORK,
        checklist="QA: validate token-based login for multi-user billers; post-go-live: confirm "
        "Token1/Token2 are returned correctly to S&S",
        troubleshooting="If S&S does not receive Token1/Token2, verify Advanced Settings 24-27 "
        "and retest.",
        see_also=("settings-24-27",),
    ),
    Rule(
        id="custom-code",
        title="No custom code is missing from the test portal",
        impact="high",
        kind=Kind.NETWORK,
        applies=Applies.CUSTOM_CODE,
        live_source=Source.NETWORK,
        checklist="QA: ensure no custom code is missing from the test portal",
        troubleshooting="Ask IC IT to deploy the biller's custom code to this portal.",
    ),
    Rule(
        id="iframe-lag",
        title="Capricorn iFrames load within their limit",
        impact="medium",
        kind=Kind.NETWORK,
        applies=Applies.IFRAMES,
        live_source=Source.NETWORK,
        checklist="Test portal + post-go-live: monitor for lag in Capricorn iFrames (expected in "
        "test, not in production)",
        troubleshooting="In test a slow iFrame is normal; in production raise it with IC IT.",
    ),
    Rule(
        id="endpoint-tls",
        title="Every https endpoint presents a certificate that holds",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="Beyond the checklist: a certificate that fails breaks a weekend just as surely "
        "as a missing DNS record",
        troubleshooting="Ask S&S to install a certificate for the host name, issued by a public CA "
        "with its full chain, and to renew it before it expires.",
    ),
)

_BY_ID = {r.id: r for r in RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry for a rule id; KeyError names the known ids."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; known: {', '.join(_BY_ID)}") from None
