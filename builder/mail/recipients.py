"""The recipients file: a YAML list of `name`, `email`, `lang`, `regions`, optional
`organisation`, validated in full with `path:line:col` errors before anything is sent.

The file is private data (names and addresses), so it may not live where the site is made from
or published to (`content/`, the output folder). Names and organisations end up in headers and
bodies: any control character (CR and LF above all, which could start a new header) is refused
rather than cleaned, because a silently changed name is a name the editor never saw.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from builder.errors import Report, did_you_mean
from builder.load import load_yaml_file, validate
from builder.regions import Gazetteer
from builder.schema import ADDRESS_HINT, ADDRESS_RE

Text = Annotated[str, Field(min_length=1, max_length=200)]


class RecipientEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Text
    email: Text
    lang: Text
    regions: Annotated[list[Text], Field(min_length=1)]
    organisation: Text | None = None


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    lang: str
    regions: tuple[str, ...]  # as written, in file order
    organisation: str | None
    line: int  # where the entry starts, for messages

    @property
    def key(self) -> str:
        """The address as the ledger knows it: domains are case-insensitive, and in practice so
        are local parts, so 'Li@Example.org' and 'li@example.org' are one person."""
        return self.email.lower()


class UnsafeRecipientsFile(Exception):
    """The recipients file is inside a folder that is published or committed as content."""


def check_location(path: Path, private: list[Path]) -> None:
    where = path.resolve()
    for folder in private:
        if where.is_relative_to(folder.resolve()):
            raise UnsafeRecipientsFile(
                f"the recipients file {path} is inside {folder}: it holds private addresses, "
                "so keep it outside content/ and site/ (and out of git), e.g. ~/recipients.yaml"
            )


def _control(text: str) -> str | None:
    """The first control or line-separator character in `text`, as U+XXXX, else None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def load_recipients(
    path: Path, languages: Sequence[str], gazetteer: Gazetteer, report: Report
) -> list[Recipient]:
    """Every valid recipient; every problem of the file goes to `report` (check its errors
    before using the list: a partly valid file must send nothing)."""
    # Control characters in a name or address are refused below (header injection), not
    # quietly removed as in content text.
    loaded = load_yaml_file(path, report, keep_invisible=True)
    if loaded is None:
        return []
    data, pos = loaded
    if not isinstance(data, list) or not data:
        report.error(
            path,
            1,
            1,
            "expected a list of recipients",
            "each entry: '- name: ...', 'email: ...', 'lang: ...', 'regions: [...]'",
        )
        return []
    out: list[Recipient] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        entry = validate(RecipientEntry, item, pos, path, report, prefix=(i,))
        if entry is None:
            continue
        ok = True

        def fail(where: tuple[str | int, ...], message: str, hint: str = "", at: int = i) -> None:
            nonlocal ok
            line, col = pos.of((at, *where))
            report.error(path, line, col, message, hint)
            ok = False

        for field in ("name", "organisation", "email"):
            value = getattr(entry, field)
            bad = _control(value) if value else None
            if bad:
                fail(
                    (field,),
                    f"{field} holds the control character {bad}",
                    "write it on one line: line breaks and control characters are not "
                    "allowed in a name or an address",
                )
        if not ADDRESS_RE.match(entry.email) and not _control(entry.email):
            fail(("email",), f"'{entry.email}' is not a valid email address", ADDRESS_HINT)
        elif entry.email.lower() in seen:
            fail(
                ("email",),
                f"duplicate address '{entry.email}': line {seen[entry.email.lower()]} has it too",
                "list each recipient once, with all their regions",
            )
        if entry.lang not in languages:
            fail(
                ("lang",),
                f"unknown language '{entry.lang}'",
                did_you_mean(entry.lang, languages)
                or f"use one of the site's languages: {', '.join(languages)}",
            )
        for j, slug in enumerate(entry.regions):
            if slug not in gazetteer:
                fail(
                    ("regions", j),
                    f"unknown region '{slug}'",
                    did_you_mean(slug, gazetteer.regions) or "see content/regions.yaml",
                )
        if len(set(entry.regions)) != len(entry.regions):
            fail(("regions",), "a region is listed twice", "list each region once")
        line = pos.of((i,))[0]
        seen.setdefault(entry.email.lower(), pos.of((i, "email"))[0])
        if ok:
            out.append(
                Recipient(
                    entry.name,
                    entry.email,
                    entry.lang,
                    tuple(entry.regions),
                    entry.organisation,
                    line,
                )
            )
    return out
