"""Reading and writing recorded-answer files: one lock, atomic replacement, parsed once a run.

The lock is a `filelock` lock file beside the recording, so parallel xdist workers (and two
runs at once) merge their answers instead of losing them, on Linux, macOS and Windows alike.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock

from conversion_qa.config.yaml_source import Limits, YamlRefused, bounded_text, safe_load
from conversion_qa.errors import BadRecording, NotRecorded

FORMAT_VERSION = 1
# A recording is untrusted input, as a biller file is: no anchors or aliases (2 KB of aliases
# expand to billions of values), bounded values and nesting; larger, since it holds answers.
RECORDING = Limits(
    "a recording", 64 * 1024 * 1024, 200_000, 32, "a few KB to a few MB, a few thousand values"
)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the recording's lock (`.NAME.lock` beside it) while reading and replacing it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(f".{path.name}.lock")):
        yield


def replace_text(path: Path, text: str) -> None:
    """Write the whole file at once: a killed run never leaves half a recording."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def replace_bytes(path: Path, data: bytes) -> None:
    """Write a whole binary file (a screenshot) at once, as replace_text does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def load(path: Path) -> Any:
    """A recording's YAML document, within the RECORDING limits; BadRecording names the file,
    the line and what is wrong."""
    try:
        return safe_load(bounded_text(path, RECORDING), RECORDING)
    except YamlRefused as refused:
        where = f"{path}:{refused.line}" if refused.line is not None else str(path)
        raise BadRecording(
            f"{where}: {refused.problem}; record it again (pytest -m live --record-fixtures)"
        ) from None
    except yaml.YAMLError as error:
        raise BadRecording(f"{path}: not readable YAML: {error}") from None


def parsed(path: Path) -> Any:
    """The YAML document of a recording, parsed once per run (and again only if it changes)."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Any:
    return load(path)


def read_entries(path: Path, section: str) -> Mapping[str, Any]:
    """The `section:` mapping of a versioned recording; BadRecording names the file and the fix.
    The caller checks that the file exists (a missing recording is NotRecorded)."""
    data = parsed(path)
    if not isinstance(data, dict) or not isinstance(data.get(section), dict):
        raise BadRecording(f"{path}: expected a mapping with a '{section}:' mapping inside")
    if data.get("version") != FORMAT_VERSION:
        raise BadRecording(f"{path}: 'version: {FORMAT_VERSION}' expected at the top")
    entries: Mapping[str, Any] = data[section]
    return entries


def recorded_entry(path: Path, section: str, key: str, kind: str) -> Any:
    """The recording's entry for key; NotRecorded names the key, the file and how to record it."""
    if not path.is_file():
        raise NotRecorded(key, path, kind, biller=path.parent.name)
    entry = read_entries(path, section).get(key)
    if entry is None:
        raise NotRecorded(key, path, kind, biller=path.parent.name)
    return entry


def update_entry(path: Path, header: str, section: str, key: str, entry: object) -> None:
    """Replace one entry of a versioned recording (creating it), other entries kept."""
    update_entries(path, header, section, {key: entry})


def update_entries(
    path: Path, header: str, section: str, entries: Mapping[str, object], *, block: bool = False
) -> None:
    """Replace some entries of a versioned recording (creating it), other entries kept;
    `block`: each entry written one field a line, however short."""
    with locked(path):
        data: dict[str, Any] = {"version": FORMAT_VERSION, section: {}}
        if path.is_file():
            loaded = load(path)
            if isinstance(loaded, dict) and isinstance(loaded.get(section), dict):
                data[section] = loaded[section]
        data[section].update(entries)
        data[section] = {
            key: _Block(value) if block and isinstance(value, dict) else value
            for key, value in sorted(data[section].items())
        }
        replace_text(path, header + dump(data))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a recording is read by people: no &id001 anchors


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """Several lines of text (a page's visible text) as a block, as a person would write it."""
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _Block(dict[str, Any]):
    """A mapping written one key a line."""


def _block(dumper: yaml.SafeDumper, data: _Block) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Block, _block)


def dump(data: object) -> str:
    """YAML as the recordings are written: keys in order, short lists inline, no anchors."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
