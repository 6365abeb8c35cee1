"""Safe YAML reading that keeps the line of every value and refuses duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conversion_qa.config.yaml_syntax import explained
from conversion_qa.errors import BillerFileError, Mistake

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """What a YAML file may hold before it is refused unread: bytes, values (scalars, lists and
    mappings) and nesting, with the sizes a real one has, to say so; never an anchor or alias."""

    kind: str  # "a biller file", "a recording"
    max_bytes: int
    max_values: int
    max_depth: int
    usual: str  # what a real one holds, for the message: "a few KB and a few hundred values"


BILLER_FILE = Limits("a biller file", 1024 * 1024, 100_000, 32, "a few KB, a few hundred values")


class YamlRefused(Exception):
    """A YAML file refused before it was built: the line and the problem, to be told by the
    reader of that kind of file (a biller file's error, a recording's)."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


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
    mistakes: tuple[Mistake, ...] = ()  # keys written twice, tags: told with the schema's

    def line_of(self, field: FieldPath) -> int | None:
        """Line of the field, or of its nearest written ancestor."""
        while field not in self.lines and field:
            field = field[:-1]
        return self.lines.get(field)

    def mistake(self, field: FieldPath, problem: str) -> Mistake:
        return Mistake(self.path, self.line_of(field), dotted(field), problem)

    def error(self, field: FieldPath, problem: str) -> BillerFileError:
        return BillerFileError(self.mistake(field, problem))


def read_yaml(path: Path) -> YamlDocument:
    """Parse one biller file; a problem that stops the reading becomes a BillerFileError with
    its line. Keys written twice and YAML tags are kept in `mistakes`, told with the rest.

    A hostile or mistaken file is refused before anything is built from it (BILLER_FILE): one
    over 1 MiB, with an anchor or alias (a few KB of aliases expand to billions of values),
    with more than 100,000 values, or nested deeper than 32 levels.
    """
    try:
        text = bounded_text(path, BILLER_FILE)
        check_events(text, BILLER_FILE)
    except YamlRefused as refused:
        raise BillerFileError(Mistake(path, refused.line, "", refused.problem)) from None
    loader = _PlainLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise BillerFileError(Mistake(path, 1, "", "is empty; start from billers/demo.yaml"))
        builder = _Builder(loader, path)
        data = builder.build(root, ())
    except yaml.MarkedYAMLError as exc:
        line, problem = explained(exc, text)
        raise BillerFileError(Mistake(path, line, "", problem)) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise BillerFileError(
            Mistake(
                path,
                1,
                "",
                f"must be a mapping of fields (biller:, name:, ...), not a {_kind(data)}",
            )
        )
    return YamlDocument(path, data, builder.lines, builder.written, tuple(builder.mistakes))


def bounded_text(path: Path, limits: Limits) -> str:
    """The file's text, refused unread past the size limit, or when it is not UTF-8."""
    with path.open("rb") as file:
        raw = file.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        size = path.stat().st_size
        line = raw[: limits.max_bytes].count(b"\n") + 1
        raise YamlRefused(
            line,
            f"is {size:,} bytes; {limits.kind} may be at most {limits.max_bytes:,} bytes "
            f"({_mebibytes(limits.max_bytes)}), and this one passes that on line {line}. "
            f"{_capital(limits.kind)} holds {limits.usual}: check that this is the file you "
            f"meant, and take out what does not belong in it",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlRefused(
            line, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None


def _mebibytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _no_anchors(limits: Limits) -> str:
    return (
        f"anchors (&name) and aliases (*name) are not allowed in {limits.kind}, because a few "
        "lines of aliases can expand into billions of values: write each value out in full"
    )


def check_events(text: str, limits: Limits) -> None:
    """Refuse anchors, aliases, too many values and deep nesting from the parser's events,
    before any node is composed or any alias expanded; a syntax error is told in words."""
    loader = _PlainLoader(text)
    try:
        values = depth = 0
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(
                    line, f"uses the YAML alias *{event.anchor}; {_no_anchors(limits)}"
                )
            if not isinstance(event, _NODE_EVENTS):
                if isinstance(event, _CLOSE_EVENTS):
                    depth -= 1
                continue
            if event.anchor is not None:
                raise YamlRefused(
                    line, f"uses the YAML anchor &{event.anchor}; {_no_anchors(limits)}"
                )
            values += 1
            if values > limits.max_values:
                raise YamlRefused(
                    line,
                    f"has more than {limits.max_values:,} YAML values (the "
                    f"{limits.max_values + 1:,}th is here); {limits.kind} holds {limits.usual}: "
                    "check that this is the file you meant, and take out what does not belong "
                    "in it",
                )
            if isinstance(event, _OPEN_EVENTS):
                depth += 1
                if depth > limits.max_depth:
                    raise YamlRefused(
                        line,
                        f"nests values more than {limits.max_depth} levels deep ({limits.kind} "
                        "needs 5); check the brackets and the indentation here",
                    )
    except yaml.MarkedYAMLError as exc:
        raise YamlRefused(*explained(exc, text)) from None
    finally:
        loader.dispose()


def safe_load(text: str, limits: Limits) -> Any:
    """Plain data from YAML text (timestamps as YAML reads them), refused as check_events
    refuses; for files the suite writes itself, such as recordings."""
    check_events(text, limits)
    try:
        return yaml.load(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as exc:  # pragma: no cover - check_events parsed it already
        raise YamlRefused(*explained(exc, text)) from None


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    """Builds plain data from the composed nodes, noting each field's line; a key written
    twice or a YAML tag is noted as a mistake and the reading goes on."""

    def __init__(self, loader: yaml.SafeLoader, path: Path) -> None:
        self.loader = loader
        self.path = path
        self.lines: dict[FieldPath, int] = {}
        self.written: dict[FieldPath, str] = {}
        self.mistakes: list[Mistake] = []

    def _mistake(self, line: int, at: FieldPath, problem: str) -> None:
        self.mistakes.append(Mistake(self.path, line, dotted(at), problem))

    def build(self, node: yaml.Node, at: FieldPath) -> Any:
        self.lines.setdefault(at, node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._mistake(
                self.lines[at], at, f"uses the YAML tag {tag}; only plain values are allowed"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]
        value = self.loader.construct_object(node, deep=True)
        if not isinstance(value, str):
            self.written[at] = str(node.value)
        return value

    def _mapping(self, node: yaml.MappingNode, at: FieldPath) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._mistake(line, at, "has a key that is not plain text")
                continue
            key = str(key_node.value)
            if key in mapping:
                first = self.lines[(*at, key)]
                self._mistake(
                    line, (*at, key), f"is written twice (first on line {first}); keep one"
                )
                continue
            self.lines[(*at, key)] = line
            mapping[key] = self.build(value_node, (*at, key))
        return mapping


def _kind(value: Any) -> str:
    return {list: "list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
