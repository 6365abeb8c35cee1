"""PayConnect multi-user login (ASSUMED shape): Token1 and Token2 issued, then presented back."""

from __future__ import annotations

from typing import Any

# Assumption: Advanced Setting 24 holds the PayConnect URL, 25 the client id, 26 the client
# secret and 27 the authentication mode (TOKEN), as the checklist's "CRM settings" for PayConnect.
URL_SETTING, CLIENT_SETTING, SECRET_SETTING, MODE_SETTING = "24", "25", "26", "27"
LOGIN_PATH = "/Login"
VALIDATE_PATH = "/ValidateTokens"
TOKEN_FIELDS = ("Token1", "Token2")
# Both act on S&S for a real customer login: the login opens a session and issues tokens, the
# validation syncs the registered accounts (Option 127). Counted as writes.
LOGIN_IS_WRITE = True
VALIDATE_IS_WRITE = True


def login_url(payconnect: str) -> str:
    return payconnect.rstrip("/") + LOGIN_PATH


def validate_url(payconnect: str) -> str:
    return payconnect.rstrip("/") + VALIDATE_PATH


def login_body(
    client_id: str, client_secret: str, mode: str, username: str, password: str
) -> dict[str, Any]:
    return {
        "ClientId": client_id,
        "ClientSecret": client_secret,
        "AuthMode": mode,
        "Username": username,
        "Password": password,
    }


def validate_body(token1: str, token2: str, sync_registered_accounts: bool) -> dict[str, Any]:
    """Option 127 asks S&S to sync the registered accounts with the validation."""
    return {"Token1": token1, "Token2": token2, "SyncRegisteredAccounts": sync_registered_accounts}
