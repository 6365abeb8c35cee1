"""The checklist's troubleshooting, answered: related rules evaluated on the spot for a failure.

Evaluated here rather than read from other tests' outcomes: xdist workers do not share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from conversion_qa.clients.transport import Transport
from conversion_qa.config.model import Biller, Environment
from conversion_qa.errors import ConversionQAError
from conversion_qa.replay import NoRecordedAnswer
from conversion_qa.rules import configuration as check
from conversion_qa.rules.configured import Configured
from conversion_qa.rules.items import items_of
from conversion_qa.targets import Case
from conversion_qa.verdict import Problem, RuleFailed


@dataclass(frozen=True)
class Finding:
    rule: str
    passed: bool | None  # None: not evaluated
    message: str

    def line(self) -> str:
        if self.passed is None:
            return f"  {self.rule}: {self.message}"
        return f"  {self.rule}: {'passed' if self.passed else 'FAILED'}: {self.message}"


Evaluator = Callable[[Biller, Environment, Configured], list[Finding]]
EVALUATORS: dict[str, Evaluator] = {}


def register(rule_id: str, evaluator: Evaluator) -> None:
    """Make a rule's result available to the failures that name it in `see_also`."""
    EVALUATORS[rule_id] = evaluator


def _from_problems(rule_id: str, problems: list[Problem | None], ok: str) -> list[Finding]:
    found = [p for p in problems if p is not None]
    if not found:
        return [Finding(rule_id, True, ok)]
    return [Finding(rule_id, False, f"{p.summary} (found {p.found}; {p.where})") for p in found]


def _endpoint_settings(biller: Biller, environment: Environment, cfg: Configured) -> list[Finding]:
    other = biller.environment("production" if environment.name == "test" else "test")
    items = items_of("endpoint-settings", biller, environment)
    problems = [check.endpoint_setting(cfg, environment, other, item) for item in items]
    return _from_problems(
        "endpoint-settings", problems, "every URL setting is an endpoint S&S provided, each used"
    )


def _operator_number(_: Biller, __: Environment, cfg: Configured) -> list[Finding]:
    return _from_problems(
        "operator-number", [check.operator_number(cfg)], "Advanced Setting 12 is an operator number"
    )


def _settings_24_27(_: Biller, __: Environment, cfg: Configured) -> list[Finding]:
    problems = [check.setting_present(cfg, n) for n in ("24", "25", "26", "27")]
    return _from_problems("settings-24-27", problems, "Advanced Settings 24-27 are all set")


def public_dns_not_evaluated(_: Biller, __: Environment, ___: Configured) -> list[Finding]:
    return [Finding("public-dns", None, "not evaluated in this run")]


register("endpoint-settings", _endpoint_settings)
register("operator-number", _operator_number)
register("settings-24-27", _settings_24_27)
# REGISTRATION POINT for the DNS/TLS rules: register("public-dns", <evaluator>) replaces this.
register("public-dns", public_dns_not_evaluated)


def explain(case: Case, configured: Configured) -> str:
    """The results of the rules the checklist says to check when this one fails."""
    findings: list[Finding] = []
    environment = case.biller.environment(case.environment)
    for rule_id in case.rule.see_also:
        evaluator = EVALUATORS.get(rule_id, public_dns_not_evaluated)
        try:
            findings.extend(evaluator(case.biller, environment, configured))
        except ConversionQAError as error:  # the portal could not be read, a secret is unset
            reason = str(error).split("; ")[0]
            findings.append(Finding(rule_id, None, f"could not be evaluated: {reason}"))
    if not findings:
        return ""
    subject = f"{case.biller.id} / {case.environment}"
    return f"The checklist's troubleshooting, answered for {subject}:\n" + "\n".join(
        f.line() for f in findings
    )


class ExplainedFailure(RuleFailed):
    """A network rule's failure with its troubleshooting results and the exchange behind it."""

    def __init__(self, problem: Problem, notes: list[str]) -> None:
        super().__init__(problem)
        self.args = ("\n\n".join([problem.render(), *[n for n in notes if n]]),)

    def __str__(self) -> str:
        return str(self.args[0])


@contextmanager
def explained(case: Case, configured: Configured, transport: Transport) -> Iterator[None]:
    """Turn a failure (or an unreachable service) into the rule's failure with its context."""
    try:
        yield
    except RuleFailed as failure:
        problem = failure.problem
    except NoRecordedAnswer as error:
        problem = Problem(
            f"Offline run: no recorded answer for {error.request}; the request was not sent.",
            "a recorded answer for this request",
            f"the fixture file {error.state}",
            error.how,
            str(error.fixture),
        )
    except ConversionQAError as error:  # unreachable, too slow, a secret not set
        problem = Problem(
            f"{case.rule.id} could not be checked: {error}",
            "an answer within the run's timeouts",
            "no answer",
        )
    else:
        return
    evidence = transport.evidence()
    notes = [explain(case, configured), f"Evidence (trimmed, secrets redacted):\n{evidence}"]
    raise ExplainedFailure(problem, notes if evidence else notes[:1]) from None
