"""The biller's portal (ASSUMED shape): settings as configured, pages, Capricorn iFrames."""

from __future__ import annotations

# Assumption: the portal exposes its Advanced Settings and Options read-only, as JSON, to an
# authenticated operator (HTTP Basic with the environment's credentials).
SETTINGS_PATH = "/api/configuration"
SETTINGS_FIELD, OPTIONS_FIELD = "AdvancedSettings", "Options"


def settings_url(portal: str) -> str:
    return portal.rstrip("/") + SETTINGS_PATH


def page_url(portal: str, path: str) -> str:
    return portal.rstrip("/") + "/" + path.lstrip("/")
