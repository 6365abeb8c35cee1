"""An answer and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """An answer and where it came from, for the message's "where"."""

    value: T
    source: str
