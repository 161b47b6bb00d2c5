# Two commands from a fresh clone (Python >= 3.11 only): `make run` and `make test`.
# The first use creates .venv and installs kycrail with its pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format bench bench-smoke clients clients-check clean

# Python's compiled modules and pytest's rewritten test modules are cached in __pycache__ (ignored by
# git). A machine that turns the cache off (PYTHONDONTWRITEBYTECODE) makes every test process, and
# every server a test starts, compile all of it again: seconds each, a third of `make test-fast`.
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("kycrail needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kycrail serve --sandbox

test: $(STAMP)
	$(BIN)/pytest

# The fast tests on three processes (each its own database), handed out as they free up: under a
# minute on a 2-core machine. `make test` runs everything, one test at a time.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow" -n 3 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd clients/python && ../../$(BIN)/mypy --strict -p kycrail_client -p kycrail_api  # the Python client, generated part too
	$(BIN)/lint-imports

# The typed clients (clients/python, clients/typescript) from the OpenAPI document; CI checks that
# what is committed is what the generators make of the current document.
clients: $(STAMP)
	$(BIN)/python clients/generate.py

clients-check: $(STAMP)
	$(BIN)/python clients/generate.py --check

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --smoke

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
