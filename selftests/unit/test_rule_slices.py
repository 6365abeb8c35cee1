"""Every rule of the catalogue is whole: a test function in tests/, items where its test takes
one, recordings for each bundled biller it replays, and a row in the
README's rule table. A rule added in part fails here, naming what is missing."""

from __future__ import annotations

import ast
import re

import pytest

from conversion_qa.config import load_billers
from conversion_qa.rules.catalogue import RULES
from conversion_qa.rules.items import not_applicable
from conversion_qa.rules.registry import SLICES
from conversion_qa.rules.slice import Slice
from conversion_qa.sandbox.scenarios import OWN, SCENARIOS
from selftests.helpers import REPO

TESTS = REPO / "tests"
FIXTURES = REPO / "fixtures"
RULE_TABLE_HEADER = "| id | checks | applies to |"


def rule_tests() -> dict[str, list[ast.FunctionDef]]:
    """The test functions of tests/, by the rule their @pytest.mark.rule("...") names."""
    found: dict[str, list[ast.FunctionDef]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for rule_id in _marked_rules(node):
                    found.setdefault(rule_id, []).append(node)
    return found


def _marked_rules(function: ast.FunctionDef) -> list[str]:
    return [
        decorator.args[0].value
        for decorator in function.decorator_list
        if isinstance(decorator, ast.Call)
        and ast.unparse(decorator.func) == "pytest.mark.rule"
        and decorator.args
        and isinstance(decorator.args[0], ast.Constant)
        and isinstance(decorator.args[0].value, str)
    ]


def documented_rules() -> list[str]:
    """The ids in the rule table of the README (or of a page in docs/, should it move there)."""
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        if RULE_TABLE_HEADER in lines:
            start = lines.index(RULE_TABLE_HEADER) + 2  # past the header and its |---| line
            rows = []
            for line in lines[start:]:
                if not line.startswith("|"):
                    break
                rows += re.findall(r"^\| `([a-z0-9-]+)` \|", line)
            return rows
    return []


def test_the_catalogue_is_the_registry_in_order_with_unique_ids() -> None:
    ids = [s.id for s in SLICES]
    assert [r.id for r in RULES] == ids
    assert len(set(ids)) == len(ids)


def test_each_sandbox_fault_is_declared_once_in_the_slice_of_the_first_rule_it_fails() -> None:
    declared = [(s.id, fault) for s in SLICES for fault in s.faults()]
    names = [fault.name for _, fault in declared] + [fault.name for fault in OWN]
    assert len(names) == len(set(names)) == len(SCENARIOS)
    for rule_id, fault in declared:
        assert (fault.fails or fault.failing(browser=False))[0] == rule_id, fault.name
    assert not [f.name for f in OWN if f.fails or f.failing(browser=False)]


@pytest.mark.parametrize("rule_slice", SLICES, ids=lambda s: s.id)
def test_each_rule_has_one_test_function(rule_slice: Slice) -> None:
    functions = rule_tests().get(rule_slice.id, [])
    names = [f.name for f in functions]
    assert len(functions) == 1, f"{rule_slice.id}: tests/ has {names or 'no test function'}"


def test_no_test_function_names_a_rule_the_catalogue_lacks() -> None:
    assert set(rule_tests()) <= {s.id for s in SLICES}


@pytest.mark.parametrize("rule_slice", SLICES, ids=lambda s: s.id)
def test_a_test_that_takes_an_item_has_a_slice_with_items(rule_slice: Slice) -> None:
    (function,) = rule_tests()[rule_slice.id]
    if "item" in [a.arg for a in function.args.args]:
        assert rule_slice.items is not None, f"{rule_slice.id}: its test takes an item; it has none"


@pytest.mark.parametrize(
    "rule_slice", [s for s in SLICES if s.items is not None], ids=lambda s: s.id
)
def test_a_rule_with_items_has_some_for_a_bundled_biller(rule_slice: Slice) -> None:
    assert rule_slice.items is not None
    found = [
        item
        for biller in load_billers(REPO / "billers")
        if not_applicable(rule_slice.rule, biller) is None
        for environment in biller.environments.values()
        for item in rule_slice.items(biller, environment)
    ]
    assert found, f"{rule_slice.id}: no bundled biller has an item of it"


@pytest.mark.parametrize("rule_slice", SLICES, ids=lambda s: s.id)
def test_each_bundled_biller_has_the_recordings_a_rule_replays(rule_slice: Slice) -> None:
    missing = [
        f"fixtures/{biller.id}/{name}"
        for biller in load_billers(REPO / "billers")
        if not_applicable(rule_slice.rule, biller) is None
        for environment in biller.environments
        for name in {file.format(environment=environment) for file in rule_slice.replays}
        if not (FIXTURES / biller.id / name).is_file()
    ]
    unrecorded = ", ".join(dict.fromkeys(missing))
    assert missing == [], f"{rule_slice.id} replays {unrecorded}, which are not recorded"


def test_a_network_rule_says_what_it_replays() -> None:
    """Offline, a rule that looks at the real systems live is judged on recordings."""
    unsaid = [s.id for s in SLICES if s.rule.kind.value != "config" and not s.replays]
    assert unsaid == []


def test_each_rule_has_a_row_in_the_readme_rule_table() -> None:
    documented = documented_rules()
    assert sorted(documented) == sorted(s.id for s in SLICES), "README.md: the rule table (| id |)"
