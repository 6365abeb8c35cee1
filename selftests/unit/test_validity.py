"""Validity for sign-off is a pure function of a summary: each way a run falls short is a reason."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from conversion_qa.config import load_biller
from conversion_qa.config.model import Waiver
from conversion_qa.config.waivers import describe
from conversion_qa.report import summary, validity
from conversion_qa.report.collector import Group, TestResult
from conversion_qa.report.facts import RunFacts
from conversion_qa.rules.catalogue import RULES
from conversion_qa.rules.items import items_of, not_applicable, not_checked_in
from selftests.helpers import DEMO

RTDR = next(index for index, rule in enumerate(RULES) if rule.id == "rtdr")  # its row

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FACTS = RunFacts("pm@laptop", NOW, NOW, "0.1.0", "abc123", "3.11.9", "8.3.0")


def clean_live() -> dict[str, Any]:
    """A version 2 summary of a clean live run: every rule applies, ran once and passed."""
    return {
        "schema_version": 2,
        "mode": "live",
        "rehearsal": [],
        "rules": [
            {"id": r.id, "status": "passed", "tests": 1, "expected": 1, "applies": True}
            for r in RULES
        ],
        "waivers": [],
        "tests": [{"rule": r.id, "item": "", "outcome": "passed"} for r in RULES],
    }


def changed(data: dict[str, Any], rule_id: str, **fields: object) -> dict[str, Any]:
    for rule in data["rules"]:
        if rule["id"] == rule_id:
            rule.update(fields)
    return data


def test_a_clean_live_run_is_valid() -> None:
    judged = validity.of(clean_live())
    assert judged == validity.Validity(True, ())
    assert judged.verdict == "VALID FOR SIGN-OFF"
    assert judged.as_json() == {"valid": True, "reasons": []}


@pytest.mark.parametrize(
    ("mode", "rehearsed_by", "reason"),
    [
        ("offline", [], "offline: recorded answers prove the file, not the conversion"),
        ("rehearsal", ["--sandbox"], "a rehearsal against the local sandbox"),
        (
            "rehearsal",
            ["--resolve", "--accept-loopback-dns"],
            "a rehearsal (--resolve, --accept-loopback-dns): the real systems were not reached "
            "as the public reaches them",
        ),
        (
            "live<svg>",
            [],
            "mode 'live<svg>' is not one the suite writes (offline, rehearsal or live)",
        ),
    ],
)
def test_only_a_live_run_against_the_real_systems_can_sign_off(
    mode: str, rehearsed_by: list[str], reason: str
) -> None:
    data = clean_live() | {"mode": mode, "rehearsal": rehearsed_by}
    assert validity.of(data) == validity.Validity(False, (reason,))


def test_rules_left_out_of_the_selection_are_named() -> None:
    data = changed(clean_live(), "rtdr", status="not run", tests=0, expected=2)
    data = changed(data, "data-pump", status="not run", tests=0, expected=3)
    assert validity.of(data).reasons == ("rules not run: rtdr, data-pump (a -k or file selection)",)


def test_a_rule_run_for_some_of_its_items_only_is_not_proven() -> None:
    data = changed(clean_live(), "rtdr", tests=1, expected=2)  # -k "rtdr and 100234"
    assert validity.of(data).reasons == ("rules run only in part: rtdr (1 of its 2 tests)",)


def test_rules_that_do_not_apply_never_count_against_the_run() -> None:
    data = changed(clean_live(), "token-login", status="skipped", applies=False, expected=0)
    data = changed(data, "custom-code", status="not run", tests=0, applies=False, expected=0)
    data["tests"] = [t for t in data["tests"] if t["rule"] != "custom-code"]
    data["tests"][[t["rule"] for t in data["tests"]].index("token-login")]["outcome"] = "skipped"
    assert validity.of(data).valid


def test_a_rule_blocked_by_another_rules_input_is_not_proven() -> None:
    # rtdr skips, pointing at setting-131; whatever setting-131 says, rtdr proved nothing
    data = changed(clean_live(), "rtdr", status="skipped")
    data["tests"][[t["rule"] for t in data["tests"]].index("rtdr")]["outcome"] = "skipped"
    assert validity.of(data).reasons == ("rules skipped, so not proven: rtdr",)
    # one item skipped among passed ones: the rule's status says passed, its tests do not
    data = changed(clean_live(), "data-pump", tests=3, expected=3)
    data["tests"] += [
        {"rule": "data-pump", "item": "paperless", "outcome": "passed"},
        {"rule": "data-pump", "item": "autopay", "outcome": "skipped"},
    ]
    assert validity.of(data).reasons == ("rules skipped, so not proven: data-pump",)


def test_failed_rules_and_expired_waivers_are_each_a_reason_after_the_mode() -> None:
    data = changed(clean_live(), "rtdr", status="failed")
    data = changed(data, "iframe-lag", status="failed")
    data["mode"], data["rehearsal"] = "rehearsal", ["--sandbox"]
    data["waivers"] = [
        {"rule": "iframe-lag", "item": None, "expires": "2026-10-31", "active": False},
        {"rule": "custom-code", "item": "banner", "expires": "2099-12-31", "active": True},
    ]
    assert validity.of(data).reasons == (
        "a rehearsal against the local sandbox",
        "rtdr, iframe-lag failed",
        "a waiver for iframe-lag expired on 2026-10-31",
    )


def test_warnings_and_active_waivers_do_not_stop_a_sign_off() -> None:
    data = changed(clean_live(), "iframe-lag", status="warning")
    data = changed(data, "custom-code", status="waived")
    data["waivers"] = [
        {"rule": "custom-code", "item": None, "expires": "2099-12-31", "active": True}
    ]
    assert validity.of(data).valid


def test_a_version_1_summary_is_never_valid_and_says_why() -> None:
    old: dict[str, Any] = {
        "schema_version": 1,
        "mode": "live",  # perhaps a rehearsal: version 1 did not tell them apart
        "rules": [{"id": r.id, "status": "passed", "tests": 1} for r in RULES],
    }
    assert validity.of(old).reasons == (validity.VERSION_1_REASON,)
    old["rules"][0]["status"] = "failed"
    assert validity.of(old).reasons[1:] == ("endpoints-received failed",)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d.pop("rules"), "the summary lists no rules"),
        (lambda d: d.update(rules="all passed"), "the summary lists no rules"),
        (
            lambda d: d.update(schema_version=7),
            "summary.json version 7 is not one this suite reads",
        ),
        (
            lambda d: d["rules"][RTDR].pop("applies"),
            "rules the summary does not fully describe: rtdr",
        ),
        (
            lambda d: d["rules"][RTDR].update(expected="2"),
            "rules the summary does not fully describe: rtdr",
        ),
    ],
    ids=["no-rules", "rules-not-a-list", "version", "applies-missing", "expected-text"],
)
def test_an_edited_summary_is_not_valid(edit: Any, reason: str) -> None:
    data = clean_live()
    assert data["rules"][RTDR]["id"] == "rtdr"
    edit(data)
    assert reason in validity.of(data).reasons


def _demo_results(mode: str) -> list[TestResult]:
    """Every test a whole run of the demo biller's test environment has, each passed."""
    demo = load_biller(DEMO)
    return [
        TestResult(f"tests/x.py::test[{rule.id}-{item}]", rule.id, item or "", "passed", "", 0.1)
        for rule in RULES
        if not_applicable(rule, demo) is None and not_checked_in(rule, "test") is None
        for item in items_of(rule.id, demo, demo.environment("test"))
    ]


