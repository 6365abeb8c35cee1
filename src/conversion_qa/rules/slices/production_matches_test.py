"""production-matches-test: Production's portal is configured as the test portal that was
tested (after go-live).
"""

from __future__ import annotations

from conversion_qa.config.configured import Configured
from conversion_qa.config.model import (
    Biller,
    Environment,
)
from conversion_qa.rules.drift import (
    MASKED,
    Comparison,
    Match,
    comparable,
    first_unset,
    is_secret,
    option_value,
    secret_state,
    table_value,
    unset_secret,
    variable,
)
from conversion_qa.rules.fault import Fault
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice
from conversion_qa.rules.slices import data_pump, endpoint_settings, option_127, rtdr
from conversion_qa.rules.slices.endpoints_received import ENDPOINT_TITLES
from conversion_qa.rules.urls import (
    is_url,
    normalised,
    same_url,
)
from conversion_qa.rules.verdict import NotChecked, Problem
from conversion_qa.target import targets_of

ID = "production-matches-test"


def production_matches_test(
    production: Configured, test: Configured, biller: Biller
) -> Problem | NotChecked | None:
    """After go-live: production is configured as the test portal that was tested (not checked
    while a secret it compares is not set)."""
    comparisons = compare_environments(production, test, biller)
    differing = [c for c in comparisons if c.verdict is Match.DIFFERS]
    if not differing:
        numbers = sorted({*production.settings, *test.settings})
        unset = (first_unset(test.setting(n), production.setting(n)) for n in numbers)
        secret = next((s for s in unset if s is not None), None)
        if secret is not None:
            return unset_secret("production's portal against the test portal", secret)
        return None
    lines = [
        f"{c.field}: test {c.expected}, production {c.found}" + (f" ({c.note})" if c.note else "")
        for c in differing
    ]
    return Problem(
        summary=f"Production's portal differs from the test portal in {len(differing)} "
        f"{'place' if len(differing) == 1 else 'places'} that should match: "
        f"{', '.join(c.field for c in differing)}.",
        expected="production configured as the test portal that was tested: endpoint URLs "
        "each environment's own, secrets may differ, everything else the same",
        found="\n            ".join(lines),
        fix="set production as the test portal was when the biller signed it off (or, if the "
        "change was meant, re-test it on the test portal first), then update the biller file",
        where=f"production {production.where()}; test {test.where()}",
    )


def compare_environments(
    production: Configured, test: Configured, biller: Biller
) -> list[Comparison]:
    """Every setting and option of either portal, production against test: endpoint URLs must
    be each environment's own (as the biller file lists them), secrets are only same or
    different, the rest must match."""
    biller_test, biller_production = biller.environment("test"), biller.environment("production")
    comparisons = []
    numbers = {*production.settings, *test.settings}
    for number in sorted(numbers, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n)):
        tested, value = test.setting(number), production.setting(number)
        field = f"Advanced Setting {number}"
        if is_secret(number, tested, value):
            shown_test = MASKED if tested is not None else "not set"
            shown_production = MASKED if value is not None else "not set"
            unset = first_unset(tested, value)
            if tested is None or value is None:
                verdict, note = Match.DIFFERS, "set in one environment only"
            elif unset is not None:
                verdict, note = Match.NOT_CHECKED, f"{variable(unset)} is not set in this run"
            else:
                same = secret_state(tested, value)
                if isinstance(same, str):
                    verdict, note = Match.NOT_COMPARED, same
                else:
                    verdict = Match.SECRET_SAME if same else Match.SECRET_DIFFERENT
                    note = ""
            comparisons.append(
                Comparison(
                    field=field,
                    expected=shown_test,
                    found=shown_production,
                    verdict=verdict,
                    note=note,
                )
            )
        elif (
            isinstance(tested, str) and isinstance(value, str) and (is_url(tested) or is_url(value))
        ):
            comparisons.append(_compare_url(number, tested, value, biller_test, biller_production))
        else:
            same = (tested is None and value is None) or (
                isinstance(tested, str)
                and isinstance(value, str)
                and comparable(number, tested) == comparable(number, value)
            )
            comparisons.append(
                Comparison(
                    field=field,
                    expected=table_value(tested),
                    found=table_value(value),
                    verdict=Match.MATCHES if same else Match.DIFFERS,
                )
            )
    for number in sorted({*production.options, *test.options}):
        tested_option, option = test.options.get(number), production.options.get(number)
        comparisons.append(
            Comparison(
                field=f"Option {number}",
                expected=option_value(tested_option),
                found=option_value(option),
                verdict=Match.MATCHES if tested_option is option else Match.DIFFERS,
            )
        )
    return comparisons


def _compare_url(
    number: str, tested: str, value: str, test: Environment, production: Environment
) -> Comparison:
    field = f"Advanced Setting {number}"
    name = _endpoint_of(tested, test)
    own = production.endpoints.get(name) if name else None
    if name and own:
        title = ENDPOINT_TITLES.get(name, name)
        if same_url(value, own):
            return Comparison(
                field=field,
                expected=tested,
                found=value,
                verdict=Match.OWN_ENDPOINT,
                note=f"production's {title}",
            )
        elsewhere = _endpoint_of(value, test)
        note = (
            f"production points at the test environment's {ENDPOINT_TITLES.get(elsewhere, '')}"
            if elsewhere
            else "not an endpoint of production"
        ) + f"; expected production's {title} {own}"
        return Comparison(
            field=field, expected=tested, found=value, verdict=Match.DIFFERS, note=note
        )
    target = normalised(value)
    host = target[0].host if target else ""
    if host in _hosts(test) and host not in _hosts(production):
        return Comparison(
            field=field,
            expected=tested,
            found=value,
            verdict=Match.DIFFERS,
            note=f"production points at a host of the test environment ({host})",
        )
    verdict = Match.MATCHES if same_url(value, tested) else Match.DIFFERS
    return Comparison(field=field, expected=tested, found=value, verdict=verdict)


def _endpoint_of(value: str, environment: Environment) -> str | None:
    """Which of the environment's endpoints a URL is, if any."""
    for name, url in environment.endpoints.items():
        if same_url(value, url):
            return name
    return None


def _hosts(environment: Environment) -> set[str]:
    return {t.host for t in targets_of([environment.portal, *environment.endpoints.values()])}


def _faults() -> tuple[Fault, ...]:
    """The sandbox scenarios that fail production-matches-test first."""
    return (
        Fault(
            "production-option-127",
            "production's Option 127 is disabled although the test portal (and the file) enable it",
            (ID, option_127.ID),
            "Option 127: test enabled (true), production disabled (false)",
            replayable=False,
            environment="production",
        ),
        Fault(
            "production-cis-is-test",
            "production's Advanced Setting 20 points at the test environment's CIS Service "
            f"({data_pump.ID} runs in production only with --allow-production-writes)",
            (ID, endpoint_settings.ID, rtdr.ID, data_pump.ID),
            "(production points at the test environment's CIS Service; expected production's "
            "CIS Service",
            replayable=False,
            environment="production",
        ),
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Production's portal is configured as the test portal that was tested",
        impact="high",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="Post-Go Live Validation: production's Advanced Settings and Options as on the "
        "test portal the biller signed off (endpoints each environment's own)",
        troubleshooting="Set production as the test portal was when the biller signed it off; "
        "if a change was meant, re-test it on the test portal first, then update the biller file.",
        environment="production",
    ),
    faults=_faults,
)
