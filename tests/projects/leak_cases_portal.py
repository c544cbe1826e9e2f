"""The member portal's applications and the reviewers' pages, for the generic leak test
(tests/test_leaks.py): each case makes, in a tenant, an object the tenant's viewer may use.

Portal cases: the tenant's member speaks for the coordinator of a draft (so every page,
editing included, is open to them). Reviewer cases: the tenant's expert is assigned to an
application under review, cleared (no conflict declared) where the page needs it.
"""

from __future__ import annotations

from typing import Any

from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application, Partner
from tests.factories import OrganisationFactory, application
from tests.leak_cases import LeakCase
from tests.projects.factories_portal import assign, document, speaks_for


def _draft(tenant: Any) -> Application:
    coordinator, partner = OrganisationFactory(), OrganisationFactory(kind="research_org")
    app = application(tenant.cluster, partners=((coordinator, "coordinator"), (partner, "partner")))
    speaks_for(tenant.cluster, coordinator, tenant.people[Role.MEMBER])
    return app


def _application(tenant: Any) -> dict[str, Any]:
    return {"pk": _draft(tenant).pk}


def _partner(tenant: Any) -> dict[str, Any]:
    app = _draft(tenant)
    partner = app.partners.get(role=Partner.Role.PARTNER)
    return {"pk": app.pk, "partner_id": partner.pk}


def _document(tenant: Any) -> dict[str, Any]:
    app = _draft(tenant)
    return {"pk": app.pk, "doc_id": document(app).pk}


def _assignment(cleared: bool) -> Any:
    def make(tenant: Any) -> dict[str, Any]:
        app = application(
            tenant.cluster,
            state="under_review",
            partners=((OrganisationFactory(), "coordinator"),),
        )
        return {"pk": assign(app, tenant.people[Role.EXPERT], cleared=cleared).pk}

    return make


def _assignment_document(tenant: Any) -> dict[str, Any]:
    app = application(
        tenant.cluster, state="under_review", partners=((OrganisationFactory(), "coordinator"),)
    )
    assignment = assign(app, tenant.people[Role.EXPERT], cleared=True)
    return {"pk": assignment.pk, "doc_id": document(app).pk}


MEMBER = Role.MEMBER
LEAK_CASES: dict[str, LeakCase] = {
    "portal_projects:application": LeakCase(_application, viewer=MEMBER),
    "portal_projects:application_edit": LeakCase(_application, viewer=MEMBER),
    "portal_projects:submit": LeakCase(_application, viewer=MEMBER, method="post"),
    "portal_projects:withdraw": LeakCase(_application, viewer=MEMBER, method="post"),
    "portal_projects:partners": LeakCase(_application, viewer=MEMBER),
    "portal_projects:partner_edit": LeakCase(_partner, viewer=MEMBER),
    "portal_projects:partner_remove": LeakCase(_partner, viewer=MEMBER, method="post"),
    "portal_projects:invite": LeakCase(_application, viewer=MEMBER),
    "portal_projects:documents": LeakCase(_application, viewer=MEMBER),
    "portal_projects:document": LeakCase(_document, viewer=MEMBER),
    "reviews:declaration": LeakCase(_assignment(cleared=False), viewer=Role.EXPERT),
    "reviews:review": LeakCase(_assignment(cleared=True), viewer=Role.EXPERT),
    "reviews:document": LeakCase(_assignment_document, viewer=Role.EXPERT),
}
