"""The labelling workflow: ``application_transition`` is the one service that moves an
application between states. It decides who may ask for the move (``projects.rules``:
the project staff any move, the coordinator's contacts the applicants' moves), checks the
move and its rules, writes the audit entry and tells the applicants once the transaction
commits."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import Application, CommitteeSession
from clusterdesk.projects.rules import move_permission, require_on_application
from clusterdesk.projects.selectors.applications import (
    application_notice_recipients,
    eligibility_check,
    eligibility_problems,
)
from clusterdesk.projects.states import DECISIONS, NEEDS_REASON, TRANSITIONS
from clusterdesk.projects.tasks import send_state_notice

S = Application.State


def _check_transition(
    application: Application,
    to: str,
    reason: str,
    session: CommitteeSession | None,
    confirm_eligibility: bool,
) -> list[str]:
    """Refuse a move the workflow or its rules forbid; return the eligibility rules the
    applicants confirmed submitting past (for the audit entry)."""
    if to not in TRANSITIONS.get(application.state, frozenset()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": application.get_state_display(), "to": S(to).label}
        )
    if to in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Give the reason: the applicants will read it.")})
    if to == S.SUBMITTED:
        missing = [f for f in ("acronym", "title", "summary") if not getattr(application, f)]
        if missing:
            raise ValidationError(
                _("Complete the file before submitting it: %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
        if not application.call.is_open():
            raise ValidationError(_("The call is closed."))
        problems = eligibility_check(application)
        blocking = [p.message for p in problems if p.blocking]
        if blocking:
            raise ValidationError(blocking)
        if problems and not confirm_eligibility:
            raise ValidationError(
                {
                    "confirm_eligibility": [
                        _(
                            "The application does not meet every rule of the call: read each "
                            "problem and confirm to submit it anyway."
                        )
                    ]
                }
            )
        return [p.rule for p in problems]
    if to == S.ELIGIBLE:
        messages = eligibility_problems(application)
        if messages:
            raise ValidationError(messages)
    if to == S.UNDER_REVIEW and not application.assignments.exists():
        raise ValidationError(_("Assign reviewers first."))
    if to == S.AT_COMMITTEE and session is None:
        raise ValidationError({"session": _("Choose the committee session.")})
    return []


def label_date_of(application: Application, decided_on: datetime.date) -> datetime.date:
    """The date a label bears: its committee session's, unless the decision was recorded
    before the session's date (a session planned later), then the decision's; never a day
    after the decision, so that a certificate is never dated in the future."""
    session = application.committee_session
    if session is None:
        return decided_on
    return min(session.date, decided_on)


def _next_label_number(cluster: Cluster, year: int) -> str:
    prefix = f"{cluster.slug[:12].rstrip('-').upper()}-{year}-"
    numbers = Application.objects.filter(cluster=cluster, label_number__startswith=prefix)
    last = max(
        (int(n.rsplit("-", 1)[1]) for n in numbers.values_list("label_number", flat=True)),
        default=0,
    )
    return f"{prefix}{last + 1:03d}"


@transaction.atomic
def application_transition(
    *,
    actor: User,
    application: Application,
    to: str,
    reason: str = "",
    session: CommitteeSession | None = None,
    today: datetime.date | None = None,
    confirm_eligibility: bool = False,
) -> Application:
    """Move the application to ``to``, if the actor may ask for it and the workflow allows
    it; audit it and tell the applicants: the notice goes by e-mail to the consortium's
    contacts (``application_notice_recipients``), recorded in the audit entry.

    Submitting checks the call's eligibility rules first (``eligibility_check``): a blocking
    problem refuses it; any other refuses it unless ``confirm_eligibility`` says the
    applicants read the problems and submit anyway (the audit entry names them)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_on_application(actor, move_permission(to), application)
    confirmed = _check_transition(application, to, reason, session, confirm_eligibility)
    before = {"state": application.state}
    now = timezone.now()
    application.state = to
    application.state_reason = reason.strip()
    if to == S.SUBMITTED:
        application.submitted_at = now
    if to == S.AT_COMMITTEE:
        application.committee_session = session
    if to in DECISIONS:
        application.decided_at = now
    if to == S.LABELLED:
        day = label_date_of(application, today or timezone.localdate())
        application.label_date = day
        application.label_number = _next_label_number(application.cluster, day.year)
        application.label_code = Application.new_label_code()
    application.save()
    recipients = application_notice_recipients(application)
    audit_record(
        actor=actor,
        action=f"application.{to}",
        obj=application,
        before=before,
        after={
            "state": to,
            "reason": application.state_reason,
            "label_number": application.label_number or None,
            # Who the notice goes to, as the page shows it: a name, an address, whose.
            "notified": [
                f"{c} <{c.email}> ({c.organisation})" if str(c) else f"{c.email} ({c.organisation})"
                for c in recipients
            ],
        }
        | ({"submitted_despite": confirmed} if confirmed else {}),
    )
    contact_ids = [c.pk for c in recipients]
    transaction.on_commit(
        lambda: send_state_notice.enqueue(application.cluster_id, application.pk, to, contact_ids)
    )
    return application
