# Tabyin developer entry points.
#
#   make demo    install runtime deps into .venv/ and start the demo
#   make test    install dev deps, lint, bring up services + browser, run pytest
#
# Variables (override on the command line):
#   make test PYTEST_ARGS="-k foo -x"      extra arguments for pytest
#   make test PYTEST_WORKERS=0             one process per pass (no pytest-xdist)
#   make demo DEMO_ARGS="..."              extra arguments for `tabyin demo`
#   PYTHON=/path/to/python3.12 make demo   interpreter to build .venv/ with

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV        ?= .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
LINT_PATHS  ?= src tests benchmarks
PYTEST_ARGS ?=
# pytest-xdist processes per pass (one per core); a test file stays on one worker, so its
# module fixtures (a demo load, a crawl's live server) are built once.
PYTEST_WORKERS ?= auto
MYPY_ARGS   ?=
DEMO_ARGS   ?=
PG_URL      ?= postgres://postgres@127.0.0.1:5432/tabyin_ci

.PHONY: help demo test check lint pytest unit messages hooks fmt clean _need-dev

help:
	@echo "make demo    - install (runtime) and run the demo: $(BIN)/tabyin demo"
	@echo "make test    - full test command (CI runs this): bootstrap --dev, lint,"
	@echo "               services, chromium, pytest   [PYTEST_ARGS=...]"
	@echo "make lint    - ruff check, ruff format --check, mypy, lint-imports, dependency audit"
	@echo "               (scripts/audit-deps), migrations check"
	@echo "make check   - lint + pytest, without reinstalling anything"
	@echo "make pytest  - only services, chromium and pytest   [PYTEST_ARGS=...]"
	@echo "make unit    - fast loop: SQLite only, no browser/CLI/PostgreSQL/scaled tests, stop at"
	@echo "               the first failure   [PYTEST_ARGS=...]"
	@echo "make messages - update the Persian catalogue from the code and compile it"
	@echo "make hooks   - install the git pre-commit hook (the same linters as CI)"
	@echo "make fmt     - ruff format + ruff check --fix"
	@echo "make clean   - remove $(VENV)/ .tools/ and tool caches (keeps var/)"

demo:
	scripts/bootstrap
	$(BIN)/tabyin demo $(DEMO_ARGS)

# The whole test command. Steps run in order (also under make -j).
test:
	scripts/bootstrap --dev
	$(MAKE) lint
	$(MAKE) pytest

check:
	$(MAKE) lint
	$(MAKE) pytest

# Two passes over one suite. Pass 1: SQLite (embedded mode), browser and command-line tests.
# Pass 2: PostgreSQL (a throwaway test database) and the scaled-mode test with a real Redis and
# a real worker. TABYIN_REQUIRE_MARKERS makes a pass fail if those tests were skipped or absent.
pytest: _need-dev
	scripts/ensure-services
	scripts/ensure-chromium
	PYTHON=$(PY) scripts/ensure-axe
	TABYIN_REQUIRE_MARKERS=browser,cli $(PY) -m pytest -m "not postgresql and not scaled" -n $(PYTEST_WORKERS) --dist loadfile --durations=25 $(PYTEST_ARGS)
	DATABASE_URL=$(PG_URL) TABYIN_REQUIRE_MARKERS=postgresql,scaled \
		$(PY) -m pytest -m "not browser and not cli" -n $(PYTEST_WORKERS) --dist loadfile --durations=25 $(PYTEST_ARGS)

lint: _need-dev
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy $(MYPY_ARGS)
	$(BIN)/lint-imports
	$(PY) scripts/audit-deps
	@d="$$(mktemp -d)"; trap 'rm -rf "$$d"' EXIT; \
	echo "TABYIN_DATA_DIR=$$d $(BIN)/tabyin manage makemigrations --check --dry-run"; \
	TABYIN_DATA_DIR="$$d" $(BIN)/tabyin manage makemigrations --check --dry-run

# The edit-test loop: what most changes need, in a minute or two rather than CI's quarter hour.
unit: _need-dev
	$(PY) -m pytest -x -q -m "not browser and not cli and not postgresql and not scaled" $(PYTEST_ARGS)

# Adds new msgids to the Persian catalogue (existing translations kept, obsolete ones marked) and
# compiles it; translate the new empty msgstr entries, then run it again. Needs GNU gettext.
messages: _need-dev
	cd src/tabyin && ../../$(BIN)/django-admin makemessages --locale fa --no-location --no-obsolete \
		--ignore 'static/*' --settings tabyin.config.settings
	msgfmt --check -o src/tabyin/locale/fa/LC_MESSAGES/django.mo src/tabyin/locale/fa/LC_MESSAGES/django.po

hooks: _need-dev
	$(BIN)/pre-commit install

fmt: _need-dev
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache test-artifacts .coverage
	find src tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

_need-dev:
	@if [ ! -x $(BIN)/ruff ] || [ ! -x $(BIN)/pytest ]; then \
		echo "$(VENV)/ has no dev tools; run: scripts/bootstrap --dev  (or: make test)" >&2; \
		exit 1; \
	fi
