"""The disk fills up during an upload: a clear message, and neither a half-written file nor
a row left behind (the file is written whole beside the media, then renamed into place)."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.storage import MediaStorage
from clusterdesk.projects.models import Application, ApplicationDocument
from clusterdesk.projects.services.applications import document_add
from clusterdesk.results.models import Outcome
from tests.conftest import Tenant, client_for
from tests.core.test_database_unavailable import database_gone
from tests.factories import application


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"  # the tests read English messages
    return client


PDF = b"%PDF-1.4 " + b"x" * 200_000


class _FillsTheDisk(File):  # type: ignore[type-arg]
    """Content whose writing stops half-way with ENOSPC, as on a full disk."""

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        data = self.file.read()
        yield data[: len(data) // 2]
        raise OSError(errno.ENOSPC, "No space left on device")


class DiskFullStorage(MediaStorage):
    def _save(self, name: str, content: Any) -> str:
        content.seek(0)
        return super()._save(name, _FillsTheDisk(content.file, name=content.name))


DISK_FULL = {
    "default": {"BACKEND": "tests.core.test_disk_full.DiskFullStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def project(tenant_a: Tenant) -> Application:
    with scopes_disabled():
        return application(tenant_a.cluster)


def test_document_upload_on_a_full_disk_says_so_and_keeps_nothing(
    tenant_a: Tenant, project: Application, media: Path, settings: Any
) -> None:
    settings.STORAGES = DISK_FULL
    url = reverse(
        "labelling:document_add",
        kwargs={"cluster_slug": tenant_a.cluster.slug, "app_id": project.pk},
    )
    upload = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
    response = english(client_for(tenant_a.director)).post(
        url, {"kind": "proposal", "file": upload}
    )
    assert response.status_code == 400
    assert "the server&#x27;s disk is full" in response.content.decode()
    with scopes_disabled():
        assert not ApplicationDocument.objects.exists()
        assert not AuditEntry.objects.filter(action="application.document_added").exists()
    assert stored_files(media) == []


def test_document_upload_works_again_once_there_is_room(
    tenant_a: Tenant, project: Application, media: Path
) -> None:
    upload = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
    with scopes_disabled():
        document = document_add(actor=tenant_a.director, application=project, upload=upload)
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]
    assert (media / document.file.name).read_bytes() == PDF


def test_document_whose_row_cannot_be_written_takes_its_file_away(
    tenant_a: Tenant, project: Application, media: Path
) -> None:
    upload = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
    with (
        scopes_disabled(),
        database_gone(when='INSERT INTO "projects_applicationdocument"'),
        pytest.raises(OperationalError),
    ):
        document_add(actor=tenant_a.director, application=project, upload=upload)
    assert stored_files(media) == []


def test_evidence_upload_on_a_full_disk_says_so_and_declares_nothing(
    tenant_a: Tenant, media: Path, settings: Any
) -> None:
    with scopes_disabled():
        project = application(tenant_a.cluster, state="labelled", acronym="ALPHA1")
    settings.STORAGES = DISK_FULL
    url = reverse("outcomes:outcome_declare", kwargs={"cluster_slug": tenant_a.cluster.slug})
    upload = SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")
    response = english(client_for(tenant_a.director)).post(
        url + "?kind=product",
        {"kind": "product", "application": project.pk, "date": "2024-01-10", "title": "Kit"}
        | {"evidence": upload},
    )
    assert response.status_code == 400
    assert "the server&#x27;s disk is full" in response.content.decode()
    with scopes_disabled():
        assert not Outcome.objects.exists()
    assert stored_files(media) == []
