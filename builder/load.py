"""Reading content files: UTF-8 text, front-matter, YAML and schema validation with positions."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from builder import files, invisible
from builder.errors import Report, did_you_mean
from builder.yamlsrc import Positions, load_yaml

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path, report: Report, inside: Sequence[Path] = ()) -> str | None:
    """The text as UTF-8, LF line ends, no BOM; invalid UTF-8 is an error at its byte.

    Read under the rules of builder/files.py: symlinks may lead only inside the project root or
    `inside`, only regular files, at most files.TEXT_LIMIT bytes.
    """
    try:
        data = files.read_bytes(path, (report.root, *inside), files.TEXT_LIMIT)
    except files.Unreadable as exc:
        report.error(path, 1, 1, exc.message, exc.hint)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        report.error(
            path,
            line,
            col,
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _clean_body(lines: list[str], first_line: int, path: Path, report: Report) -> str:
    """The body without invisible characters, each line that had some warned about (the YAML
    reader does the same for every text field, naming the field)."""
    body = "\n".join(lines)
    if not invisible.find(body):  # one scan of the whole body, not one per line
        return body
    for n, row in enumerate(lines):
        found = invisible.find(row)
        if found:
            message = f"removed invisible character {invisible.names(found)} from the text"
            report.warn(path, first_line + n, found[0][0] + 1, message, invisible.HINT)
    return invisible.remove(body)


def text_hash(text: str) -> str:
    """Short content hash that translations record as `translated_from`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def validate(
    model: type[M],
    data: Any,
    pos: Positions,
    path: Path,
    report: Report,
    prefix: tuple[str | int, ...] = (),
    languages: list[str] | None = None,
) -> M | None:
    """Validate against a schema, reporting each problem at the key or value it concerns.

    `languages`: the site's language codes, which every localized mapping must hold exactly
    (schema.Localized)."""
    try:
        return model.model_validate(data, context={"languages": languages})
    except ValidationError as exc:
        seen: dict[tuple[Any, ...], Any] = {}
        for err in exc.errors():
            loc = _real_loc((*prefix, *err["loc"]), pos, final_missing=err["type"] == "missing")
            if loc in seen:
                # `int | float` fails once per member: one message, saying what is wanted.
                if {seen[loc]["type"], err["type"]} <= _NUMBER_ERRORS:
                    seen[loc] = {**seen[loc], "msg": "Input should be a number"}
                continue
            seen[loc] = err
        for loc, err in seen.items():
            _report_schema_error(model, err, loc, pos, path, report, languages)
        return None


_NUMBER_ERRORS = {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model that a location points into, for suggestions."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            break
        annotation = fields[part].annotation
        current = _model_in(annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _report_schema_error(
    model: type[BaseModel],
    err: Any,
    loc: tuple[Any, ...],
    pos: Positions,
    path: Path,
    report: Report,
    languages: list[str] | None = None,
) -> None:
    where = ".".join(str(p) for p in loc) or "front-matter"
    kind = err["type"]
    field_loc = tuple(p for p in loc if not isinstance(p, int))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(name, allowed) or f"allowed keys: {', '.join(allowed)}"
        line, col = pos.of(loc, key=True)
        report.error(path, line, col, f"unknown key '{name}'", hint)
        return
    if kind == "missing_language":  # a localized mapping without one of the site's languages
        loc = (*loc, err["ctx"]["language"])
        where = ".".join(str(p) for p in loc)
        kind = "missing"
    if kind == "missing":
        name = str(loc[-1])
        line, col = pos.of(loc[:-1], key=True) if len(loc) > 1 else pos.start
        report.error(path, line, col, f"missing required field '{where}'", f"add '{name}: ...'")
        return
    line, col = pos.of(loc)
    value = err.get("input")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        hint = did_you_mean(str(value), choices) or f"use one of: {', '.join(choices)}"
        report.error(path, line, col, f"{where}: '{value}' is not allowed", hint)
        return
    message = err["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind == "model_type":
        message += f", got {_type_name(value)}"
    report.error(path, line, col, f"{where}: {message}", _hint_for(kind, field_loc, languages))


def _real_loc(loc: tuple[Any, ...], pos: Positions, *, final_missing: bool) -> tuple[Any, ...]:
    """Drop union-member tags pydantic puts in `loc` ('int', 'float'): keep the file's keys."""
    kept: tuple[Any, ...] = ()
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, int) or (*kept, part) in pos.keys or (last and final_missing):
            kept = (*kept, part)
    return kept


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _hint_for(kind: str, loc: tuple[Any, ...], languages: list[str] | None = None) -> str:
    if kind == "dict_type":
        # The mappings of the content files are texts in each site language (names, units).
        each = ", ".join(f"{code}: ..." for code in languages or ())
        return f"write it once per language: {{{each}}}" if each else "write it as a mapping"
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD"
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("region", "indicator", "topics"):
        return "slugs are lowercase letters, digits and hyphens"
    if kind == "string_type":
        return "quote the value"
    return ""


@dataclass(frozen=True)
class FrontMatter:
    data: Any
    positions: Positions
    body: str
    body_line: int  # file line on which the body starts


def split_front_matter(text: str, path: Path, report: Report) -> FrontMatter | None:
    """Split `---\\nYAML\\n---\\nbody`; errors for a missing or unterminated block."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        report.error(path, 1, 1, "missing front-matter", "start the file with a line '---'")
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            break
    else:
        report.error(
            path,
            1,
            1,
            "unterminated front-matter",
            "close the block that starts here with a line '---'",
        )
        return None
    loaded = load_yaml("\n".join(lines[1:i]) + "\n", path, report, first_line=2)
    if loaded is None:
        return None
    data, pos = loaded
    if not isinstance(data, dict):
        report.error(path, 2, 1, "front-matter must be a mapping of keys to values")
        return None
    return FrontMatter(data, pos, _clean_body(lines[i + 1 :], i + 2, path, report), i + 2)


def load_yaml_file(
    path: Path, report: Report, *, keep_invisible: bool = False
) -> tuple[Any, Positions] | None:
    if not path.exists() and not path.is_symlink():
        report.error(path, 1, 1, "file not found", "create it (see README: content format)")
        return None
    text = read_text(path, report, (path.parent,))
    if text is None:
        return None
    return load_yaml(text, path, report, keep_invisible=keep_invisible)
