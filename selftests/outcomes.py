"""The one reader of a self-test run's outcomes: each rule test's outcome and what its user reads.

Outcomes: passed, warned (passed with a warning), failed, not checked (the test could not
look: its pytest report failed, marked not checked), error (setup or teardown failed), skipped,
waived (a failure a waiver accepts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from conversion_qa.plugin.collector import NOT_CHECKED


@dataclass(frozen=True)
class Outcome:
    nodeid: str
    rule: str
    mode: str  # offline, rehearsal or live (Run.mode)
    outcome: str
    text: str  # the failure, the skip reason, the warning or the waiver, as the user reads it

    def __iter__(self) -> Iterator[str]:
        """An outcome unpacks as (outcome, text): `outcome, words = only(found)`."""
        return iter((self.outcome, self.text))

    @property
    def name(self) -> str:
        """`test_setting_131[demo-test]`."""
        return self.nodeid.rpartition("::")[2]

    @property
    def test_id(self) -> str:
        """`demo-test`: the parameters of the test's name."""
        return self.name.partition("[")[2].rstrip("]")


def outcomes(result: pytest.RunResult) -> dict[str, Outcome]:
    """Each test's outcome by node id, read from the reports of an in-process run."""
    reprec = result.reprec  # type: ignore[attr-defined]
    by_node: dict[str, list[pytest.TestReport]] = defaultdict(list)
    for report in reprec.getreports("pytest_runtest_logreport"):
        by_node[report.nodeid].append(report)
    return {nodeid: _outcome(nodeid, reports) for nodeid, reports in by_node.items()}


def _outcome(nodeid: str, reports: list[pytest.TestReport]) -> Outcome:
    properties = {str(k): str(v) for r in reports for k, v in r.user_properties}
    outcome, text = "passed", ""
    for report in reports:
        if report.failed:
            outcome = "failed" if report.when == "call" else "error"
            text = report.longreprtext
            break
        if report.skipped:
            outcome, text = "skipped", report.longreprtext
    if outcome == "failed" and NOT_CHECKED in properties:
        outcome = "not checked"
    if "waived" in properties:
        outcome, text = "waived", properties["waived"]
    elif outcome == "passed" and "warning" in properties:
        outcome, text = "warned", properties["warning"]
    return Outcome(nodeid, properties.get("rule", ""), properties.get("mode", ""), outcome, text)


def by_name(found: dict[str, Outcome]) -> dict[str, str]:
    """`test_setting_131[demo-test]` -> its outcome."""
    return {o.name: o.outcome for o in found.values()}


def by_test_id(found: dict[str, Outcome]) -> dict[str, Outcome]:
    """`demo-test-cis.biller.test` -> its outcome (for runs of one test function)."""
    return {o.test_id: o for o in found.values()}


def failed_rules(found: dict[str, Outcome]) -> set[str]:
    """The rule ids with a failed test."""
    return {o.rule for o in found.values() if o.outcome == "failed"}


def not_checked_rules(found: dict[str, Outcome]) -> set[str]:
    """The rule ids with a test not checked."""
    return {o.rule for o in found.values() if o.outcome == "not checked"}


def failed_tests(found: dict[str, Outcome]) -> dict[str, set[str]]:
    """Failed test ids by test function: {"test_setting_131": {"demo-test"}}."""
    failed: dict[str, set[str]] = {}
    for outcome in found.values():
        if outcome.outcome == "failed":
            failed.setdefault(outcome.name.partition("[")[0], set()).add(outcome.test_id)
    return failed


def only_rules(found: dict[str, Outcome], rules: tuple[str, ...]) -> dict[str, Outcome]:
    """The outcomes of these rules' tests only."""
    return {n: o for n, o in found.items() if o.rule in rules}
