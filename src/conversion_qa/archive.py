"""The archive's own commands, on a folder or the team's object storage alike:

  python -m conversion_qa.archive rebuild --report-dir=DIR|URL
      derive the catalogue, every conversion's page and the board again from the run folders
  python -m conversion_qa.archive verify RUN... | --all --report-dir=DIR|URL
      check run folders against their manifests (exit 0: intact; 1: altered or not verifiable)
  python -m conversion_qa.archive approve RUN --role pm|biller --by NAME --report-dir=DIR|URL
      record a sign-off of a valid, intact run (exit 1: refused, with the reason)

RUN is the run folder's path in the archive, e.g. demo/DEMO-2026-12/20261206T140000Z-test-live
(the path or URL the suite printed after "archived" works too). Exit 2: a mistake on the command
line, or an archive that cannot be read or written (the message says what to do).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from conversion_qa.report import approvals, board, catalogue, facts, manifest
from conversion_qa.report.archive import SUMMARY
from conversion_qa.report.manifest import MANIFEST, Check, Integrity
from conversion_qa.report.store import BadLocation, Store, StoreError, location

PROG = "python -m conversion_qa.archive"
INTACT, NOT_INTACT, CANNOT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        store = Store.open(location(options.report_dir, Path.cwd()))
        result: int = options.command(store, options)
        return result
    except (BadLocation, StoreError, OSError) as error:
        print(f"conversion-qa archive: {error}", file=sys.stderr)
        return CANNOT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--report-dir",
        required=True,
        metavar="DIR|URL",
        help="the archive: a folder, s3://bucket/prefix or az://container/prefix",
    )
    rebuild = commands.add_parser("rebuild", parents=[where], help="rebuild catalogue and board")
    rebuild.set_defaults(command=_rebuild)
    verify = commands.add_parser("verify", parents=[where], help="check runs against manifests")
    verify.add_argument("runs", nargs="*", metavar="RUN")
    verify.add_argument("--all", action="store_true", help="every run folder of the archive")
    verify.set_defaults(command=_verify)
    approve = commands.add_parser("approve", parents=[where], help="record a sign-off of a run")
    approve.add_argument("run", metavar="RUN")
    approve.add_argument("--role", required=True, choices=[r.value for r in catalogue.Role])
    approve.add_argument("--by", required=True, metavar="NAME", help="who approves")
    approve.set_defaults(command=_approve)
    return parser


def _rebuild(store: Store, options: argparse.Namespace) -> int:
    published = board.rebuild(store)
    assert published is not None
    print(f"conversion-qa archive: rebuilt the catalogue and the board: {published.board}")
    for note in published.skipped:
        print(f"conversion-qa archive: left out {note}")
    return INTACT


def _verify(store: Store, options: argparse.Namespace) -> int:
    if bool(options.runs) == bool(options.all):
        print(f"{PROG} verify: give RUN... or --all, not both and not neither", file=sys.stderr)
        return CANNOT
    store.check()
    if options.all:
        runs = _every_run(store)
    else:
        try:
            runs = [_run_key(store, text) for text in options.runs]
        except approvals.Refused as error:
            print(f"conversion-qa archive: {error}", file=sys.stderr)
            return CANNOT
    checks = [_check(store, run) for run in runs]
    for check in checks:
        print(check.sentence)
    counts = {kind: sum(c.integrity is kind for c in checks) for kind in Integrity}
    print(
        f"conversion-qa archive: {len(checks)} run(s): {counts[Integrity.INTACT]} intact, "
        f"{counts[Integrity.ALTERED]} altered, {counts[Integrity.UNVERIFIABLE]} not verifiable"
    )
    if counts[Integrity.ALTERED]:
        _mark(store, [c for c in checks if c.integrity is not Integrity.UNVERIFIABLE])
    return INTACT if counts[Integrity.INTACT] == len(checks) else NOT_INTACT


def _check(store: Store, run: str) -> Check:
    expected = None
    raw = store.read_or_none(catalogue.record_key(run))
    if raw is not None:
        try:
            expected = catalogue.read_record(catalogue.loads(raw)).manifest
        except catalogue.Unreadable:
            expected = None
    found = manifest.verify(store, run, expected)
    if found.integrity is Integrity.UNVERIFIABLE and store.read_or_none(f"{run}/{SUMMARY}") is None:
        return Check(run, Integrity.UNVERIFIABLE, ("no archived run there",))
    return found


def _every_run(store: Store) -> list[str]:
    """Every run folder: complete ones (with a manifest) and, locally, ones archived before
    manifests (with a summary.json); an object store's run without a manifest never finished."""
    found = []
    for biller in _folders(store, ""):
        for conversion in _folders(store, biller):
            for name in _folders(store, f"{biller}/{conversion}"):
                run = f"{biller}/{conversion}/{name}"
                files = store.files(run)
                if MANIFEST in files or (store.is_local and SUMMARY in files):
                    found.append(run)
    return found


def _folders(store: Store, key: str) -> list[str]:
    return [e.name for e in store.children(key) if e.is_folder and not e.name.startswith(".")]


def _mark(store: Store, checks: list[Check]) -> None:
    """Show what verify found on the board: the conversions with an altered run updated."""
    try:
        board.mark(store, checks)
    except (StoreError, OSError) as error:
        print(f"conversion-qa archive: the board was not updated: {error}", file=sys.stderr)
        return
    print(f"conversion-qa archive: the board marks the altered run(s): {store.where('index.html')}")


def _approve(store: Store, options: argparse.Namespace) -> int:
    role = catalogue.Role(options.role)
    try:
        run = _run_key(store, options.run)
        recorded = approvals.approve(store, run, role, options.by, facts.run_by())
    except approvals.Refused as error:
        print(f"conversion-qa archive: not approved: {error}", file=sys.stderr)
        return NOT_INTACT
    approval = recorded.approval
    when = approval.at.astimezone(UTC).isoformat(timespec="seconds")
    print(
        f"conversion-qa archive: recorded: {role.shown} approval of {approval.run} by "
        f"{approval.by} at {when}, bound to its manifest (sha256 {approval.manifest}): "
        f"{store.where(recorded.key)}"
    )
    biller, conversion, _ = approval.run.split("/")
    board.refresh(store, biller, conversion, datetime.now(UTC))
    print(f"conversion-qa archive: board {board.refresh_board(store).board}")
    return INTACT


def _run_key(store: Store, text: str) -> str:
    """RUN as a key: the path in the archive, or the path or URL the suite printed."""
    for prefix in (store.where(""), store.location.text):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return approvals.run_key(text)


if __name__ == "__main__":
    sys.exit(main())
