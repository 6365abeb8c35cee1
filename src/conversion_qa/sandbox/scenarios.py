"""Named faults the sandbox injects, each failing its rule the way the real system would."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    fails: tuple[str, ...]  # the rules a live run fails under this scenario, and no other
    message: str  # what the failure says (a fragment the self-tests look for)
    # whether a recording made under the scenario replays to the same verdicts offline: not for
    # faults in time (a hang, a slow answer) or in the portal's settings (offline reads the file)
    replayable: bool = True
    # the rules a live run with --no-browser fails (today's raw HTTP checks); None: as `fails`
    fails_without_browser: tuple[str, ...] | None = None
    message_without_browser: str | None = None  # None: as `message`

    def failing(self, browser: bool) -> tuple[str, ...]:
        """The rules this scenario fails, with a browser or with --no-browser."""
        if browser or self.fails_without_browser is None:
            return self.fails
        return self.fails_without_browser

    def says(self, browser: bool) -> str:
        """What its failure says, with a browser or with --no-browser."""
        if browser or self.message_without_browser is None:
            return self.message
        return self.message_without_browser


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("rtdr-500", "RTDR answers HTTP 500", ("rtdr",), "RTDR answered HTTP 500"),
        Scenario(
            "rtdr-other-accounts",
            "RTDR answers an account that was not asked for",
            ("rtdr",),
            "RTDR answered accounts that were not asked for: 999001",
        ),
        Scenario(
            "rtdr-malformed-json",
            "RTDR answers HTTP 200 with a truncated JSON body",
            ("rtdr",),
            "its body is not valid JSON",
        ),
        Scenario(
            "rtdr-float-amounts",
            "RTDR sends amounts as JSON numbers instead of decimal strings",
            ("rtdr",),
            "not in the contract's shape",
        ),
        Scenario(
            "rtdr-hang",
            "RTDR accepts the connection and never answers",
            ("rtdr",),
            "(--read-timeout)",
            replayable=False,
        ),
        Scenario(
            "datapump-rejects-autopay",
            "the data pump rejects autopay transmissions",
            ("data-pump",),
            "The data pump rejected the autopay transmission",
        ),
        Scenario(
            "datapump-ack-mismatch",
            "the data pump acknowledges another transmission id",
            ("data-pump",),
            "acknowledgement does not match",
        ),
        Scenario(
            "token2-missing",
            "PayConnect login issues Token1 only",
            ("token-login",),
            "PayConnect login issued no usable Token2: it is missing",
        ),
        Scenario(
            "tokens-equal",
            "PayConnect login issues the same value as Token1 and Token2",
            ("token-login",),
            "Token1 and Token2 with the same value",
        ),
        Scenario(
            "tokens-not-accepted",
            "S&S does not accept Token1/Token2 back",
            ("token-login",),
            "S&S did not accept Token1/Token2 back",
        ),
        Scenario(
            "accounts-not-synced",
            "S&S accepts the tokens but does not sync the registered accounts (Option 127)",
            ("token-login",),
            "did not sync the registered accounts that Option 127 asks for",
        ),
        Scenario(
            "custom-code-missing",
            "the portal page lacks the first custom code item",
            ("custom-code",),
            "is not on the portal page /Home as a signed-in customer's browser shows it",
            message_without_browser="is missing from the portal page",
        ),
        Scenario(
            "custom-code-by-script",
            "the custom code is added by a script after the page loads (a browser sees it; the "
            "raw HTML does not)",
            (),
            "is missing from the portal page",
            fails_without_browser=("custom-code",),
        ),
        Scenario(
            "custom-code-in-comment",
            "the custom code's expected text is only inside an HTML comment (the raw HTML has "
            "it; a browser shows nothing)",
            ("custom-code",),
            "as a signed-in customer's browser shows it",
            fails_without_browser=(),
        ),
        Scenario(
            "slow-iframe",
            "the first Capricorn iFrame answers later than its max_seconds",
            ("iframe-lag",),
            "took",
            replayable=False,
        ),
        Scenario(
            "sign-in-refused",
            "the portal's sign-in form refuses the test user",
            ("custom-code", "iframe-lag"),
            "the portal did not accept the test user's sign-in",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "sign-in-off-host",
            "the portal's sign-in page sends the browser to a form on another host",
            ("custom-code", "iframe-lag"),
            "the credentials were not typed",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "setting-drift",
            "the portal's Option 127 is disabled although the file enables it",
            ("option-127",),
            "Option 127 (sync registered accounts) is disabled (false) in the portal",
            replayable=False,
        ),
        Scenario(
            "endpoint-drift",
            "the portal's Advanced Setting 20 points at the other environment's CIS Service",
            ("endpoint-settings", "rtdr", "data-pump"),
            "Advanced Setting 20 is not an endpoint S&S provided",
            replayable=False,
        ),
    )
}


def unknown(names: tuple[str, ...] | list[str]) -> list[str]:
    return [name for name in names if name not in SCENARIOS]
