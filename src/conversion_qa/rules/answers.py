"""An HTTP answer as the network rules judge it: a 200 whose JSON fits its contract's schema,
or the problem with it, naming the service that answered."""

from __future__ import annotations

from typing import Any

from conversion_qa.clients.http import Exchange
from conversion_qa.clients.status import Service, status_error
from conversion_qa.config.model import Environment
from conversion_qa.contract import bounded_json
from conversion_qa.contract.bounded_json import TooDeep
from conversion_qa.contract.schemas import schema_problem
from conversion_qa.errors import ConversionQAError
from conversion_qa.rules.verdict import Problem


def answer(
    exchange: Exchange, service: Service, schema: str, expected: str
) -> dict[str, Any] | Problem:
    """The JSON document of a 200 answer that fits its schema, or the problem with it."""
    what = service.name
    if exchange.status != 200:
        return judged(status_error(exchange, service, expected))
    try:
        document = bounded_json.loads(exchange.body)
    except TooDeep as error:
        return Problem(
            summary=f"{what} answered HTTP 200 with JSON {error}, deeper than any answer of the "
            "contract; it was not read.",
            expected=expected,
            found=f"JSON {error} ({len(exchange.body):,} characters)",
            fix="compare the answer with docs/contract.md; ask the service's owner why it "
            "answers this",
            where=f"{exchange.method} {exchange.url}",
        )
    except ValueError as error:
        return Problem(
            summary=f"{what} answered HTTP 200 but its body is not valid JSON ({error}).",
            expected=expected,
            found=short(exchange.body),
            where=f"{exchange.method} {exchange.url}",
        )
    problem = schema_problem(schema, document)
    if problem:
        return Problem(
            summary=f"{what} answered, but not in the contract's shape ({problem}).",
            expected=f"{expected} (contract/schemas/{schema}.json)",
            found=short(exchange.body),
            fix="compare the answer with docs/contract.md; if S&S's real shape differs, update the "
            "contract",
            where=f"{exchange.method} {exchange.url}",
        )
    return document  # type: ignore[no-any-return]  # the schema says it is an object


def judged(error: ConversionQAError) -> Problem:
    """An answer's error as the rule's problem; raised as it is when the answer says nothing
    that can be judged (a service down for maintenance: the rule is not checked)."""
    if error.not_checked:
        raise error
    return _problem(error)


def _problem(error: ConversionQAError) -> Problem:
    """A service's error, built with its parts as fields, as the rule's problem."""
    return Problem(
        summary=error.what,
        expected=error.expected or "",
        found=error.found or "",
        fix=error.fix,
        where=error.where,
    )


def cis_service(name: str, environment: Environment) -> Service:
    """S&S's CIS Service (RTDR, the data pump) as an error about its answer names it."""
    return Service(
        name=name,
        system="CIS Service",
        owner="S&S",
        credentials=f"the operator number in Advanced Setting 12 (as the {environment.name} "
        "portal has it; the biller file's is environments."
        f"{environment.name}.advanced_settings.12)",
    )


def short(text: str, limit: int = 200) -> str:
    """A body as a message quotes it: on one line, cut at `limit` characters."""
    text = " ".join(text.split()) or "(empty body)"
    return text if len(text) <= limit else text[:limit] + "…"
