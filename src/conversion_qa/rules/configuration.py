"""The checks of the configuration rules, one module per seam: the plan (`plan`), the portal's
settings (`settings`), the endpoints (`endpoints`, with `urls`), production against test
(`production`) and drift (`drift`), with `values`. Each returns a Problem (or Blocked) or None.

Live, a check of the portal's settings also takes `agreed`, the biller file's settings: where the
file gives a value the rule reads, the portal's must equal it after the rule's normalisation
(drift). Offline `agreed` is None, since the file is then what is checked. This module gathers
them under one name for the test functions (`configuration as check`).
"""

from __future__ import annotations

from conversion_qa.rules.drift import (
    AGAINST_FILE,
    AGAINST_TEST,
    FIX_DRIFT,
    MASKED,
    Comparison,
    Match,
    comparable,
    compare_option,
    compare_setting,
    compared,
    drift,
    is_secret,
    option_drift,
    option_value,
    table_value,
    unset_secret,
    variable,
)
from conversion_qa.rules.endpoints import (
    ENDPOINT_TITLES,
    endpoint_received,
    endpoint_setting,
)
from conversion_qa.rules.plan import (
    DAY_NAMES,
    LEAD_TIME,
    THURSDAY,
    WEEKEND_STEPS,
    maintenance_window,
    tender_type,
    tender_types_declared,
    test_portal_lead_time,
    weekend_step,
)
from conversion_qa.rules.production import (
    compare_environments,
    production_matches_test,
)
from conversion_qa.rules.settings import (
    OPERATOR_NUMBER,
    SETTING_131,
    SETTING_131_TEXT,
    operator_number,
    option_127,
    setting_131,
    setting_present,
)
from conversion_qa.rules.urls import (
    is_url,
    normalised,
    same_url,
    url_problem,
    url_settings,
    why_unsendable,
)
from conversion_qa.rules.values import (
    is_blank,
    shown,
)

__all__ = [
    "AGAINST_FILE",
    "AGAINST_TEST",
    "DAY_NAMES",
    "ENDPOINT_TITLES",
    "FIX_DRIFT",
    "LEAD_TIME",
    "MASKED",
    "OPERATOR_NUMBER",
    "SETTING_131",
    "SETTING_131_TEXT",
    "THURSDAY",
    "WEEKEND_STEPS",
    "Comparison",
    "Match",
    "comparable",
    "compare_environments",
    "compare_option",
    "compare_setting",
    "compared",
    "drift",
    "endpoint_received",
    "endpoint_setting",
    "is_blank",
    "is_secret",
    "is_url",
    "maintenance_window",
    "normalised",
    "operator_number",
    "option_127",
    "option_drift",
    "option_value",
    "production_matches_test",
    "same_url",
    "setting_131",
    "setting_present",
    "shown",
    "table_value",
    "tender_type",
    "tender_types_declared",
    "test_portal_lead_time",
    "unset_secret",
    "url_problem",
    "url_settings",
    "variable",
    "weekend_step",
    "why_unsendable",
]
