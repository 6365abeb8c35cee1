"""The catalogue: what the board is rendered from, so that no run re-reads every summary.

- A record per run (`.catalogue/runs/<biller>/<conversion>/<run>.json`): biller, conversion,
  environment, mode, validity, counts, outstanding rules, when. Written once, under the run's own
  name, when the run is archived: two runs never write the same record, so none is lost.
- An approval per sign-off (`<biller>/<conversion>/.approvals/<run>/<role>-<when>-<id>.json`,
  beside the run): who approved which run, in which role, when, bound to its manifest's digest.
- A conversion's state (`.catalogue/conversions/<biller>/<conversion>.json`): every record of it,
  its approvals, the runs found altered and the summaries that could not be read, derived from
  the records above (report/board.py keeps it), and the part of it the board shows
  (`.catalogue/board/<biller>/<conversion>.json`): a few records, so the board reads little.

Records and states are derived: `python -m conversion_qa.archive rebuild` writes them again from
the run folders. Reading one trusts nothing: a file that is not of this shape is `Unreadable`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any
from urllib.parse import quote

from conversion_qa.report import validity
from conversion_qa.report.results import Mode, Outcome, Plan, Summary
from conversion_qa.report.validity import Validity

CATALOGUE = ".catalogue"
MARKER = f"{CATALOGUE}/catalogue.json"  # present once the archive has a catalogue
APPROVALS = ".approvals"
VERSION = 1
CHART_RUNS = 30  # the board's live chart: at most this many of a conversion's latest live runs
PAGE_RUNS = 50  # a conversion's page lists its latest runs; each month's page lists them all

PASSING = (Outcome.PASSED, Outcome.WARNING, Outcome.WAIVED)
# the judged tests: skips and tests not checked say nothing about health
COUNTED = (*PASSING, Outcome.FAILED, Outcome.ERROR)


class Unreadable(ValueError):
    """A catalogue file that is not of the shape this suite writes; the message says why."""


def record_key(run: str) -> str:
    return f"{CATALOGUE}/runs/{run}.json"


def records_folder(biller: str, conversion: str) -> str:
    return f"{CATALOGUE}/runs/{biller}/{conversion}"


def state_key(biller: str, conversion: str) -> str:
    return f"{CATALOGUE}/conversions/{biller}/{conversion}.json"


BOARD = f"{CATALOGUE}/board"


def board_key(biller: str, conversion: str) -> str:
    return f"{BOARD}/{biller}/{conversion}.json"


def approvals_folder(biller: str, conversion: str) -> str:
    return f"{biller}/{conversion}/{APPROVALS}"


@dataclass(frozen=True)
class Standing:
    """A rule that stands between a run and its sign-off, why, and its row in report.html."""

    rule: str
    why: str  # validity.Why: failed, not checked, not run, run in part, skipped
    anchor: str = ""
    detail: str = ""  # why a rule was not checked ("no answer from the CIS Service")


@dataclass(frozen=True)
class Point:
    """A live run as the board's chart draws it: when, where and its pass rate."""

    started_at: datetime
    environment: str
    pass_rate: float | None
    name: str
    mode: Mode = Mode.LIVE

    @property
    def started(self) -> str:
        return self.started_at.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Record:
    """One archived run, as the board shows it."""

    folder: str  # its key in the archive: biller/conversion/run
    biller_id: str
    biller_name: str
    conversion: str
    environment: str
    mode: Mode
    started_at: datetime
    validity: Validity
    counts: Mapping[str, int]
    outstanding: tuple[Standing, ...]
    plan: Plan = field(default_factory=Plan)
    version: int = 2  # its summary's schema_version (1: mode live may have been a rehearsal)
    manifest: str | None = None  # its manifest's SHA-256; None: archived before manifests

    @cached_property
    def name(self) -> str:
        return self.folder.rsplit("/", 1)[-1]

    @property
    def conversion_key(self) -> tuple[str, str]:
        biller, conversion, _ = self.folder.split("/")
        return biller, conversion

    @cached_property
    def started(self) -> str:
        return self.started_at.astimezone(UTC).isoformat()

    @cached_property
    def month(self) -> str:
        """The UTC month it started in, which names its conversion's page of runs."""
        return self.started_at.astimezone(UTC).strftime("%Y-%m")

    def point(self) -> Point:
        return Point(self.started_at, self.environment, self.pass_rate, self.name, self.mode)

    def count(self, outcome: Outcome) -> int:
        return self.counts.get(outcome.value, 0)

    @property
    def pass_rate(self) -> float | None:
        """Passing tests out of all judged ones; None when none was judged."""
        total = sum(self.count(o) for o in COUNTED)
        return sum(self.count(o) for o in PASSING) / total if total else None

    def link(self, name: str, anchor: str = "", base: str = "") -> str:
        """The href of one of the run's files (and a row in it), relative to the folder base
        ("" for the archive's root); a template escapes it where it is shown."""
        fragment = f"#{quote(anchor, safe='~')}" if anchor else ""
        path = (
            self.folder[len(base) + 1 :]
            if base and self.folder.startswith(f"{base}/")
            else (self.folder)
        )
        return f"{quote(path)}/{name}{fragment}"


