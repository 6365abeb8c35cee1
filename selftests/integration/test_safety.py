"""Safe by construction: what a careless command line, a rehearsal or a secret-holding portal
cannot do to the committed fixtures, the console or the run."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from conversion_qa.config import load_billers
from conversion_qa.config.secrets import secrets_forgotten
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import RunSuite, demo_data, write_biller

PORTAL_SECRET = "PlainPortalSecret42"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--biller=",), "--biller= is empty (an unset shell variable?)"),
        (("--biller=all,../x",), "--biller '../x' is not a biller name"),
        (("-m", "live", "--sandbox", "--sandbox-latency=-1"), "--sandbox-latency -1: give 0"),
        (
            ("-m", "live", "--sandbox", "--record-fixtures"),
            "a rehearsal (--sandbox, --accept-loopback-dns) would overwrite it",
        ),
        (
            ("-m", "live", "--accept-loopback-dns", "--record-fixtures"),
            "keep a rehearsal's recording apart with --fixtures-dir=DIR",
        ),
    ],
    ids=[
        "empty-biller",
        "path-as-biller",
        "negative-latency",
        "record-rehearsal",
        "record-loopback",
    ],
)
def test_a_careless_command_line_stops_before_any_test(
    run_suite: RunSuite, biller_dir: Path, args: tuple[str, ...], said: str
) -> None:
    write_biller(biller_dir, demo_data())
    fixtures = biller_dir.parent / "fixtures"
    before = {p: p.read_bytes() for p in fixtures.rglob("*") if p.is_file()}
    result = run_suite(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert said in result.stderr.str()
    assert "Traceback" not in result.stderr.str()
    assert {p: p.read_bytes() for p in fixtures.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_portal_secret_never_reaches_a_recording(
    run_suite: RunSuite,
    biller_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: tuple[str, ...],
) -> None:
    """The portal holds a setting-26 value this run does not know (the file's ${VAR} is unset,
    so its default is used); recording only a rule that never sends it still writes no value."""
    write_biller(biller_dir, demo_data())
    monkeypatch.setenv("DEMO_PAYCONNECT_SECRET", PORTAL_SECRET)
    with secrets_forgotten():  # the sandbox's process knows it; the suite's run must not
        sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]), [])
    monkeypatch.delenv("DEMO_PAYCONNECT_SECRET")
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        run_suite("-m", "live", *options, "--record-fixtures", *workers, "-k", "setting_131")
    finally:
        sandbox.stop()
    recorded = (biller_dir.parent / "fixtures" / "demo" / "test.http.yaml").read_text()
    assert "/api/configuration" in recorded  # the settings answer was recorded
    assert PORTAL_SECRET not in recorded
    assert '\\"26\\": \\"recorded-setting-26\\"' in recorded or "recorded-setting-26" in recorded
