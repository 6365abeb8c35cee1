"""Recorded sign-off: who approved which archived run, in which role, when, bound to the digest
of the run's manifest. An approval is refused, with every reason at once, when the run is not
valid for sign-off (its summary, judged again), was altered after it was archived, has no
manifest to bind to, or its summary cannot be believed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from conversion_qa.report import catalogue, manifest, summary_json, trust, validity
from conversion_qa.report.archive import SUMMARY
from conversion_qa.report.catalogue import Approval, Role
from conversion_qa.report.manifest import Integrity
from conversion_qa.report.store import Store, unique_suffix

RUN_SHAPE = "biller/conversion/run, e.g. demo/DEMO-2026-12/20261206T140000Z-test-live"
MAX_NAME = 200


class Refused(Exception):
    """The approval was not recorded; the message says why and what to do."""


@dataclass(frozen=True)
class Recorded:
    approval: Approval
    key: str  # where it was written, beside the run


def run_key(text: str) -> str:
    """RUN as given on the command line, as a run folder's key; Refused when it is not one."""
    key = text.strip().strip("/").replace("\\", "/")
    parts = key.split("/")
    if len(parts) != 3 or any(not p or p.startswith(".") or p == ".." for p in parts):
        raise Refused(f"{text!r} is not a run folder's path in the archive ({RUN_SHAPE})")
    return key


def approve(
    store: Store, run: str, role: Role, by: str, recorded_from: str, now: datetime | None = None
) -> Recorded:
    """Record that `by` approved the run in `role`; Refused (nothing written) when it may not."""
    now = now or datetime.now(UTC)
    name = _name(by)
    run = run_key(run)
    raw = store.read_or_none(f"{run}/{SUMMARY}")
    if raw is None:
        raise Refused(f"no archived run at {store.where(run)} (it has no {SUMMARY})")
    recorded = store.read_or_none(catalogue.record_key(run))
    expected = None
    if recorded is not None:
        try:
            expected = catalogue.read_record(catalogue.loads(recorded)).manifest
        except catalogue.Unreadable:
            expected = None  # the folder's own manifest still decides
    check = manifest.verify(store, run, expected)
    reasons: list[str] = []
    if check.integrity is Integrity.UNVERIFIABLE:
        reasons.append(
            "it has no manifest (archived before manifests), so an approval could not be bound "
            "to what was archived; run it again to sign off"
        )
    elif check.integrity is Integrity.ALTERED:
        reasons.append(f"it was altered after it was archived: {'; '.join(check.problems)}")
    try:
        summary = summary_json.loads(raw.decode("utf-8", errors="replace"))
    except summary_json.Unreadable as error:
        reasons.append(f"its {SUMMARY} cannot be read: {error}")
    else:
        files = {p.split("/", 1)[0] for p in store.files(run)}
        doubt = trust.doubt(summary, PurePosixPath(run), files, now)
        if doubt is not None:
            reasons.append(f"its {SUMMARY} is not believed: {doubt}")
        judged = validity.of(summary)
        if not judged.valid:
            reasons.append(f"it is {judged.verdict}: {'; '.join(judged.reasons)}")
    if reasons:
        raise Refused(f"{run} cannot be approved: {'; '.join(reasons)}")
    assert check.digest is not None  # intact: it has a manifest
    approval = Approval(run, role, name, now, check.digest, recorded_from)
    biller, conversion, folder = run.split("/")
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    key = (
        f"{catalogue.approvals_folder(biller, conversion)}/{folder}/"
        f"{role.value}-{stamp}-{unique_suffix()}.json"
    )
    if not store.create(key, catalogue.dumps(catalogue.approval_json(approval))):
        raise Refused(f"{store.where(key)} exists already; run approve again")
    return Recorded(approval, key)


def _name(by: str) -> str:
    name = " ".join(by.split())
    if not name:
        raise Refused("--by names nobody: give the approver's name, e.g. --by 'Jane Doe'")
    if len(name) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        raise Refused(f"--by takes a person's name (plain text, at most {MAX_NAME} characters)")
    return name
