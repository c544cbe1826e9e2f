"""Committee sessions (the project staff's); their decisions are moves of the workflow."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.errors import require
from clusterdesk.projects.models import CommitteeSession


@transaction.atomic
def session_save(
    *, actor: User, session: CommitteeSession, members: Iterable[Any], **values: Any
) -> CommitteeSession:
    require(actor, "projects.manage_calls", session.cluster)
    creating = session.pk is None
    members = list(members)
    for name, value in values.items():
        setattr(session, name, value)
    session.full_clean(exclude=["cluster", "members"])
    session.save()
    session.members.set(members)
    audit_record(
        actor=actor,
        action="committee.created" if creating else "committee.updated",
        obj=session,
        after={"date": session.date, "members": [m.pk for m in members]},
    )
    return session
