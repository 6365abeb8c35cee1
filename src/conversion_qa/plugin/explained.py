"""A network rule's failure explained: the checklist's troubleshooting answered and the exchange
behind it, told as one text under the rule's own problem; and why a test could not look at all
(not checked), which has no troubleshooting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from conversion_qa.errors import (
    BrowserNoAnswer,
    ConversionQAError,
    MissingSecretError,
    NotRecorded,
    Unanswered,
    UnsendableURL,
    WriteRefused,
)
from conversion_qa.plugin.targets import Case
from conversion_qa.recordings import Transport
from conversion_qa.rules.slices import endpoint_settings
from conversion_qa.rules.slices.endpoints_received import ENDPOINT_TITLES
from conversion_qa.rules.troubleshooting import Finding, State, Subject, answered
from conversion_qa.rules.verdict import NotChecked, Problem, RuleFailed, RuleNotChecked
from conversion_qa.target import target_of


class ExplainedFailure(RuleFailed):
    """A network rule's failure with its troubleshooting results and the exchange behind it.

    Its text (the console's) holds all of it; `evidence` is the exchange alone, so that the
    archived report can show it apart from the verdict, collapsed, once.
    """

    def __init__(self, problem: Problem, notes: list[str], evidence: str = "") -> None:
        super().__init__(problem)
        self.evidence = evidence
        parts = [problem.render(), *[n for n in notes if n], *([evidence] if evidence else [])]
        self.args = ("\n\n".join(parts),)

    def __str__(self) -> str:
        return str(self.args[0])


def finding_line(finding: Finding) -> str:
    name = f"{finding.rule} {finding.host}" if finding.host else finding.rule
    if finding.state is State.UNKNOWN:
        return f"  {name}: {finding.summary}"
    detail = ""
    if finding.found is not None:
        where = f"; {finding.where}" if finding.where else ""
        detail = f" (found {finding.found}{where})"
    return f"  {name}: {finding.state.value}: {finding.summary}{detail}"


def troubleshooting_text(case: Case, subject: Subject) -> str:
    findings = answered(case.rule.see_also, subject)
    if not findings:
        return ""
    target = f"{case.biller.id} / {case.environment}"
    return f"The checklist's troubleshooting, answered for {target}:\n" + "\n".join(
        finding_line(f) for f in findings
    )


def problem_of(case: Case, error: ConversionQAError) -> Problem:
    """A service's error that is a verdict (an answer too large, refused credentials, a redirect
    to sign in, a malformed answer) as the rule's problem: the error's own parts."""
    return Problem(
        summary=f"{case.rule.id} failed: {_continued(error.what)}",
        expected=error.expected or "an answer the rule can judge",
        found=error.found or error.what,
        fix=error.fix,
        where=error.where,
    )


def unchecked(case: Case, error: BaseException) -> NotChecked | None:
    """Why the test could not look, when that is why it ended: a check that said so, or an
    error that leaves a rule not checked (no answer, a missing secret or recording, a write the
    guard refused); None for a verdict."""
    if isinstance(error, RuleNotChecked):
        return error.unchecked
    if not (isinstance(error, ConversionQAError) and error.not_checked):
        return None
    return NotChecked(
        reason=_reason(case, error),
        detail=error.what,
        fix=error.fix or "run again once the rule can be checked",
        where=error.where,
        found=error.found,
    )


def _reason(case: Case, error: ConversionQAError) -> str:
    """A few words of why, for lists: the sign-off sheet's, the board's, the console's."""
    if isinstance(error, NotRecorded):
        return "not recorded yet"
    if isinstance(error, MissingSecretError):
        return f"{error.variable} is not set"
    if isinstance(error, WriteRefused):
        if error.production and error.own:
            return "a write to production, sent only with --allow-production-writes"
        where = "a production host" if error.production else "a host not of this environment"
        return f"a write to {where}, refused (see {endpoint_settings.ID})"
    if isinstance(error, Unanswered):
        service = _service(case, error.url)
        return (
            f"{service} says it is unavailable"
            if error.unavailable
            else f"no answer from {service}"
        )
    if isinstance(error, BrowserNoAnswer):
        return f"no answer from the portal of {case.biller.id} / {case.environment}"
    return "could not look"


def _service(case: Case, url: str) -> str:
    """What a URL's host is to the environment: "the CIS Service", "the portal", else the host."""
    host = _host_of(url)
    environment = case.biller.environment(case.environment)
    urls = {
        "the portal": environment.portal,
        **{f"the {ENDPOINT_TITLES.get(n, n)}": at for n, at in environment.endpoints.items()},
    }
    named = [title for title, value in urls.items() if value and _host_of(value) == host]
    return f"{' and '.join(named)} ({host})" if named else host


def _host_of(url: str) -> str:
    """Where the URL connects (`host` or `host:port`), or the URL itself when it goes nowhere."""
    try:
        return target_of(url).authority
    except UnsendableURL:
        return url


def _continued(sentence: str) -> str:
    """A sentence carried on after a colon: "The portal …" -> "the portal …"."""
    first = sentence.split(" ", 1)[0]
    return sentence[0].lower() + sentence[1:] if first in ("The", "A", "An") else sentence


@contextmanager
def explained(case: Case, subject: Subject, transport: Transport) -> Iterator[None]:
    """Turn a failure into the rule's failure with its context: the checklist's troubleshooting
    answered and the exchange behind it. A test that could not look gets neither: the
    troubleshooting is for verdicts only."""
    try:
        yield
    except RuleFailed as failure:
        problem = failure.problem
    except ConversionQAError as error:
        if error.not_checked:
            raise  # plugin.outcomes says why it is not checked
        problem = problem_of(case, error)
    else:
        return
    evidence = transport.evidence()
    shown = f"Evidence (trimmed, secrets redacted):\n{evidence}" if evidence else ""
    notes = [troubleshooting_text(case, subject)]
    raise ExplainedFailure(problem, notes, shown) from None
