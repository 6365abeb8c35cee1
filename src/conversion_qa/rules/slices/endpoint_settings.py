"""endpoint-settings: The endpoint URLs in the Advanced Settings are the ones S&S provided.

Its check: endpoint_setting in rules/endpoints.py.
"""

from __future__ import annotations

from conversion_qa.config.configured import from_file
from conversion_qa.config.model import ENDPOINT_NAMES, Biller, Environment
from conversion_qa.rules import endpoints as check
from conversion_qa.rules.findings import Finding, Subject, from_verdicts
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import Slice, reads_item_setting
from conversion_qa.rules.urls import url_settings

ID = "endpoint-settings"


def _items(biller: Biller, environment: Environment) -> list[str]:
    """Each URL setting (is it an endpoint S&S provided?), then each endpoint the biller uses
    (does a setting reference it?): PayConnect is referenced from settings 24-27, which only a
    multi-user biller configures, so a single-user biller is not asked to reference it."""
    settings = [f"setting-{n}" for n in url_settings(from_file(environment, biller.where))]
    used = [n for n in ENDPOINT_NAMES if n != "payconnect_service" or biller.multi_user]
    return settings + [name for name in used if environment.endpoints.get(name)]


def _evaluated(subject: Subject) -> list[Finding]:
    biller, environment = subject.biller, subject.environment
    other = biller.environment("production" if environment.name == "test" else "test")
    items: list[str | None] = [*_items(biller, environment)] or [None]
    verdicts = [
        check.endpoint_setting(subject.configured, environment, other, item, subject.agreed)
        for item in items
    ]
    return from_verdicts(
        ID, verdicts, "every URL setting is an endpoint S&S provided, each used", subject
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="The endpoint URLs in the Advanced Settings are the ones S&S provided",
        impact="critical",
        kind=Kind.CONFIG,
        applies=Applies.ALL,
        live_source=Source.PORTAL,
        checklist="QA: if RTDR or data pump errors occur, check the endpoint URLs in Advanced "
        "Settings",
        troubleshooting="Make every URL in the Advanced Settings one of the endpoints S&S provided "
        "for this environment, and reference each S&S endpoint the biller uses from a setting "
        "(PayConnect from settings 24-27: multi-user billers only).",
    ),
    items=_items,
    reads=reads_item_setting("setting-"),
    evaluator=_evaluated,
)
