"""The expert network: an expert's profile, their confidentiality agreement, and the
conflicts of interest they declare (or the staff record) with companies."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotAllowed, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster, Domain
from clusterdesk.core.storage import stored_upload
from clusterdesk.crm.models import Organisation
from clusterdesk.support.choices import Availability
from clusterdesk.support.models import Expert, ExpertConflict
from clusterdesk.support.services.common import euros, followed_organisation

MANAGE_EXPERTS = "support.manage_experts"
EXPERT_FIELDS = (
    "user",
    "name",
    "email",
    "organisation",
    "organisation_name",
    "competences",
    "languages",
    "availability",
    "daily_rate_eur",
    "active",
)


def _expert_taken(existing: Expert) -> str:
    return _("%(person)s is already an expert of the network (no. %(id)s).") % {
        "person": existing.user,
        "id": existing.pk,
    }


@transaction.atomic
def expert_save(
    *,
    actor: User,
    cluster: Cluster,
    expert: Expert | None = None,
    domains: Iterable[Domain] | None = None,
    currency: str = "EUR",
    **values: Any,
) -> Expert:
    """Create an expert (``expert`` None) or change one: a person with an account or an
    outside person, their organisation (one the cluster follows, or a name), competences,
    domains, languages, availability and daily rate in euros."""
    unknown = set(values) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"Not expert fields: {', '.join(sorted(unknown))}")
    require(actor, MANAGE_EXPERTS, cluster)
    if expert is not None and expert.pk:
        if expert.cluster_id != cluster.pk:
            raise NotAllowed(MANAGE_EXPERTS)
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        before: dict[str, Any] | None = audit_snapshot(expert, EXPERT_FIELDS)
    else:
        expert = Expert(cluster=cluster)
        before = None
    if "daily_rate_eur" in values:
        values["daily_rate_eur"] = euros(
            values["daily_rate_eur"], field="daily_rate_eur", currency=currency
        )
    for name, value in values.items():
        setattr(expert, name, value)
    if expert.user is not None and not expert.name:
        expert.name = str(expert.user)
    if expert.organisation is not None:
        followed_organisation(cluster, expert.organisation, field="organisation")
    if expert.availability not in Availability.values:
        raise ValidationError(
            {"availability": _("Unknown value: %(value)s.") % {"value": expert.availability}}
        )
    domain_list = list(domains) if domains is not None else None
    for d in domain_list or []:
        if d.cluster_id != cluster.pk:
            raise ValidationError(
                {"domains": _("%(domain)s is not a domain of this cluster.") % {"domain": d}}
            )
    expert.full_clean(
        exclude=["user", "organisation", "cluster", "agreement"], validate_unique=False
    )
    same = Expert.objects.filter(cluster=cluster, user=expert.user).exclude(pk=expert.pk)
    if expert.user is not None and (existing := same.first()) is not None:
        raise Conflict(_expert_taken(existing), existing=existing)
    with conflict_on_duplicate(same.first, _expert_taken):
        expert.save()
    if domain_list is not None:
        expert.domains.set(domain_list)
    after = audit_snapshot(expert, EXPERT_FIELDS)
    if domain_list is not None:
        after["domains"] = sorted(d.pk for d in domain_list)
    if before != after:
        audit_record(
            actor=actor,
            action="expert.created" if before is None else "expert.updated",
            obj=expert,
            before=before,
            after=after,
        )
    return expert


@transaction.atomic
def expert_agreement_file(
    *,
    actor: User,
    expert: Expert,
    upload: Any,
    signed_on: datetime.date,
    expires_on: datetime.date,
) -> Expert:
    """Put the expert's signed confidentiality agreement on file, with its expiry."""
    require(actor, MANAGE_EXPERTS, expert.cluster)
    if not upload:
        raise ValidationError({"agreement": _("Attach the signed agreement.")})
    if expires_on <= signed_on:
        raise ValidationError({"expires_on": _("The agreement must expire after it was signed.")})
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    before = audit_snapshot(expert, ("agreement", "agreement_signed_on", "agreement_expires_on"))
    name = getattr(upload, "name", "agreement.pdf")
    target = expert.agreement.field.generate_filename(expert, name)
    with stored_upload(expert.agreement.storage, target, upload, field="agreement") as stored:
        expert.agreement.name = stored
        expert.agreement_signed_on, expert.agreement_expires_on = signed_on, expires_on
        expert.save(update_fields=["agreement", "agreement_signed_on", "agreement_expires_on"])
        audit_record(
            actor=actor,
            action="expert.agreement_filed",
            obj=expert,
            before=before,
            after=audit_snapshot(
                expert, ("agreement", "agreement_signed_on", "agreement_expires_on")
            ),
        )
    return expert


def _conflict_exists(existing: ExpertConflict) -> str:
    return _("This conflict of interest is already recorded (%(date)s).") % {
        "date": timezone.localtime(existing.created_at).date()
    }


@transaction.atomic
def expert_conflict_declare(
    *, actor: User, expert: Expert, organisation: Organisation, reason: str
) -> ExpertConflict:
    """The expert declares a conflict of interest with a company, or the staff record one:
    the expert then gets no mission on the company's cases."""
    is_self = expert.user_id is not None and expert.user_id == actor.pk
    if not is_self:
        require(actor, MANAGE_EXPERTS, expert.cluster)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why there is a conflict of interest.")})
    followed_organisation(expert.cluster, organisation, field="organisation")
    same = ExpertConflict.objects.filter(expert=expert, organisation=organisation)
    if (existing := same.first()) is not None:
        raise Conflict(_conflict_exists(existing), existing=existing)
    conflict = ExpertConflict(
        cluster=expert.cluster,
        expert=expert,
        organisation=organisation,
        source=ExpertConflict.Source.DECLARED if is_self else ExpertConflict.Source.STAFF,
        reason=reason.strip(),
        recorded_by=actor,
    )
    with conflict_on_duplicate(same.first, _conflict_exists):
        conflict.save()
    audit_record(
        actor=actor,
        action="expert.conflict_declared",
        obj=expert,
        after={
            "organisation": organisation.pk,
            "source": conflict.source,
            "reason": conflict.reason,
        },
    )
    return conflict
