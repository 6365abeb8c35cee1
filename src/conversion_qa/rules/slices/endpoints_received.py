"""endpoints-received: S&S provided the CIS Service and PayConnect Service endpoints."""

from __future__ import annotations

from conversion_qa.config.model import (
    ENDPOINT_NAMES,
    Environment,
)
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.urls import url_problem
from conversion_qa.rules.verdict import Problem

ID = "endpoints-received"

ENDPOINT_TITLES = {"cis_service": "CIS Service", "payconnect_service": "PayConnect Service"}


def endpoint_received(environment: Environment, endpoint: str, where: str) -> Problem | None:
    title = ENDPOINT_TITLES[endpoint]
    url = environment.endpoints.get(endpoint)
    expected = f"the {title} endpoint S&S provided, as an https:// URL"
    if not environment.declared:
        return Problem(
            summary=f"The {environment.name} environment is not in the biller file yet.",
            expected=expected,
            found=f"no environments.{environment.name}",
            fix=f"add environments.{environment.name}.endpoints.{endpoint} when S&S sends it",
            where=where,
        )
    if not url:
        return Problem(
            summary=f"S&S has not provided the {title} endpoint for {environment.name} (or "
            "it is not "
            "recorded).",
            expected=expected,
            found="nothing",
            fix=f"write it under environments.{environment.name}.endpoints.{endpoint}",
            where=where,
        )
    problem = url_problem(url)
    if problem:
        return Problem(
            summary=f"The {title} endpoint {problem}.",
            expected=expected,
            found=repr(url),
            where=where,
        )
    return None


SLICE = Slice(
    Rule(
        id=ID,
        title="S&S provided the CIS Service and PayConnect Service endpoints",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PLAN,
        checklist="Procedure, kickoff: request CIS Service and PayConnect Service endpoints",
        troubleshooting="Ask the S&S technical contact for the missing endpoint and write it under "
        "environments.<env>.endpoints as an https:// URL.",
    ),
    items=lambda _b, _e: list(ENDPOINT_NAMES),
)
