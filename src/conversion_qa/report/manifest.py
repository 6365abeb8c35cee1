"""Tamper evidence: each archived run folder holds manifest.json, the SHA-256 digest of every
other file in it, written last (a run is complete once its manifest exists). `verify` reads the
folder back and says whether it is intact, which files changed, went missing or were added, or
that it has no manifest (a run archived before manifests, or one never completed).

A manifest is evidence, not a signature: whoever can write the archive could rewrite a file and
its manifest together. The catalogue keeps each manifest's own digest when the run is archived,
and an approval is bound to it, so such a rewrite shows too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from conversion_qa.report.store import Store

MANIFEST = "manifest.json"
VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The files of one run folder (relative names, "/") and each one's SHA-256."""

    run: str  # the folder's key in the archive: biller/conversion/run
    files: Mapping[str, str]

    def dumps(self) -> bytes:
        data = {
            "manifest_version": VERSION,
            "run": self.run,
            "algorithm": "sha256",
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(data, indent=1) + "\n").encode("utf-8")


def of(run: str, files: Mapping[str, bytes]) -> Manifest:
    """The manifest of a run folder's files (the manifest itself excluded)."""
    return Manifest(run, {name: sha256(data) for name, data in files.items() if name != MANIFEST})


class Unreadable(ValueError):
    """A manifest.json that is not one; the message says why."""


def loads(data: bytes) -> Manifest:
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Unreadable(f"not valid JSON ({error})") from None
    files = loaded.get("files") if isinstance(loaded, dict) else None
    if (
        not isinstance(loaded, dict)
        or loaded.get("manifest_version") != VERSION
        or loaded.get("algorithm") != "sha256"
        or not isinstance(loaded.get("run"), str)
        or not isinstance(files, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
    ):
        raise Unreadable(f"not a manifest of version {VERSION} with sha256 digests")
    return Manifest(loaded["run"], files)


class Integrity(StrEnum):
    INTACT = "intact"
    ALTERED = "altered"
    UNVERIFIABLE = "not verifiable"  # no manifest: archived before manifests


@dataclass(frozen=True)
class Check:
    """What verifying one run folder found."""

    run: str
    integrity: Integrity
    problems: tuple[str, ...] = ()  # each a short sentence: what changed
    digest: str | None = None  # the SHA-256 of its manifest.json, when it has one

    @property
    def sentence(self) -> str:
        if self.integrity is Integrity.INTACT:
            return f"{self.run}: intact (every file as archived)"
        if self.integrity is Integrity.UNVERIFIABLE:
            return f"{self.run}: not verifiable: {'; '.join(self.problems)}"
        return f"{self.run}: ALTERED after it was archived: {'; '.join(self.problems)}"


NO_MANIFEST = "it has no manifest.json (archived before manifests, or never completed)"


def verify(store: Store, run: str, expected: str | None = None) -> Check:
    """Check a run folder's files against its manifest (and the manifest against the digest the
    catalogue recorded for it, when given)."""
    raw = store.read_or_none(f"{run}/{MANIFEST}")
    if raw is None:
        return Check(run, Integrity.UNVERIFIABLE, (NO_MANIFEST,))
    digest = sha256(raw)
    try:
        manifest = loads(raw)
    except Unreadable as error:
        return Check(run, Integrity.ALTERED, (f"its {MANIFEST} is unreadable: {error}",), digest)
    problems: list[str] = []
    if expected is not None and digest != expected:
        problems.append(f"{MANIFEST} is not the one recorded when the run was archived")
    if manifest.run != run:
        problems.append(f"{MANIFEST} is of another run ({manifest.run})")
    present = {name for name in store.files(run) if name != MANIFEST and not _hidden(name)}
    found = store.read_many(f"{run}/{name}" for name in sorted(manifest.files) if name in present)
    for name, wanted in sorted(manifest.files.items()):
        data = found.get(f"{run}/{name}")
        if data is None:
            problems.append(f"{name} is missing")
        elif sha256(data) != wanted:
            problems.append(f"{name} changed")
    problems += [f"{name} was added" for name in sorted(present - set(manifest.files))]
    integrity = Integrity.ALTERED if problems else Integrity.INTACT
    return Check(run, integrity, tuple(problems), digest)


def _hidden(name: str) -> bool:
    """A file no report links (a desktop's .DS_Store): never evidence of a change."""
    return any(part.startswith(".") for part in name.split("/"))
