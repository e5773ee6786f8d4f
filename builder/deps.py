"""What each output reads: a signature per planned output, so unchanged outputs are not rendered.

A signature is a hash of every input an output's bytes depend on, declared per kind of page from
the page plan (pages.py):
- everything any page may read: the site config, the gazetteer, topics, indicators, the UI
  catalogs, the static assets' fingerprinted names, the digests the build links, the search flag,
  the build date and the builder's own code;
- the page's template and every template it extends, imports or includes (so a template edit
  re-renders the pages that use it, and only those);
- what the page itself shows: a briefing page its briefing and rendered body; a list page the
  listing fields of the briefings it lists and the counts it prints; a feed its entries; a
  region's indicators view and figures downloads every briefing of the region and below.

Two outputs with equal signatures have equal bytes; the test that cold, warm and incremental builds
are byte-identical (tests/test_incremental.py) holds that promise to account.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2
import jinja2.meta

from builder.index import SiteModel
from builder.model import Briefing
from builder.pages import Page


def _sha(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


# The last closures computed per templates folder, with the sources they came from: the preview
# asks on every save, and parsing every template again is most of the cost.
_CLOSURES: dict[Path, tuple[dict[str, bytes], dict[str, str]]] = {}


def template_closures(templates: Path) -> dict[str, str]:
    """For each template, a hash of its source and of every template it references, transitively.

    References come from Jinja's own parser (`extends`, `import`, `from`, `include` with constant
    names); a template with a computed reference depends on every template, to stay safe.
    """
    sources: dict[str, bytes] = {}
    for path in sorted(templates.rglob("*")):
        if path.suffix in (".html", ".xml", ".txt") and path.is_file():
            sources[path.relative_to(templates).as_posix()] = path.read_bytes()
    known = _CLOSURES.get(templates)
    if known is not None and known[0] == sources:
        return known[1]
    closures = _closures(sources)
    _CLOSURES[templates] = (sources, closures)
    return closures


def _closures(sources: dict[str, bytes]) -> dict[str, str]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    refs: dict[str, set[str] | None] = {}  # None: it may load any template
    for name in sources:
        try:
            parsed = env.parse(sources[name].decode("utf-8"))
            found = list(jinja2.meta.find_referenced_templates(parsed))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            found = [None]  # the render reports it; until then, depend on everything
        refs[name] = None if None in found else {f for f in found if f is not None}
    closures = {}
    for name in sources:
        seen, todo = {name}, [name]
        while todo:
            current = refs.get(todo.pop(), set())
            for ref in sources if current is None else current:
                if ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        closures[name] = _sha(*((n, sources.get(n, b"<missing>")) for n in sorted(seen)))
    return closures


class Signatures:
    """Signatures of one build's outputs; `common` covers what every output may read."""

    def __init__(
        self,
        model: SiteModel,
        templates: Path,
        common: Iterable[object],
        alternates: Mapping[tuple[str, ...], Mapping[str, str]],
    ) -> None:
        self.model = model
        self.alternates = alternates
        self.closures = template_closures(templates)
        self.common = _sha(
            model.config,
            model.gazetteer.regions,
            model.topics,
            model.indicators,
            *common,
        )
        self._versions: dict[str, str] = {}
        self._regions: dict[str, tuple[object, ...]] = {}
        walk = [r for r, _ in model.gazetteer.walk()]
        self.region_counts = _sha([(r.slug, len(model.in_region(r.slug))) for r in walk])
        self.topic_counts = _sha([(t, len(model.in_topic(t))) for t in model.topics])
        self.year_counts = _sha([(y, len(model.in_year(y))) for y in model.years])

    def version(self, b: Briefing) -> str:
        """A hash of what list pages, feeds and key-figure tables show of a briefing."""
        found = self._versions.get(b.slug)
        if found is None:
            texts = [
                (t.lang, t.title, t.summary, str(t.path), t.is_original, t.stale)
                for t in b.texts.values()
            ]
            shown = (b.slug, b.date, b.region, b.topics, b.source, b.figures, b.draft)
            found = _sha(shown, b.original_lang, texts)
            self._versions[b.slug] = found
        return found

    def _region(self, slug: str) -> tuple[object, ...]:
        """What every page of a region's list shows of the region besides its cards, once per
        region (a province's list has a page for every 20 of its briefings)."""
        found = self._regions.get(slug)
        if found is None:
            model = self.model
            children = model.gazetteer.children(slug)
            counts = [(c.slug, len(model.in_region(c.slug))) for c in children]
            # The link to the indicators view and downloads, shown when any briefing of the
            # region has figures, listed on this page or not; its words say whether the view
            # compares regions below (figure_views.Downloads.compares).
            figures = (model.has_figures(slug), model.has_figures_below(slug))
            found = (counts, len(model.in_region(slug)), *figures)
            self._regions[slug] = found
        return found

    def listing(self, items: Iterable[Briefing]) -> str:
        return _sha([self.version(b) for b in items])

    def page(self, page: Page, body_html: str | None = None) -> str:
        """The signature of a page; a briefing page passes its rendered body."""
        model = self.model
        kind = page.key[0]
        own: tuple[object, ...]
        if kind == "briefing":
            b = page.data["briefing"]
            own = (self.version(b), b.text(page.lang).body_line, _sha(body_html or ""))
        elif kind == "region":
            region = page.data["region"]
            items = page.data.get("items", model.in_region(region.slug))
            own = (self.listing(items), self._region(region.slug))
        elif kind == "figures":  # every figure of the region and below, with its briefing
            own = (self.listing(model.in_region(page.data["region"].slug)),)
        elif kind == "topic":
            topic = page.data["topic"]
            own = (self.listing(page.data.get("items", model.in_topic(topic.slug))),)
            own += (len(model.in_topic(topic.slug)),)
        elif kind == "year":
            year = page.data["year"]
            own = (self.listing(page.data.get("items", model.in_year(year))),)
        elif kind == "home":
            own = (self.listing(model.briefings[:10]), self.region_counts)
        elif kind == "regions":
            own = (self.region_counts,)
        elif kind == "topics":
            own = (self.topic_counts,)
        elif kind == "archive":
            own = (self.year_counts,)
        else:  # 404, search: the common inputs only
            own = ()
        return _sha(
            self.common,
            self.closures.get(page.template, ""),
            page.key,
            page.lang,
            page.url,
            sorted(page.data.get("pager", {}).items()),
            sorted(self.alternates.get(page.key, {}).items()),
            own,
        )

    def feed(self, lang: str, items: Iterable[Briefing], newest: object, where: str) -> str:
        return _sha(
            self.common,
            self.closures.get("feed.xml", ""),
            lang,
            where,
            newest,
            [self.version(b) for b in items],
        )

    def data(self, path: str, items: Iterable[Briefing]) -> str:
        """A figures download (figures.py): the figures, names and links of these briefings."""
        return _sha(self.common, path, [self.version(b) for b in items])

    def sitemap(self, entries: Iterable[object]) -> str:
        return _sha(self.common, self.closures.get("sitemap.xml", ""), list(entries))