def _built(
    mode: str,
    results: list[TestResult],
    rehearsed_by: tuple[str, ...] = (),
    waivers: tuple[Waiver, ...] = (),
) -> Any:
    biller = dataclasses.replace(load_biller(DEMO), waivers=waivers)
    facts = summary.BillerFacts.of(biller)
    built = summary.build(Group("demo", "test", mode), facts, FACTS, results, rehearsed_by)
    summary.validate(built)
    return built


def test_a_live_summary_the_archiver_builds_is_valid_when_every_test_ran_and_passed() -> None:
    # A self-test cannot reach the real systems; the integration test's clean live run reroutes
    # its sockets to the sandbox. Here the same summary is built from results directly.
    results = _demo_results("live")
    built = _built("live", results)
    assert built["signoff"] == {"valid": True, "reasons": []}
    assert list(built)[:2] == ["schema_version", "signoff"]  # stated first
    assert all(r["tests"] == r["expected"] for r in built["rules"] if r["applies"])
    assert [r["id"] for r in built["rules"] if not r["applies"]] == ["production-matches-test"]

    rehearsal = _built("rehearsal", results, ("--sandbox",))
    assert rehearsal["signoff"]["reasons"] == ["a rehearsal against the local sandbox"]
    assert rehearsal["rehearsal"] == ["--sandbox"]
    partial = _built("live", [r for r in results if r.item != "100235"])
    assert partial["signoff"]["reasons"] == ["rules run only in part: rtdr (1 of its 2 tests)"]


