"""The evidence a failure shows: trimmed, with secrets scrubbed before the cut."""

from __future__ import annotations

from conversion_qa.clients.http import EVIDENCE_LIMIT, Exchange
from conversion_qa.config.secrets import remember_secret

SECRET = "canary-secret-straddling-the-cut-7f3a"


def test_a_secret_cut_by_the_trim_shows_no_part_of_it() -> None:
    remember_secret(SECRET)
    padding = "x" * (EVIDENCE_LIMIT - 5)  # the cut falls five characters into the secret
    exchange = Exchange(
        "GET", "https://p.example.com/", None, 200, "text/plain", padding + SECRET, 0.1
    )
    shown = exchange.evidence()
    assert "…(trimmed)" in shown
    assert SECRET[:5] not in shown
    assert "«redacted»"[:5] in shown
