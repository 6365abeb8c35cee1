"""Keeping the board up to date from the catalogue, at a cost that does not grow with history.

Archiving a run appends its record, then refreshes its conversion alone: the records of that
conversion are listed (names only) and only the ones its state lacks are read; the runs the board
shows as current are checked against their manifests; the state, the board's part of it and the
conversion's page are written. Then the board (index.html) is rendered from each conversion's
small board entry. Many writers at once (laptops and CI) lose nothing: after writing, a writer
lists again, and renders again until what it wrote includes everything it listed, so the last
state and board written include every record that exists.

`rebuild` re-derives every record, state and page from the run folders (reading each summary and
checking it with report/trust.py), for repair and for an archive archived before the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import PurePosixPath

from conversion_qa.report import catalogue, index, manifest, summary_json, trust
from conversion_qa.report.archive import INDEX, SUMMARY
from conversion_qa.report.catalogue import Approval, Conversion, Record, Skipped
from conversion_qa.report.manifest import MANIFEST, Check, Integrity
from conversion_qa.report.results import Mode
from conversion_qa.report.store import Store

MAX_ROUNDS = 50  # a writer re-renders at most this often before leaving it to the next writer


@dataclass(frozen=True)
class Published:
    """Where the board was written, and the archived summaries it leaves out."""

    board: str
    skipped: tuple[Skipped, ...]


def publish(store: Store, records: Sequence[Record], now: datetime | None = None) -> Published:
    """Add newly archived runs to the catalogue, then bring their conversions' states and
    pages, and the board, up to date."""
    now = now or datetime.now(UTC)
    if store.read_or_none(catalogue.MARKER) is None:
        _first_catalogue(store, {record.folder for record in records}, now)
    for record in records:
        written = catalogue.dumps(catalogue.record_json(record))
        store.create(catalogue.record_key(record.folder), written)
    for biller, conversion in sorted({record.conversion_key for record in records}):
        refresh(store, biller, conversion, now)
    return refresh_board(store, now)


def _first_catalogue(store: Store, new: set[str], now: datetime) -> None:
    """An archive without a catalogue: derive one from the runs it already holds (a local folder
    archived before the catalogue; an object store never held one)."""
    if store.is_local:
        root = store.local_path()
        runs = {p.parent.relative_to(root).as_posix() for p in root.glob(f"*/*/*/{SUMMARY}")}
        if {run for run in runs if not any(part.startswith(".") for part in run.split("/"))} - new:
            rebuild(store, now, board=False)
            return
    store.write(catalogue.MARKER, _marker())


def _marker() -> bytes:
    return catalogue.dumps({"catalogue_version": catalogue.VERSION})


# one conversion --------------------------------------------------------------------------------


def refresh(
    store: Store,
    biller: str,
    conversion: str,
    now: datetime | None = None,
    *,
    skipped: tuple[Skipped, ...] | None = None,
) -> Conversion:
    """Bring one conversion's state, board entry and page up to date with its records and
    approvals. A rebuild passes the unreadable summaries it found (skipped), and every record
    is read again."""
    now = now or datetime.now(UTC)
    checks: dict[str, Check] = {}
    state = Conversion(biller, conversion)
    for round in range(MAX_ROUNDS):
        names = _record_names(store, biller, conversion)
        approval_files = store.files(catalogue.approvals_folder(biller, conversion))
        afresh = skipped is not None and round == 0
        previous = (
            Conversion(biller, conversion) if afresh else _read_state(store, biller, conversion)
        )
        state = _derived(store, previous, names, approval_files, skipped)
        state = _checked(store, state, checks)
        _write(store, state, previous, now)
        if (
            _record_names(store, biller, conversion) == names
            and store.files(catalogue.approvals_folder(biller, conversion)).keys()
            == approval_files.keys()
        ):
            break
    return state


def _record_names(store: Store, biller: str, conversion: str) -> set[str]:
    return {
        name[: -len(".json")]
        for name in store.names(catalogue.records_folder(biller, conversion))
        if name.endswith(".json") and not name.startswith(".")
    }


def _read_state(store: Store, biller: str, conversion: str) -> Conversion:
    raw = store.read_or_none(catalogue.state_key(biller, conversion))
    if raw is not None:
        try:
            return catalogue.read_state(catalogue.loads(raw))
        except catalogue.Unreadable:
            pass  # derived data: read every record again
    return Conversion(biller, conversion)


def _derived(
    store: Store,
    previous: Conversion,
    names: set[str],
    approval_files: dict[str, str],
    skipped: tuple[Skipped, ...] | None,
) -> Conversion:
    """The state of the listed records: the ones the previous state has, the rest read."""
    folder = previous.folder
    known = {r.folder: r for r in previous.records}
    records: list[Record] = []
    # the summaries a rebuild could not read stand until the next rebuild; the rest is read now
    notes = [n for n in (previous.skipped if skipped is None else skipped) if _of_summary(n)]
    unknown = [f"{folder}/{name}" for name in sorted(names) if f"{folder}/{name}" not in known]
    read = store.read_many(catalogue.record_key(run) for run in unknown)
    for name in sorted(names):
        run = f"{folder}/{name}"
        if run in known:
            records.append(known[run])
            continue
        key = catalogue.record_key(run)
        raw = read.get(key)
        if raw is None:
            continue  # removed by a rebuild since it was listed
        try:
            records.append(catalogue.read_record(catalogue.loads(raw)))
        except catalogue.Unreadable as error:
            notes.append(Skipped(key, f"{error}; run `python -m conversion_qa.archive rebuild`"))
    approvals = list(_approvals(store, folder, approval_files, notes))
    present = {r.folder for r in records}
    return Conversion(
        previous.biller,
        previous.conversion,
        records=tuple(catalogue.newest_first(records)),
        approvals=tuple(approvals),
        altered={k: v for k, v in previous.altered.items() if k in present},
        skipped=tuple(notes),
    )


def _of_summary(note: Skipped) -> bool:
    return note.path.endswith(f"/{SUMMARY}") and not note.path.startswith(catalogue.CATALOGUE)


def _approvals(
    store: Store, folder: str, files: dict[str, str], notes: list[Skipped]
) -> Iterable[Approval]:
    base = f"{folder}/{catalogue.APPROVALS}"
    read = store.read_many(f"{base}/{name}" for name in files)
    for name in files:
        key = f"{base}/{name}"
        raw = read.get(key)
        if raw is None:
            continue
        try:
            approval = catalogue.read_approval(catalogue.loads(raw))
        except catalogue.Unreadable as error:
            notes.append(Skipped(key, str(error)))
            continue
        if approval.run == f"{folder}/{name.split('/', 1)[0]}":  # filed beside its own run
            yield approval
        else:
            notes.append(Skipped(key, f"an approval of {approval.run} filed under another run"))


def _checked(store: Store, state: Conversion, checks: dict[str, Check]) -> Conversion:
    """The state with the runs the board shows as current checked against their manifests:
    the latest of each environment and mode, and each environment's latest valid run (the
    next one when that one was altered)."""

    def check(run: Record) -> Check:
        if run.folder not in checks:
            checks[run.folder] = manifest.verify(store, run.folder, run.manifest)
        return checks[run.folder]

    altered = dict(state.altered)

    def note(run: Record) -> None:
        if run.manifest is None:
            return  # archived before manifests: shown as not verifiable
        found = check(run)
        if found.integrity is Integrity.INTACT:
            altered.pop(run.folder, None)
        else:
            altered[run.folder] = "; ".join(found.problems)

    for environment in state.environments:
        for mode in Mode:
            latest = state.latest(environment, mode)
            if latest is not None:
                note(latest)
        while (valid := replace(state, altered=altered).latest_valid(environment)) is not None:
            note(valid)
            if valid.folder not in altered:
                break
    return replace(state, altered=altered)


def _write(store: Store, state: Conversion, previous: Conversion, now: datetime) -> None:
    """The state, its board entry, the conversion's page and the pages of the months whose runs
    changed (all of them when the state was derived afresh)."""
    folders = {r.folder for r in previous.records}
    changed = {r.folder for r in state.records if r.folder not in folders}
    changed |= {
        k
        for k in {*state.altered, *previous.altered}
        if state.altered.get(k) != previous.altered.get(k)
    }
    changed |= {a.run for a in set(state.approvals) ^ set(previous.approvals)}
    months = {r.month for r in state.records if r.folder in changed or not folders}
    pages = {
        index.month_key(state, month): index.month_page(state, month, now).encode("utf-8")
        for month in sorted(months)
    }
    store.write_many(
        {
            catalogue.state_key(state.biller, state.conversion): catalogue.dumps(
                catalogue.state_json(state)
            ),
            catalogue.board_key(state.biller, state.conversion): catalogue.dumps(
                catalogue.state_json(state.shown())
            ),
            index.page_key(state): index.conversion_page(state, now).encode("utf-8"),
            **pages,
        }
    )


def mark(store: Store, checks: Sequence[Check], now: datetime | None = None) -> Published:
    """Record what `verify` found (each run altered or intact) in its conversion's state, then
    bring those conversions and the board up to date."""
    now = now or datetime.now(UTC)
    found: dict[tuple[str, str], list[Check]] = {}
    for check in checks:
        biller, conversion, _ = check.run.split("/")
        found.setdefault((biller, conversion), []).append(check)
    for (biller, conversion), mine in sorted(found.items()):
        state = _read_state(store, biller, conversion)
        altered = dict(state.altered)
        for check in mine:
            if check.integrity is Integrity.ALTERED:
                altered[check.run] = "; ".join(check.problems)
            else:
                altered.pop(check.run, None)
        marked = catalogue.state_json(replace(state, altered=altered))
        store.write(catalogue.state_key(biller, conversion), catalogue.dumps(marked))
        refresh(store, biller, conversion, now)
    return refresh_board(store, now)


# the board -------------------------------------------------------------------------------------


def refresh_board(store: Store, now: datetime | None = None) -> Published:
    """Render index.html from every conversion's board entry, again until none changed while
    it was rendered."""
    now = now or datetime.now(UTC)
    entries = store.files(catalogue.BOARD)
    for _ in range(MAX_ROUNDS):
        names = [
            name
            for name in entries
            if name.endswith(".json") and name.count("/") == 1 and not name.startswith(".")
        ]
        read = store.read_many(f"{catalogue.BOARD}/{name}" for name in names)
        conversions = [_entry(name, read[f"{catalogue.BOARD}/{name}"]) for name in names]
        store.write(INDEX, index.render(conversions, now).encode("utf-8"))
        again = store.files(catalogue.BOARD)
        if again == entries:
            break
        entries = again
    skipped = tuple(s for c in conversions for s in c.skipped)
    return Published(store.where(INDEX), skipped)


def _entry(name: str, raw: bytes | None) -> Conversion:
    biller, conversion = name[: -len(".json")].split("/")
    if raw is None:
        return Conversion(biller, conversion)
    try:
        return catalogue.read_state(catalogue.loads(raw))
    except catalogue.Unreadable as error:
        key = f"{catalogue.BOARD}/{name}"
        note = Skipped(key, f"{error}; run `python -m conversion_qa.archive rebuild`")
        return Conversion(biller, conversion, skipped=(note,))


# repair ----------------------------------------------------------------------------------------


def rebuild(store: Store, now: datetime | None = None, *, board: bool = True) -> Published | None:
    """Re-derive every record, each conversion's state and page, and the board, from the run
    folders: each summary read again and checked with report/trust.py."""
    now = now or datetime.now(UTC)
    store.check()
    kept: set[tuple[str, str]] = set()
    for biller in _folders(store, ""):
        for conversion in _folders(store, biller):
            notes = _recatalogue(store, biller, conversion, now)
            refresh(store, biller, conversion, now, skipped=tuple(notes))
            kept.add((biller, conversion))
    for name in store.files(catalogue.BOARD):  # conversions whose folders are gone
        if name.endswith(".json") and tuple(name[: -len(".json")].split("/")) not in kept:
            store.remove(f"{catalogue.BOARD}/{name}")
    store.write(catalogue.MARKER, _marker())
    return refresh_board(store, now) if board else None


def _folders(store: Store, key: str) -> list[str]:
    return [e.name for e in store.children(key) if e.is_folder and not e.name.startswith(".")]


def _recatalogue(store: Store, biller: str, conversion: str, now: datetime) -> list[Skipped]:
    """Write each run folder's record again; remove records of folders that are gone. Returns
    the summaries that cannot be read or believed."""
    folder = f"{biller}/{conversion}"
    notes: list[Skipped] = []
    written: set[str] = set()
    for name in _folders(store, folder):
        run = f"{folder}/{name}"
        files = store.files(run)
        if MANIFEST not in files and not store.is_local:
            continue  # never completed: an object store's run is whole once its manifest is
        if SUMMARY not in files:
            if MANIFEST in files:
                notes.append(Skipped(f"{run}/{SUMMARY}", "missing, though its manifest lists it"))
            continue  # a reserved folder whose run was never completed
        path = f"{run}/{SUMMARY}"
        try:
            summary = summary_json.loads(store.read(path).decode("utf-8"))
        except UnicodeDecodeError as error:
            notes.append(Skipped(path, f"not valid JSON ({error})"))
            continue
        except summary_json.Unreadable as error:
            notes.append(Skipped(path, str(error)))
            continue
        names = {p.split("/", 1)[0] for p in files}
        doubt = trust.doubt(summary, PurePosixPath(run), names, now)
        if doubt is not None:
            notes.append(Skipped(path, f"not believed: {doubt}"))
            continue
        digest = manifest.sha256(store.read(f"{run}/{MANIFEST}")) if MANIFEST in files else None
        record = catalogue.record_of(summary, run, digest)
        store.write(catalogue.record_key(run), catalogue.dumps(catalogue.record_json(record)))
        written.add(name)
    for name in _record_names(store, biller, conversion) - written:
        gone = f"{folder}/{name}"
        if store.read_or_none(f"{gone}/{SUMMARY}") is None:  # not one archived since listed
            store.remove(catalogue.record_key(gone))
    return notes
