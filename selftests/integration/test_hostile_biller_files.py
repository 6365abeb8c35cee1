"""A hostile or mistaken biller file is refused before any test, fast, with one paragraph.

YAML anchors and aliases (a 2.6 KB "billion laughs" file expands to a billion values), a file
too big or with too many values, and identifiers that end in a line break.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selftests.helpers import DEMO, RunSuite

DEMO_TEXT = DEMO.read_text(encoding="utf-8")


def billion_laughs(levels: int) -> str:
    """The demo file, then `levels` levels of ten aliases each: 10**levels values expanded."""
    lines = [DEMO_TEXT, 'laugh0: &laugh0 ["lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*laugh{level - 1}"] * 10)
        lines.append(f"laugh{level}: &laugh{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def refused(run_suite: RunSuite, path: Path, line: int, *expected: str) -> str:
    """Run the suite on the file; it must stop with exit 4 and one paragraph naming file:line."""
    result = run_suite(f"--biller={path.stem}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    errors = result.stderr.str()
    assert f"ERROR: {path}:{line}:" in errors, errors
    assert len(errors.strip().splitlines()) == 1, errors  # one paragraph
    for part in expected:
        assert part in errors, errors
    output = result.stdout.str() + errors
    assert "Traceback" not in output
    assert "collected" not in output
    return errors


def line_of(text: str, needle: str) -> int:
    """The first line, not a comment, that holds the needle."""
    lines = enumerate(text.splitlines(), 1)
    return next(n for n, line in lines if needle in line and not line.lstrip().startswith("#"))


def test_a_nine_level_billion_laughs_is_refused_at_its_first_anchor(
    biller_dir: Path, run_suite: RunSuite
) -> None:
    text = billion_laughs(9)
    assert len(text.encode()) < 4096  # a small file: the danger is in the expansion
    path = biller_dir / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    refused(
        run_suite,
        path,
        line_of(text, "&laugh0"),
        "uses the YAML anchor &laugh0",
        "anchors (&name) and aliases (*name) are not allowed",
        "write each value out in full",
    )


def test_a_single_alias_is_refused_where_it_is_used(biller_dir: Path, run_suite: RunSuite) -> None:
    # an anchor alone is harmless, but a biller file has no use for one either
    text = DEMO_TEXT.replace('"25": ic-demo', '"25": &client ic-demo', 1).replace(
        '      "27": TOKEN\n', '      "27": TOKEN\n      "28": *client\n', 1
    )
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(run_suite, path, line_of(text, "&client"), "uses the YAML anchor &client")
    text = text.replace("&client ", "", 1)
    path.write_text(text, encoding="utf-8")
    refused(run_suite, path, line_of(text, "*client"), "uses the YAML alias *client")


def test_a_merge_key_needs_an_alias_and_is_refused(biller_dir: Path, run_suite: RunSuite) -> None:
    text = DEMO_TEXT.replace("  production:\n", "  production:\n    <<: *test_env\n", 1).replace(
        "  test:\n", "  test: &test_env\n", 1
    )
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(run_suite, path, line_of(text, "&test_env"), "uses the YAML anchor &test_env")


def test_a_file_over_one_mebibyte_is_refused_unread(biller_dir: Path, run_suite: RunSuite) -> None:
    filler = "# " + "x" * 97 + "\n"  # 100 bytes a line
    text = DEMO_TEXT + filler * 10_500
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    limit_line = text.encode()[: 1024 * 1024].count(b"\n") + 1
    refused(
        run_suite,
        path,
        limit_line,
        f"is {len(text.encode()):,} bytes; a biller file may be at most 1,048,576 bytes (1 MiB)",
    )


def test_a_file_with_too_many_values_is_refused(biller_dir: Path, run_suite: RunSuite) -> None:
    accounts = ", ".join(["0"] * 100_001)  # 200 KB: under the size cap
    text = DEMO_TEXT.replace(
        'test_accounts: ["100234", "100235"]', f"test_accounts: [{accounts}]", 1
    )
    assert len(text.encode()) < 1024 * 1024
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(
        run_suite,
        path,
        line_of(text, "test_accounts: [0, 0"),
        "has more than 100,000 YAML values",
    )


def test_a_file_nested_too_deep_is_refused(biller_dir: Path, run_suite: RunSuite) -> None:
    # each level is a frame of the reader's recursion; libyaml itself stops at 1,000 levels
    text = DEMO_TEXT + "deep: " + "[" * 990 + "]" * 990 + "\n"
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(run_suite, path, line_of(text, "deep: [[["), "nests values more than 32 levels deep")


@pytest.mark.parametrize(
    ("field", "old", "new", "line_text"),
    [
        ("biller", "biller: demo\n", 'biller: "demo\\n"\n', "biller:"),
        (
            "conversion.id",
            "  id: DEMO-2026-12\n",
            "  id: |\n    DEMO-2026-12\n",
            "  id: |",
        ),
        (
            "environments.test.test_accounts[0]",
            'test_accounts: ["100234", "100235"]',
            'test_accounts: ["100234\\n", "100235"]',
            'test_accounts: ["100234',
        ),
        (
            "conversion.maintenance_window.batch_close",
            'batch_close: "18:00"',
            'batch_close: "18:00\\n"',
            "batch_close:",
        ),
        (
            "environments.test.advanced_settings['131\\n']",
            """      "131": '{"Sys""",
            """      "131\\n": '{"Sys""",
            '"131\\n":',
        ),
    ],
    ids=["biller-id", "conversion-id", "test-account", "batch-close", "setting-number"],
)
def test_an_identifier_ending_in_a_line_break_is_refused(
    biller_dir: Path, run_suite: RunSuite, field: str, old: str, new: str, line_text: str
) -> None:
    # Python's `$` also matches before a final line break: "DEMO-2026-12\n" would share
    # DEMO-2026-12's report folder
    assert old in DEMO_TEXT
    text = DEMO_TEXT.replace(old, new, 1)
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(
        run_suite,
        path,
        line_of(text, line_text),
        f"field '{field}'",
        "ends with a line break",
    )


