"""A biller file that could not be loaded, in a run of every biller: one error of the run, its
message the file's mistakes, while the other billers are tested as usual.

The error is an item of its own (`BrokenBillerFile`), so that the console, JUnit and the exit
status show it like any other error; it shows the mistakes, never a traceback. Under xdist the
controller reads the files and hands the broken ones to its workers, so that each collects the
same items without validating the files again.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.errors import BillerFileError

WORKER_INPUT = "conversion_qa_broken_billers"


@dataclass(frozen=True)
class BrokenFile:
    """A biller file of the run that could not be loaded, and every mistake in it, as told."""

    biller: str
    path: Path
    message: str

    @classmethod
    def of(cls, error: BillerFileError, shown: str) -> BrokenFile:
        return cls(error.path.stem, error.path, shown)


BROKEN = pytest.StashKey[tuple[BrokenFile, ...]]()


class BrokenBillerFileFound(Exception):
    """Raised by a broken biller file's item: its message is the file's mistakes."""


class BrokenBillerFile(pytest.Item):
    """One broken biller file, as an error of the run."""

    def __init__(self, *, broken: BrokenFile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.broken = broken

    def setup(self) -> None:
        raise BrokenBillerFileFound(self.broken.message)

    def runtest(self) -> None:  # never reached: setup stops the item
        raise BrokenBillerFileFound(self.broken.message)

    def told(self) -> str:
        """What the console, JUnit and the reports show: the mistakes, never a traceback."""
        return (
            f"{self.broken.message}\n\nThe biller {self.broken.biller} was not tested: fix its "
            "file and run again."
        )

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.broken.path, None, f"biller file {self.broken.path.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A broken file's error shows its mistakes (pytest would show a setup error's traceback)."""
    report = yield
    found = call.excinfo
    if isinstance(item, BrokenBillerFile) and found and found.errisinstance(BrokenBillerFileFound):
        report.longrepr = item.told()
    return report


def broken_items(session: pytest.Session, broken: Sequence[BrokenFile]) -> list[pytest.Item]:
    """One item per broken file, named by the file (`billers/semco.yaml::biller-file`)."""
    items: list[pytest.Item] = []
    for found in broken:
        try:
            shown = found.path.relative_to(session.config.rootpath).as_posix()
        except ValueError:
            shown = found.path.as_posix()
        items.append(
            BrokenBillerFile.from_parent(
                session,
                name=f"{found.biller}-biller-file",
                nodeid=f"{shown}::biller-file",
                path=found.path,
                broken=found,
            )
        )
    return items


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """After -k and -m have selected: a broken file is no test to deselect, it is always told."""
    found: tuple[BrokenFile, ...] = config.stash.get(BROKEN, ())
    items[:0] = broken_items(session, found)


def for_workers(config: pytest.Config) -> list[tuple[str, str, str]]:
    """The broken files the controller found, as xdist hands them to each worker."""
    return [(b.biller, str(b.path), b.message) for b in config.stash.get(BROKEN, ())]


def handed_to_worker(config: pytest.Config) -> tuple[BrokenFile, ...] | None:
    """On an xdist worker, the broken files its controller found; None elsewhere."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return None
    given = workerinput.get(WORKER_INPUT, [])
    return tuple(BrokenFile(biller, Path(path), message) for biller, path, message in given)
