"""Safe YAML reading that keeps the line of every value and refuses duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conversion_qa.errors import BillerFileError

FieldPath = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _PlainLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that leaves dates as text, so the schema (not YAML) judges them."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def dotted(path: FieldPath) -> str:
    """`environments.test.advanced_settings.131`, `tender_types[1].code`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class YamlDocument:
    """A document's plain data and the line on which each field was written."""

    path: Path
    data: Any
    lines: dict[FieldPath, int]
    written: dict[FieldPath, str]  # how a value YAML did not read as text was written (0417)

    def line_of(self, field: FieldPath) -> int | None:
        """Line of the field, or of its nearest written ancestor."""
        while field not in self.lines and field:
            field = field[:-1]
        return self.lines.get(field)

    def error(self, field: FieldPath, problem: str) -> BillerFileError:
        return BillerFileError(self.path, self.line_of(field), dotted(field), problem)


def read_yaml(path: Path) -> YamlDocument:
    """Parse one file; any problem becomes a BillerFileError with its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BillerFileError(
            path, line, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    loader = _PlainLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise BillerFileError(path, 1, "", "is empty; start from billers/demo.yaml")
        lines: dict[FieldPath, int] = {}
        written: dict[FieldPath, str] = {}
        data = _build(loader, root, (), lines, written, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_line = mark.line + 1 if mark is not None else None
        raise BillerFileError(path, at_line, "", f"is not valid YAML: {exc.problem}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise BillerFileError(
            path, 1, "", f"must be a mapping of fields (biller:, name:, ...), not a {_kind(data)}"
        )
    return YamlDocument(path, data, lines, written)


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    at: FieldPath,
    lines: dict[FieldPath, int],
    written: dict[FieldPath, str],
    path: Path,
) -> Any:
    lines.setdefault(at, node.start_mark.line + 1)
    if node.tag not in _STANDARD_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise BillerFileError(
            path, lines[at], dotted(at), f"uses the YAML tag {tag}; only plain values are allowed"
        )
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise BillerFileError(
                    path,
                    key_node.start_mark.line + 1,
                    dotted(at),
                    "has a key that is not plain text",
                )
            key = str(key_node.value)
            if key in mapping:
                first = lines[(*at, key)]
                raise BillerFileError(
                    path,
                    key_node.start_mark.line + 1,
                    dotted((*at, key)),
                    f"is written twice (first on line {first}); keep one",
                )
            lines[(*at, key)] = key_node.start_mark.line + 1
            mapping[key] = _build(loader, value_node, (*at, key), lines, written, path)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*at, i), lines, written, path)
            for i, item in enumerate(node.value)
        ]
    value = loader.construct_object(node, deep=True)
    if not isinstance(value, str):
        written[at] = str(node.value)
    return value


def _kind(value: Any) -> str:
    return {list: "list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
