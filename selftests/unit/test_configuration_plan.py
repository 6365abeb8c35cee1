"""tender-types, test-portal-lead-time, maintenance-window and conversion-weekend, called directly.

The demo window opens Thursday 2026-12-03 at 18:00 (EST, batch close 18:00) and closes Monday
2026-12-07 at 06:00; its ITG went in on 2026-10-19, 45 days ahead.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from conversion_qa.rules.slices import test_portal_lead_time as lead_time
from conversion_qa.rules.slices.conversion_weekend import WEEKEND_STEPS, weekend_step
from conversion_qa.rules.slices.maintenance_window import maintenance_window
from conversion_qa.rules.slices.tender_types import tender_type, tender_types_declared
from selftests.unit.builders import EST, Blocked, Problem, conversion, demo, tenders

WHERE = "billers/demo.yaml:7"
START = datetime(2026, 12, 3, 18, 0, tzinfo=EST)
FRIDAY, SATURDAY, SUNDAY = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6)
THURSDAY, MONDAY = date(2026, 12, 3), date(2026, 12, 7)


# tender-types -----------------------------------------------------------------------------------


def test_tender_types_declared_passes_for_the_demo_biller() -> None:
    assert tender_types_declared(demo().tender_types, WHERE) is None


def test_no_tender_types_is_a_problem_telling_how_to_add_them() -> None:
    problem = tender_types_declared((), WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "No tender types are recorded."
    assert "one S&S payment code per payment method" in problem.expected
    assert problem.found == "an empty list"
    assert "tender_types:" in (problem.fix or "")
    assert problem.where == WHERE


@pytest.mark.parametrize("method", ["card", "ach"])
def test_each_demo_payment_method_has_its_own_code(method: str) -> None:
    assert tender_type(demo().tender_types, method, WHERE) is None


def test_a_payment_method_listed_twice_is_a_problem_showing_both_codes() -> None:
    declared = tenders(("card", "CC"), ("ach", "ACH"), ("card", "CC2"))
    problem = tender_type(declared, "card", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The payment method card is listed 2 times."
    assert problem.expected == "one unique S&S payment code for card"
    assert problem.found == "'CC', 'CC2'"
    assert problem.fix == "keep one entry per method"
    assert problem.where == WHERE


@pytest.mark.parametrize("code", [None, "", "  "], ids=["none", "empty", "blank"])
def test_a_payment_method_without_a_code_is_a_problem(code: str | None) -> None:
    problem = tender_type(tenders(("card", "CC"), ("ach", code)), "ach", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The payment method ach has no tender type code."
    assert problem.found == "no code"
    assert "ask S&S for the payment code" in (problem.fix or "")


def test_a_code_shared_by_two_methods_is_a_problem_for_each_naming_the_other() -> None:
    declared = tenders(("card", "CC"), ("ach", "CC"))
    for method, other in (("card", "ach"), ("ach", "card")):
        problem = tender_type(declared, method, WHERE)
        assert isinstance(problem, Problem)
        assert problem.summary == f"The tender type 'CC' of {method} is also the code of {other}."
        assert problem.found == f"'CC' shared with {other}"
        assert "which code belongs to which method" in (problem.fix or "")


def test_a_code_shared_by_three_methods_names_both_others() -> None:
    declared = tenders(("card", "X"), ("ach", "X"), ("check", "X"))
    problem = tender_type(declared, "ach", WHERE)
    assert isinstance(problem, Problem)
    assert problem.found == "'X' shared with card, check"


def test_a_method_whose_code_is_unique_passes_while_two_others_share_one() -> None:
    declared = tenders(("card", "CC"), ("ach", "X"), ("check", "X"))
    assert tender_type(declared, "card", WHERE) is None


# test-portal-lead-time --------------------------------------------------------------------------


def test_the_demo_itg_went_in_well_ahead() -> None:
    assert lead_time.test_portal_lead_time(conversion(), WHERE) is None


def test_an_itg_submitted_exactly_thirty_days_ahead_passes() -> None:
    plan = conversion(submitted=THURSDAY - timedelta(days=30))
    assert lead_time.test_portal_lead_time(plan, WHERE) is None


@pytest.mark.parametrize("ticket", [None, ""], ids=["none", "empty"])
def test_no_itg_ticket_is_a_problem_saying_to_submit_it(ticket: str | None) -> None:
    problem = lead_time.test_portal_lead_time(conversion(ticket=ticket), WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "No ITG ticket for the test portal is recorded."
    assert "at least 30 days before the window opens" in problem.expected
    assert problem.found == "no conversion.itg.ticket"
    assert "submit the ITG" in (problem.fix or "")
    assert "30+" in (problem.fix or "")
    assert problem.where == WHERE


def test_an_itg_without_its_submission_date_is_a_problem() -> None:
    problem = lead_time.test_portal_lead_time(conversion(submitted=None), WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The submission date of ITG-40001 is not recorded."
    assert problem.found == "no conversion.itg.submitted"


def test_the_lead_time_waits_for_the_window_to_be_scheduled() -> None:
    verdict = lead_time.test_portal_lead_time(conversion(start=None), WHERE)
    assert isinstance(verdict, Blocked)
    assert "until the window is scheduled" in verdict.reason
    assert "see maintenance-window" in verdict.reason


def test_an_itg_submitted_29_days_ahead_is_a_problem_with_the_earliest_window() -> None:
    submitted = THURSDAY - timedelta(days=29)
    problem = lead_time.test_portal_lead_time(conversion(submitted=submitted), WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "ITG-40001 was submitted 29 days before the window opens on 2026-12-03."
    )
    assert problem.found == f"submitted {submitted}, 29 days ahead"
    assert problem.fix is not None
    assert f"move the window to {submitted + timedelta(days=30)} or later" in problem.fix
    assert problem.where == WHERE


def test_an_itg_submitted_after_the_window_opened_is_a_problem() -> None:
    problem = lead_time.test_portal_lead_time(conversion(submitted=MONDAY), WHERE)
    assert isinstance(problem, Problem)
    assert "2026-12-07" in problem.found


def test_an_itg_submitted_after_the_window_opened_does_not_count_negative_days() -> None:
    problem = lead_time.test_portal_lead_time(conversion(submitted=MONDAY), WHERE)
    assert isinstance(problem, Problem)
    assert "-4 days" not in problem.summary


# maintenance-window -----------------------------------------------------------------------------


def test_the_demo_window_starts_on_thursday_at_batch_close() -> None:
    assert maintenance_window(demo().conversion.maintenance_window, WHERE) is None


def test_a_window_without_an_end_is_judged_by_its_start() -> None:
    window = conversion(end=None).maintenance_window
    assert maintenance_window(window, WHERE) is None


def test_an_unscheduled_window_is_a_problem() -> None:
    problem = maintenance_window(conversion(start=None).maintenance_window, WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The maintenance window is not scheduled."
    assert "Thursday" in problem.expected
    assert "batch close" in problem.expected
    assert problem.found == "no start"
    assert problem.where == WHERE


def test_a_window_without_the_batch_close_time_is_a_problem_saying_whom_to_ask() -> None:
    problem = maintenance_window(conversion(batch_close=None).maintenance_window, WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == "The biller's batch close time is not recorded."
    assert problem.found == "no conversion.maintenance_window.batch_close"
    assert "ask the biller" in (problem.fix or "")


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        (START + timedelta(days=1), None, ["starts on a Friday"]),
        (START - timedelta(days=3), None, ["starts on a Monday"]),
        (START - timedelta(hours=1), None, ["starts at 17:00, not at batch close 18:00"]),
        (START + timedelta(minutes=30), None, ["starts at 18:30, not at batch close 18:00"]),
        (START + timedelta(seconds=30), None, ["starts at 18:00, not at batch close 18:00"]),
        (START, START, ["ends (2026-12-03T18:00:00-05:00) before it starts"]),
        (START, START - timedelta(days=1), ["ends (2026-12-02T18:00:00-05:00) before it starts"]),
        (
            START + timedelta(days=1, hours=-2),
            START,
            ["starts on a Friday", "starts at 16:00", "before it starts"],
        ),
    ],
    ids=[
        "friday",
        "monday",
        "an-hour-early",
        "half-an-hour-late",
        "thirty-seconds-late",
        "ends-as-it-starts",
        "ends-before-it-starts",
        "everything-wrong",
    ],
)
def test_a_window_not_starting_thursday_at_batch_close_is_a_problem_saying_how(
    start: datetime, end: datetime | None, says: list[str]
) -> None:
    window = conversion(start=start, end=end).maintenance_window
    problem = maintenance_window(window, WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary.startswith("The maintenance window ")
    for words in says:
        assert words in problem.summary
    assert problem.summary.count(" and ") == len(says) - 1
    assert problem.expected.endswith("(18:00)")
    assert problem.found.startswith(start.isoformat())
    assert problem.where == WHERE


def test_a_window_at_another_batch_close_is_judged_against_that_time() -> None:
    window = conversion(batch_close=time(20, 0), start=START + timedelta(hours=2))
    assert maintenance_window(window.maintenance_window, WHERE) is None


# conversion-weekend -----------------------------------------------------------------------------


@pytest.mark.parametrize("step", list(WEEKEND_STEPS))
def test_each_demo_weekend_step_falls_on_its_day_inside_the_window(step: str) -> None:
    assert weekend_step(conversion(), step, WHERE) is None


@pytest.mark.parametrize(
    ("step", "day"),
    [("sns_changes", FRIDAY), ("biller_testing", SUNDAY), ("biller_testing", SATURDAY)],
    ids=["sns-changes-friday", "biller-testing-sunday", "biller-testing-saturday"],
)
def test_a_step_on_its_other_allowed_day_passes(step: str, day: date) -> None:
    assert weekend_step(conversion(weekend={step: day}), step, WHERE) is None


@pytest.mark.parametrize(
    ("step", "title"),
    [
        ("ic_it_manual_test", "IC IT changes and manual test"),
        ("sns_changes", "S&S changes"),
        ("biller_testing", "biller testing"),
    ],
)
def test_a_step_not_planned_is_a_problem(step: str, title: str) -> None:
    problem = weekend_step(conversion(weekend={step: None}), step, WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == f"The {title} step is not planned."
    assert problem.expected.startswith(title)
    assert problem.found == "no date"
    assert problem.where == WHERE


@pytest.mark.parametrize(
    ("step", "day", "weekday", "allowed"),
    [
        ("ic_it_manual_test", SATURDAY, "Saturday", "Friday"),
        ("ic_it_manual_test", THURSDAY, "Thursday", "Friday"),
        ("sns_changes", SUNDAY, "Sunday", "Friday or Saturday"),
        ("sns_changes", THURSDAY, "Thursday", "Friday or Saturday"),
        ("biller_testing", FRIDAY, "Friday", "Saturday or Sunday"),
        ("biller_testing", MONDAY, "Monday", "Saturday or Sunday"),
    ],
    ids=[
        "ic-it-saturday",
        "ic-it-thursday",
        "sns-sunday",
        "sns-thursday",
        "biller-testing-friday",
        "biller-testing-monday",
    ],
)
def test_a_step_on_a_day_it_may_not_fall_on_is_a_problem_naming_the_days(
    step: str, day: date, weekday: str, allowed: str
) -> None:
    problem = weekend_step(conversion(weekend={step: day}), step, WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary.endswith(f"step falls on a {weekday}.")
    assert f"on {allowed} of the conversion weekend" in problem.expected
    assert problem.found == f"{day} ({weekday})"


def test_a_step_on_its_day_a_week_before_the_window_is_a_problem() -> None:
    day = FRIDAY - timedelta(days=7)
    plan = conversion(weekend={"ic_it_manual_test": day})
    problem = weekend_step(plan, "ic_it_manual_test", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The IC IT changes and manual test step is planned before the window opens on 2026-12-03."
    )
    assert problem.found == f"{day} (Friday)"


def test_a_step_on_its_day_a_week_after_the_window_is_a_problem() -> None:
    day = SUNDAY + timedelta(days=7)
    plan = conversion(weekend={"biller_testing": day})
    problem = weekend_step(plan, "biller_testing", WHERE)
    assert isinstance(problem, Problem)
    assert problem.summary == (
        "The biller testing step is planned after the window closes on 2026-12-07."
    )


def test_a_step_after_a_window_that_closes_early_is_a_problem() -> None:
    plan = conversion(end=START + timedelta(days=2))  # closes Saturday evening
    problem = weekend_step(plan, "biller_testing", WHERE)
    assert isinstance(problem, Problem)
    assert "after the window closes on 2026-12-05" in problem.summary


def test_without_an_end_the_window_is_taken_to_close_four_days_after_it_opens() -> None:
    assert weekend_step(conversion(end=None), "biller_testing", WHERE) is None
    late = conversion(end=None, weekend={"biller_testing": SUNDAY + timedelta(days=7)})
    problem = weekend_step(late, "biller_testing", WHERE)
    assert isinstance(problem, Problem)
    assert "after the window closes on 2026-12-07" in problem.summary


def test_a_step_waits_for_the_window_to_be_scheduled() -> None:
    verdict = weekend_step(conversion(start=None), "sns_changes", WHERE)
    assert isinstance(verdict, Blocked)
    assert "the S&S changes step cannot be placed until the window is scheduled" in verdict.reason
    assert "see maintenance-window" in verdict.reason


def test_a_step_waits_for_a_window_that_ends_before_it_starts() -> None:
    verdict = weekend_step(conversion(end=START), "sns_changes", WHERE)
    assert isinstance(verdict, Blocked)
    assert "until the window ends after it starts" in verdict.reason
    assert "see maintenance-window" in verdict.reason


def test_a_step_not_planned_is_a_problem_even_before_the_window_is_scheduled() -> None:
    plan = conversion(start=None, weekend={"sns_changes": None})
    assert isinstance(weekend_step(plan, "sns_changes", WHERE), Problem)
