"""The same-cluster leak test: no cluster-level page, partial or export shows a confidential
application to a person of the same cluster who may not read the application.

The application is created through the service (so it is audited, as in real use) with
distinctive words; then every role of the cluster walks every route whose only parameter is
the cluster (pages, their htmx partials, the API lists) and posts to each export, and the
words must appear only for those who may read the application.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.selectors import audit_entries
from clusterdesk.clusters.services import cluster_update
from clusterdesk.core.roles import Role
from clusterdesk.jobs.models import Job
from clusterdesk.projects.models import Application
from clusterdesk.projects.services.applications import (
    application_create,
    application_update,
    partner_save,
)
from clusterdesk.results.indicators import REGISTRY
from clusterdesk.results.services import outcome_declare
from tests.conftest import Tenant, client_for
from tests.factories import CallFactory, OrganisationFactory, follow
from tests.test_leaks import CLUSTER_ROUTES

SECRETS = ("ZQXACRO", "ZQXTITLE-pipette", "ZQXSUMMARY-enzyme")
YEAR = 2026
# What an export needs to run beyond an empty form (the rest export everything).
EXPORT_DATA: dict[str, dict[str, Any]] = {
    "members:organisations": {"format": "csv"},
    "reports:annual": {"year": YEAR, "format": "xlsx"},
    "reports:custom": {
        "start": f"{YEAR - 10}-01-01",
        "end": f"{YEAR}-12-31",
        "indicators": sorted(REGISTRY),
        "lists": "on",
        "format": "xlsx",
    },
}


def confidential_application(tenant: Tenant) -> Application:
    """A draft made by the project manager through the services, with a second partner."""
    pm = tenant.people[Role.PROJECT_MANAGER]
    with scopes_disabled():
        call = CallFactory(cluster=tenant.cluster)
        coordinator = follow(tenant.cluster, OrganisationFactory(name="Coordinateur SA"))
        partner = follow(tenant.cluster, OrganisationFactory(name="Partenaire SAS"))
    with scope(cluster=tenant.cluster):
        app = application_create(
            actor=pm, call=call, coordinator=coordinator, acronym=SECRETS[0], title=SECRETS[1]
        )
        application_update(actor=pm, application=app, summary=SECRETS[2])
        partner_save(actor=pm, application=app, organisation=partner, role="partner")
    return app


def _text(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        body = response.content  # type: ignore[attr-defined]
    if body.startswith(b"PK"):  # XLSX: the text is in the sheets' XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(n).decode() for n in archive.namelist() if n.endswith("xml")
            )
    return body.decode("utf-8-sig", errors="replace")


def _export(
    client: Client, cluster: Tenant, url: str, data: dict[str, Any], on_commit: Any
) -> str | None:
    """Post to an export; if it started a job, the text of the file it produced."""
    with on_commit(execute=True):
        response = client.post(url, data)
    if response.status_code != 302 or "/jobs/" not in response.url:  # type: ignore[attr-defined]
        return None
    with scopes_disabled():
        job = Job.objects.filter(cluster=cluster.cluster).latest("pk")
    assert job.status == Job.Status.DONE, url
    download = reverse("backoffice:job_download", args=[cluster.cluster.slug, job.pk])
    return _text(client.get(download))


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


@pytest.mark.parametrize("role", Role.values)
def test_cluster_pages_and_exports_hide_the_application_from_who_may_not_read_it(
    role: str, tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    app = confidential_application(tenant_a)
    person = tenant_a.people[role]
    with scope(cluster=tenant_a.cluster):
        may_read = person.has_perm("projects.view_application", app)
    client = client_for(person)
    seen: list[str] = []
    exports = 0
    for name in CLUSTER_ROUTES:
        url = reverse(name, kwargs={"cluster_slug": tenant_a.cluster.slug})
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            if response.status_code == 200 and _leaks(_text(response)):
                seen.append(f"GET {name} {headers}")
        exported = _export(
            client, tenant_a, url, EXPORT_DATA.get(name, {}), django_capture_on_commit_callbacks
        )
        if exported is not None:
            exports += 1
            if _leaks(exported):
                seen.append(f"export {name}")
    if may_read:
        # The control: the audit log and its export name the application to its readers.
        assert "GET backoffice:audit {}" in seen and "export backoffice:audit" in seen, seen
    else:
        assert not seen, f"{role} may not read the application but sees it on {seen}"
    if role == Role.DIRECTOR:
        assert exports >= 4  # the audit log, organisations and both reports


def test_the_oracle_splits_the_roles(tenant_a: Tenant) -> None:
    """The walk above means something only if some roles may read and some may not."""
    app = confidential_application(tenant_a)
    with scope(cluster=tenant_a.cluster):
        readers = {
            r for r in Role.values if tenant_a.people[r].has_perm("projects.view_application", app)
        }
    assert readers == {Role.DIRECTOR, Role.PROJECT_MANAGER}


def test_audit_filters_offer_no_action_or_person_of_a_hidden_application(
    tenant_a: Tenant,
) -> None:
    confidential_application(tenant_a)
    url = reverse("backoffice:audit", args=[tenant_a.cluster.slug])
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    for role in (Role.EVENT_MANAGER, Role.FACILITY_MANAGER, Role.FINANCE):
        page = client_for(tenant_a.people[role]).get(url)
        form = page.context["form"]
        actions = [value for value, _label in form.fields["action"].choices]
        assert not [a for a in actions if a.startswith("application")], role
        assert pm not in form.fields["actor"].queryset, role
        assert not form.fields["object_type"].queryset.filter(model="application").exists()
        # Asking for the entries by hand finds nothing either.
        filtered = client_for(tenant_a.people[role]).get(url, {"action": "application"})
        assert not _leaks(filtered.content.decode())
        assert filtered.context["page"].paginator.count == 0
    page = client_for(tenant_a.director).get(url)
    actions = [value for value, _label in page.context["form"].fields["action"].choices]
    assert "application.created" in actions
    assert pm in page.context["form"].fields["actor"].queryset


def test_audit_export_rows_follow_the_person_who_started_it(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    confidential_application(tenant_a)
    with scope(cluster=tenant_a.cluster):
        cluster_update(actor=tenant_a.director, cluster=tenant_a.cluster, seat_city="Lyon")
    url = reverse("backoffice:audit", args=[tenant_a.cluster.slug])

    def actions_exported(role: str) -> list[str]:
        text = _export(
            client_for(tenant_a.people[role]), tenant_a, url, {}, django_capture_on_commit_callbacks
        )
        assert text is not None
        return [row[2] for row in list(csv.reader(io.StringIO(text)))[1:]]

    assert "application.created" in actions_exported(Role.DIRECTOR)
    finance = actions_exported(Role.FINANCE)
    assert not [a for a in finance if a.startswith("application")]
    # A type no domain app registered stays under the cluster-level permission.
    assert "cluster.updated" in finance


def test_outcome_entries_follow_their_application(tenant_a: Tenant) -> None:
    app = confidential_application(tenant_a)
    with scope(cluster=tenant_a.cluster):
        outcome_declare(
            actor=tenant_a.people[Role.PROJECT_MANAGER],
            cluster=tenant_a.cluster,
            kind="publication",
            application=app,
            date=datetime.date(2025, 1, 1),
            title="ZQXOUTCOME",
        )

    def outcome_entries(role: str) -> list[str]:
        with scope(cluster=tenant_a.cluster):
            entries = audit_entries(cluster=tenant_a.cluster, user=tenant_a.people[role])
            return [e.object_repr for e in entries.filter(action="outcome.declared")]

    assert any("ZQXOUTCOME" in r for r in outcome_entries(Role.DIRECTOR))
    assert outcome_entries(Role.FINANCE) == []
