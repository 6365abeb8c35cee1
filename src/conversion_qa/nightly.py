"""The nightly sequence, shared by CI and `tox -e nightly`: per biller, offline always, live where
its secrets are set. `python -m conversion_qa.nightly matrix` prints the billers as JSON.

Every biller runs, whatever the others do: a biller file that cannot be used is that biller's
failed entry, with its mistakes, and the next biller runs. The run ends with one line per biller.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conversion_qa.config.loader import available_billers, load_biller
from conversion_qa.config.model import Biller
from conversion_qa.config.secrets import Secret, references
from conversion_qa.contract import bounded_json
from conversion_qa.errors import BillerFileError

SECRETS_JSON = "CONVERSION_QA_SECRETS"  # CI: the biller environment's secrets as one JSON object


def secret_variables(biller: Biller, environment: str = "test") -> list[str]:
    """The variables the environment's `${VAR}` values refer to."""
    env = biller.environment(environment)
    values = [*env.advanced_settings.values(), *env.credentials.values()]
    found = [name for v in values if isinstance(v, Secret) for name in references(v.template)]
    return sorted(set(found))


class SecretsNotReadable(Exception):
    """CONVERSION_QA_SECRETS is set but is not a JSON object (its value is never shown)."""


def live_environment(biller: Biller, environ: Mapping[str, str]) -> dict[str, str] | None:
    """The environment for a live run, or None when any of the biller's secrets is not set
    (defaults such as the demo's sandbox values do not count: they reach no real system)."""
    extra: dict[str, str] = {}
    if environ.get(SECRETS_JSON):  # empty in CI when the biller's environment has no such secret
        try:
            given = bounded_json.loads(environ[SECRETS_JSON])
        except ValueError:
            given = None
        if not isinstance(given, dict):
            raise SecretsNotReadable(
                f"{SECRETS_JSON} is not a JSON object of the biller's ${{VAR}} values (its value "
                'is not shown); set it as {"NAME_TEST_USER": "...", ...}'
            )
        extra = {k: str(v) for k, v in given.items() if k in secret_variables(biller)}
    wanted = secret_variables(biller)
    merged = {k: v for k, v in environ.items() if k != SECRETS_JSON} | extra
    if not wanted or any(not merged.get(name) for name in wanted):
        return None
    return merged


def pytest(args: Sequence[str], environ: Mapping[str, str]) -> int:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, env=dict(environ), check=False).returncode


@dataclass(frozen=True)
class Entry:
    """One biller's result in the nightly: its worst exit status and what to read."""

    biller: str
    status: int
    told: str


BROKEN_FILE = 4  # as `pytest --biller=NAME` exits for a biller file it cannot use


def run_biller(name: str, biller_dir: Path, report_dir: str) -> Entry:
    """Offline, then live if configured; the worst exit status (non-zero: a rule failed).
    A biller file that cannot be used is not run: its entry fails with the file's mistakes."""
    try:
        biller = load_biller(biller_dir / f"{name}.yaml")
    except BillerFileError as error:
        print(
            f"conversion-qa nightly: {name}: not run, its biller file cannot be used:", flush=True
        )
        print(str(error), flush=True)
        count = len(error.mistakes)
        mistakes = "1 mistake" if count == 1 else f"{count} mistakes"
        return Entry(name, BROKEN_FILE, f"FAILED: not run, {mistakes} in its file (above)")
    common = [f"--biller={name}", f"--biller-dir={biller_dir}", f"--report-dir={report_dir}"]
    base = {k: v for k, v in os.environ.items() if k != SECRETS_JSON}
    statuses = [pytest(common, base)]
    try:
        live = live_environment(biller, os.environ)
    except SecretsNotReadable as error:
        print(f"conversion-qa nightly: {name}: live run skipped: {error}", flush=True)
        return Entry(name, max(1, *statuses), f"FAILED: {error}")
    if live is None:
        print(
            f"conversion-qa nightly: {name}: live run skipped, its secrets are not set", flush=True
        )
    else:
        statuses.append(pytest([*common, "-m", "live"], live))
    worst = max(statuses)
    return Entry(name, worst, "passed" if worst == 0 else f"FAILED (exit status {worst})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conversion_qa.nightly", description=__doc__)
    parser.add_argument("command", choices=("matrix", "run", "all"))
    parser.add_argument("billers", nargs="*", help="for run: the billers to run")
    parser.add_argument("--biller-dir", type=Path, default=Path("billers"))
    parser.add_argument(
        "--report-dir", default="reports", help="a folder, or the team archive's URL (s3://, az://)"
    )
    options = parser.parse_args(argv)
    names = available_billers(options.biller_dir)
    if options.command == "matrix":
        print(json.dumps(names))
        return 0
    chosen = names if options.command == "all" else options.billers
    if not chosen:
        parser.error("run needs at least one biller name")
    entries = [run_biller(name, options.biller_dir, options.report_dir) for name in chosen]
    for entry in entries:
        print(f"conversion-qa nightly: {entry.biller}: {entry.told}", flush=True)
    return max(entry.status for entry in entries)


if __name__ == "__main__":
    sys.exit(main())
