# Two commands set up everything on a fresh Debian machine:
#   make site   venv + package + system packages, then build the site (PDFs included) into site/
#   make test   the same plus test tools, then ruff, mypy and pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: site test check lint i18n bench bench-serve bench-speed bench-floor clean .bytecode

site: $(VENV)/.installed .bytecode .system-build
	$(BIN)/briefings build

check: $(VENV)/.installed .bytecode
	$(BIN)/briefings check

test: $(VENV)/.installed-test .bytecode .system-test $(AXE)
	$(BIN)/ruff check builder tests
	$(BIN)/ruff format --check builder tests
	$(BIN)/mypy builder
	$(BIN)/pytest

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# axe-core for the browser tests (tests/test_browser.py), from the npm registry at the version
# locked in tests/browser/package-lock.json, into tests/browser/node_modules (not committed).
$(AXE): tests/browser/package-lock.json | .system-test
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# The builder's compiled modules (builder/__pycache__, not committed). Python writes them itself
# unless PYTHONDONTWRITEBYTECODE is set, as on this project's machines; then every run compiled
# all of builder/ again, 0.15 s before a build starts (the same in every test's subprocess).
# compileall rewrites only the modules whose source changed.
.bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q builder

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Phony on purpose: the script is quick when everything is present, and a new machine has nothing.
.PHONY: .system-build .system-test
.system-build:
	scripts/system-deps.sh build
.system-test:
	scripts/system-deps.sh test

# UI strings: extract from templates and builder/, then for each language of content/site.yaml
# make its catalog if it is new and merge the new entries into it (translate them by hand), and
# check it compiles. The build compiles catalogs in memory.
i18n: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k ngettext:1,2 --no-location --sort-output \
		--project regional-briefings -o templates/locale/messages.pot .
	$(BIN)/python scripts/languages.py | while read code locale; do \
		po=templates/locale/$$code/LC_MESSAGES/messages.po; \
		if [ -f $$po ]; then \
			$(BIN)/pybabel update -i templates/locale/messages.pot -o $$po -l $$locale \
				--no-wrap --ignore-obsolete || exit 1; \
		else \
			mkdir -p $$(dirname $$po) && \
			$(BIN)/pybabel init -i templates/locale/messages.pot -o $$po -l $$locale --no-wrap || exit 1; \
		fi; \
		$(BIN)/pybabel compile --statistics -i $$po -o /dev/null -l $$locale || exit 1; \
	done

bench: $(VENV)/.installed-test .bytecode
	for f in tests/bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Time from saving one briefing to `briefings serve` serving the rebuilt page.
bench-serve: $(VENV)/.installed-test .bytecode
	$(BIN)/python tests/bench/bench_serve.py

clean:
	rm -rf site .site-spare .site-new-* .site-old-*

# Speed at archive scale against Hugo (tests/bench/bench_speed.py; docs/architecture.md has the
# figures): BRIEFINGS=20000 for the large archive. Hugo is installed for it when run as root.
BRIEFINGS ?= 2000
bench-speed: $(VENV)/.installed-test .bytecode
	command -v hugo >/dev/null || [ "$$(id -u)" -ne 0 ] || \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends hugo)
	nice $(BIN)/python tests/bench/bench_speed.py --briefings $(BRIEFINGS)

# What the chosen libraries alone cost in a cold build, beside the whole build and Hugo
# (tests/bench/bench_floor.py; docs/architecture.md, "A floor for this stack").
bench-floor: $(VENV)/.installed-test
	command -v hugo >/dev/null || [ "$$(id -u)" -ne 0 ] || \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends hugo)
	nice $(BIN)/python tests/bench/bench_floor.py --briefings $(BRIEFINGS)
