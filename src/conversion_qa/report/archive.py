"""The archive's run folders: one per biller, conversion and run, never overwritten, never
half-written, the same on a local folder and in object storage (report/store.py).

A run folder's name is reserved first (an exclusive create, so two runs in the same second, or two
runs at once on two machines, get two names), its files are written to a staging folder on this
machine, and commit publishes them whole with manifest.json last: a run is complete once its
manifest exists. Locally the staging folder is hidden beside the reservation and renamed over it;
in object storage, which has no rename, readers ignore a run folder without a manifest.
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
from conversion_qa.report import manifest
from conversion_qa.report.manifest import MANIFEST
from conversion_qa.report.store import Store

SUMMARY = "summary.json"  # the run's results (report/summary_json.py)
REPORT = "report.html"
JUNIT = "junit.xml"
SIGNOFF = "signoff.html"
SIGNOFF_PDF = "signoff.pdf"  # the sheet laid out for paper, where a browser could print it
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


def reserve(store: Store, parent: str, stem: str) -> str:
    """Reserve and return the key of a new run folder named stem, or stem-2, stem-3... if taken."""
    attempt = 1
    while True:
        candidate = f"{parent}/{stem if attempt == 1 else f'{stem}-{attempt}'}"
        if store.make_folder(candidate):
            return candidate
        attempt += 1


class RunFolder:
    """One archived run being written: files are staged on this machine, published by commit."""

    def __init__(self, store: Store, parent: str, stem: str) -> None:
        self.store = store
        self.key = reserve(store, parent, stem)
        self.digest: str | None = None  # its manifest's SHA-256, once committed
        name = self.key.rsplit("/", 1)[-1]
        try:
            if store.is_local:  # beside the reservation, so commit is one rename
                staging = tempfile.mkdtemp(
                    prefix=f".{name}.", suffix=".partial", dir=store.local_path(parent)
                )
            else:
                staging = tempfile.mkdtemp(prefix=f"conversion-qa-{name}.")
        except BaseException:
            self._give_back()
            raise
        self.temp = Path(staging)
        self.temp.chmod(0o755)  # mkdtemp's 0700 would hide the report from the rest of the team

    def path(self, name: str) -> Path:
        """Where a file is written before commit (for writers that want a path, like junitxml)."""
        return self.temp / name

    def write(self, name: str, text: str) -> None:
        """Write one file, scrubbed of every known secret."""
        self.path(name).write_text(scrub(text), encoding="utf-8")

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write one binary file as it is: the caller made it from scrubbed text (a PDF)."""
        self.path(name).write_bytes(data)

    def scrub_file(self, name: str) -> None:
        """Scrub a file another writer produced."""
        path = self.path(name)
        path.write_text(scrub(path.read_text(encoding="utf-8")), encoding="utf-8")

    def commit(self) -> str:
        """Publish the run: its manifest last. Returns the folder's key in the archive."""
        files = {
            p.relative_to(self.temp).as_posix(): p.read_bytes()
            for p in sorted(self.temp.rglob("*"))
            if p.is_file()
        }
        listed = manifest.of(self.key, files).dumps()
        self.digest = manifest.sha256(listed)
        if self.store.is_local:
            (self.temp / MANIFEST).write_bytes(listed)
            # rename(2) replaces the empty reservation atomically; it refuses a non-empty folder
            os.rename(self.temp, self.store.local_path(self.key))
            return self.key
        self.store.write_many({f"{self.key}/{name}": data for name, data in files.items()})
        if not self.store.create(f"{self.key}/{MANIFEST}", listed):
            raise FileExistsError(f"{self.store.where(self.key)} already has a manifest")
        shutil.rmtree(self.temp, ignore_errors=True)
        return self.key

    def abandon(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)
        self._give_back()

    def _give_back(self) -> None:
        if self.store.is_local:
            with contextlib.suppress(OSError):  # someone else's files: leave them
                self.store.local_path(self.key).rmdir()
