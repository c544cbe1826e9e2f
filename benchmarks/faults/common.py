"""What the fault scripts share: a PostgreSQL database of their own, the production
settings (DEBUG off), a tiny world, and the ORM in the script's own process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cd_ops"
CLUSTERDESK = [sys.executable, "-m", "clusterdesk.cli"]


def admin_connection(database_url: str) -> psycopg.Connection:
    """A connection to the server's `postgres` database (never the one under test)."""
    url = urlsplit(database_url)
    return psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    )


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def prepare(database_url: str, home: Path) -> dict[str, str]:
    """Create the database if needed, migrate it; return the environment of the commands."""
    name = database_name(database_url)
    with admin_connection(database_url) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    (home / "var").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CLUSTERDESK_"))}
    env.update(
        DATABASE_URL=database_url,
        CLUSTERDESK_HOME=str(home),
        CLUSTERDESK_SECRET_KEY=secrets.token_urlsafe(50),
        CLUSTERDESK_SSL_REDIRECT="0",
        CLUSTERDESK_LOG_LEVEL="WARNING",
    )
    subprocess.run([*CLUSTERDESK, "migrate", "-v0"], env=env, check=True)
    return env


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterdesk.settings"
    import django

    django.setup()


def terminate_backends(database_url: str) -> int:
    """End every server connection to the database under test (ours only), as a restart
    or a failover does; return how many there were."""
    name = database_name(database_url)
    with admin_connection(database_url) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return len(rows)


def get(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def wait_until_up(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")
