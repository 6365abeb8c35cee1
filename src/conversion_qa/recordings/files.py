"""Reading and updating one recorded-answers YAML file, safely under xdist."""

from __future__ import annotations

import fcntl
import functools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from conversion_qa.errors import ConversionQAError

FORMAT_VERSION = 1


class RecordingError(ConversionQAError):
    """A recorded-answers file that is missing, malformed, or lacks the answer a test needs."""


def read_entries(path: Path, section: str) -> Mapping[str, Any]:
    """The `section:` mapping of a recorded file; RecordingError names the file and the fix."""
    if not path.is_file():
        raise RecordingError(
            f"{path}: no such recording; record it with a live run "
            "(pytest -m live --record-fixtures --biller=NAME) or write it by hand"
        )
    stat = path.stat()
    try:
        data = _parsed(path, stat.st_mtime_ns, stat.st_size)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RecordingError(f"{path}: not readable YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get(section), dict):
        raise RecordingError(f"{path}: expected a mapping with a '{section}:' mapping inside")
    if data.get("version") != FORMAT_VERSION:
        raise RecordingError(f"{path}: 'version: {FORMAT_VERSION}' expected at the top")
    entries: Mapping[str, Any] = data[section]
    return entries


@functools.lru_cache(maxsize=256)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Any:
    """A recording parsed once per run (per change), not once per test that reads it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_FastLoader)


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def update_entry(path: Path, header: str, section: str, key: str, entry: object) -> None:
    """Replace one entry of a recorded file (creating it), other entries kept; xdist-safe."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        data: dict[str, Any] = {"version": FORMAT_VERSION, section: {}}
        if path.is_file():
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and isinstance(loaded.get(section), dict):
                data[section] = loaded[section]
        data[section][key] = entry
        data[section] = dict(sorted(data[section].items()))
        text = header + dump(data)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # a killed run never leaves half a file


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a recording is read by people: no &id001 anchors


def dump(data: object) -> str:
    """YAML as the recordings are written: keys in order, short lists inline, no anchors."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.with_name(f".{path.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
