"""The labelling PDFs' routes for the generic leak test (tests/test_leaks.py): a labelled
project's certificate and a committee session's minutes, made in the tenant asked for."""

from __future__ import annotations

import datetime
from typing import Any

from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application, CommitteeSession
from tests.factories import OrganisationFactory, application
from tests.leak_cases import LeakCase


def _session(tenant: Any) -> CommitteeSession:
    return CommitteeSession.objects.create(
        cluster=tenant.cluster, title="Comité", date=datetime.date(2026, 3, 12)
    )


def _labelled(tenant: Any) -> dict[str, Any]:
    app = application(
        tenant.cluster,
        state=Application.State.LABELLED,
        partners=((OrganisationFactory(), "coordinator"),),
        committee_session=_session(tenant),
        label_number=f"{tenant.cluster.slug.upper()}-2026-001",
        label_date=datetime.date(2026, 3, 12),
        label_code=Application.new_label_code(),
    )
    return {"pk": app.pk}


def _minutes(tenant: Any) -> dict[str, Any]:
    return {"pk": _session(tenant).pk}


LEAK_CASES: dict[str, LeakCase] = {
    "labelling_documents:certificate": LeakCase(_labelled, viewer=Role.DIRECTOR),
    "labelling_documents:minutes": LeakCase(_minutes, viewer=Role.DIRECTOR),
}
