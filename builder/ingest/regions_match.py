"""Which region an article is about, matched against every division of China.

Every place named is looked up in the national list of divisions (`divisions.py`) and in
`regions.yaml`. A romanised name two places share ("Suzhou": 苏州 in Jiangsu, 宿州 in Anhui) is
told apart by a place named next to it ("Suzhou in northern Anhui", "浙江省台州市"), else by how
the article resolved the same name elsewhere, else by the other places it names. The article
belongs to the most specific place it is about (a district rather than its city; a provincial
meeting held in a city to the city). When that place is not in `regions.yaml`, or two places
fit equally, the match says so and the caller asks for `--region`: it never files an article
under a namesake.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from builder.ingest.divisions import divisions, english, lineage, names
from builder.ingest.names import han_name, latin_name
from builder.regions import Gazetteer

# Where a mention sits changes how much it says about the article.
_TITLE_WEIGHT, _LEAD_WEIGHT, _BODY_WEIGHT = 3, 2, 1
_NEAR = 45  # characters: "Taizhou, a coastal city in Zhejiang province" is one mention
_GENERIC = {"city", "district", "county", "province", "prefecture", "region", "municipality"}
_WORD = re.compile(r"[A-Za-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MAX_ZH = 12


@dataclass(frozen=True)
class RegionMatch:
    slug: str | None  # None when the article does not settle it
    reason: str  # one line for the summary and the draft
    candidates: tuple[str, ...] = ()  # when ambiguous: the regions (or places) that fit equally
    weights: dict[str, int] = field(default_factory=dict)  # mention weight per place
    missing: str | None = None  # the place the article is about, when regions.yaml lacks it


@dataclass(frozen=True)
class _Places:
    """Names → places (division codes, or `yaml:slug` for regions the national list lacks)."""

    zh: dict[str, frozenset[str]]
    latin: dict[str, frozenset[str]]
    parent: dict[str, str | None]
    slug: dict[str, str]  # place → regions.yaml slug


def _latin_key(name: str) -> str:
    words = name.split()
    return " ".join([words[0], *(w.lower() if w.lower() in _GENERIC else w for w in words[1:])])


@functools.cache
def _national() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    zh: dict[str, set[str]] = defaultdict(set)
    latin: dict[str, set[str]] = defaultdict(set)
    for code, div in divisions().items():
        for name in names(div):
            if _HAN.search(name):
                zh[name].add(code)
            else:
                latin[_latin_key(name)].add(code)
    return (
        {k: frozenset(v) for k, v in zh.items()},
        {k: frozenset(v) for k, v in latin.items()},
    )


def _code_of(gaz: Gazetteer, slug: str, memo: dict[str, str]) -> str:
    """The national division a region of regions.yaml is, by its Chinese name under its parent."""
    if slug in memo:
        return memo[slug]
    region = gaz[slug]
    parent = _code_of(gaz, region.parent, memo) if region.parent else None
    table = divisions()
    found = [
        c
        for c, d in table.items()
        if d.zh == han_name(region.name) and (parent is None or parent in lineage(c)[:-1])
    ]
    memo[slug] = found[0] if len(found) == 1 else f"yaml:{slug}"
    return memo[slug]


def _places(gaz: Gazetteer) -> _Places:
    # Built once per set of regions, not once per article.
    key = tuple(
        (slug, latin_name(r.name), han_name(r.name), r.parent, tuple(r.aliases))
        for slug, r in gaz.regions.items()
    )
    if key not in _BUILT:
        _BUILT.clear()  # one site's regions at a time
        _BUILT[key] = _build_places(gaz)
    return _BUILT[key]


_BUILT: dict[tuple[object, ...], _Places] = {}


def _build_places(gaz: Gazetteer) -> _Places:
    zh_nat, latin_nat = _national()
    zh = {k: set(v) for k, v in zh_nat.items()}
    latin = {k: set(v) for k, v in latin_nat.items()}
    table = divisions()
    parent: dict[str, str | None] = {c: d.parent for c, d in table.items()}
    memo: dict[str, str] = {}
    slug_of: dict[str, str] = {}
    for slug in gaz.regions:
        code = _code_of(gaz, slug, memo)
        slug_of[code] = slug
        region = gaz[slug]
        if code.startswith("yaml:"):
            parent[code] = _code_of(gaz, region.parent, memo) if region.parent else None
        for alias in (latin_name(region.name), han_name(region.name), *region.aliases):
            alias = alias.strip()
            if _HAN.search(alias):
                zh.setdefault(alias, set())
                # A national name keeps its national meaning: "泰州" is 泰州市 whatever the alias.
                if not zh_nat.get(alias):
                    zh[alias].add(code)
            else:
                key = _latin_key(alias.replace(",", " ").strip())
                words = key.split()
                # "Taizhou city" is a name two cities share, not a Jiangsu alias: leave such
                # names to the national list, which knows both.
                if latin_nat.get(key) or (
                    words[-1] in _GENERIC and latin_nat.get(" ".join(words[:-1]))
                ):
                    continue
                if "," in alias:
                    continue  # "Taizhou, Jiangsu": the name next to a province, resolved below
                latin.setdefault(key, set()).add(code)
    return _Places(
        {k: frozenset(v) for k, v in zh.items() if v},
        {k: frozenset(v) for k, v in latin.items() if v},
        parent,
        slug_of,
    )


@dataclass
class _Mention:
    part: int
    start: int
    end: int
    places: frozenset[str]
    weight: int
    place: str | None = None  # resolved


def _find(text: str, places: _Places) -> list[tuple[int, int, frozenset[str]]]:
    """Mentions in the text, the longest name winning at each position."""
    hits: list[tuple[int, int, frozenset[str]]] = []
    i = 0
    while i < len(text):
        if _HAN.match(text[i]):
            for n in range(min(_MAX_ZH, len(text) - i), 1, -1):
                found = places.zh.get(text[i : i + n])
                if found:
                    hits.append((i, i + n, found))
                    i += n
                    break
            else:
                i += 1
            continue
        i += 1
    words = list(_WORD.finditer(text))
    j = 0
    while j < len(words):
        for n in (3, 2, 1):
            group = words[j : j + n]
            if len(group) < n or any(
                text[a.end() : b.start()] != " " for a, b in itertools.pairwise(group)
            ):
                continue
            texts = [w.group(0) for w in group]
            if texts[0].isupper() and len(texts[0]) > 2:
                texts[0] = texts[0].capitalize()  # datelines: "TAIZHOU, Zhejiang"
            found = places.latin.get(_latin_key(" ".join(texts)))
            if found:
                hits.append((group[0].start(), group[-1].end(), found))
                j += n
                break
        else:
            j += 1
    return sorted(hits)


def _family(place: str, places: _Places) -> set[str]:
    """The place's ancestors and the place itself."""
    chain = {place}
    p = places.parent.get(place)
    while p is not None:
        chain.add(p)
        p = places.parent.get(p)
    return chain


