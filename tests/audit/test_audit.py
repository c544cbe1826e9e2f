from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.audit.selectors import AuditFilter, audit_entries, audit_entries_for_object
from clusterdesk.audit.services import audit_record
from clusterdesk.clusters.services import cluster_update, taxonomy_term_save
from clusterdesk.core.models import Domain
from clusterdesk.core.roles import Role
from clusterdesk.jobs.models import Job
from tests.conftest import Tenant, client_for
from tests.factories import ClusterFactory


def test_audit_record_outside_a_transaction_is_refused(transactional_db: None) -> None:
    cluster = ClusterFactory()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x.y", obj=cluster)


def test_audit_entries_cannot_be_changed_or_deleted(tenant_a: Tenant) -> None:
    with transaction.atomic():
        entry = audit_record(actor=tenant_a.director, action="x.y", obj=tenant_a.cluster)
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
        with pytest.raises(TypeError):
            AuditEntry.objects.all().delete()


def test_cluster_update_records_only_the_change(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster):
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, seat_city="Lyon")
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, seat_city="Lyon")
        entries = list(audit_entries_for_object(obj=tenant_a.cluster))
    assert len(entries) == 1
    assert entries[0].action == "cluster.updated"
    assert entries[0].changes == [("seat_city", "", "Lyon")]


def test_failed_update_writes_neither_change_nor_entry(tenant_a: Tenant) -> None:
    from django.core.exceptions import ValidationError

    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, website="not a url")
    tenant_a.cluster.refresh_from_db()
    assert tenant_a.cluster.website == ""
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="cluster.updated").exists()


def test_audit_filters_by_person_action_object_and_date(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    with scope(cluster=tenant_a.cluster):
        term = taxonomy_term_save(
            actor=tenant_a.director, term=Domain(cluster=tenant_a.cluster), name="Diagnostic"
        )
        taxonomy_term_save(actor=pm, term=term, name="Diagnostic in vitro")
        cluster_update(actor=pm, cluster=tenant_a.cluster, seat_city="Lyon")
        everything = audit_entries(cluster=tenant_a.cluster, user=tenant_a.director)
        by_pm = audit_entries(
            cluster=tenant_a.cluster, user=tenant_a.director, filters=AuditFilter(actor_id=pm.pk)
        )
        domains = audit_entries(
            cluster=tenant_a.cluster, user=tenant_a.director, filters=AuditFilter(action="domain")
        )
        created = audit_entries(
            cluster=tenant_a.cluster,
            user=tenant_a.director,
            filters=AuditFilter(action="domain.created"),
        )
        of_term = audit_entries_for_object(obj=term)
        first = everything.last()
        assert first is not None
        later = audit_entries(
            cluster=tenant_a.cluster,
            user=tenant_a.director,
            filters=AuditFilter(date_from=first.created_at.date().replace(year=2999)),
        )
        assert everything.count() == 3
        assert {e.action for e in by_pm} == {"domain.updated", "cluster.updated"}
        assert domains.count() == 2 and created.count() == 1
        assert [e.action for e in of_term] == ["domain.updated", "domain.created"]
        assert not later.exists()


def test_audit_page_filters_and_shows_changes(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    with scope(cluster=tenant_a.cluster):
        cluster_update(actor=pm, cluster=tenant_a.cluster, seat_city="Grenoble")
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, website="https://a.fr")
    client = client_for(tenant_a.director)
    url = reverse("backoffice:audit", args=[tenant_a.cluster.slug])
    page = client.get(url, {"actor": pm.pk})
    assert [e.actor for e in page.context["page"]] == [pm]
    assert "Grenoble" in page.content.decode()
    partial = client.get(url, {"actor": pm.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_audit_page_is_for_staff_only(tenant_a: Tenant) -> None:
    url = reverse("backoffice:audit", args=[tenant_a.cluster.slug])
    assert client_for(tenant_a.people[Role.EXPERT]).get(url).status_code == 403
    assert client_for(tenant_a.people[Role.FINANCE]).get(url).status_code == 200


def test_audit_export_runs_as_a_job_and_downloads_csv(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    with scope(cluster=tenant_a.cluster):
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, seat_city="Lyon")
    client = client_for(tenant_a.director)
    url = reverse("backoffice:audit", args=[tenant_a.cluster.slug])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"{url}?action=cluster")
    assert response.status_code == 302
    with scopes_disabled():
        job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.total == 1
    progress = client.get(response.url, HTTP_HX_REQUEST="true")
    assert "Download" in progress.content.decode() or "Télécharger" in progress.content.decode()
    download = client.get(reverse("backoffice:job_download", args=[tenant_a.cluster.slug, job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["time", "actor", "action"]
    assert [r[2] for r in rows[1:]] == ["cluster.updated"]


def test_job_of_another_person_is_not_found_but_director_sees_it(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    with scopes_disabled():
        job = Job.objects.create(cluster=tenant_a.cluster, user=pm, kind="x", label="Export")
    url = reverse("backoffice:job", args=[tenant_a.cluster.slug, job.pk])
    assert client_for(tenant_a.people[Role.FINANCE]).get(url).status_code == 404
    assert client_for(pm).get(url).status_code == 200
    assert client_for(tenant_a.director).get(url).status_code == 200
