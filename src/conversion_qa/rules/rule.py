"""What a rule of the catalogue is: its stable id, where it comes from, what to do when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    CONFIG = "config"
    DNS = "dns"
    NETWORK = "network"


class Applies(Enum):
    ALL = "all billers"
    MULTI_USER = "multi-user billers"
    CUSTOM_CODE = "billers with custom code"
    IFRAMES = "billers with Capricorn iFrames"


class Source(Enum):
    """What a configuration rule reads in a live run."""

    PLAN = "the biller file (the conversion plan has no live counterpart)"
    PORTAL = "the portal's advanced settings and options, as configured"
    NETWORK = "the real systems"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    impact: str  # critical: the weekend fails; high: a service fails; medium: a risk to follow up
    kind: Kind
    applies: Applies
    live_source: Source
    checklist: str  # the line of the team's checklist the rule comes from
    troubleshooting: str
    see_also: tuple[str, ...] = ()  # rules whose results explain this one's failure
    environment: str | None = None  # the one environment it checks (None: each environment)
