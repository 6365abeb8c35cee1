"""The data pump through the CIS Service (ASSUMED shape): payment, paperless, autopay records."""

from __future__ import annotations

from typing import Any

KINDS = {"payment": "Payment", "paperless": "Paperless", "autopay": "Autopay"}
# Assumption: each kind is POSTed at <CIS Service endpoint>/DataPump/<Kind>.
PATH = "/DataPump/{kind}"
# The amount of a test payment: small, and the same every run so answers can be replayed.
TEST_AMOUNT = "1.00"
ACCEPTED = "ACCEPTED"
# Every transmission writes to S&S (a payment, a paperless or an autopay enrolment).
IS_WRITE = True


def url(cis_endpoint: str, kind: str) -> str:
    return cis_endpoint.rstrip("/") + PATH.format(kind=KINDS[kind])


def transmission_id(biller: str, environment: str, kind: str, account: str) -> str:
    """Deterministic, so S&S can recognise a repeated test transmission and a replay matches."""
    return f"CQA-{biller}-{environment}-{kind}-{account}".upper()


def record(
    kind: str, operator_number: str, account: str, tender_code: str | None, transmission: str
) -> dict[str, Any]:
    """One transmission; payments and autopay carry the tender code of their payment method."""
    body: dict[str, Any] = {
        "TransmissionId": transmission,
        "Kind": KINDS[kind],
        "OperatorNumber": operator_number,
        "AccountId": account,
    }
    if kind == "payment":
        body |= {"TenderCode": tender_code, "Amount": TEST_AMOUNT}
    elif kind == "autopay":
        body |= {"TenderCode": tender_code, "Enrolled": True}
    else:
        body |= {"Paperless": True}
    return body


def tender_method(kind: str) -> str | None:
    """Assumption: a test payment is made by card, autopay drafts by ach (else the first code)."""
    return {"payment": "card", "autopay": "ach"}.get(kind)
