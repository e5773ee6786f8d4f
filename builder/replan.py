"""What a save of briefings changes in the preview's page plan (incremental.py, step 3): the
groups it touches, their pages planned again in their places, and the outputs whose bytes may
differ from the last build's. The plan is the input->outputs index: a page reads its
template, the common inputs and what its plan entry names (deps.py declares the same).
"""

from __future__ import annotations

from builder import figures, urls
from builder.index import SiteModel
from builder.model import Briefing, Region
from builder.pages import Page, alternates, plan_group


def regions_filled(old: SiteModel, new: SiteModel, slugs: set[str]) -> bool:
    """Whether a region the save touched had no briefings and now has: a region has pages and a
    feed only while it has briefings (pages.py), and plan_again plans again only the groups of the
    last plan. (A region the save empties is planned again as no pages, and its feed goes.)"""
    regions = {r for kind, r in touched_groups(old, new, slugs) if kind == "region"}
    return any(not old.in_region(r) and new.in_region(r) for r in regions)


def _ids(items: object) -> list[int] | None:
    return [id(b) for b in items] if isinstance(items, tuple) else None


def touched_groups(old: SiteModel, new: SiteModel, slugs: set[str]) -> set[tuple[str, str]]:
    """The plan's groups a save may change: the saved briefings' pages, and the lists of every
    region, topic and year that held them before or holds them now."""
    out: set[tuple[str, str]] = {("briefing", slug) for slug in slugs}
    for model in (old, new):
        for slug in slugs:
            b = model.briefing(slug)
            if b is None:
                continue
            out |= {("region", r) for r in model.gazetteer[b.region].lineage}
            out |= {("topic", t) for t in b.topics}
            out.add(("year", str(b.year)))
    return out


def page_group(page: Page) -> tuple[str, ...]:
    """A page's group: its list's key for every page of a list, else its own key. A region's
    indicators view is planned with the region's list (pages.plan_group)."""
    if page.key[0] == "figures":
        return ("region", page.key[1])
    return page.key[:2] if page.key[0] in ("region", "topic", "year") else page.key


def plan_again(before: list[Page], model: SiteModel, touched: set[tuple[str, str]]) -> list[Page]:
    """`plan_pages` of the patched model: the touched groups planned again in their places,
    every other page the last plan's own (its list is the very same tuple). The saved briefings
    keep their URLs and languages, so the groups and their order are the same."""
    out: list[Page] = []
    done: set[tuple[str, tuple[str, ...]]] = set()
    for page in before:
        group = page_group(page)
        if group not in touched:
            out.append(page)
        elif (page.lang, group) not in done:
            done.add((page.lang, group))
            out += plan_group(model, page.lang, (group[0], group[1]))
    return out


def changed_outputs(
    before: list[Page],
    after: list[Page],
    old: SiteModel,
    new: SiteModel,
    slugs: set[str],
    touched: set[tuple[str, str]],
) -> set[str]:
    """The output paths of `after` whose bytes may differ from the last build's (see step 3).

    Only the touched groups' pages can: every other page keeps its plan entry, its list, its
    alternates (a group has as many pages in every language) and its counts (a count that
    changed is a touched region's, printed on its own pages and its parent's, also touched)."""
    old_alts = alternates([p for p in before if page_group(p) in touched])
    new_alts = alternates([p for p in after if page_group(p) in touched])
    prior = {p.url: p for p in before if page_group(p) in touched}
    walk = [r for r, _ in new.gazetteer.walk()]
    region_counts = {
        r.slug for r in walk if len(old.in_region(r.slug)) != len(new.in_region(r.slug))
    }
    topic_counts = any(len(old.in_topic(t)) != len(new.in_topic(t)) for t in new.topics)
    year_counts = old.years != new.years or any(
        len(old.in_year(y)) != len(new.in_year(y)) for y in new.years
    )
    home = _ids(old.briefings[:10]) != _ids(new.briefings[:10]) or bool(region_counts)
    out: set[str] = set()
    for page in after:
        kind = page.key[0]
        if page_group(page) not in touched:
            if (
                (kind == "home" and home)
                or (kind == "regions" and region_counts)
                or (kind == "topics" and topic_counts)
                or (kind == "archive" and year_counts)
            ):
                out.add(urls.output_path(page.url))
            continue
        was = prior.get(page.url)
        briefing = page.data.get("briefing")
        region = page.data.get("region")
        counted = isinstance(region, Region) and counts_changed(region.slug, new, region_counts)
        if (
            was is None
            or (was.key, was.template) != (page.key, page.template)
            or was.data.get("pager") != page.data.get("pager")
            or _ids(was.data.get("items")) != _ids(page.data.get("items"))
            or old_alts.get(page.key) != new_alts.get(page.key)
            or (isinstance(briefing, Briefing) and briefing.slug in slugs)
            or counted
        ):
            out.add(urls.output_path(page.url))
    # Feeds: the site's, and those of the regions whose lists changed, which still have
    # briefings (a region without any has no feed).
    regions = [None, *(r for r in walk if ("region", r.slug) in touched and new.in_region(r.slug))]
    for lang in new.languages:
        for region in regions:
            items_old = (old.in_region(region.slug) if region else old.briefings)[:50]
            items_new = (new.in_region(region.slug) if region else new.briefings)[:50]
            newest_old = (items_old or old.briefings[:1] or (None,))[0]
            newest_new = (items_new or new.briefings[:1] or (None,))[0]
            if _ids(items_old) != _ids(items_new) or newest_old is not newest_new:
                out.add(urls.output_path(urls.feed(lang, region)))
    # The figures downloads of the site and of each touched region (the saved briefings' regions
    # and those above them: the only files their rows are in).
    data = figures.DataFiles(new)
    for region in data.regions():
        if region is None or ("region", region.slug) in touched:
            out.update(path for path, _ in data.outputs(region))
    # The sitemap names the first page of each group and every briefing page, with alternates:
    # the same groups, URLs and languages (step 1), so it changes here only when a region's
    # indicators view comes or goes (the caller checks).
    return out


def counts_changed(slug: str, model: SiteModel, changed: set[str]) -> bool:
    """A region page prints its own count and each subregion's."""
    return slug in changed or any(c.slug in changed for c in model.gazetteer.children(slug))