def _related(a: str, b: str, places: _Places) -> bool:
    return a in _family(b, places) or b in _family(a, places)


def _resolve(mentions: list[_Mention], places: _Places) -> None:
    for m in mentions:
        if len(m.places) == 1:
            m.place = next(iter(m.places))
    # 1. A place named next to the name ("Suzhou in northern Anhui", "浙江省台州市").
    for m in mentions:
        if m.place is not None:
            continue
        near = [
            o.place
            for o in mentions
            if o is not m
            and o.part == m.part
            and o.place is not None
            and (0 <= m.start - o.end <= _NEAR or 0 <= o.start - m.end <= _NEAR)
        ]
        fits = {c for c in m.places if any(_related(c, n, places) for n in near)}
        if len(fits) == 1:
            m.place = fits.pop()
    # 2. The same name elsewhere in the article, resolved by its neighbours.
    for m in mentions:
        if m.place is None:
            seen: dict[str, int] = defaultdict(int)
            for o in mentions:
                if o.places == m.places and o.place is not None:
                    seen[o.place] += o.weight
            if seen:
                m.place = max(sorted(seen), key=lambda c: seen[c])
    # 3. The other places the article names: a province or district of one candidate only.
    named = {m.place for m in mentions if m.place is not None}
    for m in mentions:
        if m.place is None:
            fits = {c for c in m.places if any(_related(c, n, places) for n in named)}
            if len(fits) == 1:
                m.place = fits.pop()


def yaml_places(gaz: Gazetteer) -> dict[str, str]:
    """The national division each region of regions.yaml is (code → slug)."""
    return dict(_places(gaz).slug)


def _label(place: str, places: _Places) -> str:
    if place in places.slug:
        return places.slug[place]
    return english(place)


def match_region(gaz: Gazetteer, title: str, paragraphs: list[str]) -> RegionMatch:
    places = _places(gaz)
    parts = [(title, _TITLE_WEIGHT)]
    parts += [(p, _LEAD_WEIGHT if i == 0 else _BODY_WEIGHT) for i, p in enumerate(paragraphs)]
    mentions = [
        _Mention(i, s, e, found, weight)
        for i, (text, weight) in enumerate(parts)
        for s, e, found in _find(text, places)
    ]
    _resolve(mentions, places)
    weights: dict[str, int] = defaultdict(int)
    unresolved: dict[frozenset[str], int] = defaultdict(int)
    for m in mentions:
        if m.place is not None:
            weights[m.place] += m.weight
        else:
            unresolved[m.places] += m.weight
    labels = {p: _label(p, places) for p in weights}
    summary = ", ".join(
        f"{labels[p]} ({weights[p]})" for p in sorted(weights, key=lambda p: (-weights[p], p))
    )
    if not weights:
        if unresolved:
            cands = tuple(sorted({_label(p, places) for s in unresolved for p in s}))
            return RegionMatch(
                None, f"the name fits {len(cands)} places and nothing tells which", cands
            )
        return RegionMatch(None, "no place in China is named")

    # The most specific places the article is about: a place named below another one takes
    # its place when it is named at least half as much ("Jiangyan district of Taizhou"), not
    # when it is a passing mention ("the city's Xiuzhou district").
    leaves = [
        p
        for p in weights
        if not any(p in _family(o, places) - {o} and 2 * weights[o] >= weights[p] for o in weights)
    ]
    leaves.sort(key=lambda p: (-weights[p], p))
    best = leaves[0]
    named = {labels[p]: w for p, w in weights.items()}
    for slugs, weight in unresolved.items():
        if not _clearly_ahead(weights[best], weight):
            cands = tuple(sorted(_label(p, places) for p in slugs))
            return RegionMatch(
                None,
                f"'{' / '.join(cands)}' cannot be told apart (mentions: {summary})",
                cands,
                named,
            )
    if len(leaves) > 1 and not _clearly_ahead(weights[best], weights[leaves[1]]):
        tied = tuple(labels[p] for p in leaves if not _clearly_ahead(weights[best], weights[p]))
        return RegionMatch(
            None, f"names {' and '.join(tied)} about equally (mentions: {summary})", tied, named
        )
    if best not in places.slug:
        return RegionMatch(
            None,
            f"the article is about {english(best)}, which regions.yaml lacks (mentions: {summary})",
            (),
            named,
            best,
        )
    return RegionMatch(places.slug[best], f"mentions: {summary}", (), named)


def _clearly_ahead(first: int, second: int) -> bool:
    # Twice the weight: a title mention (3) beats a passing body mention (1), not a lead (2).
    return first >= 2 * second
