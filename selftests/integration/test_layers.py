"""The source keeps its layers (import-linter's contracts in pyproject.toml), and the whole
package loads where the PMs work: with no Unix-only module at hand, as on Windows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from selftests.helpers import REPO

PACKAGE = REPO / "src" / "conversion_qa"


def lint_imports(root: Path, source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command as c; c()",
            "--no-cache",
            str(root / "pyproject.toml"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(source)},
        check=False,
        timeout=120,
    )


def test_the_tree_keeps_its_layers() -> None:
    result = lint_imports(REPO, REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        pytest.param(
            "rules/catalogue.py",
            "from conversion_qa.plugin import run",
            "conversion_qa.rules.catalogue -> conversion_qa.plugin.run",
            id="upward-import",
        ),
        pytest.param(
            "clients/dns.py",
            "import pytest",
            "conversion_qa.clients.dns -> pytest",
            id="pytest-in-the-library",
        ),
        pytest.param(
            "rules/urls.py",
            "from conversion_qa.clients import rtdr",
            "conversion_qa.rules.urls -> conversion_qa.clients.rtdr",
            id="a-check-calling-a-service",
        ),
        pytest.param(
            "rules/slices/rtdr.py",
            "from conversion_qa import gathering",
            "conversion_qa.rules.slices.rtdr -> conversion_qa.gathering",
            id="a-check-gathering",
        ),
        pytest.param(
            "gathering.py",
            "from conversion_qa.rules.slices import rtdr",
            "conversion_qa.gathering -> conversion_qa.rules.slices.rtdr",
            id="gathering-judging",
        ),
        pytest.param(
            "report/index.py",
            "import fcntl",
            "conversion_qa.report.index -> fcntl",
            id="unix-only-module",
        ),
    ],
)
def test_a_leak_breaks_a_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    shutil.copytree(PACKAGE, tmp_path / "src" / "conversion_qa")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "src" / "conversion_qa" / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}\n")
    result = lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert broken in result.stdout


def test_every_module_loads_without_unix_only_modules() -> None:
    """What Windows lacks is made unimportable; then every module of the package is imported."""
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        for name in ("fcntl", "termios", "pwd", "grp", "resource"):
            sys.modules[name] = None  # import fails, as it does on Windows
        import conversion_qa
        names = [m.name for m in pkgutil.walk_packages(conversion_qa.__path__, "conversion_qa.")]
        for name in names:
            importlib.import_module(name)
        print(len(names), "modules")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) > 40
