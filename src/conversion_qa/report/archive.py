"""The archive's folders: one per biller, conversion and run, never overwritten, never half-written.

A run folder is reserved by creating it empty (an atomic exclusive create, so two runs in the same
second, or two runs at once, get two names), filled under a hidden temporary name, and renamed over
the empty reservation when complete: a killed run leaves an empty or hidden folder, never a report
that looks whole.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from conversion_qa.config.secrets import scrub

SUMMARY = "summary.json"  # present only in a complete run folder
REPORT = "report.html"
JUNIT = "junit.xml"
SIGNOFF = "signoff.html"
INDEX = "index.html"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_name(text: str) -> str:
    """A biller or conversion id as one safe path component."""
    name = _UNSAFE.sub("_", text).strip("._") or "unnamed"
    return name


def run_stem(started: datetime, environment: str, mode: str) -> str:
    """`<UTC timestamp>-<environment>-<mode>`, sortable by time."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{folder_name(environment)}-{folder_name(mode)}"


def reserve(parent: Path, stem: str) -> Path:
    """Create and return an empty folder named stem, or stem-2, stem-3... if taken."""
    parent.mkdir(parents=True, exist_ok=True)
    attempt = 1
    while True:
        candidate = parent / (stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            candidate.mkdir()
        except FileExistsError:
            attempt += 1
            continue
        return candidate


class RunFolder:
    """One archived run being written: files go to a hidden folder, renamed into place by commit."""

    def __init__(self, parent: Path, stem: str) -> None:
        self.final = reserve(parent, stem)
        try:
            self.temp = Path(
                tempfile.mkdtemp(prefix=f".{self.final.name}.", suffix=".partial", dir=parent)
            )
        except BaseException:
            with contextlib.suppress(OSError):  # no partial folder: give the reservation back
                self.final.rmdir()
            raise
        self.temp.chmod(0o755)  # mkdtemp's 0700 would hide the report from the rest of the team

    def path(self, name: str) -> Path:
        """Where a file is written before commit (for writers that want a path, like junitxml)."""
        return self.temp / name

    def write(self, name: str, text: str) -> None:
        """Write one file, scrubbed of every known secret."""
        self.path(name).write_text(scrub(text), encoding="utf-8")

    def scrub_file(self, name: str) -> None:
        """Scrub a file another writer produced."""
        path = self.path(name)
        path.write_text(scrub(path.read_text(encoding="utf-8")), encoding="utf-8")

    def commit(self) -> Path:
        # rename(2) replaces the empty reservation atomically; it refuses a non-empty folder
        os.rename(self.temp, self.final)
        return self.final

    def abandon(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)
        with contextlib.suppress(OSError):  # someone else's files: leave them
            self.final.rmdir()


def write_atomically(path: Path, text: str) -> None:
    """Replace a file (the index) in one step: readers see the old or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(scrub(text))
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
