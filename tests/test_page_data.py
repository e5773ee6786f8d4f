"""Templates get a prepared, typed context (page_data.py, layout.py, site_data.py,
digest_data.py): no template reaches for the site model or the URL and SEO modules, the Jinja
environment does not offer them, and a template that tries fails the build at its line."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

from builder import (
    digest_data,
    figure_compare,
    figure_views,
    layout,
    page_data,
    page_parts,
    site_data,
)
from builder.assets import load_assets
from builder.errors import BuildFailed, Report
from builder.i18n import Formatter, load_translations
from builder.languages import DEFAULT_LANGUAGES
from builder.pipeline import build, load_model
from builder.templating import Renderer
from tests.conftest import BASIC, TEMPLATES, copy_site, options

FORBIDDEN = re.compile(r"\b(model|urls|seo)\s*[.\[(]")

# What each template may read besides the environment's globals: its prepared context, the
# macros it imports, and (mail) the strings mail/compose.py prepares.
CONTEXT = {
    "feed.xml": {"feed"},
    "sitemap.xml": {"sitemap"},
    "root.html": {"page"},
    "digest.html": {"digest"},
    "base.html": {"layout"},
    "_macros.html": set(),
    "_figures.html": set(),
}
SITE_PAGE = {"layout", "page"}
MACROS = {"breadcrumb", "briefing_list", "page_of", "pagination", "region_tree"}
MACROS |= {"figures_table", "kind_period", "equivalents_note", "legend", "indicator_block"}
MACROS |= {"series_head", "figures_head"}
GLOBALS = {"fmt", "gettext", "_", "ngettext"}


def _templates() -> dict[str, str]:
    return {
        p.relative_to(TEMPLATES).as_posix(): p.read_text("utf-8")
        for p in sorted(TEMPLATES.rglob("*"))
        if p.suffix in (".html", ".xml", ".txt") and "static" not in p.parts
    }


def test_no_template_names_the_model_urls_or_seo() -> None:
    found = [
        f"{name}:{n}: {line.strip()}"
        for name, source in _templates().items()
        for n, line in enumerate(source.splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert found == []


def test_the_forbidden_pattern_finds_what_it_looks_for() -> None:
    assert FORBIDDEN.search("{{ model.briefings[:10] }}")
    assert FORBIDDEN.search("{{ rel(urls.home(lang)) }}")
    assert FORBIDDEN.search("{{ seo.json_ld(x) }}")
    assert not FORBIDDEN.search("{{ page.model_year }} the model of a page")


def test_each_template_reads_only_its_context() -> None:
    """Jinja's own parser lists the names a template reads that it does not set itself."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    wrong = {}
    for name, source in _templates().items():
        if name.startswith("mail/"):
            continue  # mail/compose.py prepares plain strings; test_mail checks the messages
        read = jinja2.meta.find_undeclared_variables(env.parse(source))
        allowed = CONTEXT.get(name, SITE_PAGE) | MACROS | GLOBALS
        if read - allowed:
            wrong[name] = sorted(read - allowed)
    assert wrong == {}


def test_the_environment_offers_only_translation_and_formatting(tmp_path: Path) -> None:
    root = copy_site(BASIC, tmp_path / "p")
    report = Report(root)
    model = load_model(options(root), report)
    renderer = Renderer(model, TEMPLATES, report, load_assets(TEMPLATES, report))
    language = DEFAULT_LANGUAGES[0]
    env = renderer.environment(Formatter(language, load_translations(TEMPLATES, language, report)))
    ours = set(env.globals) - set(jinja2.Environment().globals)
    # The i18n extension installs its gettext family; everything else is a prepared context.
    assert ours == {"fmt", "gettext", "_", "ngettext", "pgettext", "npgettext"}
    assert not {"model", "urls", "seo", "site", "asset", "cards"} & set(env.globals)


def test_counts_are_written_in_the_languages_number_format(tmp_path: Path) -> None:
    """A large archive's province counts thousands of briefings and figures: `ngettext` picks
    the plural form by the number and writes it as the language writes numbers."""
    root = copy_site(BASIC, tmp_path / "p")
    report = Report(root)
    model = load_model(options(root), report)
    renderer = Renderer(model, TEMPLATES, report, load_assets(TEMPLATES, report))
    source = '{{ ngettext("%(num)d briefing", "%(num)d briefings", n) }}'
    shown = {}
    for language in DEFAULT_LANGUAGES:
        fmt = Formatter(language, load_translations(TEMPLATES, language, report))
        template = renderer.environment(fmt).from_string(source)
        shown[language.code] = [template.render(n=n) for n in (1, 2, 17802)]
    assert shown == {
        "en": ["1 briefing", "2 briefings", "17,802 briefings"],
        "zh": ["1 篇简报", "2 篇简报", "17,802 篇简报"],
    }


def test_a_template_reaching_for_the_model_fails_the_build_at_its_line(tmp_path: Path) -> None:
    root = copy_site(BASIC, tmp_path / "p")
    shutil.copytree(TEMPLATES, root / "templates")
    page = root / "templates" / "home.html"
    lines = page.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "in page.latest" in line)
    lines[at] = lines[at].replace("page.latest", "model.briefings[:10]")
    page.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(dataclasses.replace(options(root, pdf=False, search=False), cache=False))
    errors = [(Path(e.path).name, e.line, e.message) for e in failed.value.report.errors]
    assert errors == [("home.html", at + 1, "template error: 'model' is undefined")]
    assert not (root / "site").exists()


def test_contexts_are_frozen_dataclasses() -> None:
    """Prepared data stays as prepared: a template (or a later stage) cannot change it."""
    classes = [
        obj
        for module in (
            page_data,
            page_parts,
            layout,
            site_data,
            digest_data,
            figure_views,
            figure_compare,
        )
        for obj in vars(module).values()
        if isinstance(obj, type)
        and obj.__module__ == module.__name__
        # the build's shared cache and the helper that fills records: never in a context
        and obj not in (figure_views.Memo, figure_views.PageFigures)
    ]
    assert len(classes) > 20
    for cls in classes:
        assert dataclasses.is_dataclass(cls), cls
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
