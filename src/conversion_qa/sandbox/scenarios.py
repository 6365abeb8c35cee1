"""Named faults the sandbox injects, each judged the way the real system would be: a wrong answer
fails its rules; no answer (a hang, a drip past the deadline, a maintenance page) leaves them not
checked, since nothing about the conversion can be judged from it.

A fault that fails a rule is declared in that rule's slice (the first it fails: rules/slices/);
here are the sandbox's own, which fail no rule, and the order of them all.
"""

from __future__ import annotations

from conversion_qa.rules.fault import Fault
from conversion_qa.rules.registry import SLICES
from conversion_qa.rules.slices import (
    custom_code,
    data_pump,
    endpoint_settings,
    iframe_lag,
    operator_number,
    option_127,
    rtdr,
    setting_131,
    settings_24_27,
    token_login,
)

# faults under which no rule fails: it is not checked (no answer to judge), or it still passes
OWN: tuple[Fault, ...] = (
    Fault(
        "rtdr-hang",
        "RTDR accepts the connection and never answers (its host then counts as dead: "
        "the other calls to it are not sent)",
        (),
        "(--read-timeout)",
        replayable=False,
        not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
    ),
    Fault(
        "cis-hang",
        "the CIS Service host accepts connections and never answers, on every path (in "
        "the demo PayConnect shares the host)",
        (),
        "(--read-timeout)",
        replayable=False,
        not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
    ),
    Fault(
        "slow-drip",
        "RTDR answers one byte at a time, a quarter of a second apart, so that no single "
        "read times out but the whole answer takes minutes",
        (),
        "(--call-deadline)",
        replayable=False,
        not_checked=(rtdr.ID, data_pump.ID, token_login.ID),
    ),
    Fault(
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
    Fault(
        "iframe-by-script",
        "the portal page's script adds its Capricorn iFrames after the page has loaded (a "
        "browser that waits for the page to settle sees them)",
        (),
        "",
    ),
    Fault(
        "never-idle",
        "the portal's pages carry a chat widget that asks the portal every 250 ms, so the "
        "network never goes idle (the checks still pass, judged a few seconds after load)",
        (),
        "",
        replayable=False,
    ),
    Fault(
        "setting-131-spacing",
        "the portal's Advanced Setting 131 is the file's JSON written without spaces: the same "
        "value, so no rule fails",
        (),
        "",
        replayable=False,
    ),
)

# The order --list-scenarios names them in and the self-tests rehearse them in; a fault added to a
# slice and not named here comes after these.
ORDER = (
    "rtdr-500",
    "rtdr-other-accounts",
    "rtdr-duplicate-account",
    "rtdr-malformed-json",
    "rtdr-float-amounts",
    "rtdr-hang",
    "cis-hang",
    "slow-drip",
    "oversized-answer",
    "maintenance-503",
    "signin-redirect",
    "datapump-rejects-autopay",
    "datapump-ack-mismatch",
    "token2-missing",
    "tokens-equal",
    "tokens-not-accepted",
    "accounts-not-synced",
    "custom-code-missing",
    "custom-code-by-script",
    "custom-code-in-comment",
    "slow-iframe",
    "iframe-404",
    "iframe-500",
    "page-500",
    "iframe-by-script",
    "iframe-hang",
    "never-idle",
    "custom-code-off-portal",
    "page-off-portal",
    "sign-in-formaction",
    "sign-in-action-changed",
    "sign-in-fetch",
    "sign-in-refused",
    "sign-in-off-host",
    "setting-drift",
    "endpoint-drift",
    "operator-drift",
    "secret-drift",
    "setting-131-spacing",
    "production-option-127",
    "production-cis-is-test",
)


def _in_order(faults: list[Fault]) -> dict[str, Fault]:
    by_name = {fault.name: fault for fault in faults}
    return {name: by_name.pop(name) for name in ORDER} | by_name


SCENARIOS: dict[str, Fault] = _in_order([*(f for s in SLICES for f in s.faults()), *OWN])


def unknown(names: tuple[str, ...] | list[str]) -> list[str]:
    return [name for name in names if name not in SCENARIOS]
