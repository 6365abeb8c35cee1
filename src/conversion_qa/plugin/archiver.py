"""The archiver: collects rule outcomes, then archives each biller's run (in a local folder or
the team's object storage, report/store.py), appends each to the catalogue and updates the board.
A pytest plugin object, registered by the suite's plugin on the xdist controller (or a serial
run) only.

An archive that cannot be written (a read-only or full disk, a report folder that is a file, a
bucket that does not exist, no credentials, access denied) never hides the results: the test
summary prints as usual, each report not saved is one line saying what, where and why, and the
run exits with status 3 (pytest's INTERNAL_ERROR) even when every test passed, since a run whose
report was not saved cannot be signed off. A run whose tests failed exits 3 too: the console
still lists the failures, and 3 says the archive is missing.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

import conversion_qa
from conversion_qa.config.model import Biller
from conversion_qa.config.secrets import scrub
from conversion_qa.plugin import attachments, html_report, junit
from conversion_qa.plugin.collector import Collector, Group, result_of
from conversion_qa.plugin.run import RUN
from conversion_qa.report import (
    archive,
    board,
    catalogue,
    connections,
    drift,
    facts,
    pdf,
    screenshots,
    signoff,
    summary,
    summary_json,
    validity,
    verdict_list,
)
from conversion_qa.report.archive import JUNIT, REPORT, SIGNOFF, SIGNOFF_PDF, SUMMARY, RunFolder
from conversion_qa.report.catalogue import Record, Skipped
from conversion_qa.report.results import Mode, Summary
from conversion_qa.report.store import Location, Store, StoreError

CHECKOUT = Path(conversion_qa.__file__).resolve().parent  # whose git commit the reports name


def register_archive(
    config: pytest.Config,
    root: Location | None,
    billers: Sequence[Biller],
    *,
    is_worker: bool,
    rehearsed_by: tuple[str, ...] = (),
) -> None:
    """Register the report hooks; only the xdist controller (or a serial run) archives.
    rehearsed_by: the options that made the run's live tests a rehearsal (Run.rehearsed_by)."""
    has_html = config.pluginmanager.hasplugin("html")
    if has_html:
        config.pluginmanager.register(html_report.TableHooks(), "conversion-qa-report-table")
    if root is None or is_worker:
        return
    if not has_html:
        raise pytest.UsageError(
            "the archived report is written by pytest-html, which this run disabled "
            "(-p no:html): drop -p no:html, or pass --no-archive to write no report"
        )
    config.pluginmanager.register(
        Archiver(config, root, billers, rehearsed_by), "conversion-qa-archiver"
    )


