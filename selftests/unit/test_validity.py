"""Validity for sign-off is a pure function of a summary: each way a run falls short is a reason."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from conversion_qa.config import load_biller
from conversion_qa.config.model import Waiver
from conversion_qa.config.waivers import describe
from conversion_qa.report import summary, summary_json, validity
from conversion_qa.report.facts import RunFacts
from conversion_qa.report.results import (
    Mode,
    Outcome,
    Status,
    TestResult,
    WaiverState,
    WaiverUse,
)
from conversion_qa.rules.catalogue import RULES
from conversion_qa.rules.items import items_of, not_applicable, not_checked_in
from selftests.helpers import DEMO
from selftests.summaries import clean_live, first_test_of, with_rule, with_tests

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FACTS = RunFacts("pm@laptop", NOW, NOW, "0.1.0", "abc123", "3.11.9", "8.3.0")


def test_a_clean_live_run_is_valid() -> None:
    judged = validity.of(clean_live())
    assert judged == validity.Validity(True, ())
    assert judged.verdict == "VALID FOR SIGN-OFF"


@pytest.mark.parametrize(
    ("mode", "rehearsed_by", "reason"),
    [
        (Mode.OFFLINE, (), "offline: recorded answers prove the file, not the conversion"),
        (Mode.REHEARSAL, ("--sandbox",), "a rehearsal against the local sandbox"),
        (
            Mode.REHEARSAL,
            ("--resolve", "--accept-loopback-dns"),
            "a rehearsal (--resolve, --accept-loopback-dns): the real systems were not reached "
            "as the public reaches them",
        ),
    ],
)
def test_only_a_live_run_against_the_real_systems_can_sign_off(
    mode: Mode, rehearsed_by: tuple[str, ...], reason: str
) -> None:
    data = dataclasses.replace(clean_live(), mode=mode, rehearsal=rehearsed_by)
    assert validity.of(data) == validity.Validity(False, (reason,))


def test_rules_left_out_of_the_selection_are_named() -> None:
    data = with_rule(clean_live(), "rtdr", status=Status.NOT_RUN, tests=0, expected=2)
    data = with_rule(data, "data-pump", status=Status.NOT_RUN, tests=0, expected=3)
    assert validity.of(data).reasons == ("rules not run: rtdr, data-pump (a -k or file selection)",)


def test_a_rule_run_for_some_of_its_items_only_is_not_proven() -> None:
    data = with_rule(clean_live(), "rtdr", tests=1, expected=2)  # -k "rtdr and 100234"
    assert validity.of(data).reasons == ("rules run only in part: rtdr (1 of its 2 tests)",)


def test_rules_that_do_not_apply_never_count_against_the_run() -> None:
    data = with_rule(clean_live(), "token-login", status=Status.SKIPPED, applies=False, expected=0)
    data = with_rule(data, "custom-code", status=Status.NOT_RUN, tests=0, applies=False, expected=0)
    tests = [t for t in data.tests if t.rule != "custom-code"]
    index = [t.rule for t in tests].index("token-login")
    tests[index] = dataclasses.replace(tests[index], outcome=Outcome.SKIPPED)
    assert validity.of(with_tests(data, tests)).valid


def test_a_rule_blocked_by_another_rules_input_is_not_proven() -> None:
    # rtdr skips, pointing at setting-131; whatever setting-131 says, rtdr proved nothing
    data = with_rule(clean_live(), "rtdr", status=Status.SKIPPED)
    tests = list(data.tests)
    index = first_test_of(data, "rtdr")
    tests[index] = dataclasses.replace(tests[index], outcome=Outcome.SKIPPED)
    assert validity.of(with_tests(data, tests)).reasons == ("rules skipped, so not proven: rtdr",)
    # one item skipped among passed ones: the rule's status says passed, its tests do not
    data = with_rule(clean_live(), "data-pump", tests=3, expected=3)
    tests = [
        *data.tests,
        TestResult("n1", "data-pump", "paperless", Outcome.PASSED, "", 0.1),
        TestResult("n2", "data-pump", "autopay", Outcome.SKIPPED, "", 0.1),
    ]
    assert validity.of(with_tests(data, tests)).reasons == (
        "rules skipped, so not proven: data-pump",
    )


def test_failed_rules_and_expired_waivers_are_each_a_reason_after_the_mode() -> None:
    data = with_rule(clean_live(), "rtdr", status=Status.FAILED)
    data = with_rule(data, "iframe-lag", status=Status.FAILED)
    data = dataclasses.replace(
        data,
        mode=Mode.REHEARSAL,
        rehearsal=("--sandbox",),
        waivers=(
            WaiverUse("iframe-lag", None, date(2026, 10, 31), "slow", WaiverState.EXPIRED),
            WaiverUse("custom-code", "banner", date(2099, 12, 31), "later", WaiverState.ACTIVE),
        ),
    )
    assert validity.of(data).reasons == (
        "a rehearsal against the local sandbox",
        "rtdr, iframe-lag failed",
        "a waiver for iframe-lag expired on 2026-10-31",
    )


def test_warnings_and_active_waivers_do_not_stop_a_sign_off() -> None:
    data = with_rule(clean_live(), "iframe-lag", status=Status.WARNING)
    data = with_rule(data, "custom-code", status=Status.WAIVED)
    data = dataclasses.replace(
        data, waivers=(WaiverUse("custom-code", None, date(2099, 12, 31), "x", WaiverState.ACTIVE),)
    )
    assert validity.of(data).valid


def test_a_version_1_summary_is_never_valid_and_says_why() -> None:
    old = dataclasses.replace(clean_live(), version=1)  # live, perhaps a rehearsal
    old = dataclasses.replace(
        old, rules=tuple(dataclasses.replace(r, applies=None, expected=None) for r in old.rules)
    )
    assert validity.of(old).reasons == (validity.VERSION_1_REASON,)
    old = with_rule(old, "endpoints-received", status=Status.FAILED)
    assert validity.of(old).reasons[1:] == ("endpoints-received failed",)


def test_a_summary_without_rules_is_not_valid() -> None:
    data = dataclasses.replace(clean_live(), rules=())
    assert "the summary lists no rules" in validity.of(data).reasons


def _demo_results() -> list[TestResult]:
    """Every test a whole run of the demo biller's test environment has, each passed."""
    demo = load_biller(DEMO)
    return [
        TestResult(
            f"tests/x.py::test[{rule.id}-{item}]", rule.id, item or "", Outcome.PASSED, "", 0.1
        )
        for rule in RULES
        if not_applicable(rule, demo) is None and not_checked_in(rule, "test") is None
        for item in items_of(rule.id, demo, demo.environment("test"))
    ]


