from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import Invitation
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Theme
from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for

PAGES = {
    "backoffice:cluster_home": set(Role.values) - {Role.MEMBER},
    "backoffice:cluster_settings": {Role.DIRECTOR},
    "backoffice:team": {Role.DIRECTOR},
    "backoffice:audit": {
        Role.DIRECTOR,
        Role.PROJECT_MANAGER,
        Role.EVENT_MANAGER,
        Role.FACILITY_MANAGER,
        Role.FINANCE,
    },
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_open_to_the_roles_that_need_it(name: str, role: str, tenant_a: Tenant) -> None:
    response = client_for(tenant_a.people[role]).get(reverse(name, args=[tenant_a.cluster.slug]))
    if role == Role.MEMBER and name == "backoffice:cluster_home":
        assert response.url == reverse("portal:home", args=[tenant_a.cluster.slug])
    else:
        assert response.status_code == (200 if role in PAGES[name] else 403)


def test_menu_shows_only_permitted_entries(tenant_a: Tenant) -> None:
    url = reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])

    def sections(role: str) -> set[str]:
        menu = client_for(tenant_a.people[role]).get(url).context["cluster_menu"]
        return {entry["url"].split("/")[3] for entry in menu}

    director, expert = sections(Role.DIRECTOR), sections(Role.EXPERT)
    assert {"", "members", "team", "audit", "settings", "projects"} <= director
    assert "reviews" in expert
    assert not {"members", "team", "audit", "settings", "projects"} & expert


def test_settings_form_redisplays_errors_and_saves_nothing(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    url = reverse("backoffice:cluster_settings", args=[tenant_a.cluster.slug])
    response = client.post(
        url, {"name": "", "kind": "pole", "founded_year": "abc", "state_label": "4y"}
    )
    assert response.status_code == 400
    assert {"name", "founded_year"} <= set(response.context["form"].errors)
    tenant_a.cluster.refresh_from_db()
    assert tenant_a.cluster.name == "Pôle Alpha"


def test_settings_saves_and_audits(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    url = reverse("backoffice:cluster_settings", args=[tenant_a.cluster.slug])
    data = {
        "name": "Pôle Alpha",
        "kind": "pole",
        "founded_year": "2005",
        "state_label": "4y",
        "website": "alpha.example.org",
        "sector": "santé",
    }
    assert client.post(url, data).status_code == 302
    tenant_a.cluster.refresh_from_db()
    assert tenant_a.cluster.founded_year == 2005
    assert tenant_a.cluster.website == "https://alpha.example.org"
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="cluster.updated")
    assert entry.after["founded_year"] == 2005 and entry.before["founded_year"] is None


def test_domain_and_theme_can_be_added_and_renamed(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    slug = tenant_a.cluster.slug
    client.post(
        reverse("backoffice:theme_create", args=[slug]),
        {"name": "Cancer", "name_en": "Cancer", "since_year": "2013", "position": "1"},
    )
    with scope(cluster=tenant_a.cluster):
        theme = Theme.objects.get(name="Cancer")
        domain = Domain.objects.get()
    client.post(
        reverse("backoffice:domain_edit", args=[slug, domain.pk]),
        {"name": "Diagnostic in vitro", "name_en": "IVD", "position": "0"},
    )
    domain.refresh_from_db()
    assert theme.since_year == 2013 and domain.name == "Diagnostic in vitro"
    duplicate = client.post(
        reverse("backoffice:domain_create", args=[slug]),
        {"name": "Diagnostic in vitro", "position": "0"},
    )
    assert duplicate.status_code == 400


def test_director_invites_changes_roles_and_revokes(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    client = client_for(tenant_a.director)
    slug = tenant_a.cluster.slug
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            reverse("backoffice:team", args=[slug]),
            {"email": "new@example.org", "roles": [Role.EXPERT]},
        )
    assert len(mail.outbox) == 1
    bad = client.post(reverse("backoffice:team", args=[slug]), {"email": "nope", "roles": []})
    assert bad.status_code == 400 and {"email", "roles"} <= set(bad.context["form"].errors)

    with scopes_disabled():
        invitation = Invitation.objects.get()
    client.post(reverse("backoffice:invitation_revoke", args=[slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    expert = tenant_a.people[Role.EXPERT]
    client.post(reverse("backoffice:team_member", args=[slug, expert.pk]), {"roles": []})
    with scopes_disabled():
        assert not ClusterRole.objects.filter(user=expert).exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"team.invited", "team.invitation_revoked", "team.member_removed"} <= actions


def test_director_removing_own_last_director_role_is_refused(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    url = reverse("backoffice:team_member", args=[tenant_a.cluster.slug, tenant_a.director.pk])
    response = client.post(url, {"roles": [Role.FINANCE]})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_team_list_has_no_n_plus_one(
    tenant_a: Tenant, django_assert_max_num_queries: object
) -> None:
    from tests.factories import UserFactory, grant

    client = client_for(tenant_a.director)
    url = reverse("backoffice:team", args=[tenant_a.cluster.slug])
    client.get(url)
    with scopes_disabled():
        for _ in range(10):
            grant(UserFactory(), tenant_a.cluster, Role.EXPERT)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_region_page_lists_clusters_and_links_only_openable_ones(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    from tests.factories import ClusterFactory

    with scopes_disabled():
        neighbour = ClusterFactory(region=tenant_a.cluster.region, name="Voisin")
    url = reverse("region", args=[tenant_a.cluster.region.slug])
    html = client_for(tenant_a.director).get(url).content.decode()
    assert "Voisin" in html and "Pôle Alpha" in html and "Pôle Beta" not in html
    assert reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug]) in html
    assert reverse("backoffice:cluster_home", args=[neighbour.slug]) not in html
    # The figures agree with their counts ("2 pôles labellisés", "1 pôle labellisé").
    with scopes_disabled():
        Cluster.objects.filter(region=tenant_a.cluster.region).update(state_label="4y")
        ClusterFactory(region=tenant_a.cluster.region, name="Neuf", state_label="new")
    html = client_for(tenant_a.director).get(url).content.decode()
    assert "<strong>2</strong> pôles labellisés pour 4 ans" in html
    assert "<strong>1</strong> pôle nouvellement labellisé" in html


def test_friendly_404_page(db: None) -> None:
    from django.test import Client

    response = Client().get("/c/nope/settings/")
    assert response.status_code in (302, 404)
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "ClusterDesk" in response.content.decode()
