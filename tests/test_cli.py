from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterdesk.accounts.services import api_token_authenticate
from clusterdesk.cli import main
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def test_token_create_prints_a_working_token(db: None) -> None:
    user = UserFactory(email="ada@example.org")
    out = StringIO()
    call_command("token", "create", "--user", "ADA@example.org", "--days", "5", stdout=out)
    assert api_token_authenticate(out.getvalue().strip()) == user


def test_token_create_for_unknown_person_fails_clearly(db: None) -> None:
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("token", "create", "--user", "nobody@example.org")


def test_solve_without_a_solver_name_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve"]) == 2
    assert "usage: clusterdesk solve" in capsys.readouterr().err


def test_solve_runs_without_django_settings(tmp_path: Path) -> None:
    problem = {
        "items": [{"id": "A", "reviewers_needed": 1}],
        "reviewers": [{"id": "r", "max_load": 1}],
        "affinity": [{"item": "A", "reviewer": "r", "score": 0.5}],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(problem))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys; from clusterdesk.cli import main; "
        "rc = main(['solve', 'reviewers', sys.argv[1]]); "
        "import django.conf as c; assert not c.settings.configured; "
        "sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["assignments"][0]["reviewer"] == "r"


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CLUSTERDESK_DEBUG": "0",
        "CLUSTERDESK_SECRET_KEY": "x" * 20
        + "-production-secret-key-with-enough-entropy-1234567890",
        "CLUSTERDESK_ALLOWED_HOSTS": "clusterdesk.example.org",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "clusterdesk.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_commands_print_no_library_log_lines_and_load_no_pdf_or_spreadsheet_library(
    tmp_path: Path,
) -> None:
    # WeasyPrint logged "Step 2 - Fetching and parsing CSS" three times at import, and it and
    # openpyxl made every command take over a second of CPU before doing anything.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CLUSTERDESK_DEBUG"] = "1"
    env["CLUSTERDESK_HOME"] = str(tmp_path)
    code = (
        "import sys; from clusterdesk.cli import main; main(['check']); "
        "import clusterdesk.urls; "
        "print(sorted(m for m in ('weasyprint', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == ["System check identified no issues (0 silenced).", "[]"]