def _built(
    mode: Mode,
    results: list[TestResult],
    rehearsed_by: tuple[str, ...] = (),
    waivers: tuple[Waiver, ...] = (),
) -> Any:
    biller = dataclasses.replace(load_biller(DEMO), waivers=waivers)
    facts = summary.BillerFacts.of(biller)
    built = summary.build(facts, "test", mode, FACTS, results, rehearsed_by)
    data = summary_json.as_json(built)
    summary_json.validate(data)
    assert summary_json.read(data) == built  # read back as written
    return data


def test_a_live_summary_the_archiver_builds_is_valid_when_every_test_ran_and_passed() -> None:
    # A self-test cannot reach the real systems; the integration test's clean live run reroutes
    # its sockets to the sandbox. Here the same summary is built from results directly.
    results = _demo_results()
    built = _built(Mode.LIVE, results)
    assert built["signoff"] == {"valid": True, "reasons": []}
    assert list(built)[:2] == ["schema_version", "signoff"]  # stated first
    assert all(r["tests"] == r["expected"] for r in built["rules"] if r["applies"])
    assert [r["id"] for r in built["rules"] if not r["applies"]] == ["production-matches-test"]

    rehearsal = _built(Mode.REHEARSAL, results, ("--sandbox",))
    assert rehearsal["signoff"]["reasons"] == ["a rehearsal against the local sandbox"]
    assert rehearsal["rehearsal"] == ["--sandbox"]
    partial = _built(Mode.LIVE, [r for r in results if r.item != "100235"])
    assert partial["signoff"]["reasons"] == ["rules run only in part: rtdr (1 of its 2 tests)"]


