"""Print one 'code locale' line per catalog `make i18n` keeps: each language of
content/site.yaml (its catalog is created when new), then every other catalog already in
templates/locale/ (the sample sites' languages), its locale read from the catalog itself."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

from builder.config import load_site
from builder.errors import Report
from builder.i18n import catalog_path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
report = Report(root)
site = load_site(root / "content", report)
if site is None:
    print("\n".join(report.lines()), file=sys.stderr)
    sys.exit(1)
seen = set()
for language in site.languages:
    seen.add(language.code)
    print(language.code, language.locale)
for folder in sorted((root / "templates" / "locale").iterdir()):
    po = catalog_path(root / "templates", folder.name)
    if folder.name not in seen and po.is_file():
        with po.open("rb") as fh:
            print(folder.name, read_po(fh).locale)