class Archiver:
    """Writes, for each biller in the run, its archived folder; then the catalogue and board."""

    def __init__(
        self,
        config: pytest.Config,
        root: Location,
        billers: Sequence[Biller],
        rehearsed_by: tuple[str, ...] = (),
    ) -> None:
        self.config = config
        self.root = root
        self.billers = {biller.id: biller for biller in billers}
        self.rehearsed_by = rehearsed_by
        self.collector = Collector(config)
        config.pluginmanager.register(self.collector, "conversion-qa-collector")
        self.started = datetime.now(UTC)
        self.written: list[str] = []  # where each archived run folder is (a path or a URL)
        self.note: str | None = None
        self.failures: list[str] = []  # one line per report or index not written
        self.details: list[str] = []  # tracebacks of unexpected errors (a bug, not a disk)
        self.indexed: str | None = None
        self.verdicts: list[tuple[Group, validity.Validity]] = []  # of each archived folder
        self.skipped: tuple[Skipped, ...] = ()
        run = config.stash.get(RUN, None)
        self.printer = pdf.Printer(run.browser.path if run is not None else None)
        self.prints = run is None or run.browser.prints
        self.unprinted: str | None = None  # why there is no signoff.pdf (said once)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            self.note = "run interrupted: nothing archived (a partial run is no sign-off)"
            return
        groups = self.collector.groups()
        if not groups:
            return
        run_facts = facts.gather(self.started, datetime.now(UTC), CHECKOUT)
        try:
            self._archive_all(session, groups, run_facts)
        finally:
            self.printer.close()

    def _archive_all(
        self,
        session: pytest.Session,
        groups: dict[Group, list[list[pytest.TestReport]]],
        run_facts: facts.RunFacts,
    ) -> None:
        records: list[Record] = []
        try:
            store = Store.open(self.root)
        except StoreError as error:
            for group in groups:
                self._failed(f"could not archive {_what(group)} in {self.root}", error)
        else:
            for found, tests in groups.items():
                group, rehearsed_by = self._mode_of(found, tests)
                try:
                    records.append(
                        self._archive(store, session, group, tests, run_facts, rehearsed_by)
                    )
                except Exception as error:
                    self._failed(f"could not archive {_what(group)} in {self.root}", error)
        if records:  # nothing new to list otherwise
            try:
                published = board.publish(store, records)
                self.indexed, self.skipped = published.board, published.skipped
            except Exception as error:
                # the run folders are saved: only the board is out of date until the next run
                self._failed(
                    f"could not update the board in {self.root}",
                    error,
                    lost="the board was not updated; the run folders above are saved "
                    "(`python -m conversion_qa.archive rebuild` brings it up to date)",
                )
        if self.failures and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.TESTS_FAILED,
        ):
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def _mode_of(
        self, group: Group, tests: list[list[pytest.TestReport]]
    ) -> tuple[Group, tuple[str, ...]]:
        """The group's folder and what made it a rehearsal: a live run whose tests connected a
        host at an address that is not public is a rehearsal, each such host a reason."""
        if group.mode is not Mode.LIVE:
            return group, self.rehearsed_by
        reached = connections.rehearsal_reasons(
            value
            for phases in tests
            for name, value in _properties(phases)
            if name == connections.CONNECTIONS
        )
        if not reached:
            return group, ()
        return dataclasses.replace(group, mode=Mode.REHEARSAL), reached

    def _failed(
        self, what: str, error: Exception, lost: str = "these results were not saved"
    ) -> None:
        if isinstance(error, (OSError, StoreError)):  # disk, folder, bucket, access: fixable
            why = str(error)
        else:
            why = f"{type(error).__name__}: {error} (a conversion-qa bug: its traceback is above)"
            self.details.append("".join(traceback.format_exception(error)))
        self.failures.append(f"{what}: {why}; {lost}")

    def _archive(
        self,
        store: Store,
        session: pytest.Session,
        group: Group,
        tests: list[list[pytest.TestReport]],
        run_facts: facts.RunFacts,
        rehearsed_by: tuple[str, ...],
    ) -> Record:
        biller = self._biller(group.biller)
        conversion = f"{archive.folder_name(biller.id)}/{archive.folder_name(biller.conversion)}"
        stem = archive.run_stem(run_facts.started, group.environment, group.mode.value)
        folder = RunFolder(store, conversion, stem)
        try:
            results = [result_of(phases) for phases in tests]
            data = summary.build(
                biller, group.environment, group.mode, run_facts, results, rehearsed_by
            )
            judged = validity.of(data)
            drift_rows = drift.rows_of(  # a live run's portal against the file (and test)
                value
                for phases in tests
                for name, value in _properties(phases)
                if name == drift.DRIFT
            )
            shown = {phases[0].nodeid: attachments.attached(phases) for phases in tests}
            screenshots.store_all(folder, results, shown)  # the PNGs, beside the report too
            folder.write(REPORT, verdict_list.render(data, shown, drift_rows))
            junit.write_junit(folder.path(JUNIT), f"conversion-qa.{biller.id}", tests)
            folder.scrub_file(JUNIT)
            folder.write(SIGNOFF, signoff.render(data, drift_rows))
            self._print(folder, data, judged, drift_rows)
            folder.write(SUMMARY, summary_json.dumps(data))
            committed = folder.commit()  # its manifest last: it marks a whole folder
            self.verdicts.append((group, judged))
            self.written.append(store.where(committed))
            return catalogue.record_of(data, committed, folder.digest)
        except BaseException:
            folder.abandon()
            raise

    def _print(
        self,
        folder: RunFolder,
        data: Summary,
        judged: validity.Validity,
        drift_rows: list[drift.Row],
    ) -> None:
        """signoff.pdf, printed from the sheet scrubbed as signoff.html is; where no browser can
        print it, the reason is kept to be said once (signoff.html prints as well)."""
        if self.unprinted is not None or not self.prints:
            return
        sheet = scrub(signoff.render(data, drift_rows, paged=False))
        try:
            printed = self.printer.pdf(sheet, scrub(signoff.identity(data)), judged.verdict)
        except pdf.Unprintable as why:
            self.unprinted = str(why)
            return
        folder.write_bytes(SIGNOFF_PDF, printed)

    def _biller(self, biller_id: str) -> summary.BillerFacts:
        biller = self.billers.get(biller_id)
        if biller is None:
            return summary.BillerFacts(biller_id, biller_id, "unknown-conversion")
        return summary.BillerFacts.of(biller)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for group, judged in self.verdicts:  # first: whether each archived sheet can be signed
            what = f"{group.biller} {group.environment} {group.mode}"
            why = f": {'; '.join(judged.reasons)}" if judged.reasons else ""
            terminalreporter.write_line(
                f"conversion-qa: {what}: {judged.verdict}{why}",
                green=judged.valid,
                red=not judged.valid,
                bold=True,
            )
        if self.note:
            terminalreporter.write_line(f"conversion-qa: {self.note}", yellow=True)
        if self.unprinted and self.written:
            terminalreporter.write_line(
                f"conversion-qa: no signoff.pdf: {self.unprinted}; print signoff.html from a "
                "browser instead (it is laid out for paper too)",
                yellow=True,
            )
        for folder in self.written:
            terminalreporter.write_line(f"conversion-qa: archived {folder}")
        if self.indexed:
            terminalreporter.write_line(f"conversion-qa: index {self.indexed}")
        if self.skipped:
            terminalreporter.write_line(
                f"conversion-qa: the index leaves out {len(self.skipped)} archived file(s) it "
                "cannot read or believe (listed at the foot of the index)",
                yellow=True,
            )
        for detail in self.details:
            terminalreporter.write(detail)
        for line in self.failures:
            terminalreporter.write_line(f"conversion-qa: {line}", red=True, bold=True)


def _what(group: Group) -> str:
    return f"{group.biller}'s report ({group.environment}, {group.mode})"


def _properties(phases: list[pytest.TestReport]) -> list[tuple[str, object]]:
    return [(str(name), value) for phase in phases for name, value in phase.user_properties]
