"""`clusterdesk backup` / `restore`: a database and its files survive the round trip.

On SQLite in the normal suite; on PostgreSQL when the suite runs there (pg_dump and
pg_restore from the machine's client tools)."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.projects.models import Application, ApplicationDocument
from clusterdesk.projects.services.applications import document_add
from tests.conftest import make_tenant
from tests.factories import MembershipFactory, OrganisationFactory, application, follow

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4 dossier " + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _pg_tools() -> None:
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump/pg_restore are not installed (postgresql-client)")


def build_world() -> None:
    with scopes_disabled():
        tenant = make_tenant(name="Pôle Sauvegarde", slug="sauvegarde")
        org = OrganisationFactory(name="Biotech Ôrigine SAS")
        follow(tenant.cluster, org)
        MembershipFactory(cluster=tenant.cluster, organisation=org, year=2025)
        app = application(tenant.cluster, partners=((org, "coordinator"),), acronym="SAVE")
        upload = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
        document_add(actor=tenant.director, application=app, upload=upload, kind="proposal")


def snapshot(media: Path) -> dict[str, Any]:
    """What a person would miss: the rows of the main tables and the stored files' bytes."""
    with scopes_disabled():
        rows = {
            "clusters": list(Cluster.objects.values_list("pk", "slug", "name").order_by("pk")),
            "users": list(User.objects.values_list("pk", "email", "password").order_by("pk")),
            "roles": list(ClusterRole.objects.values_list("pk", "user_id", "role").order_by("pk")),
            "organisations": list(
                Organisation.objects.instance_wide().values_list("pk", "name").order_by("pk")
            ),
            "memberships": list(Membership.objects.values_list("pk", "year").order_by("pk")),
            "applications": list(Application.objects.values_list("pk", "acronym", "state")),
            "documents": list(ApplicationDocument.objects.values_list("pk", "file", "size")),
            "audit": list(AuditEntry.objects.values_list("pk", "action", "after").order_by("pk")),
        }
    files = {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    return {"rows": rows, "files": files}


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_backup_and_restore_round_trip_the_database_and_its_files(
    media: Path, tmp_path: Path
) -> None:
    build_world()
    before = snapshot(media)
    assert before["files"] and all(before["rows"].values())
    call_command("backup", str(tmp_path))
    [archive] = tmp_path.glob("clusterdesk-*.tar")

    wipe(media)
    assert snapshot(media)["files"] == {}
    with scopes_disabled():
        assert not Cluster.objects.exists()
    call_command("restore", str(archive))

    assert snapshot(media) == before
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1
    assert "0001_initial" in manifest["migrations"]["projects"]


def test_restore_refuses_a_database_with_data_unless_forced(media: Path, tmp_path: Path) -> None:
    build_world()
    archive = tmp_path / "before.tar"
    call_command("backup", str(archive))
    with scopes_disabled():
        Organisation.objects.instance_wide().update(name="Renamed after the backup")
    (media / "stray.txt").write_text("written after the backup")

    with pytest.raises(CommandError, match="holds data"):
        call_command("restore", str(archive))
    with scopes_disabled():
        assert Organisation.objects.instance_wide().get().name == "Renamed after the backup"

    call_command("restore", str(archive), "--force")
    with scopes_disabled():
        assert Organisation.objects.instance_wide().get().name == "Biotech Ôrigine SAS"
    assert not (media / "stray.txt").exists()


def rewrite_manifest(archive: Path, target: Path, **changes: Any) -> None:
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.load(data)  # type: ignore[arg-type]
                manifest.update(changes)
                body = json.dumps(manifest).encode()
                member.size = len(body)
                data = io.BytesIO(body)
            out.addfile(member, data)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"engine": "oracle"}, "holds a oracle database"),
        ({"migrations": {"projects": ["0001_initial", "0999_future"]}}, "newer version"),
        ({"format": 7}, "Unknown backup format"),
    ],
)
def test_restore_checks_the_manifest(
    media: Path, tmp_path: Path, changes: dict[str, Any], refusal: str
) -> None:
    build_world()
    archive = tmp_path / "good.tar"
    call_command("backup", str(archive))
    tampered = tmp_path / "tampered.tar"
    rewrite_manifest(archive, tampered, **changes)
    with pytest.raises(CommandError, match=refusal):
        call_command("restore", str(tampered), "--force")


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="notes.py")
    with pytest.raises(CommandError, match="not a ClusterDesk backup"):
        call_command("restore", str(other))
