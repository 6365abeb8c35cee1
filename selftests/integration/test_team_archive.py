"""The team archive, the same scenarios on a local folder, on S3 (moto's server) and on Azure Blob
(Azurite), over real sockets on loopback: a run archived and on the board, verify passing and
failing after one byte of its summary.json is edited, approvals recorded and refused, and runs of
many machines archiving at once, none lost."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversion_qa import archive as archive_cli
from conversion_qa.report import catalogue
from conversion_qa.report.manifest import MANIFEST
from conversion_qa.report.store import Store, location
from selftests.archived import archived, edit_one_byte, live, offline
from selftests.helpers import REPO, RULES, RunSuite, demo_data, write_biller
from selftests.reporting import board_rows
from selftests.stores import (
    Server,
    azurite,
    isolated_environ,
    moto_s3,
    new_bucket,
)

ONE_RULE = ("-k", "setting_131")


@pytest.fixture(scope="module")
def s3_server() -> Iterator[Server]:
    with moto_s3() as server:
        yield server


@pytest.fixture(scope="module")
def az_server() -> Iterator[Server]:
    with azurite() as server:
        yield server


@dataclass(frozen=True)
class TeamArchive:
    url: str  # what --report-dir is given
    environ: dict[str, str]  # the environment that reaches it (for subprocesses)
    store: Store  # the test's own view of it

    def board(self) -> str:
        return self.store.read("index.html").decode("utf-8")

    def command(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
        """python -m conversion_qa.archive ARGS --report-dir=URL: its exit status and output."""
        capsys.readouterr()
        status = archive_cli.main([*args, f"--report-dir={self.url}"])
        out, err = capsys.readouterr()
        return status, out + err


def _team_archive(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TeamArchive:
    environ = isolated_environ()
    if kind == "local":
        url = str(tmp_path / "team")
    else:
        server: Server = request.getfixturevalue(f"{kind}_server")
        environ |= dict(server.environ)
        url = server.url(new_bucket(server))
    for name in set(os.environ) - set(environ):
        monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return TeamArchive(url, environ, Store.open(location(url, tmp_path)))


@pytest.fixture(params=["local", "s3", "az"])
def team_archive(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TeamArchive:
    return _team_archive(request.param, request, tmp_path, monkeypatch)


def _archived_line(result: pytest.RunResult) -> str:
    (line,) = [x for x in result.stdout.lines if x.startswith("conversion-qa: archived ")]
    return line.removeprefix("conversion-qa: archived ")


def test_a_run_is_archived_verified_and_an_edited_byte_is_caught(
    team_archive: TeamArchive,
    run_suite: RunSuite,
    biller_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite(f"--report-dir={team_archive.url}")
    assert result.ret == pytest.ExitCode.OK
    where = _archived_line(result)
    run = where.removeprefix(team_archive.store.where("")).strip("/\\").replace("\\", "/")
    assert run.startswith("demo/DEMO-2026-12/")
    assert run.endswith("-test-offline")
    result.stdout.fnmatch_lines([f"conversion-qa: index {team_archive.store.where('index.html')}"])
    assert team_archive.store.read_or_none(f"{run}/{MANIFEST}") is not None
    (row,) = board_rows(team_archive.board())
    assert row.attrs["data-biller"] == "demo"
    assert "altered" not in row.cells["apart"]

    status, said = team_archive.command(capsys, "verify", where)  # as the suite printed it
    assert status == 0, said
    assert f"{run}: intact" in said

    edit_one_byte(team_archive.store, run)
    status, said = team_archive.command(capsys, "verify", run)
    assert status == 1
    assert f"{run}: ALTERED after it was archived: summary.json changed" in said
    (row,) = board_rows(team_archive.board())
    assert "altered after it was archived: summary.json changed" in row.cells["apart"]
    page = team_archive.store.read("demo/DEMO-2026-12/index.html").decode("utf-8")
    assert f'data-folder="{run}" data-mode="offline" data-integrity="altered"' in page


def test_approve_records_a_valid_run_and_refuses_others_with_the_reason(
    team_archive: TeamArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    store = team_archive.store
    valid = archived(store, live(minutes=1))
    invalid = archived(store, offline(minutes=2))

    status, said = team_archive.command(capsys, "approve", invalid, "--role=pm", "--by=Jane Doe")
    assert status == 1
    assert "not approved" in said
    assert "NOT VALID FOR SIGN-OFF" in said
    assert "offline: recorded answers prove the file" in said

    for role, name in (("pm", "Jane Doe"), ("biller", "Bob Biller")):
        status, said = team_archive.command(
            capsys, "approve", valid, f"--role={role}", f"--by={name}"
        )
        assert status == 0, said
        assert f"approval of {valid} by {name}" in said
    (row,) = board_rows(team_archive.board())
    assert row.attrs["data-phase"] == "signed off"
    assert "PM: approved by Jane Doe" in row.cells["live-test"]
    assert "biller: approved by Bob Biller" in row.cells["live-test"]
    recorded = store.files(f"{catalogue.approvals_folder('demo', 'DEMO-2026-12')}")
    folder = valid.rsplit("/", 1)[1]
    assert sorted(name.rsplit("-", 2)[0] for name in recorded) == [  # beside the run
        f"{folder}/biller",
        f"{folder}/pm",
    ]

    edit_one_byte(store, valid)
    status, said = team_archive.command(capsys, "approve", valid, "--role=pm", "--by=Jane Doe")
    assert status == 1
    assert "it was altered after it was archived: summary.json changed" in said
    assert team_archive.command(capsys, "verify", valid)[0] == 1
    (row,) = board_rows(team_archive.board())
    assert row.attrs["data-phase"] != "signed off"  # an altered run is never shown valid
    assert row.cells["live-test"].startswith("NOT VALID FOR SIGN-OFF")
    assert "altered after it was archived" in row.cells["live-test"]


@pytest.mark.parametrize("kind", ["s3", "az"])
def test_a_missing_bucket_is_one_line_and_exit_3(
    kind: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_suite: RunSuite,
    biller_dir: Path,
) -> None:
    team = _team_archive(kind, request, tmp_path, monkeypatch)
    missing = team.url.replace("archive-", "missing-", 1)
    write_biller(biller_dir, demo_data())
    result = run_suite(f"--report-dir={missing}", *ONE_RULE)
    out = result.stdout.str()
    assert "Traceback" not in out + result.stderr.str()
    what = "container" if kind == "az" else "bucket"
    bucket = missing.split("://", 1)[1].split("/", 1)[0]
    result.stdout.fnmatch_lines(
        [
            f"conversion-qa: could not archive demo's report (test, offline) in {missing}: "
            f"{missing}: the {what} {bucket} does not exist *; create it, or correct "
            "--report-dir; these results were not saved"
        ]
    )
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


def test_no_credentials_is_said_without_a_traceback(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_suite: RunSuite,
    biller_dir: Path,
) -> None:
    team = _team_archive("s3", request, tmp_path, monkeypatch)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    write_biller(biller_dir, demo_data())
    result = run_suite(f"--report-dir={team.url}", *ONE_RULE)
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(
        [
            f"conversion-qa: could not archive demo's report * no credentials found for "
            f"{team.url}: sign in with `aws sso login`*; these results were not saved"
        ]
    )
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


RUNS = 8


@pytest.mark.timeout(600)  # 8 suites at once on 2 cores: a bound for a hang only
@pytest.mark.parametrize("kind", ["s3"])  # one store: 8 suites at once take a while
def test_eight_runs_archiving_at_once_are_all_complete_and_on_the_board(
    kind: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    biller_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    team = _team_archive(kind, request, tmp_path, monkeypatch)
    write_biller(biller_dir, demo_data())
    other = demo_data() | {"biller": "other"}
    other["conversion"] = other["conversion"] | {"id": "OTHER-2026-12"}
    write_biller(biller_dir, other)
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                f"--rootdir={REPO}",
                f"--config-file={REPO / 'pyproject.toml'}",
                f"--biller-dir={biller_dir}",
                f"--biller={'demo' if number % 2 else 'other'}",
                f"--report-dir={team.url}",
                "-p",
                "no:cacheprovider",
                "-q",
                "--no-pdf",  # not what is tested, and it would start eight browsers
                str(RULES),
                *ONE_RULE,
            ],
            cwd=tmp_path,
            env=team.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for number in range(RUNS)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
    store = team.store
    for biller, conversion in (("demo", "DEMO-2026-12"), ("other", "OTHER-2026-12")):
        folders = [
            e.name
            for e in store.children(f"{biller}/{conversion}")
            if e.is_folder and not e.name.startswith(".")
        ]
        assert len(folders) == RUNS // 2
        for name in folders:
            assert store.read_or_none(f"{biller}/{conversion}/{name}/{MANIFEST}") is not None
        page = store.read(f"{biller}/{conversion}/index.html").decode("utf-8")
        assert page.count('<tr class="run"') == RUNS // 2, f"{biller}: a run is missing"
    rows = board_rows(store.read("index.html").decode("utf-8"))
    assert sorted(row.attrs["data-biller"] for row in rows) == ["demo", "other"]
    status, said = team.command(capsys, "verify", "--all")
    assert status == 0, said
    assert f"{RUNS} run(s): {RUNS} intact" in said


def test_an_unsupported_report_dir_url_is_a_usage_error(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite("--report-dir=gs://bucket/prefix", *ONE_RULE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--report-dir gs://bucket/prefix: gs:// is not a supported*"])
