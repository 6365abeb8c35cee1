"""The archive's store, manifests, catalogue and approvals, on a local folder and on fsspec's
memory file system (an object store without rename or folders, as S3 and Azure Blob are)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from conversion_qa.report import approvals, board, catalogue, manifest
from conversion_qa.report.archive import SUMMARY, RunFolder
from conversion_qa.report.catalogue import Role
from conversion_qa.report.manifest import MANIFEST, Integrity
from conversion_qa.report.store import (
    BadLocation,
    Location,
    Store,
    StoreError,
    _explained,
    location,
)
from selftests.archived import archived, edit_one_byte, live, offline, write_run
from selftests.reporting import board_rows

# location ---------------------------------------------------------------------------------------


def test_a_folder_is_resolved_and_a_url_kept(tmp_path: Path) -> None:
    assert location("reports", tmp_path) == Location(str(tmp_path / "reports"))
    assert location("s3://team-bucket/qa/", tmp_path) == Location("s3://team-bucket/qa", "s3")
    assert location("az://qa-archive", tmp_path) == Location("az://qa-archive", "az")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("gs://bucket/p", "gs:// is not a supported archive"),
        ("s3://AKIAEXAMPLE:hunter2secret@bucket/p", "takes no user, key or query"),
        ("az://container/p?sig=hunter2secret", "takes no user, key or query"),
        ("s3:///prefix", "names no bucket"),
    ],
)
def test_a_bad_report_dir_url_is_refused_without_echoing_a_credential(
    given: str, said: str, tmp_path: Path
) -> None:
    with pytest.raises(BadLocation) as refused:
        location(given, tmp_path)
    assert said in str(refused.value)
    assert "hunter2secret" not in str(refused.value)


class NoCredentialsError(Exception):
    """As botocore names it: matched by name, report/ imports no cloud SDK."""


S3 = Location("s3://team/qa", "s3")


def test_errors_of_a_cloud_are_a_sentence_that_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_keys = str(_explained(S3, NoCredentialsError("Unable to locate credentials"), "writing"))
    assert no_keys.startswith("no credentials found for s3://team/qa: sign in with `aws sso")
    assert "never in the biller file or on the command line" in no_keys
    denied = str(_explained(S3, PermissionError("Access Denied"), "writing", "s3://team/qa/x"))
    assert denied.startswith("access denied writing s3://team/qa/x: ")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENGbPxRfiCY")
    odd = _explained(
        S3,
        RuntimeError(
            "failed: https://x/y?X-Amz-Signature=abc123def&sig=zz wJalrXUtnFEMIK7MDENGbPxRfiCY"
        ),
        "reading",
    )
    assert "abc123def" not in str(odd)
    assert "sig=zz" not in str(odd)
    assert "wJalrXUtnFEMIK7MDENGbPxRfiCY" not in str(odd)
    assert str(odd).startswith("reading s3://team/qa failed: RuntimeError: failed: https://x/y?")


# stores under test: a local folder, and an object store without rename ---------------------------


def memory_store() -> Store:
    root = f"/archive-{uuid.uuid4().hex[:8]}"
    fs = fsspec.filesystem("memory", skip_instance_cache=True)
    return Store(Location(f"memory:/{root}", "memory"), fs, root)


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "local":
        yield Store.open(location(str(tmp_path / "archive"), tmp_path))
    else:
        yield memory_store()


# run folders and manifests --------------------------------------------------------------------


def test_a_run_is_published_with_its_manifest_last_and_verifies(store: Store) -> None:
    key, digest = write_run(store, live())
    files = store.files(key)
    assert set(files) == {"report.html", "signoff.html", "junit.xml", SUMMARY, MANIFEST}
    listed = manifest.loads(store.read(f"{key}/{MANIFEST}"))
    assert listed.run == key
    assert set(listed.files) == set(files) - {MANIFEST}
    check = manifest.verify(store, key, digest)
    assert check.integrity is Integrity.INTACT
    assert check.digest == digest


def test_verify_names_each_file_changed_missing_or_added(store: Store) -> None:
    key, digest = write_run(store, live())
    edit_one_byte(store, key)
    store.write(f"{key}/notes.txt", b"added later")
    store.write(f"{key}/.DS_Store", b"a desktop's own")  # hidden: never evidence
    store.remove(f"{key}/junit.xml")
    check = manifest.verify(store, key, digest)
    assert check.integrity is Integrity.ALTERED
    assert check.problems == ("junit.xml is missing", "summary.json changed", "notes.txt was added")


def test_a_rewritten_manifest_is_caught_by_the_digest_the_catalogue_kept(store: Store) -> None:
    key, digest = write_run(store, live())
    edit_one_byte(store, key)
    files = {name: store.read(f"{key}/{name}") for name in store.files(key) if name != MANIFEST}
    store.write(f"{key}/{MANIFEST}", manifest.of(key, files).dumps())  # covering its tracks
    assert manifest.verify(store, key).integrity is Integrity.INTACT  # by itself, it agrees
    check = manifest.verify(store, key, digest)
    assert check.problems == ("manifest.json is not the one recorded when the run was archived",)


def test_two_runs_of_the_same_second_get_two_names_on_an_object_store() -> None:
    store = memory_store()
    first = RunFolder(store, "demo/C", "20261125T010203Z-test-offline")
    second = RunFolder(store, "demo/C", "20261125T010203Z-test-offline")
    assert (first.key, second.key) == (
        "demo/C/20261125T010203Z-test-offline",
        "demo/C/20261125T010203Z-test-offline-2",
    )
    assert store.create("demo/C/x.json", b"1")
    assert not store.create("demo/C/x.json", b"2")  # taken: never overwritten
    assert store.read("demo/C/x.json") == b"1"


def test_an_object_store_run_without_its_manifest_is_not_on_the_board() -> None:
    store = memory_store()
    key, _ = write_run(store, live())
    store.remove(f"{key}/{MANIFEST}")  # as if its writer died before the last object
    published = board.rebuild(store)
    assert published is not None
    assert board_rows(store.read("index.html").decode()) == []
    assert published.skipped == ()


# the board from the catalogue -----------------------------------------------------------------


def test_the_board_is_rendered_from_the_catalogue_not_the_summaries(store: Store) -> None:
    key = archived(store, live())
    store.write(f"{key}/{SUMMARY}", b"{}")  # the summary is not read again for the board
    archived(store, offline(minutes=5))
    (row,) = board_rows(store.read("index.html").decode())
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")  # altered: never valid
    assert "altered after it was archived: summary.json changed" in row.cells["live-test"]


def test_an_altered_run_is_never_the_latest_valid_one(store: Store) -> None:
    earlier = archived(store, live(minutes=1))
    later = archived(store, live(minutes=2))
    edit_one_byte(store, later)
    board.refresh(store, "demo", "DEMO-2026-12")
    board.refresh_board(store)
    (row,) = board_rows(store.read("index.html").decode())
    cell = row.cells["live-test"]
    assert cell.startswith("NOT VALID FOR SIGN-OFF altered after it was archived")
    hrefs = [href for where, href, _ in row.links if where == "live-test"]
    assert f"{earlier}/signoff.html" in hrefs  # the latest valid run: the earlier, intact one


class OneMoreWriter:
    """Another machine archiving a run of the same conversion just after this writer first
    writes the conversion's state: what a writer that does not list again would lose."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.done = False
        self.key, self.digest = write_run(store, live(minutes=9))

    def __call__(self, files: dict[str, bytes]) -> None:
        Store.write_many(self.store, files)
        state = f"{catalogue.CATALOGUE}/conversions/"
        if not self.done and any(key.startswith(state) for key in files):
            self.done = True
            record = catalogue.record_of(live(minutes=9), self.key, self.digest)
            self.store.create(
                catalogue.record_key(self.key), catalogue.dumps(catalogue.record_json(record))
            )


