# Regietafel: `make run` to try it, `make test` to test it. Both set up what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve-prod test lint format bench load postgres install install-test assets chromium document-tools migrate data messages clean api-rules

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

install: $(VENV)/.installed node_modules/.package-lock.json
install-test: $(VENV)/.installed-test node_modules/.package-lock.json

migrate: install
	$(BIN)/regietafel migrate --no-input

data: migrate
	$(BIN)/regietafel load-dataset
	$(BIN)/regietafel load-demo
	$(BIN)/regietafel ensure-admin

# The web server, and beside it a worker for background work (reports for many municipalities).
run: data
	@echo "Regietafel draait op http://$(HOST) (stoppen met Ctrl+C)."
	$(BIN)/regietafel db_worker & trap 'kill $$! 2>/dev/null' EXIT; $(BIN)/regietafel runserver $(HOST)

# The production start (docs/operations.md): settings from the environment (REGIETAFEL_ENV=production, the secret
# key, the host names, DATABASE_URL); migrates, then gunicorn with workers from the CPU count.
serve-prod: install
	$(BIN)/regietafel migrate --no-input
	$(BIN)/regietafel serve --production

# Browser journeys drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || { echo "Install Debian's chromium for the browser tests."; exit 1; }

# The reports are checked as their readers get them: letters opened in LibreOffice, PDF pages drawn by pdftoppm.
# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset is there (several times faster than its fallback).
document-tools:
	@{ command -v soffice && command -v pdftoppm && ldconfig -p | grep -q libharfbuzz-subset; } >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui poppler-utils libharfbuzz-subset0 >/dev/null; } || { echo "Install Debian's libreoffice-writer-nogui, poppler-utils and libharfbuzz-subset0 for the report tests."; exit 1; }

test: install-test chromium document-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/regietafel makemigrations --check --dry-run

# The NL GOV API Design Rules: run their contract tests and write each rule's result into docs/api.md's table.
api-rules: install-test
	REGIETAFEL_WRITE_RULES_TABLE=1 $(BIN)/python -m pytest -p no:cacheprovider -q tests/api/test_design_rules.py \
		-k "not test_the_compliance_table_is_generated"

format: install-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

messages: install
	cd src/regietafel && ../../$(BIN)/regietafel makemessages -l nl --no-obsolete --add-location file
	cd src/regietafel && ../../$(BIN)/regietafel compilemessages

bench: install-test document-tools
	$(BIN)/python -m bench

# 100 simulated users for 60 s against gunicorn and PostgreSQL (127.0.0.1:5432, or LOAD_DATABASE_URL): bench/load.py.
load: install-test postgres
	$(BIN)/python -m bench.load

# The local PostgreSQL on 127.0.0.1:5432 (Debian's cluster), started when it is installed but stopped.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start && \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache
