"""The fixtures a rule's test asks for: its case, biller, environment and what is configured."""

from __future__ import annotations

import pytest

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
def configured(case: Case, environment: Environment) -> Configured:
    """The biller file's settings offline; the portal's, as configured, in a live run."""
    if case.live and case.rule.live_source is Source.PORTAL:
        pytest.skip(
            f"{case.rule.id} live reads the portal's Advanced Settings through the S&S adapter "
            "contract, which this version does not have yet; the offline run checks the file"
        )
    return from_file(environment, case.biller.where)
