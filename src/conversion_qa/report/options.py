"""Where reports are archived: --report-dir (ini report_dir, default reports/), --no-archive."""

from __future__ import annotations

from pathlib import Path

import pytest

GROUP = "conversion-qa"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "conversion-qa: enQuesta v4 to v6 acceptance rules")
    group.addoption(
        "--report-dir",
        default=None,
        metavar="DIR",
        help="archive each biller's reports under DIR/<biller>/<conversion>/ "
        "(default: reports/ under the rootdir; ini: report_dir)",
    )
    group.addoption(
        "--no-archive",
        action="store_true",
        default=False,
        help="write no archived report, only the console output",
    )
    parser.addini(
        "report_dir", "folder of archived reports, relative to the rootdir", default="reports"
    )


def report_dir(config: pytest.Config) -> Path | None:
    """The archive's root folder, or None when the run archives nothing."""
    if config.getoption("no_archive"):
        return None
    chosen: str | None = config.getoption("report_dir")
    if chosen:
        return (config.invocation_params.dir / chosen).resolve()
    return (config.rootpath / str(config.getini("report_dir"))).resolve()
