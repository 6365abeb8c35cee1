"""Safe YAML reading that keeps the line of every value and refuses duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conversion_qa.errors import BillerFileError

FieldPath = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024  # a biller file is a few KB
MAX_VALUES = 100_000  # scalars, lists and mappings; a biller file has a few hundred
MAX_DEPTH = 32  # lists and mappings inside each other; a biller file needs 5

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
        if isinstance(part, int):
            text += f"[{part}]"
        elif not part.isprintable():  # a key with a line break: shown, not obeyed
            text += f"[{part!r}]"
        else:
            text += f".{part}" if text else part
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
    """Parse one file; any problem becomes a BillerFileError with its line.

    A hostile or mistaken file is refused before anything is built from it: one over
    MAX_BYTES, with an anchor or alias (a few KB of aliases expand to billions of values),
    with more than MAX_VALUES values, or nested deeper than MAX_DEPTH.
    """
    raw = _read_bounded(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BillerFileError(
            path, line, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    try:
        _check_events(path, text)
    except yaml.MarkedYAMLError as exc:
        raise _not_yaml(path, exc) from None
    loader = _PlainLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise BillerFileError(path, 1, "", "is empty; start from billers/demo.yaml")
        lines: dict[FieldPath, int] = {}
        written: dict[FieldPath, str] = {}
        data = _build(loader, root, (), lines, written, path)
    except yaml.MarkedYAMLError as exc:
        raise _not_yaml(path, exc) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise BillerFileError(
            path, 1, "", f"must be a mapping of fields (biller:, name:, ...), not a {_kind(data)}"
        )
    return YamlDocument(path, data, lines, written)


def _read_bounded(path: Path) -> bytes:
    """The file's bytes, refused unread past MAX_BYTES."""
    with path.open("rb") as file:
        raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        size = path.stat().st_size
        line = raw[:MAX_BYTES].count(b"\n") + 1
        raise BillerFileError(
            path,
            line,
            "",
            f"is {size:,} bytes; a biller file may be at most {MAX_BYTES:,} bytes (1 MiB), "
            f"and this one passes that on line {line}. A biller file is a few KB: check that "
            "this is the file you meant, and take out what is not the biller's (start from "
            "billers/demo.yaml)",
        )
    return raw


def _not_yaml(path: Path, exc: yaml.MarkedYAMLError) -> BillerFileError:
    mark = exc.problem_mark or exc.context_mark
    at_line = mark.line + 1 if mark is not None else None
    return BillerFileError(path, at_line, "", f"is not valid YAML: {exc.problem}")


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NO_ANCHORS = (
    "anchors (&name) and aliases (*name) are not allowed in a biller file, because a few "
    "lines of aliases can expand into billions of values: write each value out in full"
)


def _check_events(path: Path, text: str) -> None:
    """Refuse anchors, aliases, too many values and deep nesting from the parser's events,
    before any node is composed or any alias expanded."""
    loader = _PlainLoader(text)
    try:
        values = depth = 0
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise BillerFileError(
                    path, line, "", f"uses the YAML alias *{event.anchor}; {_NO_ANCHORS}"
                )
            if not isinstance(event, _NODE_EVENTS):
                if isinstance(event, _CLOSE_EVENTS):
                    depth -= 1
                continue
            if event.anchor is not None:
                raise BillerFileError(
                    path, line, "", f"uses the YAML anchor &{event.anchor}; {_NO_ANCHORS}"
                )
            values += 1
            if values > MAX_VALUES:
                raise BillerFileError(
                    path,
                    line,
                    "",
                    f"has more than {MAX_VALUES:,} YAML values (the {MAX_VALUES + 1:,}th is "
                    "here); a biller file has a few hundred: check that this is the file you "
                    "meant, and take out what is not the biller's",
                )
            if isinstance(event, _OPEN_EVENTS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise BillerFileError(
                        path,
                        line,
                        "",
                        f"nests values more than {MAX_DEPTH} levels deep (a biller file needs "
                        "5); check the brackets and the indentation here",
                    )
    finally:
        loader.dispose()


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
