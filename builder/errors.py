"""Source errors: one shape for every problem in the content, one formatter.

Every stage reports problems as `SourceError`s into a `Report` instead of raising, so that a run
shows all the errors of all the files at once (the MkDocs/Zola habit), and `--strict` can promote
warnings without any stage knowing about it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

SHOWN = 3  # warnings of one kind printed in full before they are summarised


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceError:
    """A problem at a place in a source file. Lines and columns are 1-based."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class BuildFailed(Exception):
    """Raised by the pipeline when a report holds errors; carries the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


@dataclass
class Report:
    """Collects errors and warnings of one run, paths relative to the project root."""

    root: Path
    items: list[SourceError] = field(default_factory=list)
    _seen: set[SourceError] = field(default_factory=set, repr=False, compare=False)
    _resolved: Path | None = field(default=None, repr=False, compare=False)
    _prefix: str = field(default="", repr=False, compare=False)  # the resolved root's text + "/"
    # Content files that failed to load, for errors reported in them or in a catalogue they
    # name: a link to one is not reported as broken as well (links.NOT_LOADED).
    left_out: set[str] = field(default_factory=set, repr=False, compare=False)

    def rel(self, path: Path) -> str:
        root = self._root()
        # An absolute, normalised path under the root needs no resolving (the content paths the
        # stages report are); resolving costs a system call per folder, per warning. Checked
        # on the text first (a Path's text is normalised but for '..'): pathlib's relative_to
        # took a fifth of loading 20,000 briefings, 14,000 of them warned about.
        text, prefix = str(path), self._prefix
        if text.startswith(prefix) and "/../" not in text and not text.endswith("/.."):
            return text[len(prefix) :]
        if path.is_absolute() and ".." not in path.parts and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
        # The path as found first: a symlink must be named, not the file it points at.
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            try:
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def _root(self) -> Path:
        # Resolved once: a run with a thousand warnings resolved the root a thousand times.
        if self._resolved is None:
            self._resolved = self.root.resolve()
            self._prefix = os.path.join(str(self._resolved), "")  # with its final "/"
        return self._resolved

    def error(self, path: Path, line: int, col: int, message: str, hint: str = "") -> None:
        self._add(SourceError(self.rel(path), line, col, message, hint))

    def warn(self, path: Path, line: int, col: int, message: str, hint: str = "") -> None:
        self._add(SourceError(self.rel(path), line, col, message, hint, Severity.WARNING))

    def leave_out(self, path: Path) -> None:
        self.left_out.add(self.rel(path))

    def is_left_out(self, path: Path) -> bool:
        return bool(self.left_out) and self.rel(path) in self.left_out

    def extend(self, items: Iterable[SourceError]) -> None:
        """Take problems found by an earlier run (the preview keeps those of unchanged files)."""
        for item in items:
            self._add(item)

    def take_since(self, mark: int) -> list[SourceError]:
        """Remove and return the problems reported since there were `mark` of them (render_share
        adds a worker's back in page order)."""
        taken = self.items[mark:]
        del self.items[mark:]
        self._seen.difference_update(taken)
        return taken

    def _add(self, item: SourceError) -> None:
        # Stages may meet the same problem twice (a body rendered for a page and for a digest).
        # A set beside the list: `in` on the list made a run with many warnings quadratic.
        if item not in self._seen:
            self._seen.add(item)
            self.items.append(item)

    def strict(self) -> None:
        """--strict: every warning becomes an error."""
        self.items = [
            SourceError(e.path, e.line, e.col, e.message, e.hint, Severity.ERROR)
            for e in self.items
        ]
        self._seen = set(self.items)

    @property
    def errors(self) -> list[SourceError]:
        return [e for e in self.items if e.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[SourceError]:
        return [e for e in self.items if e.severity is Severity.WARNING]

    def sorted(self) -> list[SourceError]:
        # Sorting (and de-duplicating) keeps the output stable whatever order stages ran in.
        return sorted(set(self.items), key=lambda e: (e.path, e.line, e.col, e.message))

    def lines(self) -> list[str]:
        return [e.format() for e in self.sorted()]

    def summary(self, *, verbose: bool = False, shown: int = SHOWN) -> list[str]:
        """Every error in full; warnings of one kind in full up to `shown` of them, beyond that
        one line with the count and the first files (`verbose`: every warning in full).

        An archive with 1,400 untranslated briefings says so in one line, not 1,400.
        """
        items = self.sorted()
        if verbose:
            return [e.format() for e in items]
        kinds: dict[str, list[SourceError]] = {}
        for e in items:
            if e.severity is Severity.WARNING:
                kinds.setdefault(warning_kind(e.message), []).append(e)
        out = [e.format() for e in items if e.severity is Severity.ERROR]
        for kind, found in sorted(kinds.items()):
            if len(found) <= shown:
                out += [e.format() for e in found]
                continue
            files = ", ".join(e.path for e in found[:shown])
            out.append(
                f"warning: {kind}: {len(found):,} files ({files} and {len(found) - shown:,} "
                f"more; --verbose lists them all)"
            )
        return out


def warning_kind(message: str) -> str:
    """What warnings have in common: the message before any ':' with numbers and quoted names
    blanked ('stale translation', "dated # but filed under #/")."""
    head = message.split(":", 1)[0]
    return re.sub(r"'[^']*'", "'…'", re.sub(r"\d+", "#", head))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known name, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
