"""The JSON Schemas shipped in the package are themselves valid Draft 2020-12 schemas."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = sorted(
    entry.name
    for entry in files("conversion_qa").joinpath("schemas").iterdir()
    if entry.name.endswith(".json")
)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_against_the_metaschema(name: str) -> None:
    schema = json.loads(files("conversion_qa").joinpath("schemas", name).read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_shipped_schema_is_checked() -> None:
    assert {"biller.schema.json", "summary.schema.json"} <= set(SCHEMAS)
