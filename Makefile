# kanwu: `make run` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KANWU := $(BIN)/kanwu
export KANWU_DATA_DIR ?= $(CURDIR)/var
PORT ?= 8000
export PORT

.PHONY: run install test test-sqlite test-postgres lint browser-deps audit-deps clean bench bench-deps audit translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

# Dependencies come from the lock file; kanwu itself is installed (not linked) so the tests
# exercise the packaged templates, static files and migrations.
$(VENV)/.deps: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.lock
	touch $@

# Reinstalled only when a source file changed, so a second `make` (say `make test-postgres`
# while `make test` runs) never swaps the package under a running suite.
KANWU_SOURCES := pyproject.toml $(shell find src -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*')
$(VENV)/.kanwu: $(VENV)/.deps $(KANWU_SOURCES)
	$(BIN)/python -m pip install -q --no-deps --force-reinstall --no-build-isolation . >/dev/null
	touch $@

install: $(VENV)/.kanwu

run: install
	$(KANWU) migrate --noinput
	$(KANWU) demo --if-empty
	$(KANWU) ensure_admin
	$(KANWU) serve --port $(PORT)

# The page-checking tools from npm (tools/audit: axe-core for the browser tests, Lighthouse and
# the Nu HTML checker for `make audit`), installed again when the lock file changes. vnu-jar's
# postinstall would download a Java runtime; Debian's java runs vnu.jar instead.
AUDIT_TOOLS := tools/audit/node_modules/.installed
$(AUDIT_TOOLS): tools/audit/package.json tools/audit/package-lock.json
	@command -v npm >/dev/null || { echo "The page checks need Node.js 20+ and npm: run 'sudo apt-get install nodejs npm'."; exit 1; }
	cd tools/audit && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

audit-deps: $(AUDIT_TOOLS)

# The browser tests need Chromium and axe-core; without npm they still run, and the axe tests
# fail saying what to install.
browser-deps:
	@$(MAKE) --no-print-directory audit-deps || echo "axe-core could not be installed (npm ci in tools/audit): the accessibility browser tests will fail until it is."
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'."; \
	    exit 1; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports --no-cache  # the source tree, not the installed copy
	$(KANWU) makemigrations --check --dry-run

test-sqlite: install browser-deps
	$(BIN)/pytest

test: lint test-sqlite

test-postgres: install browser-deps
	KANWU_TEST_DATABASE_URL=$${KANWU_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	  $(BIN)/pytest

clean:
	rm -rf $(VENV) var build src/*.egg-info

# Audit (not part of `make test`: pip-audit needs its vulnerability database on the network):
# pip-audit over requirements.lock and bandit over src/ (scripts/audit.py), then the reader
# pages of a served demo site through the Nu HTML checker and Lighthouse's phone profile
# (scripts/page_audit.py, reports in test-artifacts/pages/). Each script exits 1 for a finding,
# 2 (NOT CHECKED) when a check could not run, and the last line says which (make itself exits 2
# for any failure); never passes silently.
audit: install
	@$(MAKE) --no-print-directory audit-deps || true
	@security=0; pages=0; \
	$(BIN)/python scripts/audit.py || security=$$?; \
	$(BIN)/python scripts/page_audit.py || pages=$$?; \
	echo "audit: security $$security, pages $$pages (0 passed, 1 found problems, 2 NOT CHECKED)"; \
	if [ $$security = 1 ] || [ $$pages = 1 ]; then exit 1; fi; \
	if [ $$security != 0 ] || [ $$pages != 0 ]; then exit 2; fi

bench-deps:
	@for tool in nginx wrk; do \
	  if ! command -v $$tool >/dev/null; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null; \
	    else echo "The benchmark needs nginx and wrk: run 'sudo apt-get install nginx wrk'."; exit 1; fi; \
	  fi; \
	done

# Benchmark: kanwu against nginx serving the static export (see bench/run.py), then the cluster
# scenario (bench/cluster_bench.py; needs root, as make test-cluster does).
bench: install bench-deps
	$(BIN)/python bench/run.py
	$(BIN)/python bench/cluster_bench.py || [ $$? = 2 ]

# Search benchmark (bench/search_bench.py): 100,000 articles into SQLite and PostgreSQL by
# default; e.g. `make bench-search BENCH_ARGS="--articles 20000 --databases sqlite"`.
.PHONY: bench-search
bench-search: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# Page-cache bounds and single flight (bench/cache_bench.py): store size after 100,000
# tracking URLs, renders of the home page by 200 readers right after a publish.
.PHONY: bench-cache
bench-cache: install
	$(BIN)/python bench/cache_bench.py

# Column benchmark (bench/column_bench.py): one column of 100,000 articles, its pages 1 and
# 2,000 uncached and its admin listing, on SQLite and PostgreSQL by default; e.g.
# `make bench-columns BENCH_ARGS="--articles 20000 --database sqlite"`.
.PHONY: bench-columns
bench-columns: install
	$(BIN)/python bench/column_bench.py $(BENCH_ARGS)

# The URL importer on Chinese CMS pages (bench/extract_bench.py, tests/importer/corpus): paragraph
# recall, boilerplate lines leaked and fields right per CMS family, against trafilatura alone.
.PHONY: bench-extract
bench-extract: install
	$(BIN)/python bench/extract_bench.py $(BENCH_ARGS)

# Home page benchmark (bench/home_bench.py): the uncached home of 20 columns and 10,000
# articles, CPU ms per request; e.g. `make bench-home BENCH_ARGS="--database sqlite"`.
.PHONY: bench-home
bench-home: install
	$(BIN)/python bench/home_bench.py $(BENCH_ARGS)

# Import benchmark (bench/import_bench.py): a generated 1,000-post WordPress export imported
# through `kanwu import-wordpress` and as an admin upload the worker runs, with `kanwu worker`
# on the database task backend; the import's rate, the tasks it queued and the seconds from
# its end until the queue is drained (every post then checked: searchable, exported,
# Wagtail's indexes); e.g. `make bench-import BENCH_ARGS="--posts 300 --modes cli"`.
.PHONY: bench-import
bench-import: install
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)

# Slow uploads and killed processes against `kanwu serve`, and its RSGI front against
# granian's WSGI interface on cache hits (bench/slow_clients.py).
.PHONY: bench-slow-clients
bench-slow-clients: install bench-deps
	$(BIN)/python bench/slow_clients.py

# kanwu's Chinese for the Wagtail strings its own catalogue lacks: compile after editing a .po
# (the .mo files are committed; tests/core/test_translations.py checks they match).
translations:
	for po in src/kanwu/locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

# Two app servers in network namespaces behind nginx, a worker, a private PostgreSQL and Redis,
# killed and restarted under load (tests/cluster/); needs root and nginx. Prints its figures.
.PHONY: test-cluster bench-cluster
test-cluster: install bench-deps
	$(BIN)/pytest -p no:randomly -m cluster tests/cluster

# The cluster scenario alone: two app servers behind nginx against one, app CPU per request.
bench-cluster: install bench-deps
	$(BIN)/python bench/cluster_bench.py
