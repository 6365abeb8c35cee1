"""summary.json: the run's results (report/results.py) written for machines, and read back.

The one place that knows the JSON shape (`summary.schema.json` beside it documents it). Writing
states the run's validity first. Reading trusts nothing: a summary of this version must match
the schema and its dates must be dates; version 2 is read as version 3 (nothing not checked: it
wrote such a test as failed; no record of the browser; a waiver active or expired); version 1
(mode live for rehearsals too, no record of which rules apply) is read as far as it goes and is
never valid. Anything else is `Unreadable`, with the reason in words.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from typing import Any

import jsonschema

from conversion_qa.contract import bounded_json
from conversion_qa.report import validity
from conversion_qa.report.results import (
    Contact,
    Mode,
    Outcome,
    Plan,
    RuleResult,
    RunInfo,
    Status,
    Summary,
    TestResult,
    WaiverState,
    WaiverUse,
)

# 2: mode rehearsal apart from live; signoff (validity); the plan's dates; which rules apply and
# how many tests each should have; the waivers used
# 3: not-checked (a test that could not look) apart from failed, with its why; each waiver's
# state (active, expired, not applicable) instead of active; the rules checked without a browser
SCHEMA_VERSION = 3
READS = (1, 2, 3)


class Unreadable(ValueError):
    """A summary.json this suite cannot read as a run's results; the message says why."""


def as_json(summary: Summary) -> dict[str, Any]:
    """The summary as summary.json holds it: its validity for sign-off first."""
    judged = validity.of(summary)
    run = summary.run
    plan = summary.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "signoff": {"valid": judged.valid, "reasons": list(judged.reasons)},
        "biller": {"id": summary.biller_id, "name": summary.biller_name},
        "conversion": summary.conversion,
        "plan": {
            "itg_ticket": plan.itg_ticket,
            "itg_submitted": _iso(plan.itg_submitted),
            "window_start": _iso(plan.window_start),
            "window_end": _iso(plan.window_end),
        },
        "environment": summary.environment,
        "mode": summary.mode.value,
        "rehearsal": list(summary.rehearsal),
        "run": {
            "by": run.by,
            "started": run.started.isoformat(),
            "finished": run.finished.isoformat(),
            "suite_version": run.suite_version,
            "commit": run.commit,
            "python": run.python,
            "pytest": run.pytest,
        },
        "counts": {outcome.value: summary.count(outcome) for outcome in Outcome},
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "impact": r.impact,
                "checklist": r.checklist,
                "status": r.status.value,
                "reason": r.reason,
                "why": r.why,
                "tests": r.tests,
                "applies": r.applies,
                "expected": r.expected,
                "anchor": r.anchor,
            }
            for r in summary.rules
        ],
        "waivers": [
            {
                "rule": w.rule,
                "item": w.item,
                "expires": w.expires.isoformat(),
                "justification": w.justification,
                "state": w.state.value,
            }
            for w in summary.waivers
        ],
        "without_browser": list(summary.without_browser),
        "contacts": [
            {"role": c.role, "name": c.name, "email": c.email, "phone": c.phone}
            for c in summary.contacts
        ],
        "tests": [
            {
                "nodeid": t.nodeid,
                "rule": t.rule,
                "item": t.item,
                "outcome": t.outcome.value,
                "why": t.why,
                "message": t.message,
                "evidence": t.evidence,
                "duration": round(t.duration, 3),
                "anchor": t.anchor,
            }
            for t in summary.tests
        ],
    }


