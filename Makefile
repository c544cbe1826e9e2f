# The two commands: `make demo` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install lint typecheck pytest messages lock clean

demo: install
	mkdir -p var
	$(BIN)/clusterdesk demo

test: install lint typecheck pytest

UV_VERSION := 0.9.9
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

# The virtual environment with the packages of requirements-dev.lock (hashed: runtime and
# development tools; production installs requirements.lock alone); redone when a lock changes.
# uv installs the lock several times faster than pip.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV) --require-hashes -r requirements-dev.lock
	$(UV) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	CLUSTERDESK_DEBUG=1 $(BIN)/mypy

pytest: install
	CLUSTERDESK_DEBUG=1 $(BIN)/clusterdesk makemigrations --check --dry-run
	$(BIN)/pytest

# Refresh the French catalogue after changing user-facing strings (extraction needs GNU
# gettext); translations live in scripts/fr_catalogue.py, which also compiles the .mo.
messages: install
	cd src/clusterdesk && ../../$(BIN)/clusterdesk makemessages -l fr --no-obsolete --no-location
	$(BIN)/python scripts/fr_catalogue.py

# Re-pin the locks after changing pyproject.toml's dependencies (needs the package index).
lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--no-header --no-annotate --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header --no-annotate --quiet -c requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) var
