"""The public funding a labelled project applies for, per partner (the project staff's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.projects.models import Application, FundingApplication, FundingLine
from clusterdesk.projects.rules import require_on_application
from clusterdesk.projects.states import LABELLED


@transaction.atomic
def funding_save(
    *,
    actor: User,
    application: Application,
    funding: FundingApplication | None,
    lines: dict[int, tuple[Decimal, Decimal]],
    **values: Any,
) -> FundingApplication:
    """A funding application of a labelled project, with each partner's requested and
    granted amounts (partner id -> (requested, granted))."""
    require_on_application(actor, "projects.manage_application", application)
    if application.state != LABELLED:
        raise ValidationError(_("Only a labelled project applies for funding here."))
    creating = funding is None
    if funding is None:
        funding = FundingApplication(cluster=application.cluster, application=application)
    fields = ("funder", "programme", "reference", "status", "submitted_on", "decided_on")
    before = None if creating else audit_snapshot(funding, fields)
    for name, value in values.items():
        setattr(funding, name, value)
    if (
        funding.status in (FundingApplication.Status.GRANTED, FundingApplication.Status.REFUSED)
        and funding.decided_on is None
    ):
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    funding.full_clean(exclude=["cluster", "application"])
    funding.save()
    partners = {p.pk: p for p in application.partners.all()}
    for partner_id, (requested, granted) in lines.items():
        if partner_id not in partners:
            raise ValidationError(
                _("Partner %(id)s is not in this consortium.") % {"id": partner_id}
            )
        if requested < 0 or granted < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        if granted and funding.status != FundingApplication.Status.GRANTED:
            raise ValidationError(_("Only a granted application has granted amounts."))
        FundingLine.objects.update_or_create(
            cluster=application.cluster,
            funding=funding,
            partner=partners[partner_id],
            defaults={"requested_eur": requested, "granted_eur": granted},
        )
    audit_record(
        actor=actor,
        action="funding.created" if creating else "funding.updated",
        obj=application,
        before=before,
        after=audit_snapshot(funding, fields)
        | {"lines": {str(k): [v[0], v[1]] for k, v in lines.items()}},
    )
    return funding
