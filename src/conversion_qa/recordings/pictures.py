"""A recorded screenshot, read as untrusted input: only a regular PNG file of bounded size inside
its recording's `screenshots/` folder, with no symbolic link anywhere on the way.

A recording is a file anyone can commit: a symlinked `screenshots/` folder, or a screenshot that
is a link, would let a recorded view name any file of the machine (a private key), which the run
would then embed in report.html and archive as a PNG.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from conversion_qa.errors import BadRecording

SCREENSHOTS = "screenshots"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 5 * 1024 * 1024  # a viewport's screenshot is tens of KB
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; elsewhere the lstat checks stand alone
_BINARY = getattr(os, "O_BINARY", 0)  # Windows


def recorded_png(recording: Path, name: str) -> bytes | None:
    """The PNG a recording names (`screenshots/<file>.png`, beside the recording), or None when
    it is not there; BadRecording names the recording, the file and why it is refused."""
    folder = recording.parent
    parts = PurePosixPath(name).parts
    if len(parts) != 2 or parts[0] != SCREENSHOTS or not _plain_file_name(parts[1]):
        raise _refused(recording, name, f"is not a file of its {SCREENSHOTS}/ folder")
    path = folder / SCREENSHOTS / parts[1]
    for step in (folder, folder / SCREENSHOTS, path):
        try:
            found = step.lstat()
        except FileNotFoundError:
            return None  # not recorded: the view is judged without its picture
        if stat.S_ISLNK(found.st_mode):
            raise _refused(recording, name, f"passes through a symbolic link ({step})")
    if not stat.S_ISREG(found.st_mode):
        raise _refused(recording, name, "is not a regular file")
    if found.st_size > MAX_PNG_BYTES:
        raise _refused(
            recording,
            name,
            f"is {found.st_size:,} bytes; a screenshot may be at most {MAX_PNG_BYTES:,} bytes",
        )
    try:
        data = _read_same_file(path, found)
    except OSError as error:
        raise _refused(recording, name, f"cannot be read ({error.strerror or error})") from None
    if data is None:
        raise _refused(recording, name, "changed while it was read")
    if not data.startswith(PNG_SIGNATURE):
        raise _refused(recording, name, "is not a PNG image")
    return data


def _plain_file_name(name: str) -> bool:
    return name not in ("", ".", "..") and "\\" not in name and name.endswith(".png")


def _read_same_file(path: Path, checked: os.stat_result) -> bytes | None:
    """The file's bytes, when the file opened is the one checked (not swapped for a link)."""
    descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | _BINARY)
    with os.fdopen(descriptor, "rb") as file:
        opened = os.fstat(file.fileno())
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            return None
        data = file.read(MAX_PNG_BYTES + 1)
    return data if len(data) <= MAX_PNG_BYTES else None


def _refused(recording: Path, name: str, why: str) -> BadRecording:
    return BadRecording(
        f"{recording}: the screenshot {name!r} {why}; a recording's screenshots are PNG files "
        f"of at most {MAX_PNG_BYTES // (1024 * 1024)} MiB in {recording.parent / SCREENSHOTS}/, "
        "never links: record them again (pytest -m live --record-fixtures)"
    )