def record_of(summary: Summary, folder: str, manifest: str | None) -> Record:
    """A run's record from its summary (validity computed again, never read from the file)."""
    standing = tuple(
        Standing(
            rule.id, str(why), rule.anchor, rule.why if why is validity.Why.NOT_CHECKED else ""
        )
        for rule, why in validity.outstanding(summary)
    )
    return Record(
        folder=folder,
        biller_id=summary.biller_id,
        biller_name=summary.biller_name,
        conversion=summary.conversion,
        environment=summary.environment,
        mode=summary.mode,
        started_at=summary.run.started,
        validity=validity.of(summary),
        counts={outcome.value: count for outcome, count in summary.counts.items()},
        outstanding=standing,
        plan=summary.plan,
        version=summary.version,
        manifest=manifest,
    )


class Role(StrEnum):
    """Who signs a conversion off: the payments side's project manager, and the biller."""

    PM = "pm"
    BILLER = "biller"

    @property
    def shown(self) -> str:
        return "PM" if self is Role.PM else "biller"


@dataclass(frozen=True)
class Approval:
    """One recorded sign-off of one run."""

    run: str  # the run folder's key
    role: Role
    by: str  # the name given with --by
    at: datetime
    manifest: str  # the SHA-256 of the run's manifest.json when it was approved
    recorded_from: str  # user@host of the machine that recorded it


@dataclass(frozen=True)
class Skipped:
    """An archived summary.json the board could not read or believe, and why."""

    path: str  # relative to the archive's root
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Conversion:
    """A conversion's state: its runs' records (newest first), approvals, the runs found
    altered after they were archived (key -> what changed) and its unreadable summaries."""

    biller: str  # the folder names
    conversion: str
    records: tuple[Record, ...] = ()
    approvals: tuple[Approval, ...] = ()
    altered: Mapping[str, str] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()
    history: tuple[Point, ...] = ()  # the board's entry only: its latest live runs' pass rates

    @property
    def folder(self) -> str:
        return f"{self.biller}/{self.conversion}"

    def latest(self, environment: str | None, mode: Mode) -> Record | None:
        return next(
            (r for r in self.records if r.mode is mode and environment in (None, r.environment)),
            None,
        )

    def latest_valid(self, environment: str) -> Record | None:
        """The newest live run of the environment that is valid and not found altered."""
        return next(
            (
                r
                for r in self.records
                if r.environment == environment
                and r.mode is Mode.LIVE
                and r.validity.valid
                and r.folder not in self.altered
            ),
            None,
        )

    def approved(self, run: Record) -> dict[Role, Approval]:
        """The latest approval in each role of this run as archived (its manifest's digest)."""
        found: dict[Role, Approval] = {}
        for approval in sorted(self.approvals, key=lambda a: a.at):
            if approval.run == run.folder and run.manifest and approval.manifest == run.manifest:
                found[approval.role] = approval
        return found

    @property
    def environments(self) -> list[str]:
        return sorted({r.environment for r in self.records})

    def signed_off(self) -> Record | None:
        """The latest valid run that both the PM and the biller approved, if any environment's
        latest valid run is one."""
        for environment in self.environments:
            run = self.latest_valid(environment)
            if run is not None and set(self.approved(run)) == set(Role):
                return run
        return None

    def shown(self) -> Conversion:
        """The part of the state the board shows: the latest run of each environment and mode,
        each environment's latest valid run, and the latest live runs' pass rates."""
        keep = {r.folder for r in self.records[:1]}
        for environment in self.environments:
            for mode in Mode:
                latest = self.latest(environment, mode)
                if latest is not None:
                    keep.add(latest.folder)
            valid = self.latest_valid(environment)
            if valid is not None:
                keep.add(valid.folder)
        for mode in Mode:
            latest = self.latest(None, mode)
            if latest is not None:
                keep.add(latest.folder)
        live = [r.point() for r in self.records if r.mode is Mode.LIVE][:CHART_RUNS]
        return replace(
            self,
            records=tuple(r for r in self.records if r.folder in keep),
            approvals=tuple(a for a in self.approvals if a.run in keep),
            altered={k: v for k, v in self.altered.items() if k in keep},
            history=tuple(live),
        )


def newest_first(records: list[Record]) -> list[Record]:
    """By the parsed time each run started (not its text), then its folder's name."""
    return sorted(records, key=lambda r: (r.started_at, r.name), reverse=True)