def dumps(summary: Summary) -> str:
    """summary.json's text, checked against its schema: a writer's mistake fails here, not in
    a reader a year later."""
    data = as_json(summary)
    validate(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def loads(text: str) -> Summary:
    """The summary a summary.json's text holds; Unreadable says why it cannot be read."""
    try:
        data = bounded_json.loads(text)
    except ValueError as error:  # not JSON, or nested deeper than any summary
        raise Unreadable(f"not valid JSON ({error})") from None
    return read(data)


def read(data: object) -> Summary:
    """The summary a decoded summary.json holds; Unreadable says why it cannot be read."""
    if not isinstance(data, dict):
        raise Unreadable(f"not a JSON object but {type(data).__name__}")
    version = data.get("schema_version")
    if version not in READS or isinstance(version, bool):
        raise Unreadable(
            f"schema_version {version!r}; this suite reads versions "
            f"{', '.join(str(v) for v in READS[:-1])} and {READS[-1]}"
        )
    if version == 1:
        return _version_1(data)
    if version == 2:
        data = _as_version_3(data)
    try:
        validate(data)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "the summary"
        raise Unreadable(f"{where}: {error.message}") from None
    try:
        return _current(data, version)
    except ValueError as error:  # a date that is no date
        raise Unreadable(str(error)) from None


def _current(data: Mapping[str, Any], version: int) -> Summary:
    plan, run = data["plan"], data["run"]
    return Summary(
        biller_id=data["biller"]["id"],
        biller_name=data["biller"]["name"],
        conversion=data["conversion"],
        environment=data["environment"],
        mode=Mode(data["mode"]),
        run=_run(run),
        rules=tuple(
            RuleResult(
                id=r["id"],
                title=r["title"],
                impact=r["impact"],
                checklist=r["checklist"],
                status=Status(r["status"]),
                reason=r["reason"],
                tests=r["tests"],
                applies=r["applies"],
                expected=r["expected"],
                anchor=r["anchor"],
                why=r["why"],
            )
            for r in data["rules"]
        ),
        tests=tuple(
            TestResult(
                nodeid=t["nodeid"],
                rule=t["rule"],
                item=t["item"],
                outcome=Outcome(t["outcome"]),
                message=t["message"],
                duration=float(t["duration"]),
                evidence=t["evidence"],
                why=t["why"],
                without_browser=t["rule"] in data["without_browser"],
            )
            for t in data["tests"]
        ),
        plan=Plan(
            itg_ticket=plan["itg_ticket"],
            itg_submitted=_date(plan["itg_submitted"], "plan.itg_submitted"),
            window_start=_instant(plan["window_start"], "plan.window_start"),
            window_end=_instant(plan["window_end"], "plan.window_end"),
        ),
        rehearsal=tuple(data["rehearsal"]),
        waivers=tuple(
            WaiverUse(
                rule=w["rule"],
                item=w["item"],
                expires=_required_date(w["expires"], "waivers.expires"),
                justification=w["justification"],
                state=WaiverState(w["state"]),
            )
            for w in data["waivers"]
        ),
        counts={Outcome(k): v for k, v in data["counts"].items() if k in _OUTCOMES},
        without_browser=tuple(data["without_browser"]),
        contacts=tuple(
            Contact(c["role"], c["name"], c["email"], c["phone"]) for c in data.get("contacts", [])
        ),
        version=version,
    )


def _as_version_3(data: Mapping[str, Any]) -> dict[str, Any]:
    """A version 2 summary in version 3's shape, to be checked against its schema: nothing was
    told not checked, no browser recorded, each waiver active or expired."""
    upgraded = copy.deepcopy(dict(data))
    upgraded["schema_version"] = SCHEMA_VERSION
    counts, rules = upgraded.get("counts"), upgraded.get("rules")
    if isinstance(counts, dict):
        counts.setdefault(Outcome.NOT_CHECKED.value, 0)
    for entry in [*(rules if isinstance(rules, list) else []), *_list(upgraded.get("tests"))]:
        if isinstance(entry, dict):
            entry.setdefault("why", "")
    for waiver in _list(upgraded.get("waivers")):
        if isinstance(waiver, dict) and isinstance(waiver.get("active"), bool):
            active = waiver.pop("active")
            waiver["state"] = (WaiverState.ACTIVE if active else WaiverState.EXPIRED).value
    upgraded.setdefault("without_browser", [])
    return upgraded


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


_OUTCOMES = {o.value for o in Outcome}


def _version_1(data: Mapping[str, Any]) -> Summary:
    """What an old summary tells: who, when, its counts and rules' statuses; never valid."""
    try:
        biller, run, counts = data["biller"], data["run"], data["counts"]
        rules = data.get("rules", [])
        return Summary(
            biller_id=_text(biller["id"], "biller.id"),
            biller_name=_text(biller["name"], "biller.name"),
            conversion=_text(data["conversion"], "conversion"),
            environment=_text(data["environment"], "environment"),
            mode=Mode(data["mode"]),
            run=RunInfo(
                by=str(run.get("by", "")),
                started=_required_instant(run["started"], "run.started"),
                finished=_required_instant(run.get("finished", run["started"]), "run.finished"),
                suite_version=str(run.get("suite_version", "")),
                commit=str(run.get("commit", "")),
                python=str(run.get("python", "")),
                pytest=str(run.get("pytest", "")),
            ),
            rules=tuple(
                RuleResult(
                    id=_text(r["id"], "rules.id"),
                    title=str(r.get("title", "")),
                    impact=str(r.get("impact", "")),
                    checklist=str(r.get("checklist", "")),
                    status=Status(r["status"]),
                    reason=str(r.get("reason", "")),
                    tests=_count(r.get("tests", 0), "rules.tests"),
                    applies=None,
                    expected=None,
                    anchor=str(r.get("anchor", "")),
                )
                for r in rules
            ),
            counts={Outcome(k): _count(v, f"counts.{k}") for k, v in counts.items()},
            version=1,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise Unreadable(f"a version 1 summary without {error}") from None
    except ValueError as error:
        raise Unreadable(str(error)) from None


def _run(run: Mapping[str, Any]) -> RunInfo:
    return RunInfo(
        by=run["by"],
        started=_required_instant(run["started"], "run.started"),
        finished=_required_instant(run["finished"], "run.finished"),
        suite_version=run["suite_version"],
        commit=run["commit"],
        python=run["python"],
        pytest=run["pytest"],
    )


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return value


def _count(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} is not a count")
    return value


def _instant(value: object, name: str) -> datetime | None:
    return None if value is None else _required_instant(value, name)


def _required_instant(value: object, name: str) -> datetime:
    """An ISO date-time with its UTC offset."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date and time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no UTC offset")
    return parsed


def _date(value: object, name: str) -> date | None:
    return None if value is None else _required_date(value, name)


def _required_date(value: object, name: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date") from None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@functools.cache
def schema() -> dict[str, Any]:
    text = resources.files("conversion_qa.report").joinpath("summary.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def validate(data: Mapping[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a summary does not match its schema."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise error
