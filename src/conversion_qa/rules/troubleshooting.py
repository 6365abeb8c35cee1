"""The checklist's troubleshooting, answered: related rules evaluated on the spot for a failure.

Evaluated here rather than read from other tests' outcomes: xdist workers do not share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from conversion_qa.clients.transport import Transport
from conversion_qa.config.model import Biller, Environment
from conversion_qa.dns_tls_options import dns_tls_options
from conversion_qa.errors import ConversionQAError, MissingSecretError
from conversion_qa.lookups import public_dns_summary
from conversion_qa.replay import NoRecordedAnswer
from conversion_qa.rules import configuration as check
from conversion_qa.rules.configured import Configured
from conversion_qa.rules.items import items_of
from conversion_qa.targets import Case
from conversion_qa.verdict import Blocked, Problem, RuleFailed


@dataclass(frozen=True)
class Finding:
    rule: str
    passed: bool | None  # None: not evaluated
    message: str

    def line(self) -> str:
        if self.passed is None:
            return f"  {self.rule}: {self.message}"
        return f"  {self.rule}: {'passed' if self.passed else 'FAILED'}: {self.message}"


@dataclass(frozen=True)
class Subject:
    """What an evaluator judges: the failed test's biller, environment and settings, in its run."""

    case: Case
    configured: Configured
    config: pytest.Config

    @property
    def biller(self) -> Biller:
        return self.case.biller

    @property
    def environment(self) -> Environment:
        return self.case.biller.environment(self.case.environment)


Evaluator = Callable[[Subject], list[Finding]]
EVALUATORS: dict[str, Evaluator] = {}


def register(rule_id: str, evaluator: Evaluator) -> None:
    """Make a rule's result available to the failures that name it in `see_also`."""
    EVALUATORS[rule_id] = evaluator


def _from_verdicts(
    rule_id: str, verdicts: Sequence[Problem | Blocked | None], ok: str
) -> list[Finding]:
    findings = []
    for verdict in verdicts:
        if isinstance(verdict, Problem):
            where = f"; {verdict.where}" if verdict.where else ""
            findings.append(
                Finding(rule_id, False, f"{verdict.summary} (found {verdict.found}{where})")
            )
        elif isinstance(verdict, Blocked):
            findings.append(Finding(rule_id, None, f"not judged: {verdict.reason}"))
    return findings or [Finding(rule_id, True, ok)]


def _endpoint_settings(subject: Subject) -> list[Finding]:
    biller, environment = subject.biller, subject.environment
    other = biller.environment("production" if environment.name == "test" else "test")
    items = items_of("endpoint-settings", biller, environment)
    verdicts = [
        check.endpoint_setting(subject.configured, environment, other, item) for item in items
    ]
    return _from_verdicts(
        "endpoint-settings", verdicts, "every URL setting is an endpoint S&S provided, each used"
    )


def _operator_number(subject: Subject) -> list[Finding]:
    return _from_verdicts(
        "operator-number",
        [check.operator_number(subject.configured)],
        "Advanced Setting 12 is an operator number",
    )


def _settings_24_27(subject: Subject) -> list[Finding]:
    verdicts = [check.setting_present(subject.configured, n) for n in ("24", "25", "26", "27")]
    return _from_verdicts("settings-24-27", verdicts, "Advanced Settings 24-27 are all set")


def _public_dns(subject: Subject) -> list[Finding]:
    """public-dns's own summary, one line per host (recorded answers offline, live lookups live)."""
    options = dns_tls_options(subject.config)
    lines = public_dns_summary(subject.biller, subject.environment, options, live=subject.case.live)
    findings = []
    for line in lines:
        name, _, rest = line.partition(": ")
        state, _, message = rest.partition(": ")
        passed = {"passed": True, "FAILED": False}.get(state)
        findings.append(Finding(name, passed, message if passed is not None else rest))
    return findings


def public_dns_not_evaluated(_: Subject) -> list[Finding]:
    return [Finding("public-dns", None, "not evaluated in this run")]


register("endpoint-settings", _endpoint_settings)
register("operator-number", _operator_number)
register("settings-24-27", _settings_24_27)
register("public-dns", _public_dns)


def explain(case: Case, configured: Configured, config: pytest.Config) -> str:
    """The results of the rules the checklist says to check when this one fails."""
    findings: list[Finding] = []
    subject = Subject(case, configured, config)
    for rule_id in case.rule.see_also:
        evaluator = EVALUATORS.get(rule_id, public_dns_not_evaluated)
        try:
            findings.extend(evaluator(subject))
        except ConversionQAError as error:  # the portal could not be read, a secret is unset
            reason = str(error).split("; ")[0]
            findings.append(Finding(rule_id, None, f"could not be evaluated: {reason}"))
    if not findings:
        return ""
    target = f"{case.biller.id} / {case.environment}"
    return f"The checklist's troubleshooting, answered for {target}:\n" + "\n".join(
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
def explained(
    case: Case, configured: Configured, transport: Transport, config: pytest.Config
) -> Iterator[None]:
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
    except MissingSecretError as error:
        problem = Problem(
            f"{case.rule.id} could not be checked: a secret it sends is not set.",
            f"environment variable {error.variable} set for this live run",
            "not set",
            str(error).split("; ")[-1],
            error.where,
        )
    except ConversionQAError as error:  # unreachable, too slow
        problem = Problem(
            f"{case.rule.id} could not be checked: {error}",
            "an answer within the run's timeouts",
            "no answer",
        )
    else:
        return
    evidence = transport.evidence()
    notes = [
        explain(case, configured, config),
        f"Evidence (trimmed, secrets redacted):\n{evidence}",
    ]
    raise ExplainedFailure(problem, notes if evidence else notes[:1]) from None