def test_the_summary_records_the_waivers_a_run_used_and_whether_they_were_active() -> None:
    expired = Waiver("iframe-lag", "bill-view", "CDN cut-over", date(2026, 10, 31), 40)
    active = Waiver("custom-code", None, "deployed Monday", date(2099, 12, 31), 44)
    unused = Waiver("rtdr", None, "never needed", date(2099, 12, 31), 48)
    results = [r for r in _demo_results() if r.rule not in ("iframe-lag", "custom-code")]
    results += [
        TestResult("n1", "iframe-lag", "bill-view", Outcome.FAILED, "slow", 0.1),
        TestResult(
            "n2", "custom-code", "budget-billing-banner", Outcome.WAIVED, describe(active), 0.1
        ),
        TestResult("n3", "custom-code", "paperless-promo", Outcome.PASSED, "", 0.1),
    ]
    built = _built(Mode.LIVE, results, waivers=(expired, active, unused))
    assert built["waivers"] == [
        {
            "rule": "iframe-lag",
            "item": "bill-view",
            "expires": "2026-10-31",
            "justification": "CDN cut-over",
            "state": "expired",
        },
        {
            "rule": "custom-code",
            "item": None,
            "expires": "2099-12-31",
            "justification": "deployed Monday",
            "state": "active",
        },
    ]
    assert built["signoff"]["reasons"] == [
        "iframe-lag failed",
        "a waiver for iframe-lag (bill-view) expired on 2026-10-31",
    ]


def test_a_waiver_matching_a_test_not_checked_is_not_applicable_and_never_said_expired() -> None:
    waiver = Waiver("iframe-lag", "bill-view", "CDN cut-over", date(2026, 12, 31), 40)
    results = [r for r in _demo_results() if r.rule != "iframe-lag"]
    why = "no answer from the portal (demo-test.portal.example.com)"
    results.append(
        TestResult(
            "n1", "iframe-lag", "bill-view", Outcome.NOT_CHECKED, "Not checked: ...", 0.1, why=why
        )
    )
    built = _built(Mode.LIVE, results, waivers=(waiver,))
    assert [w["state"] for w in built["waivers"]] == ["not applicable"]
    assert built["signoff"]["reasons"] == [f"rules not checked: iframe-lag ({why})"]
    (row,) = [r for r in built["rules"] if r["id"] == "iframe-lag"]
    assert (row["status"], row["why"]) == ("not-checked", why)
    assert [t["why"] for t in built["tests"] if t["rule"] == "iframe-lag"] == [why]
    assert built["counts"]["not-checked"] == 1
    assert built["counts"]["failed"] == 0


def test_rules_not_checked_are_named_apart_from_failures_grouped_by_why() -> None:
    down = "no answer from the CIS Service (enquesta-test.demo.example.com)"
    results = [r for r in _demo_results() if r.rule not in ("rtdr", "data-pump", "option-127")]
    results += [
        TestResult("n1", "rtdr", "100234", Outcome.NOT_CHECKED, "", 0.1, why=down),
        TestResult("n2", "rtdr", "100235", Outcome.FAILED, "wrong", 0.1),
        TestResult("n3", "data-pump", "payment", Outcome.NOT_CHECKED, "", 0.1, why=down),
        TestResult("n4", "data-pump", "paperless", Outcome.PASSED, "", 0.1),
        TestResult("n5", "data-pump", "autopay", Outcome.PASSED, "", 0.1),
        TestResult("n6", "option-127", "", Outcome.NOT_CHECKED, "", 0.1, why="DEMO_X is not set"),
    ]
    built = _built(Mode.LIVE, results)
    assert built["signoff"]["reasons"] == [
        "rtdr failed",  # a failure is the rule's news, whatever else it had
        f"rules not checked: option-127 (DEMO_X is not set); data-pump ({down})",
    ]


def test_a_run_checked_without_a_browser_is_not_valid() -> None:
    results = [
        dataclasses.replace(r, without_browser=r.rule in ("custom-code", "iframe-lag"))
        for r in _demo_results()
    ]
    built = _built(Mode.LIVE, results)
    assert built["without_browser"] == ["custom-code", "iframe-lag"]
    assert built["signoff"]["reasons"] == ["custom-code and iframe-lag checked without a browser"]


def test_a_version_2_summary_is_read_as_version_3_and_judged_as_before() -> None:
    written = summary_json.as_json(with_rule(clean_live(), "rtdr", status=Status.FAILED))
    old = {**written, "schema_version": 2}
    del old["without_browser"]
    old["counts"] = {k: v for k, v in old["counts"].items() if k != "not-checked"}
    for entry in (*old["rules"], *old["tests"]):
        del entry["why"]
    old["waivers"] = [
        {
            "rule": "rtdr",
            "item": None,
            "expires": "2026-10-31",
            "justification": "x",
            "active": False,
        }
    ]
    read = summary_json.read(old)
    assert read.version == 2
    assert read.without_browser == ()  # not recorded: never a reason
    assert [w.state for w in read.waivers] == [WaiverState.EXPIRED]
    assert validity.of(read).reasons == (
        "rtdr failed",
        "a waiver for rtdr expired on 2026-10-31",
    )
