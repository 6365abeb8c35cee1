"""The pytest plugin: options, biller loading, rule parametrization, report shaping. Wiring only."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date

import pytest

from conversion_qa import __version__, network_options, network_run, outcomes
from conversion_qa.config import load_billers
from conversion_qa.dns_tls_options import add_options as add_dns_tls_options
from conversion_qa.errors import ConversionQAError
from conversion_qa.options import add_options, read_options
from conversion_qa.report import options as report_options
from conversion_qa.report import plugin as report_plugin
from conversion_qa.rules.catalogue import rule
from conversion_qa.run import RUN, Run, current_run
from conversion_qa.targets import case_of, cases

pytest_plugins = [
    "conversion_qa.fixtures",
    "conversion_qa.dns_tls_fixtures",
    "conversion_qa.network_fixtures",
]

MARKERS = (
    "rule(id): the catalogue rule a test checks; the plugin parametrizes it per biller, "
    "environment and item",
    "live: runs against the real portal and S&S endpoints (select with -m live); without it "
    "every rule runs offline",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)
    report_options.add_options(parser)
    add_dns_tls_options(parser)
    network_options.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    options = read_options(config)
    if not options.biller_dir.is_dir():
        if config.getoption("biller_dir") or config.getoption("biller"):
            raise pytest.UsageError(
                f"no biller folder at {options.biller_dir}; give --biller-dir=DIR or run pytest "
                "from the suite's folder"
            )
        return  # not a run of the suite (the plugin is installed, the project is elsewhere)
    try:
        # xdist workers start after the controller has validated the same files
        is_worker = hasattr(config, "workerinput")
        billers = load_billers(options.biller_dir, options.billers, validated=is_worker)
    except ConversionQAError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[RUN] = Run(options=options, billers=tuple(billers))
    report_plugin.configure(config)
    network_run.start(config, config.stash[RUN])


def pytest_unconfigure(config: pytest.Config) -> None:
    network_run.finish(config)


def pytest_report_header(config: pytest.Config) -> str | None:
    run = current_run(config)
    if run is None:
        return None
    mode = "live and offline" if run.options.live_variants else "offline (recorded fixtures)"
    mode += network_run.rehearsal_note(config)
    return (
        f"conversion-qa {__version__}: billers {', '.join(b.id for b in run.billers) or 'none'}; "
        f"environment {', '.join(run.options.environments)}; {mode}"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("rule")
    if marker is None or "case" not in metafunc.fixturenames:
        return
    run = current_run(metafunc.config)
    if run is None:
        metafunc.parametrize("case", [])  # pytest_collection_modifyitems says why
        return
    metafunc.parametrize(
        "case",
        cases(
            rule(marker.args[0]), run.billers, run.options.environments, run.options.live_variants
        ),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if current_run(config) is None and any(i.get_closest_marker("rule") for i in items):
        raise pytest.UsageError(
            f"the suite's rules need biller files, and there is no billers/ folder in "
            f"{config.rootpath}; run pytest from the suite's folder or give --biller-dir=DIR"
        )
    for item in items:
        case = case_of(item)
        if case is not None:  # so that -k setting-131 selects the rule by its id
            item.extra_keyword_matches.add(case.rule.id)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    case = case_of(item)
    if case is not None:
        outcomes.finish_report(report, call, case, date.today())
    return report


def pytest_report_teststatus(
    report: pytest.CollectReport | pytest.TestReport,
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    return outcomes.special_status(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    outcomes.write_terminal_summary(terminalreporter)
