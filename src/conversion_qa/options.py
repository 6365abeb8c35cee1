"""The suite's command-line options and ini keys (command line, then ini, then default)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversion_qa.config.model import ENVIRONMENTS

GROUP = "conversion-qa"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "conversion-qa: enQuesta v4 to v6 acceptance rules")
    group.addoption(
        "--biller",
        action="append",
        default=[],
        metavar="NAME",
        help="biller to check (repeatable or comma-separated); 'all' or none: every file in "
        "the biller folder",
    )
    group.addoption(
        "--env",
        action="append",
        default=[],
        dest="conversion_env",
        metavar="ENV",
        help="environment to check: test (default) or production for post-go-live; "
        "repeatable or comma-separated",
    )
    group.addoption(
        "--biller-dir",
        default=None,
        metavar="DIR",
        help="folder of biller files (default: billers/ beside the suite; ini: biller_dir)",
    )
    group.addoption(
        "--record-fixtures",
        action="store_true",
        default=False,
        help="with -m live: write the real answers (secrets and tokens replaced by placeholders) "
        "to fixtures/<biller>/ for offline runs",
    )
    group.addoption(
        "--ca-bundle",
        default=None,
        metavar="PEM",
        help="extra CA certificates to trust for TLS (verification is always on; ini: ca_bundle)",
    )
    parser.addini("ca_bundle", "extra CA certificates (PEM) to trust for TLS", default="")
    parser.addini(
        "biller_dir", "folder of biller files, relative to the rootdir", default="billers"
    )
    parser.addini(
        "conversion_env", "default environment(s) to check", type="args", default=["test"]
    )


@dataclass(frozen=True)
class RunOptions:
    biller_dir: Path
    billers: tuple[str, ...] | None  # None: every biller in the folder
    environments: tuple[str, ...]
    live_variants: bool  # whether -m names `live`, so live tests are collected at all
    record_fixtures: bool
    ca_bundle: Path | None

    @property
    def fixtures_dir(self) -> Path:
        """Recorded answers live beside the biller folder: fixtures/<biller>/."""
        return self.biller_dir.parent / "fixtures"


def read_options(config: pytest.Config) -> RunOptions:
    """Resolve the options; raises pytest.UsageError with the fix for a wrong value."""
    chosen = config.getoption("biller_dir")
    biller_dir = (
        config.invocation_params.dir / chosen
        if chosen
        else config.rootpath / str(config.getini("biller_dir"))
    )
    names = _split(config.getoption("biller"))
    environments = _split(config.getoption("conversion_env")) or _split(
        config.getini("conversion_env")
    )
    wrong = [e for e in environments if e not in ENVIRONMENTS]
    if wrong:
        raise pytest.UsageError(
            f"--env {wrong[0]} is not an environment; use one of: {', '.join(ENVIRONMENTS)}"
        )
    ca_bundle = config.getoption("ca_bundle") or str(config.getini("ca_bundle")) or None
    if ca_bundle is not None and not Path(ca_bundle).is_file():
        raise pytest.UsageError(f"--ca-bundle {ca_bundle}: no such file; give a PEM file of CAs")
    return RunOptions(
        biller_dir=biller_dir,
        billers=None if not names or "all" in names else tuple(names),
        environments=tuple(dict.fromkeys(environments)),
        live_variants=re.search(r"\blive\b", config.getoption("markexpr") or "") is not None,
        record_fixtures=bool(config.getoption("record_fixtures")),
        ca_bundle=Path(ca_bundle) if ca_bundle else None,
    )


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
