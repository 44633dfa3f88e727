# naikkelas: `make demo` to try it, `make test` to check it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed
# A trial on this machine: DEBUG on, with the development keys (production sets DEBUG, SECRET_KEY and
# NAIKKELAS_SECRET itself: see README).
export DEBUG ?= 1

.PHONY: demo test test-fast lint format install serve clean

# The app alone (`make demo`, `make serve`): no test, lint or Spark tools.
$(APP_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(APP_STAMP)

# Everything a contributor and CI need: the app, the dev tools, the optional Spark backend and S3 storage.
$(STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet -e ".[dev,spark,s3]"
	touch $(STAMP)

install: $(STAMP)

demo: $(APP_STAMP)
	$(BIN)/naikkelas migrate --noinput
	$(BIN)/naikkelas load_regions
	$(BIN)/naikkelas load_demo
	@echo "naikkelas berjalan di http://127.0.0.1:8000  (Ctrl+C untuk berhenti)"
	$(MAKE) --no-print-directory serve

# The web server and the background worker (imports from the web page run in the worker).
serve: $(APP_STAMP)
	$(BIN)/naikkelas worker --interval 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/naikkelas runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: no test marked slow and no browser test (CI runs everything with `make test`).
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not e2e" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/naikkelas.sqlite3*
