"""What self-tests share: the repository's paths, the demo biller as data, writing biller files."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from conversion_qa.config.yaml_source import read_yaml

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "tests"
DEMO = REPO / "billers" / "demo.yaml"

RunSuite = Callable[..., pytest.RunResult]


@dataclass(frozen=True)
class SuiteRun:
    result: pytest.RunResult
    outcomes: dict[str, str]  # test id ("test_setting_131[demo-test]") -> outcome

    @property
    def text(self) -> str:
        return self.result.stdout.str() + self.result.stderr.str()


def demo_data() -> dict[str, Any]:
    """The demo biller as plain data (dates as text), to change one field at a time."""
    return copy.deepcopy(read_yaml(DEMO).data)


def write_biller(folder: Path, data: dict[str, Any] | str, name: str | None = None) -> Path:
    """Write a biller file; data is a mapping (dumped as YAML) or the file's exact text."""
    if isinstance(data, dict):
        name = name or data["biller"]
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        assert name, "a biller written as text needs a name"
        text = data
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def outcomes_from_junit(path: Path) -> dict[str, str]:
    """Each test's outcome from a JUnit XML file: passed, failed, error, skipped or waived."""
    outcomes: dict[str, str] = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
            elif child.tag == "skipped":
                outcome = "waived" if child.get("type") == "pytest.xfail" else "skipped"
        outcomes[case.get("name", "")] = outcome
    return outcomes


def failed_rules(outcomes: dict[str, str]) -> dict[str, set[str]]:
    """Failed test ids by test function: {"test_setting_131": {"demo-test"}}."""
    failed: dict[str, set[str]] = {}
    for name, outcome in outcomes.items():
        if outcome == "failed":
            function, _, param = name.partition("[")
            failed.setdefault(function, set()).add(param.rstrip("]"))
    return failed
