"""Print the site's languages, one 'code locale' line each, for `make i18n` (the Makefile
keeps one gettext catalog per language of content/site.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

from builder.config import load_site
from builder.errors import Report

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
report = Report(root)
site = load_site(root / "content", report)
if site is None:
    print("\n".join(report.lines()), file=sys.stderr)
    sys.exit(1)
for language in site.languages:
    print(language.code, language.locale)
