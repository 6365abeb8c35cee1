"""Runs archived without running the suite: a summary built in code (selftests/summaries.py)
written into a store as the archiver writes a run (its reports, summary.json, manifest last) and
published to the catalogue."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from conversion_qa.report import archive, board, catalogue, summary_json
from conversion_qa.report.archive import JUNIT, REPORT, SIGNOFF, SUMMARY
from conversion_qa.report.results import Mode, Summary
from conversion_qa.report.store import Store
from selftests.summaries import NOW, clean_live


def at(summary: Summary, started: datetime) -> Summary:
    """The summary of a run that started (and finished) then."""
    return dataclasses.replace(
        summary, run=dataclasses.replace(summary.run, started=started, finished=started)
    )


def live(minutes: int = 0, environment: str = "test") -> Summary:
    """A clean live run, valid for sign-off, started `minutes` after NOW."""
    return at(clean_live(environment), NOW + timedelta(minutes=minutes))


def offline(minutes: int = 0) -> Summary:
    """The same run offline: never valid."""
    return dataclasses.replace(live(minutes), mode=Mode.OFFLINE)


def write_run(store: Store, summary: Summary) -> tuple[str, str]:
    """Archive the summary's run folder (not catalogued); its key and manifest's digest."""
    conversion = f"{summary.biller_id}/{summary.conversion}"
    stem = archive.run_stem(summary.run.started, summary.environment, summary.mode.value)
    folder = archive.RunFolder(store, conversion, stem)
    for name in (REPORT, SIGNOFF):
        folder.write(name, f"<!DOCTYPE html><title>{name}</title>")
    folder.write(JUNIT, "<testsuites/>")
    folder.write(SUMMARY, summary_json.dumps(summary))
    key = folder.commit()
    assert folder.digest is not None
    return key, folder.digest


def archived(store: Store, summary: Summary, now: datetime | None = None) -> str:
    """Archive the summary's run and publish it to the catalogue and board; its key."""
    key, digest = write_run(store, summary)
    board.publish(store, [catalogue.record_of(summary, key, digest)], now)
    return key


def edit_one_byte(store: Store, key: str) -> None:
    """Change one letter inside summary.json's biller name: still JSON, no longer as archived."""
    path = f"{key}/{SUMMARY}"
    data = bytearray(store.read(path))
    at_name = data.index(b'"name": "') + len(b'"name": "')
    data[at_name] = ord("X") if data[at_name] != ord("X") else ord("Y")
    store.write(path, bytes(data))
