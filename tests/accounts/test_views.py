from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from clusterdesk.accounts.models import ApiToken, User
from clusterdesk.accounts.services import invitation_create, invitation_token
from clusterdesk.audit.selectors import audit_entries_of_person
from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for
from tests.factories import PASSWORD, UserFactory


def test_login_with_email_and_password(db: None) -> None:
    user = UserFactory(email="ada@example.org")
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "ADA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_refuses_wrong_password_with_a_message(db: None) -> None:
    UserFactory(email="ada@example.org")
    response = Client().post(
        reverse("accounts:login"), {"username": "ada@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_login_is_throttled_after_five_failures(db: None) -> None:
    UserFactory(email="ada@example.org")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "ada@example.org", "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


SPELLINGS = ["Plateformes@example.org", "pLateformes@example.org", "PLATEFORMES@EXAMPLE.ORG"]


def test_login_lockout_holds_for_every_spelling_of_the_address(db: None) -> None:
    UserFactory(email="plateformes@example.org")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "plateformes@example.org", "password": "wrong"})
    for spelling in [*SPELLINGS, " plateformes@example.org ", "PLATEFORMES@example.org  "]:
        refused = client.post(url, {"username": spelling, "password": PASSWORD})
        assert refused.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def test_login_failures_in_different_spellings_add_up(db: None) -> None:
    UserFactory(email="plateformes@example.org")
    client = Client()
    url = reverse("accounts:login")
    for spelling in [*SPELLINGS, "plateformes@example.org ", "Plateformes@Example.org"]:
        client.post(url, {"username": spelling, "password": "wrong"})
    response = client.post(url, {"username": "plateformes@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_accepts_the_address_with_spaces_and_capitals(db: None) -> None:
    user = UserFactory(email="plateformes@example.org")
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": " PLATEFORMES@example.org ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_password_reset_sends_a_working_link_and_audits_the_change(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="ada@example.org", language="en")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "ada@example.org"})
    assert len(mail.outbox) == 1
    # Sent by notify: in the person's language, whatever the page's.
    assert mail.outbox[0].subject == "ClusterDesk: choose a new password"
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    new = "A-much-better-secret-2026"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert User.objects.get(email="ada@example.org").check_password(new)
    entry = audit_entries_of_person(user_id=user.pk).get(action="account.password_changed")
    assert entry.after == {"how": "reset"}
    assert entry.object_id == str(user.pk)


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(db: None) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "no@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_creates_shows_once_and_revokes_a_token(db: None) -> None:
    user = UserFactory()
    client = client_for(user)
    response = client.post(reverse("accounts:token_create"), {"name": "ci", "valid_days": "30"})
    raw = response.context["new_token"]
    assert raw.startswith("cd_")
    token = ApiToken.objects.get(user=user)
    assert token.expires_at is not None
    assert raw not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_form_redisplays_errors(db: None) -> None:
    client = client_for(UserFactory())
    response = client.post(reverse("accounts:token_create"), {"name": "", "valid_days": "-3"})
    assert response.status_code == 400
    assert set(response.context["token_form"].errors) == {"name", "valid_days"}


def test_profile_language_switches_the_interface(db: None) -> None:
    user = UserFactory()
    client = client_for(user)
    client.post(reverse("accounts:profile"), {"full_name": "Ada L", "language": "en"})
    user.refresh_from_db()
    assert user.language == "en"
    assert "My profile" in client.get(reverse("accounts:profile")).content.decode()


def _invite(tenant: Tenant, email: str) -> str:
    with scope(cluster=tenant.cluster):
        invitation = invitation_create(
            actor=tenant.director, cluster=tenant.cluster, email=email, roles=[Role.FINANCE]
        )
    return reverse("accounts:invitation", args=[invitation_token(invitation)])


def test_invited_newcomer_creates_account_and_joins(tenant_a: Tenant) -> None:
    url = _invite(tenant_a, "newcomer@example.org")
    client = Client()
    weak = client.post(url, {"full_name": "N", "password1": "abc", "password2": "abc"})
    assert weak.status_code == 200 and weak.context["form"].errors
    assert not User.objects.filter(email="newcomer@example.org").exists()
    good = "Newcomer-password-2026"
    response = client.post(url, {"full_name": "New Comer", "password1": good, "password2": good})
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.has_perm("core.view_audit_cluster", tenant_a.cluster)


def test_invitation_for_another_address_is_refused(tenant_a: Tenant) -> None:
    url = _invite(tenant_a, "someone@example.org")
    intruder = UserFactory()
    response = client_for(intruder).post(url)
    assert response.status_code == 403
    assert not intruder.has_perm("core.view_cluster", tenant_a.cluster)


def test_forged_invitation_link_is_not_found(db: None) -> None:
    response = Client().get(reverse("accounts:invitation", args=["forged:token"]))
    assert response.status_code == 404


def test_sign_in_lasts_until_the_browser_closes_and_twelve_hours_at_most(db: None) -> None:
    user = UserFactory()
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 12 * 3600
    # The cookie is a session cookie: no Max-Age, no Expires.
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]
