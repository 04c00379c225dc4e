# Two commands matter: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
export QMS_DATA_DIR ?= $(CURDIR)/instance
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# the Flask-free core (store, search, render) never touches the database: once is enough; the browser tests
# drive the pages, whose database work the PostgreSQL run covers through the test client: once, on SQLite
PG_SKIP := --ignore=tests/store --ignore=tests/search --ignore=tests/render --ignore=tests/e2e

.PHONY: run test install dev translations translations-update browser test-sqlite test-postgres clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

translations: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d app/translations

# after changing interface strings: refresh the English catalogue, then translate the new entries
translations-update: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location --sort-output -o /tmp/qms-messages.pot .
	$(BIN)/pybabel -q update -N -i /tmp/qms-messages.pot -d app/translations -l en

run: install translations
	$(FLASK) qms init --no-admin
	$(FLASK) qms demo
	@echo ""
	@echo "  Mở / open:  http://127.0.0.1:5000   (thuky / demo-password)"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests need Debian's chromium; as root we install it, otherwise they are skipped with a reason.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
		|| echo "Could not install chromium: browser tests will be skipped."; \
	fi

test-sqlite: dev translations browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: dev translations browser
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL suite ($(PG_TEST_URL)) =="; \
		QMS_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -p no:cacheprovider $(PG_SKIP) $(PYTEST_ARGS); \
	elif [ -n "$$QMS_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (QMS_REQUIRE_POSTGRES) but $(PG_TEST_URL) is unreachable."; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL suite skipped."; \
	fi

# The two runs side by side, one core each (about half the time of one after the other); each run's report
# is printed whole when that run ends.
test: dev translations browser
	@echo "Running the SQLite and PostgreSQL suites side by side; each report appears when its run ends."
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

clean:
	rm -rf $(VENV) instance .pytest_cache

# every performance target on SQLite and PostgreSQL, one table (benchmarks/bench.py; wrk from Debian for
# the throughput rows). The province-scale data set is built once into bench-data/ and reused.
bench: dev translations
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
