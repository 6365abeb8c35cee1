"""A report row's stable id, and a failure's verdict apart from its evidence."""

from __future__ import annotations

import pytest

from conversion_qa.plugin.collector import EVIDENCE, result_of
from conversion_qa.report.results import anchor

PROPERTIES = [("rule", "rtdr"), ("biller", "demo"), ("environment", "test"), ("item", "100234")]
EVIDENCE_TEXT = (
    "Evidence (trimmed, secrets redacted):\nPOST https://cis.example.com/RTDR\n"
    "  sent:     {}\n  answered: HTTP 500 in 0.01 s: <b>down</b>"
)


@pytest.mark.parametrize(
    ("rule", "item", "expected"),
    [
        ("rtdr", "100234", "rule-rtdr--100234"),
        ("setting-131", "", "rule-setting-131"),
        ("endpoint-settings", "cis_service", "rule-endpoint-settings--cis_service"),
        ("public-dns", "cis.example.com", "rule-public-dns--cis.example.com"),
        ("iframe-lag", "<b x='1'>", "rule-iframe-lag--~3c~b~20~x~3d~~27~1~27~~3e~"),
        ("iframe-lag", "~3c~", "rule-iframe-lag--~7e~3c~7e~"),  # no collision with an encoding
    ],
)
def test_each_row_has_an_id_safe_in_a_url_fragment(rule: str, item: str, expected: str) -> None:
    assert anchor(rule, item) == expected


def test_a_failures_verdict_leaves_out_its_evidence_and_keeps_the_rest() -> None:
    text = (
        "[rtdr] RTDR answers\ndemo / test / 100234\n\nRTDR answered HTTP 500.\n\n"
        f"The checklist's troubleshooting:\n  operator-number: passed\n\n{EVIDENCE_TEXT}\n\n"
        "Checklist: QA: confirm RTDR\nTroubleshooting: check the settings"
    )
    report = pytest.TestReport(
        "tests/test_network.py::test_rtdr[demo-test-100234-live]",
        ("tests/test_network.py", 1, "test_rtdr"),
        {},
        "failed",
        text,
        "call",
        user_properties=[*PROPERTIES, ("mode", "live"), (EVIDENCE, EVIDENCE_TEXT)],
    )
    result = result_of([report])
    assert result.outcome == "failed"
    assert result.evidence == EVIDENCE_TEXT
    assert "POST https://cis.example.com/RTDR" not in result.message
    assert result.message.endswith(
        "  operator-number: passed\n\nChecklist: QA: confirm RTDR\n"
        "Troubleshooting: check the settings"
    )
    assert report.longreprtext == text  # the console's text is whole
