# planwatch — the two commands: `make run` (set up and serve) and `make test` (what CI runs).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer: take the first one found (PATH, then pyenv's).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 $$HOME/.pyenv/versions/3.12*/bin/python3 $$HOME/.pyenv/versions/3.13*/bin/python3 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
# Test processes for the SQLite and PostgreSQL passes (pytest-xdist; one test file per process
# at a time, so module fixtures stay whole). PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadfile
PG_URL ?= $(or $(PLANWATCH_TEST_POSTGRES_URL),postgresql://postgres@127.0.0.1:5432/postgres)

.PHONY: help run setup install assets test lint types migrations-check openapi-check \
	test-sqlite test-postgres test-browser bench walkthrough clean

help:
	@echo "make run    set up everything (first time) and serve http://127.0.0.1:8000"
	@echo "make test   everything CI checks (lint, types, migrations, tests on SQLite and PostgreSQL, browser)"
	@echo "make bench  benchmarks that print figures"
	@echo "make walkthrough  each persona's first pages on the real server, timed (WALK_ARGS=--demo)"

$(BIN)/planwatch: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.12 or newer is required (Django 6)"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(BIN)/planwatch
assets: node_modules/.package-lock.json

setup: install assets
	$(BIN)/planwatch setup

run: setup
	$(BIN)/planwatch serve --bind $${PLANWATCH_BIND:-127.0.0.1:8000}

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_layers.py

types: install
	$(BIN)/mypy planwatch

migrations-check: install assets
	$(BIN)/planwatch makemigrations --check --dry-run

openapi-check: install assets
	$(BIN)/planwatch openapi --check

test-sqlite: install assets
	DATABASE_URL= $(BIN)/pytest -q -m "not browser" $(XDIST)

test-postgres: install assets
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) PLANWATCH_TEST_DB_NAME=test_planwatch_$$$$ $(BIN)/pytest -q -m "not browser" --ignore=tests/parsing $(XDIST); \
	elif [ -n "$$PLANWATCH_REQUIRE_POSTGRES" ]; then \
		echo "error: PostgreSQL is required here but not reachable at $(PG_URL)"; exit 1; \
	else \
		echo "NOTICE: PostgreSQL not reachable at $(PG_URL): the PostgreSQL test run is SKIPPED"; \
	fi

test-browser: install assets
	DATABASE_URL= $(BIN)/pytest -q -m browser

test: lint types migrations-check openapi-check test-sqlite test-postgres test-browser

bench: install assets
	$(BIN)/python scripts/bench_parse.py
	$(BIN)/python scripts/bench_web.py
	$(BIN)/python scripts/bench_tasks.py
	$(BIN)/python scripts/bench_xlsx.py
	$(BIN)/python scripts/bench_search.py
	$(BIN)/python scripts/bench_pages.py
	$(BIN)/python scripts/bench_documents.py
	$(BIN)/python scripts/bench_portal.py --reuse
	$(BIN)/python scripts/bench_opendata.py
	$(BIN)/python scripts/bench_reads.py
	$(BIN)/python scripts/extract_accuracy.py
	$(BIN)/python scripts/extract_accuracy_data.py --quiet
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(BIN)/python scripts/bench_dashboard.py --pg $(PG_URL); \
		$(BIN)/python scripts/bench_indicators.py --pg $(PG_URL); \
		$(BIN)/python scripts/bench_projects.py --pg $(PG_URL) --lights; \
		$(BIN)/python scripts/bench_assessment.py --pg $(PG_URL); \
		$(BIN)/python scripts/bench_load.py --pg $(PG_URL); \
	else echo "NOTICE: PostgreSQL not reachable at $(PG_URL): the dashboard, indicator, project, assessment and load benchmarks are SKIPPED"; fi

walkthrough: install assets
	$(BIN)/python scripts/walkthrough.py $(WALK_ARGS)

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache .pytest_cache
