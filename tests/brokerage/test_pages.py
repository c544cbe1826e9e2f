"""The organiser's pages, per role: who reads, who writes, and the scheduling path from the
page (start → job → draft with its proven gap → publish → table plan); the import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.brokerage.models import Brokerage, Participant, ScheduleRun
from clusterdesk.core.roles import STAFF_ROLES, Role
from tests.brokerage.factories import brokerage, participant, request
from tests.conftest import Tenant, client_for
from tests.events.factories import EventFactory

Capture = Any


def _url(name: str, b: Brokerage, **kw: Any) -> str:
    return reverse(name, kwargs={"cluster_slug": b.cluster.slug, "pk": b.pk, **kw})


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_organiser_pages_are_for_the_staff(tenant_a: Tenant, role: str) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        p = participant(b, headline="Capteurs ZQXPROFILE")
    client = client_for(tenant_a.people[role])
    client.cookies["django_language"] = "en"
    expected = 200 if role in STAFF_ROLES else 403
    for url in (
        reverse("brokerage:brokerages", kwargs={"cluster_slug": b.cluster.slug}),
        _url("brokerage:brokerage", b),
        _url("brokerage:participants", b),
        _url("brokerage:participant", b, participant_pk=p.pk),
        _url("brokerage:requests", b),
        _url("brokerage:plan", b),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
    detail = client.get(_url("brokerage:participant", b, participant_pk=p.pk))
    if expected == 200:
        assert "ZQXPROFILE" in detail.content.decode()
        # Only the event staff see the personal link and the validation buttons.
        has_link = "/brokerage/alpha/" in detail.content.decode()
        assert has_link == (role in (Role.DIRECTOR, Role.EVENT_MANAGER))


def test_only_event_staff_validate_from_the_page(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        p = participant(b, status=Participant.Status.PENDING)
    url = _url("brokerage:participant", b, participant_pk=p.pk)
    refused = client_for(tenant_a.people[Role.FINANCE]).post(url, {"action": "validate"})
    assert refused.status_code == 403
    ok = client_for(tenant_a.people[Role.EVENT_MANAGER]).post(url, {"action": "validate"})
    assert ok.status_code == 302
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == Participant.Status.VALIDATED


def test_setting_up_and_scheduling_from_the_pages(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    with scopes_disabled():
        event = EventFactory(cluster=tenant_a.cluster, kind="brokerage")
    client = client_for(tenant_a.people[Role.EVENT_MANAGER])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("brokerage:setup", kwargs={"cluster_slug": "alpha", "event_id": event.pk}),
        {"meeting_minutes": 30, "tables": 4, "max_meetings": 6},
    )
    assert response.status_code == 302
    with scopes_disabled():
        b = Brokerage.objects.get(event=event)
    start = event.starts_at.strftime("%Y-%m-%dT%H:%M")
    end = (event.starts_at.replace(hour=event.starts_at.hour + 2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _url("brokerage:brokerage", b), {"action": "slots", "start": start, "end": end}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert b.slots.count() == 4
        people = [participant(b) for _ in range(5)]
    # Nothing to schedule yet: a clear message, no run.
    response = client.post(_url("brokerage:schedule", b), {"time_limit_s": 2}, follow=True)
    assert "nothing to schedule" in response.content.decode()
    with scopes_disabled():
        assert not ScheduleRun.objects.exists()
        for i in range(4):
            request(people[i], people[i + 1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("brokerage:schedule", b), {"time_limit_s": 2})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Proven gap" in text and "0.000 %" in text and "Publish this schedule" in text
    with scopes_disabled():
        run = ScheduleRun.objects.get()
    assert client.post(response["Location"], {"action": "publish"}).status_code == 302
    plan = client.get(_url("brokerage:plan", b)).content.decode()
    with scopes_disabled():
        run.refresh_from_db()
        assert run.state == ScheduleRun.State.PUBLISHED
        first_slot = b.slots.order_by("starts_at").first()
        assert plan.count("No-show") == run.meetings.filter(slot=first_slot).count()


def test_the_import_makes_participants_with_profiles_from_descriptions(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster, validation_required=False)
    csv_text = (
        "first_name,last_name,email,organisation,description,categories,website\n"
        "Lina,Roux,lina@ablatom.example,ABLATOM,"
        '"Since 2017, ABLATOM designs LIBS analysers. We sell worldwide.",'
        '"Energy/Power, Startups",https://www.ablatom.com/\n'
        "Marc,Petit,marc@aerleum.example,Aerleum,"
        '"Aerleum makes fuels from CO2.","Sustainability",https://aerleum.example/\n'
    )
    upload = SimpleUploadedFile("ces.csv", csv_text.encode(), content_type="text/csv")
    client = client_for(tenant_a.director)
    response = client.post(_url("brokerage:import", b), {"file": upload})
    assert response.status_code == 302
    with scopes_disabled():
        people = list(Participant.objects.filter(brokerage=b).order_by("pk"))
        assert [p.status for p in people] == ["validated", "validated"]
        assert people[0].headline == "Since 2017, ABLATOM designs LIBS analysers."
        assert people[0].keyword_list() == ["Energy/Power", "Startups"]
        assert people[0].registration.organisation is not None
        assert people[0].registration.organisation.name == "ABLATOM"


def test_a_bad_import_row_is_named_and_nothing_is_written(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
    csv_text = (
        "first_name,last_name,email,organisation,description\n"
        "Lina,Roux,lina@ok.example,Ok SAS,Fine\n"
        "Marc,Petit,not-an-email,Bad SAS,Broken\n"
    )
    upload = SimpleUploadedFile("bad.csv", csv_text.encode(), content_type="text/csv")
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    response = client.post(_url("brokerage:import", b), {"file": upload})
    assert response.status_code == 400
    assert "Row 3" in response.content.decode()
    with scopes_disabled():
        assert not Participant.objects.filter(brokerage=b).exists()
        assert not b.event.registrations.exists()
