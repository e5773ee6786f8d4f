"""The gazetteer: provinces, cities, districts and counties as a tree, with names per language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.config import load_catalog
from builder.errors import Report, did_you_mean
from builder.model import Region
from builder.schema import RegionEntry

# Which levels may sit directly under which (a county-level city may hang under a province too).
_PARENT_LEVELS = {
    "province": (),
    "city": ("province",),
    "district": ("city",),
    "county": ("city", "province"),
}


@dataclass(frozen=True)
class Gazetteer:
    regions: dict[str, Region]
    # Regions with an invalid entry, or below one: reported once in regions.yaml, and a
    # briefing about one is left out without an error of its own (config.Catalog).
    rejected: frozenset[str] = frozenset()
    # Indexes made once from `regions` (they were walks over every region, per call: quadratic
    # in a build that asks for each region's children, and run on every region page).
    _children: dict[str | None, tuple[Region, ...]] = field(init=False, repr=False, compare=False)
    _walk: tuple[tuple[Region, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str | None, list[Region]] = {}
        for r in self.regions.values():  # `regions` is in tree order: children keep it
            children.setdefault(r.parent, []).append(r)
        frozen = {k: tuple(v) for k, v in children.items()}
        order: list[tuple[Region, int]] = []
        stack = [(r, 0) for r in reversed(frozen.get(None, ()))]
        while stack:
            region, depth = stack.pop()
            order.append((region, depth))
            stack.extend((c, depth + 1) for c in reversed(frozen.get(region.slug, ())))
        object.__setattr__(self, "_children", frozen)
        object.__setattr__(self, "_walk", tuple(order))

    def __contains__(self, slug: object) -> bool:
        return slug in self.regions

    def __getitem__(self, slug: str) -> Region:
        return self.regions[slug]

    def children(self, slug: str | None) -> list[Region]:
        return list(self._children.get(slug, ()))

    def roots(self) -> list[Region]:
        return self.children(None)

    def ancestors(self, slug: str) -> list[Region]:
        """From the province down to the region itself."""
        return [self.regions[s] for s in self.regions[slug].lineage]

    def walk(self) -> Iterator[tuple[Region, int]]:
        """Depth-first, each region with its depth: the order of the region tree."""
        return iter(self._walk)

    def descendants(self, slug: str) -> set[str]:
        """The region and every region below it."""
        if slug not in self.regions:
            return set()
        found = {slug}
        stack = [slug]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                found.add(child.slug)
                stack.append(child.slug)
        return found


def load_gazetteer(content: Path, report: Report, languages: list[str] | None = None) -> Gazetteer:
    path = content / "regions.yaml"
    entries, pos = load_catalog(path, RegionEntry, report, languages)
    lineages: dict[str, tuple[str, ...]] = {}
    rejected = set(entries.rejected)
    for slug, entry in entries.items():
        chain = [slug]
        current = entry
        ok = True
        while current.parent is not None:
            parent = current.parent
            line, col = pos.of((chain[-1], "parent"))
            if parent in entries.rejected:
                # Under an invalid entry: its error says what to fix; one error, not one per
                # region below it.
                rejected.add(slug)
                ok = False
                break
            if parent not in entries:
                report.error(
                    path,
                    line,
                    col,
                    f"unknown parent region '{parent}'",
                    did_you_mean(parent, entries) or "add it to regions.yaml",
                )
                ok = False
                break
            if parent in chain:
                report.error(path, line, col, f"region '{chain[-1]}' is its own ancestor")
                ok = False
                break
            if entries[parent].level not in _PARENT_LEVELS[current.level]:
                report.error(
                    path,
                    line,
                    col,
                    f"a {current.level} cannot sit under a {entries[parent].level}",
                    f"parents of a {current.level}: {', '.join(_PARENT_LEVELS[current.level])}",
                )
                ok = False
                break
            chain.append(parent)
            current = entries[parent]
        if ok and current.level != "province":
            line, col = pos.of((chain[-1], "level"))
            report.error(path, line, col, f"region '{chain[-1]}' has no parent", "add 'parent:'")
            ok = False
        if ok and chain[0] == slug:
            lineages[slug] = tuple(reversed(chain))
    # Sort by the default language's name so the region tree reads alphabetically and never
    # depends on file order.
    default = languages[0] if languages else ""
    ordered = sorted(lineages, key=lambda s: (entries[s].name.get(default), s))
    regions = {
        s: Region(
            s,
            entries[s].name,
            entries[s].level,
            entries[s].parent,
            tuple(entries[s].aliases),
            lineages[s],
        )
        for s in ordered
    }
    return Gazetteer(regions, frozenset(rejected))
