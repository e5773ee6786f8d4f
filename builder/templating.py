"""The Jinja side of rendering: the renderer's settings, an environment per language with its
catalog and formatter, the loader that reads templates under the project's file rules, and
template failures carrying the template file and line they happened at.

render_html.py renders the site with them; digests.py and mail/ render their own templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.nodes
from jinja2.loaders import split_template_path
from markupsafe import Markup

from builder import figure_views, files
from builder.assets import Assets
from builder.errors import Report
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.template_output import OutputCodeGenerator
from builder.version import code_version

if TYPE_CHECKING:
    from builder.buildcache import SourceCache


class Environment(jinja2.Environment):
    code_generator_class = OutputCodeGenerator


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept between runs, valid for one version of the builder: the
    code compiled from a template depends on the code generator (template_output.py), not only
    on the template's source, which is all Jinja's own check compares."""

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256((code_version() + source).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Renderer:
    model: SiteModel
    templates: Path
    report: Report
    assets: Assets
    search: bool = False
    # (lang, region slug) -> output path of the PDF digests this build makes, for their links
    digests: Mapping[tuple[str, str], str] | None = None
    content: Path | None = None  # where body images may come from (images.py)
    # (lang, region slug) -> (period label, output path) of its earlier periods' digests
    earlier: Mapping[tuple[str, str], Sequence[tuple[str, str]]] | None = None
    sources: SourceCache | None = None  # rendered bodies of earlier builds
    bytecode: Path | None = None  # Jinja's compiled templates, kept between runs
    # Body images the pages use: output path -> bytes, filled while rendering.
    image_files: dict[str, bytes] = field(default_factory=dict)
    # What each language's figure tables and charts share (figure_views.Memo), by language.
    figure_memos: dict[str, figure_views.Memo] = field(default_factory=dict)

    def environment(self, fmt: Formatter) -> jinja2.Environment:
        if self.bytecode is not None:
            self.bytecode.mkdir(parents=True, exist_ok=True)
        env = Environment(
            loader=ProjectLoader(self.templates, (self.report.root, self.templates)),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates do not change during a build (the preview makes new environments for
            # each): no stat of the template file on each of the 12,000 lookups of a build.
            auto_reload=False,
            bytecode_cache=CompiledTemplates(str(self.bytecode)) if self.bytecode else None,
        )
        env.install_gettext_translations(fmt.translations, newstyle=True)  # type: ignore[attr-defined]
        fast = _gettext(fmt.translations.gettext)
        # The whole environment: translation and formatting (presentation). Everything else a
        # template shows comes prepared in its context (page_data.py, layout.py, site_data.py,
        # digest_data.py); no module or site model to compute in (tests/test_page_data.py).
        counted = _ngettext(fmt.translations.ngettext, fmt.number)
        env.globals.update(gettext=fast, _=fast, ngettext=counted, fmt=fmt)
        return env


def _gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style `gettext` (autoescaped, always %-formatted), remembering translations.

    Templates call it a quarter of a million times on 2,000 briefings, mostly for the same few
    dozen strings and mostly without variables; Jinja's own goes through `_` → `gettext` → the
    catalog, a context call each, and %-formats every time. Here a string without variables is
    translated and formatted once per environment and autoescape setting (the result is an
    immutable str or Markup, so one object serves every page).
    """
    known: dict[tuple[str, bool], str] = {}  # translated: Markup when autoescaping
    alone: dict[tuple[str, bool], str] = {}  # translated and formatted without variables

    # The evaluation context is all it reads: Jinja passes it without deriving a context.
    @jinja2.pass_eval_context
    def gettext(eval_ctx: jinja2.nodes.EvalContext, string: str, **variables: Any) -> str:
        key = (string, eval_ctx.autoescape)
        if not variables:
            done = alone.get(key)
            if done is not None:
                return done
        found = known.get(key)
        if found is None:
            found = known[key] = Markup(translate(string)) if key[1] else translate(string)
        rv = found % variables
        if not variables:
            alone[key] = rv
        return rv

    return gettext


def _ngettext(
    select: Callable[[str, str, int], str], number: Callable[[int], str]
) -> Callable[..., str]:
    """Jinja's new-style `ngettext`, with the count in the language's number format.

    The catalogs write a count as `%(num)d` (the form Babel's extraction and plural checks
    know), which prints 17802; a reader of a large archive's province sees "17,802 figures".
    The plural form is chosen by the number itself, then `%(num)d` takes its formatted text.
    """

    @jinja2.pass_eval_context
    def ngettext(
        eval_ctx: jinja2.nodes.EvalContext, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        text = select(singular, plural, num).replace("%(num)d", "%(num)s")
        variables.setdefault("num", number(num))
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return ngettext


def environments(renderer: Renderer) -> dict[str, jinja2.Environment]:
    """A Jinja environment per language, in the site's order, each with its catalog."""
    envs = {}
    for language in renderer.model.config.languages:
        lang = language.code
        fmt = Formatter(language, load_translations(renderer.templates, language, renderer.report))
        envs[lang] = renderer.environment(fmt)
        renderer.figure_memos[lang] = figure_views.Memo()
    return envs


class ProjectLoader(jinja2.BaseLoader):
    """Templates from one folder, read under the project's file rules (builder/files.py)."""

    def __init__(self, folder: Path, inside: tuple[Path, ...]) -> None:
        self.folder = folder
        self.inside = inside

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            source = files.read_bytes(path, self.inside, files.TEXT_LIMIT).decode("utf-8")
        except files.Unreadable as exc:
            raise jinja2.TemplateError(f"{template}: {exc.message}") from None
        except UnicodeDecodeError as exc:
            raise jinja2.TemplateError(f"{template}: invalid UTF-8 ({exc.reason})") from None
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


class TemplateFailed(Exception):
    """A template could not be loaded or rendered; carries its position."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


def render_template(env: jinja2.Environment, name: str, **context: Any) -> bytes:
    try:
        return env.get_template(name).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailed(exc.filename or name, exc.lineno, exc.message or str(exc)) from exc
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc, name)
        raise TemplateFailed(path, line, str(exc)) from exc


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line in a rendering traceback (Jinja keeps them there)."""
    found = (name, 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
