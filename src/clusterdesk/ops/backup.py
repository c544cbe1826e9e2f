"""One archive with the database and the media files, and its restoration.

The archive is a tar file:

- ``manifest.json``: format, ClusterDesk version, date, database engine, the migrations
  applied, whether the media files are inside;
- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, a consistent copy taken with the online backup API while the site runs);
- ``media/…``: the media files, when they are on the local disk (an S3-compatible store is
  backed up with the store's own tools).

Restoring checks the manifest (same engine, no migration this code does not know), refuses
to overwrite a database that holds data unless told to, replaces the database and the media
files, then applies this code's newer migrations.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_scopes import scopes_disabled

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
# Files the storage keeps while writing (core.storage.INCOMING): never part of a backup.
SKIPPED_MEDIA = (".incoming",)
# Rows every migrated database has: a database with only these is empty.
BOOKKEEPING = (ContentType, Permission, Session)


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Manifest:
    version: str
    created_at: str
    engine: str
    database_file: str
    migrations: dict[str, list[str]]
    media_included: bool
    media_files: int
    format: int = FORMAT

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def local_media_root() -> Path | None:
    """The media folder when media live on the local disk, else None (an object store)."""
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def media_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED_MEDIA or not path.is_file():
            continue
        yield relative


def version() -> str:
    try:
        return metadata.version("clusterdesk")
    except metadata.PackageNotFoundError:
        return "unknown"


# -- the database, per engine --------------------------------------------------------------


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The program with the connection's parameters; the password goes in the environment."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed (Debian: apt install postgresql-client).")
    params = connection.settings_dict
    args = [path, "--no-owner", "--no-privileges", "--dbname", str(params["NAME"])]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [option, str(params[key])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def dump_database(target: Path) -> None:
    if engine() == "postgresql":
        args, env = _pg_command("pg_dump")
        _run([*args, "--format=custom", "--file", str(target)], env)
        return
    # The online backup API: a consistent copy even while the web server and worker write.
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def load_database(source: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if engine() == "postgresql":
        # Everything goes, including tables a later version added: the dump is the truth.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        args, env = _pg_command("pg_restore")
        _run([*args, "--exit-on-error", "--single-transaction", str(source)], env)
        return
    with sqlite3.connect(source) as backup:
        backup.backup(connection.connection)
    backup.close()


def database_has_data() -> bool:
    """Whether any table holds rows beyond what `migrate` itself writes."""
    connection.ensure_connection()
    if MigrationRecorder.Migration._meta.db_table not in connection.introspection.table_names():
        return False
    tables = set(connection.introspection.table_names())
    with scopes_disabled():
        return any(
            model._base_manager.exists()
            for model in apps.get_models()
            if model._meta.db_table in tables
            and not model._meta.proxy
            and model._meta.managed
            and model not in BOOKKEEPING
        )


# -- archives --------------------------------------------------------------------------------


def backup_create(destination: Path) -> tuple[Path, Manifest]:
    """Write the archive (a file name, or a folder to put a dated one in); return both."""
    now = datetime.datetime.now(datetime.UTC)
    if destination.is_dir():
        destination = destination / f"clusterdesk-{now:%Y%m%d-%H%M%S}.tar"
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose another name.")
    vendor = engine()
    database_file = "database.pgdump" if vendor == "postgresql" else "database.sqlite3"
    root = local_media_root()
    files = list(media_files(root)) if root and root.exists() else []
    manifest = Manifest(
        version=version(),
        created_at=now.isoformat(timespec="seconds"),
        engine=vendor,
        database_file=database_file,
        migrations=applied_migrations(),
        media_included=root is not None,
        media_files=len(files),
    )
    partial = destination.with_name(destination.name + ".partial")
    try:
        with tempfile.TemporaryDirectory() as work, tarfile.open(partial, "w") as archive:
            dump = Path(work) / database_file
            dump_database(dump)
            _add_bytes(archive, MANIFEST, manifest.as_json())
            archive.add(dump, arcname=database_file)
            for relative in files:
                assert root is not None
                archive.add(root / relative, arcname=f"{MEDIA}/{relative.as_posix()}")
        partial.rename(destination)  # a backup is whole or absent
    finally:
        partial.unlink(missing_ok=True)
    return destination, manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def manifest_read(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST)
        data: dict[str, Any] = json.loads(member.read()) if member else {}
    except (KeyError, ValueError) as exc:
        raise BackupError("This is not a ClusterDesk backup (no readable manifest).") from exc
    if data.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {data.get('format')!r} (expected {FORMAT}).")
    return Manifest(**data)


def manifest_check(manifest: Manifest) -> None:
    """Refuse a backup this install cannot take: another engine, or a newer schema."""
    if manifest.engine != engine():
        raise BackupError(
            f"The backup holds a {manifest.engine} database; this install uses {engine()}."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        if app in installed
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "The backup comes from a newer version of ClusterDesk (migrations unknown here: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}); install that "
            "version to restore it."
        )


def backup_restore(source: Path, *, force: bool = False) -> Manifest:
    """Replace the database and the media files with the archive's; return its manifest."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory() as work:
        manifest = manifest_read(archive)
        manifest_check(manifest)
        if not force and database_has_data():
            raise BackupError(
                "The database holds data; restoring would replace it. Use --force to do so."
            )
        root = local_media_root()
        if manifest.media_included and root is None:
            raise BackupError("The backup holds media files but the media are in an object store.")
        archive.extractall(work, filter="data")
        load_database(Path(work) / manifest.database_file)
        if manifest.media_included and root is not None:
            _replace_media(Path(work) / MEDIA, root)
    connection.close()  # the next query sees the restored database afresh
    # The restored schema is brought up to this code's migrations.
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _replace_media(extracted: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative in list(media_files(root)):
        (root / relative).unlink()
    if not extracted.exists():
        return
    for path in sorted(extracted.rglob("*")):
        if path.is_file():
            target = root / path.relative_to(extracted)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
