"""Named faults the sandbox injects, each judged the way the real system would be: a wrong answer
fails its rules; no answer (a hang, a drip past the deadline, a maintenance page) leaves them not
checked, since nothing about the conversion can be judged from it."""

from __future__ import annotations

from dataclasses import dataclass

from conversion_qa.rules.slices import (
    custom_code,
    data_pump,
    endpoint_settings,
    iframe_lag,
    operator_number,
    option_127,
    production_matches_test,
    rtdr,
    setting_131,
    settings_24_27,
    token_login,
)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    fails: tuple[str, ...]  # the rules a live run fails under this scenario, and no other
    message: str  # what the first rule's text says (a fragment the self-tests look for)
    # whether a recording made under the scenario replays to the same verdicts offline: not for
    # faults in time (a hang, a slow answer) or in the portal's settings (offline reads the file)
    replayable: bool = True
    environment: str = "test"  # the --env its rehearsal runs (production: after go-live)
    # the rules a live run with --no-browser fails (today's raw HTTP checks); None: as `fails`
    fails_without_browser: tuple[str, ...] | None = None
    message_without_browser: str | None = None  # None: as `message`
    # the rules a live run leaves not checked under this scenario (no answer to judge)
    not_checked: tuple[str, ...] = ()

    def failing(self, browser: bool) -> tuple[str, ...]:
        """The rules this scenario fails, with a browser or with --no-browser."""
        if browser or self.fails_without_browser is None:
            return self.fails
        return self.fails_without_browser

    def says(self, browser: bool) -> str:
        """What its first rule's text says, with a browser or with --no-browser."""
        if browser or self.message_without_browser is None:
            return self.message
        return self.message_without_browser


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "rtdr-500",
            "RTDR answers HTTP 500",
            (rtdr.ID,),
            "RTDR failed on its side (HTTP 500 Internal Server Error)",
        ),
        Scenario(
            "rtdr-other-accounts",
            "RTDR answers an account that was not asked for",
            (rtdr.ID,),
            "RTDR answered accounts that were not asked for: 999001",
        ),
        Scenario(
            "rtdr-duplicate-account",
            "RTDR answers the first test account twice",
            (rtdr.ID,),
            "2 times: each account asked for must be answered once",
        ),
        Scenario(
            "rtdr-malformed-json",
            "RTDR answers HTTP 200 with a truncated JSON body",
            (rtdr.ID,),
            "its body is not valid JSON",
        ),
        Scenario(
            "rtdr-float-amounts",
            "RTDR sends amounts as JSON numbers instead of decimal strings",
            (rtdr.ID,),
            "not in the contract's shape",
        ),
        Scenario(
            "rtdr-hang",
            "RTDR accepts the connection and never answers (its host then counts as dead: "
            "the other calls to it are not sent)",
            (),
            "(--read-timeout)",
            replayable=False,
            not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
        ),
        Scenario(
            "cis-hang",
            "the CIS Service host accepts connections and never answers, on every path (in "
            "the demo PayConnect shares the host)",
            (),
            "(--read-timeout)",
            replayable=False,
            not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
        ),
        Scenario(
            "slow-drip",
            "RTDR answers one byte at a time, a quarter of a second apart, so that no single "
            "read times out but the whole answer takes minutes",
            (),
            "(--call-deadline)",
            replayable=False,
            not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
        ),
        Scenario(
            "oversized-answer",
            "RTDR answers 6 MiB, without a Content-Length (more than the default cap of 5 MiB)",
            (rtdr.ID,),
            "(--max-answer-bytes)",
            replayable=False,  # nothing is recorded of an answer that was not read
        ),
        Scenario(
            "maintenance-503",
            "every service, portal and S&S, answers 503 Service Unavailable with "
            "Retry-After: 3600 (a maintenance page)",
            (),
            "says it is unavailable for 1 hour",
            replayable=False,  # offline, the configuration rules read the file, not the portal
            not_checked=(
                rtdr.ID,
                data_pump.ID,
                token_login.ID,
                custom_code.ID,
                iframe_lag.ID,
                settings_24_27.ID,
                option_127.ID,
                setting_131.ID,
                operator_number.ID,
                endpoint_settings.ID,
            ),
        ),
        Scenario(
            "signin-redirect",
            "the portal's pages and iFrames answer 302 to /login (a visitor not signed in)",
            (custom_code.ID, iframe_lag.ID),
            "redirected to /login: the portal asked to sign in",
        ),
        Scenario(
            "datapump-rejects-autopay",
            "the data pump rejects autopay transmissions",
            (data_pump.ID,),
            "The data pump rejected the autopay transmission",
        ),
        Scenario(
            "datapump-ack-mismatch",
            "the data pump acknowledges another transmission id",
            (data_pump.ID,),
            "acknowledgement does not match",
        ),
        Scenario(
            "token2-missing",
            "PayConnect login issues Token1 only",
            (token_login.ID,),
            "PayConnect login issued no usable Token2: it is missing",
        ),
        Scenario(
            "tokens-equal",
            "PayConnect login issues the same value as Token1 and Token2",
            (token_login.ID,),
            "Token1 and Token2 with the same value",
        ),
        Scenario(
            "tokens-not-accepted",
            "S&S does not accept Token1/Token2 back",
            (token_login.ID,),
            "S&S did not accept Token1/Token2 back",
        ),
        Scenario(
            "accounts-not-synced",
            "S&S accepts the tokens but does not sync the registered accounts (Option 127)",
            (token_login.ID,),
            "did not sync the registered accounts that Option 127 asks for",
        ),
        Scenario(
            "custom-code-missing",
            "the portal page lacks the first custom code item",
            (custom_code.ID,),
            "is not on the portal page /Home as a signed-in customer's browser shows it",
            message_without_browser="is missing from the portal page",
        ),
        Scenario(
            "custom-code-by-script",
            "the custom code is added by a script after the page loads (a browser sees it; the "
            "raw HTML does not)",
            (),
            "is missing from the portal page",
            fails_without_browser=(custom_code.ID,),
        ),
        Scenario(
            "custom-code-in-comment",
            "the custom code's expected text is only inside an HTML comment (the raw HTML has "
            "it; a browser shows nothing)",
            (custom_code.ID,),
            "as a signed-in customer's browser shows it",
            fails_without_browser=(),
        ),
        Scenario(
            "slow-iframe",
            "the first Capricorn iFrame answers later than its max_seconds",
            (iframe_lag.ID,),
            "took",
            replayable=False,
        ),
        Scenario(
            "iframe-404",
            "the first Capricorn iFrame's document answers 404 Not Found: an error page inside "
            "the portal page, whose load event still fires quickly",
            (iframe_lag.ID,),
            "answered HTTP 404 Not Found inside /Billing: a customer sees an error page",
            message_without_browser="rejected the request (HTTP 404 Not Found)",
        ),
        Scenario(
            "iframe-500",
            "the first Capricorn iFrame's document answers 500 with a Runtime Error page",
            (iframe_lag.ID,),
            "answered HTTP 500 Internal Server Error inside /Billing: a customer sees an error "
            "page",
            message_without_browser="failed on its side (HTTP 500 Internal Server Error)",
        ),
        Scenario(
            "page-500",
            "the custom code's portal pages answer 500 with a Runtime Error page",
            (custom_code.ID,),
            "answered HTTP 500 Internal Server Error in the browser: a customer sees an error page",
            message_without_browser="failed on its side (HTTP 500 Internal Server Error)",
        ),
        Scenario(
            "iframe-by-script",
            "the portal page's script adds its Capricorn iFrames after the page has loaded (a "
            "browser that waits for the page to settle sees them)",
            (),
            "",
        ),
        Scenario(
            "iframe-hang",
            "the first Capricorn iFrame's host takes the request and never answers, so the "
            "iFrame (and its page's load event) never comes",
            (iframe_lag.ID,),
            "did not load inside /Billing within",
            replayable=False,
            message_without_browser="(--read-timeout)",
        ),
        Scenario(
            "never-idle",
            "the portal's pages carry a chat widget that asks the portal every 250 ms, so the "
            "network never goes idle (the checks still pass, judged a few seconds after load)",
            (),
            "",
            replayable=False,
        ),
        Scenario(
            "custom-code-off-portal",
            "the custom code is added by a script the page loads from another host, neither the "
            "portal nor an iFrame host of the biller file (the browser does not load it)",
            (custom_code.ID,),
            "the browser did not load https://collector.evil.example",
            message_without_browser="is missing from the portal page",
        ),
        Scenario(
            "page-off-portal",
            "the portal's pages redirect to the same path on another host, neither the portal nor "
            "an iFrame host of the biller file (the browser does not follow)",
            (custom_code.ID, iframe_lag.ID),
            "redirected to https://collector.evil.example/",
            fails_without_browser=(custom_code.ID,),  # the raw check GETs the iFrame's URL alone
            message_without_browser="redirected off its host, to https://collector.evil.example/",
        ),
        Scenario(
            "sign-in-formaction",
            "the sign-in form's submit button has a formaction to another host",
            (custom_code.ID, iframe_lag.ID),
            "the sign-in would have sent the user name and the password to "
            "https://collector.evil.example: aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "sign-in-action-changed",
            "a script on the sign-in page points the form's action at another host while the "
            "password is typed",
            (custom_code.ID, iframe_lag.ID),
            "the sign-in would have sent the user name and the password to "
            "https://collector.evil.example: aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "sign-in-fetch",
            "a script on the sign-in page fetch()es the typed password to another host",
            (custom_code.ID, iframe_lag.ID),
            "the sign-in would have sent the password to https://collector.evil.example: "
            "aborted, nothing was sent",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "sign-in-refused",
            "the portal's sign-in form refuses the test user",
            (custom_code.ID, iframe_lag.ID),
            "the portal did not accept the test user's sign-in",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "sign-in-off-host",
            "the portal's sign-in page sends the browser to a form on another host",
            (custom_code.ID, iframe_lag.ID),
            "the credentials were not typed",
            replayable=False,
            fails_without_browser=(),
        ),
        Scenario(
            "setting-drift",
            "the portal's Option 127 is disabled although the file enables it",
            (option_127.ID,),
            "Option 127 (sync registered accounts) is disabled (false) in the portal",
            replayable=False,
        ),
        Scenario(
            "endpoint-drift",
            "the portal's Advanced Setting 20 points at the other environment's CIS Service "
            "(the write guard sends the data pump nothing there)",
            (endpoint_settings.ID, rtdr.ID),
            "Advanced Setting 20 is not an endpoint S&S provided",
            replayable=False,
            not_checked=(data_pump.ID,),
        ),
        Scenario(
            "operator-drift",
            "the portal's Advanced Setting 12 is another operator number than the file's (0418 "
            "for 0417), which S&S does not know",
            (operator_number.ID, rtdr.ID, data_pump.ID),
            "Advanced Setting 12 has drifted: the portal's '0418' differs from the file's '0417'",
            replayable=False,
        ),
        Scenario(
            "secret-drift",
            "the portal's Advanced Setting 26 (PayConnect's client secret) is not the value of "
            "the file's ${VAR}, so S&S refuses the login",
            (settings_24_27.ID, token_login.ID),
            "Advanced Setting 26 has drifted: the portal's value differs from the file's "
            "${DEMO_PAYCONNECT_SECRET} (neither is shown)",
            replayable=False,
        ),
        Scenario(
            "setting-131-spacing",
            "the portal's Advanced Setting 131 is the file's JSON written without spaces: the same "
            "value, so no rule fails",
            (),
            "",
            replayable=False,
        ),
        Scenario(
            "production-option-127",
            "production's Option 127 is disabled although the test portal (and the file) enable it",
            (production_matches_test.ID, option_127.ID),
            "Option 127: test enabled (true), production disabled (false)",
            replayable=False,
            environment="production",
        ),
        Scenario(
            "production-cis-is-test",
            "production's Advanced Setting 20 points at the test environment's CIS Service "
            "(data-pump runs in production only with --allow-production-writes)",
            (production_matches_test.ID, endpoint_settings.ID, rtdr.ID, data_pump.ID),
            "(production points at the test environment's CIS Service; expected production's "
            "CIS Service",
            replayable=False,
            environment="production",
        ),
    )
}


def unknown(names: tuple[str, ...] | list[str]) -> list[str]:
    return [name for name in names if name not in SCENARIOS]
