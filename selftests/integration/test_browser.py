"""custom-code and iframe-lag seen as the biller sees them: a real headless Chromium, signed in,
over real sockets to the sandbox on loopback (its own CA, verified).

Each sandbox page is judged right by the browser, and today's raw-HTML check (--no-browser) is
shown judging the first two wrong: code a script adds after load (the raw check fails it, the
browser passes it) and text only in an HTML comment (the raw check passes it, the browser fails
it). Then: an iFrame slow inside its page, an iFrame on a host of its own that the file declares
(loaded and timed, while a host it does not declare is refused), an error page as the page or
the iFrame, an iFrame a script adds, a hung iFrame within --call-deadline, a page that never goes
network idle; signing in once per biller and environment, only on the portal's own origin, and
never letting a hostile sign-in page send the password elsewhere; the browser reaching the
portal's origin only; TLS verified, recording and offline replay without a browser, the
--no-browser fallback said in every place, and a missing browser's install command.

Where a hostile page sends what it takes (the sandbox's collector host) is served by the
sandbox, which logs every request it receives: the tests assert that nothing reached it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from conversion_qa.clients.browser import BOUND
from conversion_qa.config import load_billers
from conversion_qa.contract import portal
from conversion_qa.sandbox.pages import HOSTILE_SIGN_INS, POLL
from conversion_qa.sandbox.scenarios import SCENARIOS
from conversion_qa.sandbox.server import COLLECTOR, HANG_LIMIT, Sandbox
from selftests.helpers import REPO, RunSuite, write_biller
from selftests.lent_chromium import ChromiumLender
from selftests.network_helpers import CANARIES, fast_demo
from selftests.outcomes import Outcome, outcomes
from selftests.reporting import report_rows, run_folders, summary_of

LIVE = ("-m", "live", "--sandbox", "--read-timeout", "10", "--connect-timeout", "5")
BROWSER_CHECKS = "(custom_code or iframe_lag) and live"
WITHOUT = "checked without a browser"


@pytest.fixture
def demo(biller_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo biller (a selector item, a text item, an iFrame inside /Billing), canaries for
    every secret."""
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    return write_biller(biller_dir, fast_demo())


def by_item(found: dict[str, Outcome]) -> dict[str, Outcome]:
    """`budget-billing-banner` -> its outcome (one environment, one mode)."""
    return {o.test_id.split("-", 2)[2].removesuffix("-live"): o for o in found.values()}


def browser_checks(run_suite: RunSuite, *arguments: str) -> dict[str, Outcome]:
    return by_item(outcomes(run_suite(*LIVE, *arguments, "-k", BROWSER_CHECKS)))


# What a browser makes of the next two faults is test_each_scenario_fails_exactly_its_rules's
# (test_network.py), and its words are the unit tests' (test_browser_checks.py): here, the raw
# check's mistakes, which a browser is needed to avoid.


@pytest.mark.usefixtures("demo")
def test_code_a_script_adds_after_load_is_missed_by_the_raw_check(run_suite: RunSuite) -> None:
    raw = browser_checks(run_suite, "--sandbox-scenario=custom-code-by-script", "--no-browser")
    codes = ("budget-billing-banner", "paperless-promo")
    assert [raw[c].outcome for c in codes] == ["failed", "failed"]  # a browser passes them
    assert f"is missing from the portal page /Home ({WITHOUT})." in raw["paperless-promo"].text


@pytest.mark.usefixtures("demo")
def test_text_only_in_a_comment_passes_the_raw_check_saying_it_was_not_seen_in_a_browser(
    run_suite: RunSuite,
) -> None:
    raw = browser_checks(run_suite, "--sandbox-scenario=custom-code-in-comment", "--no-browser")
    assert raw["paperless-promo"].outcome == "warned"  # a browser fails it
    assert f"Passed, {WITHOUT} (--no-browser)" in raw["paperless-promo"].text


def standalone(biller_dir: Path, *scenarios: str) -> Sandbox:
    return Sandbox.start(load_billers(biller_dir, ["demo"]), scenarios)


def pointed_at(sandbox: Sandbox) -> list[str]:
    """The live run's options that point it at a standalone sandbox (CA, --resolve)."""
    return shlex.split(sandbox.address.pytest_command(["demo"]))[4:]


