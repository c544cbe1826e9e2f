"""Concurrent writes on SQLite wait for each other instead of failing with "database is
locked" (a 500): transactions begin IMMEDIATE and wait for the lock (settings.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction

pytestmark = pytest.mark.skipif(
    not connections.settings["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's locking only",
)


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[Any]:
    """A second alias on a file (the test database is in memory), with the same options;
    outside Django's test case, which forbids connections from other threads."""

    def use(options: dict[str, Any]) -> str:
        alias = f"concurrent_{len(made)}"
        settings = {**connections.settings["default"], "OPTIONS": options}
        settings["NAME"] = str(tmp_path / f"{alias}.sqlite3")
        connections.settings[alias] = settings
        made.append(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE item (n integer)")
        connections[alias].close()
        return alias

    made: list[str] = []
    with django_db_blocker.unblock():
        yield use
        for alias in made:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _read_then_write(alias: str, failures: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM item")
            time.sleep(0.2)  # the other request reads meanwhile
            cursor.execute("INSERT INTO item VALUES (1)")
    except OperationalError as error:
        failures.append(str(error))
    finally:
        connections[alias].close()


def _run_two(alias: str) -> list[str]:
    failures: list[str] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_read_then_write, args=(alias, failures, start)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_two_requests_reading_then_writing_both_succeed(file_database: Any) -> None:
    alias = file_database(connections.settings["default"]["OPTIONS"])
    assert _run_two(alias) == []
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        assert cursor.fetchone() == (2,)


def test_without_the_options_the_same_requests_lock(file_database: Any) -> None:
    # The control: SQLite's default (deferred transactions) makes one of them fail.
    alias = file_database({"init_command": "PRAGMA journal_mode=WAL;", "timeout": 5})
    assert any("locked" in failure for failure in _run_two(alias))
