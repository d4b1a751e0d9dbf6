# Linli: `make run` sets everything up and serves the Wenchang demo; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := linli/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run setup deps assets translations migrate demo test test-unit test-races test-e2e chromium debs lint templates typecheck imports check fuzz bench bench-platform clean

run: setup migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins
	@echo "Linli is serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	LINLI_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

setup: deps assets translations

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/tabler $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/@tabler/core/dist/css/tabler.min.css node_modules/@tabler/core/dist/css/tabler.min.css.map $(VENDOR)/tabler/
	cp node_modules/@tabler/core/dist/js/tabler.min.js node_modules/@tabler/core/dist/js/tabler.min.js.map $(VENDOR)/tabler/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

translations: deps
	$(PY) manage.py compile_translations

migrate: setup
	$(PY) manage.py migrate --noinput

demo: setup migrate
	$(PY) manage.py seed_demo --reset

chromium:  # the browser, the CJK fonts the pages and the monthly PDF need, pdftoppm for the PDF test
	@missing=""; for p in chromium fonts-noto-cjk poppler-utils; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian packages the platform checks need: wrk (bench/bench_platform.py), haproxy (the
# several-servers journey), nginx (`nginx -t` of deploy/nginx.conf).
DEBS ?= wrk haproxy nginx-light
debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test: setup chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q linli
	$(MAKE) --no-print-directory test-races
	$(VENV)/bin/pytest -q tests/e2e

test-unit: setup
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q linli
	$(MAKE) --no-print-directory test-races

# The race tests (linli.testing.races) once more on SQLite, all in one process against a WAL
# file: SQLite's in-memory test database cannot race. On PostgreSQL the main pass ran them.
test-races: setup
	@if [ -z "$$DATABASE_URL" ]; then \
	  dir="$$(mktemp -d)"; \
	  LINLI_SQLITE_TEST_PATH="$$dir/race.sqlite3" $(VENV)/bin/pytest -q -p no:randomly -m race linli; \
	  rc=$$?; rm -rf "$$dir"; exit $$rc; \
	fi

test-e2e: setup chromium
	$(VENV)/bin/pytest -q tests/e2e

lint: deps templates
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Django templates: djlint in lint mode (rules and the ones left out: djlint.toml).
templates: deps
	$(VENV)/bin/djlint linli --lint

typecheck: deps
	$(VENV)/bin/mypy linli config

imports: deps
	$(VENV)/bin/lint-imports

check: lint typecheck imports
	$(PY) manage.py makemigrations --check --dry-run

# The JSON API fuzzed by schemathesis against its OpenAPI schema on a fresh demo build, signed in
# as the community admin and as the resident: no 5xx, answers match the schema. Reports in
# test-results/fuzz/; FUZZ_ARGS="--examples 50" digs deeper.
fuzz: setup
	$(PY) tests/fuzz/run_schemathesis.py $(FUZZ_ARGS)

bench: setup
	$(PY) bench/run_all.py

# wrk at 16 connections against gunicorn with 2 workers: bare endpoints, intake, list pages
# (bench/bench_platform.py; BENCH_BEFORE=<commit> adds the figures of an older commit).
bench-platform: setup debs
	$(PY) bench/bench_platform.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
