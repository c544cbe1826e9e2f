from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django_scopes import ScopeError, scope, scopes_disabled

from clusterdesk.core.models import Domain
from tests.conftest import Tenant, client_for


def _tenant_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if any(f.name == "cluster" for f in m._meta.get_fields())
        and m.__module__.startswith("clusterdesk.")
    ]


def test_tenant_models_are_found() -> None:
    names = {m.__name__ for m in _tenant_models()}
    assert {"Domain", "Theme", "ClusterRole", "Invitation", "AuditEntry", "Job"} <= names


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m._meta.label)
def test_every_manager_of_a_tenant_model_needs_a_scope(model: type[models.Model]) -> None:
    # Every manager, not only the default one: a second plain manager would be a way around.
    for manager in model._meta.managers:
        with pytest.raises(ScopeError):
            list(manager.all())


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m._meta.label)
def test_tenant_rows_have_a_cluster(model: type[models.Model]) -> None:
    field = model._meta.get_field("cluster")
    # Only the audit log may hold instance-level rows (a person's own account events).
    assert field.null is False or model._meta.label == "audit.AuditEntry"


def test_scope_limits_queries_to_the_cluster(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scope(cluster=tenant_a.cluster):
        assert set(Domain.objects.values_list("cluster_id", flat=True)) == {tenant_a.cluster.pk}
    with scope(cluster=[]):
        assert not Domain.objects.exists()
    with scopes_disabled():
        assert Domain.objects.count() == 2


def test_request_runs_in_the_cluster_scope(tenant_a: Tenant, tenant_b: Tenant) -> None:
    client = client_for(tenant_a.director)
    response = client.get(reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug]))
    assert response.status_code == 200
    facts = response.context["facts"]
    assert [d.cluster_id for d in facts.domains] == [tenant_a.cluster.pk]


def test_anonymous_visitor_is_sent_to_login_from_a_cluster_page(tenant_a: Tenant) -> None:
    from django.test import Client

    url = reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_region_funder_reads_the_clusters_of_its_region_only(
    tenant_a: Tenant, tenant_b: Tenant, region_funder: object
) -> None:
    client = client_for(region_funder)  # type: ignore[arg-type]
    ours = reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])
    theirs = reverse("backoffice:cluster_home", args=[tenant_b.cluster.slug])
    assert client.get(ours).status_code == 200
    assert client.get(theirs).status_code == 404  # tenant_b is in another region
    team = reverse("backoffice:team", args=[tenant_a.cluster.slug])
    assert client.get(team).status_code == 403