def collected(sandbox: Sandbox) -> list[str]:
    """Every request the collector's host received (the sandbox logs each one)."""
    return [f"{c.method} {c.path}" for c in sandbox.calls() if c.host == COLLECTOR]


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
def test_an_iframe_a_script_adds_after_load_is_found_and_timed_from_the_navigation(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    fixtures = biller_dir.parent / "rehearsal-fixtures"
    recording = ("--record-fixtures", f"--fixtures-dir={fixtures}")
    found = browser_checks(run_suite, "--sandbox-scenario=iframe-by-script", *recording)
    assert found["bill-view"].outcome == "passed"
    views = yaml.safe_load((fixtures / "demo" / "test.browser.yaml").read_text())["views"]
    seen = views["iframe-lag/bill-view"]
    assert (seen["found"], seen["frame_status"]) == (True, 200)
    assert 0 < seen["seconds"] < 2.5  # navigation start to the added iFrame's load event


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
def test_a_hung_iframe_fails_within_the_call_deadline_not_the_read_timeout(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    sandbox = standalone(biller_dir, "iframe-hang")
    try:
        bounds = ("--call-deadline=8", "--read-timeout=40")  # the browser's bound is the first
        found = outcomes(run_suite("-m", "live", *pointed_at(sandbox), *bounds, "-k", "iframe_lag"))
        assert sandbox.released.wait(HANG_LIMIT)  # the browser gave up on the hung iFrame
    finally:
        sandbox.stop()
    (outcome,) = found.values()
    assert outcome.outcome == "failed"
    assert (
        "The Capricorn iFrame bill-view did not load inside /Billing within 8 s (--call-deadline)."
        in outcome.text
    )
    ((path, held),) = sandbox.held
    assert path == "/Capricorn/BillView"
    # how long the browser waited for the iFrame's answer: its bound, with room for a loaded
    # machine, and far from the 40 s of --read-timeout (or 30 s, the default call deadline)
    assert held < 8 + 12


def test_one_bound_for_the_browser_is_stated_alike_in_help_docs_and_messages(
    pytester: pytest.Pytester,
) -> None:
    shown = pytester.runpytest_inprocess(f"--rootdir={REPO}", "--help").stdout.str()
    help_text = " ".join(shown.split())
    assert (
        "for the whole of one call: connect, TLS, headers and body; and for each browser check "
        "(custom-code, iframe-lag) and the browser's sign-in, each as a whole" in help_text
    )
    assert "the browser checks are bounded by --call-deadline" in help_text  # not read-timeout's
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "`--call-deadline` bounds each call, browser check and sign-in whole" in readme
    docs = " ".join((REPO / "docs" / "browser.md").read_text(encoding="utf-8").split())
    assert "and the sign-in on its own, within `--call-deadline` (default 30 s)" in docs
    assert BOUND == "--call-deadline"  # what every browser message names (see the hung iFrame)


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
def test_a_page_that_never_goes_network_idle_is_judged_a_few_seconds_after_its_load(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    fixtures = biller_dir.parent / "rehearsal-fixtures"
    sandbox = standalone(biller_dir, "never-idle")
    try:
        recording = ("--record-fixtures", f"--fixtures-dir={fixtures}")
        found = by_item(
            outcomes(
                run_suite("-m", "live", *pointed_at(sandbox), *recording, "-k", BROWSER_CHECKS)
            )
        )
    finally:
        sandbox.stop()
    assert {o.outcome for o in found.values()} == {"passed"}
    views = yaml.safe_load((fixtures / "demo" / "test.browser.yaml").read_text())["views"]
    # loaded, and judged (after the quiet period, unless a loaded machine slowed the widget's
    # polls enough for the network to go idle between two of them)
    assert {v["loaded"] for k, v in views.items() if "custom" in k} == {True}
    # Counted, not timed: the chat widget asks every 250 ms while a page is open. Waiting for
    # network idle until three quarters of the 30 s deadline would keep each of the three pages
    # open 22 s (about 90 polls each); judged 3 s after its load event, a page asks a dozen
    # times, and a loaded machine only asks less often.
    polls = sum(n for call, n in sandbox.calls().items() if call.path == POLL)
    assert 0 < polls < 3 * 60  # each page open for well under half the deadline


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
@pytest.mark.parametrize("scenario", HOSTILE_SIGN_INS)
def test_a_sign_in_page_sending_the_password_elsewhere_is_aborted_where_it_is_sent(
    run_suite: RunSuite, biller_dir: Path, scenario: str
) -> None:
    sandbox = standalone(biller_dir, scenario)
    try:
        found = outcomes(run_suite("-m", "live", *pointed_at(sandbox), "-k", BROWSER_CHECKS))
    finally:
        sandbox.stop()
    assert {o.outcome for o in found.values()} == {"failed"}
    for outcome in found.values():
        assert SCENARIOS[scenario].message in outcome.text  # "...: aborted, nothing was sent"
    assert collected(sandbox) == []  # the collector's server received nothing
    shown = "".join(o.text for o in found.values())
    assert all(value not in shown for value in CANARIES.values())


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
@pytest.mark.parametrize(
    ("scenario", "said"),
    [
        (  # the custom code's script is on another host
            "custom-code-off-portal",
            "the browser did not load https://collector.evil.example: it loads only the "
            "portal's own origin and its iFrames'",
        ),
        (  # the page redirects to another host
            "page-off-portal",
            "found:    sent to https://collector.evil.example/Home, which the browser did not "
            "follow (not the portal's origin)",
        ),
    ],
)
def test_the_browser_loads_only_the_portals_origin_and_names_what_it_did_not_load(
    run_suite: RunSuite, biller_dir: Path, scenario: str, said: str
) -> None:
    sandbox = standalone(biller_dir, scenario)
    try:
        found = outcomes(
            run_suite("-m", "live", *pointed_at(sandbox), "-k", "custom_code and live")
        )
    finally:
        sandbox.stop()
    assert {o.outcome for o in found.values()} == {"failed"}
    for outcome in found.values():
        assert said in outcome.text
    assert collected(sandbox) == []  # the other host received nothing


OWN_HOST = "capricorn-test.example.com"
OWN_URL = f"https://{OWN_HOST}/Capricorn/BillView"


@pytest.fixture
def own_host_frame(demo: Path, biller_dir: Path) -> Path:
    """The demo biller whose iFrame (inside /Billing) is served from a host of its own."""
    data = fast_demo()
    data["capricorn_iframes"][0]["path"] = OWN_URL
    return write_biller(biller_dir, data)


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "own_host_frame")
def test_an_iframe_on_its_own_declared_host_is_loaded_and_timed_and_no_other_host_is(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    fixtures = biller_dir.parent / "rehearsal-fixtures"
    recording = ("--record-fixtures", f"--fixtures-dir={fixtures}")
    sandbox = standalone(biller_dir, "custom-code-off-portal")
    try:
        found = by_item(
            outcomes(
                run_suite("-m", "live", *pointed_at(sandbox), *recording, "-k", BROWSER_CHECKS)
            )
        )
    finally:
        sandbox.stop()
    assert found["bill-view"].outcome == "passed"  # the declared host was let through
    views = yaml.safe_load((fixtures / "demo" / "test.browser.yaml").read_text())["views"]
    seen = views["iframe-lag/bill-view"]
    assert (seen["frame"], seen["found"], seen["frame_status"]) == (OWN_URL, True, 200)
    assert 0 < seen["seconds"] < 2.5  # timed: navigation start to the iFrame's load event
    asked = {(c.host, c.path) for c in sandbox.calls()}
    assert (OWN_HOST, "/Capricorn/BillView") in asked
    assert ("demo-test.portal.example.com", "/Capricorn/BillView") not in asked
    # the custom code's script on a host the file does not declare: refused and named
    for item in ("budget-billing-banner", "paperless-promo"):
        assert found[item].outcome == "failed"
        assert "the browser did not load https://collector.evil.example" in found[item].text
    assert collected(sandbox) == []  # the undeclared host received nothing


@pytest.mark.usefixtures("own_host_frame")
def test_a_rehearsal_checks_an_iframe_host_of_its_own_like_the_portals(
    run_suite: RunSuite,
) -> None:
    rules = "(public_dns or endpoint_tls or iframe_lag) and live"
    found = outcomes(run_suite(*LIVE, "-k", rules))  # --no-browser: the raw GET of its URL
    own = {o.rule: o for o in found.values() if OWN_HOST in o.nodeid}
    portal = {o.rule: o for o in found.values() if "demo-test.portal.example.com" in o.nodeid}
    assert {r: o.outcome for r, o in own.items()} == {
        "public-dns": "warned",
        "endpoint-tls": "passed",
    }
    assert {r: o.outcome for r, o in portal.items()} == {r: o.outcome for r, o in own.items()}
    assert (
        f"{OWN_HOST} resolves to 127.0.0.1: loopback address accepted because this is a "
        "rehearsal" in own["public-dns"].text
    )  # answered by the rehearsal's DNS server
    (frame,) = [o for o in found.values() if o.rule == "iframe-lag"]
    assert frame.outcome == "warned"  # passed, checked without a browser
    assert f"Passed, {WITHOUT} (--no-browser)" in frame.text


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium")
def test_it_signs_in_once_per_biller_and_environment_and_looks_signed_in(
    run_suite: RunSuite, demo: Path, biller_dir: Path, chromium_lender: ChromiumLender
) -> None:
    sandbox = standalone(biller_dir)
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        arguments = ("-m", "live", *options, "--env=test,production", "-k", BROWSER_CHECKS)
        found = outcomes(run_suite(*arguments))
        started = chromium_lender.started
        again = outcomes(run_suite("-m", "live", *options, "-k", "iframe_lag and live"))
    finally:
        sandbox.stop()
    assert len(found) == 6
    assert {o.outcome for o in [*found.values(), *again.values()]} == {"passed"}
    # the next run, in the same running browser, signs in again: nothing of a run is kept
    assert sorted(sandbox.sign_ins[:2]) == [("demo", "production"), ("demo", "test")]
    assert sandbox.sign_ins[2:] == [("demo", "test")]
    assert chromium_lender.started == started  # lent to both runs, and left running
    posted = [s for s in sandbox.seen if s.method == "POST" and s.path == portal.SIGN_IN_PATH]
    assert {s.host for s in posted} == {"demo-test.portal.example.com", "demo.portal.example.com"}
    assert {s.body["username"] for s in posted} == {
        CANARIES["DEMO_TEST_USER"],
        CANARIES["DEMO_PROD_USER"],
    }
    pages = {"/Home", "/Billing", "/Capricorn/BillView"}
    looked = [s for s in sandbox.seen if s.method == "GET" and s.path in pages]
    assert len(looked) >= 6
    assert all(s.signed_in for s in looked)  # every page seen as the signed-in test user
    assert all("Chrome" in s.user_agent and "conversion-qa/" in s.user_agent for s in looked)


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium")
def test_credentials_are_never_typed_into_a_page_off_the_portals_host(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    sandbox = standalone(biller_dir, "sign-in-off-host")
    try:
        options = shlex.split(sandbox.address.pytest_command(["demo"]))[4:]
        found = outcomes(run_suite("-m", "live", *options, "-k", BROWSER_CHECKS))
    finally:
        sandbox.stop()
    assert {o.outcome for o in found.values()} == {"failed"}
    for outcome in found.values():
        assert (
            "the sign-in page is at https://enquesta-test.demo.example.com, not the portal's own "
            "origin https://demo-test.portal.example.com: the credentials were not typed"
            in outcome.text
        )
    assert [s for s in sandbox.seen if s.method == "POST"] == []  # nothing was submitted
    # the redirect to the other host was not even followed: that host is not the portal's
    assert [s.host for s in sandbox.seen if s.path.endswith(portal.SIGN_IN_PATH)] == [
        "demo-test.portal.example.com"
    ]
    shown = "".join(o.text for o in found.values())
    assert all(value not in shown for value in CANARIES.values())


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium")
def test_the_browser_verifies_tls_and_looks_at_nothing_without_the_sandbox_ca(
    run_suite: RunSuite, demo: Path, biller_dir: Path
) -> None:
    sandbox = standalone(biller_dir)
    try:
        resolve = sandbox.address.resolve_arguments()  # routed there, but its CA not trusted
        found = outcomes(run_suite("-m", "live", *resolve, "-k", "custom_code and live"))
    finally:
        sandbox.stop()
    assert {o.outcome for o in found.values()} == {"not checked"}  # TLS failed: no verdict
    for outcome in found.values():
        assert "TLS failed (certificate verify failed" in outcome.text
        assert "see endpoint-tls, or give the CA with --ca-bundle" in outcome.text
    assert list(sandbox.seen) == []  # no request reached the portal unverified


@pytest.mark.linux_only
@pytest.mark.usefixtures("chromium", "demo")
@pytest.mark.parametrize("scenario", [None, "custom-code-in-comment"], ids=["healthy", "comment"])
def test_what_the_browser_saw_is_recorded_and_replays_offline_without_a_browser(
    run_suite: RunSuite,
    biller_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scenario: str | None,
) -> None:
    fixtures = biller_dir.parent / "rehearsal-fixtures"
    chosen = (f"--sandbox-scenario={scenario}",) if scenario else ()
    live = browser_checks(run_suite, *chosen, "--record-fixtures", f"--fixtures-dir={fixtures}")
    recording = fixtures / "demo" / "test.browser.yaml"
    written = recording.read_text(encoding="utf-8")
    assert "custom-code/paperless-promo:" in written
    assert "iframe-lag/bill-view:" in written
    assert all(value not in written for value in CANARIES.values())
    pictures = sorted(p.name for p in (fixtures / "demo" / "screenshots").iterdir())
    assert pictures == [
        "test-custom-code-budget-billing-banner.png",
        "test-custom-code-paperless-promo.png",
        "test-iframe-lag-bill-view.png",
    ]
    no_browser_here = tmp_path / "empty-path"
    no_browser_here.mkdir()
    monkeypatch.setenv("PATH", str(no_browser_here))  # offline must never look for one
    offline = by_item(
        outcomes(
            run_suite("-m", "not live", f"--fixtures-dir={fixtures}", "-k", "custom or iframe")
        )
    )
    assert {i: o.outcome for i, o in offline.items()} == {i: o.outcome for i, o in live.items()}
    if scenario:
        assert offline["paperless-promo"].outcome == "failed"
        assert f"recorded in {recording} on " in offline["paperless-promo"].text


@pytest.mark.usefixtures("demo")
def test_an_unrecorded_browser_view_is_not_checked_naming_the_file_and_the_command(
    run_suite: RunSuite, biller_dir: Path
) -> None:
    empty = biller_dir.parent / "no-browser-recordings"
    found = outcomes(run_suite(f"--fixtures-dir={empty}", "-k", "custom_code"))
    assert {o.outcome for o in found.values()} == {"not checked"}
    for outcome in found.values():
        assert f"where:    {empty / 'demo' / 'test.browser.yaml'}" in outcome.text
        assert "pytest --biller=demo -m live --record-fixtures" in outcome.text


@pytest.mark.usefixtures("demo")
def test_no_browser_says_checked_without_a_browser_in_message_report_and_signoff(
    run_suite: RunSuite, report_dir: Path
) -> None:
    found = browser_checks(run_suite, "--no-browser")
    assert {o.outcome for o in found.values()} == {"warned"}
    assert all(WITHOUT in o.text for o in found.values())
    (folder,) = run_folders(report_dir, "demo", "DEMO-2026-12")
    data = summary_of(folder)
    assert all(WITHOUT in t["message"] for t in data["tests"])
    rows = report_rows(folder).values()
    assert rows
    assert all(WITHOUT in row.cells["found"] for row in rows)
    signoff = (folder / "signoff.html").read_text(encoding="utf-8")
    for rule in ("custom-code", "iframe-lag"):
        assert f'data-rule="{rule}" data-status="warning"' in signoff
    assert signoff.count(f"Passed, {WITHOUT} (--no-browser)") >= 2
    assert not (folder / "screenshots").exists()  # no browser, no picture


@pytest.mark.linux_only  # on a laptop a Chrome in its usual place would be found
@pytest.mark.browser  # the browser's absence, found as a run finds it (no --no-browser)
@pytest.mark.usefixtures("demo")
def test_without_a_browser_a_live_run_leaves_the_two_rules_not_checked_with_the_install_command(
    run_suite: RunSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_browser_here = tmp_path / "empty-path"
    no_browser_here.mkdir()
    monkeypatch.setenv("PATH", str(no_browser_here))
    found = outcomes(run_suite(*LIVE, "-k", "(custom_code or iframe_lag or rtdr) and live"))
    browser = {n: o for n, o in found.items() if o.rule in ("custom-code", "iframe-lag")}
    assert {o.outcome for o in browser.values()} == {"not checked"}
    for outcome in browser.values():
        assert "no Chromium, Chrome or Edge is installed here" in outcome.text
        assert "fix:      sudo apt-get install chromium, or give --browser-path=PATH" in (
            outcome.text
        )
        assert "or pass --no-browser" in outcome.text
    assert {o.outcome for o in found.values() if o.rule == "rtdr"} == {"passed"}


def test_a_browser_path_that_is_not_there_is_a_usage_error(
    run_suite: RunSuite, demo: Path, tmp_path: Path
) -> None:
    result = run_suite(f"--browser-path={tmp_path / 'no-chromium'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "no such file; give the Chromium, Chrome or Edge executable" in result.stderr.str()
