"""A network rule's failure explained: the checklist's troubleshooting answered and the exchange
behind it, told as one text under the rule's own problem."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from conversion_qa.errors import ConversionQAError, MissingSecretError, NotRecorded
from conversion_qa.plugin.targets import Case
from conversion_qa.recordings import Transport
from conversion_qa.rules.troubleshooting import Finding, State, Subject, answered
from conversion_qa.rules.verdict import Problem, RuleFailed


class ExplainedFailure(RuleFailed):
    """A network rule's failure with its troubleshooting results and the exchange behind it.

    Its text (the console's) holds all of it; `evidence` is the exchange alone, so that the
    archived report can show it apart from the verdict, collapsed, once.

    `unchecked` is the service or recording error that stopped the check, when the rule could
    not be judged at all (no answer, a deadline, TLS, a missing recording or secret): a waiver
    covers a rule's verdict, never that (plugin.outcomes reads it, not the text).
    """

    def __init__(
        self,
        problem: Problem,
        notes: list[str],
        evidence: str = "",
        unchecked: ConversionQAError | None = None,
    ) -> None:
        super().__init__(problem)
        self.evidence = evidence
        self.unchecked = unchecked
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
    """A service or recording error as the rule's problem."""
    if isinstance(error, NotRecorded):
        return Problem(
            summary=f"Offline run: no recorded {error.kind} for {error.subject}; the request was "
            "not sent.",
            expected=f"a recorded {error.kind} for this request",
            found=f"the fixture file {error.state}",
            fix=error.fix,
            where=error.where,
        )
    if isinstance(error, MissingSecretError):
        return Problem(
            summary=f"{case.rule.id} could not be checked: a secret it sends is not set.",
            expected=error.expected or "",
            found=error.found or "",
            fix=error.fix,
            where=error.where,
        )
    # a service that did not answer, or answered what no rule can judge (a redirect, refused
    # credentials, a maintenance window): the error's own parts, never a guess at its cause
    return Problem(
        summary=f"{case.rule.id} could not be checked: {_continued(error.what)}",
        expected=error.expected or "an answer the rule can judge",
        found=error.found or error.what,
        fix=error.fix,
        where=error.where,
    )


def _continued(sentence: str) -> str:
    """A sentence carried on after a colon: "The portal …" -> "the portal …"."""
    first = sentence.split(" ", 1)[0]
    return sentence[0].lower() + sentence[1:] if first in ("The", "A", "An") else sentence


@contextmanager
def explained(case: Case, subject: Subject, transport: Transport) -> Iterator[None]:
    """Turn a failure (or an unreachable service) into the rule's failure with its context."""
    unchecked: ConversionQAError | None = None
    try:
        yield
    except RuleFailed as failure:
        problem = failure.problem
    except ConversionQAError as error:
        problem, unchecked = problem_of(case, error), error
    else:
        return
    evidence = transport.evidence()
    shown = f"Evidence (trimmed, secrets redacted):\n{evidence}" if evidence else ""
    notes = [troubleshooting_text(case, subject)]
    raise ExplainedFailure(problem, notes, shown, unchecked) from None