def test_the_summary_records_the_waivers_a_run_used_and_whether_they_were_active() -> None:
    expired = Waiver("iframe-lag", "bill-view", "CDN cut-over", date(2026, 10, 31), 40)
    active = Waiver("custom-code", None, "deployed Monday", date(2099, 12, 31), 44)
    unused = Waiver("rtdr", None, "never needed", date(2099, 12, 31), 48)
    results = [r for r in _demo_results("live") if r.rule not in ("iframe-lag", "custom-code")]
    results += [
        TestResult("n1", "iframe-lag", "bill-view", "failed", "slow", 0.1),
        TestResult("n2", "custom-code", "budget-billing-banner", "waived", describe(active), 0.1),
        TestResult("n3", "custom-code", "paperless-promo", "passed", "", 0.1),
    ]
    built = _built("live", results, waivers=(expired, active, unused))
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
    results = [r for r in _demo_results("live") if r.rule != "iframe-lag"]
    why = "no answer from the portal (demo-test.portal.example.com)"
    results.append(
        TestResult("n1", "iframe-lag", "bill-view", "not-checked", "Not checked: ...", 0.1, why=why)
    )
    built = _built("live", results, waivers=(waiver,))
    assert [w["state"] for w in built["waivers"]] == ["not applicable"]
    assert built["signoff"]["reasons"] == [f"rules not checked: iframe-lag ({why})"]
    (row,) = [r for r in built["rules"] if r["id"] == "iframe-lag"]
    assert (row["status"], row["why"]) == ("not-checked", why)
    assert [t["why"] for t in built["tests"] if t["rule"] == "iframe-lag"] == [why]
    assert built["counts"]["not-checked"] == 1
    assert built["counts"]["failed"] == 0


def test_rules_not_checked_are_named_apart_from_failures_grouped_by_why() -> None:
    down = "no answer from the CIS Service (enquesta-test.demo.example.com)"
    results = [
        r for r in _demo_results("live") if r.rule not in ("rtdr", "data-pump", "option-127")
    ]
    results += [
        TestResult("n1", "rtdr", "100234", "not-checked", "", 0.1, why=down),
        TestResult("n2", "rtdr", "100235", "failed", "wrong", 0.1),
        TestResult("n3", "data-pump", "payment", "not-checked", "", 0.1, why=down),
        TestResult("n4", "data-pump", "paperless", "passed", "", 0.1),
        TestResult("n5", "data-pump", "autopay", "passed", "", 0.1),
        TestResult("n6", "option-127", "", "not-checked", "", 0.1, why="DEMO_X is not set"),
    ]
    built = _built("live", results)
    assert built["signoff"]["reasons"] == [
        "rtdr failed",  # a failure is the rule's news, whatever else it had
        f"rules not checked: option-127 (DEMO_X is not set); data-pump ({down})",
    ]


def test_a_run_checked_without_a_browser_is_not_valid() -> None:
    results = [
        dataclasses.replace(r, without_browser=r.rule in ("custom-code", "iframe-lag"))
        for r in _demo_results("live")
    ]
    built = _built("live", results)
    assert built["without_browser"] == ["custom-code", "iframe-lag"]
    assert built["signoff"]["reasons"] == ["custom-code and iframe-lag checked without a browser"]


def test_a_version_3_summary_that_does_not_say_whether_a_browser_was_used_is_not_valid() -> None:
    data = {**clean_live(), "schema_version": 3}
    assert validity.of(data).reasons == ("the summary does not say whether a browser was used",)
    assert validity.of({**data, "without_browser": []}).valid
