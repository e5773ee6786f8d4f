"""Which region of `regions.yaml` an article is about, from the names and aliases it mentions.

Names are matched in both languages; a name shared by two regions ("Taizhou" is 泰州 in Jiangsu
and 台州 in Zhejiang) is resolved by the other regions the article names (a province, a district
of one of them). The article is filed under the most specific region it is about: a district
rather than its city, and a province-wide meeting held in a city under that city. When two
regions fit equally, or none does, the match says so and the caller asks for `--region`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from builder.regions import Gazetteer

# Where a mention sits changes how much it says about the article.
_TITLE_WEIGHT, _LEAD_WEIGHT, _BODY_WEIGHT = 3, 2, 1
_UNKNOWN_PLACE = re.compile(
    r"\b(?!(?:The|This|That|Each|Every|Its|Our|One|Another|Which|A|Whole|Every)\b)"
    r"([A-Z][a-z]+) (district|county)\b"
)


@dataclass(frozen=True)
class RegionMatch:
    slug: str | None  # None when the article does not settle it
    reason: str  # one line for the summary and the draft
    candidates: tuple[str, ...] = ()  # when ambiguous: the regions that fit equally
    weights: dict[str, int] = field(default_factory=dict)  # mention weight per region
    unknown_places: tuple[str, ...] = ()  # "X district" names that are not in the gazetteer


def _names(gaz: Gazetteer) -> dict[str, set[str]]:
    """Every name and alias, mapped to the regions that carry it."""
    names: dict[str, set[str]] = defaultdict(set)
    for slug, region in gaz.regions.items():
        for name in (region.name.en, region.name.zh, *region.aliases):
            names[name.strip()].add(slug)
    return names


def _pattern(name: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", name):
        return re.escape(name)
    # Latin names as whole words, whatever the case ("Jiangsu Province", "Taizhou's").
    return r"(?<![A-Za-z])" + re.escape(name).replace(r"\ ", r"\s+") + r"(?![A-Za-z])"


def _mentions(text: str, names: dict[str, set[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """Non-overlapping mentions, the longest name winning ("Taizhou, Jiangsu" over "Taizhou")."""
    hits: list[tuple[int, int, frozenset[str]]] = []
    for name, slugs in names.items():
        for m in re.finditer(_pattern(name), text, re.IGNORECASE):
            hits.append((m.start(), m.end(), frozenset(slugs)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, frozenset[str]]] = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def match_region(gaz: Gazetteer, title: str, paragraphs: list[str]) -> RegionMatch:
    names = _names(gaz)
    parts = [(title, _TITLE_WEIGHT)]
    parts += [(p, _LEAD_WEIGHT if i == 0 else _BODY_WEIGHT) for i, p in enumerate(paragraphs)]
    found: list[tuple[frozenset[str], int]] = []
    for text, weight in parts:
        found += [(slugs, weight) for _, _, slugs in _mentions(text, names)]

    # Context: every region named without ambiguity, with all of its ancestors.
    context: set[str] = set()
    for slugs, _ in found:
        if len(slugs) == 1:
            context.update(gaz[next(iter(slugs))].lineage)
    weights: dict[str, int] = defaultdict(int)
    unresolved: dict[frozenset[str], int] = defaultdict(int)
    for slugs, weight in found:
        fitting = (
            slugs
            if len(slugs) == 1
            else frozenset(s for s in slugs if set(gaz[s].lineage[:-1]) & context)
        )
        if len(fitting) == 1:
            weights[next(iter(fitting))] += weight
        else:
            unresolved[slugs] += weight

    all_text = " ".join([title, *paragraphs])
    known = {n.lower() for n in names}
    unknown = tuple(
        sorted(
            {
                m.group(0)
                for m in _UNKNOWN_PLACE.finditer(all_text)
                if m.group(0).lower() not in known
            }
        )
    )
    if not weights:
        if unresolved:
            cands = tuple(sorted(frozenset().union(*unresolved)))
            return RegionMatch(
                None,
                f"the name fits {len(cands)} regions and nothing in the article tells which",
                cands,
                {},
                unknown,
            )
        return RegionMatch(None, "no region of regions.yaml is named", (), {}, unknown)

    # The most specific regions named: those with no named region below them.
    leaves = [s for s in weights if not any(s in gaz[o].lineage[:-1] for o in weights)]
    leaves.sort(key=lambda s: (-weights[s], s))
    best = leaves[0]
    summary = ", ".join(f"{s} ({weights[s]})" for s in sorted(weights, key=lambda s: -weights[s]))
    # A name that fits several regions and weighs as much as the best match: say so, not guess.
    for slugs, weight in unresolved.items():
        if not _clearly_ahead(weights[best], weight):
            cands = tuple(sorted(slugs))
            return RegionMatch(
                None,
                f"'{'/'.join(cands)}' cannot be told apart (mentions: {summary})",
                cands,
                dict(weights),
                unknown,
            )
    if len(leaves) > 1 and not _clearly_ahead(weights[best], weights[leaves[1]]):
        tied = tuple(s for s in leaves if not _clearly_ahead(weights[best], weights[s]))
        return RegionMatch(
            None,
            f"names {' and '.join(tied)} about equally (mentions: {summary})",
            tied,
            dict(weights),
            unknown,
        )
    return RegionMatch(best, f"mentions: {summary}", (), dict(weights), unknown)


def _clearly_ahead(first: int, second: int) -> bool:
    # Twice the weight: a title mention (3) beats a passing body mention (1), not a lead (2).
    return first >= 2 * second
