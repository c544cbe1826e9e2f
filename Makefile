# The two commands: `make demo` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install lint typecheck pytest messages clean

demo: install
	mkdir -p var
	$(BIN)/clusterdesk demo

test: install lint typecheck pytest

# The virtual environment, Python packages pinned by requirements.lock, and the front-end
# libraries pinned by package-lock.json; redone when one of those files changes.
$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/clusterdesk makemigrations --check --dry-run
	$(BIN)/pytest

# Refresh the French catalogue after changing user-facing strings (extraction needs GNU
# gettext); translations live in scripts/fr_catalogue.py, which also compiles the .mo.
messages: install
	cd src/clusterdesk && ../../$(BIN)/clusterdesk makemessages -l fr --no-obsolete --no-location
	$(BIN)/python scripts/fr_catalogue.py

clean:
	rm -rf $(VENV) node_modules var
