"""The committee workspace's routes that take an object identifier, for the generic leak
test: the viewer sits on the session that holds the application."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from clusterdesk.core.roles import Role
from clusterdesk.projects.models import ApplicationDocument
from tests.leak_cases import LeakCase
from tests.projects.factories_staff import committee_session, eligible_application


def _agenda(tenant: Any) -> dict[str, Any]:
    app = eligible_application(tenant.cluster, state="at_committee")
    session = committee_session(tenant.cluster, tenant.people[Role.COMMITTEE_MEMBER])
    app.committee_session = session
    app.save()
    return {"session_id": session.pk, "app_id": app.pk}


def _session(tenant: Any) -> dict[str, Any]:
    return {"session_id": _agenda(tenant)["session_id"]}


def _document(tenant: Any) -> dict[str, Any]:
    kwargs = _agenda(tenant)
    document = ApplicationDocument(
        cluster=tenant.cluster, application_id=kwargs["app_id"], name="budget.pdf", size=4
    )
    document.file.save("budget.pdf", ContentFile(b"%PDF"), save=True)
    return kwargs | {"doc_id": document.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "committee:session": LeakCase(_session, viewer=Role.COMMITTEE_MEMBER),
    "committee:application": LeakCase(_agenda, viewer=Role.COMMITTEE_MEMBER),
    "committee:conflict": LeakCase(_agenda, viewer=Role.COMMITTEE_MEMBER),
    "committee:document": LeakCase(_document, viewer=Role.COMMITTEE_MEMBER),
}
