"""The PayConnect client: multi-user login (Token1, Token2) and the tokens presented back."""

from __future__ import annotations

from conversion_qa.clients.http import Caller, Exchange
from conversion_qa.contract import payconnect


def login(
    caller: Caller,
    payconnect_url: str,
    client_id: str,
    client_secret: str,
    mode: str,
    username: str,
    password: str,
) -> Exchange:
    body = payconnect.login_body(client_id, client_secret, mode, username, password)
    return caller.send(
        "POST",
        payconnect.login_url(payconnect_url),
        json_body=body,
        write=payconnect.LOGIN_IS_WRITE,
    )


def validate(
    caller: Caller, payconnect_url: str, token1: str, token2: str, sync_accounts: bool
) -> Exchange:
    body = payconnect.validate_body(token1, token2, sync_accounts)
    return caller.send(
        "POST",
        payconnect.validate_url(payconnect_url),
        json_body=body,
        write=payconnect.VALIDATE_IS_WRITE,
    )
