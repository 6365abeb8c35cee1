"""rtdr: RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts.

rtdr_request decides what to ask, `gathering` asks it (live or replayed) and rtdr_answered
judges the answer; plugin/network_rules.py runs the three in turn.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from conversion_qa.clients.http import Exchange
from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Environment, SettingValue
from conversion_qa.config.secrets import Secret
from conversion_qa.contract.schemas import RTDR_RESPONSE
from conversion_qa.rules import answers, sending
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import HTTP, Slice
from conversion_qa.rules.slices import endpoint_settings, operator_number, public_dns
from conversion_qa.rules.slices import setting_131 as setting_131_rule
from conversion_qa.rules.verdict import Blocked, Problem

ID = "rtdr"


@dataclass(frozen=True)
class RtdrRequest:
    """What RTDR is asked: the CIS Service URL, the settings the request is built from (a
    secret stays one until it is sent) and the test accounts; `account` is the one judged."""

    account: str
    cis: str
    setting_131: SettingValue | None
    operator: SettingValue
    accounts: tuple[str, ...]


def rtdr_request(
    environment: Environment, configured: Configured, account: str | None, *, live: bool
) -> RtdrRequest | Problem | Blocked:
    """The RTDR request to send for the test account, or why none can be sent (live: whether
    the run calls the services, rather than replaying their recordings)."""
    if account is None:
        return Problem(
            summary=f"No test accounts for {environment.name}: RTDR is tested with them only.",
            expected="test_accounts in the biller file",
            found="none",
            fix=f"add environments.{environment.name}.test_accounts",
        )
    cis = sending.cis_endpoint(configured, environment, live=live)
    if isinstance(cis, Blocked):
        return cis
    if setting_131_rule.setting_131(configured) is not None:
        return Blocked(
            f"the RTDR request is built from Advanced Setting 131 (see {setting_131_rule.ID})"
        )
    setting_131 = configured.setting("131")
    if isinstance(setting_131, Secret) and not live:
        return Blocked(
            "Advanced Setting 131 is kept in a ${VAR}, so offline the RTDR request cannot be "
            "built from it; a live run sends it"
        )
    operator = sending.operator(configured)
    if isinstance(operator, Blocked):
        return operator
    return RtdrRequest(account, cis, setting_131, operator, tuple(environment.test_accounts))


def rtdr_answered(exchange: Exchange, environment: Environment, account: str) -> Problem | None:
    """ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts answered this one, and no other."""
    asked = list(environment.test_accounts)
    expected = f"HTTP 200 with the account summaries of {', '.join(asked)}"
    document = answers.answer(
        exchange, answers.cis_service("RTDR", environment), RTDR_RESPONSE, expected
    )
    if isinstance(document, Problem):
        return document
    answered = [s["AccountId"] for s in document["AccountSummaries"]]
    others = sorted(set(answered) - set(asked))
    if others:
        return Problem(
            summary=f"RTDR answered accounts that were not asked for: {', '.join(others)}.",
            expected=f"exactly the test accounts asked for: {', '.join(asked)}",
            found=f"accounts {', '.join(answered)}",
            fix="S&S must answer the accounts in AccountIds only; check the operator number "
            "(Advanced Setting 12) maps to this biller",
            where=f"{exchange.method} {exchange.url}",
        )
    repeated = {a: n for a, n in Counter(answered).items() if n > 1}
    if repeated:
        return Problem(
            summary="RTDR answered "
            + ", ".join(f"account {a} {n} times" for a, n in repeated.items())
            + ": each account asked for must be answered once.",
            expected=f"one summary for each test account asked for: {', '.join(asked)}",
            found=f"accounts {', '.join(answered)}",
            fix="S&S must answer each account in AccountIds once; ask S&S why the account is "
            "duplicated in the converted CIS (which summary would the portal show?)",
            where=f"{exchange.method} {exchange.url}",
        )
    summaries = [s for s in document["AccountSummaries"] if s["AccountId"] == account]
    if not summaries:
        return Problem(
            summary=f"RTDR did not answer test account {account}.",
            expected=f"a summary for {account}",
            found=f"accounts {', '.join(answered) or 'none'}",
            fix="ask S&S whether the test account exists in the converted CIS",
            where=f"{exchange.method} {exchange.url}",
        )
    return _amount_problem(summaries[0], exchange)


def _amount_problem(summary: dict[str, Any], exchange: Exchange) -> Problem | None:
    # A negative amount is a credit: the payments side shows $0, which is not a failure here.
    try:
        Decimal(summary["AmountDue"])
    except InvalidOperation:
        return Problem(
            summary=f"RTDR's AmountDue for {summary['AccountId']} is not a decimal amount.",
            expected='a decimal string such as "42.10"',
            found=repr(summary["AmountDue"]),
            where=f"{exchange.method} {exchange.url}",
        )
    return None


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail rtdr first."""
    return (
        Fault(
            "rtdr-500",
            "RTDR answers HTTP 500",
            (ID,),
            "RTDR failed on its side (HTTP 500 Internal Server Error)",
        ),
        Fault(
            "rtdr-other-accounts",
            "RTDR answers an account that was not asked for",
            (ID,),
            "RTDR answered accounts that were not asked for: 999001",
        ),
        Fault(
            "rtdr-duplicate-account",
            "RTDR answers the first test account twice",
            (ID,),
            "2 times: each account asked for must be answered once",
        ),
        Fault(
            "rtdr-malformed-json",
            "RTDR answers HTTP 200 with a truncated JSON body",
            (ID,),
            "its body is not valid JSON",
        ),
        Fault(
            "rtdr-float-amounts",
            "RTDR sends amounts as JSON numbers instead of decimal strings",
            (ID,),
            "not in the contract's shape",
        ),
        Fault(
            "oversized-answer",
            "RTDR answers 6 MiB, without a Content-Length (more than the default cap of 5 MiB)",
            (ID,),
            "(--max-answer-bytes)",
            replayable=False,  # nothing is recorded of an answer that was not read
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="RTDR answers ACCOUNTSUMMARIESBYACCOUNTIDS for the test accounts",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="QA: confirm RTDR is functioning post-upgrade; run a manual test",
        troubleshooting="Check the endpoint URLs in the Advanced Settings, the operator number in "
        "Advanced Setting 12 and the public DNS record of the endpoint.",
        see_also=(endpoint_settings.ID, operator_number.ID, public_dns.ID),
    ),
    items=lambda _b, e: list(e.test_accounts),
    replays=(HTTP,),
    faults=_faults,
)
