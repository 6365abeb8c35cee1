"""--record-fixtures for HTTP: real answers kept as replayable fixtures, secrets and tokens
replaced, merged into `fixtures/<biller>/<environment>.http.yaml` when the run ends."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from conversion_qa.clients.http import Exchange, redact_keys
from conversion_qa.config.secrets import scrub
from conversion_qa.contract import bounded_json, portal
from conversion_qa.recordings.store import load, locked, replace_text

HEADER = "# Recorded by conversion-qa --record-fixtures; secrets and tokens are placeholders.\n"


def placeholder_body(body: str, secret_settings: frozenset[str] = frozenset()) -> str:
    """The body with token and secret fields, the settings the biller file keeps as `${VAR}`,
    then any known secret value, replaced."""
    try:
        document = bounded_json.loads(body)
    except ValueError:  # not JSON, or nested too deep to walk: scrubbed as text
        return scrub(body)
    settings = document.get(portal.SETTINGS_FIELD) if isinstance(document, dict) else None
    if isinstance(settings, dict):  # the portal's settings answer
        for number in secret_settings & settings.keys():
            settings[number] = f"recorded-setting-{number}"
    # one placeholder per distinct value: different tokens stay different when replayed, and
    # equal ones stay equal, so a replay reaches the same verdict as the live run it came from
    placeholders: dict[str, str] = {}

    def placeholder(key: str, value: Any) -> str:
        return placeholders.setdefault(str(value), f"recorded-{key.lower()}")

    return scrub(json.dumps(redact_keys(document, placeholder), ensure_ascii=False))


def entry(exchange: Exchange, secret_settings: frozenset[str]) -> dict[str, Any]:
    """One answer in the responses recorder's file format; a redirect's Location and chain,
    and a Retry-After, are kept too, so that its replay is told as the live answer was."""
    response: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url,
        "body": placeholder_body(exchange.body, secret_settings),
        "status": exchange.status,
        "content_type": exchange.content_type.split(";")[0].strip() or "text/plain",
        "auto_calculate_content_length": False,
    }
    headers = {
        name: scrub(value)
        for name, value in (("Location", exchange.location), ("Retry-After", exchange.retry_after))
        if value
    }
    if headers:
        response["headers"] = headers
    if exchange.redirects:
        response["redirects"] = [scrub(url) for url in exchange.redirects]
    return {"response": response}


class Recorder:
    """Collects a run's answers per fixture file; written (merged) when the run ends, scrubbed
    then against every secret the run came to know (a portal's value, say, is known to be
    secret only once its settings were read, after the answer that holds it was received)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[Path, dict[tuple[str, str], Exchange]] = defaultdict(dict)
        self._secret_settings: dict[Path, frozenset[str]] = {}

    def add(self, fixture: Path, exchange: Exchange, secret_settings: frozenset[str]) -> None:
        with self._lock:
            self._answers[fixture][(exchange.method, exchange.url)] = exchange
            self._secret_settings[fixture] = secret_settings

    def write(self) -> list[Path]:
        """Merge into the fixture files; safe with xdist workers writing the same file."""
        with self._lock:
            pending = {path: dict(answers) for path, answers in self._answers.items()}
            self._answers.clear()
        for path, answers in pending.items():
            secret = self._secret_settings.get(path, frozenset())
            _merge(path, {key: entry(exchange, secret) for key, exchange in answers.items()})
        return sorted(pending)


def _merge(path: Path, entries: dict[tuple[str, str], dict[str, Any]]) -> None:
    with locked(path):
        existing: dict[tuple[str, str], dict[str, Any]] = {}
        if path.is_file():
            data = load(path) or {}
            for item in data.get("responses", []):
                existing[(item["response"]["method"], item["response"]["url"])] = item
        existing.update(entries)
        ordered = [existing[key] for key in sorted(existing, key=lambda k: (k[1], k[0]))]
        text = yaml.safe_dump({"responses": ordered}, sort_keys=False, allow_unicode=True)
        replace_text(path, HEADER + text)
