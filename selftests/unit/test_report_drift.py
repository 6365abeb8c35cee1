"""The drift table: rows carried as JSON (a user property of each test), gathered once each,
shown escaped."""

from __future__ import annotations

from conversion_qa.config.secrets import remember_secret
from conversion_qa.report import drift
from conversion_qa.rules.drift import AGAINST_FILE, AGAINST_TEST, Comparison, Match


def row(field: str, expected: str, found: str, verdict: Match, note: str = "") -> Comparison:
    return Comparison(field=field, expected=expected, found=found, verdict=verdict, note=note)


TWELVE = row("Advanced Setting 12", "0417", "0418", Match.DIFFERS)
TWENTY = row("Advanced Setting 20", "https://a/x", "https://a/x", Match.MATCHES)
OPTION = row("Option 127", "enabled (true)", "enabled (true)", Match.MATCHES)


def test_rows_are_gathered_once_each_in_table_then_setting_order() -> None:
    values = [
        drift.encoded(AGAINST_FILE, [OPTION, TWENTY]),
        drift.encoded(AGAINST_FILE, [TWELVE]),
        drift.encoded(AGAINST_FILE, [TWENTY]),  # read by two rules
        drift.encoded(AGAINST_TEST, [TWELVE]),
    ]
    rows = drift.rows_of(values)
    assert [(r.against, r.setting) for r in rows] == [
        (AGAINST_FILE, "Advanced Setting 12"),
        (AGAINST_FILE, "Advanced Setting 20"),
        (AGAINST_FILE, "Option 127"),
        (AGAINST_TEST, "Advanced Setting 12"),
    ]
    assert rows[0].differs
    assert not rows[1].differs


def test_a_property_of_that_name_that_is_not_ours_is_left_out() -> None:
    assert drift.rows_of(["not json", "[1]"]) == []


def test_no_rows_no_table() -> None:
    assert drift.table([]) == ""


def test_the_table_escapes_every_value_and_heads_each_comparison() -> None:
    hostile = row("Advanced Setting 25", "<b>x</b>", "<script>alert(1)</script>", Match.DIFFERS)
    rows = drift.rows_of(
        [drift.encoded(AGAINST_FILE, [hostile]), drift.encoded(AGAINST_TEST, [OPTION])]
    )
    html = drift.table(rows)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<th>Setting</th><th>File</th><th>Portal</th><th>Verdict</th>" in html
    assert "<th>Setting</th><th>Test portal</th><th>Production portal</th>" in html
    assert '<td class="verdict-differs">DIFFERS</td>' in html


def test_a_known_secret_value_never_reaches_the_property() -> None:
    remember_secret("a-known-secret-value")
    leaked = row("Advanced Setting 25", "a-known-secret-value", "x", Match.DIFFERS)
    assert "a-known-secret-value" not in drift.encoded(AGAINST_FILE, [leaked])
