"""`${VAR}` values: taken from the environment, never shown, an error only when needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversion_qa.config import load_biller
from conversion_qa.config.secrets import REDACTED, Secret, scrub
from conversion_qa.errors import MissingSecretError
from selftests.helpers import demo_data, write_biller


def test_a_secret_never_shows_its_value() -> None:
    secret = Secret(
        "${QA_PASSWORD}", "billers/x.yaml:3 credentials.password", {"QA_PASSWORD": "hunter2-canary"}
    )
    assert secret.reveal() == "hunter2-canary"
    assert "hunter2-canary" not in str(secret)
    assert "hunter2-canary" not in repr(secret)
    assert "hunter2-canary" not in f"{secret} {secret!r} {[secret]}"
    assert scrub("login failed for hunter2-canary") == f"login failed for {REDACTED}"


def test_default_applies_when_the_variable_is_unset() -> None:
    assert Secret("${QA_UNSET:-fallback-value}", "here", {}).reveal() == "fallback-value"
    assert Secret("${QA_SET:-fallback}", "here", {"QA_SET": "from-env"}).reveal() == "from-env"


def test_missing_variable_is_an_error_only_when_the_value_is_needed() -> None:
    secret = Secret(
        "${QA_MISSING_TOKEN}", "billers/x.yaml:9 environments.test.credentials.password", {}
    )
    assert not secret.is_set
    with pytest.raises(MissingSecretError) as error:
        secret.reveal()
    message = str(error.value)
    assert "environment variable QA_MISSING_TOKEN is not set" in message
    assert "billers/x.yaml:9 environments.test.credentials.password" in message


def test_loading_a_biller_needs_no_secret_and_keeps_where_it_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEMO_PROD_PASSWORD", raising=False)
    path = write_biller(tmp_path, demo_data())
    password = load_biller(path).environment("production").credentials["password"]
    assert isinstance(password, Secret)
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "DEMO_PROD_PASSWORD" in text
    )
    with pytest.raises(
        MissingSecretError, match=rf"{path}:{line} environments.production.credentials.password"
    ):
        password.reveal()