def test_a_record_written_while_the_board_is_rendered_is_not_lost(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = archived(store, live())
    other = OneMoreWriter(store)
    monkeypatch.setattr(store, "write_many", other)
    mine = archived(store, live(minutes=1))
    assert other.done
    state = catalogue.read_state(
        catalogue.loads(store.read(catalogue.state_key("demo", "DEMO-2026-12")))
    )
    assert {r.folder for r in state.records} == {first, mine, other.key}
    page = store.read("demo/DEMO-2026-12/index.html").decode()
    assert page.count('<tr class="run"') == 3


def test_each_runs_cost_reads_only_the_records_its_conversion_lacks(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for minutes in range(5):
        archived(store, live(minutes=minutes))
    read: list[str] = []
    original = store.read_many

    def counted(keys: object) -> dict[str, bytes | None]:
        wanted = list(keys)  # type: ignore[call-overload]
        read.extend(wanted)
        return original(wanted)

    monkeypatch.setattr(store, "read_many", counted)
    archived(store, live(minutes=10))
    records = [k for k in read if k.startswith(f"{catalogue.CATALOGUE}/runs/")]
    assert records == [
        catalogue.record_key(f"demo/DEMO-2026-12/{live(10).run.started:%Y%m%dT%H%M%SZ}-test-live")
    ]


# approvals ------------------------------------------------------------------------------------


def test_an_approval_is_bound_to_the_run_as_archived(store: Store) -> None:
    run = archived(store, live())
    recorded = approvals.approve(store, run, Role.PM, "  Jane   Doe ", "pm@laptop")
    assert recorded.approval.by == "Jane Doe"
    assert recorded.approval.manifest == manifest.sha256(store.read(f"{run}/{MANIFEST}"))
    assert recorded.key.startswith(f"demo/DEMO-2026-12/.approvals/{run.rsplit('/', 1)[1]}/pm-")
    approvals.approve(store, run, Role.BILLER, "Bob Biller", "pm@laptop")
    board.refresh(store, "demo", "DEMO-2026-12")
    board.refresh_board(store)
    (row,) = board_rows(store.read("index.html").decode())
    assert row.attrs["data-phase"] == "signed off"


def test_an_approval_of_the_pm_alone_is_not_a_sign_off(store: Store) -> None:
    run = archived(store, live())
    approvals.approve(store, run, Role.PM, "Jane Doe", "pm@laptop")
    board.refresh(store, "demo", "DEMO-2026-12")
    board.refresh_board(store)
    (row,) = board_rows(store.read("index.html").decode())
    assert row.attrs["data-phase"] != "signed off"
    assert "biller: not approved yet" in row.cells["live-test"]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("demo/DEMO-2026-12", "is not a run folder's path in the archive"),
        ("demo/../x/y", "is not a run folder's path in the archive"),
        ("demo/DEMO-2026-12/20991231T000000Z-test-live", "no archived run at"),
    ],
)
def test_approve_refuses_what_is_not_an_archived_run(store: Store, given: str, said: str) -> None:
    with pytest.raises(approvals.Refused, match=said):
        approvals.approve(store, given, Role.PM, "Jane Doe", "pm@laptop")


