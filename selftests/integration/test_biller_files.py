"""A malformed biller file: every mistake in it at once, each naming file:line and the field,
YAML syntax told in words. Named with --biller it stops the run before any test (exit 4); in a
run of every biller it is one error of the run and the other billers are tested as usual."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from selftests.helpers import DEMO, RunSuite, SuiteRun

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
        "syntax-error",
        demo_with(19, '  - {method: ach, code: "ACH"\n'),
        19,
        " is not valid YAML: the bracket ({ or [) opened on this line is not closed",
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
def test_a_named_malformed_file_stops_the_run_naming_file_line_and_field(
    biller_dir: Path, run_suite: RunSuite, case: Malformed
) -> None:
    path = biller_dir / "demo.yaml"
    path.write_bytes(case.content)
    result = run_suite("--biller=demo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert f"{path}:{case.line}:{case.expected}" in errors
    output = result.stdout.str() + errors
    assert "Traceback" not in output
    assert "collected" not in output
    assert path.read_bytes() == case.content  # never rewritten


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


# A broken file in a run of every biller ---------------------------------------------------------

BROKEN = (
    DEMO.read_text(encoding="utf-8")
    .replace("biller: demo\n", "biller: broken\n")
    .replace("multi_user: true\n", 'multi_user: "yes"\n')
    .replace('batch_close: "18:00"', "batch_close: 6pm")
)


@pytest.mark.parametrize("how", [(), ("--biller=all",), ("-n", "2")], ids=["plain", "all", "xdist"])
def test_a_broken_file_stops_that_biller_only(
    biller_dir: Path, suite: Callable[..., SuiteRun], how: tuple[str, ...]
) -> None:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    path = biller_dir / "broken.yaml"
    path.write_text(BROKEN)
    run = suite(*how)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    demo = {name: o for name, o in run.outcomes.items() if "[demo-" in name}
    assert demo["test_setting_131[demo-test]"] == "passed"
    assert len(demo) > 20
    assert not any(outcome in ("failed", "error") for outcome in demo.values())
    errors = [o for o in run.found.values() if o.outcome == "error"]
    assert [o.nodeid for o in errors] == [f"{path.as_posix()}::biller-file"]
    told = errors[0].text
    assert f"{path} has 2 mistakes; fix each of them:" in told
    assert f"{path}:5: field 'multi_user' must be true or false" in told
    assert f"{path}:10: field 'conversion.maintenance_window.batch_close'" in told
    assert "The biller broken was not tested: fix its file and run again." in told
    assert "Traceback" not in run.text
    assert "conversion_qa/" not in told
    assert "1 error" in run.result.stdout.lines[-1]


def test_a_broken_file_named_on_the_command_line_stops_the_run(
    biller_dir: Path, run_suite: RunSuite
) -> None:
    (biller_dir / "demo.yaml").write_text(DEMO.read_text())
    (biller_dir / "broken.yaml").write_text(BROKEN)
    assert run_suite("--biller=demo").ret == pytest.ExitCode.OK
    result = run_suite("--biller=broken")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "has 2 mistakes; fix each of them:" in result.stderr.str()
    assert "collected" not in result.stdout.str()


def test_a_run_of_only_broken_files_fails_and_names_each(
    biller_dir: Path, suite: Callable[..., SuiteRun]
) -> None:
    (biller_dir / "broken.yaml").write_text(BROKEN)
    (biller_dir / "empty.yaml").write_text("")
    run = suite()
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    errors = sorted(o.text for o in run.found.values() if o.outcome == "error")
    assert len(errors) == 2
    assert "empty.yaml:1: is empty; start from billers/demo.yaml" in errors[1]
    assert "Traceback" not in run.text


# Every mistake at once, in words ----------------------------------------------------------------


def test_every_mistake_in_a_file_is_told_at_once_by_line(
    biller_dir: Path, run_suite: RunSuite
) -> None:
    text = (
        DEMO.read_text(encoding="utf-8")
        .replace("multi_user: true\n", "multi_user: yes please\n")
        .replace('batch_close: "18:00"', "batch_close: 6pm")
        .replace('      "25": ic-demo\n', '      "25": ic-demo\n      "25": ic-other\n', 1)
        .replace("expect: 'Go paperless'", "expect: '<div class=\"promo\">'")
        .replace("    portal: https://demo-test", "    portal_url: https://demo-test", 1)
    )
    text += (
        "waivers:\n"
        "  - {rule: iframe-lag, item: bill-view, justification: CDN cut-over later, "
        "expires: 9999-12-31}\n"
    )
    path = biller_dir / "demo.yaml"
    path.write_text(text)
    result = run_suite("--biller=demo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    expected = [
        (5, "field 'multi_user' must be true or false, not 'yes please'"),
        (
            10,
            "field 'conversion.maintenance_window.batch_close' '6pm' is not of the expected "
            'form; write it as batch_close: "18:00" (24-hour HH:MM',
        ),
        (22, "field 'environments.test.portal_url' is not a known field"),
        (31, "field 'environments.test.advanced_settings.25' is written twice (first on line 30)"),
        (62, "field 'custom_code[1].expect' '<div class=\"promo\">' is markup (a tag)"),
        (69, "field 'waivers[0].expires' is 9999-12-31, more than a year after today"),
    ]
    assert f"{path} has {len(expected)} mistakes; fix each of them:" in errors
    positions = []
    for line, words in expected:
        assert f"{path}:{line}: {words}" in errors, errors
        positions.append(errors.index(f"{path}:{line}:"))
    assert positions == sorted(positions)  # by line
    assert "a waiver may last a year at most" in errors
    assert "Traceback" not in result.stdout.str() + errors


@dataclass(frozen=True)
class SyntaxMistake:
    name: str
    old: str
    new: str
    line: int
    words: str  # what the user reads after "<file>:<line>: is not valid YAML: "

    def __str__(self) -> str:
        return self.name


SYNTAX = [
    SyntaxMistake(
        "curly-quotes",
        "name: Demo Gas & Water (conversion-qa example)",
        "name: \u201cDemo: Gas & Water\u201d",
        4,
        "this line has curly quotes (\u201c \u201d), which YAML does not read as quotes; use "
        "straight quotes (\" or ')",
    ),
    SyntaxMistake(
        "tab",
        "  id: DEMO-2026-12\n",
        "\tid: DEMO-2026-12\n",
        7,
        "a tab at line 7, column 1; indent with spaces (YAML does not allow tabs)",
    ),
    SyntaxMistake(
        "unquoted-colon",
        "name: Demo Gas & Water (conversion-qa example)",
        "name: Demo: Gas & Water",
        4,
        "an unquoted colon in a value (at line 4, column 11); put the value in quotes",
    ),
    SyntaxMistake(
        "indented-deeper",
        "    sns_changes: 2026-12-05\n",
        "      sns_changes: 2026-12-05\n",
        15,
        "this line is indented deeper than the line above it, so YAML reads it as part of that "
        "line's value; indent this line as its siblings",
    ),
    SyntaxMistake(
        "indented-less",
        "    sns_changes: 2026-12-05\n",
        "   sns_changes: 2026-12-05\n",
        15,
        "this line is not indented as its siblings (at line 15, column 4); indent this line as "
        "its siblings, with spaces",
    ),
    SyntaxMistake(
        "unclosed-quote",
        '    batch_close: "18:00"\n',
        '    batch_close: "18:00\n',
        10,
        "the quote opened on this line is not closed; close it on the same line",
    ),
]


@pytest.mark.parametrize("case", SYNTAX, ids=str)
def test_a_yaml_syntax_error_is_told_in_words_with_its_line_and_fix(
    biller_dir: Path, run_suite: RunSuite, case: SyntaxMistake
) -> None:
    source = DEMO.read_text(encoding="utf-8")
    assert case.old in source
    path = biller_dir / "demo.yaml"
    path.write_text(source.replace(case.old, case.new, 1), encoding="utf-8")
    result = run_suite("--biller=demo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert f"ERROR: {path}:{case.line}: is not valid YAML: {case.words}" in errors, errors
    for raw in ("mapping values are not allowed", "cannot start any token", "did not find"):
        assert raw not in errors
