"""What a report says about the run itself: who, when, which suite, which checkout."""

from __future__ import annotations

import getpass
import platform
import socket
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from conversion_qa import __version__

UNKNOWN = "unknown"


@dataclass(frozen=True)
class RunFacts:
    user: str  # user@host
    started: datetime
    finished: datetime
    suite_version: str
    commit: str
    python: str
    pytest: str


def run_by() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry and no $USER
        user = UNKNOWN
    return f"{user}@{socket.gethostname()}"


def git_commit(folder: Path) -> str:
    """The checkout's commit (with +dirty for uncommitted changes), or "unknown" outside git."""
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return f"{head}+dirty" if status else head or UNKNOWN


def gather(started: datetime, finished: datetime, checkout: Path) -> RunFacts:
    return RunFacts(
        user=run_by(),
        started=started,
        finished=finished,
        suite_version=__version__,
        commit=git_commit(checkout),
        python=platform.python_version(),
        pytest=metadata.version("pytest"),
    )
