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
$(STAMP): pyproject.toml setup.py requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	npm ci --no-audit --no-fund --silent
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

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/clusterdesk makemigrations --check --dry-run
	$(BIN)/pytest

# Bring the French catalogue up to date with the code after changing user-facing strings
# (extraction needs GNU gettext): new strings arrive empty, changed ones fuzzy, for a
# translator to fill in the .po (Poedit, Weblate); `make install` compiles it.
messages: install
	cd src/clusterdesk && ../../$(BIN)/clusterdesk makemessages -l fr --no-obsolete --add-location=file

clean:
	rm -rf $(VENV) node_modules var
