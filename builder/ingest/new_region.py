"""The `regions.yaml` entry for a place the national list knows and the site does not yet.

`briefings ingest` prints it when it asks for `--region`; `briefings regions add` writes it.
The parent comes from the same list, and a parent the file lacks is added first (a city needs
its province), so the file stays a valid tree.
"""

from __future__ import annotations

import json

from builder.ingest.divisions import Division, divisions, lineage
from builder.ingest.regions_match import yaml_places
from builder.languages import HAN_SCRIPTS, Language
from builder.regions import Gazetteer


def _slug(div: Division, taken: set[str]) -> str:
    base = div.en.lower().replace(" ", "-")
    table = divisions()
    namesakes = [d for d in table.values() if d.en == div.en and d.code != div.code]
    chain = [table[c] for c in lineage(div.code)[:-1]]
    slug = base
    # 苏州/宿州 are both "Suzhou": name the province in the slug of either, as regions.yaml does.
    for anc in chain:
        if slug not in taken and not (namesakes and slug == base):
            break
        slug = f"{slug}-{anc.en.lower().replace(' ', '-')}"
    return slug


def entries(
    gaz: Gazetteer, code: str, languages: list[Language]
) -> list[tuple[str, dict[str, object]]]:
    """(slug, entry) for the place and every ancestor regions.yaml lacks, parents first."""
    known = yaml_places(gaz)  # division code → slug
    taken = set(gaz.regions)
    out: list[tuple[str, dict[str, object]]] = []
    parent_slug: str | None = None
    table = divisions()
    for c in lineage(code):
        if c in known:
            parent_slug = known[c]
            continue
        div = table[c]
        slug = _slug(div, taken)
        taken.add(slug)
        aliases = [div.en, f"{div.en} {div.generic}", div.zh]
        if div.short != div.zh and (div.level in ("province", "city") or div.zh.endswith("市")):
            aliases.append(div.short)  # "南湖" alone is a lake as often as a district
        if div.level not in ("province", "city") and not div.zh.endswith("市"):
            aliases.remove(div.en)
        entry: dict[str, object] = {
            # The national table has a Chinese and an English name: each site language gets
            # the one in its script (a Traditional Chinese name needs the editor's check).
            "name": {
                lang.code: div.zh if lang.script in HAN_SCRIPTS else div.en for lang in languages
            },
            "level": div.level,
        }
        if parent_slug:
            entry["parent"] = parent_slug
        entry["aliases"] = aliases
        out.append((slug, entry))
        parent_slug = slug
    return out


def regions_entry(gaz: Gazetteer, code: str, languages: list[Language]) -> str:
    """The entries as YAML flow mappings on one line each, for a message."""
    parts = []
    for slug, entry in entries(gaz, code, languages):
        parts.append(f"{slug}: {_flow(entry)}")
    return "; ".join(parts) + f" (or run: briefings regions add {code})"


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    text = str(value)
    return text if text.replace("-", "").replace(" ", "").isalnum() else json.dumps(text)


def find_division(query: str) -> list[str]:
    """Division codes for a code, a Chinese name (宿州市, 宿州) or a romanised one (Suzhou)."""
    table = divisions()
    query = query.strip()
    if query in table:
        return [query]
    return sorted(
        c
        for c, d in table.items()
        if query in (d.zh, d.short)
        or query.lower() in (d.en.lower(), f"{d.en} {d.generic}".lower())
    )


def block(slug: str, entry: dict[str, object]) -> str:
    """One entry in the block style of regions.yaml."""
    name = entry["name"]
    assert isinstance(name, dict)
    lines = [f"{slug}:", "  name:", *(f"    {k}: {_flow(v)}" for k, v in name.items())]
    lines.append(f"  level: {entry['level']}")
    if "parent" in entry:
        lines.append(f"  parent: {entry['parent']}")
    lines.append(f"  aliases: {_flow(entry['aliases'])}")
    return "\n".join(lines) + "\n"
