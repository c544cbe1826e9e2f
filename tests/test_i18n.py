from __future__ import annotations

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from clusterdesk.projects.models import Application, FundingApplication

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "clusterdesk"
LOCALE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"


def _has(program: str) -> bool:
    return shutil.which(program) is not None


def _keys(entries: polib.POFile | polib.MOFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries if not e.obsolete}


def test_french_is_the_default_language(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    assert 'lang="fr"' in html
    assert "Se connecter" in html


def test_english_switch(db: None) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html
    assert "Sign in" in html


def test_french_catalogue_is_complete_and_compiled() -> None:
    po = polib.pofile(str(LOCALE / "django.po"))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:5]
    # The .mo is built from the .po (`make install`, the wheel build), never edited.
    mo_path = LOCALE / "django.mo"
    assert mo_path.exists(), "the catalogue is not compiled: run `make install`"
    mo = polib.mofile(str(mo_path))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po}
    assert compiled == source, "the compiled catalogue is older than the .po: run `make install`"


def test_french_agrees_statuses_with_their_noun() -> None:
    # A "dossier" is masculine, a "demande de financement" feminine: one English word, two
    # French ones, told apart by the message context.
    with translation.override("fr"):
        assert str(Application.State.SUBMITTED.label) == "Déposé"
        assert str(FundingApplication.Status.SUBMITTED.label) == "Déposée"
        assert str(FundingApplication.Status.WITHDRAWN.label) == "Retirée"


@pytest.mark.skipif(not _has("xgettext"), reason="GNU gettext is not installed")
def test_french_catalogue_is_up_to_date_with_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Extract the strings from a copy of the package, so that the catalogue in the tree is
    # left alone, and compare with the catalogue translators edit: a string added or changed
    # in the code and missing from the .po fails here (`make messages`, then translate it).
    copy = tmp_path / "clusterdesk"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "*.pyc")
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=["fr"], no_obsolete=True, stdout=StringIO())
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert _keys(extracted) - _keys(catalogue) == set(), "new strings: run `make messages`"
    assert _keys(catalogue) - _keys(extracted) == set(), "stale strings: run `make messages`"


@pytest.mark.skipif(not _has("msgfmt"), reason="GNU gettext is not installed")
def test_french_catalogue_compiles_without_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
