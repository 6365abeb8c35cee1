"""The fixture a network rule's test asks for: its transport (replayed offline, real live)."""

from __future__ import annotations

from contextlib import AbstractContextManager

import pytest

from conversion_qa.clients.transport import Transport
from conversion_qa.network_run import network_run
from conversion_qa.rules.configured import Configured
from conversion_qa.rules.troubleshooting import explained
from conversion_qa.targets import Case


@pytest.fixture
def transport(request: pytest.FixtureRequest, case: Case) -> Transport:
    """No I/O here: a service problem is the asking test's own failure, never a setup error."""
    return network_run(request.config).transport(case)


@pytest.fixture
def troubleshooting(
    request: pytest.FixtureRequest, case: Case, configured: Configured, transport: Transport
) -> AbstractContextManager[None]:
    """`with troubleshooting:` a failure comes with the checklist's troubleshooting answered
    (the see_also rules evaluated now) and the exchange behind it, redacted."""
    return explained(case, configured, transport, request.config)


@pytest.fixture
def production_writes(request: pytest.FixtureRequest, case: Case) -> None:
    """Skip, saying why, a live write to production without --allow-production-writes."""
    allowed = network_run(request.config).options.allow_production_writes
    if case.live and case.environment == "production" and not allowed:
        pytest.skip(
            "data-pump writes to S&S: a live run sends transmissions to production only "
            "with --allow-production-writes (test accounts only)"
        )
