from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

LOCALE = (
    Path(__file__).resolve().parent.parent / "src" / "clusterdesk" / "locale" / "fr" / "LC_MESSAGES"
)


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
    assert not po.fuzzy_entries()
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural} == compiled


@pytest.mark.skipif(
    subprocess.run(["which", "msgfmt"], capture_output=True).returncode != 0,
    reason="GNU gettext is not installed",
)
def test_french_catalogue_compiles_without_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
