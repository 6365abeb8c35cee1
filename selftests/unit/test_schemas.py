"""The JSON Schemas shipped in the package are themselves valid Draft 2020-12 schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import conversion_qa

PACKAGE = Path(conversion_qa.__file__).parent
SCHEMAS = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.json"))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_against_the_metaschema(name: str) -> None:
    schema = json.loads((PACKAGE / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_shipped_schema_is_checked() -> None:
    assert {
        "config/biller.schema.json",
        "report/summary.schema.json",
        "contract/schemas/rtdr-response.json",
    } <= set(SCHEMAS)
