"""Two-factor sign-in: set-up, the sign-in step, recovery codes, turning it off, and the
cluster setting that requires it of staff and funders."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.selectors import two_factor_required_for
from clusterdesk.accounts.services import api_token_create
from clusterdesk.accounts.two_factor import two_factor_enable, two_factor_start
from clusterdesk.audit.models import AuditEntry
from clusterdesk.audit.selectors import audit_entries_of_person
from clusterdesk.clusters.services import cluster_update
from clusterdesk.core.roles import STAFF_ROLES, Role
from tests.conftest import Tenant, client_for
from tests.factories import PASSWORD, UserFactory, funder

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor")
PROFILE = reverse("accounts:profile")


@pytest.fixture
def clock() -> Any:
    """A clock that moves only when told: TOTP codes depend on the 30-second step."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:06d}"


def sign_in(user: User) -> tuple[Client, Any]:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, follow=True
    )
    return client, response


def with_two_factor(user: User) -> list[str]:
    """The person as after the set-up: a confirmed device, and their recovery codes."""
    device = two_factor_start(user=user)
    _device, codes = two_factor_enable(user=user, token=code_of(device))
    return codes


def actions_of(user: User) -> list[str]:
    return list(
        audit_entries_of_person(user_id=user.pk).order_by("pk").values_list("action", flat=True)
    )


# -- the whole flow through the pages -------------------------------------------------------


def test_two_factor_set_up_sign_in_recovery_and_turn_off(db: None, clock: Any) -> None:
    user = UserFactory(email="ada@example.org")
    client, _ = sign_in(user)
    assert client.get(PROFILE).status_code == 200  # nobody requires it of her yet

    page = client.get(SETUP)
    assert b"<svg" not in page.content
    started = client.post(reverse("accounts:two_factor_start"))
    assert started.status_code == 302
    page = client.get(started["Location"])
    # The QR code is inline SVG markup (the CSP needs no exception), the key also in text.
    assert re.search(rb'<svg [^>]*class="qr"', page.content)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url

    # A wrong code does not confirm the device.
    wrong = client.post(reverse("accounts:two_factor_enable"), {"code": "12345"})
    assert wrong.status_code == 400
    clock.shift(60)
    confirmed = client.post(reverse("accounts:two_factor_enable"), {"code": code_of(device)})
    assert confirmed.status_code == 200
    codes = confirmed.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(PROFILE).status_code == 200  # this session has just shown a code

    # Signing in again: the password alone leads to the second step, and no further.
    client.post(reverse("accounts:logout"))
    client, response = sign_in(user)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert client.get(PROFILE)["Location"] == f"{VERIFY}?next=%2Faccounts%2Fprofile%2F"

    clock.shift(60)
    refused = client.post(VERIFY, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert refused.status_code == 400
    assert client.get(PROFILE).status_code == 302
    clock.shift(60)  # waits out the throttle after the wrong code
    accepted = client.post(VERIFY, {"code": code_of(device), "next": PROFILE})
    assert accepted.status_code == 302 and accepted["Location"] == PROFILE
    assert client.get(PROFILE).status_code == 200

    # A recovery code signs in once, then it is spent.
    client.post(reverse("accounts:logout"))
    client, _ = sign_in(user)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(PROFILE).status_code == 200
    client.post(reverse("accounts:logout"))
    client, _ = sign_in(user)
    clock.shift(60)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert client.get(PROFILE).status_code == 302
    clock.shift(60)
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302

    # Turning it off asks for a current code.
    clock.shift(60)
    assert client.post(reverse("accounts:two_factor_disable"), {"code": "nope"}).status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    clock.shift(60)
    off = client.post(reverse("accounts:two_factor_disable"), {"code": code_of(device)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    client.post(reverse("accounts:logout"))
    client, response = sign_in(user)
    assert response.redirect_chain[-1][0] == reverse("home")

    assert actions_of(user) == [
        "two_factor.enabled",
        "two_factor.recovery_code_used",
        "two_factor.recovery_code_used",
        "two_factor.disabled",
    ]
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action__startswith="two_factor.").exclude(cluster=None)


def test_two_factor_wrong_code_throttles_even_the_right_one(db: None, clock: Any) -> None:
    user = UserFactory()
    with_two_factor(user)
    device = TOTPDevice.objects.get(user=user)
    client, _ = sign_in(user)
    clock.shift(60)
    right = code_of(device)
    client.post(VERIFY, {"code": "000000" if right != "000000" else "111111"})
    assert client.post(VERIFY, {"code": right}).status_code == 400
    clock.shift(2)
    assert client.post(VERIFY, {"code": right}).status_code == 302


def test_recovery_codes_renewed_replace_the_old_ones(db: None, clock: Any) -> None:
    user = UserFactory()
    old = with_two_factor(user)
    client, _ = sign_in(user)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 302
    page = client.get(SETUP)
    assert page.context["codes_left"] == 9
    renewed = client.post(reverse("accounts:two_factor_recovery_codes"))
    new = [c.replace("-", "") for c in renewed.context["codes"]]
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("accounts:logout"))
    client, _ = sign_in(user)
    clock.shift(60)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 400
    clock.shift(60)
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302
    assert "two_factor.recovery_codes_renewed" in actions_of(user)


def test_unverified_session_reaches_neither_set_up_nor_other_pages(db: None) -> None:
    """The password alone must not let anyone renew the codes or see the profile."""
    user = UserFactory()
    codes = with_two_factor(user)
    client, _ = sign_in(user)
    for url in (SETUP, PROFILE, reverse("home"), reverse("accounts:token_create")):
        response = client.post(url) if url.endswith("tokens/") else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    renew = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert renew["Location"].startswith(VERIFY)
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == (sorted(codes))
    # Leaving and the language switch stay open.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"})["Location"] == "/"
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")


def test_api_bearer_token_works_without_the_session_second_factor(db: None) -> None:
    user = UserFactory()
    with_two_factor(user)
    _token, raw = api_token_create(user=user, name="script")
    answer = Client().get("/api/v1/clusters", headers={"authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    # A session that has not passed the second factor gets JSON, not the API.
    client, _ = sign_in(user)
    refused = client.get("/api/v1/clusters")
    assert refused.status_code == 403 and "detail" in refused.json()


# -- required per cluster --------------------------------------------------------------------


def test_director_requires_two_factor_in_the_settings_and_it_is_audited(
    tenant_a: Tenant,
) -> None:
    client = client_for(tenant_a.director)
    url = reverse("backoffice:cluster_settings", args=[tenant_a.cluster.slug])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["two_factor_required"] = "on"
    assert client.post(url, data).status_code == 302
    tenant_a.cluster.refresh_from_db()
    assert tenant_a.cluster.two_factor_required
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="cluster.updated", cluster=tenant_a.cluster)
    assert entry.before["two_factor_required"] is False
    assert entry.after["two_factor_required"] is True
    # The director is a staff member too: the next page is the set-up.
    assert client.get(url)["Location"].startswith(SETUP)


def _require(tenant: Tenant) -> None:
    with scopes_disabled():
        cluster_update(actor=tenant.director, cluster=tenant.cluster, two_factor_required=True)


@pytest.mark.parametrize("role", Role.values)
def test_required_two_factor_sends_staff_to_set_up_and_not_others(
    tenant_a: Tenant, role: str
) -> None:
    _require(tenant_a)
    person = tenant_a.people[role]
    client = client_for(person)
    home = client.get(reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug]))
    if role in STAFF_ROLES:
        assert two_factor_required_for(person)
        assert home.status_code == 302 and home["Location"].startswith(SETUP)
        assert client.get(SETUP).status_code == 200
    else:
        assert not two_factor_required_for(person)
        assert not home.get("Location", "").startswith(SETUP)


