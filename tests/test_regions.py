from __future__ import annotations

from pathlib import Path

from builder.errors import Report
from builder.regions import load_gazetteer


def gazetteer(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / "regions.yaml").write_text(text)
    report = Report(tmp_path)
    return load_gazetteer(tmp_path, report), report.lines()


def test_tree_lineage_and_descendants(tmp_path: Path) -> None:
    g, errors = gazetteer(
        tmp_path,
        """
zj: {name: {en: Zhejiang, zh: 浙江省}, level: province}
js: {name: {en: Jiangsu, zh: 江苏省}, level: province}
tz: {name: {en: Taizhou, zh: 泰州市}, level: city, parent: js}
jy: {name: {en: Jiangyan, zh: 姜堰区}, level: district, parent: tz}
zjg: {name: {en: Zhangjiagang, zh: 张家港市}, level: county, parent: js}
""",
    )
    assert errors == []
    assert g["jy"].lineage == ("js", "tz", "jy")
    assert g.descendants("js") == {"js", "tz", "jy", "zjg"}
    assert [(r.slug, d) for r, d in g.walk()] == [
        ("js", 0),
        ("tz", 1),
        ("jy", 2),
        ("zjg", 1),
        ("zj", 0),
    ]


def test_bad_parents_levels_and_cycles(tmp_path: Path) -> None:
    _, errors = gazetteer(
        tmp_path,
        """
js: {name: {en: Jiangsu, zh: 江苏省}, level: province}
tz: {name: {en: Taizhou, zh: 泰州市}, level: city, parent: jss}
jy: {name: {en: Jiangyan, zh: 姜堰区}, level: district, parent: js}
a: {name: {en: A, zh: 甲}, level: city, parent: b}
b: {name: {en: B, zh: 乙}, level: city, parent: a}
c: {name: {en: C, zh: 丙}, level: town}
""",
    )
    assert "regions.yaml:3:57: error: unknown parent region 'jss' (did you mean 'js'?)" in errors
    assert any(
        "regions.yaml:4:" in e and "a district cannot sit under a province" in e for e in errors
    )
    assert any("a city cannot sit under a city" in e for e in errors)
    assert any(e.startswith("regions.yaml:7:") and "'town' is not allowed" in e for e in errors)
