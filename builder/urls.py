"""The only place that knows output paths and URLs (docs/architecture.md, "URLs and output paths").

URLs here are site-absolute paths ('/en/briefings/2024/x/'); `absolute()` adds the base URL for
feeds, sitemaps and canonical links. Directory URLs are written as `<dir>/index.html`.
"""

from __future__ import annotations

import functools
import posixpath

from builder.model import Briefing, Region


def home(lang: str) -> str:
    return f"/{lang}/"


def briefing(lang: str, b: Briefing) -> str:
    return f"/{lang}/briefings/{b.year}/{b.slug}/"


def region(lang: str, r: Region) -> str:
    return f"/{lang}/regions/{'/'.join(r.lineage)}/"


def region_figures(lang: str, r: Region) -> str:
    """The region's indicators view: its own figures, charted, and the regions below compared."""
    return f"{region(lang, r)}figures/"


def figures_data(r: Region | None, ext: str) -> str:
    """A figures download (`ext` csv or json), one per region and one for the site. Its
    contents are the same in every language, so it sits outside the language folders."""
    return f"/data/figures.{ext}" if r is None else f"/data/{r.slug}/figures.{ext}"


def regions_index(lang: str) -> str:
    return f"/{lang}/regions/"


def topic(lang: str, slug: str) -> str:
    return f"/{lang}/topics/{slug}/"


def topics_index(lang: str) -> str:
    return f"/{lang}/topics/"


def archive(lang: str, year: int) -> str:
    return f"/{lang}/archive/{year}/"


def archive_index(lang: str) -> str:
    return f"/{lang}/archive/"


def feed(lang: str, r: Region | None = None) -> str:
    return f"{region(lang, r)}feed.xml" if r else f"/{lang}/feed.xml"


def paged(first: str, number: int) -> str:
    """Page `number` of a paginated list whose first page is at `first` (a folder URL).

    Page 1 keeps the list's own URL, so links to a region, topic or year never change; later
    pages are `<list>/page/<n>/`, numbered from the newest, as readers
    expect (a new briefing shifts every card down one place, as it does in any feed).
    """
    return first if number == 1 else f"{first}page/{number}/"


def search(lang: str) -> str:
    return f"/{lang}/search/"


def not_found(lang: str) -> str:
    return f"/{lang}/404.html"


def digest(lang: str, r: Region) -> str:
    return f"/digests/{lang}/{r.slug}.pdf"


def static(name: str) -> str:
    return f"/static/{name}"


SITEMAP = "/sitemap.xml"
ROOT = "/"


def output_path(url: str) -> str:
    """The file under the output folder that serves `url`."""
    path = url.lstrip("/")
    return posixpath.join(path, "index.html") if url.endswith("/") else path


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + url


def relative(from_url: str, to_url: str) -> str:
    """A relative link, so the built site also reads from disk (file://) and under any prefix.

    Both URLs are site-absolute and normalised, so plain segment arithmetic suffices (it is on
    the hot path: every link of every page, 130,000 calls at 2,000 briefings).
    """
    up = _folders(from_url)
    down = _segments(to_url)
    common = 0
    while common < len(up) and common < len(down) - 1 and up[common] == down[common]:
        common += 1
    return "../" * (len(up) - common) + "/".join(down[common:])


@functools.lru_cache(maxsize=4096)
def _folders(url: str) -> tuple[str, ...]:
    """The folders a page's URL stands in (a page links from them many times)."""
    folder = url if url.endswith("/") else posixpath.dirname(url) + "/"
    return tuple(folder.strip("/").split("/")) if folder != "/" else ()


@functools.lru_cache(maxsize=65536)
def _segments(url: str) -> tuple[str, ...]:
    """The segments of the file that serves a URL (the same few hundred targets: navigation,
    regions, topics, assets)."""
    return tuple(output_path(url).split("/"))
