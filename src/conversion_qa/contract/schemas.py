"""The contract's JSON Schemas, and validation told as one sentence."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

RTDR_RESPONSE = "rtdr-response"
DATAPUMP_ACK = "datapump-ack"
PAYCONNECT_LOGIN = "payconnect-login"
PAYCONNECT_VALIDATE = "payconnect-validate"
PORTAL_SETTINGS = "portal-settings"


@cache
def _validator(name: str) -> Draft202012Validator:
    text = files("conversion_qa.contract").joinpath(f"schemas/{name}.json").read_text()
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_problem(name: str, document: Any) -> str | None:
    """The first way the document breaks the named schema, as a sentence, or None."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    error = errors[0]
    at = "/".join(str(p) for p in error.absolute_path) or "the top level"
    return f"at {at}: {error.message}"
