"""Organisations are shared by the instance: every read says whose it wants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from clusterdesk.crm.models import Organisation, UnscopedOrganisationRead
from clusterdesk.crm.selectors import organisations_followed, organisations_none
from tests.conftest import Tenant
from tests.factories import OrganisationFactory, follow

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "clusterdesk"
UNFILTERED = re.compile(r"\bOrganisation\.(objects|_default_manager)\b")


def test_organisation_objects_appears_only_in_crm() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and PACKAGE / "crm" not in path.parents
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNFILTERED.search(line)
    ]
    assert offenders == []


def test_organisation_guard_scans_real_modules() -> None:
    # The scan above must see the modules it protects (and crm's own uses).
    uses = [p for p in (PACKAGE / "crm").rglob("*.py") if "Organisation.objects" in p.read_text()]
    assert len(uses) >= 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "read",
    [
        lambda qs: list(qs),
        lambda qs: qs.count(),
        lambda qs: qs.exists(),
        lambda qs: qs.first(),
        lambda qs: qs.filter(name="x").values_list("pk", flat=True)[:1].get(),
        lambda qs: qs.update(city="Paris"),
        lambda qs: qs.delete(),
        lambda qs: qs.in_bulk(),
    ],
    ids=["list", "count", "exists", "first", "values", "update", "delete", "in_bulk"],
)
def test_organisation_read_without_reach_raises(read) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory()
    with pytest.raises(UnscopedOrganisationRead):
        read(Organisation.objects.all())
    assert Organisation.objects.instance_wide().count() == 1


@pytest.mark.django_db
def test_organisations_followed_lists_only_the_clusters_own(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        ours = follow(tenant_a.cluster)
        theirs = follow(tenant_b.cluster)
        shared = follow(tenant_b.cluster, follow(tenant_a.cluster))
        OrganisationFactory()  # followed by nobody
        assert set(organisations_followed(cluster=tenant_a.cluster)) == {ours, shared}
        both = organisations_followed(cluster=[tenant_a.cluster.pk, tenant_b.cluster.pk])
        assert set(both) == {ours, theirs, shared}
        # Narrowing keeps the reach: a form's choice field validates through it.
        assert organisations_followed(cluster=tenant_a.cluster).filter(pk=theirs.pk).count() == 0
    assert list(organisations_none()) == []
