"""The pytest plugin (the pytest11 entry point): options, the run's record, rule
parametrization, report shaping and the archive. Wiring only: the work is in the library."""

from __future__ import annotations

import dataclasses
import signal
import threading
from collections.abc import Generator
from types import FrameType
from typing import Any

import pytest

from conversion_qa import __version__
from conversion_qa.clients.connections import CONNECTIONS
from conversion_qa.config.loader import load_each
from conversion_qa.errors import ConversionQAError
from conversion_qa.plugin import (
    broken,
    hookspecs,
    outcomes,
    preflight,
    rehearsal,
    screenshots,
    services,
)
from conversion_qa.plugin.archiver import register_archive
from conversion_qa.plugin.options import TODAY, add_options, read_run
from conversion_qa.plugin.run import RUN, current_run
from conversion_qa.plugin.targets import case_of, cases
from conversion_qa.report import connections, validity
from conversion_qa.rules.catalogue import rule
from conversion_qa.rules.verdict import RuleNotChecked

pytest_plugins = ["conversion_qa.plugin.fixtures", "conversion_qa.plugin.broken"]

MARKERS = (
    "rule(id): the catalogue rule a test checks; the plugin parametrizes it per biller, "
    "environment and item",
    "live: runs against the real portal and S&S endpoints (select with -m live); without it "
    "every rule runs offline",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    run = read_run(config)
    selection = run.selection
    if not selection.biller_dir.is_dir():
        if selection.biller_dir_given:
            raise pytest.UsageError(
                f"no biller folder at {selection.biller_dir}; give --biller-dir=DIR or run "
                "pytest from the suite's folder"
            )
        return  # not a run of the suite (the plugin is installed, the project is elsewhere)
    # xdist workers start after the controller has validated the same files
    is_worker = hasattr(config, "workerinput")
    handed = broken.handed_to_worker(config)
    try:
        loaded = load_each(
            selection.biller_dir,
            selection.billers,
            validated=is_worker,
            today=run.today,
            known_broken=[b.biller for b in handed or ()],
        )
    except ConversionQAError as error:
        raise pytest.UsageError(outcomes.shown(str(error))) from None
    found = tuple(broken.BrokenFile.of(e, outcomes.shown(str(e))) for e in loaded.broken)
    if found and selection.billers is not None:  # named on the command line: nothing to test
        raise pytest.UsageError("\n".join(b.message for b in found))
    config.stash[broken.BROKEN] = (*(handed or ()), *found)
    run = dataclasses.replace(run, billers=loaded.billers)
    if is_worker:  # the controller checked the secrets and probed the network before
        given = config.workerinput.get(preflight.WORKER_INPUT)  # type: ignore[attr-defined]
        if given is not None:
            config.stash[preflight.REACHABILITY] = preflight.Reachability.from_input(given)
    elif run.selection.live_selected and not config.option.collectonly:
        preflight.require_secrets(run.billers, run.environments)
    stage = None
    if run.rehearsal is not None:
        run, stage = rehearsal.rehearse(run)
    config.stash[RUN] = run
    lent = config.hook.pytest_conversion_qa_chromium
    config.stash[services.SERVICES] = services.start(
        run, stage, lend=lambda executable: lent(executable=executable)
    )
    _stop_cleanly_on_sigterm(config)
    register_archive(
        config, run.report_dir, run.billers, is_worker=is_worker, rehearsed_by=run.rehearsed_by
    )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # xdist's WorkerController (untyped)
    """xdist's controller hands each worker the run's date, the broken biller files and what
    its network probe found."""
    run = current_run(node.config)
    if run is not None:
        node.workerinput[TODAY] = run.today.isoformat()
    node.workerinput[broken.WORKER_INPUT] = broken.for_workers(node.config)
    found = node.config.stash.get(preflight.REACHABILITY, None)
    if found is not None:
        node.workerinput[preflight.WORKER_INPUT] = found.as_input()


def _stop_cleanly_on_sigterm(config: pytest.Config) -> None:
    """SIGTERM (what CI sends on cancel) stops the run as Ctrl-C does: pytest's interrupted
    path, which says so and archives nothing, then the sandbox and temporary files cleaned."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt("stopped by SIGTERM")

    previous = signal.signal(signal.SIGTERM, stop)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    config.add_cleanup(restore)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before the first live test, once per run (on the xdist controller, before its workers
    start): whether anything answers at all."""
    config = session.config
    run = current_run(config)
    if run is None or hasattr(config, "workerinput") or not run.selection.live_selected:
        return
    if config.option.collectonly:
        return
    config.stash[preflight.REACHABILITY] = preflight.probe(run)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """When nothing answered the probe, a test that would reach the network is not checked,
    with the probe's one sentence, and sends nothing."""
    case = case_of(item)
    found = item.config.stash.get(preflight.REACHABILITY, None)
    if case is not None and found is not None and found.nothing_answered and case.reaches_network:
        raise RuleNotChecked(found.not_checked())


def pytest_unconfigure(config: pytest.Config) -> None:
    found = config.stash.get(services.SERVICES, None)
    if found is None:
        return
    lines = found.close()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        for line in lines:
            reporter.write_line(line)


def pytest_report_header(config: pytest.Config) -> str | None:
    run = current_run(config)
    if run is None:
        return None
    mode = run.mode(run.live_variants)  # -m live deselects the offline variants
    why_not = validity.mode_reason(mode, run.rehearsed_by)
    if why_not is None:
        verdict = (
            "the real portal, S&S endpoints and public DNS; valid for sign-off only if every "
            "rule that applies runs, is checked and does not fail (the verdict ends the run)"
        )
    else:
        stand_in = rehearsal.note(run, services.services(config).stage)
        verdict = f"{stand_in}{validity.NOT_VALID} whatever the results ({why_not})"
    return (
        f"conversion-qa {__version__}: billers {', '.join(b.id for b in run.billers) or 'none'}; "
        f"environment {', '.join(run.environments)}; mode {mode}: {verdict}"
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
        "case", cases(rule(marker.args[0]), run.billers, run.environments, run.live_variants)
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
    run = current_run(item.config)
    if case is not None and run is not None:
        outcomes.finish_report(report, call, case, run.today, run.mode(case.live))
        screenshots.attach(item, report)
    if report.when == "teardown":  # whatever the test, its connections are its own
        used = CONNECTIONS.take()
        if case is not None and case.live and used:
            report.user_properties.append(connections.user_property(used))
    return report


def pytest_report_teststatus(
    report: pytest.CollectReport | pytest.TestReport,
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    return outcomes.special_status(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    outcomes.write_terminal_summary(terminalreporter)
