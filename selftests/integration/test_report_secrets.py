"""No secret reaches an archived file or the console, even when a failure's text contains it:
report.html (its verdicts and its evidence extras), summary.json, signoff.html, junit.xml and the
conversion board (index.html)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from selftests.helpers import demo_data, write_biller
from selftests.reporting import archived_text, report_rows, run_folders, run_project, summary_of

# Rule tests whose failures, warning and captured output all carry the biller's secrets.
LEAKY = """
import pytest
from conversion_qa.plugin import require, warn
from conversion_qa.rules.verdict import Problem

@pytest.mark.rule("rtdr")
def test_rtdr(case, environment):
    password = environment.credentials["password"].reveal()
    print("logging in with", password)
    require(Problem(
        summary=f"S&S refused {password}",
        expected="the login accepted",
        found=f"401 for {password}",
    ))

@pytest.mark.rule("token-login")
def test_token_login(case, environment):
    token = environment.advanced_settings["26"].reveal()
    assert token == "a token S&S would accept"

@pytest.mark.rule("iframe-lag")
def test_iframe_lag(case, request, environment):
    user = environment.credentials["username"].reveal()
    warn(request.node, Problem(
        summary=f"slow for {user}",
        expected="under 3 s",
        found=f"4 s as {user}",
    ))

@pytest.mark.rule("data-pump")
def test_data_pump(case, environment):
    raise RuntimeError("pump said: " + environment.credentials["password"].reveal())

@pytest.mark.rule("custom-code")
def test_custom_code(case, environment):
    from conversion_qa.plugin.explained import ExplainedFailure
    password = environment.credentials["password"].reveal()
    raise ExplainedFailure(
        Problem(summary="the portal refused the login", expected="200", found="401"),
        [],
        f"Evidence (trimmed, secrets redacted):\\nPOST https://portal/login\\n  sent: {password}",
    )
"""

VARIABLES = (
    "DEMO_TEST_USER",
    "DEMO_TEST_PASSWORD",
    "DEMO_PAYCONNECT_SECRET",
    "DEMO_PROD_USER",
    "DEMO_PROD_PASSWORD",
    "DEMO_PAYCONNECT_SECRET_PROD",
)


def test_canary_secrets_appear_in_no_archived_file_and_not_on_the_console(
    pytester: pytest.Pytester,
    biller_dir: Path,
    report_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The unique part is searched for, so that an HTML- or JSON-escaped leak is caught too.
    marks = {name: uuid.uuid4().hex for name in VARIABLES}
    for name, mark in marks.items():
        monkeypatch.setenv(name, f'canary&<"{mark}')
    write_biller(biller_dir, demo_data())

    result = run_project(
        pytester, biller_dir, report_dir, LEAKY, "--biller=demo", "--env=test,production", "-v"
    )
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 6  # rtdr, token-login, data-pump in test and production
    assert outcomes["warned"] >= 2

    console = "\n".join(result.outlines + result.errlines)
    assert "S&S refused «redacted»" in console  # the failure is told, without its secret
    files = [p for p in report_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"report.html", "junit.xml", "summary.json", "signoff.html"}
    assert len(run_folders(report_dir, "demo", "DEMO-2026-12")) == 2  # test and production
    for mark in marks.values():
        assert mark not in console
        for path in files:
            assert mark not in archived_text(path), f"{mark} leaked into {path}"
    data = summary_of(run_folders(report_dir, "demo", "DEMO-2026-12")[0])
    messages = {t["rule"]: t["message"] for t in data["tests"]}
    assert "401 for «redacted»" in messages["rtdr"]
    assert "«redacted»" in messages["token-login"]
    assert "pump said: «redacted»" in messages["data-pump"]
    evidence = {t["rule"]: t["evidence"] for t in data["tests"]}
    assert evidence["custom-code"].endswith("sent: «redacted»")  # the evidence, apart
    assert "sent:" not in messages["custom-code"]
    folder = run_folders(report_dir, "demo", "DEMO-2026-12")[0]
    custom = [r.markup for r in report_rows(folder).values() if r.cells["rule"] == "custom-code"]
    assert any('<details class="evidence">' in m and "sent: «redacted»" in m for m in custom)
    board = (report_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="conversion" data-biller="demo"' in board  # the board was written, and read
