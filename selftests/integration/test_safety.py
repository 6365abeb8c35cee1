"""Safe by construction: what a careless command line, a rehearsal or a secret-holding portal
cannot do to the committed fixtures, the console or the run."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conversion_qa.config import load_billers
from conversion_qa.config.secrets import secrets_forgotten
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import REPO, RULES, WITHIN_A_YEAR, RunSuite, demo_data, write_biller

PORTAL_SECRET = "PlainPortalSecret42"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--biller=",), "--biller= is empty (an unset shell variable?)"),
        (("--biller=all,../x",), "--biller '../x' is not a biller name"),
        (("-m", "live", "--sandbox", "--sandbox-latency=-1"), "--sandbox-latency -1: give 0"),
        (
            ("-m", "live", "--sandbox", "--record-fixtures"),
            "this run is a rehearsal (--sandbox), whose answers",
        ),
        (
            ("-m", "live", "--accept-loopback-dns", "--record-fixtures"),
            "keep a rehearsal's recording apart with --fixtures-dir=DIR",
        ),
        (
            ("-m", "live", "--resolve=x.example.com:443:127.0.0.1:8443", "--record-fixtures"),
            "this run is a rehearsal (--resolve)",
        ),
    ],
    ids=[
        "empty-biller",
        "path-as-biller",
        "negative-latency",
        "record-rehearsal",
        "record-loopback",
        "record-resolve",
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
    fixtures = biller_dir.parent / "rehearsal-fixtures"  # a rehearsal records apart
    monkeypatch.setenv("DEMO_PAYCONNECT_SECRET", PORTAL_SECRET)
    with secrets_forgotten():  # the sandbox's process knows it; the suite's run must not
        sandbox = Sandbox.start(load_billers(biller_dir, ["demo"]), [])
    monkeypatch.delenv("DEMO_PAYCONNECT_SECRET")
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        recording = ("--record-fixtures", f"--fixtures-dir={fixtures}")
        run_suite("-m", "live", *options, *recording, *workers, "-k", "setting_131")
    finally:
        sandbox.stop()
    recorded = (fixtures / "demo" / "test.http.yaml").read_text()
    assert "/api/configuration" in recorded  # the settings answer was recorded
    assert PORTAL_SECRET not in recorded
    assert '\\"26\\": \\"recorded-setting-26\\"' in recorded or "recorded-setting-26" in recorded


def test_control_characters_from_a_biller_file_are_shown_escaped(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    data = demo_data()
    data["environments"]["test"]["options"]["127"] = False
    data["waivers"] = [
        {
            "rule": "option-127",
            "justification": "agreed\x1b[2J\x1b[31m with the biller\u202e",
            "expires": WITHIN_A_YEAR,
        }
    ]
    write_biller(biller_dir, data)
    result = run_suite("-k", "option-127")
    console = result.stdout.str()
    waived = f"waived until {WITHIN_A_YEAR}: agreed\\x1b[2J\\x1b[31m with the biller\\u202e"
    assert waived in console
    assert "\x1b" not in console
    assert "\u202e" not in console


def test_a_malformed_portal_url_offline_fails_its_rules_without_a_traceback(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    data = demo_data()
    data["environments"]["test"]["portal"] = "https://demo-test.portal.example.com:99999"
    write_biller(biller_dir, data)
    result = run_suite("-k", "custom-code or iframe-lag")
    result.assert_outcomes(failed=3)  # two custom code items, one iFrame
    console = result.stdout.str()
    assert "not a valid URL" in console
    assert "correct the URL in the biller file" in console
    assert "Traceback" not in console
    assert "InvalidURL" not in console


@pytest.mark.linux_only  # SIGTERM is what a cancelled CI job sends; Windows has no such signal
def test_sigterm_stops_a_rehearsal_cleanly_saying_so(biller_dir: Path, tmp_path: Path) -> None:
    """Stopped while a test waits on a hung RTDR call: it says it was interrupted, archives
    nothing, and leaves no sandbox folder or CA file behind."""
    write_biller(biller_dir, demo_data())
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = [
        sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", f"--rootdir={REPO}",
        f"--config-file={REPO / 'pyproject.toml'}", f"--biller-dir={biller_dir}",
        f"--report-dir={tmp_path / 'reports'}", "-m", "live", "--sandbox",
        "--sandbox-scenario=rtdr-hang", "--read-timeout=60", "-k", "rtdr and live", str(RULES),
    ]  # fmt: skip
    environment = {**os.environ, "TMPDIR": str(temporary), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment
    )
    assert process.stdout is not None
    printed = b""
    # -v prints a test's name as it starts (the line ends when it finishes): then it is hanging
    while b"test_rtdr[demo-test-100234-live]" not in printed:
        chunk = os.read(process.stdout.fileno(), 4096)
        assert chunk, printed.decode()
        printed += chunk
    assert list(temporary.iterdir()), "the rehearsal made no temporary files to clean up"
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=30)
    console = (printed + rest).decode()
    assert process.returncode == pytest.ExitCode.INTERRUPTED
    assert "run interrupted: nothing archived" in console
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").rglob("*.json"))
