"""A malformed biller file stops the run before any test, with one paragraph naming file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from selftests.helpers import DEMO, RunSuite

DEMO_LINES = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)


def demo_with(line: int, new: str) -> bytes:
    """The demo file with one line (1-based) replaced."""
    lines = list(DEMO_LINES)
    lines[line - 1] = new
    return "".join(lines).encode()


@dataclass(frozen=True)
class Malformed:
    name: str
    content: bytes
    line: int
    expected: str  # the rest of the message after "<file>:<line>:"

    def __str__(self) -> str:
        return self.name


CASES = [
    Malformed(
        "syntax-error", demo_with(19, '  - {method: ach, code: "ACH"\n'), 20, " is not valid YAML:"
    ),
    Malformed(
        "wrong-type",
        demo_with(5, 'multi_user: "yes"\n'),
        5,
        " field 'multi_user' must be true or false, not 'yes'",
    ),
    Malformed(
        "unknown-key",
        demo_with(4, "name: Demo\ncolour: blue\n"),
        5,
        " field 'colour' is not a known field (expected one of: biller, capricorn_iframes,",
    ),
    Malformed(
        "unknown-nested-key",
        demo_with(22, "    portal_url: https://x.example.com\n"),
        22,
        " field 'environments.test.portal_url' is not a known field (expected one of: "
        "advanced_settings, credentials,",
    ),
    Malformed(
        "duplicate-key",
        demo_with(30, '      "25": ic-demo\n      "25": ic-other\n'),
        31,
        " field 'environments.test.advanced_settings.25' is written twice (first on line 30); "
        "keep one",
    ),
    Malformed(
        "python-tag",
        demo_with(4, 'name: !!python/object/apply:os.system ["true"]\n'),
        4,
        " field 'name' uses the YAML tag !!python/object/apply:os.system; only plain values "
        "are allowed",
    ),
    Malformed(
        "impossible-date",
        demo_with(8, "  itg: {ticket: ITG-40001, submitted: 2026-02-30}\n"),
        8,
        " field 'conversion.itg.submitted' '2026-02-30' is not a real date (write it as "
        "YYYY-MM-DD: day is out of range for month)",
    ),
    Malformed(
        "date-time-without-offset",
        demo_with(11, "    start: 2026-12-03T18:00:00\n"),
        11,
        " field 'conversion.maintenance_window.start' '2026-12-03T18:00:00' is not a real "
        "date-time (write it as 2026-12-03T18:00:00-05:00: has no UTC offset)",
    ),
    Malformed("empty-file", b"", 1, " is empty; start from billers/demo.yaml"),
    Malformed("comments-only", b"# nothing yet\n", 1, " is empty; start from billers/demo.yaml"),
    Malformed(
        "not-a-mapping",
        b"- demo\n- semco\n",
        1,
        " must be a mapping of fields (biller:, name:, ...), not a list",
    ),
    Malformed(
        "not-utf8",
        demo_with(4, "name: Caf\xe9\n").replace("é".encode(), b"\xe9"),
        4,
        " is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ),
    Malformed(
        "name-disagrees",
        demo_with(3, "biller: semco\n"),
        3,
        " field 'biller' is 'semco' but the file is named demo.yaml; they must agree",
    ),
    Malformed(
        "non-numeric-setting",
        demo_with(27, '      twelve: "0417"\n'),
        27,
        " field 'environments.test.advanced_settings.twelve' must be a number (an Advanced "
        'Setting or Option number such as "131")',
    ),
    Malformed(
        "unquoted-operator-number",
        demo_with(27, '      "12": 0417\n'),
        27,
        " field 'environments.test.advanced_settings.12' must be text or empty, not 0417 "
        "(which YAML reads as 271); put it in quotes: YAML reads bare digits as a number and "
        "drops leading zeros",
    ),
    Malformed(
        "missing-conversion-id",
        demo_with(7, "  ids: DEMO-2026-12\n"),
        7,
        " field 'conversion.ids' is not a known field",
    ),
    Malformed(
        "setting-read-as-test-sent-to-production",
        demo_with(
            28,
            '      "20": https://enquesta.demo.example.com\\@enquesta-test.demo.example.com/CISService\n',
        ),
        28,
        " field 'environments.test.advanced_settings.20' "
        "'https://enquesta.demo.example.com\\\\@enquesta-test.demo.example.com/CISService' has a "
        "backslash (\\) before its path: requests and urllib3 end the host there, urllib.parse "
        "and browsers do not. A URL that one reader takes to one host and another reader to "
        "another is never used",
    ),
    Malformed(
        "endpoint-with-userinfo",
        demo_with(
            24, "      cis_service: https://enquesta-test.demo.example.com@evil.example/CIS\n"
        ),
        24,
        " field 'environments.test.endpoints.cis_service' "
        "'https://enquesta-test.demo.example.com@evil.example/CIS' names a user before its host",
    ),
    Malformed(
        "portal-with-an-encoded-host",
        demo_with(22, "    portal: https://demo-test%2eportal.example.com\n"),
        22,
        " field 'environments.test.portal' 'https://demo-test%2eportal.example.com' has "
        "percent-encoding (%) in its host",
    ),
    Malformed(
        "portal-holding-markup",
        demo_with(22, "    portal: https://<b>pwned</b>.example.com\n"),
        22,
        " field 'environments.test.portal' 'https://<b>pwned</b>.example.com' is read as "
        "%3cb%3epwned%3c by requests and urllib3 but as <b>pwned< by urllib.parse",
    ),
    Malformed(
        "page-with-a-control-character",
        demo_with(61, "  - {id: paperless-promo, page: \"/Ho\\tme\", expect: 'Go paperless'}\n"),
        61,
        " field 'custom_code[1].page' '/Ho\\tme' contains the control character \\t, which "
        "readers drop or keep differently, so the portal URL it makes could be read as another "
        "host: write the path without it",
    ),
    Malformed(
        "missing-required",
        b"biller: demo\nname: Demo\nconversion: {id: X}\n",
        1,
        " is missing the required field 'multi_user'",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_malformed_file_stops_the_run_with_one_precise_paragraph(
    biller_dir: Path, run_suite: RunSuite, case: Malformed
) -> None:
    path = biller_dir / "demo.yaml"
    path.write_bytes(case.content)
    result = run_suite()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert f"ERROR: {path}:{case.line}:{case.expected}" in errors
    output = result.stdout.str() + errors
    assert "Traceback" not in output
    assert "collected" not in output
    assert path.read_bytes() == case.content  # never rewritten


def test_only_the_named_billers_are_loaded(biller_dir: Path, run_suite: RunSuite) -> None:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    (biller_dir / "broken.yaml").write_text("biller: [\n")
    assert run_suite("--biller=demo").ret == pytest.ExitCode.OK
    assert run_suite().ret == pytest.ExitCode.USAGE_ERROR


def test_unknown_biller_lists_the_available_ones(biller_dir: Path, run_suite: RunSuite) -> None:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    result = run_suite("--biller=semcoo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"no biller file for semcoo in {biller_dir}/ (available: demo)" in result.stderr.str()


def test_unknown_environment_is_a_usage_error(biller_dir: Path, run_suite: RunSuite) -> None:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    result = run_suite("--env=staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        "--env staging is not an environment; use one of: test, production" in result.stderr.str()
    )