def test_an_expect_of_a_tag_and_8000_spaces_is_refused_by_its_length(
    biller_dir: Path, run_suite: RunSuite
) -> None:
    # 8 KB: with the backtracking pattern this took 7 minutes and was then accepted (the
    # self-tests' timeout stops it); the scanner's work is counted in unit/test_custom_code_fields
    bomb = "<b" + " " * 8_000
    text = DEMO_TEXT.replace("expect: 'Go paperless'", f"expect: '{bomb}'", 1)
    assert bomb in text
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    refused(
        run_suite,
        path,
        line_of(text, "expect: '<b"),
        "field 'custom_code[1].expect' is 8,002 characters long; at most 1,000 are allowed here",
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "limit"),
    [
        (
            "selector: '[data-demo=\"budget-banner\"]'",
            "selector: '" + "div " * 300 + "'",
            "custom_code[0].selector",
            "1,000",
        ),
        ("name: Demo Gas & Water (conversion-qa example)", "name: " + "Demo " * 60, "name", "200"),
        (
            '"25": ic-demo',
            '"25": ' + "x" * 4_001,
            "environments.test.advanced_settings.25",
            "4,000",
        ),
    ],
    ids=["selector", "name", "setting"],
)
def test_a_free_text_longer_than_the_schema_allows_is_refused_in_a_sentence(
    biller_dir: Path, run_suite: RunSuite, old: str, new: str, field: str, limit: str
) -> None:
    assert old in DEMO_TEXT
    text = DEMO_TEXT.replace(old, new, 1)
    path = biller_dir / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    errors = refused(run_suite, path, line_of(text, new[:12]), f"field '{field}' is ")
    assert f"characters long; at most {limit} are allowed here" in errors
    assert new[-40:] not in errors  # the value is not repeated at length
