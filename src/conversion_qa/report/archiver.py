"""The archiver: collects rule outcomes, then archives each biller's run and rebuilds the index.
A pytest plugin object, registered by the suite's plugin on the xdist controller (or a serial
run) only."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

import conversion_qa
from conversion_qa.config.model import Biller
from conversion_qa.report import archive, facts, html, index, junit, signoff, summary
from conversion_qa.report.archive import JUNIT, REPORT, SIGNOFF, SUMMARY, RunFolder
from conversion_qa.report.collector import Collector, Group, result_of

CHECKOUT = Path(conversion_qa.__file__).resolve().parent  # whose git commit the reports name


def register_archive(
    config: pytest.Config, root: Path | None, billers: Sequence[Biller], *, is_worker: bool
) -> None:
    """Register the report hooks; only the xdist controller (or a serial run) archives."""
    has_html = config.pluginmanager.hasplugin("html")
    if has_html:
        config.pluginmanager.register(html.TableHooks(), "conversion-qa-report-table")
    if root is None or is_worker:
        return
    if not has_html:
        raise pytest.UsageError(
            "the archived report is written by pytest-html, which this run disabled "
            "(-p no:html): drop -p no:html, or pass --no-archive to write no report"
        )
    config.pluginmanager.register(Archiver(config, root, billers), "conversion-qa-archiver")


class Archiver:
    """Writes, for each biller in the run, its archived folder; then the index."""

    def __init__(self, config: pytest.Config, root: Path, billers: Sequence[Biller]) -> None:
        self.config = config
        self.root = root
        self.billers = {biller.id: biller for biller in billers}
        self.collector = Collector(config)
        config.pluginmanager.register(self.collector, "conversion-qa-collector")
        self.started = datetime.now(UTC)
        self.started_clock = time.time()
        self.written: list[Path] = []
        self.note: str | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            self.note = "run interrupted: nothing archived (a partial run is no sign-off)"
            return
        groups = self.collector.groups()
        if not groups:
            return
        run_facts = facts.gather(self.started, datetime.now(UTC), CHECKOUT)
        for group, tests in groups.items():
            self.written.append(self._archive(session, group, tests, run_facts))
        index.rebuild(self.root)

    def _archive(
        self,
        session: pytest.Session,
        group: Group,
        tests: list[list[pytest.TestReport]],
        run_facts: facts.RunFacts,
    ) -> Path:
        biller = self._biller(group.biller)
        conversion = (
            self.root / archive.folder_name(biller.id) / archive.folder_name(biller.conversion)
        )
        stem = archive.run_stem(run_facts.started, group.environment, group.mode)
        folder = RunFolder(conversion, stem)
        try:
            results = [result_of(phases) for phases in tests]
            data = summary.build(group, biller, run_facts, results)  # schema-checked by self-tests
            title = (
                f"{biller.name}: conversion {biller.conversion}, {group.environment}, {group.mode}"
            )
            html.write_report(
                folder.path(REPORT),
                session,
                title,
                header(biller, group, run_facts),
                tests,
                self.started_clock,
            )
            junit.write_junit(folder.path(JUNIT), f"conversion-qa.{biller.id}", tests)
            folder.scrub_file(JUNIT)
            folder.write(SIGNOFF, signoff.render(data))
            folder.write(SUMMARY, summary.dumps(data))  # last: its presence marks a whole folder
            return folder.commit()
        except BaseException:
            folder.abandon()
            raise

    def _biller(self, biller_id: str) -> summary.BillerFacts:
        biller = self.billers.get(biller_id)
        if biller is None:
            return summary.BillerFacts(biller_id, biller_id, "unknown-conversion")
        return summary.BillerFacts(biller.id, biller.name, biller.conversion.id)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.note:
            terminalreporter.write_line(f"conversion-qa: {self.note}", yellow=True)
        for folder in self.written:
            terminalreporter.write_line(f"conversion-qa: archived {folder}")
        if self.written:
            terminalreporter.write_line(f"conversion-qa: index {self.root / archive.INDEX}")


def header(biller: summary.BillerFacts, group: Group, run: facts.RunFacts) -> dict[str, str]:
    """The report's header (pytest-html's environment table)."""
    return {
        "Biller": f"{biller.name} ({biller.id})",
        "Conversion": biller.conversion,
        "Environment": group.environment,
        "Mode": group.mode,
        "Run by": run.user,
        "Started (UTC)": run.started.isoformat(timespec="seconds"),
        "Finished (UTC)": run.finished.isoformat(timespec="seconds"),
        "Suite version": f"conversion-qa {run.suite_version}",
        "Commit": run.commit,
        "Python": run.python,
        "pytest": run.pytest,
    }
