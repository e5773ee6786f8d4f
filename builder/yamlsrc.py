"""Safe YAML with source positions.

PyYAML's constructors forget where values came from, so we compose the node graph (which keeps
marks) and build plain Python data from it ourselves, recording the position of every key and
value. Only the core scalar tags are allowed; any other tag (``!!python/object``, ``!foo``) is an
error at its position. Two YAML 1.1 surprises are switched off: unquoted dates stay strings (the
schema parses them, so a bad date is an error with a position instead of a crash) and only
true/false are booleans (``title: No`` stays the string "No").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from builder import invisible
from builder.errors import Report

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~6x faster

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
    _BOOL,
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Loader(_BaseLoader):  # type: ignore[misc]
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

Key = tuple[str | int, ...]


@dataclass
class Positions:
    """1-based (line, col) of every key and value, by path of keys/indexes from the root."""

    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)
    start: tuple[int, int] = (1, 1)

    def of(self, path: Key, *, key: bool = False) -> tuple[int, int]:
        """Position of a path; falls back to the nearest parent that exists in the file."""
        table = self.keys if key else self.values
        for n in range(len(path), 0, -1):
            prefix = path[:n]
            if prefix in table:
                return table[prefix]
            if prefix in self.keys:
                return self.keys[prefix]
        return self.start


@dataclass
class _Walk:
    loader: Any
    file: Path
    report: Report
    first_line: int
    pos: Positions
    keep_invisible: bool = False
    ok: bool = True

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        line, col = self.mark(node)
        self.report.error(self.file, line, col, message, hint)
        self.ok = False

    def convert(self, node: yaml.Node, path: Key) -> Any:
        if len(path) >= MAX_DEPTH and isinstance(node, yaml.CollectionNode):
            raise _Unsure  # composed without `_safe_shape`, and too deep: it reports this
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                return self.bad_tag(node)
            out: dict[Any, Any] = {}
            for k_node, v_node in node.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    self.fail(k_node, "a key must be a plain name")
                    continue
                k = self.convert(k_node, path)
                if not isinstance(k, str):
                    # `1:` and `true:` are one key to Python (1 == True): names are text.
                    name = k_node.value
                    self.fail(k_node, f"key '{name}' must be a name", f"quote it: '{name}':")
                    continue
                if k == "<<" or k_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(
                        k_node, "YAML merge keys ('<<') are not supported", "write the keys out"
                    )
                    continue
                if k in out:
                    self.fail(k_node, f"duplicate key '{k}'", "remove one of the two")
                    continue
                # One tuple for both tables and the walk below: marshal writes a shared
                # object once (the parse-ahead's results, the source cache): 3 % smaller.
                sub = (*path, k)
                self.pos.keys[sub] = self.mark(k_node)
                self.pos.values[sub] = self.mark(v_node)
                out[k] = self.convert(v_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                return self.bad_tag(node)
            items = []
            for i, item in enumerate(node.value):
                sub = (*path, i)
                self.pos.values[sub] = self.mark(item)
                items.append(self.convert(item, sub))
            return items
        tag = node.tag
        if tag == _STR_TAG:
            value = node.value  # what the constructor would return, without its bookkeeping
        elif tag in _SCALAR_TAGS:
            # The scalar's constructor itself: `construct_object` around it only memoises
            # nodes for aliases, which are refused (_safe_shape).
            value = self.loader.yaml_constructors[tag](self.loader, node)
        else:
            return self.bad_tag(node)
        if not self.keep_invisible and isinstance(value, str) and (found := invisible.find(value)):
            # Written as YAML escapes ("\v", "\u202e"): the raw text had none.
            line, col = self.mark(node)
            where = ".".join(str(p) for p in path) or "value"
            message = f"{where}: removed invisible character {invisible.names(found)}"
            self.report.warn(self.file, line, col, message, invisible.HINT)
            value = invisible.remove(value)
        return value

    def bad_tag(self, node: yaml.Node) -> None:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        self.fail(
            node,
            f"YAML tag '{tag}' is not allowed",
            "remove the tag: only plain strings, numbers, true/false, lists and mappings are read",
        )
        return None


MAX_DEPTH = 40  # of nested lists and mappings; real files use 4

# Composing (libyaml's composer, in C) recurses once per level of nesting, about 300 bytes of
# stack each, unchecked: 30,000 levels overflow the main thread's stack. Hence `_safe_shape`
# reads the events first, which costs a third of a briefing's parsing. A document cannot nest
# deeper than it has indicators ('[', '{', '-', ':', '?': every list or mapping has one of its
# own), nor hold an alias without a '*': with at most SHALLOW indicators and no '*' (every
# briefing's front-matter), composing at once is safe, and the walk checks the depth.
SHALLOW = 400
_INDICATORS = "[{-:?"


class _Unsure(Exception):
    """Composed at once, the document turned out too deep, or failed: read it the slow way."""


def _shallow(text: str) -> bool:
    return "*" not in text and sum(text.count(c) for c in _INDICATORS) <= SHALLOW


def _safe_shape(text: str, file: Path, report: Report, first_line: int) -> bool:
    """Refuse aliases and deep nesting from the event stream, before anything is composed.

    An alias makes the data a graph: a dozen lines of anchors and aliases ("billion laughs")
    expand to billions of values. Composing nests recursively: 30,000 `[` overflow the C stack.
    libyaml's parser keeps its own stack, so scanning the events first is safe and cheap.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line, col = _event_at(event, first_line)
            report.error(
                file,
                line,
                col,
                f"YAML alias '*{event.anchor}' is not allowed",
                "write the value out in full: aliases and anchors are not read",
            )
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _event_at(event, first_line)
                report.error(
                    file,
                    line,
                    col,
                    f"lists and mappings nested more than {MAX_DEPTH} deep",
                    "flatten the structure",
                )
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


