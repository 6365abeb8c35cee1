"""The fixtures a rule's test asks for: its case, biller, environment and what is configured."""

from __future__ import annotations

import pytest

from conversion_qa.clients import portal
from conversion_qa.clients.transport import Transport
from conversion_qa.config.model import Biller, Environment
from conversion_qa.rules.catalogue import Source
from conversion_qa.rules.configured import Configured, from_file
from conversion_qa.targets import Case


@pytest.fixture
def case(request: pytest.FixtureRequest) -> Case:
    """Parametrized by the plugin for every test that carries a rule marker."""
    raise pytest.UsageError(
        f"{request.node.nodeid} asks for 'case' but has no @pytest.mark.rule(...) marker"
    )


@pytest.fixture
def biller(case: Case) -> Biller:
    return case.biller


@pytest.fixture
def environment(case: Case) -> Environment:
    return case.biller.environment(case.environment)


@pytest.fixture
def item(case: Case) -> str | None:
    return case.item


@pytest.fixture
def configured(case: Case, environment: Environment, transport: Transport) -> Configured:
    """The biller file's settings offline; the portal's, as configured, in a live run (read
    through the contract on first use, so a portal problem is that test's failure)."""
    if case.live and case.rule.live_source in (Source.PORTAL, Source.NETWORK):
        return portal.configured(transport, environment)
    return from_file(environment, case.biller.where)
