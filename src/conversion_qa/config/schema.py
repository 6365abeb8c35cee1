"""The biller file's JSON Schema (Draft 2020-12), with errors told as one sentence."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from conversion_qa.config.yaml_source import FieldPath, YamlDocument
from conversion_qa.config.yaml_syntax import CURLY_QUOTES
from conversion_qa.errors import Mistake

_formats = FormatChecker(formats=())


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    # the time zone written in the file is what the window and weekend rules reason in
    if isinstance(value, str) and datetime.fromisoformat(value).tzinfo is None:
        raise ValueError("has no UTC offset")
    return True


@cache
def _validator() -> Draft202012Validator:
    # the schema itself is checked against the metaschema by the self-tests, not on every run
    schema = json.loads(files("conversion_qa.config").joinpath("biller.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=_formats)


def schema_mistakes(document: YamlDocument) -> list[Mistake]:
    """Every way the document breaks the schema, one sentence each with its line and field,
    in the order of the file; a field the YAML reading already found wrong is not told twice."""
    told = {mistake.field for mistake in document.mistakes}
    found: dict[tuple[str, str], Mistake] = {}
    # an unknown key first on its line: it is usually a typo, and the "missing field" it
    # causes follows from it
    errors = sorted(
        _validator().iter_errors(document.data),
        key=lambda e: (
            document.line_of(_path_of(e)) or 0,
            e.validator != "additionalProperties",
        ),
    )
    for error in errors:
        for mistake in _mistakes_of(error, document):
            if mistake.field not in told:
                found.setdefault((mistake.field, mistake.problem), mistake)
    return sorted(found.values(), key=lambda m: m.line or 0)


def _mistakes_of(error: ValidationError, document: YamlDocument) -> list[Mistake]:
    """One mistake per field: an unknown key each, any other error once."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        base: FieldPath = tuple(error.absolute_path)
        return [
            document.mistake((*base, key), _describe(error, None))
            for key in _unexpected_keys(error)
        ]
    at = _path_of(error)
    return [document.mistake(at, _describe(error, document.written.get(at)))]


def _path_of(error: ValidationError) -> FieldPath:
    at: FieldPath = tuple(error.absolute_path)
    if _names_a_property(error):
        return (*at, str(error.instance))
    if error.validator in ("additionalProperties", "propertyNames") and isinstance(
        error.instance, dict
    ):
        extra = _unexpected_keys(error)
        if extra:
            return (*at, extra[0])
    return at


def _unexpected_keys(error: ValidationError) -> list[str]:
    schema: Any = error.schema
    instance: Any = error.instance
    allowed = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    return [key for key in instance if key not in allowed]


def _names_a_property(error: ValidationError) -> bool:
    return "propertyNames" in error.absolute_schema_path


def _describe(error: ValidationError, written: str | None) -> str:
    value: Any = error.instance
    kind = error.validator
    rule: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = [f"'{k}'" for k in rule if k not in value]
        if len(missing) == 1:
            return f"is missing the required field {missing[0]}"
        return f"is missing the required fields {', '.join(missing[:-1])} and {missing[-1]}"
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = _unexpected_keys(error)
        if not allowed:
            return f"has an unknown key {extra[0]!r}"
        return f"is not a known field (expected one of: {', '.join(allowed)})"
    if _names_a_property(error):
        if str(value).endswith("\n"):
            return f"{value!r} {_LINE_BREAK}"
        return 'must be a number (an Advanced Setting or Option number such as "131")'
    if kind == "type":
        wanted = " or ".join(_article(k) for k in (rule if isinstance(rule, list) else [rule]))
        hint = ""
        if "string" in str(rule) and isinstance(value, bool | int | float):
            hint = "; put it in quotes: YAML reads bare digits as a number and drops leading zeros"
        found = (
            _shown(value)
            if written is None or written == str(value)
            else (f"{written} (which YAML reads as {_shown(value)})")
        )
        return f"must be {wanted}, not {found}{hint}"
    if kind == "format":
        return (
            f"{_shown(value)} is not a real {error.validator_value} ({_format_reason(error)})"
            f"{_curly_hint(value)}"
        )
    if kind == "pattern":
        if isinstance(value, str) and value.endswith("\n"):
            return f"{value!r} {_LINE_BREAK}"
        # the schema's (?!\n) keeps Python's `$` from matching before a final line break
        form = schema.get("expectedForm") if isinstance(schema, dict) else None
        if form is None:  # every pattern of the biller schema has its words; this is a fallback
            form = str(error.validator_value).replace(_NO_FINAL_LINE_BREAK, "")
        return (
            f"{_shown(value)} is not of the expected form; write it as {form}{_curly_hint(value)}"
        )
    if kind == "maxLength":
        return (
            f"is {len(value):,} characters long; at most {rule:,} are allowed here (is this "
            "the value you meant?)"
        )
    if kind == "uniqueItems":
        return "lists the same value twice"
    if kind in ("minLength", "exclusiveMinimum", "minimum"):
        return f"{_shown(value)} is too small or empty"
    return error.message


_NO_FINAL_LINE_BREAK = "(?!\\n)"
_LINE_BREAK = (
    "ends with a line break (a YAML | or > block, or \\n in quotes), which would make it "
    "another value that looks the same; write it on one line, without the line break"
)


def _shown(value: object) -> str:
    """The value as a message shows it: its repr, cut short when long."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 5]}…{text[-4:]}"


_SHOWN = 80


def _curly_hint(value: object) -> str:
    if isinstance(value, str) and any(quote in value for quote in CURLY_QUOTES):
        return "; it has curly quotes, which YAML does not read as quotes: use straight quotes"
    return ""


def _format_reason(error: ValidationError) -> str:
    cause = error.cause
    if error.validator_value == "date-time" and cause is not None:
        return f"write it as 2026-12-03T18:00:00-05:00: {cause}"
    if error.validator_value == "date":
        return f"write it as YYYY-MM-DD: {cause}" if cause else "write it as YYYY-MM-DD"
    return str(cause)


def _article(kind: str) -> str:
    return {
        "string": "text",
        "null": "empty",
        "boolean": "true or false",
        "object": "a mapping",
        "array": "a list",
    }.get(kind, f"a {kind}")
