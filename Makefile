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
$(STAMP): pyproject.toml setup.py requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV) --require-hashes -r requirements-dev.lock
	$(UV) --no-deps -e .
	touch $(STAMP)

# The French catalogue Django reads, compiled from the .po translators edit; redone when the
# .po changes. polib (a development dependency) compiles it, so GNU gettext is not needed;
# a wheel compiles its own in setup.py.
PO := src/clusterdesk/locale/fr/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)
$(MO): $(PO) $(STAMP)
	$(BIN)/python -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $(PO) $(MO)

install: $(STAMP) $(MO)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	CLUSTERDESK_DEBUG=1 $(BIN)/mypy

pytest: install
	CLUSTERDESK_DEBUG=1 $(BIN)/clusterdesk makemigrations --check --dry-run
	$(BIN)/pytest

# Bring the French catalogue up to date with the code after changing user-facing strings
# (extraction needs GNU gettext): new strings arrive empty, changed ones fuzzy, for a
# translator to fill in the .po (Poedit, Weblate); `make install` compiles it.
messages: install
	cd src/clusterdesk && CLUSTERDESK_DEBUG=1 CLUSTERDESK_HOME=$(CURDIR) ../../$(BIN)/clusterdesk makemessages -l fr --no-obsolete --add-location=file

# Re-pin the locks after changing pyproject.toml's dependencies (needs the package index).
lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--no-header --no-annotate --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header --no-annotate --quiet -c requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) var
