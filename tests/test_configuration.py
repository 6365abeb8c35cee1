"""The configuration rules of the checklist: what the biller file (or, live, the portal) says.

Live, `configured` is the portal's settings and `agreed` the file's: a value that drifted from
what the file agreed fails its rule. Offline `agreed` is None.
"""

from collections.abc import Mapping

import pytest

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import Biller, Environment
from conversion_qa.plugin import require
from conversion_qa.rules.items import NO_TENDER_TYPES
from conversion_qa.rules.slices.conversion_weekend import weekend_step
from conversion_qa.rules.slices.endpoint_settings import endpoint_setting
from conversion_qa.rules.slices.endpoints_received import endpoint_received
from conversion_qa.rules.slices.maintenance_window import maintenance_window
from conversion_qa.rules.slices.operator_number import operator_number
from conversion_qa.rules.slices.option_127 import option_127
from conversion_qa.rules.slices.production_matches_test import production_matches_test
from conversion_qa.rules.slices.setting_131 import setting_131
from conversion_qa.rules.slices.settings_24_27 import setting_present
from conversion_qa.rules.slices.sns_contacts import sns_contacts
from conversion_qa.rules.slices.tender_types import tender_type, tender_types_declared

# imported under another name, so that pytest does not collect the check as a test
from conversion_qa.rules.slices.test_portal_lead_time import (
    test_portal_lead_time as itg_lead_time,
)


@pytest.mark.rule("endpoints-received")
def test_endpoints_received(biller: Biller, environment: Environment, item: str) -> None:
    """S&S provided the CIS Service and PayConnect Service endpoints, as https URLs."""
    where = biller.where("environments", environment.name, "endpoints", item)
    require(endpoint_received(environment, item, where))


@pytest.mark.rule("tender-types")
def test_tender_types(biller: Biller, item: str) -> None:
    """Each payment method has its own S&S payment code."""
    where = biller.where("tender_types")
    if item == NO_TENDER_TYPES:
        require(tender_types_declared(biller.tender_types, where))
    else:
        require(tender_type(biller.tender_types, item, where))


@pytest.mark.rule("test-portal-lead-time")
def test_test_portal_lead_time(biller: Biller) -> None:
    """The ITG for the test portal went in at least 30 days before the window opens."""
    require(itg_lead_time(biller.conversion, biller.where("conversion", "itg")))


@pytest.mark.rule("settings-24-27")
def test_settings_24_27(configured: Configured, agreed: Configured | None, item: str) -> None:
    """Advanced Settings 24-27, the CRM settings for PayConnect, are each set (live: as agreed)."""
    require(setting_present(configured, item, agreed))


@pytest.mark.rule("option-127")
def test_option_127(configured: Configured, agreed: Configured | None) -> None:
    """Option 127 syncs registered accounts."""
    require(option_127(configured, agreed))


@pytest.mark.rule("setting-131")
def test_setting_131(configured: Configured, agreed: Configured | None) -> None:
    """Advanced Setting 131 asks RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS."""
    require(setting_131(configured, agreed))


@pytest.mark.rule("operator-number")
def test_operator_number(configured: Configured, agreed: Configured | None) -> None:
    """Advanced Setting 12 holds the operator number (live: the one the file agreed)."""
    require(operator_number(configured, agreed))


@pytest.mark.rule("endpoint-settings")
def test_endpoint_settings(
    biller: Biller,
    environment: Environment,
    configured: Configured,
    agreed: Configured | None,
    item: str | None,
) -> None:
    """Every endpoint URL in the Advanced Settings is one S&S provided, and each is used."""
    other = biller.environment("production" if environment.name == "test" else "test")
    require(endpoint_setting(configured, environment, other, item, agreed))


@pytest.mark.rule("production-matches-test")
def test_production_matches_test(biller: Biller, portals: Mapping[str, Configured]) -> None:
    """After go-live, production is configured as the test portal that was tested: endpoint URLs
    each environment's own, secrets same or different, everything else equal."""
    require(production_matches_test(portals["production"], portals["test"], biller))


@pytest.mark.rule("maintenance-window")
def test_maintenance_window(biller: Biller) -> None:
    """The window begins at batch close on a Thursday, in the biller's time zone."""
    window = biller.conversion.maintenance_window
    require(maintenance_window(window, biller.where("conversion", "maintenance_window")))


@pytest.mark.rule("conversion-weekend")
def test_conversion_weekend(biller: Biller, item: str) -> None:
    """Each step of the weekend falls on its days, inside the window."""
    where = biller.where("conversion", "weekend", item)
    require(weekend_step(biller.conversion, item, where))


@pytest.mark.rule("sns-contacts")
def test_sns_contacts(biller: Biller) -> None:
    """S&S named its project manager and technical contact, each with an e-mail or phone."""
    require(sns_contacts(biller))
