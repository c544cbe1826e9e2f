"""Committee sessions (the project staff's); their decisions are moves of the workflow. A
member of a session declares their own conflicts with its applications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.errors import require
from clusterdesk.projects.models import Application, CommitteeConflict, CommitteeSession


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


@transaction.atomic
def committee_conflict_declare(
    *, actor: User, application: Application, reason: str
) -> CommitteeConflict:
    """A committee member declares their own conflict with an application of their session:
    they stop reading its file and reviews, and the minutes show that they stood aside."""
    require(actor, "projects.declare_committee_conflict", application, hidden=True)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    conflict, _created = CommitteeConflict.objects.update_or_create(
        cluster=application.cluster,
        application=application,
        member=actor,
        defaults={"reason": reason.strip()},
    )
    audit_record(
        actor=actor,
        action="committee.conflict_declared",
        obj=application,
        after={"member": actor.pk, "reason": conflict.reason},
    )
    return conflict


@transaction.atomic
def committee_conflict_withdraw(*, actor: User, application: Application) -> None:
    """A committee member withdraws the conflict they declared (a mistake): they read the
    file again."""
    require(actor, "projects.declare_committee_conflict", application, hidden=True)
    conflict = CommitteeConflict.objects.filter(application=application, member=actor).first()
    if conflict is None:
        return
    before = {"member": actor.pk, "reason": conflict.reason}
    conflict.delete()
    audit_record(actor=actor, action="committee.conflict_withdrawn", obj=application, before=before)
