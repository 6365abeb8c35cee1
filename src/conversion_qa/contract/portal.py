"""The biller's portal (ASSUMED shape): settings as configured, the sign-in form, pages, iFrames."""

from __future__ import annotations

# Assumption: the portal exposes its Advanced Settings and Options read-only, as JSON, to an
# authenticated operator (HTTP Basic with the environment's credentials).
SETTINGS_PATH = "/api/configuration"
SETTINGS_FIELD, OPTIONS_FIELD = "AdvancedSettings", "Options"

# Assumption: a test user signs in to the portal with a form, as a customer does: the page at
# SIGN_IN_PATH has a user name and a password field and a submit button (CSS selectors below).
# Signed in when, after submitting, the page no longer shows the password field. The browser
# types the environment's credentials only into a page of the portal's own host, and only into
# a form that sends them there.
SIGN_IN_PATH = "/Account/SignIn"
USERNAME_FIELD = 'input[name="username"]'
PASSWORD_FIELD = 'input[name="password"]'
SUBMIT_BUTTON = 'button[type="submit"]'


def settings_url(portal: str) -> str:
    return portal.rstrip("/") + SETTINGS_PATH


def sign_in_url(portal: str) -> str:
    return page_url(portal, SIGN_IN_PATH)


def page_url(portal: str, path: str) -> str:
    return portal.rstrip("/") + "/" + path.lstrip("/")
