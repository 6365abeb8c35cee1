"""The problems a user can fix, one exception type each, each naming the fix.

Every error carries its parts as fields (what went wrong, what was expected and found, where,
the fix), so a caller that shows only the reason reads `error.what` instead of cutting text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


class ConversionQAError(Exception):
    """Base of every error the suite reports to its user as a sentence, never as a traceback.

    `not_checked` says what the error means for the rule that met it: False, the rule's verdict
    (failed: something in the file, the portal or at S&S must change); True, the rule could not
    look at all (no answer, a missing secret or recording, a write the guard refused), so it is
    not checked: not a failure and not a pass.
    """

    not_checked: ClassVar[bool] = False

    def __init__(
        self,
        what: str,
        *,
        fix: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        where: str | None = None,
    ) -> None:
        self.what = what
        self.fix = fix
        self.expected = expected
        self.found = found
        self.where = where
        super().__init__(what if fix is None else f"{what.removesuffix('.')}; {fix}")


@dataclass(frozen=True)
class Mistake:
    """One mistake in a biller file: its line, its field (may be empty) and what is wrong."""

    path: Path
    line: int | None
    field: str
    problem: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        subject = f" field '{self.field}'" if self.field else ""
        return f"{place}:{subject} {self.problem}"


class BillerFileError(ConversionQAError):
    """A biller file that cannot be used: every mistake found in it, by line, each naming the
    line and the field. `path`, `line`, `field` and `problem` are the first mistake's."""

    def __init__(self, first: Mistake, *more: Mistake) -> None:
        self.mistakes = tuple(sorted((first, *more), key=lambda m: m.line or 0))
        top = self.mistakes[0]
        self.path, self.line, self.field, self.problem = top.path, top.line, top.field, top.problem
        if more:
            listed = "\n".join(f"  {mistake}" for mistake in self.mistakes)
            text = f"{top.path} has {len(self.mistakes)} mistakes; fix each of them:\n{listed}"
        else:
            text = str(top)
        super().__init__(text, where=f"{top.path}:{top.line}" if top.line else str(top.path))


def set_variable_lines(variable: str) -> str:
    """How to set an environment variable, in bash (macOS, Linux) and in PowerShell (Windows)."""
    return f"export {variable}='...' (bash, zsh); $env:{variable} = \"...\" (PowerShell)"


class MissingSecretError(ConversionQAError):
    """A `${VAR}` whose variable is not set, at the moment its value is needed: nothing was
    sent, so the rule that needed it is not checked."""

    not_checked = True

    def __init__(self, variable: str, where: str) -> None:
        self.variable = variable
        super().__init__(
            f"environment variable {variable} is not set ({where})",
            fix=f"set it and run again: {set_variable_lines(variable)}",
            expected=f"environment variable {variable} set for this live run",
            found="not set",
            where=where,
        )


class UnsendableURL(ConversionQAError):
    """A URL with no target the suite will judge or send to: no host, not http(s), a port that
    is not one, or (AmbiguousURL) a host that readers could read differently. The caller names
    where it was written (`where`): the biller file's line, the portal's setting, the call."""

    def __init__(self, url: str, problem: str, where: str | None = None) -> None:
        self.url = url
        self.problem = problem  # a predicate: "has a backslash (\\) before its path: ..."
        super().__init__(
            f"the URL {url!r} {problem}",
            fix="write it as a plain https://host/path, with no user name, backslash, space or "
            "encoded character before the path",
            expected="an https URL whose host every reader reads the same",
            found=f"{url!r}, which {problem}",
            where=where,
        )


class AmbiguousURL(UnsendableURL):
    """A URL whose host or port two readers could read differently (a backslash, userinfo, a
    control character, an encoded host): never judged, never sent, refused in a biller file."""


class UnknownBillerError(ConversionQAError):
    """A --biller name with no file in the biller folder."""


class ServiceError(ConversionQAError):
    """A call whose answer a rule judges as wrong without reading it: too large, a request that
    failed (a malformed URL, an answer that breaks HTTP), or a status that says why (a
    redirect, refused credentials). Every one names the call (`where`), what was expected and
    found, and the fix, so that the rule's problem is made from these fields, never from the
    sentence."""

    def __init__(
        self, what: str, *, expected: str, found: str, where: str, fix: str | None = None
    ) -> None:
        super().__init__(what, fix=fix, expected=expected, found=found, where=where)


class Unanswered(ServiceError):
    """A call that got no answer to judge: no connection, no answer in time, the call deadline,
    TLS that failed, a host name the resolver could not look up, a host already dead in this
    run, or a service that says it is unavailable (503). Nothing about the conversion is known
    from it: the rule is not checked. `url` is the call's; `unavailable`: the service answered,
    to say it is down."""

    not_checked = True

    def __init__(
        self,
        what: str,
        *,
        url: str,
        expected: str,
        found: str,
        where: str,
        fix: str | None = None,
        unavailable: bool = False,
    ) -> None:
        self.url = url
        self.unavailable = unavailable
        super().__init__(what, expected=expected, found=found, where=where, fix=fix)


class WriteRefused(ServiceError):
    """A live write the suite would not send: to a production host, or off this environment's
    own endpoints, without --allow-production-writes. Nothing was sent, so the rule is not
    checked; `production` says whether the target is a production host, `own` whether it is
    one of this environment's endpoints (production's own, waiting for the option)."""

    not_checked = True

    def __init__(
        self,
        what: str,
        *,
        production: bool,
        own: bool,
        expected: str,
        found: str,
        where: str,
        fix: str | None = None,
    ) -> None:
        self.production = production
        self.own = own
        super().__init__(what, expected=expected, found=found, where=where, fix=fix)


class PortalError(ConversionQAError):
    """The portal's configuration could not be read: names the URL and what it answered."""


class NotRecorded(ConversionQAError):
    """An offline run asked for an answer its recording does not hold; nothing was sent, so the
    rule is not checked until it is recorded."""

    not_checked = True

    def __init__(self, subject: str, recording: Path, kind: str, biller: str) -> None:
        self.subject = subject  # "GET https://…", a host, an endpoint
        self.biller = biller
        self.recording = recording
        self.kind = kind
        self.exists = recording.is_file()
        self.state = f"has no recorded {kind} for it" if self.exists else "does not exist"
        how = f"record it from the test portal: pytest --biller={biller} -m live --record-fixtures"
        where = (
            f"{recording} has no recorded {kind} for {subject}"
            if self.exists
            else f"{recording}: no such recording"
        )
        super().__init__(
            f"offline run: no recorded {kind} for {subject}; nothing was sent ({where})",
            fix=how,
            expected=f"a recorded {kind} for {subject}",
            found=f"the fixture file {self.state}",
            where=where,
        )


class BadRecording(ConversionQAError):
    """A recorded-answers file that cannot be read: names the file, the entry and the format."""


class BrowserError(ConversionQAError):
    """The browser could not show a portal page: not loaded in time, not reachable, refused."""


class BrowserNoAnswer(BrowserError):
    """The browser got nothing to judge: no answer within the deadline, no connection, a TLS
    failure, a page that says it is unavailable (503). Unlike a page that answered an error (a
    rule's failure), nothing was seen: the rule that looked is not checked."""

    not_checked = True


class SignInError(BrowserError):
    """The browser could not sign in to the portal (or would not: a form off the portal's host)."""


class BrowserMissing(BrowserError):
    """A live browser check with no Chromium to make it: names the install command. Nothing
    was looked at, so the rule is not checked."""

    not_checked = True