def test_required_two_factor_binds_the_funders_of_the_region_only(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    _require(tenant_a)
    with scopes_disabled():
        same_region = funder(tenant_a.cluster.region)
        other_region = funder(tenant_b.cluster.region)
    assert tenant_a.cluster.region_id != tenant_b.cluster.region_id
    assert two_factor_required_for(same_region)
    assert client_for(same_region).get(reverse("home"))["Location"].startswith(SETUP)
    assert not two_factor_required_for(other_region)
    assert client_for(other_region).get(reverse("home")).status_code == 200
    # Another cluster's staff are not concerned.
    assert not two_factor_required_for(tenant_b.director)


def test_required_person_may_set_up_then_goes_on(tenant_a: Tenant, clock: Any) -> None:
    _require(tenant_a)
    person = tenant_a.people[Role.FINANCE]
    client = client_for(person)
    target = reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])
    sent = client.get(target)["Location"]
    assert client.get(sent).context["required"]
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=person)
    done = client.post(
        reverse("accounts:two_factor_enable"), {"code": code_of(device), "next": target}
    )
    assert done.context["next"] == target
    assert client.get(target).status_code == 200


def test_required_person_with_a_device_is_asked_for_the_code_not_the_set_up(
    tenant_a: Tenant,
) -> None:
    _require(tenant_a)
    person = tenant_a.people[Role.PROJECT_MANAGER]
    with_two_factor(person)
    response = client_for(person).get(reverse("home"))
    assert response["Location"].startswith(VERIFY)
