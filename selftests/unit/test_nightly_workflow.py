"""The nightly's jobs install only hash-pinned packages: the job that receives a biller's secrets,
and the job whose list of billers chooses the environments whose secrets are handed out."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from selftests.helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "nightly.yml"
LOCK = REPO / "requirements" / "nightly.lock"
HASHED = "pip install --require-hashes -r requirements/nightly.lock"
SUITE_ALONE = "pip install --no-deps --no-build-isolation -e ."


def jobs() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return loaded


def installs(job: dict[str, Any]) -> list[str]:
    """Every pip install command of the job's run steps, one per line."""
    lines = [
        line.strip() for step in job["steps"] for line in str(step.get("run", "")).splitlines()
    ]
    return [line for line in lines if re.search(r"\bpip3?\s+install\b", line)]


def test_the_job_with_secrets_and_the_job_choosing_environments_install_only_hashed() -> None:
    found = jobs()
    with_secrets = [name for name, job in found.items() if "secrets." in yaml.safe_dump(job)]
    choosing = [name for name, job in found.items() if "outputs" in job]
    assert with_secrets == ["biller"]
    assert choosing == ["billers"]
    for name in (*with_secrets, *choosing):
        assert installs(found[name]) == [HASHED, SUITE_ALONE], name


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_pins_every_dependency_and_the_build_backend_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+)(.*?)(?=^[A-Za-z0-9_.-]+==|\Z)", text, re.M | re.S
    )
    assert entries
    for name, version, rest in entries:
        assert "--hash=sha256:" in rest, f"{name}=={version} has no hash"
    locked = {name.lower().replace("_", "-") for name, _, _ in entries}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(d) for d in project["project"]["dependencies"]}
    wanted |= {_name(d) for d in project["build-system"]["requires"]}
    assert wanted <= locked, f"not in {LOCK.name}: {sorted(wanted - locked)}; regenerate it"
