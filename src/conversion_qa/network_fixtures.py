"""The fixture a network rule's test asks for: its transport (replayed offline, real live)."""

from __future__ import annotations

import pytest

from conversion_qa.clients.transport import Transport
from conversion_qa.network_run import network_run
from conversion_qa.targets import Case


@pytest.fixture
def transport(request: pytest.FixtureRequest, case: Case) -> Transport:
    """No I/O here: a service problem is the asking test's own failure, never a setup error."""
    return network_run(request.config).transport(case)
