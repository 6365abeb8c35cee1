"""What one pytest run checks, kept on the config's stash."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conversion_qa.config.model import Biller
from conversion_qa.options import RunOptions


@dataclass(frozen=True)
class Run:
    options: RunOptions
    billers: tuple[Biller, ...]


RUN = pytest.StashKey[Run]()


def current_run(config: pytest.Config) -> Run | None:
    return config.stash.get(RUN, None)
