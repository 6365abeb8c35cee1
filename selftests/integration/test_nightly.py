"""The nightly sequence runs a biller live only where every secret its file refers to is set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conversion_qa.config.loader import load_biller
from conversion_qa.nightly import SECRETS_JSON, live_environment, main, secret_variables
from selftests.helpers import RunSuite, demo_data, write_biller

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
