"""Score `briefings ingest` on a corpus of raw pages against their expected results.

Each folder under tests/ingest_corpus/ holds raw pages and `expected.yaml`. Every page is checked
field by field (title, date, publisher, region, lang, figures, body) and the score is the number
of fields right out of the fields checked. Run as a script to see the misses:

    python -m tests.ingest_score dev          # per-field scores and every miss
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from builder.errors import Report
from builder.ingest.run import IngestOptions, analyse, load_catalogs

REPO = Path(__file__).parents[1]
CORPUS = REPO / "tests" / "ingest_corpus"
FIELDS = ("title", "date", "publisher", "region", "lang", "figures", "body")


@dataclass
class Score:
    right: Counter[str] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def total(self) -> tuple[int, int]:
        return sum(self.right.values()), sum(self.checked.values())

    def lines(self) -> list[str]:
        out = [f"{f:10} {self.right[f]:3} / {self.checked[f]}" for f in FIELDS]
        right, checked = self.total
        out.append(f"{'all':10} {right:3} / {checked}  ({100 * right / max(checked, 1):.1f} %)")
        return out


def _dec(value: Any) -> Decimal:
    return Decimal(str(value).replace("_", "")).normalize()


def _check(name: str, exp: dict[str, Any], got: Any, score: Score) -> None:
    """Compare one page's analysis with its expected result, field by field."""

    def record(fld: str, ok: bool, detail: str) -> None:
        score.checked[fld] += 1
        score.right[fld] += ok
        if not ok:
            score.misses.append(f"{name} {fld}: {detail}")

    record("title", got.title == exp["title"], f"{got.title!r} != {exp['title']!r}")
    want_date = str(exp["date"])
    got_date = "needs --date" if got.date is None else got.date.isoformat()
    record("date", got_date == want_date, f"{got_date} != {want_date}")
    pubs = exp["publisher"] if isinstance(exp["publisher"], list) else [exp["publisher"]]
    got_pub = got.publisher or None
    record("publisher", got_pub in pubs, f"{got_pub!r} not in {pubs!r}")
    region = exp["region"]
    if isinstance(region, dict):
        ok = got.region is None and region["needs"] in (got.region_problem or "")
        record("region", ok, f"{got.region!r} / {got.region_problem!r}: want asking {region}")
    else:
        ok = got.region == region and got.region_problem is None
        record("region", ok, f"{got.region!r} ({got.region_problem}) != {region}")
    record("lang", got.lang == exp["lang"], f"{got.lang} != {exp['lang']}")
    want = sorted(_dec(v) for v in exp["figures"])
    values = sorted(f.value.normalize() for f in got.figures)
    ok = values == want
    for main, eq in (exp.get("equivalents") or {}).items():
        eqs = [f.equivalent for f in got.figures if f.value.normalize() == _dec(main)]
        ok = ok and any(e is not None and e[0].normalize() == _dec(eq) for e in eqs)
    detail = f"{[str(v) for v in values]} != {[str(v) for v in want]}"
    record("figures", ok, detail)
    body = "\n".join(got.paragraphs)
    bad = [s for s in exp["absent"] if s in body]
    lost = [s for s in exp["present"] if s not in body]
    record("body", not bad and not lost, f"furniture {bad}, lost {lost}")


def score(folder: Path) -> Score:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    report = Report(REPO)
    cats = load_catalogs(REPO, report)
    assert not report.errors, report.lines()
    options = IngestOptions(root=REPO)
    result = Score()
    for name, exp in sorted(expected.items()):
        _check(name, exp, analyse(folder / name, cats, options), result)
    return result


def main(argv: list[str]) -> int:
    for name in argv or ["dev"]:
        result = score(CORPUS / name)
        print(f"== {name}")
        print("\n".join(result.misses))
        print("\n".join(result.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
