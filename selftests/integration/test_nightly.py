"""The nightly sequence runs every biller, a broken file as its failed entry, and runs a biller
live only where every secret its file refers to is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conversion_qa.config.loader import load_biller
from conversion_qa.nightly import (
    SECRETS_JSON,
    SecretsNotReadable,
    live_environment,
    main,
    secret_variables,
)
from selftests.helpers import REPO, RunSuite, demo_data, write_biller

DEMO_SECRETS = ["DEMO_PAYCONNECT_SECRET", "DEMO_TEST_PASSWORD", "DEMO_TEST_USER"]


def test_defaults_alone_do_not_make_a_live_run(biller_dir: Path) -> None:
    demo = load_biller(write_biller(biller_dir, demo_data()))
    assert secret_variables(demo) == DEMO_SECRETS
    assert live_environment(demo, {"PATH": "/bin"}) is None
    assert live_environment(demo, dict.fromkeys(DEMO_SECRETS[:2], "x")) is None


def test_ci_secrets_pass_on_only_the_billers_own_variables(biller_dir: Path) -> None:
    demo = load_biller(write_biller(biller_dir, demo_data()))
    given = {**dict.fromkeys(DEMO_SECRETS, "s3cret"), "OTHER_BILLER_PASSWORD": "theirs"}
    live = live_environment(demo, {"PATH": "/bin", SECRETS_JSON: json.dumps(given)})
    assert live is not None
    assert {k: live[k] for k in DEMO_SECRETS} == dict.fromkeys(DEMO_SECRETS, "s3cret")
    assert "OTHER_BILLER_PASSWORD" not in live
    assert SECRETS_JSON not in live


def test_an_environment_without_the_secret_runs_offline_only(biller_dir: Path) -> None:
    demo = load_biller(write_biller(biller_dir, demo_data()))
    assert live_environment(demo, {"PATH": "/bin", SECRETS_JSON: ""}) is None


def test_the_matrix_lists_every_biller_file(
    biller_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_biller(biller_dir, demo_data())
    write_biller(biller_dir, {**demo_data(), "biller": "other"})
    assert main(["matrix", "--biller-dir", str(biller_dir)]) == 0
    assert json.loads(capsys.readouterr().out) == ["demo", "other"]


def test_an_archive_needs_pytest_html(run_suite: RunSuite, biller_dir: Path) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite("-p", "no:html")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "pass --no-archive" in "\n".join(result.errlines)
    run_suite("-p", "no:html", "--no-archive", "-k", "setting-131").assert_outcomes(passed=1)


def test_the_nightly_runs_every_biller_and_a_broken_file_is_that_billers_failed_entry(
    biller_dir: Path, report_dir: Path
) -> None:
    # a broken file first in sorted order: before, the nightly stopped there with a traceback
    (biller_dir / "aaa-broken.yaml").write_text("biller: aaa-broken\nname: [\n")
    write_biller(biller_dir, demo_data())
    environ = {k: v for k, v in os.environ.items() if k != SECRETS_JSON}
    environ["PYTEST_ADDOPTS"] = "--no-pdf"  # printing the sheet is not what is tested here
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "conversion_qa.nightly",
            "all",
            "--biller-dir",
            str(biller_dir),
            "--report-dir",
            str(report_dir),
        ],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 4, output
    assert "Traceback" not in output
    assert f"{biller_dir / 'aaa-broken.yaml'}:3: is not valid YAML:" in output
    assert output.rstrip().splitlines()[-2:] == [
        "conversion-qa nightly: aaa-broken: FAILED: not run, 1 mistake in its file (above)",
        "conversion-qa nightly: demo: passed",
    ]
    assert list(report_dir.glob("demo/*/*/summary.json"))  # demo ran and was archived


def test_secrets_that_are_not_json_fail_the_live_run_without_showing_them(
    biller_dir: Path,
) -> None:
    demo = load_biller(write_biller(biller_dir, demo_data()))
    with pytest.raises(SecretsNotReadable) as error:
        live_environment(demo, {SECRETS_JSON: '{"DEMO_TEST_PASSWORD": "s3cret"'})
    assert "s3cret" not in str(error.value)
