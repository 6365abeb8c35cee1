"""Every rule of the suite, registered once, in catalogue order: the catalogue, the items, the
drift's reads and the troubleshooting are all built from this list."""

from __future__ import annotations

from conversion_qa.rules.slice import Slice
from conversion_qa.rules.slices import (
    conversion_weekend,
    custom_code,
    data_pump,
    endpoint_settings,
    endpoint_tls,
    endpoints_received,
    iframe_lag,
    maintenance_window,
    operator_number,
    option_127,
    production_matches_test,
    public_dns,
    rtdr,
    setting_131,
    settings_24_27,
    sns_contacts,
    tender_types,
    test_portal_lead_time,
    token_login,
)

SLICES: tuple[Slice, ...] = (
    endpoints_received.SLICE,
    tender_types.SLICE,
    sns_contacts.SLICE,
    test_portal_lead_time.SLICE,
    settings_24_27.SLICE,
    option_127.SLICE,
    setting_131.SLICE,
    operator_number.SLICE,
    endpoint_settings.SLICE,
    production_matches_test.SLICE,
    maintenance_window.SLICE,
    conversion_weekend.SLICE,
    public_dns.SLICE,
    rtdr.SLICE,
    data_pump.SLICE,
    token_login.SLICE,
    custom_code.SLICE,
    iframe_lag.SLICE,
    endpoint_tls.SLICE,
)
