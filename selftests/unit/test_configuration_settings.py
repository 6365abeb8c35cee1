"""settings-24-27, option-127, setting-131 and operator-number, called directly."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conversion_qa.config.model import SettingValue
from conversion_qa.rules.slices.operator_number import operator_number
from conversion_qa.rules.slices.option_127 import option_127
from conversion_qa.rules.slices.setting_131 import SETTING_131, setting_131
from conversion_qa.rules.slices.settings_24_27 import setting_present
from selftests.unit.builders import (
    REMOVED,
    Problem,
    changed,
    configured,
    demo,
    environment,
    from_file,
    secret,
)

GOOD_131 = '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'
# The checklist's own line, as a PM copies it: a leading "= " and no quote before SystemsAndSoftware
CHECKLIST_131 = '= {SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}'


def caret_column(problem: Problem) -> int:
    """Where the `^ here` line of a setting-131 message points, in the value line above it."""
    lines = problem.summary.splitlines()
    caret = next(i for i, line in enumerate(lines) if line.endswith("^ here"))
    indent = len(lines[caret - 1]) - len(lines[caret - 1].lstrip())
    return lines[caret].index("^") - indent


# settings-24-27 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["24", "25", "26", "27"])
def test_each_crm_setting_of_the_demo_biller_is_present(number: str) -> None:
    assert setting_present(configured(), number) is None


@pytest.mark.parametrize(
    ("value", "state", "found"),
    [(REMOVED, "missing", "nothing"), ("", "empty", "''"), ("   ", "empty", "'   '")],
    ids=["missing", "empty", "blank"],
)
def test_a_crm_setting_missing_or_empty_is_a_problem_that_says_which(
    value: object, state: str, found: str
) -> None:
    problem = setting_present(configured({"25": value}), "25")  # type: ignore[dict-item]
    assert isinstance(problem, Problem)
    assert problem.summary == f"Advanced Setting 25 is {state} in the biller file."
    assert "Advanced Setting 25" in problem.expected
    assert "PayConnect" in problem.expected
    assert problem.found == found
    assert problem.where == "at advanced_settings.25"


def test_a_crm_setting_missing_from_the_portal_says_so() -> None:
    problem = setting_present(configured({"27": REMOVED}, source="the portal"), "27")
    assert isinstance(problem, Problem)
    assert "27 is missing in the portal" in problem.summary


def test_a_crm_secret_whose_variable_is_empty_is_empty_and_stays_redacted() -> None:
    value = secret("${PAYCONNECT_SECRET}", PAYCONNECT_SECRET="  ")
    problem = setting_present(configured({"26": value}), "26")
    assert isinstance(problem, Problem)
    assert "26 is empty" in problem.summary
    assert "${PAYCONNECT_SECRET}" in problem.found
    assert "redacted" in problem.found


@pytest.mark.parametrize(
    "value",
    [secret("${PAYCONNECT_SECRET}", PAYCONNECT_SECRET="s3cret"), secret("${UNSET_IN_THIS_TEST}")],
    ids=["set", "variable-not-set-kept-outside-the-file"],
)
def test_a_crm_secret_set_or_kept_outside_the_file_is_present(value: SettingValue) -> None:
    assert setting_present(configured({"26": value}), "26") is None


# option-127 -------------------------------------------------------------------------------------


def test_option_127_enabled_passes() -> None:
    assert option_127(configured()) is None


@pytest.mark.parametrize(
    ("value", "found"),
    [(REMOVED, "not set"), (False, "disabled (false)")],
    ids=["not-set", "disabled"],
)
def test_option_127_not_enabled_is_a_problem(value: object, found: str) -> None:
    problem = option_127(configured(options={"127": value}))  # type: ignore[dict-item]
    assert isinstance(problem, Problem)
    assert (
        problem.summary == f"Option 127 (sync registered accounts) is {found} in the biller file."
    )
    assert problem.expected == 'options: {"127": true}'
    assert problem.found == found
    assert problem.where == "at options.127"


def test_option_127_disabled_on_the_portal_names_the_portal() -> None:
    problem = option_127(configured(options={"127": False}, source="the portal"))
    assert isinstance(problem, Problem)
    assert problem.summary.endswith("in the portal.")


# setting-131 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: GOOD_131,
        lambda: '{"SystemsAndSoftware":{"RTDRRequest":"ACCOUNTSUMMARIESBYACCOUNTIDS"}}',
        lambda: ' {\n  "SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}\n}\n',
        # made in the test, not at collection: a Secret registers its value to be scrubbed
        # from all output, which would hide the expected text from every other test's message
        lambda: secret("${S131}", S131=GOOD_131),
    ],
    ids=["as-documented", "compact", "indented", "secret"],
)
def test_setting_131_with_the_expected_json_passes(make: Callable[[], SettingValue]) -> None:
    assert setting_131(configured({"131": make()})) is None


@pytest.mark.parametrize(
    ("value", "state"),
    [(REMOVED, "missing"), ("", "empty"), (" \t", "empty")],
    ids=["missing", "empty", "blank"],
)
def test_setting_131_missing_or_empty_is_a_problem(value: object, state: str) -> None:
    problem = setting_131(configured({"131": value}))  # type: ignore[dict-item]
    assert isinstance(problem, Problem)
    assert problem.summary == f"Advanced Setting 131 is {state}."
    assert json.loads(problem.expected) == SETTING_131
    assert problem.where == "at advanced_settings.131"


def test_setting_131_copied_from_the_checklist_names_both_misprints() -> None:
    problem = setting_131(configured({"131": CHECKLIST_131}))
    assert isinstance(problem, Problem)
    assert "not valid JSON" in problem.summary
    assert "it begins with '='" in problem.summary
    assert "the quote before SystemsAndSoftware is missing" in problem.summary
    assert "the checklist's own misprinted text" in problem.summary
    assert CHECKLIST_131 in problem.summary  # the value is shown above the caret
    assert problem.found == repr(CHECKLIST_131)
    assert json.loads(problem.expected) == SETTING_131
    assert "replace the whole value" in (problem.fix or "")
    assert problem.where == "at advanced_settings.131"


def test_setting_131_copied_from_the_checklist_points_the_caret_at_the_leading_equals() -> None:
    problem = setting_131(configured({"131": CHECKLIST_131}))
    assert isinstance(problem, Problem)
    assert caret_column(problem) == CHECKLIST_131.index("=")
    assert "line 1, column 1" in problem.summary


def test_setting_131_copied_without_the_equals_points_at_the_missing_quote() -> None:
    value = CHECKLIST_131.removeprefix("= ")
    problem = setting_131(configured({"131": value}))
    assert isinstance(problem, Problem)
    assert "the quote before SystemsAndSoftware is missing" in problem.summary
    assert "begins with '='" not in problem.summary
    assert "checklist's own misprinted text" in problem.summary
    assert caret_column(problem) == value.index("SystemsAndSoftware")
    assert "column 2" in problem.summary


def test_setting_131_with_only_the_leading_equals_names_the_equals_only() -> None:
    problem = setting_131(configured({"131": "= " + GOOD_131}))
    assert isinstance(problem, Problem)
    assert "it begins with '='" in problem.summary
    assert "quote before SystemsAndSoftware" not in problem.summary
    assert "checklist's own misprinted text" in problem.summary


def test_setting_131_read_from_the_biller_file_points_at_its_line() -> None:
    settings = changed(environment().advanced_settings, {"131": CHECKLIST_131})
    env = environment(advanced_settings=settings)
    problem = setting_131(from_file(env, demo().where))
    assert isinstance(problem, Problem)
    assert problem.where == f"{demo().path}:33"  # billers/demo.yaml: test's "131"


@pytest.mark.parametrize(
    ("value", "bad_at"),
    [
        ('{"SystemsAndSoftware": {"RTDRRequest": ACCOUNTSUMMARIESBYACCOUNTIDS}}', "ACCOUNT"),
        ("{'SystemsAndSoftware': {'RTDRRequest': 'ACCOUNTSUMMARIESBYACCOUNTIDS'}}", "'Systems"),
        ('{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}', None),
        ('= {SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIES"}}', "="),
    ],
    ids=["unquoted-value", "single-quotes", "unclosed-brace", "checklist-shape-wrong-request"],
)
def test_setting_131_that_is_not_json_points_at_the_error_without_the_checklist_hint(
    value: str, bad_at: str | None
) -> None:
    problem = setting_131(configured({"131": value}))
    assert isinstance(problem, Problem)
    assert "Advanced Setting 131 is not valid JSON" in problem.summary
    assert "checklist" not in problem.summary
    assert caret_column(problem) == (value.index(bad_at) if bad_at else len(value))
    assert problem.found == repr(value)


@pytest.mark.parametrize(
    "value",
    [
        '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARY"}}',
        '{"systemsandsoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}}',
        '{"SystemsAndSoftware": {"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS", "Extra": 1}}',
        '{"RTDRRequest": "ACCOUNTSUMMARIESBYACCOUNTIDS"}',
        '"ACCOUNTSUMMARIESBYACCOUNTIDS"',
        "[]",
    ],
    ids=["other-request", "key-case", "extra-key", "not-nested", "bare-string", "array"],
)
def test_setting_131_valid_json_asking_something_else_is_a_problem(value: str) -> None:
    problem = setting_131(configured({"131": value}))
    assert isinstance(problem, Problem)
    assert "valid JSON but does not ask RTDR for ACCOUNTSUMMARIESBYACCOUNTIDS" in problem.summary
    assert json.loads(problem.found) == json.loads(value)
    assert json.loads(problem.expected) == SETTING_131


def test_setting_131_on_several_lines_points_the_caret_within_the_failing_line() -> None:
    value = '{\n  "SystemsAndSoftware": x}'
    problem = setting_131(configured({"131": value}))
    assert isinstance(problem, Problem)
    assert "line 2, column 25" in problem.summary
    *_, shown, caret = problem.summary.splitlines()
    column = caret.index("^")
    assert shown[column : column + 1] == "x"


def test_setting_131_kept_outside_the_file_is_not_called_invalid_json() -> None:
    problem = setting_131(configured({"131": secret("${UNSET_IN_THIS_TEST}")}))
    assert not isinstance(problem, Problem) or "not valid JSON" not in problem.summary


# operator-number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0417", "7", "0123456789", secret("${OPERATOR}", OPERATOR="0417")],
    ids=["demo", "one-digit", "ten-digits", "secret"],
)
def test_an_operator_number_of_digits_passes(value: SettingValue) -> None:
    assert operator_number(configured({"12": value})) is None


@pytest.mark.parametrize(
    ("value", "state", "found"),
    [(REMOVED, "missing", "nothing"), ("", "empty", "''"), ("  ", "empty", "'  '")],
    ids=["missing", "empty", "blank"],
)
def test_an_operator_number_missing_or_empty_is_a_problem(
    value: object, state: str, found: str
) -> None:
    problem = operator_number(configured({"12": value}))  # type: ignore[dict-item]
    assert isinstance(problem, Problem)
    assert problem.summary == f"Advanced Setting 12 (operator number) is {state}."
    assert "operator number" in problem.expected
    assert "digits only" in problem.expected
    assert problem.found == found
    assert problem.where == "at advanced_settings.12"


@pytest.mark.parametrize(
    "value",
    ["04-17", "417a", "O417", "12345678901", " 0417", "04 17", "\uff10\uff14\uff11\uff17", "-417"],
    ids=[
        "dash",
        "letter",
        "letter-o-for-zero",
        "eleven-digits",
        "leading-space",
        "inner-space",
        "full-width-digits",
        "negative",
    ],
)
def test_an_operator_number_that_is_not_digits_is_a_problem(value: str) -> None:
    problem = operator_number(configured({"12": value}))
    assert isinstance(problem, Problem)
    assert problem.summary == "Advanced Setting 12 is not an operator number."
    assert problem.found == repr(value)
    assert problem.where == "at advanced_settings.12"


def test_an_operator_number_with_a_trailing_newline_is_a_problem() -> None:
    assert isinstance(operator_number(configured({"12": "0417\n"})), Problem)
