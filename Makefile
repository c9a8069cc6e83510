# Guichet — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/guichet

.PHONY: install system-deps browser-deps run worker test test-postgres test-replica check lint format migrations-check

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian's fonts of the PDFs (docs/decisions/security-uploads-and-text.md): Liberation Sans,
# DejaVu Sans, and Noto Sans CJK so that an address in Chinese, Japanese or Korean prints.
SYSTEM_PACKAGES := fonts-liberation fonts-dejavu-core fonts-noto-cjk
system-deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

# Debian's chromium for the browser tests (never a browser download) and axe-core from npm.
browser-deps: node_modules/.installed
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

## Start the whole service with demo data: web server + task worker, SQLite.
run: install system-deps
	bin/run

## Run the whole test suite (browser tests included) on SQLite.
test: install system-deps browser-deps
	$(BIN)/pytest

## The same suite on PostgreSQL (the browser journeys run once, on SQLite).
test-postgres: install system-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"

## The database router against a real streaming replica: a throwaway primary and its standby
## (pg_basebackup) on free loopback ports, removed at the end (tests/replica/run.sh).
test-replica: install
	tests/replica/run.sh

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	GUICHET_DEBUG=true $(BIN)/mypy guichet/*/services.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	GUICHET_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

check: lint migrations-check test
