"""No secret survives in any encoding it takes on its way out: JSON, HTML, URL, repr, base64.

The canaries hold every character an encoding changes: a quote, a backslash, `&<>%+`, a space,
an apostrophe, a slash and non-ASCII letters.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from _pytest._io.saferepr import saferepr

from conversion_qa.config import load_biller
from conversion_qa.config.secrets import REDACTED, Secret, remember_secret, scrub
from selftests.helpers import RunSuite, demo_data, write_biller
from selftests.integration.test_report_secrets import LEAKY, VARIABLES
from selftests.network_helpers import CANARIES, fast_demo
from selftests.reporting import archived_text, run_folders, run_project


def canary(tag: str, letters: str = " é€ü") -> str:
    """A unique secret value full of characters that encodings change, marked at both ends."""
    mark = uuid.uuid4().hex
    return f"{mark[:10]}\"na\\ry &<>%+'/{letters} {tag}-{mark[10:22]}"


def encodings(value: str) -> dict[str, str]:
    """Every form the value takes in a console, a report, an XML, HTML or JSON file or a URL.

    Written independently of the scrubber: these are what the standard library produces.
    """
    forms = {
        "raw": value,
        "json": json.dumps(value, ensure_ascii=False)[1:-1],
        "json-ascii": json.dumps(value)[1:-1],
        "html": html.escape(value),
        "html-39": html.escape(value).replace("&#x27;", "&#39;"),
        "html-noquote": html.escape(value, quote=False),
        "markupsafe": value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;"),
        "url-quote": quote(value),
        "url-quote-safe-none": quote(value, safe=""),
        "url-quote-plus": quote_plus(value),
        "url-quote-plus-slash": quote_plus(value, safe="/"),
        "repr": repr(value)[1:-1],
        "ascii": ascii(value)[1:-1],
    }
    # what the reports make of a failure's text: a repr or a JSON body, then escaped again
    forms["json-of-repr"] = json.dumps(forms["repr"], ensure_ascii=False)[1:-1]
    forms["json-ascii-of-repr"] = json.dumps(forms["repr"])[1:-1]
    forms["json-of-json"] = json.dumps(forms["json"], ensure_ascii=False)[1:-1]
    forms["repr-of-json"] = repr(forms["json"])[1:-1]
    forms["html-of-repr"] = html.escape(forms["repr"])
    forms["html-of-json"] = html.escape(forms["json"])
    forms["html-of-json-of-repr"] = html.escape(forms["json-of-repr"])
    forms["html-of-json-of-json"] = html.escape(forms["json-of-json"])
    return forms


def basic_auth(user: str, password: str) -> dict[str, str]:
    """HTTP Basic credentials as RFC 7617 (UTF-8) and as `requests` (ISO-8859-1) encode them."""
    pair = f"{user}:{password}"
    forms = {"basic-utf8": base64.b64encode(pair.encode()).decode()}
    with contextlib.suppress(UnicodeEncodeError):
        forms["basic-latin1"] = base64.b64encode(pair.encode("latin-1")).decode()
    return forms


def leaks(text: str, values: Iterable[str]) -> list[str]:
    """The encodings of the values found in the text (empty: none leaked)."""
    found = []
    for value in values:
        for name, form in encodings(value).items():
            if form in text:
                found.append(f"{name} of {value!r}: {form!r}")
        # its unique ends survive any escaping the list above might miss, and a shortened repr
        head, tail = value[:10], value.rsplit("-", 1)[-1]
        found += [f"the unique end {end!r} of {value!r}" for end in (head, tail) if end in text]
    return found


# scrub(), unit by unit ----------------------------------------------------------------------


@pytest.mark.parametrize("form", list(encodings("x")))
def test_scrub_removes_each_encoding_of_a_secret(form: str) -> None:
    secret = canary("unit")
    remember_secret(secret)
    encoded = encodings(secret)[form]
    text = f"before {encoded} after"
    assert scrub(text) == f"before {REDACTED} after"


def test_every_encoding_is_scrubbed_also_when_they_share_one_text() -> None:
    secrets = [canary(f"many{n}") for n in range(5)]
    for secret in secrets:
        remember_secret(secret)
    text = "\n".join(f"{name}: <{form}>" for s in secrets for name, form in encodings(s).items())
    scrubbed = scrub(text)
    assert leaks(scrubbed, secrets) == []
    assert scrubbed.count(REDACTED) == text.count("\n") + 1


@pytest.mark.parametrize("maxsize", [16, 30, 240])
def test_scrub_removes_the_shortened_repr_pytest_shows_in_a_failed_assertion(maxsize: int) -> None:
    # `assert token == "..."` shows each side as a repr of at most 30 characters, head...tail;
    # a traceback shows each argument as one of at most 240: a long token loses its middle only
    secret = canary("shortened") + "-" + "x7" * 150 + "-" + uuid.uuid4().hex[:12]
    remember_secret(secret)
    for shown in (saferepr(secret, maxsize), saferepr(secret, maxsize, use_ascii=True)):
        assert "..." in shown
        text = f"E       assert {shown} == 'a token S&S would accept'"
        assert scrub(text) == f"E       assert {REDACTED} == 'a token S&S would accept'"
    assert scrub("a sentence... that goes on...") == "a sentence... that goes on..."


def test_scrub_removes_a_secret_whose_white_space_the_evidence_collapsed() -> None:
    secret = f"two  spaces\tand a tab {uuid.uuid4().hex[:12]}"
    remember_secret(secret)
    evidence = " ".join(json.dumps({"Password": secret}).split())  # as clients/http.py shows it
    assert scrub(evidence) == f'{{"Password": "{REDACTED}"}}'


def test_a_secret_of_plain_letters_is_scrubbed_as_before_and_short_ones_are_not() -> None:
    remember_secret("hunter2-plain")
    remember_secret("abc")  # too short: it would scrub ordinary words
    assert scrub("hunter2-plain and abc") == f"{REDACTED} and abc"


def test_scrub_takes_extra_values_in_every_encoding() -> None:
    extra = canary("extra")
    assert leaks(scrub(json.dumps({"x": extra}), extra=[extra]), [extra]) == []


def test_a_credential_pair_is_scrubbed_as_http_basic_auth() -> None:
    from conversion_qa.config.secrets import remember_credentials

    user, password = canary("user"), canary("password")
    remember_credentials(user, password)
    for name, form in basic_auth(user, password).items():
        header = f"Authorization: Basic {form}"
        assert scrub(header) == f"Authorization: Basic {REDACTED}", name
    assert leaks(scrub(f"{user} {json.dumps(password)}"), [user, password]) == []
    # a short user name is not scrubbed alone, but the pair it makes is
    remember_credentials("pm", "a-password-9d1e")
    assert scrub(basic_auth("pm", "a-password-9d1e")["basic-utf8"]) == REDACTED


# credentials in the biller file --------------------------------------------------------------


def test_credentials_written_in_plain_text_are_secrets_never_shown(tmp_path: Path) -> None:
    user, password = canary("file-user"), canary("file-password")
    data = demo_data()
    data["environments"]["test"]["credentials"] = {"username": user, "password": password}
    biller = load_biller(write_biller(tmp_path, data))
    credentials = biller.environment("test").credentials
    for field, value in (("username", user), ("password", password)):
        secret = credentials[field]
        assert isinstance(secret, Secret), field
        assert secret.reveal() == value
        shown = f"{secret} {secret!r} {[secret]} {secret.where}"
        assert leaks(shown, [value]) == [], field
        assert f"environments.test.credentials.{field}" in secret.where
    assert leaks(scrub(f"{user} / {password!r}"), [user, password]) == []
    for form in basic_auth(user, password).values():
        assert scrub(form) == REDACTED


def test_credentials_from_variables_register_their_basic_auth_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, password = canary("env-user"), canary("env-password")
    monkeypatch.setenv("DEMO_TEST_USER", user)
    monkeypatch.setenv("DEMO_TEST_PASSWORD", password)
    load_biller(write_biller(tmp_path, demo_data()))
    for form in basic_auth(user, password).values():
        assert scrub(f"Basic {form}") == f"Basic {REDACTED}"


# end to end: nothing in the console, the archived files or the recorded fixtures -----------


def archived_and_recorded(*folders: Path) -> dict[Path, str]:
    """Every file's text, and its path (a file name could leak too); a screenshot's bytes as
    Latin-1, so a secret written into one raw would still be found; a PDF's text as printed."""
    return {
        path: str(path)
        + "\n"
        + (path.read_bytes().decode("latin-1") if path.suffix == ".png" else archived_text(path))
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_hostile_canaries_appear_in_no_report_and_not_on_the_console(
    pytester: pytest.Pytester,
    biller_dir: Path,
    report_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = {name: canary(name.lower()) for name in VARIABLES}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    write_biller(biller_dir, demo_data())
    result = run_project(
        pytester, biller_dir, report_dir, LEAKY, "--biller=demo", "--env=test,production", "-v"
    )
    assert result.parseoutcomes()["failed"] >= 6
    console = "\n".join(result.outlines + result.errlines)
    assert "S&S refused «redacted»" in console
    files = archived_and_recorded(report_dir)
    assert {p.name for p in files} >= {"report.html", "junit.xml", "summary.json", "signoff.html"}
    assert len(run_folders(report_dir, "demo", "DEMO-2026-12")) == 2
    assert leaks(console, values.values()) == []
    for path, text in files.items():
        assert leaks(text, values.values()) == [], path


def test_a_rehearsal_with_hostile_canaries_leaks_none_of_them(
    run_suite: RunSuite,
    biller_dir: Path,
    report_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every ${VAR} of the demo biller (network_helpers.CANARIES) set to a hostile canary; a
    # live rehearsal that records its fixtures and fails token-login and rtdr, whose failures
    # show the requests sent. HTTP Basic credentials go out in UTF-8, so € too.
    values = {variable: canary(variable.lower().removeprefix("demo_")) for variable in CANARIES}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    write_biller(biller_dir, fast_demo())
    fixtures = biller_dir.parent / "rehearsal-fixtures"  # a rehearsal never records into fixtures/
    result = run_suite(
        "-m",
        "live",
        "--sandbox",
        "--record-fixtures",
        f"--fixtures-dir={fixtures}",
        "--sandbox-scenario=tokens-not-accepted",
        "--sandbox-scenario=rtdr-other-accounts",
        "-v",
    )
    console = result.stdout.str() + result.stderr.str()
    # the canaries were accepted (the sandbox compared them right) and the failures were told
    assert "S&S did not accept Token1/Token2 back" in console
    assert "RTDR answered accounts that were not asked for" in console
    assert "Evidence (trimmed, secrets redacted):" in console
    assert "portal login refused" not in console
    assert "login refused" not in console
    assert "test_settings_24_27[demo-test-26-live] PASSED" in console
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 3, outcomes  # token-login and rtdr (2 accounts): nothing else
    files = archived_and_recorded(report_dir, fixtures / "demo")
    assert {p.name for p in files} >= {
        "report.html",
        "junit.xml",
        "summary.json",
        "signoff.html",
        "index.html",
    }
    assert fixtures / "demo" / "test.http.yaml" in files
    pairs = [
        (values["DEMO_TEST_USER"], values["DEMO_TEST_PASSWORD"]),
        (values["DEMO_PROD_USER"], values["DEMO_PROD_PASSWORD"]),
    ]
    basic = [form for pair in pairs for form in basic_auth(*pair).values()]
    assert leaks(console, values.values()) == []
    assert [form for form in basic if form in console] == []
    for path, text in files.items():
        assert leaks(text, values.values()) == [], path
        assert [form for form in basic if form in text] == [], path
