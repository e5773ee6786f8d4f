"""Digest HTML → PDF bytes with WeasyPrint: a restricted URL fetcher, log capture, font checks.

This module runs inside a digest worker process (see `digest_pool.py`); it takes plain data and
returns plain data so that both cross the process boundary. WeasyPrint reports problems only
through its logger ("weasyprint"), never by raising, so the log is captured during each render
and sorted into errors and warnings following the project's logging policy:

- a `.notdef` glyph (a character no font can draw) is an error, because the PDF would show empty
  boxes while `pdftotext` still extracts the right text and nobody would notice;
- text set in a font other than the digest's own (`builder/fonts.py`: fontconfig fell back to
  whatever the machine has) is an error too: the PDF would depend on the machine;
- a resource the fetcher refused (network, a file outside the project) is an error;
- WeasyPrint's own errors (unreadable images, …) are errors; its warnings are build warnings.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_UA = "pdf/ua-1"


@dataclass(frozen=True)
class Problem:
    """A problem found while rendering one digest; `error` False means a warning."""

    message: str
    hint: str = ""
    error: bool = True
    url: str = ""  # the resource it concerns, when one


@dataclass(frozen=True)
class PdfJob:
    """Everything a worker needs to render one digest. Plain data: it is sent to a process."""

    name: str  # the digest's output path, for messages: 'digests/zh/jiangyan.pdf'
    html: str
    base_url: str  # a file:// URL inside the templates folder; relative URLs resolve against it
    allowed: tuple[str, ...]  # folders whose files the document may load
    identifier: bytes  # the PDF /ID: derived from the inputs, so builds are reproducible
    pdf_ua: bool = True
    font_css: str = ""  # @font-face rules of the digest fonts (fonts.face_css)
    font_files: tuple[str, ...] = ()  # their files: what a missing character is looked up in
    families: tuple[str, ...] = ()  # the only families text may be set in; () allows any


@dataclass(frozen=True)
class PdfResult:
    name: str
    pdf: bytes | None  # None when an error stopped it
    pages: int = 0
    problems: tuple[Problem, ...] = field(default=())
    peak_rss: int = 0  # bytes: the worker's peak resident memory (0 from the cache)

    @property
    def ok(self) -> bool:
        return self.pdf is not None and not any(p.error for p in self.problems)


class ProjectFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Loads `data:` URLs and files under the allowed folders; refuses everything else.

    No network, no `file://` outside the project (symlinks are resolved first, so a link inside
    content/ pointing at /etc cannot escape), and no redirects, since nothing is fetched that
    could redirect.
    """

    def __init__(self, allowed: Sequence[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed = [p.resolve() for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self.allowed):
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused by the digest URL fetcher: {url}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_log() -> Iterator[_Collect]:
    """WeasyPrint's log during one render, kept out of stderr: we report it ourselves."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def render_pdf(job: PdfJob) -> PdfResult:
    """Render one digest. Never raises for a problem in the document: it is in the result."""
    # WeasyPrint copies each @font-face font into a mkdtemp folder (21 MB with the CJK fonts)
    # that it deletes only when the font configuration is collected, which may be never: the
    # copies go into a folder of our own, deleted when the render is done. (The pool gives each
    # worker a scratch folder too, for a worker killed mid-render.)
    previous = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="briefings-render-", dir=previous) as scratch:
        tempfile.tempdir = scratch
        try:
            return _render(job)
        finally:
            tempfile.tempdir = previous


def _render(job: PdfJob) -> PdfResult:
    allowed = [Path(p) for p in job.allowed]
    fetcher = ProjectFetcher(allowed)
    # One FontConfiguration for the stylesheets and write_pdf(): WeasyPrint requires it, or
    # @font-face rules would be resolved against a different set of fonts than the layout uses.
    fonts = FontConfiguration()
    with _captured_log() as log:
        sheets = []
        if job.font_css:
            sheets.append(
                weasyprint.CSS(
                    string=job.font_css,
                    base_url=job.base_url,
                    url_fetcher=fetcher,
                    font_config=fonts,
                )
            )
        document = weasyprint.HTML(
            string=job.html, base_url=job.base_url, url_fetcher=fetcher
        ).render(stylesheets=sheets, font_config=fonts, pdf_variant=PDF_UA if job.pdf_ua else None)
        out = io.BytesIO()
        document.write_pdf(
            out,
            pdf_identifier=job.identifier,
            pdf_variant=PDF_UA if job.pdf_ua else None,
        )
    problems = _classify(log.records, fetcher.refused, job.font_files)
    # Document.fonts: the fonts the layout used (WeasyPrint >= 62, as pyproject requires)
    used = sorted({str(f.family) for f in getattr(document, "fonts", {}).values()})
    foreign = [f for f in used if job.families and f not in job.families]
    if foreign:
        problems.append(
            Problem(
                f"text was set in the machine's font {', '.join(map(repr, foreign))} instead of "
                f"the digest fonts ({', '.join(job.families)}): they lack some of its characters",
                "check the text for unusual characters, or add a font that has them to "
                "builder/fonts.py",
            )
        )
    if any(p.error for p in problems):
        return PdfResult(job.name, None, len(document.pages), tuple(problems))
    return PdfResult(job.name, out.getvalue(), len(document.pages), tuple(problems))


def _classify(
    records: list[logging.LogRecord], refused: list[str], font_files: Sequence[str] = ()
) -> list[Problem]:
    problems: list[Problem] = []
    notdef = [r for r in records if ".notdef glyph" in r.getMessage()]
    if notdef:
        problems.append(_notdef(notdef, font_files))
    for url in dict.fromkeys(refused):
        problems.append(
            Problem(
                f"refused to load {url}",
                "a digest may load only files under templates/ or content/, and data: images",
            )
        )
    for r in records:
        text = r.getMessage()
        if ".notdef glyph" in text or any(u in text for u in refused):
            continue
        image = _IMAGE_FAILED.match(text)
        if image:
            # WeasyPrint often gives no reason (a damaged file): say what it means.
            reason = (
                image["reason"] or ""
            ).strip() or "the file is damaged or not an image it can read"
            problems.append(
                Problem(
                    f"cannot load image {image['url']} into the digest: {reason}",
                    "replace it with a valid PNG, JPEG, GIF or WebP file",
                    url=image["url"],
                )
            )
            continue
        problems.append(Problem(f"WeasyPrint: {text}", error=r.levelno >= logging.ERROR))
    return problems


_IMAGE_FAILED = re.compile(r"^Failed to load image at '(?P<url>[^']*)'(?:: (?P<reason>.*))?$", re.S)


def _notdef(records: list[logging.LogRecord], font_files: Sequence[str]) -> Problem:
    """Say which characters, and why: not in the digest fonts, or the fonts were not loaded.

    The hint depends on the cause: telling someone to install a font they have is no help when
    the character is simply missing from it.
    """
    chars = "".join(dict.fromkeys(_notdef_char(r) for r in records))
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars[:8])
    shown += " …" if len(chars) > 8 else ""
    message = f"characters no font can draw: {shown}; the PDF would show empty boxes"
    if not font_files:
        return Problem(message, "check `fc-list :lang=zh family`, or remove the characters")
    from builder.fonts import missing_from_fonts

    absent = missing_from_fonts(chars, [Path(f) for f in font_files])
    if absent == chars:
        names = ", ".join(Path(f).stem for f in font_files)
        return Problem(
            message,
            f"none of the digest fonts ({names}) has them: replace them (a private-use or "
            "rare variant character?) or add a font that has them to builder/fonts.py",
        )
    return Problem(
        message,
        "the digest fonts have these characters but were not used: "
        "check that the @font-face rules loaded (the font files in .cache/fonts)",
    )


def _notdef_char(record: logging.LogRecord) -> str:
    # WeasyPrint: '.notdef glyph rendered for Unicode string unsupported by fonts: "x" (U+0078)'
    args = record.args
    if isinstance(args, tuple) and args and isinstance(args[0], str):
        return args[0]
    return "?"


def engine_version() -> str:
    """Versions of the rendering libraries: a different WeasyPrint may lay pages out differently."""
    return f"weasyprint {weasyprint.__version__}; pydyf {pydyf.__version__}"
