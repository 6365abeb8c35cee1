"""What self-tests share: the repository's paths, the demo biller as data, writing biller files."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from conversion_qa.config.yaml_source import read_yaml
from selftests.outcomes import Outcome, by_name, outcomes

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "tests"
DEMO = REPO / "billers" / "demo.yaml"
# an expiry a waiver may have in a run of today (a waiver may last a year at most)
WITHIN_A_YEAR = (date.today() + timedelta(days=300)).isoformat()

RunSuite = Callable[..., pytest.RunResult]


@dataclass(frozen=True)
class SuiteRun:
    result: pytest.RunResult

    @property
    def found(self) -> dict[str, Outcome]:
        return outcomes(self.result)

    @property
    def outcomes(self) -> dict[str, str]:
        """Test name ("test_setting_131[demo-test]") -> outcome."""
        return by_name(self.found)

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
