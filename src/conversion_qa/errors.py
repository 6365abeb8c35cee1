"""The problems a user can fix, one exception type each, each message naming the fix."""

from __future__ import annotations

from pathlib import Path


class ConversionQAError(Exception):
    """Base of every error the suite reports to its user as a sentence, never as a traceback."""


class BillerFileError(ConversionQAError):
    """A biller file that cannot be used: names the file, the line and the field."""

    def __init__(self, path: Path, line: int | None, field: str, problem: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.problem = problem
        where = f"{path}:{line}" if line is not None else str(path)
        subject = f" field '{field}'" if field else ""
        super().__init__(f"{where}:{subject} {problem}")


class MissingSecretError(ConversionQAError):
    """A `${VAR}` whose variable is not set, at the moment its value is needed."""

    def __init__(self, variable: str, where: str) -> None:
        self.variable = variable
        self.where = where
        super().__init__(
            f"environment variable {variable} is not set ({where}); "
            f"export {variable} before a live run, or add a default with ${{{variable}:-value}}"
        )


class UnknownBillerError(ConversionQAError):
    """A --biller name with no file in the biller folder."""