def test_approve_gives_every_reason_at_once(store: Store) -> None:
    run = archived(store, offline())
    edit_one_byte(store, run)
    with pytest.raises(approvals.Refused) as refused:
        approvals.approve(store, run, Role.BILLER, "Bob", "pm@laptop")
    said = str(refused.value)
    assert "altered after it was archived: summary.json changed" in said
    assert "NOT VALID FOR SIGN-OFF: offline" in said
    assert store.files(catalogue.approvals_folder("demo", "DEMO-2026-12")) == {}


# an archive of runs from before manifests -------------------------------------------------------


def test_a_local_archive_from_before_the_catalogue_keeps_its_runs_on_the_board(
    tmp_path: Path,
) -> None:
    store = Store.open(location(str(tmp_path), tmp_path))
    old, _ = write_run(store, live(minutes=1))
    (tmp_path / old / MANIFEST).unlink()  # as the suite archived it before manifests
    archived(store, offline(minutes=2))  # the first run with a catalogue
    (row,) = board_rows(store.read("index.html").decode())
    assert row.cells["live-test"].startswith("VALID FOR SIGN-OFF")
    assert "archived before manifests: not verifiable" in row.cells["live-test"]
    with pytest.raises(approvals.Refused, match="it has no manifest"):
        approvals.approve(store, old, Role.PM, "Jane Doe", "pm@laptop")


def test_a_store_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    store = memory_store()

    def broken(*_: object, **__: object) -> None:
        raise PermissionError("Access Denied")

    store.fs.pipe_file = broken
    with pytest.raises(StoreError, match="access denied writing memory:/"):
        store.write("index.html", b"")


def test_a_long_history_is_paged_by_month_and_a_run_rewrites_only_its_month(
    tmp_path: Path,
) -> None:
    store = Store.open(location(str(tmp_path), tmp_path))
    store.write(catalogue.MARKER, catalogue.dumps({"catalogue_version": catalogue.VERSION}))
    for number in range(60):  # a run every 12 hours: October and November
        summary = live(minutes=-12 * 60 * number)
        key = f"demo/DEMO-2026-12/{summary.run.started:%Y%m%dT%H%M%SZ}-test-live"
        record = catalogue.record_of(summary, key, None)
        store.write(catalogue.record_key(key), catalogue.dumps(catalogue.record_json(record)))
    board.refresh(store, "demo", "DEMO-2026-12")
    page = store.read("demo/DEMO-2026-12/index.html").decode()
    assert page.count('<tr class="run"') == 50  # the latest runs
    assert "the latest 50 of its 60 runs" in page
    assert 'href="runs-2026-10.html"' in page
    october = tmp_path / "demo/DEMO-2026-12/runs-2026-10.html"
    november = tmp_path / "demo/DEMO-2026-12/runs-2026-11.html"
    in_october = october.read_text().count('<tr class="run"')
    assert in_october + november.read_text().count('<tr class="run"') == 60
    before = october.stat().st_mtime_ns
    archived(store, live(minutes=1))  # in November
    assert october.stat().st_mtime_ns == before  # not rewritten
    assert november.read_text().count('<tr class="run"') == 61 - in_october