def _event_at(event: yaml.Event, first_line: int) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)


def load_yaml(
    text: str, file: Path, report: Report, first_line: int = 1, *, keep_invisible: bool = False
) -> tuple[Any, Positions] | None:
    """Parse one YAML document. `first_line` is the file line where `text` starts.

    Invisible characters in strings are removed with a warning, unless `keep_invisible`: a
    caller for which they are an error (a mail header's name or address) checks them itself.

    Returns (data, positions), or None after reporting every problem found.
    """
    if _shallow(text):
        mark = len(report.items)
        try:
            return _load(text, file, report, first_line, keep_invisible, scan=False)
        except _Unsure:
            report.take_since(mark)  # the path that scans first reports it all again
    return _load(text, file, report, first_line, keep_invisible, scan=True)


def _load(
    text: str, file: Path, report: Report, first_line: int, keep_invisible: bool, *, scan: bool
) -> tuple[Any, Positions] | None:
    """`load_yaml`; `scan`: `_safe_shape` first. Without it the text must be `_shallow`, and
    any problem composing it, or too deep a structure, raises `_Unsure`, so that what is
    reported (a YAML error, an alias, the depth) is what the scanning path reports."""
    pos = Positions(start=(max(first_line - 1, 1), 1))
    loader = _Loader(text)
    try:
        if scan and not _safe_shape(text, file, report, first_line):
            return None
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        if not scan:
            raise _Unsure from exc
        _yaml_error(exc, file, report, first_line)
        return None
    finally:
        loader.dispose()
    if node is None:
        return {}, pos
    walk = _Walk(loader, file, report, first_line, pos, keep_invisible)
    data = walk.convert(node, ())
    return (data, pos) if walk.ok else None


def _yaml_error(exc: yaml.YAMLError, file: Path, report: Report, first_line: int) -> None:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(file, line, col, f"invalid YAML: {problem}", "check indentation and quoting")
    else:
        report.error(file, first_line, 1, f"invalid YAML: {exc}")