# JSON ------------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def record_json(record: Record) -> dict[str, Any]:
    plan = record.plan
    return {
        "folder": record.folder,
        "biller": {"id": record.biller_id, "name": record.biller_name},
        "conversion": record.conversion,
        "environment": record.environment,
        "mode": record.mode.value,
        "started": record.started_at.isoformat(),
        "valid": record.validity.valid,
        "reasons": list(record.validity.reasons),
        "counts": dict(record.counts),
        "outstanding": [
            {"rule": s.rule, "why": s.why, "anchor": s.anchor, "detail": s.detail}
            for s in record.outstanding
        ],
        "plan": {
            "itg_ticket": plan.itg_ticket,
            "itg_submitted": _iso(plan.itg_submitted),
            "window_start": _iso(plan.window_start),
            "window_end": _iso(plan.window_end),
        },
        "summary_version": record.version,
        "manifest": record.manifest,
    }


def read_record(data: Any) -> Record:
    try:
        plan = data["plan"]
        counts = data["counts"]
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and type(v) is int for k, v in counts.items()
        ):
            raise Unreadable("its counts are not numbers")
        manifest = data["manifest"]
        return Record(
            folder=_text(data["folder"]),
            biller_id=_text(data["biller"]["id"]),
            biller_name=_text(data["biller"]["name"]),
            conversion=_text(data["conversion"]),
            environment=_text(data["environment"]),
            mode=Mode(data["mode"]),
            started_at=_datetime(data["started"]),
            validity=Validity(data["valid"] is True, tuple(_text(r) for r in data["reasons"])),
            counts=counts,
            outstanding=tuple(
                Standing(_text(s["rule"]), _text(s["why"]), _text(s["anchor"]), _text(s["detail"]))
                for s in data["outstanding"]
            ),
            plan=Plan(
                itg_ticket=_optional_text(plan["itg_ticket"]),
                itg_submitted=(
                    date.fromisoformat(plan["itg_submitted"]) if plan["itg_submitted"] else None
                ),
                window_start=(_datetime(plan["window_start"]) if plan["window_start"] else None),
                window_end=_datetime(plan["window_end"]) if plan["window_end"] else None,
            ),
            version=int(data["summary_version"]),
            manifest=_optional_text(manifest),
        )
    except Unreadable:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise Unreadable(f"not a run record ({type(error).__name__}: {error})") from None


def approval_json(approval: Approval) -> dict[str, Any]:
    return {
        "run": approval.run,
        "role": approval.role.value,
        "by": approval.by,
        "at": approval.at.isoformat(),
        "manifest": approval.manifest,
        "recorded_from": approval.recorded_from,
    }


def read_approval(data: Any) -> Approval:
    try:
        return Approval(
            run=_text(data["run"]),
            role=Role(data["role"]),
            by=_text(data["by"]),
            at=_datetime(data["at"]),
            manifest=_text(data["manifest"]),
            recorded_from=_text(data["recorded_from"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Unreadable(f"not an approval ({type(error).__name__}: {error})") from None


def state_json(state: Conversion) -> dict[str, Any]:
    return {
        "catalogue_version": VERSION,
        "biller": state.biller,
        "conversion": state.conversion,
        "records": [record_json(r) for r in state.records],
        "approvals": [approval_json(a) for a in state.approvals],
        "altered": dict(state.altered),
        "skipped": [{"path": s.path, "reason": s.reason} for s in state.skipped],
        "history": [
            [p.started_at.isoformat(), p.environment, p.pass_rate, p.name] for p in state.history
        ],
    }


def read_state(data: Any) -> Conversion:
    try:
        if data["catalogue_version"] != VERSION:
            raise Unreadable(f"catalogue_version {data['catalogue_version']!r}, not {VERSION}")
        altered = data["altered"]
        if not isinstance(altered, dict):
            raise Unreadable("its altered runs are not a map")
        return Conversion(
            biller=_text(data["biller"]),
            conversion=_text(data["conversion"]),
            records=tuple(newest_first([read_record(r) for r in data["records"]])),
            approvals=tuple(read_approval(a) for a in data["approvals"]),
            altered={_text(k): _text(v) for k, v in altered.items()},
            skipped=tuple(Skipped(_text(s["path"]), _text(s["reason"])) for s in data["skipped"]),
            history=tuple(_point(p) for p in data.get("history", [])),
        )
    except Unreadable:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise Unreadable(f"not a conversion's state ({type(error).__name__}: {error})") from None


def dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def loads(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Unreadable(f"not valid JSON ({error})") from None


def _point(data: Any) -> Point:
    started, environment, rate, name = data
    if rate is not None and not isinstance(rate, (int, float)):
        raise TypeError(f"{rate!r} is not a pass rate")
    return Point(_datetime(started), _text(environment), rate, _text(name))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError(f"{value} has no time zone")
    return parsed
