"""data-pump: The data pump acknowledges payment, paperless and autopay transmissions.

data_pump_transmission decides what to send, `gathering` sends it (live or replayed) and
data_pump_acknowledged judges the answer; plugin/network_rules.py runs the three in turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversion_qa.clients.http import Exchange
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment, SettingValue
from conversion_qa.contract import datapump
from conversion_qa.contract.datapump import KINDS
from conversion_qa.contract.schemas import DATAPUMP_ACK
from conversion_qa.rules import answers, sending
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import HTTP, Slice
from conversion_qa.rules.slices import endpoint_settings, operator_number, public_dns, tender_types
from conversion_qa.rules.verdict import Blocked, Problem

ID = "data-pump"


def tender_code(biller: Biller, kind: str) -> str | None:
    """The code of the kind's payment method; the first code when the biller has no such method."""
    method = datapump.tender_method(kind)
    declared = {t.method: t.code for t in biller.tender_types}
    if method in declared:
        code = declared[method]  # None (or blank) when the method has no code: see tender-types
        return code if code and code.strip() else None
    return next((t.code for t in biller.tender_types if t.code and t.code.strip()), None)


@dataclass(frozen=True)
class Transmission:
    """One data pump transmission to send: where, of what kind, for which account; the
    operator number stays a secret until it is sent."""

    cis: str
    kind: str
    operator: SettingValue
    account: str
    code: str | None
    transmission_id: str


def data_pump_transmission(
    biller: Biller, environment: Environment, configured: Configured, kind: str, *, live: bool
) -> Transmission | Problem | Blocked:
    """The transmission of this kind to send for a test account, or why none can be sent."""
    cis = sending.cis_endpoint(configured, environment, live=live)
    if isinstance(cis, Blocked):
        return cis
    operator = sending.operator(configured)
    if isinstance(operator, Blocked):
        return operator
    if not environment.test_accounts:
        return Problem(
            summary=f"No test account for {environment.name}: the data pump is only ever "
            "tested with "
            "the biller's test accounts.",
            expected="at least one test account",
            found="none",
            where=biller.where("environments", environment.name, "test_accounts"),
        )
    account = environment.test_accounts[0]
    code = tender_code(biller, kind)
    if kind != "paperless" and code is None:
        return Blocked(f"there is no tender code to send with the {kind} (see {tender_types.ID})")
    transmission = datapump.transmission_id(biller.id, environment.name, kind, account)
    return Transmission(cis, kind, operator, account, code, transmission)


def data_pump_acknowledged(
    exchange: Exchange, environment: Environment, sent_one: Transmission
) -> Problem | None:
    """The transmission sent was acknowledged as sent, for itself."""
    kind, account, transmission = sent_one.kind, sent_one.account, sent_one.transmission_id
    service = answers.cis_service(f"The data pump ({kind})", environment)
    document = answers.answer(exchange, service, DATAPUMP_ACK, "HTTP 200 with an acknowledgement")
    if isinstance(document, Problem):
        return document
    if document["Status"] != datapump.ACCEPTED:
        return Problem(
            summary=f"The data pump rejected the {kind} transmission: "
            f"{document.get('Reason', 'no reason given')}.",
            expected=f"Status {datapump.ACCEPTED}",
            found=f"Status {document['Status']}",
            fix="ask S&S why the transmission was rejected",
            where=f"{exchange.method} {exchange.url}",
        )
    sent = {"TransmissionId": transmission, "Kind": datapump.KINDS[kind], "AccountId": account}
    wrong = {key: document[key] for key, value in sent.items() if document[key] != value}
    if wrong:
        return Problem(
            summary=f"The data pump's acknowledgement does not match the {kind} transmission sent.",
            expected=", ".join(f"{k} {v}" for k, v in sent.items()),
            found=", ".join(f"{k} {v}" for k, v in wrong.items()),
            where=f"{exchange.method} {exchange.url}",
        )
    # No balance change is expected right after a payment: RTDR is not re-asked here (DOMAIN.md).
    return None


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail data-pump first."""
    return (
        Fault(
            "datapump-rejects-autopay",
            "the data pump rejects autopay transmissions",
            (ID,),
            "The data pump rejected the autopay transmission",
        ),
        Fault(
            "datapump-ack-mismatch",
            "the data pump acknowledges another transmission id",
            (ID,),
            "acknowledgement does not match",
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="The data pump acknowledges payment, paperless and autopay transmissions",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="QA: confirm the data pump is functioning post-upgrade; run a manual test",
        troubleshooting="Check the endpoint URLs in the Advanced Settings, the operator number in "
        "Advanced Setting 12 and the public DNS record of the endpoint.",
        see_also=(endpoint_settings.ID, operator_number.ID, public_dns.ID),
    ),
    items=lambda _b, _e: list(KINDS),
    replays=(HTTP,),
    faults=_faults,
)
