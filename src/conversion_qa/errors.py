"""The problems a user can fix, one exception type each, each naming the fix.

Every error carries its parts as fields (what went wrong, what was expected and found, where,
the fix), so a caller that shows only the reason reads `error.what` instead of cutting text.
"""

from __future__ import annotations

from pathlib import Path


class ConversionQAError(Exception):
    """Base of every error the suite reports to its user as a sentence, never as a traceback."""

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


class BillerFileError(ConversionQAError):
    """A biller file that cannot be used: names the file, the line and the field."""

    def __init__(self, path: Path, line: int | None, field: str, problem: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.problem = problem
        place = f"{path}:{line}" if line is not None else str(path)
        subject = f" field '{field}'" if field else ""
        super().__init__(f"{place}:{subject} {problem}", where=place)


class MissingSecretError(ConversionQAError):
    """A `${VAR}` whose variable is not set, at the moment its value is needed."""

    def __init__(self, variable: str, where: str) -> None:
        self.variable = variable
        super().__init__(
            f"environment variable {variable} is not set ({where})",
            fix=f"export {variable} before a live run, or add a default with "
            f"${{{variable}:-value}}",
            expected=f"environment variable {variable} set for this live run",
            found="not set",
            where=where,
        )


class UnknownBillerError(ConversionQAError):
    """A --biller name with no file in the biller folder."""


class ServiceError(ConversionQAError):
    """A call that got no answer a rule can judge: unreachable, too slow, too large, or a status
    that says why (a redirect, refused credentials, a maintenance window). Every one names the
    call (`where`), what was expected and found, and the fix, so that the rule's problem is made
    from these fields, never from the sentence."""

    def __init__(
        self, what: str, *, expected: str, found: str, where: str, fix: str | None = None
    ) -> None:
        super().__init__(what, fix=fix, expected=expected, found=found, where=where)


class WriteRefused(ServiceError):
    """A live write the suite would not send: to a production host, or off this environment's
    own endpoints, without --allow-production-writes. Nothing was sent."""


class PortalError(ConversionQAError):
    """The portal's configuration could not be read: names the URL and what it answered."""


class NotRecorded(ConversionQAError):
    """An offline run asked for an answer its recording does not hold; nothing was sent."""

    def __init__(self, subject: str, recording: Path, kind: str, biller: str) -> None:
        self.subject = subject  # "GET https://…", a host, an endpoint
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
    failure. Unlike a page that answered an error (a rule's failure), nothing was seen."""


class SignInError(BrowserError):
    """The browser could not sign in to the portal (or would not: a form off the portal's host)."""


class BrowserMissing(BrowserError):
    """A live browser check with no Chromium to make it: names the install command."""
