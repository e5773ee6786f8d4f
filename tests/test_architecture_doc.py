"""docs/architecture.md maps every module, and the modules that cite a section of it cite one
that exists."""

from __future__ import annotations

import re

from tests.conftest import PROJECT

DOC = (PROJECT / "docs" / "architecture.md").read_text()


def test_every_module_is_in_the_architecture_doc() -> None:
    missing = []
    for path in sorted((PROJECT / "builder").rglob("*.py")):
        rel = path.relative_to(PROJECT / "builder").as_posix()
        top = f"`{rel}`" if "/" not in rel or rel.startswith("mail/") else None
        if top is not None and top not in DOC:
            missing.append(rel)
        if rel.startswith("ingest/") and path.name != "__init__.py" and path.name not in DOC:
            missing.append(rel)
    assert missing == []


def test_cited_sections_exist() -> None:
    headings = set(re.findall(r"^#+ (.+)$", DOC, re.M))
    cited = []
    for path in sorted((PROJECT / "builder").rglob("*.py")):
        for section in re.findall(r'docs/architecture\.md, "([^"]+)"', path.read_text()):
            cited.append(section)
            assert section in headings, f"{path.name} cites a missing section: {section}"
    assert cited  # urls.py cites one
