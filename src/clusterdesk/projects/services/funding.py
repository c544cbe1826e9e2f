"""The public funding a labelled project applies for, per partner (the project staff's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.formatting import format_money
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
    confirm_above_requested: bool = False,
    **values: Any,
) -> FundingApplication:
    """A funding application of a labelled project, with each partner's requested and
    granted amounts (partner id -> (requested, granted)).

    A grant above the amount requested (a typing slip as often as a generous funder) is
    refused unless ``confirm_above_requested`` says the staff checked it; the refusal names
    each partner's line."""
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
    partners = {p.pk: p for p in application.partners.select_related("organisation")}
    above: dict[str, str] = {}
    for partner_id, (requested, granted) in lines.items():
        if partner_id not in partners:
            raise ValidationError(
                _("Partner %(id)s is not in this consortium.") % {"id": partner_id}
            )
        if requested < 0 or granted < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        if granted and funding.status != FundingApplication.Status.GRANTED:
            raise ValidationError(_("Only a granted application has granted amounts."))
        if granted > requested:
            above[f"granted_{partner_id}"] = _(
                "%(org)s is granted %(granted)s, more than the %(requested)s requested: "
                "confirm the amount to record it."
            ) % {
                "org": partners[partner_id].organisation,
                "granted": format_money(granted),
                "requested": format_money(requested),
            }
    if above and not confirm_above_requested:
        raise ValidationError(above | {"confirm_above_requested": _("Confirm the amounts above.")})
    for partner_id, (requested, granted) in lines.items():
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
        | {
            # Each partner's line named by its organisation, its amounts by what they are:
            # the history shows them as words, never as a raw structure.
            "lines": [
                {
                    "partner": str(partners[k].organisation),
                    "requested_eur": requested,
                    "granted_eur": granted,
                }
                for k, (requested, granted) in lines.items()
            ]
        }
        | ({"confirmed_above_requested": True} if above else {}),
    )
    return funding
